/**
 * `npm run bench:stats`: measures every statistics page and export on the `npm run seed:scale` data set
 * through the real app (routing, session, queries, EJS or the export writer) and prints p50/p95 against
 * the goals of issue 6. Requests run one after another on this machine; nothing leaves 127.0.0.1.
 *
 *   npm run bench:stats                 30 timed requests per page after 3 warm-ups
 *   npm run bench:stats -- --runs=100
 *   npm run bench:stats -- --only=export   only the pages whose name contains "export"
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Pool } from 'pg';
import request from 'supertest';
import { createApp } from '../server/app';
import { createLogger } from '../server/logger';
import { createServices } from '../server/services';
import { openScaleDatabase } from './scale-database';
import { SCALE_PASSWORD } from './seed-scale-constants';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 30);
/** `--only=organisation` times only the pages whose name contains the text (and skips the view refresh). */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1] ?? null;
const WARMUP = 3;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const { db, url, config, close } = await openScaleDatabase(10);
  const pool = new Pool({ connectionString: url, max: 4 });
  const services = createServices({ ...config, logLevel: 'silent' }, db, createLogger('silent'));
  const app = createApp(services, pool);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    if (!(await db('users').where({ email: 'chef1@skala.test' }).first('id')))
      throw new Error('No scale data set here: run `npm run seed:scale` first.');
    // A manager of the organisation whose active staff is closest to 5 000, for the export goal.
    const org5000 = (
      await db.raw(`select un.organisation_id as id, o.name, count(*)::int as people from users u join units un on un.id = u.unit_id join organisations o on o.id = un.organisation_id
        where u.email like 'p%@skala.test' and u.disabled_at is null group by 1, 2 order by abs(count(*) - 5000) limit 1`)
    ).rows[0];
    const chef5000 = 'chef5000@skala.test';
    if (!(await db('users').where({ email: chef5000 }).first('id'))) {
      const hash = (await db('users').where({ email: 'chef1@skala.test' }).first('password_hash'))
        .password_hash;
      const [u] = await db('users')
        .insert({
          email: chef5000,
          name: 'Bänk Chef',
          password_hash: hash,
          unit_id: (await db('units').where({ organisation_id: org5000.id }).first('id')).id,
        })
        .returning('id');
      await db('permissions').insert({ user_id: u.id, kind: 'manager', organisation_id: org5000.id });
    }
    const login = async (email: string) => {
      const agent = request.agent(base);
      const page = await agent.get('/logga-in');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      const res = await agent
        .post('/logga-in')
        .type('form')
        .send({ _csrf: csrf, email, password: SCALE_PASSWORD });
      if (res.status !== 303) throw new Error(`Login failed for ${email}: ${res.status}`);
      return agent;
    };
    const unitChef = await login('chef1@skala.test');
    const orgChef = await login('orgchef1@skala.test');
    const bigChef = await login(chef5000);
    const hmc = await login('hmc@skala.test');
    const learner = await login(
      (
        await db('users')
          .where('email', 'like', 'p%@skala.test')
          .whereNull('disabled_at')
          .whereNot('job_role', 'enhetschef')
          .orderBy('id')
          .first('email')
      ).email,
    );
    const sizes = (
      await db.raw(`select (select count(*) from users u join units un on un.id = u.unit_id where un.organisation_id = (select organisation_id from permissions p join users x on x.id = p.user_id where x.email = 'orgchef1@skala.test' and p.kind = 'manager') and u.disabled_at is null)::int as org1,
        (select count(*) from users u where u.unit_id = (select unit_id from users where email = 'chef1@skala.test') and u.disabled_at is null)::int as unit1`)
    ).rows[0];
    const someone = (
      await db.raw(
        `select u.id from users u where u.unit_id = (select unit_id from users where email = 'chef1@skala.test') and u.email like 'p%' limit 1`,
      )
    ).rows[0].id;
    const grunden = (await db('courses').where({ slug: 'hjalpmedel-grunden' }).first('id')).id;

    const cases: {
      name: string;
      agent: request.Agent;
      path: string;
      goalMs: number | null;
      binary?: boolean;
    }[] = [
      {
        name: `manager, unit (${sizes.unit1} people)`,
        agent: unitChef,
        path: '/statistik/chef',
        goalMs: 100,
      },
      {
        name: `manager, organisation (${sizes.org1} people)`,
        agent: orgChef,
        path: '/statistik/chef',
        goalMs: 100,
      },
      {
        name: 'manager, organisation, one course',
        agent: orgChef,
        path: `/statistik/chef?course=${grunden}`,
        goalMs: 100,
      },
      {
        name: `manager, organisation (${org5000.people} people)`,
        agent: bigChef,
        path: '/statistik/chef',
        goalMs: 100,
      },
      {
        name: 'manager, person record',
        agent: unitChef,
        path: `/statistik/personer/${someone}`,
        goalMs: 100,
      },
      {
        name: `manager CSV export (${org5000.people} people)`,
        agent: bigChef,
        path: '/statistik/chef/export/csv',
        goalMs: 1000,
      },
      {
        name: `manager XLSX export (${org5000.people} people)`,
        agent: bigChef,
        path: '/statistik/chef/export/xlsx',
        goalMs: 1000,
        binary: true,
      },
      {
        name: `manager CSV export (${sizes.org1} people)`,
        agent: orgChef,
        path: '/statistik/chef/export/csv',
        goalMs: null,
      },
      { name: 'HMC overview (all organisations)', agent: hmc, path: '/statistik/hmc', goalMs: 100 },
      { name: 'HMC course page', agent: hmc, path: '/statistik/hmc/kurser/hjalpmedel-grunden', goalMs: 100 },
      {
        name: 'HMC course page, one organisation',
        agent: hmc,
        path: `/statistik/hmc/kurser/hjalpmedel-grunden?organisation=${org5000.id}`,
        goalMs: 100,
      },
      { name: 'HMC overview CSV export', agent: hmc, path: '/statistik/hmc/export/csv', goalMs: null },
      {
        name: 'HMC course XLSX export',
        agent: hmc,
        path: '/statistik/hmc/kurser/hjalpmedel-grunden/export/xlsx',
        goalMs: null,
        binary: true,
      },
      { name: "learner's own Mina kurser (live)", agent: learner, path: '/mina-kurser', goalMs: null },
    ];
    // Queries the app sends through knex per request (the session store's own pool is not counted).
    let queries = 0;
    db.on('query', () => (queries += 1));
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    process.stdout.write(
      `bench:stats – ${RUNS} timed requests each after ${WARMUP} warm-ups, one at a time, ${new Date().toISOString()}\n`,
    );
    process.stdout.write(
      `load average (1, 5, 15 min) at the start: ${load()} on ${os.cpus().length} cores\n\n`,
    );
    process.stdout.write(
      `${'page'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'goal'.padStart(8)} ${'queries'.padStart(8)}  result\n`,
    );
    let failed = 0;
    for (const c of cases.filter((x) => !ONLY || x.name.includes(ONLY))) {
      const times: number[] = [];
      let bytes = 0;
      let counted = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        if (i === WARMUP) queries = 0;
        const t0 = process.hrtime.bigint();
        const req = c.agent.get(c.path);
        const res = c.binary
          ? await req.buffer(true).parse((r, cb) => {
              const b: Buffer[] = [];
              r.on('data', (x: Buffer) => b.push(x));
              r.on('end', () => {
                cb(null, Buffer.concat(b));
              });
            })
          : await req;
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (res.status !== 200) throw new Error(`${c.path}: HTTP ${res.status}`);
        bytes = c.binary ? (res.body as Buffer).length : res.text.length;
        if (i >= WARMUP) times.push(ms);
      }
      counted = queries / RUNS;
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      const ok = c.goalMs === null ? '' : p95 <= c.goalMs ? 'ok' : 'OVER GOAL';
      if (ok === 'OVER GOAL') failed += 1;
      process.stdout.write(
        `${c.name.padEnd(46)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${(c.goalMs === null ? '–' : `≤ ${c.goalMs}`).padStart(8)} ${(Math.round(counted * 10) / 10).toString().padStart(8)}  ${ok} (${Math.round(bytes / 1024)} kB)\n`,
      );
    }
    process.stdout.write(`load average at the end of the pages: ${load()}\n`);
    if (ONLY) return;
    // The regional views: how long a refresh takes (the job refreshes when older than 10 minutes).
    const t0 = Date.now();
    const refreshed = await services.stats.refreshViews();
    process.stdout.write(
      `\nrefresh of the regional views: ${((Date.now() - t0) / 1000).toFixed(1)} s (${refreshed.map((r) => `${r.view.replace('stats_', '')} ${(r.ms / 1000).toFixed(1)} s`).join(', ')})\n`,
    );
    // What the HMC overview's main aggregate costs without the views, once, for comparison.
    const t1 = Date.now();
    await db.raw(`select e.course_id, count(*), count(e.completed_at) from enrolments e join users u on u.id = e.user_id left join units un on un.id = u.unit_id
      where e.started_at >= now() - interval '36 months' group by 1`);
    const t2 = Date.now();
    await db.raw(
      `select e.course_id, q.question_id, count(*), count(*) filter (where q.is_correct) from quiz_answers q join quiz_attempts a on a.id = q.attempt_id join enrolments e on e.id = a.enrolment_id where e.course_id = ? and a.submitted_at is not null group by 1, 2`,
      [grunden],
    );
    process.stdout.write(
      `without the views: started/completed per course from enrolments ${t2 - t1} ms; one course's questions from quiz_answers ${Date.now() - t2} ms\n`,
    );
    process.stdout.write(
      `\n${failed ? `${failed} page(s) over goal` : 'every page with a goal is within it'}\n`,
    );
  } finally {
    server.close();
    await pool.end();
    await close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
