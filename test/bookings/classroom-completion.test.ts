/**
 * A classroom training's attendance becomes a completion through the courses feature (issue 12): bookings
 * no longer writes `completions` itself. The completion is of the course's newest version and is valid
 * for that version's validityMonths, counted like addMonths (the last day of a shorter month).
 */
import { recordClassroomAttendance } from '../../server/courses/courses-service';
import { newVerificationCode } from '../../server/certificates/verification-code';
import { buildPerson, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let courseId: number;
beforeAll(async () => {
  t = await startTestApp();
  courseId = (await t.db('courses').where({ slug: 'test-kurs' }).first<{ id: number }>('id')).id;
});
afterAll(async () => t.close());

async function setValidity(months: number | null) {
  const latest = await t
    .db('course_versions')
    .where({ course_id: courseId })
    .orderBy('version', 'desc')
    .first<{ id: number }>('id');
  await t
    .db('course_versions')
    .where({ id: latest.id })
    .update({
      content:
        months === null
          ? t.db.raw(`content - 'validityMonths'`)
          : t.db.raw(`jsonb_set(content, '{validityMonths}', ?::jsonb)`, [String(months)]),
    });
  return latest.id;
}

const attend = (userId: number, completedAt: Date) =>
  t.db.transaction((trx) =>
    recordClassroomAttendance(trx, {
      attended: true,
      userId,
      courseId,
      completedAt,
      verificationCode: newVerificationCode(),
    }),
  );

describe('recordClassroomAttendance', () => {
  it('records a classroom completion of the newest version, valid to the same day months later or the month’s last day', async () => {
    const versionId = await setValidity(1);
    const person = await buildPerson(t.db);
    const id = await attend(person.id, new Date('2026-01-31T15:00:00Z'));
    const row = await t.db('completions').where({ id }).first();
    expect(row).toMatchObject({ user_id: person.id, course_version_id: versionId, kind: 'classroom' });
    expect(row.valid_until).toEqual(new Date('2026-02-28T15:00:00Z'));
  });

  it('is valid for 12 months when the course says nothing', async () => {
    await setValidity(null);
    const person = await buildPerson(t.db);
    const id = await attend(person.id, new Date('2026-03-10T08:30:00Z'));
    const row = await t.db('completions').where({ id }).first();
    expect(row.valid_until).toEqual(new Date('2027-03-10T08:30:00Z'));
  });

  it('withdraws the completion when the attendance is corrected', async () => {
    const person = await buildPerson(t.db);
    const id = await attend(person.id, new Date('2026-03-10T08:30:00Z'));
    expect(id).not.toBeNull();
    await t.db.transaction((trx) =>
      recordClassroomAttendance(trx, { attended: false, completionId: id ?? 0 }),
    );
    expect(await t.db('completions').where({ id }).first()).toBeUndefined();
  });
});
