/**
 * `npm run media:samples`: a placeholder film for each shipped course, made from the course's own key
 * points and put through the app's own pipeline (content check, transcoding job, captions in both
 * variants, WCAG 1.2.5 statement). The film says the easy key points; both caption tracks transcribe
 * exactly what is said. Films that already exist are left alone (`--force` remakes them, e.g. after this
 * change, so old films with captions that did not match the sound are replaced).
 * Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR like `npm start` (stop the app first).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { loadCoursesFolder } from '../server/courses/content-import';
import { importCourses } from '../server/courses/courses-composition';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/db/embedded-postgres';
import { createKnex, migrateLatest } from '../server/db/knex';
import { createLogger } from '../server/logger';
import { createServices } from '../server/services';
import { findFont, renderSampleFilm, sampleSlug } from '../server/videos/sample-films';

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const logger = createLogger(config.logLevel);
  const font = findFont();
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    try {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'hjalpmedelsskolan' });
    } catch (error) {
      throw new Error(
        `Could not start the embedded PostgreSQL in ${config.dataDir} (is the app running? stop it, or set DATABASE_URL): ${(error as Error).message}`,
        { cause: error },
      );
    }
    url = embedded.url;
  }
  const db = createKnex(url, 4);
  const services = createServices(config, db, logger);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-samples-'));
  try {
    await migrateLatest(db, config.migrationsDir, config.codeExtension);
    await importCourses(db, config.coursesDir);
    const { courses } = loadCoursesFolder(config.coursesDir);
    await services.transcodeQueue.startWorker({ pollingIntervalSeconds: 1 });
    for (const { content } of courses) {
      const slug = sampleSlug(content.slug);
      const existing = await services.videos.bySlug(slug);
      if (existing && !force) {
        console.log(`${slug}: finns redan (${existing.state}), hoppar över`);
        continue;
      }
      const started = Date.now();
      const { film, vtt } = await renderSampleFilm(
        services.mediaTools,
        content,
        path.join(work, content.slug),
        { font },
      );
      // --force: the old film keeps its files under a new short name; the lessons get the new one.
      if (existing)
        await db('videos')
          .where({ id: existing.id })
          .update({ slug: `${slug}-gammal-${existing.id}` });
      const upload = path.join(services.mediaStorage.uploadsDir, `${slug}.sample`);
      await services.mediaStorage.ensureDirs();
      fs.copyFileSync(film, upload);
      const created = await services.videosService.createFromUpload(
        null,
        { title: `Exempelfilm: ${content.title.standard}`, slug, audience: null, placeholder: true },
        { path: upload, originalName: path.basename(film), size: fs.statSync(upload).size },
      );
      if (!created.ok) throw new Error(`${slug}: ${JSON.stringify(created.errors)}`);
      const id = created.video.id;
      for (const variant of ['standard', 'easy'] as const) {
        const result = await services.videosService.uploadCaptions(
          null,
          id,
          variant,
          Buffer.from(vtt[variant], 'utf8'),
        );
        if (!result.ok) throw new Error(`${slug} ${variant} captions: ${JSON.stringify(result.problems)}`);
      }
      // The narration reads every card aloud: all visual information is in the sound track.
      await services.videos.setAudioDescription(id, 'in_soundtrack', null);
      for (;;) {
        const video = await services.videos.byId(id);
        if (video?.state === 'ready') {
          console.log(
            `${slug}: klar, ${(video.durationMs! / 1000).toFixed(1)} s film, ${video.width}×${video.height}, på ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
          break;
        }
        if (video?.state === 'failed')
          throw new Error(`${slug}: transcoding failed: ${video.errorKey} ${video.errorDetail ?? ''}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await services.transcodeQueue.stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
    await db.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error));
  process.exit(1);
});
