/** Enrolments (one per round of a course), lesson progress and completions. */
import type { Knex } from 'knex';
import { prepared } from '../db/prepared';
import { insertReturningRow } from '../db/rows';

export interface Enrolment {
  id: number;
  userId: number;
  courseId: number;
  courseVersionId: number;
  startedAt: Date;
  completedAt: Date | null;
}

export interface Completion {
  id: number;
  userId: number;
  courseId: number;
  enrolmentId: number | null;
  kind: 'elearning' | 'classroom';
  completedAt: Date;
  validUntil: Date;
  verificationCode: string;
}

interface EnrolmentRow {
  id: number;
  user_id: number;
  course_id: number;
  course_version_id: number;
  started_at: Date;
  completed_at: Date | null;
}

interface CompletionRow {
  id: number;
  user_id: number;
  course_id: number;
  enrolment_id: number | null;
  kind: Completion['kind'];
  completed_at: Date;
  valid_until: Date;
  verification_code: string;
}

/** The columns by name (not `*`): Mina kurser's queries are prepared statements (server/db/prepared.ts). */
const ENROLMENT_COLUMNS = [
  'id',
  'user_id',
  'course_id',
  'course_version_id',
  'started_at',
  'completed_at',
] as const satisfies readonly (keyof EnrolmentRow)[];
const COMPLETION_COLUMNS = [
  'id',
  'user_id',
  'course_id',
  'enrolment_id',
  'kind',
  'completed_at',
  'valid_until',
  'verification_code',
] as const satisfies readonly (keyof CompletionRow)[];

const toEnrolment = (r: EnrolmentRow): Enrolment => ({
  id: r.id,
  userId: r.user_id,
  courseId: r.course_id,
  courseVersionId: r.course_version_id,
  startedAt: r.started_at,
  completedAt: r.completed_at,
});

export const toCompletion = (r: CompletionRow): Completion => ({
  id: r.id,
  userId: r.user_id,
  courseId: r.course_id,
  enrolmentId: r.enrolment_id,
  kind: r.kind,
  completedAt: r.completed_at,
  validUntil: r.valid_until,
  verificationCode: r.verification_code,
});

type Db = Knex | Knex.Transaction;

export function enrolmentsRepository(db: Knex) {
  return {
    async openEnrolment(userId: number, courseId: number, trx: Db = db): Promise<Enrolment | null> {
      const row = await trx('enrolments')
        .where({ user_id: userId, course_id: courseId })
        .whereNull('completed_at')
        .first<EnrolmentRow | undefined>();
      return row ? toEnrolment(row) : null;
    },

    async findById(id: number, trx: Db = db): Promise<Enrolment | null> {
      const row = await trx('enrolments').where({ id }).first<EnrolmentRow | undefined>();
      return row ? toEnrolment(row) : null;
    },

    /** The open enrolment, created on the given version if there is none; safe against double submits. */
    async startOrResume(
      userId: number,
      courseId: number,
      versionId: number,
      trx: Db = db,
    ): Promise<Enrolment> {
      await trx.raw(
        `insert into enrolments (user_id, course_id, course_version_id) values (?, ?, ?)
         on conflict (user_id, course_id) where completed_at is null do nothing`,
        [userId, courseId, versionId],
      );
      const row = await trx('enrolments')
        .where({ user_id: userId, course_id: courseId })
        .whereNull('completed_at')
        .first<EnrolmentRow>();
      return toEnrolment(row);
    },

    async lessonsDone(enrolmentId: number, trx: Db = db): Promise<Set<string>> {
      const rows = await trx('lesson_progress')
        .where({ enrolment_id: enrolmentId })
        .select<{ lesson_id: string }[]>('lesson_id');
      return new Set(rows.map((r) => r.lesson_id));
    },

    async markLessonDone(enrolmentId: number, lessonId: string, trx: Db = db): Promise<void> {
      await trx('lesson_progress')
        .insert({ enrolment_id: enrolmentId, lesson_id: lessonId })
        .onConflict(['enrolment_id', 'lesson_id'])
        .ignore();
    },

    /** For many courses at once (Mina kurser): open enrolments with lessons done, and newest completions. */
    async overview(userId: number): Promise<{
      open: Map<number, { enrolment: Enrolment; lessonsDone: number }>;
      latest: Map<number, Completion>;
    }> {
      const openRows = await prepared(
        'open-enrolments',
        db('enrolments as e')
          .leftJoin('lesson_progress as p', 'p.enrolment_id', 'e.id')
          .where('e.user_id', userId)
          .whereNull('e.completed_at')
          .groupBy('e.id')
          .select<(EnrolmentRow & { lessons_done: number })[]>(
            ...ENROLMENT_COLUMNS.map((c) => `e.${c}`),
            db.raw('count(p.lesson_id)::int as lessons_done'),
          ),
      );
      const completionRows = await prepared(
        'latest-completions',
        db('completions')
          .distinctOn('course_id')
          .where({ user_id: userId })
          .orderBy([{ column: 'course_id' }, { column: 'completed_at', order: 'desc' }])
          .select<CompletionRow[]>(...COMPLETION_COLUMNS),
      );
      return {
        open: new Map(
          openRows.map((r) => [r.course_id, { enrolment: toEnrolment(r), lessonsDone: r.lessons_done }]),
        ),
        latest: new Map(completionRows.map((r) => [r.course_id, toCompletion(r)])),
      };
    },

    async latestCompletion(userId: number, courseId: number, trx: Db = db): Promise<Completion | null> {
      const row = await trx('completions')
        .where({ user_id: userId, course_id: courseId })
        .orderBy('completed_at', 'desc')
        .first<CompletionRow | undefined>();
      return row ? toCompletion(row) : null;
    },

    async completionById(id: number): Promise<Completion | null> {
      const row = await db('completions').where({ id }).first<CompletionRow | undefined>();
      return row ? toCompletion(row) : null;
    },

    async completionByCode(code: string): Promise<Completion | null> {
      const row = await db('completions')
        .where({ verification_code: code })
        .first<CompletionRow | undefined>();
      return row ? toCompletion(row) : null;
    },

    /** Active people whose completion of the course is still valid (they are told of a significant change). */
    async peopleWithValidCompletion(
      courseId: number,
      trx: Db = db,
    ): Promise<{ id: number; email: string; name: string }[]> {
      return trx('completions as c')
        .join('users as u', 'u.id', 'c.user_id')
        .where('c.course_id', courseId)
        .where('c.valid_until', '>', trx.fn.now())
        .whereNull('u.disabled_at')
        .distinct<{ id: number; email: string; name: string }[]>('u.id', 'u.email', 'u.name');
    },

    /** Closes the enrolment and records the completion, in the caller's transaction. */
    async complete(
      trx: Knex.Transaction,
      c: { enrolment: Enrolment; completedAt: Date; validUntil: Date; verificationCode: string },
    ): Promise<Completion> {
      await trx('enrolments').where({ id: c.enrolment.id }).update({ completed_at: c.completedAt });
      return toCompletion(
        await insertReturningRow<CompletionRow>(trx, 'completions', {
          user_id: c.enrolment.userId,
          course_id: c.enrolment.courseId,
          course_version_id: c.enrolment.courseVersionId,
          enrolment_id: c.enrolment.id,
          kind: 'elearning',
          completed_at: c.completedAt,
          valid_until: c.validUntil,
          verification_code: c.verificationCode,
        }),
      );
    },

    /** The newest completed enrolment of a course that has no evaluation yet. */
    async enrolmentAwaitingEvaluation(userId: number, courseId: number): Promise<Enrolment | null> {
      const row = await db('enrolments as e')
        .leftJoin('evaluations as ev', 'ev.enrolment_id', 'e.id')
        .where({ 'e.user_id': userId, 'e.course_id': courseId })
        .whereNotNull('e.completed_at')
        .whereNull('ev.id')
        .orderBy('e.completed_at', 'desc')
        .first<EnrolmentRow | undefined>('e.*');
      return row ? toEnrolment(row) : null;
    },
  };
}

export type EnrolmentsRepository = ReturnType<typeof enrolmentsRepository>;

/** A change to a person's classroom completion, from the attendance of a commissioned training. */
export type ClassroomAttendance =
  | { attended: true; userId: number; courseId: number; completedAt: Date; verificationCode: string }
  | { attended: false; completionId: number };

/**
 * Records (attended) or withdraws (attendance corrected) a classroom completion, in the caller's
 * transaction. A recorded one is of the course's newest version, valid for its `validityMonths` (12 when
 * unset) counted in UTC like addMonths; returns its id, or null when the course has no version or it was
 * withdrawn. Bookings reaches it through courses-service (issue 12: courses owns `completions`).
 */
export async function recordClassroomAttendance(
  trx: Knex.Transaction,
  change: ClassroomAttendance,
): Promise<number | null> {
  if (!change.attended) {
    await trx('completions').where({ id: change.completionId, kind: 'classroom' }).delete();
    return null;
  }
  const { rows } = await trx.raw<{ rows: { id: number }[] }>(
    `insert into completions (user_id, course_id, course_version_id, kind, completed_at, valid_until, verification_code)
     select ?, v.course_id, v.id, 'classroom', ?::timestamptz,
            ((?::timestamptz at time zone 'UTC') + make_interval(months => coalesce((v.content->>'validityMonths')::int, 12))) at time zone 'UTC',
            ?
       from course_versions v where v.course_id = ? order by v.version desc limit 1
     returning id`,
    [change.userId, change.completedAt, change.completedAt, change.verificationCode, change.courseId],
  );
  return rows[0]?.id ?? null;
}
