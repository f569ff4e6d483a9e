import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('courses', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.text('area').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('retired_at', { useTz: true });
  });

  // Each published state of a course is an immutable version holding the whole content as JSON.
  await knex.schema.createTable('course_versions', (t) => {
    t.increments('id');
    t.integer('course_id').notNullable().references('courses.id').onDelete('restrict');
    t.integer('version').notNullable();
    t.text('content_hash').notNullable();
    t.jsonb('content').notNullable();
    t.text('source').notNullable().defaultTo('import');
    t.text('change_note');
    t.boolean('significant').notNullable().defaultTo(false);
    t.integer('published_by').references('users.id').onDelete('set null');
    t.timestamp('published_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['course_id', 'version']);
  });
  await knex.raw(
    `alter table course_versions add constraint course_versions_version_check check (version > 0)`,
  );

  // Images and other course files, stored by content hash so every version can point to its own.
  await knex.schema.createTable('course_assets', (t) => {
    t.text('sha256').primary();
    t.text('content_type').notNullable();
    t.binary('bytes').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('track_courses', (t) => {
    t.text('job_role').notNullable().references('job_roles.id').onDelete('cascade').onUpdate('cascade');
    t.integer('course_id').notNullable().references('courses.id').onDelete('cascade');
    t.text('requirement').notNullable();
    t.integer('repeat_months');
    // The order courses.yaml lists them in, which is the order learners see them in.
    t.integer('position').notNullable().defaultTo(0);
    t.primary(['job_role', 'course_id']);
  });
  await knex.raw(`alter table track_courses add constraint track_courses_requirement_check
    check (requirement in ('required', 'recommended'))`);
  await knex.raw(`alter table track_courses add constraint track_courses_repeat_check
    check (repeat_months is null or repeat_months between 1 and 120)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('track_courses');
  await knex.schema.dropTable('course_assets');
  await knex.schema.dropTable('course_versions');
  await knex.schema.dropTable('courses');
}
