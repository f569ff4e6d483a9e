/** Quiz commands: start an attempt, save an answer the moment it is given, and submit (grade and maybe complete). */
import type { Completion, CoursesService, CourseVersion } from '../courses/courses-service';
import type { QuestionContent } from '../courses/types';
import { BoundedCache } from '../db/bounded-cache';
import type { InTransaction } from '../db/transaction';
import { conflict, forbidden, HttpError, notFound } from '../http/errors';
import { cleanSelection, criticalMissed, drawQuestions, isCorrect, passes } from './grading';
import type { Attempt, QuizRepository } from './quiz-repository';

/** An answer sent after the test was handed in (409): the page says so and leads to the result. */
export class AlreadySubmittedError extends HttpError {
  constructor() {
    super(409, 'quiz:errors.alreadySubmitted');
  }
}

/** What never changes about an attempt once its questions are drawn: whose it is, its version, its questions. */
export type DrawnAttempt = Pick<Attempt, 'id' | 'userId' | 'courseVersionId' | 'questions'>;

/**
 * Attempts remembered per process, the least recently used forgotten first: a few KB each (a dozen questions
 * with their option order), and more than one node has people taking a test at the same time.
 */
const DRAWN_ATTEMPTS = 1000;

export interface SubmitOutcome {
  attempt: Attempt;
  completion: Completion | null;
}

/** The courses feature owns versions, enrolments and completions: the quiz reads and completes them through it. */
export type QuizCourses = Pick<
  CoursesService,
  'versionById' | 'latestBySlug' | 'openEnrolment' | 'lessonsDone' | 'completeEnrolment'
>;

export function quizService(deps: {
  transaction: InTransaction;
  courses: QuizCourses;
  quiz: QuizRepository;
}) {
  const { transaction, courses, quiz } = deps;
  // An answer save needs only what never changes about its attempt (the question page before it has read
  // it): one query fewer per save. Whether the attempt is still open is asked in the save's own statement.
  const drawn = new BoundedCache<number, DrawnAttempt>(DRAWN_ATTEMPTS);

  /** 404 when there is no such attempt, 403 when it is someone else's; the version it was drawn from. */
  async function versionFor<A extends DrawnAttempt>(
    attempt: A | null,
    userId: number,
  ): Promise<{ attempt: A; version: CourseVersion }> {
    if (!attempt) throw notFound('quiz:errors.attemptNotFound');
    if (attempt.userId !== userId) throw forbidden('quiz:errors.notYourAttempt');
    const version = await courses.versionById(attempt.courseVersionId);
    if (!version) throw notFound();
    return { attempt, version };
  }

  /** The attempt as it is now, if it is this person's. */
  async function ownAttempt(
    attemptId: number | null,
    userId: number,
  ): Promise<{ attempt: Attempt; version: CourseVersion }> {
    const attempt = attemptId === null ? null : await quiz.findAttempt(attemptId);
    if (attempt) {
      const { id, userId: owner, courseVersionId, questions } = attempt;
      drawn.set(id, { id, userId: owner, courseVersionId, questions });
    }
    return versionFor(attempt, userId);
  }

  /** What never changes about the attempt, if it is this person's: from memory when it has been read before. */
  async function ownDrawnAttempt(
    attemptId: number | null,
    userId: number,
  ): Promise<{ attempt: DrawnAttempt; version: CourseVersion }> {
    const known = attemptId === null ? undefined : drawn.get(attemptId);
    return known ? versionFor(known, userId) : ownAttempt(attemptId, userId);
  }

  function questionOf(version: CourseVersion, id: string): QuestionContent {
    const question = version.content.questions.find((q) => q.id === id);
    if (!question) throw notFound('quiz:errors.questionNotFound');
    return question;
  }

  return {
    ownAttempt,
    questionOf,

    /** Starts (or resumes) the quiz of the learner's open enrolment; all lessons must be done first. */
    async start(userId: number, slug: string): Promise<number> {
      const latest = await courses.latestBySlug(slug);
      if (!latest) throw notFound('courses:errors.courseNotFound');
      const enrolment = await courses.openEnrolment(userId, latest.courseId);
      if (!enrolment) throw conflict('quiz:errors.lessonsFirst');
      const version = await courses.versionById(enrolment.courseVersionId);
      if (!version) throw notFound();
      const done = await courses.lessonsDone(enrolment.id);
      if (version.content.lessons.some((l) => !done.has(l.id))) throw conflict('quiz:errors.lessonsFirst');
      const caseLessons = version.content.lessons.filter((l) => l.kind === 'case').map((l) => l.id);
      const drawn = drawQuestions(version.content.questions, version.content.questionsPerAttempt, {
        caseLessons,
      });
      return transaction((trx) => quiz.startAttempt(enrolment.id, drawn, trx));
    },

    /**
     * Saves one answer; a save older than the stored answer is ignored (saved: false). Returns the attempt too.
     * 409 when the attempt is handed in: the save's statement finds it closed, then the attempt is read.
     */
    async saveAnswer(
      userId: number,
      attemptId: number | null,
      questionId: string,
      selected: string[],
      answeredAt: Date | null,
    ): Promise<{ saved: boolean; attempt: DrawnAttempt }> {
      const { attempt, version } = await ownDrawnAttempt(attemptId, userId);
      if (!attempt.questions.some((q) => q.id === questionId)) throw notFound('quiz:errors.questionNotFound');
      const clean = cleanSelection(questionOf(version, questionId), selected);
      // The browser's clock orders saves, but never ahead of ours: a skewed clock cannot block later saves.
      const now = new Date();
      const when = answeredAt && answeredAt < now ? answeredAt : now;
      const saved = await quiz.saveAnswer(attempt.id, questionId, clean, when);
      if (!saved && (await quiz.findAttempt(attempt.id))?.submittedAt) throw new AlreadySubmittedError();
      return { saved, attempt };
    },

    /** Grades the attempt; when it passes and all lessons are done, completes the course. Idempotent. */
    async submit(userId: number, attemptId: number | null): Promise<SubmitOutcome> {
      const { attempt, version } = await ownAttempt(attemptId, userId);
      const outcome = await transaction(async (trx) => {
        const locked = await quiz.findAttempt(attempt.id, trx, true);
        if (!locked || locked.submittedAt) return null;
        const answers = await quiz.answers(attempt.id, trx);
        const results = new Map<string, boolean>();
        for (const q of locked.questions) {
          const answer = answers.get(q.id);
          results.set(q.id, !!answer && isCorrect(questionOf(version, q.id), answer.selected));
        }
        const correctCount = [...results.values()].filter(Boolean).length;
        // The pass mark and every drawn critical (safety) question right.
        const passed =
          passes(correctCount, locked.questionCount, version.content.passMark) &&
          criticalMissed(version.content.questions, results).length === 0;
        const submittedAt = await quiz.grade(trx, attempt.id, results, correctCount, passed);
        const completion = passed ? await courses.completeEnrolment(locked.enrolmentId, version, trx) : null;
        return { graded: submittedAt ? { ...locked, submittedAt, correctCount, passed } : null, completion };
      });
      // Graded here: the attempt as recorded. Handed in before (a double click): read as it is.
      const graded = outcome?.graded ?? (await quiz.findAttempt(attempt.id)) ?? attempt;
      return { attempt: graded, completion: outcome?.completion ?? null };
    },
  };
}

export type QuizService = ReturnType<typeof quizService>;
