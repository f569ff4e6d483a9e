/**
 * Organisation-wide manager figures and HMC's roll-ups come from views the scheduled job refreshes
 * (issue 6 follow-up). These tests check that right after a refresh they give exactly the live figures,
 * for every filter; that the page says how old they are; and that a unit's figures stay live.
 */
import * as cheerio from 'cheerio';
import {
  buildPerson,
  buildUnit,
  loginAs,
  SHIPPED_COURSES,
  startTestApp,
  type TestApp,
} from '../support/test-app';
import { buildHandMadeData, daysAgo, enrol, type HandMadeData } from './hand-made-data';
import { parseHmcFilters, parseManagerFilters } from '../../server/stats/stats-validation';
import { MANAGER_VIEWS } from '../../server/stats/stats-repository';
import { LIVE_MAX_UNITS, statsService } from '../../server/stats/stats-service';
import type { ManagerFigures, ManagerFilters } from '../../server/stats/types';

let t: TestApp;
let d: HandMadeData;
/** An organisation with more units than are computed live, its manager and one person in each of two units. */
let big: {
  orgId: number;
  units: number[];
  manager: { id: number; email: string };
  p1: { id: number };
  p2: { id: number };
};

beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
  d = await buildHandMadeData(t.db);
  const first = await buildUnit(t.db, { name: 'Storenhet 01' });
  const units = [first.id];
  for (let i = 2; i <= LIVE_MAX_UNITS + 1; i++)
    units.push(
      (
        await buildUnit(t.db, {
          organisationId: first.organisationId,
          name: `Storenhet ${String(i).padStart(2, '0')}`,
        })
      ).id,
    );
  const manager = await buildPerson(t.db, {
    unitId: units[0],
    jobRole: null,
    name: 'Stina Storchef',
    permissions: [{ kind: 'manager', organisationId: first.organisationId, unitId: null }],
  });
  const p1 = await buildPerson(t.db, { unitId: units[0], jobRole: 'personlig-assistent', name: 'Ada Stor' });
  const p2 = await buildPerson(t.db, { unitId: units[1], jobRole: 'underskoterska', name: 'Bo Stor' });
  await enrol(t.db, {
    userId: p1.id,
    course: d.courses['hjalpmedel-grunden'],
    startedAt: daysAgo(40),
    completedAt: daysAgo(30),
  });
  await enrol(t.db, { userId: p2.id, course: d.courses.forflyttning, startedAt: daysAgo(3) });
  big = { orgId: first.organisationId, units, manager, p1, p2 };
  await t.services.stats.refreshViews();
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

const filters = (q: Record<string, string | number> = {}): ManagerFilters => {
  const parsed = parseManagerFilters(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])));
  if (!parsed.ok) throw new Error(`Bad filters ${JSON.stringify(q)}`);
  return parsed.filters;
};
const scopeOf = async (userId: number) =>
  t.services.stats.managerScope((await t.services.users.findActiveById(userId))!.permissions);
/** Figures in a comparable order, without when they were computed. */
const normalised = (f: ManagerFigures) => ({
  ...f,
  asOf: null,
  byUnitCourse: [...f.byUnitCourse].sort((a, b) => a.unitId - b.unitId || a.courseId - b.courseId),
  lacking: f.lacking.map((l) => ({ ...l, validUntil: l.validUntil?.toISOString() ?? null })),
});

describe('precomputed manager figures', () => {
  it('equal the live figures right after a refresh, for every filter and with the list capped or not', async () => {
    const scope = await scopeOf(d.mA.id);
    const asOf = (await t.services.stats.refreshedAt(MANAGER_VIEWS))!;
    expect(asOf).toBeInstanceOf(Date);
    const grunden = d.courses['hjalpmedel-grunden'].id;
    const cases: ManagerFilters[] = [
      filters(),
      filters({ unit: d.a2.id }),
      filters({ role: 'personlig-assistent' }),
      filters({ course: grunden }),
      filters({ role: 'personlig-assistent', course: d.courses.forflyttning.id }),
      filters({ unit: d.a1.id, course: grunden }),
      filters({ from: '2020-01', to: '2020-12' }),
    ];
    let compared = 0;
    for (const f of cases) {
      for (const limit of [null, 2]) {
        const live = await t.services.stats.managerFigures(scope, f, new Date(), limit);
        const pre = await t.services.stats.managerFiguresPrecomputed(scope, f, limit, asOf);
        expect(pre.asOf).toEqual(asOf);
        expect(normalised(pre)).toEqual(normalised(live));
        compared += 1;
      }
    }
    expect(compared).toBe(14);
    // A refresh from before a new month began: the default period is not the one summed in the view.
    const nextMonth = new Date(asOf.getTime() + 31 * 86_400_000);
    const later = parseManagerFilters({}, nextMonth);
    if (!later.ok) throw new Error('filters');
    expect(
      normalised(await t.services.stats.managerFiguresPrecomputed(scope, later.filters, null, nextMonth)),
    ).toEqual(normalised(await t.services.stats.managerFigures(scope, later.filters, new Date(), null)));
    // The cases above are not trivially empty: every state and the period column occur.
    const all = await t.services.stats.managerFiguresPrecomputed(scope, filters(), null, asOf);
    expect(new Set(all.lacking.map((l) => l.state))).toEqual(
      new Set(['expiring', 'expired', 'in_progress', 'not_started']),
    );
    expect(all.byUnitCourse.some((r) => r.counts.completed > 0 && r.completedInPeriod > 0)).toBe(true);
  });

  it('are read for an organisation with more units than are computed live, and live figures for one of its units', async () => {
    const manager = (await t.services.users.findActiveById(big.manager.id))!;
    const lang = { t: t.services.i18n.getFixedT('sv'), lng: 'sv' as const };
    const wide = await t.services.statsService.managerDashboard(manager, filters(), lang, {
      forExport: false,
    });
    expect(wide.figures.asOf).toBeInstanceOf(Date);
    const unit = await t.services.statsService.managerDashboard(
      manager,
      filters({ unit: big.units[0] }),
      lang,
      { forExport: false },
    );
    expect(unit.figures.asOf).toBeNull();
    // With a higher limit the same organisation is live, and the figures agree.
    const liveService = statsService({
      stats: t.services.stats,
      courses: { ...t.services.courses, overview: t.services.enrolments.overview },
      organisationsService: t.services.organisationsService,
      liveMaxUnits: 100,
    });
    const live = await liveService.managerDashboard(manager, filters(), lang, { forExport: true });
    expect(live.figures.asOf).toBeNull();
    expect(live.tables.byUnit.rows).toEqual(wide.tables.byUnit.rows);
    // The export (forExport) adds each person's e-mail as the second column; the rest is the same.
    expect(live.tables.lacking.rows.map((r) => [r[0], ...r.slice(2)])).toEqual(wide.tables.lacking.rows);
  });
});

describe('GET /statistik/chef for an organisation', () => {
  it('says when the organisation-wide figures were computed, keeps them until the next refresh and shows a unit live', async () => {
    const { agent } = await loginAs(t.app, big.manager.email);
    const before = cheerio.load((await agent.get('/statistik/chef').expect(200)).text);
    expect(before('#figures-age').text()).toMatch(/räknades fram \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const lackingNames = ($: cheerio.CheerioAPI) =>
      $('#lacking tbody th')
        .map((_, el) => $(el).text().trim())
        .get();
    expect(lackingNames(before)).toContain('Bo Stor');

    // Bo completes förflyttning: the unit's page shows it at once, the organisation's after the refresh.
    const forflyttning = d.courses.forflyttning;
    const open = await t
      .db('enrolments')
      .where({ user_id: big.p2.id, course_id: forflyttning.id })
      .whereNull('completed_at')
      .first('id');
    await t.db('enrolments').where({ id: open.id }).update({ completed_at: new Date() });
    await t.db('completions').insert({
      user_id: big.p2.id,
      course_id: forflyttning.id,
      course_version_id: forflyttning.versionId,
      enrolment_id: open.id,
      kind: 'elearning',
      completed_at: new Date(),
      valid_until: new Date(Date.now() + 365 * 86_400_000),
      verification_code: `PRE-${process.pid}-${Date.now()}`,
    });
    const unitPage = cheerio.load((await agent.get(`/statistik/chef?unit=${big.units[1]}`).expect(200)).text);
    expect(unitPage('#figures-age').text()).toBe('Siffrorna gäller just nu.');
    const unitLacking = lackingNames(unitPage);
    const bo = (await t
      .db('track_courses')
      .where({ job_role: 'underskoterska', requirement: 'required' })
      .count('* as n')
      .first())!;
    expect(unitLacking.filter((n) => n === 'Bo Stor')).toHaveLength(Number(bo.n) - 1);
    const stale = cheerio.load((await agent.get('/statistik/chef').expect(200)).text);
    expect(lackingNames(stale).filter((n) => n === 'Bo Stor')).toHaveLength(Number(bo.n));

    await t.services.stats.refreshViews();
    const fresh = cheerio.load((await agent.get('/statistik/chef').expect(200)).text);
    expect(lackingNames(fresh).filter((n) => n === 'Bo Stor')).toHaveLength(Number(bo.n) - 1);
  });

  it('computes live while the job has not yet computed the figures', async () => {
    await t.db('stats_refreshes').where({ view_name: 'stats_manager_states' }).delete();
    try {
      const { agent } = await loginAs(t.app, big.manager.email);
      const page = cheerio.load((await agent.get('/statistik/chef').expect(200)).text);
      expect(page('#figures-age').text()).toBe('Siffrorna gäller just nu.');
    } finally {
      await t.services.stats.refreshViews();
    }
  });
});

describe('HMC roll-ups', () => {
  it('give the same per-course, per-year and per-month sums as the per-organisation rows', async () => {
    const f = (parseHmcFilters({}) as { filters: ReturnType<typeof parseHmcFilters>['filters'] }).filters;
    const rows = await t.services.stats.courseMonths(f);
    const sums = (key: (r: (typeof rows)[number]) => string | number) => {
      const m = new Map<string, { started: number; completed: number }>();
      for (const r of rows) {
        const k = String(key(r));
        const e = m.get(k) ?? { started: 0, completed: 0 };
        e.started += r.started;
        e.completed += r.completed;
        m.set(k, e);
      }
      return Object.fromEntries([...m].sort());
    };
    const asObject = (list: { key: number | string; started: number; completed: number }[]) =>
      Object.fromEntries(
        list.map((r) => [String(r.key), { started: r.started, completed: r.completed }]).sort(),
      );
    expect(rows.length).toBeGreaterThan(3);
    expect(asObject(await t.services.stats.startedCompleted(f, 'course'))).toEqual(sums((r) => r.courseId));
    expect(asObject(await t.services.stats.startedCompleted(f, 'year'))).toEqual(
      sums((r) => r.month.slice(0, 4)),
    );
    expect(asObject(await t.services.stats.startedCompleted(f, 'month'))).toEqual(sums((r) => r.month));
    expect(
      asObject(await t.services.stats.startedCompleted({ ...f, organisationId: d.orgA }, 'course')),
    ).toEqual(
      Object.fromEntries(
        Object.entries(sums((r) => (r.organisationId === d.orgA ? r.courseId : 'other'))).filter(
          ([k]) => k !== 'other',
        ),
      ),
    );
    const grunden = d.courses['hjalpmedel-grunden'].id;
    expect(
      asObject(await t.services.stats.startedCompleted({ ...f, courseId: grunden }, 'organisation')),
    ).toEqual(
      Object.fromEntries(
        Object.entries(sums((r) => (r.courseId === grunden ? r.organisationId : 'other'))).filter(
          ([k]) => k !== 'other',
        ),
      ),
    );
  });
});
