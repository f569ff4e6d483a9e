import type { Knex } from 'knex';

// Classroom trainings HMC offers to order: texts in standard and easy Swedish, length, where it can be
// held, how many it takes, and optionally the e-course whose completion it gives.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('training_offerings', (t) => {
    t.increments('id');
    t.text('title_standard').notNullable();
    t.text('title_easy').notNullable();
    t.text('description_standard').notNullable();
    t.text('description_easy').notNullable();
    t.text('area').notNullable();
    t.text('length').notNullable();
    t.boolean('at_hmc').notNullable().defaultTo(true);
    t.boolean('at_workplace').notNullable().defaultTo(false);
    t.boolean('digital').notNullable().defaultTo(false);
    t.integer('max_participants').notNullable();
    t.integer('course_id').references('courses.id').onDelete('set null');
    t.boolean('published').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table training_offerings add constraint training_offerings_area_check
    check (area in ('grund', 'forflyttning', 'trycksar', 'inkontinens', 'kognition', 'kommunikation', 'ledning', 'skola', 'medicinska'))`);
  await knex.raw(
    `alter table training_offerings add constraint training_offerings_length_check check (length in ('half_day', 'full_day'))`,
  );
  await knex.raw(
    `alter table training_offerings add constraint training_offerings_place_check check (at_hmc or at_workplace or digital)`,
  );
  await knex.raw(
    `alter table training_offerings add constraint training_offerings_max_check check (max_participants between 1 and 100)`,
  );
  await knex.raw(`alter table training_offerings add constraint training_offerings_texts_check check (
    btrim(title_standard) <> '' and btrim(title_easy) <> '' and btrim(description_standard) <> '' and btrim(description_easy) <> '')`);

  await knex.schema.createTable('training_offering_roles', (t) => {
    t.integer('offering_id').notNullable().references('training_offerings.id').onDelete('cascade');
    t.text('job_role').notNullable().references('job_roles.id').onDelete('cascade').onUpdate('cascade');
    t.primary(['offering_id', 'job_role']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('training_offering_roles');
  await knex.schema.dropTable('training_offerings');
}
