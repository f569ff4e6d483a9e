/** A learner's status in one course, worked out from their enrolment and completions (pure, unit-tested). */

export type CourseState = 'not_started' | 'in_progress' | 'completed' | 'expiring' | 'expired';

export const EXPIRING_DAYS = 60;

export interface StatusInput {
  now: Date;
  /** The open (unfinished) enrolment, if any. */
  openEnrolment: { lessonsDone: number; lessonCount: number } | null;
  /** The newest completion, if any. */
  latestCompletion: { completedAt: Date; validUntil: Date } | null;
  /** The role track's repetition interval; a required course must be repeated within it. */
  repeatMonths: number | null;
}

export interface CourseStatus {
  state: CourseState;
  /** 0–100, the share of lessons done in the open enrolment. */
  progress: number;
  /** When the newest completion stops counting (the earlier of its validity and the track's interval). */
  validUntil: Date | null;
}

/** Adds calendar months, keeping the day where the month has it (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export function courseStatus(input: StatusInput): CourseStatus {
  const { now, openEnrolment, latestCompletion, repeatMonths } = input;
  let validUntil: Date | null = null;
  if (latestCompletion) {
    validUntil = latestCompletion.validUntil;
    if (repeatMonths) {
      const due = addMonths(latestCompletion.completedAt, repeatMonths);
      if (due < validUntil) validUntil = due;
    }
  }
  const progress =
    openEnrolment && openEnrolment.lessonCount > 0
      ? Math.round((100 * openEnrolment.lessonsDone) / openEnrolment.lessonCount)
      : 0;
  if (validUntil && validUntil > now) {
    const expiring = validUntil.getTime() - now.getTime() <= EXPIRING_DAYS * 24 * 60 * 60 * 1000;
    return { state: expiring ? 'expiring' : 'completed', progress, validUntil };
  }
  if (openEnrolment) return { state: 'in_progress', progress, validUntil };
  if (validUntil) return { state: 'expired', progress: 0, validUntil };
  return { state: 'not_started', progress: 0, validUntil: null };
}
