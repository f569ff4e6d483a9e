/** Quiz pages: intro, one question per page (works without JavaScript), review, submit and result. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import type { CoursesService } from '../courses/courses-service';
import type { OptionContent, QuestionContent } from '../courses/types';
import { badRequest, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam } from '../http/validation';
import type { QuizRepository } from './quiz-repository';
import { AlreadySubmittedError, type QuizService } from './quiz-service';

function selectedFrom(body: Record<string, unknown>): string[] {
  const raw = body.selected;
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is string => typeof v === 'string' && v.length <= 64);
}

function answeredAtFrom(value: unknown): Date | null {
  const ms = typeof value === 'string' && /^\d{10,15}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
}

const wantsJson = (req: Request) => (req.headers.accept ?? '').includes('application/json');

/** The drawn options in their drawn order (an option removed from the question since is left out). */
const drawnOptions = (question: QuestionContent, ids: string[]): OptionContent[] =>
  ids.flatMap((id) => question.options.find((o) => o.id === id) ?? []);

export interface QuizControllerDeps {
  quizService: QuizService;
  quiz: Pick<QuizRepository, 'openAttempt' | 'latestAttempt' | 'findAttempt' | 'answers'>;
  coursesService: Pick<CoursesService, 'progressIn' | 'latestCompletion'>;
}

export function quizController(deps: QuizControllerDeps) {
  const { quizService, quiz, coursesService } = deps;

  return {
    async intro(req: Request, res: Response) {
      const user = signedInUser(req);
      const slug = String(req.params.slug);
      const progress = await coursesService.progressIn(user, slug);
      const content = progress.version.content;
      // Without an open enrolment a learner who has passed has nothing left to read: the lessons are not "left".
      const finished = !progress.enrolment && progress.latestCompletion !== null;
      const lessonsLeft = finished ? [] : content.lessons.filter((l) => !progress.done.has(l.id));
      const open = progress.enrolment ? await quiz.openAttempt(progress.enrolment.id) : null;
      const last = progress.enrolment ? await quiz.latestAttempt(progress.enrolment.id) : null;
      res.render('quiz/intro', {
        title: req.t('quiz:intro.title', { course: content.title[user.contentVariant] }),
        slug,
        content,
        progress,
        lessonsLeft,
        finished,
        open,
        last,
        variant: user.contentVariant,
      });
    },

    async start(req: Request, res: Response) {
      const attemptId = await quizService.start(signedInUser(req).id, String(req.params.slug));
      const attempt = await quiz.findAttempt(attemptId);
      const answers = await quiz.answers(attemptId);
      if (!attempt) throw notFound('quiz:errors.attemptNotFound');
      const firstOpen = attempt.questions.findIndex((q) => !answers.has(q.id));
      res.redirect(
        303,
        firstOpen < 0 ? paths.quizSubmit(attemptId) : paths.quizQuestion(attemptId, firstOpen + 1),
      );
    },

    async question(req: Request, res: Response) {
      const user = signedInUser(req);
      const { attempt, version } = await quizService.ownAttempt(idParam(req.params.attempt), user.id);
      if (attempt.submittedAt) {
        res.redirect(paths.quizResult(attempt.id));
        return;
      }
      const index = idParam(req.params.index);
      if (index === null || index > attempt.questions.length) throw notFound('quiz:errors.questionNotFound');
      const drawn = attempt.questions[index - 1];
      const question = quizService.questionOf(version, drawn.id);
      const answers = await quiz.answers(attempt.id);
      const options = drawnOptions(question, drawn.options);
      res.render('quiz/question', {
        title: req.t('quiz:question.title', { index, total: attempt.questions.length }),
        attempt,
        index,
        total: attempt.questions.length,
        question,
        options,
        saved: answers.get(question.id)?.selected ?? [],
        answeredCount: answers.size,
        content: version.content,
        variant: user.contentVariant,
      });
    },

    async answer(req: Request, res: Response) {
      const user = signedInUser(req);
      const attemptId = idParam(req.params.attempt);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const questionId = body.questionId;
      if (typeof questionId !== 'string') throw badRequest('quiz:errors.noQuestion');
      let saved: Awaited<ReturnType<QuizService['saveAnswer']>>;
      try {
        saved = await quizService.saveAnswer(
          user.id,
          attemptId,
          questionId,
          selectedFrom(body),
          answeredAtFrom(body.answeredAt),
        );
      } catch (error) {
        // A form sent after the test was handed in (another tab, the back button): say so and lead to the
        // result. The script gets the same 409 as JSON from the error handler and shows its message.
        if (!wantsJson(req) && error instanceof AlreadySubmittedError) {
          res
            .status(409)
            .render('quiz/already-submitted', { title: req.t('quiz:alreadySubmitted.title'), attemptId });
          return;
        }
        throw error;
      }
      if (wantsJson(req)) return res.json({ saved: saved.saved });
      const index = idParam(body.index) ?? 1;
      const { attempt } = saved;
      const target = body.go === 'previous' ? index - 1 : index + 1;
      res.redirect(
        303,
        target < 1
          ? paths.quizQuestion(attempt.id, 1)
          : target > attempt.questions.length
            ? paths.quizSubmit(attempt.id)
            : paths.quizQuestion(attempt.id, target),
      );
    },

    async review(req: Request, res: Response) {
      const user = signedInUser(req);
      const { attempt, version } = await quizService.ownAttempt(idParam(req.params.attempt), user.id);
      if (attempt.submittedAt) {
        res.redirect(paths.quizResult(attempt.id));
        return;
      }
      const answers = await quiz.answers(attempt.id);
      const items = attempt.questions.map((q, i) => ({
        index: i + 1,
        question: quizService.questionOf(version, q.id),
        answered: (answers.get(q.id)?.selected.length ?? 0) > 0,
      }));
      res.render('quiz/review', {
        title: req.t('quiz:review.title'),
        attempt,
        items,
        variant: user.contentVariant,
        content: version.content,
      });
    },

    async submit(req: Request, res: Response) {
      const outcome = await quizService.submit(signedInUser(req).id, idParam(req.params.attempt));
      // A double click sends two submits; the browser shows the second answer, so both lead to the result.
      res.redirect(303, paths.quizResult(outcome.attempt.id));
    },

    async result(req: Request, res: Response) {
      const user = signedInUser(req);
      const { attempt, version } = await quizService.ownAttempt(idParam(req.params.attempt), user.id);
      if (!attempt.submittedAt) {
        res.redirect(paths.quizSubmit(attempt.id));
        return;
      }
      const answers = await quiz.answers(attempt.id);
      const latestCompletion = await coursesService.latestCompletion(user.id, attempt.courseId);
      const items = attempt.questions.map((q, i) => {
        const question = quizService.questionOf(version, q.id);
        const selected = answers.get(q.id)?.selected ?? [];
        return {
          index: i + 1,
          question,
          options: drawnOptions(question, q.options),
          selected,
          correct: answers.get(q.id)?.isCorrect ?? false,
        };
      });
      const completion =
        latestCompletion && latestCompletion.enrolmentId === attempt.enrolmentId ? latestCompletion : null;
      const criticalWrong = items.filter((i) => i.question.critical && !i.correct).length;
      res.render('quiz/result', {
        title: req.t('quiz:result.title'),
        attempt,
        items,
        content: version.content,
        variant: user.contentVariant,
        completion,
        criticalWrong,
      });
    },
  };
}
