import type { Knex } from 'knex';

// The video library: one row per film, with the state of its transcoding job and the WCAG 1.2.5
// statement. Files live under MEDIA_DIR/videos/<id>/ with server-chosen names only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('videos', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.text('title').notNullable();
    // Null: every logged-in learner of a course that shows the film; else only that organisation's people.
    t.integer('audience_organisation_id').references('organisations.id').onDelete('restrict');
    // A stand-in made by `npm run media:samples` until HMC records its own film.
    t.boolean('placeholder').notNullable().defaultTo(false);
    t.text('original_name').notNullable();
    t.bigInteger('original_bytes').notNullable();
    t.text('original_format').notNullable();
    t.text('state').notNullable().defaultTo('queued');
    t.smallint('progress').notNullable().defaultTo(0);
    t.uuid('job_id');
    // Each run of the job gets a token; only the run holding the current token may write the result.
    t.uuid('run_token');
    t.integer('runs').notNullable().defaultTo(0);
    t.timestamp('heartbeat_at', { useTz: true });
    t.text('error_key');
    t.text('error_detail');
    // The finished web version: files web-<output_key>.mp4 and poster-<output_key>.jpg.
    t.uuid('output_key');
    t.integer('duration_ms');
    t.integer('width');
    t.integer('height');
    t.bigInteger('web_bytes');
    t.timestamp('transcoded_at', { useTz: true });
    t.text('audio_description');
    t.integer('described_video_id').references('videos.id').onDelete('restrict');
    t.integer('created_by').references('users.id').onDelete('set null');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['state']);
  });
  await knex.raw(
    `alter table videos add constraint videos_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80)`,
  );
  await knex.raw(
    `alter table videos add constraint videos_title_check check (length(btrim(title)) between 1 and 200)`,
  );
  await knex.raw(
    `alter table videos add constraint videos_state_check check (state in ('queued', 'processing', 'ready', 'failed'))`,
  );
  await knex.raw(
    `alter table videos add constraint videos_progress_check check (progress between 0 and 100)`,
  );
  await knex.raw(`alter table videos add constraint videos_ready_check check (
    state <> 'ready' or (output_key is not null and duration_ms > 0 and width > 0 and height > 0 and transcoded_at is not null))`);
  await knex.raw(`alter table videos add constraint videos_audio_description_check check (
    (audio_description is null and described_video_id is null)
    or (audio_description = 'in_soundtrack' and described_video_id is null)
    or (audio_description = 'described_version' and described_video_id is not null and described_video_id <> id))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('videos');
}
