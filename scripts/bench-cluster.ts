/**
 * `npm run bench:cluster` (issue 15): PostgreSQL, three app nodes in production mode and Debian's nginx as
 * the load balancer, all on 127.0.0.1. Simulated learners go through nginx (log in, open the course, read
 * and tick off every lesson, save each quiz answer with the page script's JSON save, hand in, read the
 * result, log out) for 1, 2 and 3 nodes; in the 3-node run one node is SIGKILLed half way. It prints req/s,
 * p99 and failed requests per run, then checks that every answer the app acknowledged (2xx) is in the
 * database and that every reminder and summary went out exactly once (the scheduled job is run on every
 * live node at the same moment, by SIGUSR2, during the runs; mail goes to an SMTP server in this process).
 *
 *   npm run bench:cluster                            10 learners, 40 s per run
 *   npm run bench:cluster -- --learners=48 --seconds=60
 *   npm run bench:cluster -- --no-build              use dist/ as it is
 *   DATABASE_URL=postgres://… npm run bench:cluster   an empty database instead of the embedded one
 *
 * Everything it starts (nodes, nginx, PostgreSQL, the SMTP server, the temp folder) is stopped and removed
 * at the end, also after an error. The machine's load average is printed with every figure.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { hashPassword } from '../server/auth/passwords';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../server/db/embedded-postgres';
import { createKnex } from '../server/db/knex';
import { messageIdOf, startSmtpSink, type SmtpSink } from '../test/cluster/smtp-sink';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const LEARNERS = arg('learners', 10);
const SECONDS = arg('seconds', 40);
const BUILD = !process.argv.includes('--no-build');
const COURSE = 'forflyttning';
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const ROOT = path.resolve(__dirname, '..');
const PASSWORD = 'Bench-kluster-2026!';
const REMINDERS_PER_ROUND = 8;

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms: number) =>
  new Promise((r) => {
    setTimeout(r, ms);
  });
const log = (line: string) => {
  console.log(line);
};

// ---------------------------------------------------------------------------------------------- build

/** Builds dist/ when a source is newer than it (as `npm start` does). */
function buildIfNeeded() {
  const entry = path.join(ROOT, 'dist', 'server', 'main.js');
  const newest = (file: string): number => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return 0;
    if (!stat.isDirectory()) return stat.mtimeMs;
    return fs.readdirSync(file).reduce((max, n) => Math.max(max, newest(path.join(file, n))), stat.mtimeMs);
  };
  const built = fs.statSync(entry, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = ['server', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
  if (built && sources.every((s) => newest(path.join(ROOT, s)) <= built)) return;
  if (!BUILD) throw new Error('dist/ is missing or older than the sources; run without --no-build');
  const t = performance.now();
  log('Building dist/ (npm run build)…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  log(`Build: ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

// ---------------------------------------------------------------------------------------------- nodes

interface AppNode {
  name: string;
  port: number;
  child: ChildProcess;
  alive: boolean;
  /** CPU time used (ms), as last read. */
  cpu: number;
}

/** Fields of /proc/<pid>/stat after the command name (index 0 is the state). */
function procStat(pid: number): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return null;
  }
}
const TICK_MS = 10;

/** Reads a live node's CPU time (user + system) into node.cpu. */
function sampleCpu(node: AppNode): number {
  const f = node.alive && node.child.pid ? procStat(node.child.pid) : null;
  if (f) node.cpu = (Number(f[11]) + Number(f[12])) * TICK_MS;
  return node.cpu;
}

/** CPU time of the embedded PostgreSQL: the postmaster, its finished children and its live backends. */
function postgresCpu(dataDir: string | null): number {
  if (!dataDir) return 0;
  const pid = Number(
    fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const main = procStat(pid);
  if (!main) return 0;
  let ticks = Number(main[11]) + Number(main[12]) + Number(main[13]) + Number(main[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = procStat(Number(entry));
    if (f && Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * TICK_MS;
}

function startNode(name: string, port: number, env: NodeJS.ProcessEnv, logDir: string): AppNode {
  const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  const node = { name, port, child, alive: true, cpu: 0 };
  child.once('exit', () => (node.alive = false));
  return node;
}

async function ready(node: AppNode, logDir: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (!node.alive) {
      const tail = fs.readFileSync(path.join(logDir, `${node.name}.log`), 'utf8').slice(-2000);
      throw new Error(`${node.name} exited during start:\n${tail}`);
    }
    const ok = await fetch(`http://127.0.0.1:${node.port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return (performance.now() - started) / 1000;
    if (performance.now() - started > 180_000) throw new Error(`${node.name} not ready within 180 s`);
    await sleep(200);
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  // A function, not a narrowed field: the child may exit while we wait.
  const running = () => child.exitCode === null && child.signalCode === null;
  if (!running()) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, sleep(30_000)]);
  if (running()) child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------- nginx

function nginxConfig(dir: string, listen: number, nodes: AppNode[]): string {
  const servers = nodes.map((n) => `    server 127.0.0.1:${n.port} max_fails=1 fail_timeout=10s;`).join('\n');
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream hms {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://hms;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      # Passive health: a refused or timed-out connection goes to the next node, but only for
      # idempotent requests (nginx never resends a POST that reached a node).
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }
}
`;
}

class Nginx {
  child: ChildProcess | null = null;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Writes the config for these nodes; starts nginx the first time, reloads it (SIGHUP) after. */
  async use(nodes: AppNode[]): Promise<void> {
    const conf = path.join(this.dir, 'nginx.conf');
    fs.writeFileSync(conf, nginxConfig(this.dir, this.port, nodes));
    execFileSync(NGINX, ['-t', '-q', '-p', this.dir, '-c', conf, '-e', path.join(this.dir, 'error.log')]);
    if (!this.child) {
      this.child = spawn(NGINX, ['-p', this.dir, '-c', conf, '-e', path.join(this.dir, 'error.log')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    } else this.child.kill('SIGHUP');
    // Reloaded when a request answers through the new workers (old ones finish and go).
    await sleep(1500);
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${this.port}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`nginx does not answer:\n${fs.readFileSync(path.join(this.dir, 'error.log'), 'utf8')}`);
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGQUIT');
  }
}

// ---------------------------------------------------------------------------------------------- data

interface Seeded {
  learners: string[];
  reminderPeople: string[];
  managers: string[];
}

async function seed(db: Knex, passwordHash: string): Promise<{ seeded: Seeded; unitId: number }> {
  const [org] = await db('organisations')
    .insert({ name: 'Benchkommunen', kind: 'municipality' })
    .returning('id');
  const [unit] = await db('units')
    .insert({ organisation_id: org.id, name: 'Benchenheten', join_code: 'BENCH-KLUSTER' })
    .returning('id');
  const learners: string[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const email = `learner-${i}@bench.test`;
    const [u] = await db('users')
      .insert({
        email,
        name: `Bench Lärande ${i}`,
        password_hash: passwordHash,
        unit_id: unit.id,
        job_role: 'personlig-assistent',
      })
      .returning('id');
    await db('permissions').insert({ user_id: u.id, kind: 'learner' });
    learners.push(email);
  }
  // Managers who chose the monthly summary long ago: each gets this month's summary once.
  const managers: string[] = [];
  for (let i = 0; i < 4; i++) {
    const email = `manager-${i}@bench.test`;
    const [u] = await db('users')
      .insert({
        email,
        name: `Bench Chef ${i}`,
        password_hash: passwordHash,
        unit_id: unit.id,
        job_role: 'enhetschef',
      })
      .returning('id');
    await db('permissions').insert({ user_id: u.id, kind: 'manager', unit_id: unit.id });
    await db('manager_summary_subscriptions').insert({
      user_id: u.id,
      created_at: new Date(Date.now() - 40 * 86_400_000),
    });
    managers.push(email);
  }
  return { seeded: { learners, reminderPeople: [], managers }, unitId: unit.id };
}

let roundsSeeded = 0;
/** People whose required course (grunden) runs out within 60 days or has expired: one reminder each is due. */
async function seedReminderRound(db: Knex, unitId: number, passwordHash: string): Promise<string[]> {
  roundsSeeded += 1;
  const course = await db('courses as c')
    .join('course_versions as v', 'v.course_id', 'c.id')
    .where('c.slug', 'hjalpmedel-grunden')
    .orderBy('v.version', 'desc')
    .first('c.id', 'v.id as version_id');
  const offsets = [45, 20, 5, -3];
  const emails: string[] = [];
  for (let i = 0; i < REMINDERS_PER_ROUND; i++) {
    const email = `due-${roundsSeeded}-${i}@bench.test`;
    const [u] = await db('users')
      .insert({
        email,
        name: `Bench Påmind ${roundsSeeded}-${i}`,
        password_hash: passwordHash,
        unit_id: unitId,
        job_role: 'personlig-assistent',
      })
      .returning('id');
    await db('permissions').insert({ user_id: u.id, kind: 'learner' });
    const completed = new Date(Date.now() - 300 * 86_400_000);
    const [e] = await db('enrolments')
      .insert({
        user_id: u.id,
        course_id: course.id,
        course_version_id: course.version_id,
        started_at: completed,
        completed_at: completed,
      })
      .returning('id');
    await db('completions').insert({
      user_id: u.id,
      course_id: course.id,
      course_version_id: course.version_id,
      enrolment_id: e.id,
      kind: 'elearning',
      completed_at: completed,
      valid_until: new Date(Date.now() + offsets[i % offsets.length] * 86_400_000),
      verification_code: `BENCH-${roundsSeeded}-${i}-${Date.now()}`,
    });
    emails.push(email);
  }
  return emails;
}

// ---------------------------------------------------------------------------------------------- learners

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

interface Stats {
  latencies: number[];
  failed: number;
  failures: Map<string, number>;
  acknowledged: { attemptId: number; questionId: string; selected: string }[];
  rounds: number;
}

class Failed extends Error {}

/** One simulated learner: a browser-like client that keeps its session cookie and follows no redirects. */
class Learner {
  cookie = '';
  constructor(
    readonly base: string,
    readonly email: string,
    readonly stats: Stats,
  ) {}

  async send(
    method: 'GET' | 'POST',
    url: string,
    o: { form?: Record<string, string>; json?: boolean; csrf?: string } = {},
  ): Promise<{ status: number; location: string; text: string }> {
    const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.base + url, {
        method,
        redirect: 'manual',
        body,
        headers: {
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(this.cookie ? { cookie: this.cookie } : {}),
          ...(o.json ? { accept: 'application/json', 'x-csrf-token': o.csrf ?? '' } : {}),
        },
        signal: AbortSignal.timeout(30_000),
      });
      text = await res.text();
    } catch (error) {
      this.fail(`${method} ${url.replace(/\d+/g, ':n')}: ${(error as Error).name}`);
      throw new Failed();
    }
    this.stats.latencies.push(performance.now() - started);
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    if (res.status >= 400) {
      this.fail(`${method} ${url.replace(/\d+/g, ':n')}: ${res.status}`);
      throw new Failed();
    }
    return { status: res.status, location: res.headers.get('location') ?? '', text };
  }

  fail(what: string) {
    this.stats.failed += 1;
    this.stats.failures.set(what, (this.stats.failures.get(what) ?? 0) + 1);
  }

  /** One round: log in, course, lessons, quiz with JSON saves, hand in, result, log out. */
  async round(until: number): Promise<void> {
    const more = () => performance.now() < until;
    if (!this.cookie) {
      const form = await this.send('GET', '/logga-in');
      await this.send('POST', '/logga-in', {
        form: { _csrf: csrfIn(form.text), email: this.email, password: PASSWORD },
      });
    }
    const course = await this.send('GET', `/kurser/${COURSE}`);
    if (course.status !== 200) {
      // The login did not finish (its node died mid-request): log in again, as a person would.
      this.cookie = '';
      throw new Failed();
    }
    const csrf = csrfIn(course.text);
    const lessons = [
      ...new Set(
        [...course.text.matchAll(new RegExp(`/kurser/${COURSE}/lektioner/([a-z0-9-]+)`, 'g'))].map(
          (m) => m[1],
        ),
      ),
    ];
    await this.send('POST', `/kurser/${COURSE}/starta`, { form: { _csrf: csrf } });
    for (const id of lessons) {
      if (!more()) return;
      await this.send('GET', `/kurser/${COURSE}/lektioner/${id}`);
      await this.send('POST', `/kurser/${COURSE}/lektioner/${id}/klar`, { form: { _csrf: csrf } });
    }
    if (!more()) return;
    const started = await this.send('POST', `/kurser/${COURSE}/quiz`, { form: { _csrf: csrf } });
    const attemptId = Number(/\/quiz\/(\d+)\//.exec(started.location)?.[1]);
    if (!attemptId) {
      this.fail(`quiz start: ${started.status} ${started.location}`);
      throw new Failed();
    }
    for (let index = 1, total = 1; index <= total; index++) {
      if (!more()) return;
      const page = await this.send('GET', `/quiz/${attemptId}/fragor/${index}`);
      total = Number(/Fråga \d+ av (\d+)/.exec(page.text)?.[1] ?? 0);
      const questionId = /name="questionId" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const options = [...page.text.matchAll(/name="selected" value="([^"]+)"/g)].map((m) => m[1]);
      const selected = options[Math.floor(Math.random() * options.length)] ?? '';
      const saved = await this.send('POST', `/quiz/${attemptId}/svar`, {
        form: { questionId, selected, index: String(index) },
        json: true,
        csrf,
      });
      if (saved.status === 200 && /"saved":true/.test(saved.text))
        this.stats.acknowledged.push({ attemptId, questionId, selected });
    }
    if (!more()) return;
    const handedIn = await this.send('POST', `/quiz/${attemptId}/lamna-in`, { form: { _csrf: csrf } });
    await this.send('GET', handedIn.location);
    await this.send('POST', '/logga-ut', { form: { _csrf: csrf } });
    this.cookie = '';
    this.stats.rounds += 1;
  }

  async run(until: number): Promise<void> {
    while (performance.now() < until) {
      try {
        await this.round(until);
      } catch (error) {
        if (!(error instanceof Failed)) throw error;
        await sleep(100); // as a person would, try again (the session may still be good)
      }
    }
  }
}

interface RunResult {
  nodes: number;
  seconds: number;
  requests: number;
  reqPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
  rounds: number;
  load: string;
  /** CPU ms per answered request: the app nodes together, and PostgreSQL. */
  appCpu: number;
  pgCpu: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;

async function drive(
  base: string,
  learners: string[],
  seconds: number,
  events: { at: number; what: () => Promise<void> }[],
  acknowledged: Stats['acknowledged'],
  appNodes: AppNode[],
  pgDir: string | null,
): Promise<RunResult> {
  const nodes = appNodes.length;
  const stats: Stats = { latencies: [], failed: 0, failures: new Map(), acknowledged, rounds: 0 };
  const cpuBefore = appNodes.reduce((n, a) => n + sampleCpu(a), 0);
  const pgBefore = postgresCpu(pgDir);
  const start = performance.now();
  const until = start + seconds * 1000;
  const timers = events.map((e) => sleep(e.at * 1000).then(e.what));
  await Promise.all([...learners.map((email) => new Learner(base, email, stats).run(until)), ...timers]);
  const elapsed = (performance.now() - start) / 1000;
  const sorted = stats.latencies.sort((a, b) => a - b);
  const appCpu = (appNodes.reduce((n, a) => n + sampleCpu(a), 0) - cpuBefore) / Math.max(1, sorted.length);
  const pgCpu = (postgresCpu(pgDir) - pgBefore) / Math.max(1, sorted.length);
  const result = {
    appCpu,
    pgCpu,
    nodes,
    seconds: elapsed,
    requests: sorted.length + stats.failed,
    reqPerSecond: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    failed: stats.failed,
    rounds: stats.rounds,
    load: load(),
  };
  log(
    `  ${nodes} node${nodes > 1 ? 's' : ' '}: ${result.reqPerSecond.toFixed(0).padStart(5)} req/s   p50 ${result.p50.toFixed(0).padStart(4)} ms   p99 ${result.p99.toFixed(0).padStart(5)} ms   ` +
      `${result.requests} requests, ${result.failed} failed, ${result.rounds} learner rounds   CPU/request: app ${appCpu.toFixed(1)} ms, PostgreSQL ${pgCpu.toFixed(1)} ms   load ${result.load}`,
  );
  for (const [what, n] of stats.failures) log(`      failed: ${what} ×${n}`);
  return result;
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
  if (!fs.existsSync(NGINX))
    throw new Error(`${NGINX} is missing (apt-get install nginx-light, or NGINX_PATH=…)`);
  const nginxVersion = spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).stderr.trim();
  log(
    `bench:cluster on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${nginxVersion}; load average at start ${load()}`,
  );
  log(
    `${LEARNERS} simulated learners without pauses, ${SECONDS} s per run; other work on the machine lowers every figure.`,
  );
  buildIfNeeded();

  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-cluster-'));
  let embedded: EmbeddedDatabase | null = null;
  let sink: SmtpSink | null = null;
  let db: Knex | null = null;
  const nodes: AppNode[] = [];
  const nginx = new Nginx(path.join(temp, 'nginx'), await freePort());
  try {
    if (process.env.DATABASE_URL) log('PostgreSQL: DATABASE_URL (it should be an empty database)');
    else embedded = await startEmbeddedPostgres({ dataDir: path.join(temp, 'pg'), database: 'bench' });
    const databaseUrl = process.env.DATABASE_URL ?? embedded?.url ?? '';
    sink = await startSmtpSink();
    const base = `http://127.0.0.1:${nginx.port}`;
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: 'bench-cluster-only-secret-not-for-production-01',
      DEMO_DATA: 'no',
      LOG_LEVEL: 'warn',
      MEDIA_DIR: path.join(temp, 'media'),
      PUBLIC_BASE_URL: base,
      TRUST_PROXY: '1',
      SMTP_URL: sink.url,
    };
    // The first node runs the migrations and the course import alone; the other two start together after.
    const ports = [await freePort(), await freePort(), await freePort()];
    nodes.push(startNode('node1', ports[0], env, temp));
    log(`node1 ready (migrations, course import) in ${(await ready(nodes[0], temp)).toFixed(1)} s`);
    nodes.push(startNode('node2', ports[1], env, temp), startNode('node3', ports[2], env, temp));
    const times = await Promise.all(nodes.slice(1).map((n) => ready(n, temp)));
    log(`node2, node3 ready in ${times.map((t) => t.toFixed(1)).join(' s, ')} s`);

    db = createKnex(databaseUrl, 3);
    const passwordHash = await hashPassword(PASSWORD);
    const { seeded, unitId } = await seed(db, passwordHash);
    const live = () => nodes.filter((n) => n.alive);
    /** A new group of people due a reminder, then the scheduled job on every live node at the same moment. */
    const reminderRound = async () => {
      const database = db;
      if (!database) return;
      seeded.reminderPeople.push(...(await seedReminderRound(database, unitId, passwordHash)));
      for (const n of live()) n.child.kill('SIGUSR2');
    };
    await reminderRound();

    // Warm-up, not measured: one learner round on each node directly (templates compiled, pools filled).
    const warm: Stats = { latencies: [], failed: 0, failures: new Map(), acknowledged: [], rounds: 0 };
    await Promise.all(
      nodes.map((n, i) =>
        new Learner(`http://127.0.0.1:${n.port}`, seeded.learners[i], warm).round(performance.now() + 60_000),
      ),
    );
    log(`Warm-up: one learner round on each node, ${warm.latencies.length} requests, ${warm.failed} failed`);

    const acknowledged: Stats['acknowledged'] = [];
    const results: RunResult[] = [];
    log(`\nThrough nginx (${base}), ${LEARNERS} learners, ${SECONDS} s per run:`);
    for (const count of [1, 2, 3]) {
      await nginx.use(nodes.slice(0, count));
      const events = [{ at: SECONDS / 4, what: reminderRound }];
      if (count === 3) {
        events.push({
          at: SECONDS / 2,
          what: () => {
            const victim = nodes[2];
            sampleCpu(victim);
            victim.child.kill('SIGKILL');
            log(`  … SIGKILL ${victim.name} (pid ${victim.child.pid}) at ${SECONDS / 2} s`);
            return Promise.resolve();
          },
        });
        events.push({ at: (SECONDS * 3) / 4, what: reminderRound });
      }
      results.push(
        await drive(
          base,
          seeded.learners,
          SECONDS,
          events,
          acknowledged,
          nodes.slice(0, count),
          embedded ? path.join(temp, 'pg') : null,
        ),
      );
    }

    // ---- checks
    log('\nChecks:');
    // A learner whose round was cut short resumes the same attempt and may answer a question again: the
    // last acknowledged answer to each question of each attempt is the one that must be stored.
    const last = new Map(acknowledged.map((a) => [`${a.attemptId}:${a.questionId}`, a]));
    const stored = await db('quiz_answers')
      .whereIn('attempt_id', [...new Set(acknowledged.map((a) => a.attemptId))])
      .select('attempt_id', 'question_id', 'selected');
    const inDb = new Map(
      stored.map((r: { attempt_id: number; question_id: string; selected: string[] }) => [
        `${r.attempt_id}:${r.question_id}`,
        r.selected,
      ]),
    );
    const missing = [...last.entries()].filter(([key, a]) => !(inDb.get(key) ?? []).includes(a.selected));
    log(
      `  acknowledged answers (2xx JSON saves): ${acknowledged.length}, the last to ${last.size} questions of ${new Set(acknowledged.map((a) => a.attemptId)).size} attempts; in the database: ${last.size - missing.length}; missing: ${missing.length}`,
    );

    // The nodes deliver the outbox every 15 s; wait until nothing is queued and the SMTP server has it all.
    const expected = [...seeded.reminderPeople, ...seeded.managers];
    const deadline = Date.now() + 90_000;
    for (;;) {
      const queued = await db('outbox_messages').where({ status: 'queued' }).count({ n: '*' });
      const receivedFor = sink.received.filter((m) => m.to.some((t) => expected.includes(t))).length;
      if ((Number(queued[0].n) === 0 && receivedFor >= expected.length) || Date.now() > deadline) break;
      await sleep(1000);
    }
    const outbox = await db('outbox_messages').whereIn('to_address', expected).select('to_address', 'status');
    const receipts = new Map<string, string[]>();
    for (const m of sink.received)
      for (const t of m.to) receipts.set(t, [...(receipts.get(t) ?? []), messageIdOf(m)]);
    const queuedOnce = expected.filter((e) => outbox.filter((o) => o.to_address === e).length === 1).length;
    const deliveredOnce = expected.filter((e) => receipts.get(e)?.length === 1).length;
    // Sent again with the same Message-ID: a node died after the SMTP server took the mail but before it
    // marked the outbox row sent, and another node delivered the row again (at least once, never lost).
    const resent = expected.filter(
      (e) => (receipts.get(e)?.length ?? 0) > 1 && new Set(receipts.get(e)).size === 1,
    );
    const distinct = expected.filter((e) => new Set(receipts.get(e)).size > 1);
    const never = expected.filter((e) => !receipts.get(e));
    log(
      `  reminders and summaries due: ${expected.length} (${seeded.reminderPeople.length} reminders in ${roundsSeeded} rounds, each followed by SIGUSR2 to every live node; ${seeded.managers.length} monthly summaries)`,
    );
    log(
      `  queued exactly once: ${queuedOnce}/${expected.length}; delivered over SMTP exactly once: ${deliveredOnce}/${expected.length}; ` +
        `never: ${never.length}; two different mails: ${distinct.length}; the same mail (Message-ID) again after the kill: ${resent.length}${resent.length ? ` (${resent.join(', ')})` : ''}`,
    );
    log(
      `  every mail the SMTP server got: ${sink.received.length} (outbox rows sent: ${outbox.filter((o) => o.status === 'sent').length} of these people)`,
    );

    log('\nSummary');
    for (const r of results)
      log(
        `  ${r.nodes} node${r.nodes > 1 ? 's' : ''}${r.nodes === 3 ? ' (one SIGKILLed half way)' : ''}: ${r.reqPerSecond.toFixed(0)} req/s, p99 ${r.p99.toFixed(0)} ms, p50 ${r.p50.toFixed(0)} ms, ${r.failed} of ${r.requests} requests failed; CPU per request: app ${r.appCpu.toFixed(1)} ms, PostgreSQL ${r.pgCpu.toFixed(1)} ms   load ${r.load}`,
      );
    const ok = missing.length === 0 && queuedOnce === expected.length && !never.length && !distinct.length;
    log(
      `  ${ok ? 'OK' : 'NOT OK'}: acknowledged answers kept; every reminder and summary queued once and delivered` +
        (resent.length
          ? ` (${resent.length} delivered twice as the same message: SMTP cannot be exactly once across a crash)`
          : ' once'),
    );
    log(`  load average at the end: ${load()}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await db?.destroy().catch(() => undefined);
    await nginx.stop();
    await Promise.all(nodes.map((n) => stopChild(n.child)));
    await sink?.close();
    await embedded?.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
