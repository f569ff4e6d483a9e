import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import type { RateLimits } from '../auth/rate-limits';
import { paths } from '../http/paths';
import { certificatesController, type CertificatesDeps } from './certificates-controller';

/** Certificate checks per client address in a minute. */
export const VERIFY_LIMIT = 60;

export function certificatesRoutes(
  deps: CertificatesDeps & { limits: Pick<RateLimits, 'perAddress'> },
): Router {
  const router = Router();
  const certificates = certificatesController(deps);
  // The public page must not become a way to guess codes (counted in PostgreSQL: the same limit on every node).
  const verifyLimit = deps.limits.perAddress({
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
