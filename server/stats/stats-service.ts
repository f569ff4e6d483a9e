/**
 * Builds the statistics pages: the figures from the repository, turned into the tables a page shows
 * and an export writes (the same DataTable for HTML, CSV and XLSX) and the charts drawn from them.
 */
import type { TFunction } from 'i18next';
import type { CurrentUser } from '../auth/types';
import { courseStatus, type CourseStatus } from '../courses/course-status';
import type { Completion, CourseVersion, Enrolment } from '../courses/courses-service';
import { forbidden, notFound } from '../http/errors';
import { paths } from '../http/paths';
import type { Language } from '../i18n/i18n';
import type { OrganisationsService } from '../organisations/organisations-service';
import { columnChart, stackedBarChart } from './charts';
import { countColumns } from './columns';
import { formatters, share } from './format';
import { HMC_VIEWS, MANAGER_VIEWS, type StatsRepository } from './stats-repository';
import { STATES, type Cell, type DataTable, type HmcFilters, type ManagerFilters } from './types';

/** How many people the dashboard lists on the page; the export always has everyone. */
export const LACKING_ON_PAGE = 200;
/** How many evaluation comments a course page shows. */
export const COMMENTS_ON_PAGE = 50;
/**
 * Up to this many units in view, a manager's figures are computed live (a unit of 40 people takes a few
 * milliseconds); wider views (organisations) read the figures the scheduled job precomputes, at most
 * 15 minutes old, as the issue allows for regional figures. See docs/stats.md.
 */
export const LIVE_MAX_UNITS = 10;

/** Swedish sort order, built once (localeCompare with a locale builds a collator on every call). */
const collator = new Intl.Collator('sv');
const bySv = collator.compare;

export interface Chart {
  svg: string;
  tableId: string;
}

interface Lang {
  t: TFunction;
  lng: Language;
}

const monthsBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
};

/** What the statistics read from the courses feature (server/services.ts hands in its functions). */
export interface StatsCourses {
  listLatest(): Promise<CourseVersion[]>;
  latestBySlug(slug: string): Promise<CourseVersion | null>;
  trackFor(
    jobRole: string | null,
  ): Promise<{ courseId: number; requirement: 'required' | 'recommended'; repeatMonths: number | null }[]>;
  overview(userId: number): Promise<{
    open: Map<number, { enrolment: Enrolment; lessonsDone: number }>;
    latest: Map<number, Completion>;
  }>;
}

export function statsService(deps: {
  stats: StatsRepository;
  courses: StatsCourses;
  organisationsService: Pick<OrganisationsService, 'listJobRoles'>;
  liveMaxUnits?: number;
}) {
  const { stats, courses } = deps;
  const liveMaxUnits = deps.liveMaxUnits ?? LIVE_MAX_UNITS;

  async function courseTitles(): Promise<{
    list: { courseId: number; slug: string; title: string }[];
    title: (id: number) => string;
  }> {
    const list = await stats.courseTitles();
    const byId = new Map(list.map((v) => [v.courseId, v.title]));
    return { list, title: (id) => byId.get(id) ?? String(id) };
  }

  async function roleNames(lng: Language) {
    const roles = await deps.organisationsService.listJobRoles();
    const byId = new Map(roles.map((r) => [r.id, r.name[lng]]));
    return { roles, name: (id: string | null) => (id === null ? '' : (byId.get(id) ?? '')) };
  }

  /** What both the dashboard and its filters need, read once per request. */
  async function managerContext(user: CurrentUser, lng: Language) {
    const scope = await scopeOf(user);
    const [units, roles, titles] = await Promise.all([stats.unitsIn(scope), roleNames(lng), courseTitles()]);
    return { scope, units, roles, titles };
  }
  type ManagerContext = Awaited<ReturnType<typeof managerContext>>;

  async function scopeOf(user: CurrentUser) {
    const scope = await stats.managerScope(user.permissions);
    if (!scope.unitIds.length) throw forbidden();
    return scope;
  }

  return {
    scopeOf,

    /** The units a manager's permissions cover (reminders: the monthly summary's scope). */
    managerScope: stats.managerScope,
    /** Whether a person belongs to a unit in the scope. */
    personInScope: stats.personInScope,
    /** Live figures for a scope (reminders: who lacks a course, the monthly summary). */
    managerFigures: stats.managerFigures,
    /** The unit a person belongs to, or null. */
    unitOf: stats.unitOf,
    /** The titles and slugs of the courses that are not retired. */
    courseTitles: stats.courseTitles,
    /** When the regional figures were last refreshed, and refreshing them (the scheduled job). */
    refreshedAt: stats.refreshedAt,
    refreshViews: stats.refreshViews,
    /** Whether the manager gets the monthly summary, and turning it on or off. */
    subscribed: stats.subscribed,
    setSubscribed: stats.setSubscribed,
    /** Classroom trainings per organisation for HMC's overview. */
    classroomByOrganisation: stats.classroomByOrganisation,

    managerContext,

    /** The options a manager's filters offer: only units in their scope. */
    async managerOptions(user: CurrentUser, lng: Language, context?: ManagerContext) {
      const { scope, units, roles, titles } = context ?? (await managerContext(user, lng));
      return {
        scope,
        units,
        roles: roles.roles.map((r) => ({ id: r.id, name: r.name[lng] })),
        courses: titles.list.map((v) => ({ id: v.courseId, title: v.title })),
      };
    },

    /** The manager dashboard (or its export, with everyone listed): tables and charts for the filters. */
    async managerDashboard(
      user: CurrentUser,
      filters: ManagerFilters,
      { t, lng }: Lang,
      o: { forExport: boolean; context?: ManagerContext },
    ) {
      const { scope, units, roles, titles } = o.context ?? (await managerContext(user, lng));
      if (filters.unitId && !scope.unitIds.includes(filters.unitId))
        throw forbidden('stats:errors.outOfScope');
      const limit = o.forExport ? null : LACKING_ON_PAGE;
      // Live for a unit or a few; precomputed for wider views once the job has computed them.
      const unitsInView = filters.unitId ? 1 : scope.unitIds.length;
      const asOf = unitsInView > liveMaxUnits ? await stats.refreshedAt(MANAGER_VIEWS) : null;
      const figures = asOf
        ? await stats.managerFiguresPrecomputed(scope, filters, limit, asOf)
        : await stats.managerFigures(scope, filters, new Date(), limit);
      const fmt = formatters(lng);
      const unitNames = new Map(units.map((u) => [u.id, u.name]));
      const unitName = (id: number) => unitNames.get(id) ?? String(id);
      // Sort orders by name, computed once: a thousand rows sorted by comparing names cost milliseconds.
      // (Equal names share a rank, so such rows sort by the next key as when comparing names.)
      const rank = (ids: number[], name: (id: number) => string) => {
        const sorted = [...new Set(ids)].sort((a, b) => bySv(name(a), name(b)));
        const ranks = new Map<number, number>();
        sorted.forEach((id, i) =>
          ranks.set(
            id,
            i > 0 && bySv(name(sorted[i - 1]), name(id)) === 0 ? (ranks.get(sorted[i - 1]) ?? i) : i,
          ),
        );
        return ranks;
      };
      const unitRank = rank(
        figures.byUnitCourse.map((r) => r.unitId),
        unitName,
      );
      const courseRank = rank(
        figures.byUnitCourse.map((r) => r.courseId),
        titles.title,
      );
      // Translated once: the export lists thousands of rows.
      const stateLabel = Object.fromEntries(STATES.map((s) => [s, t(`stats:state.${s}`)])) as Record<
        (typeof STATES)[number],
        string
      >;
      const stateCols = STATES.map((s) => ({ label: stateLabel[s], numeric: true }));

      const staff: DataTable = {
        id: 'staff',
        caption: t('stats:manager.staffCaption'),
        columns: [{ label: t('stats:col.jobRole') }, { label: t('stats:col.people'), numeric: true }],
        rows: [
          ...figures.staffByRole.map(
            (r) => [r.jobRole ? roles.name(r.jobRole) : t('stats:noRole'), r.people] as Cell[],
          ),
          [t('stats:total'), figures.staffTotal],
        ],
      };

      // Per course over all units in view, then per unit and course.
      const courseIds = [...new Set(figures.byUnitCourse.map((r) => r.courseId))].sort((a, b) =>
        bySv(titles.title(a), titles.title(b)),
      );
      const perCourseById = new Map(
        courseIds.map((courseId) => [
          courseId,
          {
            courseId,
            counts: Object.fromEntries(STATES.map((s) => [s, 0])) as Record<(typeof STATES)[number], number>,
            completedInPeriod: 0,
          },
        ]),
      );
      for (const r of figures.byUnitCourse) {
        const c = perCourseById.get(r.courseId);
        if (!c) continue;
        for (const s of STATES) c.counts[s] += r.counts[s];
        c.completedInPeriod += r.completedInPeriod;
      }
      const perCourse = [...perCourseById.values()];
      const periodLabel = t('stats:col.completedInPeriod', {
        from: fmt.month(filters.period.from),
        to: fmt.month(filters.period.to),
      });
      const byCourse: DataTable = {
        id: 'by-course',
        caption: t('stats:manager.byCourseCaption'),
        columns: [
          { label: t('stats:col.course') },
          ...stateCols,
          { label: t('stats:col.validShare'), numeric: true },
          { label: periodLabel, numeric: true },
        ],
        rows: perCourse.map((c) => {
          const total = STATES.reduce((n, s) => n + c.counts[s], 0);
          return [
            titles.title(c.courseId),
            ...STATES.map((s) => c.counts[s]),
            share(c.counts.completed + c.counts.expiring, total),
            c.completedInPeriod,
          ];
        }),
      };
      const byUnit: DataTable = {
        id: 'by-unit',
        caption: t('stats:manager.byUnitCaption'),
        columns: [
          { label: t('stats:col.unit') },
          { label: t('stats:col.course') },
          ...stateCols,
          { label: periodLabel, numeric: true },
        ],
        rows: [...figures.byUnitCourse]
          .sort(
            (a, b) =>
              (unitRank.get(a.unitId) ?? 0) - (unitRank.get(b.unitId) ?? 0) ||
              (courseRank.get(a.courseId) ?? 0) - (courseRank.get(b.courseId) ?? 0),
          )
          .map((r) => [
            unitName(r.unitId),
            titles.title(r.courseId),
            ...STATES.map((s) => r.counts[s]),
            r.completedInPeriod,
          ]),
      };
      // The export adds each person's e-mail address, so a manager can write to them from the spreadsheet.
      const emails = o.forExport ? await stats.emailsOf(figures.lacking.map((p) => p.userId)) : null;
      const lacking: DataTable & {
        links: string[];
        actions: { about: string; fields: Record<string, number> }[];
      } = {
        id: 'lacking',
        caption: t('stats:manager.lackingCaption'),
        columns: [
          { label: t('stats:col.name') },
          ...(emails ? [{ label: t('stats:col.email') }] : []),
          { label: t('stats:col.unit') },
          { label: t('stats:col.jobRole') },
          { label: t('stats:col.course') },
          { label: t('stats:col.state') },
          { label: t('stats:col.validUntil') },
        ],
        rows: figures.lacking.map((p) => [
          p.name,
          ...(emails ? [emails.get(p.userId) ?? null] : []),
          unitName(p.unitId),
          roles.name(p.jobRole),
          titles.title(p.courseId),
          stateLabel[p.state],
          p.validUntil ? { date: p.validUntil } : null,
        ]),
        links: figures.lacking.map((p) => paths.statsPerson(p.userId)),
        actions: figures.lacking.map((p) => ({
          about: t('stats:remind.about', { name: p.name, course: titles.title(p.courseId) }),
          fields: { person: p.userId, course: p.courseId },
        })),
      };
      const chart = stackedBarChart(
        perCourse.map((c) => ({
          label: titles.title(c.courseId),
          segments: STATES.map((s) => ({ key: s, label: stateLabel[s], value: c.counts[s] })),
        })),
        { id: 'chart-by-course', title: t('stats:manager.chartTitle'), format: fmt.number },
      );
      return {
        units,
        figures,
        tables: { staff, byCourse, byUnit, lacking },
        chart: { svg: chart, tableId: byCourse.id },
        lackingShown: figures.lacking.length,
        lackingPeople: figures.lackingTotal,
      };
    },

    /** One person's training record for a manager in scope (or an administrator): the learner's own live status. */
    async personRecord(user: CurrentUser, personId: number) {
      const isAdmin = user.permissions.some((p) => p.kind === 'admin');
      if (!isAdmin) {
        const scope = await scopeOf(user);
        if (!(await stats.personInScope(scope, personId))) throw notFound('stats:errors.personNotFound');
      }
      const person = await stats.person(personId);
      if (!person) throw notFound('stats:errors.personNotFound');
      const [all, track, overview, history] = await Promise.all([
        courses.listLatest(),
        courses.trackFor(person.jobRole),
        courses.overview(personId),
        stats.completionsOf(personId),
      ]);
      const now = new Date();
      const rows: {
        title: string;
        requirement: 'required' | 'recommended' | 'other';
        status: CourseStatus;
      }[] = [];
      for (const v of all) {
        const entry = track.find((e) => e.courseId === v.courseId);
        const open = overview.open.get(v.courseId);
        const latest = overview.latest.get(v.courseId) ?? null;
        if (!entry && !open && !latest) continue;
        const repeatMonths = entry?.requirement === 'required' ? entry.repeatMonths : null;
        rows.push({
          title: v.content.title.standard,
          requirement: entry?.requirement ?? 'other',
          status: courseStatus({
            now,
            openEnrolment: open
              ? { lessonsDone: open.lessonsDone, lessonCount: v.content.lessons.length }
              : null,
            latestCompletion: latest,
            repeatMonths,
          }),
        });
      }
      const order = { required: 0, recommended: 1, other: 2 };
      rows.sort(
        (a, b) => order[a.requirement] - order[b.requirement] || a.title.localeCompare(b.title, 'sv'),
      );
      const titleOf = new Map(all.map((v) => [v.courseId, v.content.title.standard]));
      return { person, rows, history: history.map((h) => ({ ...h, title: titleOf.get(h.courseId) ?? '' })) };
    },

    /** HMC's overview of every course: started vs completed, pass rate, attempts and evaluations. */
    async hmcOverview(filters: HmcFilters, { t, lng }: Lang) {
      const [titles, perCourse, perYear, quiz, evaluations, refreshedAt, organisations] = await Promise.all([
        courseTitles(),
        stats.startedCompleted(filters, 'course'),
        stats.startedCompleted(filters, 'year'),
        stats.quizByCourse(filters),
        stats.evaluationsByCourse(filters),
        stats.refreshedAt(HMC_VIEWS),
        stats.organisations(),
      ]);
      const fmt = formatters(lng);
      const byCourse = new Map(perCourse.map((r) => [r.key, r]));
      const sum = (courseId: number, key: 'started' | 'completed') => byCourse.get(courseId)?.[key] ?? 0;
      const list = titles.list.filter((v) => !filters.courseId || v.courseId === filters.courseId);
      const agree = (e: { useful: Record<number, number>; answers: number } | undefined) =>
        e ? share(e.useful[4] + e.useful[3], e.answers) : null;
      const courseTable: DataTable & { links: string[] } = {
        id: 'courses',
        caption: t('stats:hmc.coursesCaption'),
        columns: countColumns(t, 'course', [
          'started',
          'completed',
          'passRate',
          'avgAttempts',
          'evaluations',
          'usefulAgree',
        ]),
        rows: list.map((v) => {
          const q = quiz.get(v.courseId);
          const e = evaluations.get(v.courseId);
          return [
            v.title,
            sum(v.courseId, 'started'),
            sum(v.courseId, 'completed'),
            q ? share(q.passed, q.attempts) : null,
            q && q.passed ? Math.round((10 * q.attemptsToPass) / q.passed) / 10 : null,
            e?.answers ?? 0,
            agree(e),
          ];
        }),
        links: list.map((v) => paths.statsHmcCourse(v.slug)),
      };
      const yearTable: DataTable = {
        id: 'years',
        caption: t('stats:hmc.yearsCaption'),
        columns: countColumns(t, 'year', ['started', 'completed']),
        rows: perYear.map((y) => [String(y.key), y.started, y.completed]),
      };
      const chart = stackedBarChart(
        list.map((v) => ({
          label: v.title,
          segments: [
            { key: 'completed', label: t('stats:col.completed'), value: sum(v.courseId, 'completed') },
            {
              key: 'started',
              label: t('stats:col.notYetCompleted'),
              value: Math.max(0, sum(v.courseId, 'started') - sum(v.courseId, 'completed')),
            },
          ],
        })),
        { id: 'chart-courses', title: t('stats:hmc.chartTitle'), format: fmt.number },
      );
      return {
        tables: { courses: courseTable, years: yearTable },
        chart: { svg: chart, tableId: courseTable.id },
        refreshedAt,
        organisations,
        courses: titles.list.map((v) => ({ id: v.courseId, title: v.title })),
      };
    },

    /** One course for HMC: by organisation, month and year; quiz; evaluation distributions and comments; questions. */
    async hmcCourse(slug: string, filters: HmcFilters, { t, lng }: Lang) {
      const version = await courses.latestBySlug(slug);
      if (!version) throw notFound('courses:errors.courseNotFound');
      const f = { ...filters, courseId: version.courseId };
      const [perOrganisation, perMonth, quiz, evaluations, comments, questions, organisations, refreshedAt] =
        await Promise.all([
          stats.startedCompleted(f, 'organisation'),
          stats.startedCompleted(f, 'month'),
          stats.quizByCourse(f),
          stats.evaluationsByCourse(f),
          stats.comments(version.courseId, f, COMMENTS_ON_PAGE),
          stats.questions(version.courseId),
          stats.organisations(),
          stats.refreshedAt(HMC_VIEWS),
        ]);
      const fmt = formatters(lng);
      const orgNames = new Map(organisations.map((o) => [o.id, o.name]));
      const orgName = (id: number) => orgNames.get(id) ?? t('stats:noOrganisation');
      const orgRows = [...perOrganisation].sort((a, b) =>
        bySv(orgName(Number(a.key)), orgName(Number(b.key))),
      );
      type Sums = { started: number; completed: number };
      const total = (ms: Sums[], key: 'started' | 'completed') => ms.reduce((n, m) => n + m[key], 0);
      const byOrganisation: DataTable = {
        id: 'organisations',
        caption: t('stats:course.orgCaption'),
        columns: countColumns(t, 'organisation', ['started', 'completed']),
        rows: [
          ...orgRows.map((r) => [orgName(Number(r.key)), r.started, r.completed] as Cell[]),
          [t('stats:total'), total(perOrganisation, 'started'), total(perOrganisation, 'completed')],
        ],
      };
      const monthList = monthsBetween(filters.period.from, filters.period.to);
      const monthSums = new Map(perMonth.map((r) => [String(r.key), r]));
      const ofMonth = (m: string): Sums => monthSums.get(m) ?? { started: 0, completed: 0 };
      const byMonth: DataTable = {
        id: 'months',
        caption: t('stats:course.monthCaption'),
        columns: countColumns(t, 'month', ['started', 'completed']),
        rows: monthList.map((m) => [fmt.month(m), ofMonth(m).started, ofMonth(m).completed]),
      };
      const years = [...new Set(monthList.map((m) => m.slice(0, 4)))];
      const byYear: DataTable = {
        id: 'years',
        caption: t('stats:course.yearCaption'),
        columns: countColumns(t, 'year', ['started', 'completed']),
        rows: years.map((y) => {
          const ms = monthList.filter((m) => m.startsWith(y)).map(ofMonth);
          return [y, total(ms, 'started'), total(ms, 'completed')];
        }),
      };
      const q = quiz.get(version.courseId);
      const quizTable: DataTable = {
        id: 'quiz',
        caption: t('stats:course.quizCaption'),
        columns: [{ label: t('stats:col.figure') }, { label: t('stats:col.value'), numeric: true }],
        rows: [
          [t('stats:col.attempts'), q?.attempts ?? 0],
          [t('stats:col.passedAttempts'), q?.passed ?? 0],
          [t('stats:col.passRate'), q ? share(q.passed, q.attempts) : null],
          [
            t('stats:col.avgAttempts'),
            q && q.passed ? Math.round((10 * q.attemptsToPass) / q.passed) / 10 : null,
          ],
        ],
      };
      const e = evaluations.get(version.courseId);
      const scale = [4, 3, 2, 1];
      const evaluationTable: DataTable = {
        id: 'evaluations',
        caption: t('stats:course.evaluationCaption', { count: e?.answers ?? 0 }),
        columns: [
          { label: t('stats:col.statement') },
          ...scale.map((s) => ({ label: t(`evaluations:scale.${s}`), numeric: true })),
          { label: t('stats:col.answers'), numeric: true },
        ],
        rows: (['useful', 'matchesDescription'] as const).map((k) => [
          t(`evaluations:statements.${k}`),
          ...scale.map((s) => (e ? e[k][s] : 0)),
          e?.answers ?? 0,
        ]),
      };
      // Questions of the newest version; answers to questions since removed are listed by id.
      const content = version.content;
      const lessonTitle = (id: string | null) =>
        content.lessons.find((l) => l.id === id)?.title.standard ?? '';
      const questionRows = questions
        .map((qa) => {
          const question = content.questions.find((x) => x.id === qa.questionId);
          return {
            id: qa.questionId,
            text: question?.text.standard ?? qa.questionId,
            lesson: question?.lesson ?? null,
            answers: qa.answers,
            correct: qa.correct,
          };
        })
        .sort((a, b) => a.correct / a.answers - b.correct / b.answers);
      const questionTable: DataTable = {
        id: 'questions',
        caption: t('stats:course.questionsCaption'),
        columns: [
          { label: t('stats:col.question') },
          { label: t('stats:col.lesson') },
          { label: t('stats:col.answers'), numeric: true },
          { label: t('stats:col.rightShare'), numeric: true },
        ],
        rows: questionRows.map((r) => [
          r.text,
          lessonTitle(r.lesson),
          r.answers,
          share(r.correct, r.answers),
        ]),
      };
      const lessonRows = content.lessons
        .map((l) => {
          const qs = questionRows.filter((r) => r.lesson === l.id);
          return {
            title: l.title.standard,
            answers: qs.reduce((n, r) => n + r.answers, 0),
            correct: qs.reduce((n, r) => n + r.correct, 0),
          };
        })
        .filter((l) => l.answers > 0)
        .sort((a, b) => a.correct / a.answers - b.correct / b.answers);
      const lessonTable: DataTable = {
        id: 'lessons',
        caption: t('stats:course.lessonsCaption'),
        columns: countColumns(t, 'lesson', ['answers', 'rightShare']),
        rows: lessonRows.map((l) => [l.title, l.answers, share(l.correct, l.answers)]),
      };
      const commentTable: DataTable = {
        id: 'comments',
        caption: t('stats:course.commentsCaption'),
        columns: [{ label: t('stats:col.date') }, { label: t('stats:col.comment') }],
        rows: comments.map((c) => [{ date: c.createdAt }, c.comment]),
      };
      const pct = (n: number) => fmt.share(n / 100);
      const charts = {
        months: {
          svg: columnChart(
            monthList.map((m) => ({
              label: fmt.month(m),
              values: [
                { key: 'started', label: t('stats:col.started'), value: ofMonth(m).started },
                { key: 'completed', label: t('stats:col.completed'), value: ofMonth(m).completed },
              ],
            })),
            { id: 'chart-months', title: t('stats:course.monthChartTitle'), format: fmt.number },
          ),
          tableId: byMonth.id,
        },
        evaluations: {
          svg: stackedBarChart(
            (['useful', 'matchesDescription'] as const).map((k) => ({
              label: t(`evaluations:statements.${k}`),
              segments: scale.map((s) => ({
                key: `scale-${s}`,
                label: t(`evaluations:scale.${s}`),
                value: e ? e[k][s] : 0,
              })),
            })),
            { id: 'chart-evaluations', title: t('stats:course.evaluationChartTitle'), format: fmt.number },
          ),
          tableId: evaluationTable.id,
        },
        questions: {
          svg: stackedBarChart(
            questionRows.map((r) => ({
              label: r.text,
              segments: [
                {
                  key: 'right',
                  label: t('stats:col.rightShare'),
                  value: Math.round((1000 * r.correct) / r.answers) / 10,
                },
              ],
            })),
            { id: 'chart-questions', title: t('stats:course.questionChartTitle'), format: pct, max: 100 },
          ),
          tableId: questionTable.id,
        },
      } satisfies Record<string, Chart>;
      return {
        version,
        tables: {
          byOrganisation,
          byMonth,
          byYear,
          quiz: quizTable,
          evaluations: evaluationTable,
          comments: commentTable,
          questions: questionTable,
          lessons: lessonTable,
        },
        charts,
        refreshedAt,
        organisations,
      };
    },
  };
}

export type StatsService = ReturnType<typeof statsService>;
