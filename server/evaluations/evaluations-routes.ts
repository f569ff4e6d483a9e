import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import type { EvaluationsService } from './evaluations-service';
import { evaluationsController } from './evaluations-controller';

export function evaluationsRoutes(deps: { evaluationsService: EvaluationsService }): Router {
  const router = Router();
  const evaluations = evaluationsController(deps);
  router.get(paths.evaluation(), requireLogin, evaluations.show);
  router.post(paths.evaluation(), requireLogin, evaluations.save);
  return router;
}
