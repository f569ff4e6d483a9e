/** Health check, the home page and the accessibility statement. */
import { Router } from 'express';
import { paths } from '../http/paths';
import { feedbackController } from './feedback';
import type { Services } from '../services';
import { landingPath } from '../auth/landing';

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get(paths.health, async (_req, res) => {
    try {
      await services.db.raw('select 1');
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'ok' });
    } catch {
      res
        .status(503)
        .set('Cache-Control', 'no-store')
        .json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}

/** Feedback messages per client address in 15 minutes. */
export const FEEDBACK_LIMIT = 10;

export function pagesRoutes(services: Services): Router {
  const router = Router();
  router.get(paths.home, (req, res) => {
    if (req.user) {
      res.redirect(landingPath(req.user));
      return;
    }
    res.render('pages/home', { title: req.t('common:appName') });
  });
  const feedback = feedbackController(services);
  // Open to everyone, so limited per address (counted in PostgreSQL: the same limit on every node).
  const feedbackLimit = services.limits.perAddress({
    kind: 'feedback',
    limit: FEEDBACK_LIMIT,
    windowSeconds: 15 * 60,
    messageKey: 'pages:feedback.tooMany',
  });
  router.get(paths.accessibility, feedback.show);
  router.post(paths.accessibility, feedbackLimit, feedback.send);
  return router;
}
