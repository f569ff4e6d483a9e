/**
 * The SQL behind the statistics. Manager figures are computed live from `person_course_facts` (kept by
 * triggers) and use the same rule as a learner's own status (server/courses/course-status.ts); HMC's
 * regional figures read materialised views refreshed by the scheduled job.
 */
import type { Knex } from 'knex';
import { EXPIRING_DAYS, type CourseState } from '../courses/course-status';
import { refreshStats, type RefreshReport } from './stats-refresh-repository';
import { currentMonth } from './stats-validation';
import {
  STATES,
  type ClassroomRow,
  type CourseMonth,
  type EvaluationFigures,
  type HmcFilters,
  type LackingPerson,
  type ManagerFilters,
  type ManagerFigures,
  type ManagerScope,
  type Period,
  type QuizFigures,
  type StateCounts,
  type UnitCourseFigures,
} from './types';

/** HMC's regional tables (kept up to date by stats-refresh-repository.ts). */
export const HMC_VIEWS = [
  'stats_course_months',
  'stats_quiz_months',
  'stats_question_answers',
  'stats_evaluation_months',
  'stats_evaluation_comments',
  // Roll-ups over all organisations, read from the views above (so refreshed after them).
  'stats_course_totals',
  'stats_quiz_totals',
  'stats_evaluation_totals',
] as const;
/** Organisation-wide manager figures (tables, migration 202612021000000). */
export const MANAGER_VIEWS = [
  'stats_manager_states',
  'stats_manager_staff',
  'stats_manager_completions',
  'stats_manager_counts',
] as const;
/** Every table the scheduled job keeps up to date. */
export const STATS_VIEWS = [...HMC_VIEWS, ...MANAGER_VIEWS] as const;

/**
 * A required course's state in SQL, the same rule as courseStatus(): the newest completion counts until
 * the earlier of its validity and completion + the track's interval (calendar months in UTC, like
 * addMonths), "expiring" within EXPIRING_DAYS, then an open enrolment, then expired, else not started.
 */
const EFFECTIVE_UNTIL = `least(f.valid_until, (f.completed_at at time zone 'UTC' + make_interval(months => tc.repeat_months)) at time zone 'UTC')`;
const STATE_SQL = `case
    when r.effective_until > r.now and r.effective_until - r.now <= make_interval(hours => ${EXPIRING_DAYS * 24}) then 'expiring'
    when r.effective_until > r.now then 'completed'
    when r.open_started_at is not null then 'in_progress'
    when r.effective_until is not null then 'expired'
    else 'not_started' end`;

/** People per state as columns (one row per unit and course). */
const COUNTS_SQL = STATES.map((s) => `count(*) filter (where state = '${s}')::int as ${s}`).join(', ');

/** The number of months from one `YYYY-MM` to another, both included. */
const monthsBetween = (from: string, to: string) =>
  Number(to.slice(0, 4)) * 12 +
  Number(to.slice(5, 7)) -
  (Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7))) +
  1;

/** First day of a `YYYY-MM` month and the first day after a period, as dates in Swedish time. */
export function periodBounds(period: Period): { from: string; toExclusive: string } {
  const [y, m] = period.to.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${period.from}-01`, toExclusive: `${next}-01` };
}

const emptyCounts = (): StateCounts => ({
  completed: 0,
  expiring: 0,
  expired: 0,
  in_progress: 0,
  not_started: 0,
});
const emptyFigures = (): ManagerFigures => ({
  staffByRole: [],
  staffTotal: 0,
  byUnitCourse: [],
  lacking: [],
  lackingTotal: 0,
  asOf: null,
});

/** One row of a figures statement: each part as JSON (one round trip, the states computed once). */
interface FiguresRow {
  roles: { job_role: string | null; people: number }[];
  counts: ({
    unit_id: number;
    course_id: number;
    completed_last_12_months?: number;
    last_12_months_from?: string;
  } & StateCounts)[];
  lacking: {
    user_id: number;
    name: string;
    unit_id: number;
    job_role: string | null;
    course_id: number;
    state: CourseState;
    effective_until: string | null;
  }[];
  lacking_total: number | null;
  in_period: { unit_id: number; course_id: number; completed: number }[];
}

function toFigures(row: FiguresRow, asOf: Date | null): ManagerFigures {
  const byKey = new Map<string, UnitCourseFigures>();
  const entry = (unitId: number, courseId: number) => {
    const key = `${unitId}:${courseId}`;
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { unitId, courseId, counts: emptyCounts(), completedInPeriod: 0 }));
    return e;
  };
  for (const r of row.counts)
    entry(r.unit_id, r.course_id).counts = {
      completed: r.completed,
      expiring: r.expiring,
      expired: r.expired,
      in_progress: r.in_progress,
      not_started: r.not_started,
    };
  for (const r of row.in_period) entry(r.unit_id, r.course_id).completedInPeriod = r.completed;
  const staffByRole = row.roles.map((r) => ({ jobRole: r.job_role, people: r.people }));
  return {
    staffByRole,
    staffTotal: staffByRole.reduce((s, r) => s + r.people, 0),
    byUnitCourse: [...byKey.values()],
    lacking: row.lacking.map((r): LackingPerson => ({
      userId: r.user_id,
      name: r.name,
      unitId: r.unit_id,
      jobRole: r.job_role,
      courseId: r.course_id,
      state: r.state,
      validUntil: r.effective_until === null ? null : new Date(r.effective_until),
    })),
    lackingTotal: row.lacking_total ?? 0,
    asOf,
  };
}

export function statsRepository(db: Knex) {
  /**
   * The people a manager's figures count: active people of the scoped units (after the unit and role
   * filters). Managers count only when they take courses themselves.
   */
  function staffSql(
    scope: ManagerScope,
    f: Pick<ManagerFilters, 'unitId' | 'jobRole'>,
  ): { sql: string; bindings: Knex.RawBinding[] } {
    // A PostgreSQL array literal (ids are integers): knex would expand a JS array into a list.
    const bindings: Knex.RawBinding[] = [`{${scope.unitIds.join(',')}}`];
    let sql = `select u.id, u.name, u.unit_id, u.job_role from users u
      where u.unit_id = any(?::int[]) and u.disabled_at is null
        and (not exists (select 1 from permissions p where p.user_id = u.id and p.kind = 'manager')
             or exists (select 1 from person_course_facts pf where pf.user_id = u.id))`;
    if (f.unitId) {
      sql += ' and u.unit_id = ?';
      bindings.push(f.unitId);
    }
    if (f.jobRole) {
      sql += ' and u.job_role = ?';
      bindings.push(f.jobRole);
    }
    return { sql, bindings };
  }

  return {
    /**
     * The units a manager's permissions reach (organisation scopes expanded to their units), with their
     * names, in one query; and whether the scope is whole organisations.
     */
    async managerScope(
      permissions: { kind: string; organisationId: number | null; unitId: number | null }[],
    ): Promise<ManagerScope> {
      const managed = permissions.filter((p) => p.kind === 'manager');
      const unitIds = managed.flatMap((p) => (p.unitId ? [p.unitId] : []));
      const orgIds = managed.flatMap((p) => (p.organisationId ? [p.organisationId] : []));
      if (!unitIds.length && !orgIds.length) return { unitIds: [], units: [] };
      const rows = (
        await db.raw<{ rows: { id: number; name: string; organisation_name: string; whole: boolean }[] }>(
          `select u.id, u.name, o.name as organisation_name, u.organisation_id = any(?::int[]) as whole
           from units u join organisations o on o.id = u.organisation_id
           where u.id = any(?::int[]) or u.organisation_id = any(?::int[])
           order by o.name, u.name`,
          [`{${orgIds.join(',')}}`, `{${unitIds.join(',')}}`, `{${orgIds.join(',')}}`],
        )
      ).rows;
      return {
        unitIds: rows.map((r) => r.id).sort((a, b) => a - b),
        ...(rows.length && rows.every((r) => r.whole) ? { wholeOrganisationIds: [...new Set(orgIds)] } : {}),
        units: rows.map((r) => ({ id: r.id, name: r.name, organisationName: r.organisation_name })),
      };
    },

    async unitsIn(scope: ManagerScope): Promise<{ id: number; name: string; organisationName: string }[]> {
      if (scope.units) return scope.units;
      const rows = await db('units as u')
        .join('organisations as o', 'o.id', 'u.organisation_id')
        .whereIn('u.id', scope.unitIds)
        .orderBy(['o.name', 'u.name'])
        .select('u.id', 'u.name', 'o.name as organisation_name');
      return rows.map((r: { id: number; name: string; organisation_name: string }) => ({
        id: r.id,
        name: r.name,
        organisationName: r.organisation_name,
      }));
    },

    /**
     * The manager dashboard's figures, live: every state is computed once in one statement (from
     * person_course_facts) and aggregated there. `lackingLimit` caps the list of people (the export asks
     * for all, null). Fast for units (tens to hundreds of people); organisations read managerFiguresPrecomputed.
     */
    async managerFigures(
      scope: ManagerScope,
      f: ManagerFilters,
      now: Date,
      lackingLimit: number | null,
    ): Promise<ManagerFigures> {
      if (!scope.unitIds.length) return emptyFigures();
      const staff = staffSql(scope, f);
      const { from, toExclusive } = periodBounds(f.period);
      const bindings: Knex.RawBinding[] = [...staff.bindings, now];
      let courseFilter = '';
      let periodCourse = '';
      if (f.courseId) {
        courseFilter = 'and tc.course_id = ?';
        periodCourse = 'and c.course_id = ?';
        bindings.push(f.courseId);
      }
      bindings.push(lackingLimit, from, toExclusive);
      if (f.courseId) bindings.push(f.courseId);
      const result = await db.raw<{ rows: FiguresRow[] }>(
        `with staff as materialized (${staff.sql}),
        r as (
          select s.id as user_id, s.name, s.unit_id, s.job_role, tc.course_id, f.open_started_at, ?::timestamptz as now,
                 ${EFFECTIVE_UNTIL} as effective_until
          from staff s
          join track_courses tc on tc.job_role = s.job_role and tc.requirement = 'required' ${courseFilter}
          join courses c on c.id = tc.course_id and c.retired_at is null
          left join person_course_facts f on f.user_id = s.id and f.course_id = tc.course_id
        ),
        states as materialized (select r.user_id, r.name, r.unit_id, r.job_role, r.course_id, r.effective_until, ${STATE_SQL} as state from r)
        select
          (select coalesce(json_agg(x order by x.job_role nulls last), '[]') from (select job_role, count(*)::int as people from staff group by job_role) x) as roles,
          (select coalesce(json_agg(x), '[]') from (select unit_id, course_id, ${COUNTS_SQL} from states group by 1, 2) x) as counts,
          (select coalesce(json_agg(x order by x.name, x.user_id, x.course_id), '[]') from (
             select user_id, name, unit_id, job_role, course_id, state, effective_until from states where state <> 'completed'
             order by name, user_id, course_id limit ?::bigint) x) as lacking,
          (select count(distinct user_id)::int from states where state <> 'completed') as lacking_total,
          (select coalesce(json_agg(x), '[]') from (
             select s.unit_id, c.course_id, count(*)::int as completed from staff s
             join completions c on c.user_id = s.id and c.completed_at >= (?::date at time zone 'Europe/Stockholm') and c.completed_at < (?::date at time zone 'Europe/Stockholm')
             join track_courses tc on tc.job_role = s.job_role and tc.course_id = c.course_id and tc.requirement = 'required'
             where true ${periodCourse}
             group by 1, 2) x) as in_period`,
        bindings,
      );
      return toFigures(result.rows[0], null);
    },

    /**
     * The same figures from the views the scheduled job refreshes (MANAGER_VIEWS), as of their refresh:
     * for organisation-wide views, which the issue allows to be up to 15 minutes old.
     */
    async managerFiguresPrecomputed(
      scope: ManagerScope,
      f: ManagerFilters,
      lackingLimit: number | null,
      asOf: Date,
    ): Promise<ManagerFigures> {
      if (!scope.unitIds.length) return { ...emptyFigures(), asOf };
      const unitIds = f.unitId ? [f.unitId] : scope.unitIds;
      const units = `{${unitIds.join(',')}}`;
      // The organisations in view, and whether the view is their every unit (an organisation manager's):
      // then the list is read in name order from its index and stops after a page.
      const orgRows = (
        !f.unitId && scope.wholeOrganisationIds
          ? { rows: scope.wholeOrganisationIds.map((id) => ({ id, whole: true })) }
          : await db.raw<{ rows: { id: number; whole: boolean }[] }>(
              `select organisation_id as id, bool_and(id = any(?::int[])) as whole from units
           where organisation_id in (select organisation_id from units where id = any(?::int[])) group by 1`,
              [units, units],
            )
      ).rows;
      const wholeOrganisations = orgRows.every((o) => o.whole);
      const orgs = `{${orgRows.map((o) => o.id).join(',')}}`;
      // Every table has the organisation: whole organisations are read by it (an index range; a list of
      // 200 units costs planning time and misleads the estimates). `= ?` for one organisation: the planner
      // reads an index in order (the list of people) only for a plain equality.
      const [scopeSql, scopeBinding]: [string, Knex.RawBinding] = !wholeOrganisations
        ? ['unit_id = any(?::int[])', units]
        : orgRows.length === 1
          ? ['organisation_id = ?', orgRows[0].id]
          : ['organisation_id = any(?::int[])', orgs];
      // A part's filter: the scope, then the role and course filters where the part has them.
      const where = (
        o: { role: boolean; course: boolean },
        unitsSql = scopeSql,
        unitsBinding: Knex.RawBinding = scopeBinding,
      ) => {
        let sql = unitsSql;
        const b: Knex.RawBinding[] = [unitsBinding];
        if (o.role && f.jobRole) {
          sql += ' and job_role = ?';
          b.push(f.jobRole);
        }
        if (o.course && f.courseId) {
          sql += ' and course_id = ?';
          b.push(f.courseId);
        }
        return { sql, b };
      };
      const staff = where({ role: true, course: false });
      const states = where({ role: true, course: true });
      const list = states;
      // The default period (12 months up to the month of the refresh) is summed in stats_manager_counts.
      const { from, toExclusive } = periodBounds(f.period);
      const recent =
        !f.jobRole && f.period.to === currentMonth(asOf) && monthsBetween(f.period.from, f.period.to) === 12;
      // Without a role filter the per-unit counts are read pre-aggregated; with one, from the states.
      const counts = f.jobRole
        ? {
            sql: `select unit_id, course_id, ${COUNTS_SQL} from stats_manager_states where ${states.sql} group by 1, 2`,
            b: states.b,
          }
        : (() => {
            const w = where({ role: false, course: true });
            // Rows of a unit and course with completions only (a course no longer required) count in the period only.
            const people = STATES.join(' + ');
            const keep = recent ? `(${people} > 0 or completed_last_12_months > 0)` : `${people} > 0`;
            return {
              sql: `select unit_id, course_id, ${STATES.join(', ')}, completed_last_12_months, last_12_months_from from stats_manager_counts where ${w.sql} and ${keep}`,
              b: w.b,
            };
          })();
      // Without a course filter, people lacking add up over units and roles; with one, each lacks once.
      const lackingTotal = f.courseId
        ? {
            sql: `select count(*)::int from stats_manager_states where ${states.sql} and state <> 'completed'`,
            b: states.b,
          }
        : {
            sql: `select coalesce(sum(lacking_people), 0)::int from stats_manager_staff where ${staff.sql}`,
            b: staff.b,
          };
      const inPeriodSql = `select coalesce(json_agg(x), '[]') from (
             select unit_id, course_id, sum(completed)::int as completed from stats_manager_completions
             where ${states.sql} and month >= ?::date and month < ?::date group by 1, 2) x`;
      const result = await db.raw<{ rows: FiguresRow[] }>(
        `select
          (select coalesce(json_agg(x order by x.job_role nulls last), '[]') from (
             select job_role, sum(people)::int as people from stats_manager_staff where ${staff.sql} group by job_role) x) as roles,
          (select coalesce(json_agg(x), '[]') from (${counts.sql}) x) as counts,
          (select coalesce(json_agg(x order by x.name, x.user_id, x.course_id), '[]') from (
             select user_id, name, unit_id, job_role, course_id, state, effective_until from stats_manager_states
             where ${list.sql} and state <> 'completed' order by name, user_id, course_id limit ?::bigint) x) as lacking,
          (${lackingTotal.sql}) as lacking_total
          ${recent ? '' : `, (${inPeriodSql}) as in_period`}`,
        [
          ...staff.b,
          ...counts.b,
          ...list.b,
          lackingLimit,
          ...lackingTotal.b,
          ...(recent ? [] : [...states.b, from, toExclusive]),
        ],
      );
      const row = result.rows[0];
      if (recent) {
        // The view's period is the refresh's; a refresh that straddled a new month has another one.
        if (row.counts.every((c) => c.last_12_months_from === `${f.period.from}-01`)) {
          row.in_period = row.counts
            .map((c) => ({
              unit_id: c.unit_id,
              course_id: c.course_id,
              completed: c.completed_last_12_months ?? 0,
            }))
            .filter((c) => c.completed > 0);
        } else {
          const inPeriod = await db.raw<{ rows: { coalesce: FiguresRow['in_period'] }[] }>(inPeriodSql, [
            ...states.b,
            from,
            toExclusive,
          ]);
          row.in_period = inPeriod.rows[0].coalesce;
        }
      }
      return toFigures(row, asOf);
    },

    /** The e-mail addresses of people by id (for the export's list of people). */
    async emailsOf(userIds: number[]): Promise<Map<number, string>> {
      if (!userIds.length) return new Map();
      const rows = (
        await db.raw<{ rows: { id: number; email: string }[] }>(
          'select id, email from users where id = any(?::int[])',
          [`{${[...new Set(userIds)].join(',')}}`],
        )
      ).rows;
      return new Map(rows.map((r) => [r.id, r.email]));
    },

    /** Whether a person belongs to one of the scope's units (for the training record and any id in a URL). */
    async unitOf(userId: number): Promise<number | null> {
      const row = await db('users')
        .where({ id: userId })
        .first<{ unit_id: number | null } | undefined>('unit_id');
      return row?.unit_id ?? null;
    },

    async personInScope(scope: ManagerScope, userId: number): Promise<boolean> {
      if (!scope.unitIds.length) return false;
      return !!(await db('users').where({ id: userId }).whereIn('unit_id', scope.unitIds).first('id'));
    },

    async person(id: number): Promise<{
      id: number;
      name: string;
      email: string;
      unitName: string | null;
      organisationName: string | null;
      jobRole: string | null;
      disabledAt: Date | null;
    } | null> {
      const r = await db('users as u')
        .leftJoin('units as un', 'un.id', 'u.unit_id')
        .leftJoin('organisations as o', 'o.id', 'un.organisation_id')
        .where('u.id', id)
        .first<
          | {
              id: number;
              name: string;
              email: string;
              unit_name: string | null;
              organisation_name: string | null;
              job_role: string | null;
              disabled_at: Date | null;
            }
          | undefined
        >(
          'u.id',
          'u.name',
          'u.email',
          'un.name as unit_name',
          'o.name as organisation_name',
          'u.job_role',
          'u.disabled_at',
        );
      return r
        ? {
            id: r.id,
            name: r.name,
            email: r.email,
            unitName: r.unit_name,
            organisationName: r.organisation_name,
            jobRole: r.job_role,
            disabledAt: r.disabled_at,
          }
        : null;
    },

    /** A person's completions, newest first (their training history). */
    async completionsOf(
      userId: number,
    ): Promise<{ courseId: number; kind: 'elearning' | 'classroom'; completedAt: Date; validUntil: Date }[]> {
      const rows = await db('completions')
        .where({ user_id: userId })
        .orderBy('completed_at', 'desc')
        .select('course_id', 'kind', 'completed_at', 'valid_until');
      return rows.map(
        (r: {
          course_id: number;
          kind: 'elearning' | 'classroom';
          completed_at: Date;
          valid_until: Date;
        }) => ({
          courseId: r.course_id,
          kind: r.kind,
          completedAt: r.completed_at,
          validUntil: r.valid_until,
        }),
      );
    },

    /** Started and completed per course, organisation and month within the period (HMC). */
    async courseMonths(f: HmcFilters): Promise<CourseMonth[]> {
      const { from, toExclusive } = periodBounds(f.period);
      const q = db('stats_course_months').where('month', '>=', from).where('month', '<', toExclusive);
      if (f.courseId) q.where('course_id', f.courseId);
      if (f.organisationId) q.where('organisation_id', f.organisationId);
      const rows = await q.select(
        'course_id',
        'organisation_id',
        db.raw(`to_char(month, 'YYYY-MM') as month`),
        'started',
        'completed',
      );
      return rows.map(
        (r: {
          course_id: number;
          organisation_id: number;
          month: string;
          started: number;
          completed: number;
        }) => ({
          courseId: r.course_id,
          organisationId: r.organisation_id,
          month: r.month,
          started: r.started,
          completed: r.completed,
        }),
      );
    },

    /**
     * Started and completed within the period, summed per course, organisation, month (`YYYY-MM`) or year
     * (`YYYY`), in SQL: per organisation only when asked for or filtered, else from the roll-up.
     */
    async startedCompleted(
      f: HmcFilters,
      by: 'course' | 'organisation' | 'month' | 'year',
    ): Promise<{ key: number | string; started: number; completed: number }[]> {
      const { from, toExclusive } = periodBounds(f.period);
      const perOrganisation = by === 'organisation' || f.organisationId !== null;
      const key = {
        course: 'course_id',
        organisation: 'organisation_id',
        month: `to_char(month, 'YYYY-MM')`,
        year: `to_char(month, 'YYYY')`,
      }[by];
      const q = db(perOrganisation ? 'stats_course_months' : 'stats_course_totals')
        .where('month', '>=', from)
        .where('month', '<', toExclusive)
        .groupByRaw('1')
        .orderByRaw('1');
      if (f.courseId) q.where('course_id', f.courseId);
      if (f.organisationId) q.where('organisation_id', f.organisationId);
      const rows = await q.select(
        db.raw(`${key} as key`),
        db.raw('sum(started)::int as started'),
        db.raw('sum(completed)::int as completed'),
      );
      return rows.map((r: { key: number | string; started: number; completed: number }) => ({
        key: r.key,
        started: r.started,
        completed: r.completed,
      }));
    },

    /** Quiz figures per course within the period (HMC). */
    async quizByCourse(f: HmcFilters): Promise<Map<number, QuizFigures>> {
      const { from, toExclusive } = periodBounds(f.period);
      const q = db(f.organisationId ? 'stats_quiz_months' : 'stats_quiz_totals')
        .where('month', '>=', from)
        .where('month', '<', toExclusive)
        .groupBy('course_id');
      if (f.courseId) q.where('course_id', f.courseId);
      if (f.organisationId) q.where('organisation_id', f.organisationId);
      const rows = await q.select(
        'course_id',
        db.raw('sum(attempts)::int as attempts'),
        db.raw('sum(passed)::int as passed'),
        db.raw('sum(attempts_to_pass)::int as attempts_to_pass'),
      );
      return new Map(
        rows.map((r: { course_id: number; attempts: number; passed: number; attempts_to_pass: number }) => [
          r.course_id,
          { attempts: r.attempts, passed: r.passed, attemptsToPass: r.attempts_to_pass },
        ]),
      );
    },

    /** Evaluation answers per course as distributions of the two statements (HMC). */
    async evaluationsByCourse(f: HmcFilters): Promise<Map<number, EvaluationFigures>> {
      const { from, toExclusive } = periodBounds(f.period);
      const q = db(f.organisationId ? 'stats_evaluation_months' : 'stats_evaluation_totals')
        .where('month', '>=', from)
        .where('month', '<', toExclusive)
        .groupBy('course_id', 'useful', 'matches_description');
      if (f.courseId) q.where('course_id', f.courseId);
      if (f.organisationId) q.where('organisation_id', f.organisationId);
      const rows = await q.select(
        'course_id',
        'useful',
        'matches_description',
        db.raw('sum(answers)::int as answers'),
      );
      const result = new Map<number, EvaluationFigures>();
      for (const r of rows as {
        course_id: number;
        useful: number;
        matches_description: number;
        answers: number;
      }[]) {
        let e = result.get(r.course_id);
        if (!e)
          result.set(
            r.course_id,
            (e = {
              useful: { 1: 0, 2: 0, 3: 0, 4: 0 },
              matchesDescription: { 1: 0, 2: 0, 3: 0, 4: 0 },
              answers: 0,
            }),
          );
        e.useful[r.useful] += r.answers;
        e.matchesDescription[r.matches_description] += r.answers;
        e.answers += r.answers;
      }
      return result;
    },

    /** The newest evaluation comments of a course within the period, without who wrote them. */
    async comments(
      courseId: number,
      f: HmcFilters,
      limit: number,
    ): Promise<{ createdAt: Date; comment: string }[]> {
      const { from, toExclusive } = periodBounds(f.period);
      const q = db('stats_evaluation_comments')
        .where('course_id', courseId)
        .where('created_at', '>=', db.raw(`?::date at time zone 'Europe/Stockholm'`, [from]))
        .where('created_at', '<', db.raw(`?::date at time zone 'Europe/Stockholm'`, [toExclusive]))
        .orderBy('created_at', 'desc')
        .limit(limit);
      if (f.organisationId) q.where('organisation_id', f.organisationId);
      return (await q.select('created_at', 'comment')).map((r: { created_at: Date; comment: string }) => ({
        createdAt: r.created_at,
        comment: r.comment,
      }));
    },

    /** Per quiz question of a course: answers and right answers (all time; questions change with versions). */
    async questions(courseId: number): Promise<{ questionId: string; answers: number; correct: number }[]> {
      const rows = await db('stats_question_answers')
        .where({ course_id: courseId })
        .groupBy('question_id')
        .select(
          'question_id',
          db.raw('sum(answers)::int as answers'),
          db.raw('sum(correct)::int as correct'),
        );
      return rows.map((r: { question_id: string; answers: number; correct: number }) => ({
        questionId: r.question_id,
        answers: r.answers,
        correct: r.correct,
      }));
    },

    async organisations(): Promise<{ id: number; name: string }[]> {
      return db('organisations').orderBy('name').select('id', 'name');
    },

    /** When the given views (by default all) were last refreshed (the oldest of them), or null if one never was. */
    async refreshedAt(views: readonly string[] = STATS_VIEWS): Promise<Date | null> {
      const row = await db('stats_refreshes')
        .whereIn('view_name', [...views])
        .min('refreshed_at as at')
        .count('* as n')
        .first();
      return row && Number(row.n) === views.length ? (row.at as Date) : null;
    },

    /** Classroom trainings delivered, participants who attended and the amount invoiced, per organisation. */
    async classroomByOrganisation(filters: HmcFilters): Promise<ClassroomRow[]> {
      const { from, toExclusive: until } = periodBounds(filters.period);
      const org = filters.organisationId;
      const result = await db.raw<{
        rows: (Omit<ClassroomRow, 'invoiced_ore'> & { invoiced_ore: string })[];
      }>(
        `with delivered as (
           select o.organisation_id, count(*)::int as trainings,
                  coalesce(sum((select count(*) from training_participants p where p.order_id = o.id and p.attended)), 0)::int as participants
           from training_orders o
           where o.status = 'delivered' and o.ends_at >= ? and o.ends_at < ? and (?::int is null or o.organisation_id = ?)
           group by o.organisation_id),
         invoiced as (
           select i.organisation_id,
                  sum(case when i.kind = 'credit_note' then -i.payable_ore else i.payable_ore end)::bigint as invoiced_ore
           from invoices i
           where i.status = 'issued' and i.issue_date >= ? and i.issue_date < ? and (?::int is null or i.organisation_id = ?)
           group by i.organisation_id)
         select org.name as organisation, coalesce(d.trainings, 0) as trainings, coalesce(d.participants, 0) as participants,
                coalesce(v.invoiced_ore, 0) as invoiced_ore
         from organisations org
         left join delivered d on d.organisation_id = org.id
         left join invoiced v on v.organisation_id = org.id
         where d.organisation_id is not null or v.organisation_id is not null
         order by org.name`,
        [from, until, org, org, from, until, org, org],
      );
      return result.rows.map((r) => ({ ...r, invoiced_ore: Number(r.invoiced_ore) }));
    },

    /** The titles of the courses that are not retired, by id (without loading every course's content). */
    async courseTitles(): Promise<{ courseId: number; slug: string; title: string }[]> {
      const rows = await db('course_versions as v')
        .join('courses as c', 'c.id', 'v.course_id')
        .whereNull('c.retired_at')
        .whereRaw('v.version = (select max(version) from course_versions where course_id = v.course_id)')
        .orderBy('c.slug')
        .select('v.course_id', 'c.slug', db.raw(`v.content->'title'->>'standard' as title`));
      return rows.map((r: { course_id: number; slug: string; title: string }) => ({
        courseId: r.course_id,
        slug: r.slug,
        title: r.title,
      }));
    },

    /**
     * Brings the regional figures up to date: recomputes only the courses, months and units whose facts
     * changed since the last run (server/stats/stats-refresh-repository.ts), or everything the first time or if `full`.
     */
    async refreshViews(opts: { full?: boolean; now?: Date } = {}): Promise<RefreshReport> {
      return refreshStats(db, opts);
    },

    async subscribed(userId: number): Promise<boolean> {
      return !!(await db('manager_summary_subscriptions').where({ user_id: userId }).first('user_id'));
    },

    /** Turns the monthly summary on or off; repeating either is harmless. */
    async setSubscribed(userId: number, on: boolean): Promise<void> {
      if (on)
        await db('manager_summary_subscriptions').insert({ user_id: userId }).onConflict('user_id').ignore();
      else await db('manager_summary_subscriptions').where({ user_id: userId }).delete();
    },
  };
}

export type StatsRepository = ReturnType<typeof statsRepository>;
