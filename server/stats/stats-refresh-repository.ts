/**
 * Keeps the regional figures up to date (issue 13): triggers note in queues which courses and months
 * (HMC's figures) and which units (the organisation-wide manager figures) had facts change
 * (migration 202612021000000); a run recomputes just those from the facts, in one transaction, so pages
 * read either the previous or the new figures. The first run, or a `full` one, computes everything.
 *
 * Manager states also change with time alone: a completion starts to expire 60 days before its end and
 * expires at it. A run also recomputes the units with a state whose threshold fell between the last run
 * and this one, and every unit in a new month (the "last 12 months" column). See docs/stats.md.
 */
import type { Knex } from 'knex';
import { EXPIRING_DAYS } from '../courses/course-status';

export interface RefreshReport {
  full: boolean;
  /** Course-months and units recomputed. */
  courseMonths: number;
  units: number;
  parts: { view: string; ms: number }[];
}

/** Advisory lock key: one refresh at a time (a second waits, then refreshes what is left). */
const REFRESH_LOCK = 6_060_613;
const EXPIRING = `make_interval(hours => ${EXPIRING_DAYS * 24})`;
/** A time as an SQL literal (our own Date, never user input). */
const at = (d: Date) => `'${d.toISOString()}'::timestamptz`;

/** The people a manager counts (as the live figures in stats-repository.ts), in the units being refreshed. */
const staffSql = (keyed: boolean) => `select u.id, u.name, u.unit_id, u.job_role from users u
  where u.unit_id is not null and u.disabled_at is null
    ${keyed ? 'and u.unit_id in (select unit_id from stats_refresh_units)' : ''}
    and (not exists (select 1 from permissions p where p.user_id = u.id and p.kind = 'manager')
         or exists (select 1 from person_course_facts pf where pf.user_id = u.id))`;
const unitFilter = (keyed: boolean) =>
  keyed ? 'unit_id in (select unit_id from stats_refresh_units)' : 'true';

/** The facts of the course-months being refreshed (or all of them). */
const sources = (keyed: boolean) => ({
  enrolments: keyed
    ? `select e.course_id, e.user_id, e.started_at from stats_refresh_keys k cross join lateral (
         select course_id, user_id, started_at from enrolments e
         where e.course_id = k.course_id and e.started_at >= k.from_ts and e.started_at < k.to_ts) e`
    : 'select course_id, user_id, started_at from enrolments',
  completions: keyed
    ? `select c.course_id, c.user_id, c.completed_at from stats_refresh_keys k cross join lateral (
         select course_id, user_id, completed_at from completions c
         where c.course_id = k.course_id and c.completed_at >= k.from_ts and c.completed_at < k.to_ts) c`
    : 'select course_id, user_id, completed_at from completions',
  attempts: keyed
    ? `select a.id, a.submitted_at, a.passed, e.course_id, e.user_id, e.completed_at
       from (select distinct month, from_ts, to_ts from stats_refresh_keys) m
       cross join lateral (select id, enrolment_id, submitted_at, passed from quiz_attempts a
                           where a.submitted_at >= m.from_ts and a.submitted_at < m.to_ts) a
       join enrolments e on e.id = a.enrolment_id
       join stats_refresh_keys k on k.course_id = e.course_id and k.month = m.month`
    : `select a.id, a.submitted_at, a.passed, e.course_id, e.user_id, e.completed_at
       from quiz_attempts a join enrolments e on e.id = a.enrolment_id where a.submitted_at is not null`,
  evaluations: keyed
    ? `select v.id, v.created_at, v.useful, v.matches_description, v.comment, e.course_id, e.user_id
       from (select distinct month, from_ts, to_ts from stats_refresh_keys) m
       cross join lateral (select id, enrolment_id, created_at, useful, matches_description, comment from evaluations v
                           where v.created_at >= m.from_ts and v.created_at < m.to_ts) v
       join enrolments e on e.id = v.enrolment_id
       join stats_refresh_keys k on k.course_id = e.course_id and k.month = m.month`
    : `select v.id, v.created_at, v.useful, v.matches_description, v.comment, e.course_id, e.user_id
       from evaluations v join enrolments e on e.id = v.enrolment_id`,
});

const ORG = 'join users u on u.id = x.user_id left join units un on un.id = u.unit_id';
const KEYS_OF = (t: string) =>
  `using stats_refresh_keys k where ${t}.course_id = k.course_id and ${t}.month = k.month`;

/** Each table's recomputation: delete its rows of the keys (or all), insert them from the facts. */
function hmcSteps(keyed: boolean): { view: string; sql: string[] }[] {
  const src = sources(keyed);
  const del = (t: string) => (keyed ? `delete from ${t} t ${KEYS_OF('t')}` : `delete from ${t}`);
  const totalsFrom = (t: string) =>
    keyed ? `${t} t join stats_refresh_keys k using (course_id, month)` : `${t} t`;
  return [
    {
      view: 'stats_course_months',
      sql: [
        del('stats_course_months'),
        `insert into stats_course_months (course_id, organisation_id, month, started, completed)
         select course_id, organisation_id, month, sum(started)::int, sum(completed)::int from (
           select x.course_id, coalesce(un.organisation_id, 0) as organisation_id, stats_month(x.started_at) as month, 1 as started, 0 as completed
           from (${src.enrolments}) x ${ORG}
           union all
           select x.course_id, coalesce(un.organisation_id, 0), stats_month(x.completed_at), 0, 1
           from (${src.completions}) x ${ORG}) y
         group by 1, 2, 3`,
      ],
    },
    {
      view: 'stats_quiz_months',
      sql: [
        del('stats_quiz_months'),
        `insert into stats_quiz_months (course_id, organisation_id, month, attempts, passed, attempts_to_pass)
         select x.course_id, coalesce(un.organisation_id, 0), stats_month(x.submitted_at), count(*)::int,
                count(*) filter (where x.passed)::int, count(*) filter (where x.completed_at is not null)::int
         from (${src.attempts}) x ${ORG} group by 1, 2, 3`,
      ],
    },
    {
      view: 'stats_question_answers',
      sql: [
        del('stats_question_answers'),
        `insert into stats_question_answers (course_id, question_id, month, answers, correct)
         select x.course_id, q.question_id, stats_month(x.submitted_at), count(*)::int, count(*) filter (where q.is_correct)::int
         from (${src.attempts}) x join quiz_answers q on q.attempt_id = x.id group by 1, 2, 3`,
      ],
    },
    {
      view: 'stats_evaluation_months',
      sql: [
        del('stats_evaluation_months'),
        `insert into stats_evaluation_months (course_id, organisation_id, month, useful, matches_description, answers)
         select x.course_id, coalesce(un.organisation_id, 0), stats_month(x.created_at), x.useful, x.matches_description, count(*)::int
         from (${src.evaluations}) x ${ORG} group by 1, 2, 3, 4, 5`,
      ],
    },
    {
      view: 'stats_evaluation_comments',
      sql: [
        keyed
          ? `delete from stats_evaluation_comments t using stats_refresh_keys k
             where t.course_id = k.course_id and t.created_at >= k.from_ts and t.created_at < k.to_ts`
          : 'delete from stats_evaluation_comments',
        `insert into stats_evaluation_comments (id, course_id, organisation_id, created_at, comment)
         select x.id, x.course_id, coalesce(un.organisation_id, 0), x.created_at, x.comment
         from (${src.evaluations}) x ${ORG} where x.comment is not null and x.comment <> ''`,
      ],
    },
    {
      view: 'stats_course_totals',
      sql: [
        del('stats_course_totals'),
        `insert into stats_course_totals (course_id, month, started, completed)
         select t.course_id, t.month, sum(t.started)::int, sum(t.completed)::int from ${totalsFrom('stats_course_months')} group by 1, 2`,
      ],
    },
    {
      view: 'stats_quiz_totals',
      sql: [
        del('stats_quiz_totals'),
        `insert into stats_quiz_totals (course_id, month, attempts, passed, attempts_to_pass)
         select t.course_id, t.month, sum(t.attempts)::int, sum(t.passed)::int, sum(t.attempts_to_pass)::int
         from ${totalsFrom('stats_quiz_months')} group by 1, 2`,
      ],
    },
    {
      view: 'stats_evaluation_totals',
      sql: [
        del('stats_evaluation_totals'),
        `insert into stats_evaluation_totals (course_id, month, useful, matches_description, answers)
         select t.course_id, t.month, t.useful, t.matches_description, sum(t.answers)::int
         from ${totalsFrom('stats_evaluation_months')} group by 1, 2, 3, 4`,
      ],
    },
  ];
}

/**
 * The manager tables for the units being refreshed (or all). The state rule is STATE_SQL's in
 * stats-repository.ts and course-status.ts, evaluated at `now`.
 */
function managerSteps(keyed: boolean, now: Date): { view: string; sql: string[] }[] {
  const units = unitFilter(keyed);
  const del = (t: string) => `delete from ${t} where ${units}`;
  return [
    {
      view: 'stats_manager_states',
      sql: [
        del('stats_manager_states'),
        `insert into stats_manager_states (user_id, name, organisation_id, unit_id, job_role, course_id, effective_until, state)
         with staff as (${staffSql(keyed)}),
         r as (
           select s.id as user_id, s.name, s.unit_id, s.job_role, tc.course_id, f.open_started_at, ${at(now)} as now,
                  least(f.valid_until, (f.completed_at at time zone 'UTC' + make_interval(months => tc.repeat_months)) at time zone 'UTC') as effective_until
           from staff s
           join track_courses tc on tc.job_role = s.job_role and tc.requirement = 'required'
           join courses c on c.id = tc.course_id and c.retired_at is null
           left join person_course_facts f on f.user_id = s.id and f.course_id = tc.course_id
         )
         select r.user_id, r.name, un.organisation_id, r.unit_id, r.job_role, r.course_id, r.effective_until,
           case
             when r.effective_until > r.now and r.effective_until - r.now <= ${EXPIRING} then 'expiring'
             when r.effective_until > r.now then 'completed'
             when r.open_started_at is not null then 'in_progress'
             when r.effective_until is not null then 'expired'
             else 'not_started' end
         from r join units un on un.id = r.unit_id`,
      ],
    },
    {
      view: 'stats_manager_staff',
      sql: [
        del('stats_manager_staff'),
        `insert into stats_manager_staff (unit_id, organisation_id, job_role, people, lacking_people)
         select s.unit_id, un.organisation_id, s.job_role, count(*)::int,
                count(*) filter (where exists (select 1 from stats_manager_states m where m.user_id = s.id and m.state <> 'completed'))::int
         from (${staffSql(keyed)}) s join units un on un.id = s.unit_id group by 1, 2, 3`,
      ],
    },
    {
      view: 'stats_manager_completions',
      sql: [
        del('stats_manager_completions'),
        `insert into stats_manager_completions (unit_id, organisation_id, job_role, course_id, month, completed)
         select s.unit_id, un.organisation_id, s.job_role, c.course_id, stats_month(c.completed_at), count(*)::int
         from (${staffSql(keyed)}) s
         join units un on un.id = s.unit_id
         join completions c on c.user_id = s.id
         join track_courses tc on tc.job_role = s.job_role and tc.course_id = c.course_id and tc.requirement = 'required'
         group by 1, 2, 3, 4, 5`,
      ],
    },
    {
      view: 'stats_manager_counts',
      sql: [
        del('stats_manager_counts'),
        `insert into stats_manager_counts (unit_id, organisation_id, course_id, completed, expiring, expired, in_progress,
                                           not_started, completed_last_12_months, last_12_months_from)
         with s as (
           select unit_id, organisation_id, course_id,
                  count(*) filter (where state = 'completed')::int as completed,
                  count(*) filter (where state = 'expiring')::int as expiring,
                  count(*) filter (where state = 'expired')::int as expired,
                  count(*) filter (where state = 'in_progress')::int as in_progress,
                  count(*) filter (where state = 'not_started')::int as not_started
           from stats_manager_states where ${units} group by 1, 2, 3
         ),
         period as (select (stats_month(${at(now)}) - interval '11 months')::date as first_month, stats_month(${at(now)}) as last_month),
         p as (
           select unit_id, organisation_id, course_id, sum(completed)::int as completed
           from stats_manager_completions, period
           where ${units} and month between period.first_month and period.last_month
           group by 1, 2, 3
         )
         select coalesce(s.unit_id, p.unit_id), coalesce(s.organisation_id, p.organisation_id), coalesce(s.course_id, p.course_id),
                coalesce(s.completed, 0), coalesce(s.expiring, 0), coalesce(s.expired, 0),
                coalesce(s.in_progress, 0), coalesce(s.not_started, 0),
                coalesce(p.completed, 0), (select first_month from period)
         from s full join p on p.unit_id = s.unit_id and p.course_id = s.course_id`,
      ],
    },
  ];
}

/** Brings every regional table up to date: only what changed since the last run, or everything. */
export async function refreshStats(
  db: Knex,
  opts: { full?: boolean; now?: Date } = {},
): Promise<RefreshReport> {
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [REFRESH_LOCK]);
    const now = opts.now ?? new Date();
    const clock = await trx('stats_refresh_clock').first<{ computed_at: Date } | undefined>('computed_at');
    const last = clock?.computed_at;
    const parts: RefreshReport['parts'] = [];
    const run = async (steps: { view: string; sql: string[] }[]) => {
      for (const step of steps) {
        const t0 = Date.now();
        for (const sql of step.sql) await trx.raw(sql);
        parts.push({ view: step.view, ms: Date.now() - t0 });
      }
    };
    let courseMonths = 0;
    let units = 0;
    const full = !!opts.full || !last;
    if (full) {
      // Taken before computing, so a change committed meanwhile stays queued for the next run.
      for (const q of ['stats_dirty_course_months', 'stats_dirty_units', 'stats_dirty_roles'])
        await trx.raw(`delete from ${q}`);
      await run(hmcSteps(false));
      await run(managerSteps(false, now));
    } else {
      await trx.raw(`create temp table stats_refresh_keys (course_id int, month date, from_ts timestamptz, to_ts timestamptz,
        primary key (course_id, month)) on commit drop`);
      courseMonths = (
        await trx.raw<{
          rowCount: number;
        }>(`with d as (delete from stats_dirty_course_months returning course_id, month)
          insert into stats_refresh_keys
          select distinct course_id, month, month::timestamp at time zone 'Europe/Stockholm',
                 (month + interval '1 month')::timestamp at time zone 'Europe/Stockholm' from d`)
      ).rowCount;
      await trx.raw('create temp table stats_refresh_units (unit_id int primary key) on commit drop');
      await trx.raw(`with d as (delete from stats_dirty_units returning unit_id)
        insert into stats_refresh_units select distinct unit_id from d`);
      // A track changed: every unit with people of the role.
      await trx.raw(`with d as (delete from stats_dirty_roles returning job_role)
        insert into stats_refresh_units select distinct u.unit_id from users u
        where u.job_role in (select job_role from d) and u.unit_id is not null on conflict do nothing`);
      // States that time alone changed since the last run, or every unit in a new month.
      await trx.raw(
        `insert into stats_refresh_units
         select unit_id from stats_manager_states
         where (effective_until > ${at(last)} and effective_until <= ${at(now)})
            or (effective_until > ${at(last)} + ${EXPIRING} and effective_until <= ${at(now)} + ${EXPIRING})
         union select id from units where stats_month(${at(last)}) <> stats_month(${at(now)})
         on conflict do nothing`,
      );
      const count = await trx.raw<{ rows: { n: number }[] }>(
        'select count(*)::int as n from stats_refresh_units',
      );
      units = count.rows[0].n;
      // Temporary tables have no statistics until analysed; the plans go by index from these keys.
      await trx.raw('analyze stats_refresh_keys');
      await trx.raw('analyze stats_refresh_units');
      if (courseMonths) await run(hmcSteps(true));
      if (units) await run(managerSteps(true, now));
    }
    await trx.raw(
      `insert into stats_refresh_clock (computed_at) values (?) on conflict (id) do update set computed_at = excluded.computed_at`,
      [now],
    );
    // Every table is now as of this run (those with nothing to recompute too).
    const views = [...hmcSteps(false), ...managerSteps(false, now)].map((s) => s.view);
    const ms = new Map(parts.map((p) => [p.view, p.ms]));
    await trx('stats_refreshes')
      .insert(views.map((v) => ({ view_name: v, refreshed_at: now, duration_ms: ms.get(v) ?? 0 })))
      .onConflict('view_name')
      .merge();
    return { full, courseMonths, units, parts };
  });
}
