import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { paths } from '../http/paths';
import type { Services } from '../services';
import { authController } from './auth-controller';
import { requireLogin } from './policy';

export function authRoutes(services: Services): Router {
  const router = Router();
  const auth = authController(services);
  // Per process; several processes each allow this many. Keyed by address and e-mail so one
  // attacker cannot lock out a whole workplace behind one NAT address.
  const loginLimit = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: services.config.loginRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String(req.body?.email ?? '').toLowerCase().trim()}`,
    handler: (req, res) =>
      res.status(429).render('errors/error', { title: req.t('errors:title.429'), message: req.t('auth:errors.tooManyAttempts'), status: 429 }),
  });
  router.get(paths.login, auth.showLogin);
  router.post(paths.login, loginLimit, auth.login);
  router.post(paths.logout, requireLogin, auth.logout);
  router.get(paths.join, auth.showJoin);
  router.post(paths.join, loginLimit, auth.join);
  router.post(paths.language, auth.setLanguage);
  return router;
}
