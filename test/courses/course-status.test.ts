import { addMonths, courseStatus } from '../../server/courses/course-status';

const now = new Date('2026-11-22T10:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

describe('addMonths', () => {
  it('keeps the day of month where it exists and clamps at month end', () => {
    expect(addMonths(new Date('2026-01-31T12:00:00Z'), 1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonths(new Date('2028-01-31T12:00:00Z'), 1).toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(addMonths(new Date('2026-11-22T10:00:00Z'), 12).toISOString()).toBe('2027-11-22T10:00:00.000Z');
  });
});

describe('courseStatus', () => {
  it('is not started without enrolment or completion', () => {
    expect(courseStatus({ now, openEnrolment: null, latestCompletion: null, repeatMonths: 12 })).toEqual({
      state: 'not_started',
      progress: 0,
      validUntil: null,
    });
  });

  it('shows how far an open enrolment has come', () => {
    expect(
      courseStatus({
        now,
        openEnrolment: { lessonsDone: 2, lessonCount: 5 },
        latestCompletion: null,
        repeatMonths: 12,
      }),
    ).toMatchObject({ state: 'in_progress', progress: 40 });
  });

  it('is completed while valid, expiring within 60 days, expired after', () => {
    const c = (validUntil: Date) => ({ completedAt: days(-300), validUntil });
    expect(
      courseStatus({ now, openEnrolment: null, latestCompletion: c(days(61)), repeatMonths: null }).state,
    ).toBe('completed');
    expect(
      courseStatus({ now, openEnrolment: null, latestCompletion: c(days(59)), repeatMonths: null }).state,
    ).toBe('expiring');
    expect(
      courseStatus({ now, openEnrolment: null, latestCompletion: c(days(-1)), repeatMonths: null }).state,
    ).toBe('expired');
  });

  it('lets the role track ask for repetition before the certificate itself expires', () => {
    const status = courseStatus({
      now,
      openEnrolment: null,
      latestCompletion: { completedAt: days(-400), validUntil: days(300) },
      repeatMonths: 12,
    });
    expect(status.state).toBe('expired');
    expect(status.validUntil!.getTime()).toBeLessThan(now.getTime());
  });

  it('shows a repetition in progress when the old completion has expired', () => {
    expect(
      courseStatus({
        now,
        openEnrolment: { lessonsDone: 1, lessonCount: 4 },
        latestCompletion: { completedAt: days(-500), validUntil: days(-135) },
        repeatMonths: 12,
      }).state,
    ).toBe('in_progress');
  });
});
