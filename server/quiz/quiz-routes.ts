import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import { quizController, type QuizControllerDeps } from './quiz-controller';

export function quizRoutes(deps: QuizControllerDeps): Router {
  const router = Router();
  const quiz = quizController(deps);
  router.get(paths.quizStart(), requireLogin, quiz.intro);
  router.post(paths.quizStart(), requireLogin, quiz.start);
  router.get(paths.quizQuestion(), requireLogin, quiz.question);
  router.post(paths.quizAnswer(), requireLogin, quiz.answer);
  router.get(paths.quizSubmit(), requireLogin, quiz.review);
  router.post(paths.quizSubmit(), requireLogin, quiz.submit);
  router.get(paths.quizResult(), requireLogin, quiz.result);
  return router;
}
