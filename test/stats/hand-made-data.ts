/**
 * A small hand-made data set whose right answers are worked out by hand (see the comments), on the
 * shipped courses and role tracks: two organisations, three units, people in every state.
 */
import type { Knex } from 'knex';
import { buildPerson, buildUnit } from '../support/test-app';

const DAY = 24 * 60 * 60 * 1000;
export const daysAgo = (n: number, now = Date.now()) => new Date(now - n * DAY);
export const daysAhead = (n: number, now = Date.now()) => new Date(now + n * DAY);
const none = (kind: 'learner' | 'educator' | 'admin') => ({ kind, organisationId: null, unitId: null });

let code = 0;

export async function courseIds(
  db: Knex,
): Promise<Record<string, { id: number; versionId: number; questions: string[] }>> {
  const rows = await db('course_versions as v')
    .join('courses as c', 'c.id', 'v.course_id')
    .select('c.slug', 'c.id', 'v.id as version_id', 'v.content')
    .orderBy('v.version');
  return Object.fromEntries(
    rows.map(
      (r: { slug: string; id: number; version_id: number; content: { questions: { id: string }[] } }) => [
        r.slug,
        { id: r.id, versionId: r.version_id, questions: r.content.questions.map((q) => q.id) },
      ],
    ),
  );
}

/** An enrolment (open unless completedAt), its completion, and optionally an evaluation. */
export async function enrol(
  db: Knex,
  o: {
    userId: number;
    course: { id: number; versionId: number };
    startedAt: Date;
    completedAt?: Date;
    validUntil?: Date;
    evaluation?: { useful: number; matches: number; comment?: string | null };
  },
): Promise<number> {
  const [e] = await db('enrolments')
    .insert({
      user_id: o.userId,
      course_id: o.course.id,
      course_version_id: o.course.versionId,
      started_at: o.startedAt,
      completed_at: o.completedAt ?? null,
    })
    .returning('id');
  if (o.completedAt) {
    await db('completions').insert({
      user_id: o.userId,
      course_id: o.course.id,
      course_version_id: o.course.versionId,
      enrolment_id: e.id,
      kind: 'elearning',
      completed_at: o.completedAt,
      valid_until: o.validUntil ?? new Date(o.completedAt.getTime() + 365 * DAY),
      verification_code: `HM${++code}-${process.pid}-${Date.now()}`,
    });
  }
  if (o.evaluation) {
    await db('evaluations').insert({
      enrolment_id: e.id,
      useful: o.evaluation.useful,
      matches_description: o.evaluation.matches,
      comment: o.evaluation.comment ?? null,
      created_at: o.completedAt ?? o.startedAt,
    });
  }
  return e.id;
}

/** A quiz attempt (submitted unless `open`) with its answers: question id → right or wrong. */
export async function attempt(
  db: Knex,
  o: {
    enrolmentId: number;
    number: number;
    passed?: boolean;
    open?: boolean;
    at: Date;
    answers: Record<string, boolean>;
  },
): Promise<void> {
  const ids = Object.keys(o.answers);
  const [a] = await db('quiz_attempts')
    .insert({
      enrolment_id: o.enrolmentId,
      number: o.number,
      questions: JSON.stringify(ids.map((id) => ({ id, options: [] }))),
      question_count: ids.length,
      correct_count: o.open ? null : Object.values(o.answers).filter(Boolean).length,
      passed: o.open ? null : !!o.passed,
      started_at: o.at,
      submitted_at: o.open ? null : o.at,
    })
    .returning('id');
  await db('quiz_answers').insert(
    ids.map((id) => ({
      attempt_id: a.id,
      question_id: id,
      selected: ['x'],
      answered_at: o.at,
      is_correct: o.answers[id],
    })),
  );
}

export async function buildHandMadeData(db: Knex) {
  const c = await courseIds(db);
  const grunden = c['hjalpmedel-grunden'];
  const forflyttning = c.forflyttning;
  const chefer = c['for-chefer'];
  const [q1, q2] = grunden.questions;

  const [orgA] = await db('organisations').insert({ name: 'Kommun A', kind: 'municipality' }).returning('id');
  const [orgB] = await db('organisations').insert({ name: 'Kommun B', kind: 'municipality' }).returning('id');
  const a1 = await buildUnit(db, { organisationId: orgA.id, name: 'Enhet A1' });
  const a2 = await buildUnit(db, { organisationId: orgA.id, name: 'Enhet A2' });
  const b1 = await buildUnit(db, { organisationId: orgB.id, name: 'Enhet B1' });

  const pa = 'personlig-assistent';
  const p1 = await buildPerson(db, { unitId: a1.id, jobRole: pa, name: 'Anna Ett' });
  const p2 = await buildPerson(db, { unitId: a1.id, jobRole: pa, name: 'Bertil Två' });
  const p3 = await buildPerson(db, { unitId: a1.id, jobRole: pa, name: 'Cecilia Tre' });
  const p4 = await buildPerson(db, { unitId: a1.id, jobRole: pa, name: 'David Avstängd' });
  await db('users')
    .where({ id: p4.id })
    .update({ disabled_at: daysAgo(1) });
  const m1 = await buildPerson(db, {
    unitId: a1.id,
    jobRole: 'enhetschef',
    name: 'Maja Chef A1',
    permissions: [{ kind: 'manager', organisationId: null, unitId: a1.id }],
  });
  const p5 = await buildPerson(db, { unitId: a2.id, jobRole: 'underskoterska', name: 'Erik Fem' });
  const m2 = await buildPerson(db, {
    unitId: a2.id,
    jobRole: 'enhetschef',
    name: 'Mats Chef A2',
    permissions: [{ kind: 'manager', organisationId: null, unitId: a2.id }, none('learner')],
  });
  const mA = await buildPerson(db, {
    unitId: a2.id,
    jobRole: null,
    name: 'Olga Förvaltningschef',
    permissions: [{ kind: 'manager', organisationId: orgA.id, unitId: null }],
  });
  const p6 = await buildPerson(db, { unitId: b1.id, jobRole: pa, name: 'Fatima Sex' });
  const educator = await buildPerson(db, {
    unitId: b1.id,
    jobRole: null,
    name: 'Sara Utbildare',
    permissions: [none('educator')],
  });

  // P1: grunden done 100 days ago (completed); förflyttning done 200 days ago, valid 30 more days (expiring).
  const e1 = await enrol(db, {
    userId: p1.id,
    course: grunden,
    startedAt: daysAgo(110),
    completedAt: daysAgo(100),
    evaluation: { useful: 4, matches: 3, comment: 'Bra kurs med tydliga exempel' },
  });
  await attempt(db, {
    enrolmentId: e1,
    number: 1,
    passed: false,
    at: daysAgo(101),
    answers: { [q1]: false, [q2]: true },
  });
  await attempt(db, {
    enrolmentId: e1,
    number: 2,
    passed: true,
    at: daysAgo(100),
    answers: { [q1]: true, [q2]: true },
  });
  await enrol(db, {
    userId: p1.id,
    course: forflyttning,
    startedAt: daysAgo(210),
    completedAt: daysAgo(200),
    validUntil: daysAhead(30),
  });
  // P2: grunden done 400 days ago (expired, no open round); förflyttning open (in progress).
  const e2 = await enrol(db, {
    userId: p2.id,
    course: grunden,
    startedAt: daysAgo(410),
    completedAt: daysAgo(400),
    evaluation: { useful: 4, matches: 4, comment: '=HYPERLINK("http://evil.test")' },
  });
  await attempt(db, {
    enrolmentId: e2,
    number: 1,
    passed: true,
    at: daysAgo(400),
    answers: { [q1]: false, [q2]: true },
  });
  await enrol(db, { userId: p2.id, course: forflyttning, startedAt: daysAgo(5) });
  // P3: nothing. P4 (disabled): grunden done 50 days ago – counts for HMC, not for the manager.
  await enrol(db, { userId: p4.id, course: grunden, startedAt: daysAgo(55), completedAt: daysAgo(50) });
  // P5 (undersköterska): grunden done 400 days ago and started again 20 days ago (in progress).
  const e5 = await enrol(db, {
    userId: p5.id,
    course: grunden,
    startedAt: daysAgo(410),
    completedAt: daysAgo(400),
  });
  await attempt(db, {
    enrolmentId: e5,
    number: 1,
    passed: true,
    at: daysAgo(400),
    answers: { [q1]: true, [q2]: true },
  });
  const e5b = await enrol(db, { userId: p5.id, course: grunden, startedAt: daysAgo(20) });
  await attempt(db, {
    enrolmentId: e5b,
    number: 1,
    passed: false,
    at: daysAgo(19),
    answers: { [q1]: false, [q2]: true },
  });
  await attempt(db, { enrolmentId: e5b, number: 2, open: true, at: daysAgo(18), answers: { [q1]: true } });
  // M2 (a manager who takes courses): för chefer as a classroom training 10 days ago.
  await db('completions').insert({
    user_id: m2.id,
    course_id: chefer.id,
    kind: 'classroom',
    completed_at: daysAgo(10),
    valid_until: daysAhead(355),
    verification_code: `HMK-${process.pid}-${Date.now()}`,
  });
  // P6 in the other organisation: grunden done 10 days ago.
  const e6 = await enrol(db, {
    userId: p6.id,
    course: grunden,
    startedAt: daysAgo(15),
    completedAt: daysAgo(10),
    evaluation: { useful: 2, matches: 4 },
  });
  await attempt(db, {
    enrolmentId: e6,
    number: 1,
    passed: true,
    at: daysAgo(10),
    answers: { [q1]: false, [q2]: true },
  });

  return {
    courses: c,
    orgA: orgA.id,
    orgB: orgB.id,
    a1,
    a2,
    b1,
    p1,
    p2,
    p3,
    p4,
    p5,
    p6,
    m1,
    m2,
    mA,
    educator,
    q1,
    q2,
  };
}

export type HandMadeData = Awaited<ReturnType<typeof buildHandMadeData>>;
