import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import type { Services } from '../services';
import { evaluationsController } from './evaluations-controller';

export function evaluationsRoutes(services: Services): Router {
  const router = Router();
  const evaluations = evaluationsController(services);
  router.get(paths.evaluation(), requireLogin, evaluations.show);
  router.post(paths.evaluation(), requireLogin, evaluations.save);
  return router;
}
