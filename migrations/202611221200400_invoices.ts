import type { Knex } from 'knex';

// Invoices and credit notes with their lines, and the one gap-free number series they share.
// An issued document is final: the database itself refuses to change or delete it or its lines.
export async function up(knex: Knex): Promise<void> {
  // Numbers are taken inside the issuing transaction by updating this row, so concurrent issuers queue
  // on its row lock and a rolled-back issue gives its number back: no gaps, no duplicates.
  await knex.schema.createTable('invoice_number_series', (t) => {
    t.text('id').primary();
    t.integer('next_number').notNullable();
  });
  await knex.raw(
    `alter table invoice_number_series add constraint invoice_number_series_next_check check (next_number > 0)`,
  );
  await knex('invoice_number_series').insert({ id: 'main', next_number: 1 });

  await knex.schema.createTable('invoices', (t) => {
    t.increments('id');
    t.text('kind').notNullable();
    t.text('status').notNullable().defaultTo('draft');
    t.integer('number').unique();
    t.integer('organisation_id').notNullable().references('organisations.id').onDelete('restrict');
    t.integer('training_order_id').references('training_orders.id').onDelete('restrict');
    t.integer('credited_invoice_id').references('invoices.id').onDelete('restrict');
    t.text('reason').notNullable();
    t.text('buyer_reference').notNullable();
    t.text('cost_centre');
    t.text('order_label').notNullable();
    t.date('delivery_date');
    t.text('note');
    t.text('currency').notNullable().defaultTo('SEK');
    t.date('issue_date');
    t.date('due_date');
    // Seller and buyer as they were when the document was issued (master data may change later).
    t.jsonb('seller');
    t.jsonb('buyer');
    t.integer('line_total_ore');
    t.integer('vat_total_ore');
    t.integer('payable_ore');
    t.integer('created_by').references('users.id').onDelete('set null');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('issued_by').references('users.id').onDelete('set null');
    t.timestamp('issued_at', { useTz: true });
    t.index(['organisation_id', 'issue_date']);
    t.index(['issue_date']);
  });
  const check = (name: string, sql: string) =>
    knex.raw(`alter table invoices add constraint invoices_${name}_check check (${sql})`);
  await check('kind', `kind in ('invoice', 'credit_note')`);
  await check('status', `status in ('draft', 'issued')`);
  await check('reason', `reason in ('delivery', 'late_cancellation', 'correction')`);
  await check(
    'credit',
    `(kind = 'credit_note') = (credited_invoice_id is not null) and (kind = 'credit_note') = (reason = 'correction')`,
  );
  await check('reference', `btrim(buyer_reference) <> ''`);
  await check(
    'issued',
    `(status = 'issued') = (number is not null) and (status = 'draft' or (issue_date is not null and due_date is not null
    and seller is not null and buyer is not null and payable_ore is not null and issued_at is not null))`,
  );
  await knex.raw(
    `create unique index invoices_one_draft_per_order on invoices (training_order_id) where status = 'draft' and kind = 'invoice'`,
  );
  await knex.raw(
    `create unique index invoices_one_draft_per_credited on invoices (credited_invoice_id) where status = 'draft'`,
  );

  await knex.schema.createTable('invoice_lines', (t) => {
    t.increments('id');
    t.integer('invoice_id').notNullable().references('invoices.id').onDelete('cascade');
    t.integer('position').notNullable();
    t.text('article_code').references('price_articles.code').onDelete('restrict');
    t.text('description').notNullable();
    t.integer('quantity').notNullable();
    t.text('unit_code').notNullable().defaultTo('C62');
    t.integer('unit_price_ore').notNullable();
    t.integer('line_total_ore').notNullable();
    t.text('vat_category').notNullable();
    t.integer('vat_percent').notNullable();
    t.text('vat_exemption_reason');
    // A credit-note line names the invoice line it credits; a line is credited at most once.
    t.integer('credits_line_id').unique().references('invoice_lines.id').onDelete('restrict');
    t.unique(['invoice_id', 'position']);
  });
  const lineCheck = (name: string, sql: string) =>
    knex.raw(`alter table invoice_lines add constraint invoice_lines_${name}_check check (${sql})`);
  await lineCheck(
    'amounts',
    `quantity > 0 and unit_price_ore >= 0 and line_total_ore = quantity * unit_price_ore`,
  );
  await lineCheck(
    'vat',
    `(vat_category = 'S' and vat_percent in (6, 12, 25) and vat_exemption_reason is null)
    or (vat_category = 'E' and vat_percent = 0 and btrim(coalesce(vat_exemption_reason, '')) <> '')`,
  );

  await knex.raw(`create function invoices_issued_are_final() returns trigger language plpgsql as $$
    begin
      if old.status = 'issued' then
        raise exception 'invoice % is issued and final; correct it with a credit note', old.id using errcode = 'P0001';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`);
  await knex.raw(`create trigger invoices_issued_are_final before update or delete on invoices
    for each row execute function invoices_issued_are_final()`);
  await knex.raw(`create function invoice_lines_of_issued_are_final() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from invoices where status = 'issued' and id in (
        case when tg_op = 'INSERT' then null else old.invoice_id end,
        case when tg_op = 'DELETE' then null else new.invoice_id end)) then
        raise exception 'the lines of an issued invoice are final' using errcode = 'P0001';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`);
  await knex.raw(`create trigger invoice_lines_of_issued_are_final before insert or update or delete on invoice_lines
    for each row execute function invoice_lines_of_issued_are_final()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invoice_lines');
  await knex.schema.dropTable('invoices');
  await knex.raw('drop function invoice_lines_of_issued_are_final()');
  await knex.raw('drop function invoices_issued_are_final()');
  await knex.schema.dropTable('invoice_number_series');
}
