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
  router.get(paths.login, auth.showLogin);
  router.post(paths.login, auth.login);
  router.post(paths.logout, requireLogin, auth.logout);
  router.get(paths.join, auth.showJoin);
  router.post(paths.join, auth.join);
  router.post(paths.language, auth.setLanguage);
  router.get(accountPaths.forgotPassword, account.showForgot);
  router.post(accountPaths.forgotPassword, account.forgot);
  router.get(accountPaths.forgotPasswordSent, account.forgotSent);
  router.get(accountPaths.resetPassword(), account.showReset);
  router.post(accountPaths.resetPassword(), account.reset);
  router.get(accountPaths.changePassword, requireLogin, account.showChange);
  router.post(accountPaths.changePassword, requireLogin, account.change);
  router.get(accountPaths.verifyEmailSent, requireLogin, account.showVerifySent);
  router.post(accountPaths.verifyEmailSent, requireLogin, account.resendVerification);
  router.get(accountPaths.verifyEmail(), account.verify);
  return router;
}
