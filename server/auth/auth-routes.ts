import { Router } from 'express';
import { paths } from '../http/paths';
import type { Services } from '../services';
import { accountController } from './account-controller';
import { accountPaths } from './account-service';
import { authController } from './auth-controller';
import { requireLogin } from './policy';

export function authRoutes(services: Services): Router {
  const router = Router();
  const auth = authController(services);
  const account = accountController(services);
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
