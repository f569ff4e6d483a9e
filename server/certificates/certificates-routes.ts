import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import type { Services } from '../services';
import { certificatesController } from './certificates-controller';

/** Certificate checks per client address in a minute. */
export const VERIFY_LIMIT = 60;

export function certificatesRoutes(services: Services): Router {
  const router = Router();
  const certificates = certificatesController(services);
  // The public page must not become a way to guess codes (counted in PostgreSQL: the same limit on every node).
  const verifyLimit = services.limits.perAddress({
    kind: 'verify',
    limit: VERIFY_LIMIT,
    windowSeconds: 60,
    messageKey: 'certificates:errors.tooManyChecks',
  });
  router.get(paths.certificate(), requireLogin, certificates.pdf);
  router.get(paths.verifyForm, verifyLimit, certificates.verifyForm);
  router.get(paths.verify(), verifyLimit, certificates.verify);
  return router;
}
