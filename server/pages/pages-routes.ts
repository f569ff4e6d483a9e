/** Health check, the home page and the accessibility statement. */
import { Router } from 'express';
import type { RateLimits } from '../auth/rate-limits';
import { paths } from '../http/paths';
import { feedbackController } from './feedback';
import { landingPath } from '../auth/landing';

/** GET /health: `ping` resolves when the database answers (server/db/health.ts). */
export function healthRoutes(deps: { health: { ping(): Promise<void> } }): Router {
  const router = Router();
  router.get(paths.health, async (_req, res) => {
    try {
      await deps.health.ping();
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

export function pagesRoutes(
  deps: Parameters<typeof feedbackController>[0] & { limits: Pick<RateLimits, 'perAddress'> },
): Router {
  const router = Router();
  router.get(paths.home, (req, res) => {
    if (req.user) {
      res.redirect(landingPath(req.user));
      return;
    }
    res.render('pages/home', { title: req.t('common:appName') });
  });
  const feedback = feedbackController(deps);
  // Open to everyone, so limited per address (counted in PostgreSQL: the same limit on every node).
  const feedbackLimit = deps.limits.perAddress({
    kind: 'feedback',
    limit: FEEDBACK_LIMIT,
    windowSeconds: 15 * 60,
    messageKey: 'pages:feedback.tooMany',
  });
  router.get(paths.accessibility, feedback.show);
  router.post(paths.accessibility, feedbackLimit, feedback.send);
  return router;
}
