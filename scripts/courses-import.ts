/** Imports courses/ into the database by hand (the app also does it at every start): `npm run courses:import`. */
import { loadConfig } from '../server/config';
import { ContentImportError } from '../server/courses/content-import';
import { importCourses } from '../server/courses/courses-composition';
import { formatReadabilityTable } from '../server/courses/readability-rules';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { createKnex, migrateLatest } from '../server/db/knex';

async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'hjalpmedelsskolan' });
  const db = createKnex(config.databaseUrl ?? embedded!.url, 2);
  try {
    await migrateLatest(db, config.migrationsDir, config.codeExtension);
    const report = await importCourses(db, config.coursesDir);
    console.log(formatReadabilityTable(report.readability));
    console.log(
      `Nya: ${report.created.join(', ') || '–'}. Ändrade: ${report.updated.join(', ') || '–'}. Oförändrade: ${report.unchanged.length}. Yrkesroller: ${report.tracks}.`,
    );
  } catch (error) {
    console.error(error instanceof ContentImportError ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

void main();
