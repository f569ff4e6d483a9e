import type { Knex } from 'knex';

// One row of settings an administrator keeps: who sells (HMC's organisation), how it is paid, and the
// cancellation policy (free until N days before the training; after that the price list's fee).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_settings', (t) => {
    t.smallint('id').primary().defaultTo(1);
    t.integer('seller_organisation_id').references('organisations.id').onDelete('restrict');
    t.text('seller_unit_name').notNullable().defaultTo('Hjälpmedelscentrum');
    t.text('bankgiro');
    t.boolean('f_skatt').notNullable().defaultTo(true);
    t.integer('payment_terms_days').notNullable().defaultTo(30);
    t.integer('free_cancellation_days').notNullable().defaultTo(14);
    t.integer('updated_by').references('users.id').onDelete('set null');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table billing_settings add constraint billing_settings_single_check check (id = 1)`);
  await knex.raw(
    `alter table billing_settings add constraint billing_settings_bankgiro_check check (bankgiro is null or (bankgiro ~ '^[0-9]{7,8}$' and se_luhn_valid(bankgiro)))`,
  );
  await knex.raw(
    `alter table billing_settings add constraint billing_settings_terms_check check (payment_terms_days between 0 and 90)`,
  );
  await knex.raw(
    `alter table billing_settings add constraint billing_settings_cancel_check check (free_cancellation_days between 0 and 365)`,
  );
  await knex('billing_settings').insert({ id: 1 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('billing_settings');
}
