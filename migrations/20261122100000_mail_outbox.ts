import type { Knex } from 'knex';

// Every e-mail the app sends goes through this outbox: it is the record of what was sent, the local
// mailbox in embedded mode, and (event_key) the guarantee that an event is mailed once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox_messages', (t) => {
    t.bigIncrements('id');
    t.text('to_address').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.jsonb('attachments').notNullable().defaultTo('[]');
    t.text('event_key').unique();
    t.text('status').notNullable().defaultTo('queued');
    t.text('error');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['status', 'created_at']);
  });
  await knex.raw(
    `alter table outbox_messages add constraint outbox_status_check check (status in ('queued', 'sent', 'kept', 'failed'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox_messages');
}
