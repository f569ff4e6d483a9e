import type { Knex } from 'knex';

// Issue 11, a way back in and no one reads others' mail:
// - users.email_verified_at: an account owns its address only once a mailed link was opened. Existing
//   accounts (and people an administrator creates) count as verified; joining with a code sets it null.
// - auth_tokens: single-use links (password reset, address verification), stored as sha256 only.
// - outbox_messages.user_id: the account a mail was sent to, so an export shows only that account's mail.
// - training_participants.confirmed_at: a guest outside the ordering organisation is linked to their
//   account only when they confirm it themselves.
// - rate_limit_counters: login/join/reset limits shared by every app process.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('email_verified_at', { useTz: true });
  });
  await knex.raw('update users set email_verified_at = created_at');
  await knex.raw('alter table users alter column email_verified_at set default now()');

  await knex.schema.createTable('auth_tokens', (t) => {
    t.bigIncrements('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('cascade');
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable().unique();
    t.text('email').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'purpose']);
    t.index(['expires_at']);
  });
  await knex.raw(
    `alter table auth_tokens add constraint auth_tokens_purpose_check check (purpose in ('reset', 'verify'))`,
  );

  await knex.schema.alterTable('outbox_messages', (t) => {
    t.integer('user_id').references('users.id').onDelete('set null');
    t.index(['user_id']);
  });

  await knex.schema.alterTable('training_participants', (t) => {
    t.timestamp('confirmed_at', { useTz: true });
  });

  await knex.schema.createTable('rate_limit_counters', (t) => {
    t.text('key').primary();
    t.integer('count').notNullable();
    t.timestamp('window_started_at', { useTz: true }).notNullable();
    t.timestamp('last_hit_at', { useTz: true }).notNullable();
    t.index(['last_hit_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_counters');
  await knex.schema.alterTable('training_participants', (t) => t.dropColumn('confirmed_at'));
  await knex.schema.alterTable('outbox_messages', (t) => t.dropColumn('user_id'));
  await knex.schema.dropTable('auth_tokens');
  await knex.schema.alterTable('users', (t) => t.dropColumn('email_verified_at'));
}
