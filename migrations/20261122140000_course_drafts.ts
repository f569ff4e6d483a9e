import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One working draft per course, edited in the browser; learners only ever see published versions.
  await knex.schema.createTable('course_drafts', (t) => {
    t.increments('id');
    t.integer('course_id').notNullable().unique().references('courses.id').onDelete('cascade');
    t.integer('based_on_version_id').references('course_versions.id').onDelete('set null');
    t.jsonb('content').notNullable();
    // Edit counters per part of the draft ("facts", "lesson:<id>", "question:<id>"), so two educators
    // editing the same lesson are told of the conflict instead of overwriting each other.
    t.jsonb('revisions').notNullable().defaultTo('{}');
    t.integer('updated_by').references('users.id').onDelete('set null');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // The hash of the courses/ folder content last imported, so a course edited in the app is not
  // overwritten at the next start unless its files changed since (then the newer files win).
  await knex.schema.alterTable('courses', (t) => {
    t.text('imported_hash');
  });
  await knex.raw(
    'update courses c set imported_hash = (select content_hash from course_versions v where v.course_id = c.id order by version desc limit 1)',
  );
  await knex.schema.createTable('content_imports', (t) => {
    t.text('key').primary();
    t.text('hash').notNullable();
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('lesson_comments', (t) => {
    t.increments('id');
    t.integer('course_id').notNullable().references('courses.id').onDelete('cascade');
    t.text('lesson_id').notNullable();
    t.integer('author_id').references('users.id').onDelete('set null');
    t.text('body').notNullable();
    t.integer('resolved_by').references('users.id').onDelete('set null');
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['course_id', 'lesson_id']);
  });
  await knex.raw(
    `alter table lesson_comments add constraint lesson_comments_body_check check (length(body) between 1 and 4000)`,
  );

  // A reviewer is a reviewer of one course.
  await knex.schema.alterTable('permissions', (t) => {
    t.integer('course_id').references('courses.id').onDelete('cascade');
  });
  await knex.raw('alter table permissions drop constraint permissions_scope_check');
  await knex.raw(`alter table permissions add constraint permissions_scope_check check (
    (kind = 'manager' and (organisation_id is not null) <> (unit_id is not null) and course_id is null)
    or (kind = 'booker' and organisation_id is not null and unit_id is null and course_id is null)
    or (kind = 'reviewer' and course_id is not null and organisation_id is null and unit_id is null)
    or (kind in ('learner', 'educator', 'admin') and organisation_id is null and unit_id is null and course_id is null))`);
  await knex.raw('drop index permissions_unique');
  await knex.raw(`create unique index permissions_unique on permissions
    (user_id, kind, coalesce(organisation_id, 0), coalesce(unit_id, 0), coalesce(course_id, 0))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index permissions_unique');
  await knex.raw('alter table permissions drop constraint permissions_scope_check');
  await knex.raw(`delete from permissions where kind = 'reviewer'`);
  await knex.schema.alterTable('permissions', (t) => t.dropColumn('course_id'));
  await knex.raw(`alter table permissions add constraint permissions_scope_check check (
    (kind = 'manager' and (organisation_id is not null) <> (unit_id is not null))
    or (kind = 'booker' and organisation_id is not null and unit_id is null)
    or (kind in ('learner', 'educator', 'admin', 'reviewer') and organisation_id is null and unit_id is null))`);
  await knex.raw(
    `create unique index permissions_unique on permissions (user_id, kind, coalesce(organisation_id, 0), coalesce(unit_id, 0))`,
  );
  await knex.schema.dropTable('lesson_comments');
  await knex.schema.dropTable('content_imports');
  await knex.schema.alterTable('courses', (t) => t.dropColumn('imported_hash'));
  await knex.schema.dropTable('course_drafts');
}
