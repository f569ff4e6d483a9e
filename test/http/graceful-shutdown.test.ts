/**
 * SIGTERM on a real node (server/main.ts in a child process, on its own test database): a request in
 * flight is finished, new connections are refused at once, everything is closed and the exit code is 0.
 * Requests whose clients have left still finish their database work before the pool closes.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../support/database';
import { FIXTURE_COURSES } from '../support/test-app';

const root = path.join(__dirname, '..', '..');

/** Resolves when `socket` connects, rejects with its error code when it cannot. */
const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code));
    });
  });

/** server/main.ts as a child process on a database of its own; `waitFor` watches its log. */
async function startNode(env: Record<string, string>) {
  const database = await createTestDatabase();
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'server', 'main.ts')],
    {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        COURSES_DIR: FIXTURE_COURSES,
        PORT: '0',
        LOG_LEVEL: 'info',
        DEMO_DATA: 'no',
        VIDEO_WORKER: 'yes',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const node = {
    child,
    database,
    output: '',
    exited: new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    ),
  };
  child.stdout.on('data', (c) => (node.output += c));
  child.stderr.on('data', (c) => (node.output += c));
  const waitFor = (pattern: RegExp, ms: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no ${pattern} within ${ms} ms:\n${node.output}`));
      }, ms);
      const poll = setInterval(() => {
        const match = pattern.exec(node.output);
        if (match) {
          clearTimeout(timer);
          clearInterval(poll);
          resolve(match);
        }
      }, 50);
    });
  const port = Number((await waitFor(/is running.*"port":(\d+)/, 90_000))[1]);
  return {
    ...node,
    port,
    waitFor,
    get output() {
      return node.output;
    },
  };
}

it('finishes the request in flight, refuses new connections and exits 0 on SIGTERM', async () => {
  const node = await startNode({ SHUTDOWN_GRACE_SECONDS: '10' });
  const { child, port, waitFor } = node;
  try {
    // A slow request: its headers now, its body only after SIGTERM.
    const body = 'email=a%40b.se&password=x';
    const slow = await connect(port);
    let response = '';
    slow.on('data', (c) => (response += c));
    const closed = new Promise<void>((resolve) =>
      slow.once('close', () => {
        resolve();
      }),
    );
    slow.write(
      `POST /logga-in HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: slow-1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((r) => setTimeout(r, 300));

    child.kill('SIGTERM');
    await waitFor(/"msg":"Shutting down"/, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    // The port is closed at once: a new connection is refused.
    await expect(connect(port)).rejects.toThrow('ECONNREFUSED');

    // The request in flight still gets its whole answer (403: it carries no CSRF token), then its keep-alive
    // connection is closed by the node (`closed` resolves).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(child.exitCode).toBeNull();
    slow.end(body.slice(5));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 403 /);
    expect(response).toMatch(/\r\nx-request-id: slow-1\r\n/i);
    expect(response).toMatch(/<\/html>\s*$/);

    expect(await node.exited).toBe(0);
    expect(node.output).toContain('"msg":"Stopped"');
    expect(node.output).not.toContain('cut off');
    expect(node.output).toMatch(/"requestId":"slow-1".*"status":403/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await node.database.drop();
  }
}, 150_000);

it('lets requests whose clients left finish their queries before closing the pool', async () => {
  const secret = 'graceful-shutdown-test-secret-0000000000000001';
  const node = await startNode({ SHUTDOWN_GRACE_SECONDS: '10', SESSION_SECRET: secret });
  const lock = new pg.Client({ connectionString: node.database.url });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    await lock.connect();
    // Every session read waits behind this lock: ten requests hold the pool's connections, two wait for one.
    await lock.query('begin');
    await lock.query('lock table sessions in access exclusive mode');
    const sid = 'a-session-nobody-has';
    const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
    const cookie = `hms.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
    const sockets = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const socket = await connect(node.port);
        socket.on('error', () => undefined);
        socket.write(
          `GET / HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: gone-${i}\r\nCookie: ${cookie}\r\n\r\n`,
        );
        return socket;
      }),
    );
    await sleep(500);
    // The clients leave, then the node is told to stop: the port closes at once (no connection is left).
    sockets.forEach((socket) => socket.destroy());
    await sleep(200);
    node.child.kill('SIGTERM');
    await node.waitFor(/"msg":"Shutting down"/, 5_000);
    await sleep(500);
    expect(node.child.exitCode).toBeNull();
    await lock.query('commit');

    expect(await node.exited).toBe(0);
    expect(node.output).toContain('"msg":"Stopped"');
    // Before issue 13's third round the pool was destroyed under them: "Error: aborted", status 500.
    expect(node.output).not.toContain('"level":"error"');
    expect(node.output).not.toContain('cut off');
  } finally {
    await lock.end().catch(() => undefined);
    if (node.child.exitCode === null) node.child.kill('SIGKILL');
    await node.database.drop();
  }
}, 150_000);

it('cuts a request that outlasts SHUTDOWN_GRACE_SECONDS and still exits 0 soon after', async () => {
  const node = await startNode({ SHUTDOWN_GRACE_SECONDS: '2' });
  try {
    const stuck = await connect(node.port);
    const closed = new Promise<void>((resolve) =>
      stuck.once('close', () => {
        resolve();
      }),
    );
    stuck.on('error', () => undefined);
    // A body that never comes.
    stuck.write(
      'POST /logga-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=',
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    node.child.kill('SIGTERM');
    await closed;
    expect(await node.exited).toBe(0);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(1.9);
    expect(seconds).toBeLessThan(10);
    expect(node.output).toContain('cut off');
  } finally {
    if (node.child.exitCode === null) node.child.kill('SIGKILL');
    await node.database.drop();
  }
}, 150_000);

it('stops with exit code 1 and a clear message when the port is taken', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, resolve));
  const taken = String((blocker.address() as net.AddressInfo).port);
  const database = await createTestDatabase();
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'server', 'main.ts')],
    {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        COURSES_DIR: FIXTURE_COURSES,
        PORT: taken,
        LOG_LEVEL: 'info',
        DEMO_DATA: 'no',
        VIDEO_WORKER: 'no',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  try {
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c) => {
        resolve(c);
      }),
    );
    expect(code).toBe(1);
    expect(output).toContain(`Could not listen on port ${taken}`);
    expect(output).not.toContain('TypeError');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    blocker.close();
    await database.drop();
  }
}, 120_000);
