import type { Knex } from 'knex';

// Issue 16, sign in with the organisation's own identity provider:
// - identity_providers: one or more per organisation (OpenID Connect or SAML 2.0), off until an administrator
//   has tried it and turned it on. The client secret is stored but never shown again.
// - external_identities: (provider, subject) → the account it signs in; a subject belongs to one account.
// - sso_saml_requests: the AuthnRequest ids we sent (InResponseTo must be one of them, once).
// - sso_used_assertions: assertion ids already accepted, so a replayed response is refused.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('identity_providers', (t) => {
    t.increments('id');
    t.integer('organisation_id').notNullable().references('organisations.id').onDelete('cascade');
    t.text('kind').notNullable();
    t.text('display_name').notNullable();
    t.text('issuer').notNullable();
    t.text('metadata_url');
    t.text('metadata_xml');
    t.text('sso_url');
    t.text('logout_url');
    t.text('client_id');
    t.text('client_secret');
    t.text('idp_certificate');
    t.text('claim_email').notNullable().defaultTo('email');
    t.text('claim_name').notNullable().defaultTo('name');
    t.text('claim_unit');
    t.text('claim_job_role');
    t.specificType('email_domains', 'text[]').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id']);
  });
  await knex.raw(
    `alter table identity_providers add constraint identity_providers_kind_check check (kind in ('oidc', 'saml'))`,
  );
  await knex.raw(
    `alter table identity_providers add constraint identity_providers_oidc_check check (kind <> 'oidc' or client_id is not null)`,
  );
  await knex.raw(
    `alter table identity_providers add constraint identity_providers_saml_check check (kind <> 'saml' or (sso_url is not null and idp_certificate is not null))`,
  );
  await knex.raw('create index identity_providers_domains on identity_providers using gin (email_domains)');

  await knex.schema.createTable('external_identities', (t) => {
    t.increments('id');
    t.integer('provider_id').notNullable().references('identity_providers.id').onDelete('cascade');
    t.text('subject').notNullable();
    t.integer('user_id').notNullable().references('users.id').onDelete('cascade');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_login_at', { useTz: true });
    t.unique(['provider_id', 'subject']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('sso_saml_requests', (t) => {
    t.text('id').primary();
    t.jsonb('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('sso_used_assertions', (t) => {
    t.integer('provider_id').notNullable().references('identity_providers.id').onDelete('cascade');
    t.text('assertion_id').notNullable();
    t.timestamp('used_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider_id', 'assertion_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sso_used_assertions');
  await knex.schema.dropTable('sso_saml_requests');
  await knex.schema.dropTable('external_identities');
  await knex.schema.dropTable('identity_providers');
}
