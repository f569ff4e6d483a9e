import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import { quizController, type QuizControllerDeps } from './quiz-controller';

export function quizRoutes(deps: QuizControllerDeps): Router {
  const router = Router();
  const quiz = quizController(deps);
  router.route(paths.quizStart()).all(requireLogin).get(quiz.intro).post(quiz.start);
  router.get(paths.quizQuestion(), requireLogin, quiz.question);
  router.post(paths.quizAnswer(), requireLogin, quiz.answer);
  router.route(paths.quizSubmit()).all(requireLogin).get(quiz.review).post(quiz.submit);
  router.get(paths.quizResult(), requireLogin, quiz.result);
  return router;
}
