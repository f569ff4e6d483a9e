/**
 * A crash is not an outage: after the app is killed (kill -9, out of memory) its embedded PostgreSQL
 * keeps running as an orphan, or its postmaster.pid stays behind; the next start must still work.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { isPostgresOf } from '../../server/db/embedded-postgres';

const root = path.join(__dirname, '..', '..');

interface Started {
  url: string;
  output(): string;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
}

/** The embedded PostgreSQL started as the app starts it, in a node process of its own. */
function startInChild(dataDir: string): Promise<Started> {
  // One process, as `node dist/server/main.js` is: the tsx CLI would put a second node between us and it.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'embedded-child.ts'), dataDir],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c) => (output += c));
    child.stdout.on('data', (c) => {
      output += c;
      const url = /READY (\S+)/.exec(output)?.[1];
      if (url) {
        resolve({
          url,
          output: () => output,
          kill: (signal) =>
            new Promise((done) => {
              child.once('exit', (code) => {
                done(code);
              });
              child.kill(signal);
            }),
        });
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`child exited ${code}:\n${output}`));
    });
  });
}

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select 1 as one')).rows[0].one;
  } finally {
    await client.end();
  }
}

const clusterOf = (dataDir: string) => path.join(dataDir, 'postgres');
const pidIn = (dataDir: string) =>
  Number(fs.readFileSync(path.join(clusterOf(dataDir), 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('starting after a crash', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-crash-'))));
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the orphaned PostgreSQL of a killed app and starts healthy', async () => {
    const first = await startInChild(dataDir);
    expect(await selectOne(first.url)).toBe(1);
    await first.kill('SIGKILL');
    // The app is gone, its PostgreSQL is not: that is the orphan every later start tripped over.
    const orphan = pidIn(dataDir);
    expect(isPostgresOf(orphan, clusterOf(dataDir))).toBe(true);

    const second = await startInChild(dataDir);
    try {
      expect(await selectOne(second.url)).toBe(1);
      expect(isPostgresOf(orphan, clusterOf(dataDir))).toBe(false);
      expect(pidIn(dataDir)).not.toBe(orphan);
      expect(second.output()).toContain(
        `WARN An embedded PostgreSQL (pid ${orphan}) from an earlier run is still running`,
      );
    } finally {
      expect(await second.kill('SIGTERM')).toBe(0);
    }
    expect(fs.existsSync(path.join(clusterOf(dataDir), 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('starts over a postmaster.pid whose process is gone, or whose pid now belongs to another program', async () => {
    expect(await (await startInChild(dataDir)).kill('SIGTERM')).toBe(0);
    const pidFile = path.join(clusterOf(dataDir), 'postmaster.pid');
    // A pid no process has, and (pid reused after a reboot) this test's own node process, which is no postgres.
    for (const pid of [4_194_000, process.pid]) {
      expect(isPostgresOf(pid, clusterOf(dataDir))).toBe(false);
      fs.writeFileSync(pidFile, `${pid}\n${clusterOf(dataDir)}\n1700000000\n5432\n`);
      const again = await startInChild(dataDir);
      try {
        expect(await selectOne(again.url)).toBe(1);
        expect(again.output()).not.toContain('WARN');
      } finally {
        expect(await again.kill('SIGTERM')).toBe(0);
      }
    }
  }, 120_000);
});
