/**
 * Starts one real PostgreSQL for the whole run (embedded, fresh data folder) and builds a template
 * database with every migration; each test file clones it into a database of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { createKnex, migrateLatest } from '../../server/db/knex';
import { urlForDatabase } from './database';

export const TEMPLATE_DB = 'hms_template';

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-test-'));
    const db = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
    (globalThis as Record<string, unknown>).__HMS_DB__ = { stop: db.stop, dataDir };
    adminUrl = db.url;
  }
  process.env.HMS_TEST_ADMIN_URL = adminUrl;
  const admin = createKnex(adminUrl, 2);
  await admin.raw(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await admin.raw(`create database ${TEMPLATE_DB}`);
  await admin.destroy();
  const template = createKnex(urlForDatabase(adminUrl, TEMPLATE_DB), 2);
  await migrateLatest(template, path.join(__dirname, '..', '..', 'migrations'), '.ts');
  await template.destroy();
}
