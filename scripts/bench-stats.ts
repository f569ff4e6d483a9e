/**
 * `npm run bench:stats`: measures every statistics page and export on the `npm run seed:scale` data set
 * through the real app (routing, session, queries, EJS or the export writer) and prints p50/p95 against
 * the goals of issue 6. Requests run one after another on this machine; nothing leaves 127.0.0.1.
 *
 *   npm run bench:stats                 30 timed requests per page after 3 warm-ups
 *   npm run bench:stats -- --runs=100
 *   npm run bench:stats -- --only=export   only the pages whose name contains "export"
 *   npm run bench:stats -- --only=refresh --skip-full   the incremental refresh alone
 *   npm run bench:stats -- --no-view-cache EJS compiling templates on every request (development mode)
 *
 * Then the regional figures' refresh: its CPU (the database cluster's processes, read from /proc, when the
 * database runs on this machine, plus this process) for a full recomputation, and for the incremental
 * run the scheduled job makes every 10 minutes after a busy 10 minutes of changes (simulated, committed:
 * each bench run adds them to the data set) and after a quiet one.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Knex } from 'knex';
import { Pool } from 'pg';
import request from 'supertest';
import { createApp } from '../server/app';
import { createLogger } from '../server/logger';
import { createServices } from '../server/services';
import { openScaleDatabase } from './scale-database';
import { SCALE_PASSWORD } from './seed-scale-constants';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 30);
/** `--only=organisation` times only the pages whose name contains the text (and skips the refresh); `--only=refresh` only the refresh. */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1] ?? null;
const WARMUP = 3;

/**
 * CPU seconds used so far by a PostgreSQL cluster on this machine: the postmaster with the children it
 * has reaped (parallel workers that ended) and its live children. Null when /proc cannot show it.
 */
function clusterCpu(postmaster: number | null): number | null {
  if (postmaster === null) return null;
  const stat = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  try {
    const pm = stat(postmaster);
    let ticks = Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const s = stat(Number(d));
        if (Number(s[1]) === postmaster) ticks += Number(s[11]) + Number(s[12]);
      } catch {
        // The process ended meanwhile (its time is in the postmaster's reaped children's).
      }
    }
    return ticks / 100; // USER_HZ
  } catch {
    return null;
  }
}

async function postmasterOf(db: Knex): Promise<number | null> {
  try {
    const pid = Number((await db.raw('select pg_backend_pid() as pid')).rows[0].pid);
    return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return null; // the database is elsewhere
  }
}

/**
 * A busy 10 minutes at national scale, about ten times a realistic peak (2 % of 300 000 people active
 * in an hour): 500 rounds started, 500 completed (each with its passed test of every question answered,
 * one in five after a failed attempt, one in eight with an evaluation), 20 people moved to another unit
 * (one of them to another organisation) and 10 disabled. Through SQL, as the app would leave it; the
 * triggers note what changed.
 */
const SIMULATED = {
  started: 500,
  completed: 500,
  moved: 20,
  movedOrganisation: 1,
  disabled: 10,
};
async function simulateTenMinutes(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('select setseed(random())');
    await trx.raw(
      `insert into enrolments (user_id, course_id, course_version_id, started_at)
       select distinct on (u.id) u.id, tc.course_id, (select max(id) from course_versions v where v.course_id = tc.course_id), now() - random() * interval '10 minutes'
       from (select id, job_role from users tablesample system (1) where email like 'p%@skala.test' and disabled_at is null limit ?) u
       join track_courses tc on tc.job_role = u.job_role
       where not exists (select 1 from enrolments e where e.user_id = u.id and e.course_id = tc.course_id and e.completed_at is null)
       order by u.id, random()`,
      [SIMULATED.started],
    );
    await trx.raw(`create temp table sim_done on commit drop as
      select e.id, e.user_id, e.course_id, e.course_version_id, now() - random() * interval '10 minutes' as at, random() < 0.2 as failed_first
      from enrolments e tablesample system (1) where e.completed_at is null and e.started_at < now() - interval '1 day' limit ${SIMULATED.completed}`);
    await trx.raw(
      `delete from quiz_attempts a using sim_done d where a.enrolment_id = d.id and a.submitted_at is null`,
    );
    await trx.raw(`create temp table sim_attempts on commit drop as
      with ins as (
        insert into quiz_attempts (enrolment_id, number, questions, question_count, correct_count, passed, started_at, submitted_at)
        select d.id, coalesce((select max(number) from quiz_attempts x where x.enrolment_id = d.id), 0) + n, '[]'::jsonb,
               (v.content->>'questionsPerAttempt')::int, case when n = 1 and d.failed_first then 0 else (v.content->>'questionsPerAttempt')::int end,
               not (n = 1 and d.failed_first), d.at - interval '5 minutes', d.at - (2 - n) * interval '1 minute'
        from sim_done d join course_versions v on v.id = d.course_version_id
        cross join generate_series(1, case when d.failed_first then 2 else 1 end) n
        returning id, enrolment_id, question_count, passed)
      select * from ins`);
    await trx.raw(`insert into quiz_answers (attempt_id, question_id, selected, answered_at, saved_at, is_correct)
      select a.id, q.q->>'id', array['x'], now(), now(), a.passed
      from sim_attempts a join enrolments e on e.id = a.enrolment_id join course_versions v on v.id = e.course_version_id
      cross join lateral (select q from jsonb_array_elements(v.content->'questions') q limit a.question_count) q`);
    await trx.raw(`update enrolments e set completed_at = d.at from sim_done d where d.id = e.id`);
    await trx.raw(`insert into completions (user_id, course_id, course_version_id, enrolment_id, kind, completed_at, valid_until, verification_code)
      select d.user_id, d.course_id, d.course_version_id, d.id, 'elearning', d.at, d.at + interval '12 months', 'SIM' || d.id from sim_done d`);
    await trx.raw(`insert into evaluations (enrolment_id, useful, matches_description, comment, created_at)
      select id, 4, 3, case when random() < 0.15 then 'Bra kurs.' end, at + interval '1 minute' from sim_done where random() < 0.125`);
    await trx.raw(
      `with p as (select id, row_number() over () as n from users tablesample system (1) where email like 'p%@skala.test' and disabled_at is null limit ?)
       update users u set unit_id = (
         select un.id from units un, units mine where mine.id = u.unit_id and un.id <> u.unit_id
           and (case when p.n <= ? then un.organisation_id <> mine.organisation_id else un.organisation_id = mine.organisation_id end)
         order by abs(un.id - u.unit_id) limit 1)
       from p where p.id = u.id`,
      [SIMULATED.moved, SIMULATED.movedOrganisation],
    );
    await trx.raw(
      `update users set disabled_at = now() where id in (select id from users tablesample system (1) where email like 'p%@skala.test' and disabled_at is null limit ?)`,
      [SIMULATED.disabled],
    );
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const { db, url, config, close } = await openScaleDatabase(10);
  const pool = new Pool({ connectionString: url, max: 4 });
  const services = createServices({ ...config, logLevel: 'silent' }, db, createLogger('silent'));
  const app = createApp(services, pool);
  // As in production (Express turns the template cache on with NODE_ENV=production): EJS compiles each
  // template once. (Before issue 13 the benchmark compiled them on every request; see docs/stats.md.)
  if (!process.argv.includes('--no-view-cache')) app.enable('view cache');
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
    // The figures are computed once after a migration; pages would be computed live until then.
    if (!(await services.stats.refreshedAt())) await services.stats.refreshViews();
    const postmaster = await postmasterOf(db);
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
      `${'page'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'goal'.padStart(8)} ${'queries'.padStart(8)} ${'CPU ms'.padStart(7)}  result\n`,
    );
    let failed = 0;
    for (const c of cases.filter((x) => !ONLY || x.name.includes(ONLY))) {
      const times: number[] = [];
      let cpu0: { node: NodeJS.CpuUsage; db: number | null } = { node: process.cpuUsage(), db: null };
      let bytes = 0;
      let counted = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        if (i === WARMUP) {
          queries = 0;
          cpu0 = { node: process.cpuUsage(), db: clusterCpu(postmaster) };
        }
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
      // CPU per request, this process (app and client) and the database: what load does not change.
      const nodeCpu = process.cpuUsage(cpu0.node);
      const dbCpu = cpu0.db === null ? null : (clusterCpu(postmaster) ?? cpu0.db) - cpu0.db;
      const cpuMs = ((nodeCpu.user + nodeCpu.system) / 1000 + (dbCpu ?? 0) * 1000) / RUNS;
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      const ok = c.goalMs === null ? '' : p95 <= c.goalMs ? 'ok' : 'OVER GOAL';
      if (ok === 'OVER GOAL') failed += 1;
      process.stdout.write(
        `${c.name.padEnd(46)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${(c.goalMs === null ? '–' : `≤ ${c.goalMs}`).padStart(8)} ${(Math.round(counted * 10) / 10).toString().padStart(8)} ${cpuMs.toFixed(1).padStart(7)}  ${ok} (${Math.round(bytes / 1024)} kB)\n`,
      );
    }
    process.stdout.write(`load average at the end of the pages: ${load()}\n`);
    if (ONLY && ONLY !== 'refresh') return;
    // The regional figures: what keeping them up to date costs (the job runs every 10 minutes).
    const measure = async (what: string, work: () => Promise<unknown>, per10 = false) => {
      const start = load();
      const c0 = clusterCpu(postmaster);
      const n0 = process.cpuUsage();
      const t0 = Date.now();
      const report = (await work()) as Awaited<ReturnType<typeof services.stats.refreshViews>> | undefined;
      const wall = (Date.now() - t0) / 1000;
      const n = process.cpuUsage(n0);
      const c1 = clusterCpu(postmaster);
      const cpu = c0 === null || c1 === null ? null : c1 - c0 + (n.user + n.system) / 1e6;
      const cpuText =
        cpu === null
          ? 'CPU not measurable (database not on this machine)'
          : `CPU ${cpu.toFixed(2)} s${per10 ? ` per 10 minutes = ${((cpu / 600) * 100).toFixed(2)} % of one core` : ''}`;
      process.stdout.write(
        `${what.padEnd(52)} wall ${wall.toFixed(2)} s, ${cpuText}${report?.parts ? `; ${report.courseMonths} course-months, ${report.units} units` : ''} (load ${start} → ${load()})\n`,
      );
      if (report?.parts.length)
        process.stdout.write(
          `  ${report.parts.map((r) => `${r.view.replace('stats_', '')} ${(r.ms / 1000).toFixed(2)} s`).join(', ')}\n`,
        );
    };
    process.stdout.write('\nregional figures\n');
    if (!process.argv.includes('--skip-full'))
      await measure('full recomputation', () => services.stats.refreshViews({ full: true }));
    await measure(
      `simulated busy 10 minutes (${SIMULATED.started} started, ${SIMULATED.completed} completed, ${SIMULATED.moved} moved, ${SIMULATED.disabled} disabled)`,
      () => simulateTenMinutes(db),
    );
    await measure('incremental refresh after the busy 10 minutes', () => services.stats.refreshViews(), true);
    await measure('incremental refresh with nothing changed', () => services.stats.refreshViews(), true);
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
