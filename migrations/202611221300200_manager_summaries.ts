import type { Knex } from 'knex';

// Managers who chose a monthly summary of their scope by e-mail.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('manager_summary_subscriptions', (t) => {
    t.integer('user_id').primary().references('users.id').onDelete('cascade');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('manager_summary_subscriptions');
}
