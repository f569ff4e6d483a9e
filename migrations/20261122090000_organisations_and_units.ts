import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (t) => {
    t.increments('id');
    t.text('name').notNullable().unique();
    t.text('kind').notNullable();
    t.text('org_number');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table organisations add constraint organisations_kind_check check (kind in ('region', 'municipality', 'private'))`,
  );
  await knex.raw(
    `alter table organisations add constraint organisations_org_number_check check (org_number ~ '^[0-9]{10}$')`,
  );

  await knex.schema.createTable('units', (t) => {
    t.increments('id');
    t.integer('organisation_id').notNullable().references('organisations.id').onDelete('restrict');
    t.text('name').notNullable();
    t.text('join_code').unique();
    t.boolean('join_code_enabled').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['organisation_id', 'name']);
    t.index(['organisation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('units');
  await knex.schema.dropTable('organisations');
}
