import type { Knex } from 'knex';

// The accessibility statement's feedback function (DOS-lagen): reports of barriers and requests for
// content in another format, kept until HMC has handled them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accessibility_feedback', (t) => {
    t.increments('id');
    t.text('message').notNullable();
    t.text('page');
    t.text('contact');
    t.integer('user_id').references('users.id').onDelete('set null');
    t.integer('handled_by').references('users.id').onDelete('set null');
    t.timestamp('handled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table accessibility_feedback add constraint accessibility_feedback_message_check check (length(message) between 1 and 5000)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('accessibility_feedback');
}
