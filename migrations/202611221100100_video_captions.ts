import type { Knex } from 'knex';

// Captions of a film in standard and easy Swedish, one row per cue so the cue editor changes one line
// at a time. WebVTT is rendered from these rows; an uploaded SRT is converted on the way in.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('video_captions', (t) => {
    t.integer('video_id').notNullable().references('videos.id').onDelete('cascade');
    t.text('variant').notNullable();
    t.text('source_format').notNullable();
    t.integer('uploaded_by').references('users.id').onDelete('set null');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['video_id', 'variant']);
  });
  await knex.raw(
    `alter table video_captions add constraint video_captions_variant_check check (variant in ('standard', 'easy'))`,
  );
  await knex.raw(
    `alter table video_captions add constraint video_captions_format_check check (source_format in ('vtt', 'srt'))`,
  );

  await knex.schema.createTable('video_cues', (t) => {
    t.increments('id');
    t.integer('video_id').notNullable();
    t.text('variant').notNullable();
    t.integer('start_ms').notNullable();
    t.integer('end_ms').notNullable();
    t.text('text').notNullable();
    t.foreign(['video_id', 'variant'])
      .references(['video_id', 'variant'])
      .inTable('video_captions')
      .onDelete('cascade');
    t.index(['video_id', 'variant', 'start_ms']);
  });
  await knex.raw(
    `alter table video_cues add constraint video_cues_time_check check (start_ms >= 0 and end_ms > start_ms)`,
  );
  await knex.raw(
    `alter table video_cues add constraint video_cues_text_check check (length(btrim(text)) between 1 and 500 and position('-->' in text) = 0 and position(E'\n\n' in text) = 0)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('video_cues');
  await knex.schema.dropTable('video_captions');
}
