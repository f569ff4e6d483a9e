/** The account-safety migration rolls back and applies again, and counts existing accounts as verified. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { buildPerson } from '../support/test-app';

const migration = createRequire(__filename)(
  path.join(__dirname, '..', '..', 'migrations', '202612020500000_account_safety.ts'),
) as Knex.Migration;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

describe('migration 202612020500000_account_safety', () => {
  it('rolls back and applies again; accounts that existed count as verified', async () => {
    const db = database.db;
    await migration.down!(db);
    expect(await db.schema.hasTable('rate_limit_counters')).toBe(false);
    expect(await db.schema.hasColumn('users', 'email_verified_at')).toBe(false);
    const before = await buildPerson(db, { jobRole: null });
    await migration.up(db);
    expect((await db('users').where({ id: before.id }).first()).email_verified_at).not.toBeNull();
    expect(await db.schema.hasColumn('outbox_messages', 'user_id')).toBe(true);
    expect(await db.schema.hasColumn('training_participants', 'confirmed_at')).toBe(true);
  });
});
