/** A database of its own for each test file, cloned from the migrated template. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex } from '../../server/db/knex';

export interface TestDatabase {
  url: string;
  db: Knex;
  drop(): Promise<void>;
}

/** The same server's URL for another database (the query, e.g. `?host=/tmp` for the socket, is kept). */
export function urlForDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The database a URL names. */
export const databaseOf = (url: string): string => new URL(url).pathname.slice(1);

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.HMS_TEST_ADMIN_URL;
  if (!adminUrl)
    throw new Error('HMS_TEST_ADMIN_URL is not set: run the tests with jest (globalSetup starts PostgreSQL)');
  const name = `hms_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = createKnex(adminUrl, 1);
  await admin.raw(`create database ${name} template hms_template`);
  await admin.destroy();
  const url = urlForDatabase(adminUrl, name);
  const db = createKnex(url, 5);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      const a = createKnex(adminUrl, 1);
      await a.raw(`drop database if exists ${name} with (force)`);
      await a.destroy();
    },
  };
}
