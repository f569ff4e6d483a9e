import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import { certificatesController, type CertificatesDeps } from './certificates-controller';

export function certificatesRoutes(deps: CertificatesDeps): Router {
  const router = Router();
  const certificates = certificatesController(deps);
  // The public page must not become a way to guess codes.
  const verifyLimit = rateLimit({
    windowMs: 60 * 1000,
    limit: 60,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
  });
  router.get(paths.certificate(), requireLogin, certificates.pdf);
  router.get(paths.verifyForm, verifyLimit, certificates.verifyForm);
  router.get(paths.verify(), verifyLimit, certificates.verify);
  return router;
}
