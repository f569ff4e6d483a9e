/** Quiz commands: start an attempt, save an answer the moment it is given, and submit (grade and maybe complete). */
import type { Completion, CoursesService, CourseVersion } from '../courses/courses-service';
import type { QuestionContent } from '../courses/types';
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

  /** The attempt if it is this person's; 404 when unknown, 403 when it is someone else's. */
  async function ownAttempt(
    attemptId: number | null,
    userId: number,
  ): Promise<{ attempt: Attempt; version: CourseVersion }> {
    const attempt = attemptId === null ? null : await quiz.findAttempt(attemptId);
    if (!attempt) throw notFound('quiz:errors.attemptNotFound');
    if (attempt.userId !== userId) throw forbidden('quiz:errors.notYourAttempt');
    const version = await courses.versionById(attempt.courseVersionId);
    if (!version) throw notFound();
    return { attempt, version };
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

    /** Saves one answer; a save older than the stored answer is ignored (saved: false). Returns the attempt too. */
    async saveAnswer(
      userId: number,
      attemptId: number | null,
      questionId: string,
      selected: string[],
      answeredAt: Date | null,
    ): Promise<{ saved: boolean; attempt: Attempt }> {
      const { attempt, version } = await ownAttempt(attemptId, userId);
      if (attempt.submittedAt) throw new AlreadySubmittedError();
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
