import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { paths } from '../http/paths';
import { statsController, type StatsDeps } from './stats-controller';

export function statsRoutes(deps: StatsDeps): Router {
  const router = Router();
  const stats = statsController(deps);
  const manager = [requireLogin, requirePermission('manager')];
  const hmc = [requireLogin, requirePermission('educator', 'admin')];
  router.get(paths.stats, requireLogin, stats.index);
  router.get(paths.statsManager, ...manager, stats.manager);
  router.get(paths.statsManagerExport(), ...manager, stats.managerExport);
  router.post(paths.statsSummary, ...manager, stats.saveSummary);
  router.post(paths.statsRemind, ...manager, stats.remind);
  router.get(paths.statsPerson(), requireLogin, requirePermission('manager', 'admin'), stats.person);
  router.get(paths.statsHmc, ...hmc, stats.hmc);
  router.get(paths.statsHmcExport(), ...hmc, stats.hmcExport);
  router.get(paths.statsHmcCourse(), ...hmc, stats.hmcCourse);
  router.get(paths.statsHmcCourseExport(), ...hmc, stats.hmcCourseExport);
  return router;
}
