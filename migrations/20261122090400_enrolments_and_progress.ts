import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One enrolment per round of a course; a learner repeating the course every year gets a new one.
  await knex.schema.createTable('enrolments', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('cascade');
    t.integer('course_id').notNullable().references('courses.id').onDelete('restrict');
    t.integer('course_version_id').notNullable().references('course_versions.id').onDelete('restrict');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.index(['user_id', 'course_id']);
    t.index(['course_id', 'started_at']);
  });
  await knex.raw(
    `create unique index enrolments_one_open on enrolments (user_id, course_id) where completed_at is null`,
  );

  await knex.schema.createTable('lesson_progress', (t) => {
    t.integer('enrolment_id').notNullable().references('enrolments.id').onDelete('cascade');
    t.text('lesson_id').notNullable();
    t.timestamp('completed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['enrolment_id', 'lesson_id']);
  });

  await knex.schema.createTable('quiz_attempts', (t) => {
    t.increments('id');
    t.integer('enrolment_id').notNullable().references('enrolments.id').onDelete('cascade');
    t.integer('number').notNullable();
    // The drawn questions in order with each question's shuffled option order.
    t.jsonb('questions').notNullable();
    t.integer('question_count').notNullable();
    t.integer('correct_count');
    t.boolean('passed');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('submitted_at', { useTz: true });
    t.unique(['enrolment_id', 'number']);
  });
  await knex.raw(
    `create unique index quiz_attempts_one_open on quiz_attempts (enrolment_id) where submitted_at is null`,
  );
  await knex.raw(`alter table quiz_attempts add constraint quiz_attempts_graded_check
    check ((submitted_at is null) = (passed is null) and (submitted_at is null) = (correct_count is null))`);

  await knex.schema.createTable('quiz_answers', (t) => {
    t.integer('attempt_id').notNullable().references('quiz_attempts.id').onDelete('cascade');
    t.text('question_id').notNullable();
    t.specificType('selected', 'text[]').notNullable();
    // When the learner gave the answer (the browser's clock when it says, else the server's);
    // a save that is older than the stored one never overwrites it.
    t.timestamp('answered_at', { useTz: true }).notNullable();
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('is_correct');
    t.primary(['attempt_id', 'question_id']);
  });

  // A completion is the learner's proof: from an e-course (with its enrolment) or a classroom training.
  await knex.schema.createTable('completions', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('cascade');
    t.integer('course_id').notNullable().references('courses.id').onDelete('restrict');
    t.integer('course_version_id').references('course_versions.id').onDelete('restrict');
    t.integer('enrolment_id').unique().references('enrolments.id').onDelete('cascade');
    t.text('kind').notNullable().defaultTo('elearning');
    t.timestamp('completed_at', { useTz: true }).notNullable();
    t.timestamp('valid_until', { useTz: true }).notNullable();
    t.text('verification_code').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'course_id', 'completed_at']);
  });
  await knex.raw(
    `alter table completions add constraint completions_kind_check check (kind in ('elearning', 'classroom'))`,
  );
  await knex.raw(
    `alter table completions add constraint completions_validity_check check (valid_until > completed_at)`,
  );

  await knex.schema.createTable('evaluations', (t) => {
    t.increments('id');
    t.integer('enrolment_id').notNullable().unique().references('enrolments.id').onDelete('cascade');
    t.smallint('useful').notNullable();
    t.smallint('matches_description').notNullable();
    t.text('comment');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table evaluations add constraint evaluations_scale_check
    check (useful between 1 and 4 and matches_description between 1 and 4)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('evaluations');
  await knex.schema.dropTable('completions');
  await knex.schema.dropTable('quiz_answers');
  await knex.schema.dropTable('quiz_attempts');
  await knex.schema.dropTable('lesson_progress');
  await knex.schema.dropTable('enrolments');
}
