import type { Knex } from 'knex';

// Issue 16: a mailed single-use link can prove that the person signing in through their organisation owns
// the existing account with the same address (the alternative to typing its password).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table auth_tokens drop constraint auth_tokens_purpose_check');
  await knex.raw(
    `alter table auth_tokens add constraint auth_tokens_purpose_check check (purpose in ('reset', 'verify', 'sso-link'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('auth_tokens').where({ purpose: 'sso-link' }).delete();
  await knex.raw('alter table auth_tokens drop constraint auth_tokens_purpose_check');
  await knex.raw(
    `alter table auth_tokens add constraint auth_tokens_purpose_check check (purpose in ('reset', 'verify'))`,
  );
}
