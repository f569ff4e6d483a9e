/** The bookings and billing migrations roll back and forward cleanly (each has a working `down`). */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../support/database';

const loadModule = createRequire(__filename);

const dir = path.join(__dirname, '..', '..', 'migrations');
const ours = fs
  .readdirSync(dir)
  .filter((f) => f.startsWith('20261122120') && f.endsWith('.ts'))
  .sort();

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

const tables = async (db: Knex) =>
  (await db.raw(`select tablename from pg_tables where schemaname = 'public'`)).rows.map(
    (r: { tablename: string }) => r.tablename,
  );

describe('migrations 20261122120*', () => {
  it('are six, one concern each', () => {
    expect(ours.map((f) => f.replace(/^\d+_/, ''))).toEqual([
      'billing_party_details.ts',
      'training_offerings.ts',
      'training_orders.ts',
      'price_list.ts',
      'invoices.ts',
      'billing_settings.ts',
    ]);
  });

  it('roll back in reverse order and apply again', async () => {
    const db = database.db;
    const mine = [
      'organisation_billing_details',
      'training_offerings',
      'training_offering_roles',
      'training_orders',
      'training_participants',
      'price_articles',
      'price_list_entries',
      'invoice_number_series',
      'invoices',
      'invoice_lines',
      'billing_settings',
    ];
    expect(await tables(db)).toEqual(expect.arrayContaining(mine));
    for (const file of [...ours].reverse())
      await (loadModule(path.join(dir, file)) as Required<Knex.Migration>).down(db);
    const after = await tables(db);
    expect(after.filter((name: string) => mine.includes(name))).toEqual([]);
    expect(after).toEqual(expect.arrayContaining(['organisations', 'completions', 'outbox_messages']));
    for (const file of ours) await (loadModule(path.join(dir, file)) as Knex.Migration).up(db);
    expect(await tables(db)).toEqual(expect.arrayContaining(mine));
    expect((await db('price_list_entries').where({ article_code: 'full_day' }).first()).unit_price_ore).toBe(
      500000,
    );
  });
});
