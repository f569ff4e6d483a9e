/**
 * `npm run seed:scale`: a realistic national-scale data set for measuring the statistics, generated
 * set-based in PostgreSQL (generate_series, no row-by-row inserts): 300 000 people in 300 organisations
 * (sizes falling off like real municipalities, the largest about 9 000), 3 million enrolments with their
 * lesson progress, every round's quiz attempts (about 24 million saved answers) and 400 000 evaluations.
 *
 *   npm run seed:scale                 into the embedded database (data/) or DATABASE_URL
 *   npm run seed:scale -- --scale=0.01 a hundredth of it (quick try)
 *
 * Every scale account has the password `Skala-2026!`; `chef1@skala.test` manages the largest unit of the
 * largest organisation, `orgchef1@skala.test` the whole of it, `hmc@skala.test` is an HMC educator.
 */
import { hashPassword } from '../server/auth/passwords';
import { statsRepository } from '../server/stats/stats-repository';
import { openScaleDatabase } from './scale-database';
import { SCALE_PASSWORD } from './seed-scale-constants';

/** The statistics' change triggers (migration 202612021000000), off while generating. */
const STATS_TRIGGERS = [
  ['enrolments', 'enrolments_stats'],
  ['enrolments', 'enrolments_stats_delete'],
  ['completions', 'completions_stats'],
  ['quiz_attempts', 'quiz_attempts_stats_insert'],
  ['quiz_attempts', 'quiz_attempts_stats_update'],
  ['quiz_attempts', 'quiz_attempts_stats_delete'],
  ['evaluations', 'evaluations_stats'],
  ['users', 'users_stats_insert_delete'],
  ['users', 'users_stats_update'],
  ['permissions', 'permissions_stats'],
  ['person_course_facts', 'person_course_facts_stats'],
] as const;

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const scale = Number(arg('scale') ?? '1');
const PEOPLE = Math.round(300_000 * scale);
const ORGS = Math.max(3, Math.round(300 * Math.min(1, scale * 10)));
const ENROLMENTS = Math.round(3_000_000 * scale);
const EVALUATIONS = Math.round(400_000 * scale);

async function main() {
  const started = Date.now();
  const { db, close } = await openScaleDatabase(2);
  const step = async (name: string, sql: string, bindings: readonly unknown[] = []) => {
    const t0 = Date.now();
    const result = await db.raw(sql, bindings as never);
    process.stdout.write(
      `${name.padEnd(44)} ${String(result.rowCount ?? '').padStart(10)} rows ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s\n`,
    );
  };
  try {
    if (await db('organisations').where('name', 'like', 'Skalkommun %').first('id')) {
      process.stdout.write(
        'The scale data set is already in this database. Start from an empty database (remove data/ or use a new DATABASE_URL) to make it again.\n',
      );
      return;
    }
    process.stdout.write(
      `Generating ${PEOPLE} people in ${ORGS} organisations, ${ENROLMENTS} enrolments with lesson progress and quizzes, ${EVALUATIONS} evaluations\n`,
    );
    const hash = await hashPassword(SCALE_PASSWORD);
    // One connection for the whole run, so session settings hold.
    await db.transaction(async (trx) => {
      const run = async (name: string, sql: string, bindings: readonly unknown[] = []) => {
        const t0 = Date.now();
        const result = await trx.raw(sql, bindings as never);
        process.stdout.write(
          `${name.padEnd(44)} ${String(result.rowCount ?? '').padStart(10)} rows ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s\n`,
        );
      };
      const superuser = (await trx.raw('select rolsuper from pg_roles where rolname = current_user')).rows[0]
        ?.rolsuper;
      // Foreign keys are checked by construction here; as superuser skip their per-row triggers.
      if (superuser) await trx.raw(`set local session_replication_role = replica`);
      await trx.raw(`set local work_mem = '256MB'`);
      await trx.raw(`set local maintenance_work_mem = '1GB'`);
      await trx.raw(`set local synchronous_commit = off`);
      await trx.raw('select setseed(0.2026)');
      // The statistics triggers would recompute per row; the facts are built set-based at the end.
      await trx.raw('alter table enrolments disable trigger enrolments_person_course_facts');
      await trx.raw('alter table completions disable trigger completions_person_course_facts');
      // Nor need the figures' change queues be filled: they are computed from scratch at the end.
      for (const [table, trigger] of STATS_TRIGGERS)
        await trx.raw(`alter table ${table} disable trigger ${trigger}`);

      await run(
        'organisations',
        `
        create temp table seed_orgs on commit drop as
        select g as n, greatest(20, round(?::numeric / (g ^ 0.5)))::int as size
        from generate_series(1, ?) g`,
        [
          PEOPLE / Array.from({ length: ORGS }, (_, i) => 1 / Math.sqrt(i + 1)).reduce((a, b) => a + b, 0),
          ORGS,
        ],
      );
      await trx.raw(`alter table seed_orgs add column first int, add column id int`);
      await trx.raw(
        `update seed_orgs s set first = c.first from (select n, coalesce(sum(size) over (order by n rows between unbounded preceding and 1 preceding), 0)::int + 1 as first from seed_orgs) c where c.n = s.n`,
      );
      await run(
        '  insert organisations',
        `
        with ins as (insert into organisations (name, kind) select 'Skalkommun ' || lpad(n::text, 3, '0'), case when n % 10 = 0 then 'private' else 'municipality' end from seed_orgs order by n returning id, name)
        update seed_orgs s set id = ins.id from ins where ins.name = 'Skalkommun ' || lpad(s.n::text, 3, '0')`,
      );
      // Units of about 40 people (hemtjänst, boenden, assistans, daglig verksamhet).
      await run(
        'units',
        `
        insert into units (organisation_id, name, join_code)
        select s.id, (array['Hemtjänst','Vård- och omsorgsboende','Personlig assistans','Daglig verksamhet','Korttidsboende','Gruppbostad'])[1 + u % 6] || ' ' || u,
               'SK' || s.n || 'U' || u
        from seed_orgs s, generate_series(1, greatest(1, ceil(s.size / 40.0)::int)) u`,
      );
      await trx.raw(`create temp table seed_units on commit drop as
        select id, organisation_id, row_number() over (partition by organisation_id order by id) - 1 as k, count(*) over (partition by organisation_id) as units from units where join_code like 'SK%'`);
      await trx.raw('create index on seed_units (organisation_id, k)');
      // Job roles weighted like the survey's groups; the first person of each unit is its manager.
      await run(
        'people',
        `
        insert into users (email, name, password_hash, unit_id, job_role, disabled_at, created_at)
        select 'p' || (s.first + g) || '@skala.test',
               (array['Anna','Mohammed','Maria','Erik','Fatima','Lars','Sara','Ali','Karin','Johan','Amina','Peter','Elin','Hassan','Eva','Mikael','Leila','Anders','Sofia','Omar'])[1 + (s.first + g) % 20] || ' ' ||
               (array['Andersson','Johansson','Karlsson','Nilsson','Eriksson','Larsson','Olsson','Persson','Svensson','Gustafsson','Yusuf','Ahmed','Lindqvist','Berg','Holm','Hussein','Lundberg','Ali','Ström','Ek'])[1 + ((s.first + g) / 20) % 20],
               ?, un.id,
               case when g % 40 = 0 then 'enhetschef' else (array['underskoterska','underskoterska','underskoterska','underskoterska','vardbitrade','vardbitrade','personlig-assistent','personlig-assistent','personlig-assistent','stodassistent','stodpedagog','behandlingsassistent','handledare-daglig-verksamhet','rehabassistent','vaktmastare','stodbitrade'])[1 + (hashint4(s.first + g) & 15)] end,
               case when hashint4(s.first + g + 7) % 50 = 0 then now() - interval '30 days' end,
               now() - interval '3 years'
        from seed_orgs s
        cross join generate_series(0, s.size - 1) g
        join seed_units un on un.organisation_id = s.id and un.k = (g / 40) % un.units`,
        [hash],
      );
      await run(
        '  manager permissions',
        `
        insert into permissions (user_id, kind, unit_id) select id, 'manager', unit_id from users where email like '%@skala.test' and job_role = 'enhetschef'`,
      );
      await run(
        '  learner permissions',
        `insert into permissions (user_id, kind) select id, 'learner' from users where email like '%@skala.test' and job_role <> 'enhetschef'`,
      );
      await trx.raw(
        `insert into users (email, name, password_hash, unit_id) select 'hmc@skala.test', 'Skala Utbildare', ?, (select min(id) from units where join_code like 'SK%')`,
        [hash],
      );
      await trx.raw(
        `insert into permissions (user_id, kind) select id, 'educator' from users where email = 'hmc@skala.test'`,
      );
      // Named accounts for the benchmark: the manager of the largest unit, and of the largest organisation.
      await trx.raw(`with u as (select un.id from units un join seed_orgs s on s.id = un.organisation_id where s.n = 1 order by (select count(*) from users x where x.unit_id = un.id) desc, un.id limit 1)
        update users set email = 'chef1@skala.test' where id = (select min(x.id) from users x join u on u.id = x.unit_id where x.job_role = 'enhetschef')`);
      await trx.raw(
        `insert into users (email, name, password_hash, unit_id, job_role) select 'orgchef1@skala.test', 'Skala Förvaltningschef', ?, (select min(id) from units where organisation_id = s.id), 'enhetschef' from seed_orgs s where n = 1`,
        [hash],
      );
      await trx.raw(
        `insert into permissions (user_id, kind, organisation_id) select u.id, 'manager', s.id from users u, seed_orgs s where u.email = 'orgchef1@skala.test' and s.n = 1`,
      );

      // Each role's courses in order: required, recommended, then the rest.
      await trx.raw(`create temp table seed_role_courses on commit drop as
        select r.id as job_role, row_number() over (partition by r.id order by case t.requirement when 'required' then 0 when 'recommended' then 1 else 2 end, t.position, c.id) - 1 as pos, c.id as course_id
        from job_roles r cross join courses c left join track_courses t on t.job_role = r.id and t.course_id = c.id where c.retired_at is null`);
      await trx.raw(`create temp table seed_versions on commit drop as
        select distinct on (course_id) course_id, id as version_id, (content->>'questionsPerAttempt')::int as qpa, (content->>'passMark')::int as pass_mark,
               jsonb_array_length(content->'questions') as nq, jsonb_array_length(content->'lessons') as nl
        from course_versions order by course_id, version desc`);
      await trx.raw('select count(*) from seed_role_courses');
      const courses = Number((await trx.raw('select count(*)::int as n from seed_versions')).rows[0].n);
      // Enrolments: 6–14 per person (10 on average). Slot k is position k % courses in the role's order and
      // round k / courses (0 = the newest; older rounds are a year earlier each and always completed).
      const perPerson = ENROLMENTS / PEOPLE;
      await run(
        'enrolments',
        `
        insert into enrolments (user_id, course_id, course_version_id, started_at, completed_at)
        select x.user_id, x.course_id, v.version_id, x.started_at,
               case when x.round > 0 or random() < case when x.started_at > now() - interval '30 days' then 0.3 else 0.62 end
                    then least(now(), x.started_at + (interval '1 hour' + random() * interval '20 days')) end
        from (
          select u.id as user_id, rc.course_id, k / ? as round,
                 now() - (k / ?) * interval '365 days' - random() * interval '540 days' as started_at
          from users u
          cross join lateral generate_series(0, greatest(0, round(? - 4 + (hashint4(u.id) & 1023) / 1023.0 * 8)::int - 1)) k
          join seed_role_courses rc on rc.job_role = coalesce(u.job_role, 'underskoterska') and rc.pos = k % ?
          where u.email like 'p%@skala.test'
        ) x join seed_versions v on v.course_id = x.course_id
        order by x.user_id, x.round desc`,
        [courses, courses, perPerson, courses],
      );
      // Lesson progress: a completed round has every lesson (in order, between start and completion); an
      // open round has the first 0..all of them, evenly spread, done between its start and now.
      await trx.raw(`create temp table seed_lessons on commit drop as
        select v.course_id, (l.n - 1)::int as idx, l.lesson->>'id' as lesson_id
        from seed_versions v join course_versions cv on cv.id = v.version_id cross join jsonb_array_elements(cv.content->'lessons') with ordinality l(lesson, n)`);
      await trx.raw('create index on seed_lessons (course_id, idx)');
      await run(
        'lesson progress',
        `
        insert into lesson_progress (enrolment_id, lesson_id, completed_at)
        select e.id, l.lesson_id,
               e.started_at + (coalesce(e.completed_at, now()) - e.started_at) * (l.idx + 1) / (coalesce(x.done, v.nl) + 1)
        from enrolments e
        join seed_versions v on v.course_id = e.course_id
        cross join lateral (select case when e.completed_at is null then (hashint4(e.id * 7) & 1023) % (v.nl + 1) end as done) x
        join seed_lessons l on l.course_id = e.course_id and l.idx < coalesce(x.done, v.nl)`,
      );

      await run(
        'completions',
        `
        insert into completions (user_id, course_id, course_version_id, enrolment_id, kind, completed_at, valid_until, verification_code)
        select e.user_id, e.course_id, e.course_version_id, e.id, 'elearning', e.completed_at, e.completed_at + interval '12 months', 'SK' || e.id
        from enrolments e join users u on u.id = e.user_id where e.completed_at is not null and u.email like '%@skala.test'`,
      );

      // Quiz: questions in an order of difficulty (hardest first); an attempt draws a window of them.
      await trx.raw(`create temp table seed_questions on commit drop as
        select v.course_id, row_number() over (partition by v.course_id order by md5(q->>'id')) - 1 as idx, q->>'id' as question_id,
               coalesce((select o->>'id' from jsonb_array_elements(q->'options') o where (o->>'correct')::boolean limit 1), 'true') as right_option,
               coalesce((select o->>'id' from jsonb_array_elements(q->'options') o where not (o->>'correct')::boolean limit 1), 'false') as wrong_option
        from course_versions cv join seed_versions v on v.version_id = cv.id cross join jsonb_array_elements(cv.content->'questions') q`);
      await trx.raw('create index on seed_questions (course_id, idx)');
      await trx.raw(`create temp table seed_draws on commit drop as
        select v.course_id, o as offset_, jsonb_agg(jsonb_build_object('id', q.question_id, 'options', jsonb_build_array(q.right_option, q.wrong_option)) order by j) as questions
        from seed_versions v cross join generate_series(0, v.nq - 1) o cross join generate_series(0, v.qpa - 1) j
        join seed_questions q on q.course_id = v.course_id and q.idx = (o + j) % v.nq group by 1, 2`);
      // Every round that reached the test has its attempts: a completed round one passed attempt after
      // 0–2 failed ones (85 % pass at once), an open round whose lessons are all done one failed attempt
      // (the others have not reached the test). Every attempt saves all its answers.
      await run(
        'quiz attempts',
        `
        insert into quiz_attempts (enrolment_id, number, questions, question_count, correct_count, passed, started_at, submitted_at)
        select a.enrolment_id, a.number, d.questions, a.qpa,
               a.qpa - a.wrong, a.passed, a.at - interval '10 minutes', a.at
        from (
          select e.id as enrolment_id, n as number, e.course_id, v.qpa, (hashint4(e.id * 31 + n) & 1023) % v.nq as offset_,
                 (e.completed_at is not null and n = t.tries) as passed,
                 case when e.completed_at is not null and n = t.tries
                      then floor(random() * (floor(v.qpa * (100 - v.pass_mark) / 100.0) + 1))::int
                      else floor(v.qpa * (100 - v.pass_mark) / 100.0)::int + 1 + floor(random() * (v.qpa - floor(v.qpa * (100 - v.pass_mark) / 100.0)))::int end as wrong,
                 coalesce(e.completed_at, e.started_at + (now() - e.started_at) * (0.9 + random() * 0.1))
                   - (t.tries - n) * least(interval '1 day', (coalesce(e.completed_at, now()) - e.started_at) / (t.tries + 1)) as at
          from enrolments e
          join users u on u.id = e.user_id and u.email like '%@skala.test'
          join seed_versions v on v.course_id = e.course_id
          cross join lateral (select case when e.completed_at is null then ((hashint4(e.id * 7) & 1023) % (v.nl + 1) = v.nl)::int
                                          else 1 + (random() < 0.12)::int + (random() < 0.03)::int end as tries) t
          cross join lateral generate_series(1, t.tries) n
        ) a join seed_draws d on d.course_id = a.course_id and d.offset_ = a.offset_
        order by a.enrolment_id, a.number`,
      );
      // In slices of attempts, so every join and sort stays in memory (one statement over 20 million rows spilled tens of GB).
      const { lo, hi } = (await trx.raw('select min(id)::int as lo, max(id)::int as hi from quiz_attempts'))
        .rows[0];
      const t0 = Date.now();
      let answers = 0;
      for (let from = lo ?? 1; from <= (hi ?? 0); from += 100_000) {
        const r = await trx.raw(
          `
          insert into quiz_answers (attempt_id, question_id, selected, answered_at, saved_at, is_correct)
          select a.id, q.question_id, array[case when j >= a.question_count - a.correct_count then q.right_option else q.wrong_option end],
                 a.started_at + j * interval '40 seconds', a.started_at + j * interval '40 seconds', j >= a.question_count - a.correct_count
          from quiz_attempts a
          join enrolments e on e.id = a.enrolment_id
          join seed_versions v on v.course_id = e.course_id
          cross join generate_series(0, a.question_count - 1) j
          join seed_questions q on q.course_id = e.course_id and q.idx = ((hashint4(e.id * 31 + a.number) & 1023) % v.nq + j) % v.nq
          where a.id between ? and ? and a.submitted_at is not null`,
          [from, from + 99_999],
        );
        answers += r.rowCount ?? 0;
      }
      process.stdout.write(
        `${'quiz answers'.padEnd(44)} ${String(answers).padStart(10)} rows ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s\n`,
      );
      await run(
        'evaluations',
        `
        insert into evaluations (enrolment_id, useful, matches_description, comment, created_at)
        select e.id,
               (array[4,4,4,4,4,3,3,3,2,1])[1 + floor(random() * 10)::int],
               (array[4,4,4,4,3,3,3,3,2,1])[1 + floor(random() * 10)::int],
               case when random() < 0.15 then (array['Bra kurs, lätt att förstå.','Mer film hade varit bra.','Otydligt hur man går vidare till nästa avsnitt.','Bra med fallet från verkligheten.','Lite mycket text.','Uppläsningen hjälpte mig mycket.','Fler frågor i testet, tack.','Jag lärde mig vem jag ska ringa när något går sönder.'])[1 + floor(random() * 8)::int] end,
               e.completed_at + interval '5 minutes'
        from enrolments e join users u on u.id = e.user_id and u.email like '%@skala.test'
        where e.completed_at is not null
        order by md5(e.id::text) limit ?`,
        [EVALUATIONS],
      );

      await trx.raw('alter table enrolments enable trigger enrolments_person_course_facts');
      await trx.raw('alter table completions enable trigger completions_person_course_facts');
      await run(
        'person_course_facts (rebuilt)',
        `
        insert into person_course_facts (user_id, course_id, completed_at, valid_until, open_started_at)
        select coalesce(c.user_id, o.user_id), coalesce(c.course_id, o.course_id), c.completed_at, c.valid_until, o.started_at
        from (select distinct on (user_id, course_id) user_id, course_id, completed_at, valid_until from completions order by user_id, course_id, completed_at desc, id desc) c
        full join (select user_id, course_id, started_at from enrolments where completed_at is null) o on o.user_id = c.user_id and o.course_id = c.course_id
        on conflict (user_id, course_id) do update set completed_at = excluded.completed_at, valid_until = excluded.valid_until, open_started_at = excluded.open_started_at`,
      );
      for (const [table, trigger] of STATS_TRIGGERS)
        await trx.raw(`alter table ${table} enable trigger ${trigger}`);
    });
    await step('analyze', 'analyze');
    const t0 = Date.now();
    const refreshed = await statsRepository(db).refreshViews({ full: true });
    process.stdout.write(
      `${'regional figures computed'.padEnd(44)} ${refreshed.parts.map((r) => `${r.view.replace('stats_', '')} ${(r.ms / 1000).toFixed(1)} s`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    const counts = (
      await db.raw(`select (select count(*) from users where email like '%@skala.test') as people, (select count(*) from organisations where name like 'Skalkommun %') as organisations,
      (select count(*) from units where join_code like 'SK%') as units, (select count(*) from enrolments) as enrolments, (select count(*) from completions) as completions,
      (select count(*) from lesson_progress) as lessons_done, (select count(*) from quiz_attempts) as attempts, (select count(*) from quiz_answers) as answers,
      (select count(*) from evaluations) as evaluations`)
    ).rows[0];
    process.stdout.write(
      `\nDone in ${((Date.now() - started) / 60000).toFixed(1)} minutes: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${Number(v).toLocaleString('sv-SE')}`)
        .join(', ')}\n`,
    );
  } finally {
    await close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
