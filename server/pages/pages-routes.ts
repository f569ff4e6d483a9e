/** Health check, the home page and the accessibility statement. */
import { Router } from 'express';
import { paths } from '../http/paths';
import type { Services } from '../services';

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get(paths.health, async (_req, res) => {
    try {
      await services.db.raw('select 1');
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}

export function pagesRoutes(_services: Services): Router {
  const router = Router();
  router.get(paths.home, (req, res) => {
    if (req.user) return res.redirect(paths.myCourses);
    res.render('pages/home', { title: req.t('common:appName') });
  });
  router.get(paths.accessibility, (req, res) => res.render('pages/accessibility', { title: req.t('pages:accessibility.title') }));
  return router;
}
