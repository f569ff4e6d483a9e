/**
 * The regional figures are kept up to date incrementally (issue 13): triggers note which courses and
 * months and which units had facts change; a refresh recomputes only those. Each test changes facts the
 * way the app does, refreshes incrementally, and checks that every table then holds exactly what a
 * computation from scratch at the same moment gives, and that the change did reach the figures.
 */
import { SHIPPED_COURSES, buildPerson, buildUnit, startTestApp, type TestApp } from '../support/test-app';
import { attempt, buildHandMadeData, daysAgo, enrol, type HandMadeData } from './hand-made-data';
import { STATS_VIEWS } from '../../server/stats/stats-repository';

let t: TestApp;
let d: HandMadeData;
/** The refresh clock: each test moves it on, as the scheduled job's runs do. */
let clock = Date.now();

beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
  d = await buildHandMadeData(t.db);
  await t.services.stats.refreshViews({ full: true, now: new Date(clock) });
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

/** Every regional table's rows, in a fixed order. */
async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const view of STATS_VIEWS)
    out[view] = (await t.db.raw(`select to_jsonb(x)::text as j from ${view} x order by 1`)).rows.map(
      (r: { j: string }) => r.j,
    );
  return out;
}

/** Refreshes incrementally `minutes` after the last run; returns the report and the figures, which must equal a full recomputation's. */
async function refreshAndCompare(minutes = 10) {
  clock += minutes * 60_000;
  const now = new Date(clock);
  const report = await t.services.stats.refreshViews({ now });
  expect(report.full).toBe(false);
  const incremental = await snapshot();
  await t.services.stats.refreshViews({ full: true, now });
  expect(incremental).toEqual(await snapshot());
  return { report, figures: incremental };
}

const stateOf = async (userId: number, courseId: number) =>
  (await t.db('stats_manager_states').where({ user_id: userId, course_id: courseId }).first('state'))
    ?.state as string | undefined;

describe('incremental refresh', () => {
  it('recomputes nothing when nothing changed', async () => {
    const { report } = await refreshAndCompare();
    expect(report).toMatchObject({ courseMonths: 0, units: 0 });
  });

  it('a completion with its test and evaluation: course-months and the unit only', async () => {
    const grunden = d.courses['hjalpmedel-grunden'];
    const before = await snapshot();
    const at = new Date(clock - 60_000);
    const enrolmentId = await enrol(t.db, {
      userId: d.p3.id,
      course: grunden,
      startedAt: daysAgo(2, clock),
      completedAt: at,
      evaluation: { useful: 4, matches: 2, comment: 'Mycket bra.' },
    });
    await attempt(t.db, {
      enrolmentId,
      number: 1,
      passed: true,
      at,
      answers: { [d.q1]: true, [d.q2]: false },
    });
    const { report, figures } = await refreshAndCompare();
    expect(report.units).toBe(1);
    expect(report.courseMonths).toBeGreaterThanOrEqual(1);
    expect(figures.stats_course_months).not.toEqual(before.stats_course_months);
    expect(figures.stats_question_answers).not.toEqual(before.stats_question_answers);
    expect(figures.stats_evaluation_comments.some((c) => c.includes('Mycket bra.'))).toBe(true);
    expect(await stateOf(d.p3.id, grunden.id)).toBe('completed');
  });

  it('an attempt submitted as the quiz does it (graded after the attempt is closed)', async () => {
    const forflyttning = d.courses.forflyttning;
    const enrolmentId = await enrol(t.db, {
      userId: d.p5.id,
      course: forflyttning,
      startedAt: daysAgo(1, clock),
    });
    const [q] = forflyttning.questions;
    await attempt(t.db, { enrolmentId, number: 1, open: true, at: new Date(clock), answers: { [q]: false } });
    await refreshAndCompare();
    await t.db.transaction(async (trx) => {
      const a = await trx('quiz_attempts').where({ enrolment_id: enrolmentId }).first('id');
      await trx('quiz_attempts')
        .where({ id: a.id })
        .update({ submitted_at: new Date(clock), correct_count: 1, passed: true });
      await trx('quiz_answers').where({ attempt_id: a.id }).update({ is_correct: true });
    });
    const { figures } = await refreshAndCompare();
    expect(figures.stats_quiz_months.join()).toContain(`"course_id": ${forflyttning.id}`);
  });

  it('a person moved to another unit, and to another organisation', async () => {
    const { report } = await (async () => {
      await t.db('users').where({ id: d.p1.id }).update({ unit_id: d.a2.id });
      return refreshAndCompare();
    })();
    expect(report.units).toBe(2);
    expect(report.courseMonths).toBe(0); // same organisation: HMC's figures do not change
    await t.db('users').where({ id: d.p1.id }).update({ unit_id: d.b1.id });
    const moved = await refreshAndCompare();
    expect(moved.report.courseMonths).toBeGreaterThan(0);
    expect(
      (await t.db('stats_manager_states').where({ user_id: d.p1.id }).distinct('unit_id')).map(
        (r: { unit_id: number }) => r.unit_id,
      ),
    ).toEqual([d.b1.id]);
  });

  it('a person disabled, a person renamed, a manager permission given', async () => {
    await t
      .db('users')
      .where({ id: d.p2.id })
      .update({ disabled_at: new Date(clock) });
    await t.db('users').where({ id: d.p6.id }).update({ name: 'Fatima Sexton' });
    await t.db('permissions').insert({ user_id: d.p5.id, kind: 'manager', unit_id: d.a2.id });
    const { figures } = await refreshAndCompare();
    expect(figures.stats_manager_states.some((r) => r.includes(`"user_id": ${d.p2.id},`))).toBe(false);
    expect(figures.stats_manager_states.some((r) => r.includes('Fatima Sexton'))).toBe(true);
  });

  it('a track change: a course becomes required, another interval changes', async () => {
    const chefer = d.courses['for-chefer'];
    const before = await t.db('track_courses').where({ job_role: 'personlig-assistent' });
    await t.db('track_courses').where({ job_role: 'personlig-assistent' }).update({ repeat_months: 1 });
    await t
      .db('track_courses')
      .insert({
        job_role: 'personlig-assistent',
        course_id: chefer.id,
        requirement: 'required',
        position: 99,
        repeat_months: 12,
      })
      .onConflict(['job_role', 'course_id'])
      .merge();
    const { report } = await refreshAndCompare();
    expect(report.units).toBeGreaterThanOrEqual(2);
    expect(await stateOf(d.p3.id, chefer.id)).toBeDefined();
    // Back as it was.
    await t.db('track_courses').where({ job_role: 'personlig-assistent' }).delete();
    await t.db('track_courses').insert(before);
    await refreshAndCompare();
    expect(await stateOf(d.p3.id, chefer.id)).toBeUndefined();
  });

  it('time alone: states that expire and a new month, without any fact changing', async () => {
    const grunden = d.courses['hjalpmedel-grunden'];
    expect(await stateOf(d.p3.id, grunden.id)).toBe('completed');
    // 320 days on, the completion of a year's validity is within 60 days of its end; 400 days on, expired.
    await refreshAndCompare(320 * 24 * 60);
    expect(await stateOf(d.p3.id, grunden.id)).toBe('expiring');
    await refreshAndCompare(80 * 24 * 60);
    expect(await stateOf(d.p3.id, grunden.id)).toBe('expired');
  });

  it('a completion corrected away and a person erased (deletes cascade)', async () => {
    const someone = await buildPerson(t.db, {
      unitId: d.a1.id,
      jobRole: 'underskoterska',
      name: 'Gunnar Går',
    });
    const enrolmentId = await enrol(t.db, {
      userId: someone.id,
      course: d.courses.forflyttning,
      startedAt: new Date(clock - 3_600_000),
      completedAt: new Date(clock - 60_000),
      evaluation: { useful: 1, matches: 1, comment: 'Försvinner.' },
    });
    await attempt(t.db, {
      enrolmentId,
      number: 1,
      passed: true,
      at: new Date(clock - 120_000),
      answers: { [d.courses.forflyttning.questions[0]]: true },
    });
    await refreshAndCompare();
    await t.db('completions').where({ enrolment_id: enrolmentId }).delete();
    await refreshAndCompare();
    await t.db('users').where({ id: someone.id }).delete();
    const { figures } = await refreshAndCompare();
    expect(figures.stats_evaluation_comments.some((c) => c.includes('Försvinner.'))).toBe(false);
  });

  it('a unit moved to another organisation', async () => {
    const other = await buildUnit(t.db);
    await t.db('units').where({ id: d.b1.id }).update({ organisation_id: other.organisationId });
    const { report } = await refreshAndCompare();
    expect(report.courseMonths).toBeGreaterThan(0);
    expect(report.units).toBeGreaterThanOrEqual(1);
  });
});
