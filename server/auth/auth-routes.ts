import { Router } from 'express';
import { paths } from '../http/paths';
import { accountController } from './account-controller';
import { accountPaths } from './account-service';
import { authController } from './auth-controller';
import { requireLogin } from './policy';

/** What the login, joining and account pages use. */
export type AuthDeps = Parameters<typeof authController>[0] & Parameters<typeof accountController>[0];

export function authRoutes(deps: AuthDeps): Router {
  const router = Router();
  const auth = authController(deps);
  const account = accountController(deps);
  router.route(paths.login).get(auth.showLogin).post(auth.login);
  router.post(paths.logout, requireLogin, auth.logout);
  router.route(paths.join).get(auth.showJoin).post(auth.join);
  router.post(paths.language, auth.setLanguage);
  router.route(accountPaths.forgotPassword).get(account.showForgot).post(account.forgot);
  router.get(accountPaths.forgotPasswordSent, account.forgotSent);
  router.route(accountPaths.resetPassword()).get(account.showReset).post(account.reset);
  router.route(accountPaths.changePassword).all(requireLogin).get(account.showChange).post(account.change);
  router
    .route(accountPaths.verifyEmailSent)
    .all(requireLogin)
    .get(account.showVerifySent)
    .post(account.resendVerification);
  router.get(accountPaths.verifyEmail(), account.verify);
  return router;
}
