/**
 * The figures against a hand-made data set whose right answers are worked out by hand
 * (test/stats/hand-made-data.ts), on a real PostgreSQL: manager figures live, HMC figures after a refresh.
 */
import ExcelJS from 'exceljs';
import * as cheerio from 'cheerio';
import { loginAs, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';
import { buildHandMadeData, type HandMadeData } from './hand-made-data';
import { parseManagerFilters, parseHmcFilters } from '../../server/stats/stats-validation';
import type { CurrentUser } from '../../server/auth/types';

let t: TestApp;
let d: HandMadeData;

beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
  d = await buildHandMadeData(t.db);
  await t.services.stats.refreshViews();
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

const userOf = async (id: number): Promise<CurrentUser> => (await t.services.users.findActiveById(id))!;
const defaults = () =>
  (parseManagerFilters({}) as { filters: ReturnType<typeof parseManagerFilters>['filters'] }).filters;
const lang = () => ({ t: t.services.i18n.getFixedT('sv'), lng: 'sv' as const });

describe('manager figures', () => {
  it("counts a unit manager's staff per required course and state, leaving out managers who take no course and disabled people", async () => {
    const scope = await t.services.stats.managerScope((await userOf(d.m1.id)).permissions);
    expect(scope.unitIds).toEqual([d.a1.id]);
    const f = await t.services.stats.managerFigures(scope, defaults(), new Date(), null);
    expect(f.staffTotal).toBe(3);
    expect(f.staffByRole).toEqual([{ jobRole: 'personlig-assistent', people: 3 }]);
    const byCourse = Object.fromEntries(f.byUnitCourse.map((r) => [r.courseId, r]));
    expect(byCourse[d.courses['hjalpmedel-grunden'].id].counts).toEqual({
      completed: 1,
      expiring: 0,
      expired: 1,
      in_progress: 0,
      not_started: 1,
    });
    expect(byCourse[d.courses.forflyttning.id].counts).toEqual({
      completed: 0,
      expiring: 1,
      expired: 0,
      in_progress: 1,
      not_started: 1,
    });
    expect(byCourse[d.courses['hjalpmedel-grunden'].id].completedInPeriod).toBe(1);
    expect(byCourse[d.courses.forflyttning.id].completedInPeriod).toBe(1);
    expect(f.lackingTotal).toBe(3);
    expect(f.lacking.map((l) => [l.name, l.state]).sort()).toEqual(
      [
        ['Anna Ett', 'expiring'],
        ['Bertil Två', 'expired'],
        ['Bertil Två', 'in_progress'],
        ['Cecilia Tre', 'not_started'],
        ['Cecilia Tre', 'not_started'],
      ].sort(),
    );
  });

  it("counts an organisation manager's whole organisation, with a manager who took a course", async () => {
    const scope = await t.services.stats.managerScope((await userOf(d.mA.id)).permissions);
    expect(scope.unitIds).toEqual([d.a1.id, d.a2.id].sort((a, b) => a - b));
    const f = await t.services.stats.managerFigures(scope, defaults(), new Date(), null);
    expect(f.staffTotal).toBe(5);
    expect(Object.fromEntries(f.staffByRole.map((r) => [r.jobRole, r.people]))).toEqual({
      'personlig-assistent': 3,
      underskoterska: 1,
      enhetschef: 1,
    });
    const sum = (slug: string) => {
      const rows = f.byUnitCourse.filter((r) => r.courseId === d.courses[slug].id);
      const out = { completed: 0, expiring: 0, expired: 0, in_progress: 0, not_started: 0, inPeriod: 0 };
      for (const r of rows) {
        for (const k of Object.keys(r.counts) as (keyof typeof r.counts)[]) out[k] += r.counts[k];
        out.inPeriod += r.completedInPeriod;
      }
      return out;
    };
    expect(sum('hjalpmedel-grunden')).toEqual({
      completed: 1,
      expiring: 0,
      expired: 1,
      in_progress: 1,
      not_started: 2,
      inPeriod: 1,
    });
    expect(sum('forflyttning')).toEqual({
      completed: 0,
      expiring: 1,
      expired: 0,
      in_progress: 1,
      not_started: 2,
      inPeriod: 1,
    });
    expect(sum('trycksar')).toEqual({
      completed: 0,
      expiring: 0,
      expired: 0,
      in_progress: 0,
      not_started: 1,
      inPeriod: 0,
    });
    expect(sum('for-chefer')).toEqual({
      completed: 1,
      expiring: 0,
      expired: 0,
      in_progress: 0,
      not_started: 0,
      inPeriod: 1,
    });
    expect(f.lackingTotal).toBe(5);
  });

  it('narrows to a unit, a job role and a course', async () => {
    const scope = await t.services.stats.managerScope((await userOf(d.mA.id)).permissions);
    const base = defaults();
    expect(
      (await t.services.stats.managerFigures(scope, { ...base, unitId: d.a2.id }, new Date(), null))
        .staffTotal,
    ).toBe(2);
    expect(
      (await t.services.stats.managerFigures(scope, { ...base, jobRole: 'underskoterska' }, new Date(), null))
        .staffTotal,
    ).toBe(1);
    const oneCourse = await t.services.stats.managerFigures(
      scope,
      { ...base, courseId: d.courses.forflyttning.id },
      new Date(),
      null,
    );
    expect(new Set(oneCourse.byUnitCourse.map((r) => r.courseId))).toEqual(
      new Set([d.courses.forflyttning.id]),
    );
  });

  it('agrees with what each learner sees in their own status', async () => {
    const manager = await userOf(d.mA.id);
    const dashboard = await t.services.statsService.managerDashboard(manager, defaults(), lang(), {
      forExport: true,
    });
    const listed = new Set(dashboard.figures.lacking.map((l) => `${l.userId}:${l.courseId}:${l.state}`));
    const titles = new Map(Object.entries(d.courses).map(([, c]) => [c.id, c.id]));
    let compared = 0;
    for (const person of [d.p1, d.p2, d.p3, d.p5, d.m2]) {
      const record = await t.services.statsService.personRecord(manager, person.id);
      const versions = await t.services.courses.listLatest();
      for (const row of record.rows.filter((r) => r.requirement === 'required')) {
        const courseId = versions.find((v) => v.content.title.standard === row.title)!.courseId;
        expect(titles.has(courseId)).toBe(true);
        if (row.status.state === 'completed')
          expect([...listed].some((k) => k.startsWith(`${person.id}:${courseId}:`))).toBe(false);
        else expect(listed.has(`${person.id}:${courseId}:${row.status.state}`)).toBe(true);
        compared += 1;
      }
    }
    expect(compared).toBe(13); // the required courses of these five people in courses/tracks.yaml
  });

  it('keeps the facts table in step when a completion is removed or a round starts', async () => {
    const grunden = d.courses['hjalpmedel-grunden'];
    const rolledBack = new Error('roll back');
    await expect(
      t.db.transaction(async (trx) => {
        await trx('completions').where({ user_id: d.p6.id }).delete();
        expect(await trx('person_course_facts').where({ user_id: d.p6.id }).first()).toBeUndefined();
        await trx('enrolments').insert({
          user_id: d.p6.id,
          course_id: grunden.id,
          course_version_id: grunden.versionId,
        });
        const facts = await trx('person_course_facts').where({ user_id: d.p6.id }).first();
        expect(facts.completed_at).toBeNull();
        expect(facts.open_started_at).not.toBeNull();
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(
      (await t.db('person_course_facts').where({ user_id: d.p6.id }).first()).completed_at,
    ).not.toBeNull();
  });
});

describe('HMC figures', () => {
  const hmc = (q: Record<string, string> = {}) =>
    (parseHmcFilters(q) as { filters: ReturnType<typeof parseHmcFilters>['filters'] }).filters;

  it('counts started and completed per organisation, with the quiz, questions and evaluations', async () => {
    const grunden = d.courses['hjalpmedel-grunden'].id;
    const months = await t.services.stats.courseMonths({ ...hmc(), courseId: grunden });
    const byOrg = (org: number, k: 'started' | 'completed') =>
      months.filter((m) => m.organisationId === org).reduce((n, m) => n + m[k], 0);
    expect([byOrg(d.orgA, 'started'), byOrg(d.orgA, 'completed')]).toEqual([5, 4]);
    expect([byOrg(d.orgB, 'started'), byOrg(d.orgB, 'completed')]).toEqual([1, 1]);
    expect((await t.services.stats.quizByCourse(hmc())).get(grunden)).toEqual({
      attempts: 6,
      passed: 4,
      attemptsToPass: 5,
    });
    expect(
      Object.fromEntries(
        (await t.services.stats.questions(grunden)).map((q) => [q.questionId, [q.answers, q.correct]]),
      ),
    ).toEqual({ [d.q1]: [6, 2], [d.q2]: [6, 6] });
    const e = (await t.services.stats.evaluationsByCourse(hmc())).get(grunden)!;
    expect(e).toEqual({
      useful: { 1: 0, 2: 1, 3: 0, 4: 2 },
      matchesDescription: { 1: 0, 2: 0, 3: 1, 4: 2 },
      answers: 3,
    });
    expect((await t.services.stats.comments(grunden, hmc(), 50)).map((c) => c.comment)).toEqual([
      'Bra kurs med tydliga exempel',
      '=HYPERLINK("http://evil.test")',
    ]);
    const orgB = await t.services.stats.quizByCourse({ ...hmc(), organisationId: d.orgB });
    expect(orgB.get(grunden)).toEqual({ attempts: 1, passed: 1, attemptsToPass: 1 });
  });

  it('shows the figures on the pages in Swedish formats, and exports them with formulas made harmless', async () => {
    const { agent } = await loginAs(t.app, d.educator.email);
    const overview = cheerio.load((await agent.get('/statistik/hmc').expect(200)).text);
    const row = overview('#courses tbody tr').filter(
      (_, el) => overview(el).find('th').text().trim() === 'Hjälpmedel – grunden',
    );
    expect(
      row
        .find('td')
        .map((_, el) => overview(el).text())
        .get(),
    ).toEqual(['6', '5', '66,7\u00a0%', '1,3', '3', '66,7\u00a0%']);
    expect(overview('svg.chart[role="img"] title').first().text()).not.toBe('');

    const page = await agent.get('/statistik/hmc/kurser/hjalpmedel-grunden').expect(200);
    const $ = cheerio.load(page.text);
    expect(
      $('#organisations tbody tr')
        .map((_, el) =>
          $(el)
            .find('th, td')
            .map((__, c) => $(c).text())
            .get()
            .join('|'),
        )
        .get(),
    ).toEqual(['Kommun A|5|4', 'Kommun B|1|1', 'Totalt|6|5']);
    expect($('#questions tbody tr').first().find('td').last().text()).toBe('33,3\u00a0%');
    expect(
      $('#evaluations tbody tr')
        .first()
        .find('td')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['2', '0', '1', '0', '3']);
    expect($('.comments li').length).toBe(2);

    const csv = await agent.get('/statistik/hmc/kurser/hjalpmedel-grunden/export/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    expect(csv.text).toContain('Kommun A;5;4');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(csv.text.split('\r\n').some((line) => line.split(';').some((cell) => /^"?=/.test(cell)))).toBe(
      false,
    );

    const xlsx = await agent
      .get('/statistik/hmc/export/xlsx')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          cb(null, Buffer.concat(chunks));
        });
      });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    const body = xlsx.body as Buffer;
    await wb.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const values: unknown[][] = [];
    sheet.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
    const g = values.find((v) => v[0] === 'Hjälpmedel – grunden')!;
    expect(g.slice(1, 4)).toEqual([6, 5, 4 / 6]);
  });
});
