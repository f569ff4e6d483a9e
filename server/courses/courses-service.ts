/** The learner's view of courses: Mina kurser, course pages and lessons, and marking lessons done. */
import type { CurrentUser } from '../auth/types';
import { newVerificationCode } from '../certificates/verification-code';
import type { Transaction } from '../db/transaction';
import { notFound } from '../http/errors';
import { addMonths, courseStatus, type CourseStatus } from './course-status';
import type { CoursesRepository, CourseVersion, TrackEntry } from './courses-repository';
import type { EnrolmentsRepository, Enrolment, Completion } from './enrolments-repository';
import type { ProgressRepository } from './progress-repository';
import type { LessonContent } from './types';

export type { Completion, CourseVersion, Enrolment };

export interface CourseCard {
  slug: string;
  version: CourseVersion;
  requirement: TrackEntry['requirement'] | 'other';
  repeatMonths: number | null;
  status: CourseStatus;
  /** A significant change published after the learner's still-valid completion. */
  news: string | null;
  /** A required course never completed: by when it should be done (the introduction period from joining). */
  dueBy: Date | null;
}

/** Days a new person has to complete a required course they have never done (their introduction). */
export const INTRODUCTION_DAYS = 30;

/** Expired first, then expiring, then what is started, then what is not; done courses last. */
const URGENCY: Record<CourseStatus['state'], number> = {
  expired: 0,
  expiring: 1,
  in_progress: 2,
  not_started: 3,
  completed: 4,
};

/** Orders cards by urgency, then by the date that matters (due or valid until), keeping track order on ties. */
export function byUrgency(a: CourseCard, b: CourseCard): number {
  const rank = URGENCY[a.status.state] - URGENCY[b.status.state];
  if (rank !== 0) return rank;
  const when = (c: CourseCard) => (c.dueBy ?? c.status.validUntil)?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return when(a) - when(b);
}

export interface CourseProgress {
  version: CourseVersion;
  enrolment: Enrolment | null;
  done: Set<string>;
  latestCompletion: Completion | null;
  status: CourseStatus;
  track: TrackEntry | null;
}

export function coursesService(deps: {
  courses: CoursesRepository;
  enrolments: EnrolmentsRepository;
  progress: ProgressRepository;
}) {
  const { courses, enrolments } = deps;

  /** The version a learner sees: the one their open enrolment is on, else the newest. */
  async function progressIn(user: CurrentUser, slug: string): Promise<CourseProgress> {
    const facts = await deps.progress.factsFor(user.id, user.jobRole, slug);
    if (!facts) throw notFound('courses:errors.courseNotFound');
    const { enrolment, done, latestCompletion, track } = facts;
    const version = (
      await courses.versionsById(
        enrolment ? [enrolment.courseVersionId, facts.latestVersionId] : [facts.latestVersionId],
      )
    ).at(0);
    if (!version) throw notFound('courses:errors.courseNotFound');
    const status = courseStatus({
      now: new Date(),
      openEnrolment: enrolment
        ? { lessonsDone: done.size, lessonCount: version.content.lessons.length }
        : null,
      latestCompletion,
      repeatMonths: track?.requirement === 'required' ? track.repeatMonths : null,
    });
    return { version, enrolment, done, latestCompletion, status, track };
  }

  return {
    progressIn,

    /** A published version by id (an enrolment stays on the version it started on). */
    versionById: (versionId: number) => courses.versionById(versionId),
    /** The newest version of a course that is not retired. */
    latestBySlug: (slug: string) => courses.latestBySlug(slug),
    /** A course image by its hash. */
    asset: (sha256: string) => courses.asset(sha256),
    openEnrolment: (userId: number, courseId: number) => enrolments.openEnrolment(userId, courseId),
    lessonsDone: (enrolmentId: number, trx?: Transaction) => enrolments.lessonsDone(enrolmentId, trx),
    latestCompletion: (userId: number, courseId: number) => enrolments.latestCompletion(userId, courseId),

    /**
     * Completes the enrolment when every lesson of its version is done (the quiz was passed), in the
     * caller's transaction; null when a lesson is left or the enrolment is completed already.
     */
    async completeEnrolment(
      enrolmentId: number,
      version: CourseVersion,
      trx: Transaction,
    ): Promise<Completion | null> {
      const enrolment = await enrolments.findById(enrolmentId, trx);
      const done = await enrolments.lessonsDone(enrolmentId, trx);
      if (!enrolment || enrolment.completedAt || !version.content.lessons.every((l) => done.has(l.id)))
        return null;
      const completedAt = new Date();
      return enrolments.complete(trx, {
        enrolment,
        completedAt,
        validUntil: addMonths(completedAt, version.content.validityMonths),
        verificationCode: newVerificationCode(),
      });
    },

    /** Required and recommended courses of the person's job role, then every other course, each with status. */
    async myCourses(user: CurrentUser): Promise<CourseCard[]> {
      const [{ latest: all, track, changes }, overview] = await Promise.all([
        courses.catalogueFor(user.jobRole),
        enrolments.overview(user.id),
      ]);
      const bySlug = new Map(all.map((v) => [v.content.slug, v]));
      const entries: { slug: string; requirement: CourseCard['requirement']; repeatMonths: number | null }[] =
        [
          ...track.map((t) => ({
            slug: t.slug,
            requirement: t.requirement,
            repeatMonths: t.requirement === 'required' ? t.repeatMonths : null,
          })),
          ...all
            .filter((v) => !track.some((t) => t.slug === v.content.slug))
            .map((v) => ({ slug: v.content.slug, requirement: 'other' as const, repeatMonths: null })),
        ];
      return entries.flatMap((e) => {
        const version = bySlug.get(e.slug);
        if (!version) return [];
        const open = overview.open.get(version.courseId);
        const latest = overview.latest.get(version.courseId);
        const lessonCount = version.content.lessons.length;
        const change = changes.get(version.courseId);
        const news =
          change && latest && latest.validUntil > new Date() && change.publishedAt > latest.completedAt
            ? (change.changeNote ?? '')
            : null;
        const dueBy =
          e.requirement === 'required' && !latest
            ? new Date(user.joinedAt.getTime() + INTRODUCTION_DAYS * 86_400_000)
            : null;
        return [
          {
            news,
            dueBy,
            slug: e.slug,
            version,
            requirement: e.requirement,
            repeatMonths: e.repeatMonths,
            status: courseStatus({
              now: new Date(),
              openEnrolment: open ? { lessonsDone: open.lessonsDone, lessonCount } : null,
              latestCompletion: latest ?? null,
              repeatMonths: e.repeatMonths,
            }),
          },
        ];
      });
    },

    /** A lesson of the version the learner is on; 404 for an unknown lesson. */
    async lesson(user: CurrentUser, slug: string, lessonId: string) {
      const progress = await progressIn(user, slug);
      const lessons = progress.version.content.lessons;
      const index = lessons.findIndex((l) => l.id === lessonId);
      if (index < 0) throw notFound('courses:errors.lessonNotFound');
      return {
        progress,
        lesson: lessons[index],
        index,
        previous: lessons[index - 1] ?? null,
        next: lessons[index + 1] ?? null,
      };
    },

    /** Starts the course if needed and marks the lesson done; returns where to go next. */
    async markLessonDone(
      user: CurrentUser,
      slug: string,
      lessonId: string,
    ): Promise<{ next: LessonContent | null; allDone: boolean }> {
      const latest = await courses.latestBySlug(slug);
      if (!latest) throw notFound('courses:errors.courseNotFound');
      const enrolment = await enrolments.startOrResume(user.id, latest.courseId, latest.versionId);
      const version = (await courses.versionById(enrolment.courseVersionId)) ?? latest;
      const lessons = version.content.lessons;
      const index = lessons.findIndex((l) => l.id === lessonId);
      if (index < 0) throw notFound('courses:errors.lessonNotFound');
      await enrolments.markLessonDone(enrolment.id, lessonId);
      const done = await enrolments.lessonsDone(enrolment.id);
      const next =
        lessons.slice(index + 1).find((l) => !done.has(l.id)) ?? lessons.find((l) => !done.has(l.id)) ?? null;
      return { next, allDone: next === null };
    },

    /** Starts (or resumes) the course; returns the first lesson not yet done. */
    async start(user: CurrentUser, slug: string): Promise<LessonContent | null> {
      const latest = await courses.latestBySlug(slug);
      if (!latest) throw notFound('courses:errors.courseNotFound');
      const enrolment = await enrolments.startOrResume(user.id, latest.courseId, latest.versionId);
      const version = (await courses.versionById(enrolment.courseVersionId)) ?? latest;
      const done = await enrolments.lessonsDone(enrolment.id);
      return version.content.lessons.find((l) => !done.has(l.id)) ?? null;
    },
  };
}

export type CoursesService = ReturnType<typeof coursesService>;

/** Classroom attendance as a completion, for bookings (issue 12): courses owns `completions`. */
export { recordClassroomAttendance, type ClassroomAttendance } from './enrolments-repository';
