import type { Knex } from 'knex';

// The price list: articles (a half or full day of training, extras, the late-cancellation fee) and their
// prices over time, each with its VAT treatment. Money in integer öre. Periods of one article never overlap.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists btree_gist');
  await knex.schema.createTable('price_articles', (t) => {
    t.text('code').primary();
    t.text('name_sv').notNullable();
    t.text('name_en').notNullable();
    t.text('kind').notNullable();
    t.text('unit').notNullable();
    t.integer('sort').notNullable().defaultTo(0);
  });
  await knex.raw(
    `alter table price_articles add constraint price_articles_kind_check check (kind in ('training', 'extra', 'fee'))`,
  );
  await knex.raw(
    `alter table price_articles add constraint price_articles_unit_check check (unit in ('occasion', 'participant'))`,
  );

  await knex.schema.createTable('price_list_entries', (t) => {
    t.increments('id');
    t.text('article_code').notNullable().references('price_articles.code').onDelete('restrict');
    t.date('valid_from').notNullable();
    t.date('valid_until');
    t.integer('unit_price_ore').notNullable();
    t.text('vat_category').notNullable();
    t.integer('vat_percent').notNullable();
    t.text('vat_exemption_reason');
    t.integer('created_by').references('users.id').onDelete('set null');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table price_list_entries add constraint price_list_amount_check check (unit_price_ore between 0 and 100000000)`,
  );
  await knex.raw(
    `alter table price_list_entries add constraint price_list_period_check check (valid_until is null or valid_until >= valid_from)`,
  );
  // Standard rate (S) at a Swedish rate, or exempt (E) with the reason the invoice must state (BR-E-10).
  await knex.raw(`alter table price_list_entries add constraint price_list_vat_check check (
    (vat_category = 'S' and vat_percent in (6, 12, 25) and vat_exemption_reason is null)
    or (vat_category = 'E' and vat_percent = 0 and btrim(coalesce(vat_exemption_reason, '')) <> ''))`);
  await knex.raw(`alter table price_list_entries add constraint price_list_no_overlap
    exclude using gist (article_code with =, daterange(valid_from, valid_until, '[]') with &&)`);

  // The defaults of the issue (DOMAIN.md): 3 000 kr a half day and 5 000 kr a full day, extras, 1 000 kr
  // for a late cancellation; 25 % VAT until the region's tax function decides otherwise.
  await knex('price_articles').insert([
    {
      code: 'half_day',
      name_sv: 'Utbildning, halvdag',
      name_en: 'Training, half day',
      kind: 'training',
      unit: 'occasion',
      sort: 1,
    },
    {
      code: 'full_day',
      name_sv: 'Utbildning, heldag',
      name_en: 'Training, full day',
      kind: 'training',
      unit: 'occasion',
      sort: 2,
    },
    { code: 'venue', name_sv: 'Lokal', name_en: 'Venue', kind: 'extra', unit: 'occasion', sort: 3 },
    { code: 'coffee', name_sv: 'Fika', name_en: 'Coffee', kind: 'extra', unit: 'participant', sort: 4 },
    {
      code: 'travel',
      name_sv: 'Resa till arbetsplatsen',
      name_en: 'Travel to the workplace',
      kind: 'extra',
      unit: 'occasion',
      sort: 5,
    },
    {
      code: 'late_cancellation',
      name_sv: 'Avbokningsavgift',
      name_en: 'Late-cancellation fee',
      kind: 'fee',
      unit: 'occasion',
      sort: 6,
    },
  ]);
  const from = '2026-01-01';
  await knex('price_list_entries').insert(
    [
      ['half_day', 300000],
      ['full_day', 500000],
      ['venue', 120000],
      ['coffee', 4500],
      ['travel', 65000],
      ['late_cancellation', 100000],
    ].map(([code, ore]) => ({
      article_code: code,
      valid_from: from,
      unit_price_ore: ore,
      vat_category: 'S',
      vat_percent: 25,
    })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('price_list_entries');
  await knex.schema.dropTable('price_articles');
}
