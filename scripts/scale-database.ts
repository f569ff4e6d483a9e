/** The database the scale scripts use: DATABASE_URL, else the embedded PostgreSQL in DATA_DIR (as `npm start`). */
import { loadConfig } from '../server/config';
import { importCourses } from '../server/courses/courses-composition';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/db/embedded-postgres';
import { createKnex, migrateLatest } from '../server/db/knex';

export async function openScaleDatabase(poolMax = 4) {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'hjalpmedelsskolan' });
    url = embedded.url;
  }
  const db = createKnex(url, poolMax);
  await migrateLatest(db, config.migrationsDir, config.codeExtension);
  await importCourses(db, config.coursesDir);
  return {
    config,
    db,
    url,
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
