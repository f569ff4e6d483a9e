import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_roles', (t) => {
    t.text('id').primary();
    t.text('name_sv').notNullable();
    t.text('name_en').notNullable();
    t.integer('sort').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.text('email').notNullable();
    t.text('name').notNullable();
    t.text('password_hash').notNullable();
    t.integer('unit_id').references('units.id').onDelete('restrict');
    t.text('job_role').references('job_roles.id').onUpdate('cascade');
    t.text('content_variant').notNullable().defaultTo('standard');
    t.text('ui_language').notNullable().defaultTo('sv');
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('last_login_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['unit_id', 'job_role']);
  });
  await knex.raw('create unique index users_email_unique on users (lower(email))');
  await knex.raw(
    `alter table users add constraint users_content_variant_check check (content_variant in ('standard', 'easy'))`,
  );
  await knex.raw(
    `alter table users add constraint users_ui_language_check check (ui_language in ('sv', 'en'))`,
  );

  await knex.schema.createTable('permissions', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('cascade');
    t.text('kind').notNullable();
    t.integer('organisation_id').references('organisations.id').onDelete('cascade');
    t.integer('unit_id').references('units.id').onDelete('cascade');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
  });
  await knex.raw(`alter table permissions add constraint permissions_kind_check
    check (kind in ('learner', 'educator', 'manager', 'booker', 'admin', 'reviewer'))`);
  // A manager is scoped to an organisation or a unit; a booker to an organisation; the others to nothing.
  await knex.raw(`alter table permissions add constraint permissions_scope_check check (
    (kind = 'manager' and (organisation_id is not null) <> (unit_id is not null))
    or (kind = 'booker' and organisation_id is not null and unit_id is null)
    or (kind in ('learner', 'educator', 'admin', 'reviewer') and organisation_id is null and unit_id is null))`);
  await knex.raw(`create unique index permissions_unique on permissions
    (user_id, kind, coalesce(organisation_id, 0), coalesce(unit_id, 0))`);

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.integer('actor_id').references('users.id').onDelete('set null');
    t.text('action').notNullable();
    t.text('subject').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['subject']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('permissions');
  await knex.schema.dropTable('users');
  await knex.schema.dropTable('job_roles');
}
