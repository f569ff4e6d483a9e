import type { Knex } from 'knex';

// An organisation's order (request) for a classroom training, HMC's handling of it, and its participants.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('training_orders', (t) => {
    t.increments('id');
    t.integer('organisation_id').notNullable().references('organisations.id').onDelete('restrict');
    t.integer('offering_id').notNullable().references('training_offerings.id').onDelete('restrict');
    t.integer('ordered_by').references('users.id').onDelete('set null');
    // One per order form shown: a double-clicked or repeated send finds the order it already made.
    t.uuid('request_token').notNullable().unique();
    t.text('status').notNullable().defaultTo('requested');
    t.specificType('preferred_dates', 'date[]').notNullable();
    t.text('place').notNullable();
    t.text('place_address');
    t.integer('expected_participants').notNullable();
    t.boolean('with_venue').notNullable().defaultTo(false);
    t.boolean('with_coffee').notNullable().defaultTo(false);
    t.text('contact_name').notNullable();
    t.text('contact_email').notNullable();
    t.text('contact_phone');
    t.text('buyer_reference').notNullable();
    t.text('cost_centre');
    t.text('message');
    // HMC's handling: a proposed or confirmed time, the educator, a note, or a reason to decline.
    t.timestamp('starts_at', { useTz: true });
    t.timestamp('ends_at', { useTz: true });
    t.integer('educator_id').references('users.id').onDelete('set null');
    t.text('hmc_note');
    t.text('decline_reason');
    t.integer('handled_by').references('users.id').onDelete('set null');
    t.timestamp('handled_at', { useTz: true });
    // Bumped at every change of time, so calendar programs replace the earlier event (.ics SEQUENCE).
    t.integer('schedule_sequence').notNullable().defaultTo(0);
    t.timestamp('cancelled_at', { useTz: true });
    t.integer('cancelled_by').references('users.id').onDelete('set null');
    t.text('cancelled_by_party');
    t.text('cancellation_reason');
    t.boolean('cancellation_charged');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id', 'created_at']);
    t.index(['status', 'starts_at']);
  });
  const check = (name: string, sql: string) =>
    knex.raw(`alter table training_orders add constraint training_orders_${name}_check check (${sql})`);
  await check(
    'status',
    `status in ('requested', 'proposed', 'confirmed', 'declined', 'cancelled', 'delivered')`,
  );
  await check('place', `place in ('hmc', 'workplace', 'digital')`);
  await check('dates', `cardinality(preferred_dates) between 2 and 3`);
  await check('participants', `expected_participants between 1 and 100`);
  await check('reference', `btrim(buyer_reference) <> '' and length(buyer_reference) <= 100`);
  await check('contact', `btrim(contact_name) <> '' and contact_email like '%@%'`);
  await check('time', `(starts_at is null) = (ends_at is null) and (ends_at is null or ends_at > starts_at)`);
  await check('scheduled', `status not in ('proposed', 'confirmed', 'delivered') or starts_at is not null`);
  await check('declined', `status <> 'declined' or btrim(coalesce(decline_reason, '')) <> ''`);
  await check(
    'cancelled',
    `(status = 'cancelled') = (cancelled_at is not null)
    and (cancelled_at is null or (cancelled_by_party in ('customer', 'hmc') and cancellation_charged is not null))
    and (cancelled_by_party is distinct from 'hmc' or cancellation_charged = false)`,
  );
  await check('delivered', `(status = 'delivered') = (delivered_at is not null)`);

  await knex.schema.createTable('training_participants', (t) => {
    t.increments('id');
    t.integer('order_id').notNullable().references('training_orders.id').onDelete('cascade');
    t.integer('user_id').references('users.id').onDelete('set null');
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.integer('added_by').references('users.id').onDelete('set null');
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('attended');
    t.timestamp('attendance_registered_at', { useTz: true });
    t.integer('completion_id').unique().references('completions.id').onDelete('set null');
    t.index(['user_id']);
  });
  await knex.raw(
    'create unique index training_participants_email_unique on training_participants (order_id, lower(email))',
  );
  await knex.raw(
    `alter table training_participants add constraint training_participants_name_check check (btrim(name) <> '' and email like '%@%')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('training_participants');
  await knex.schema.dropTable('training_orders');
}
