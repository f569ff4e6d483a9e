/** Forgotten password, reset link, changing one's password, and verifying one's address. */
import type { Request, Response } from 'express';
import { formText } from '../http/body-parsing';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import { accountPaths, type AccountService } from './account-service';
import { clientAddress, tooManyAttempts } from './auth-controller';
import { signedInUser } from './policy';
import { changePasswordSchema, forgotSchema, newPasswordSchema, PASSWORD_MIN } from './auth-validation';
import type { RateLimits } from './rate-limits';

/** The reset token is in the URL: it must not leak to another site through the Referer header. */
const noReferrer = (res: Response) =>
  res.set({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });

export function accountController(deps: {
  account: AccountService;
  limits: RateLimits;
  config: { loginRateLimit: number };
}) {
  const { account, limits } = deps;
  const limit = deps.config.loginRateLimit;
  const token = (req: Request) => (typeof req.params.token === 'string' ? req.params.token : '');

  const renderForgot = (
    res: Response,
    status: number,
    values: { email?: string },
    errors: FieldErrors = {},
  ) => {
    res
      .status(status)
      .render('auth/forgot', { title: res.locals.t('auth:forgot.title'), values, errors, accountPaths });
  };

  const renderReset = (res: Response, status: number, tokenValue: string, errors: FieldErrors = {}) => {
    noReferrer(res);
    res.status(status).render('auth/reset', {
      title: res.locals.t('auth:reset.title'),
      action: accountPaths.resetPassword(tokenValue),
      errors,
      passwordMin: PASSWORD_MIN,
    });
  };

  const linkGone = (res: Response, kind: 'reset' | 'verify') => {
    noReferrer(res);
    res
      .status(410)
      .render('auth/link-gone', { title: res.locals.t(`auth:linkGone.${kind}.title`), kind, accountPaths });
  };

  const renderChange = (res: Response, status: number, errors: FieldErrors = {}) => {
    res.status(status).render('auth/change-password', {
      title: res.locals.t('auth:change.title'),
      errors,
      action: accountPaths.changePassword,
      passwordMin: PASSWORD_MIN,
    });
  };

  return {
    showForgot(_req: Request, res: Response) {
      renderForgot(res, 200, {});
    },

    /** The same answer whether or not the address has an account. */
    async forgot(req: Request, res: Response) {
      const form = parseForm(forgotSchema, req.body);
      if (!form.ok) {
        renderForgot(res, 400, { email: formText(req, 'email') }, form.errors);
        return;
      }
      const address = clientAddress(req);
      if (await limits.addressBlocked('reset', address, limit)) {
        tooManyAttempts(req, res);
        return;
      }
      await limits.addressHit('reset', address);
      await account.requestReset(form.data.email);
      res.redirect(303, accountPaths.forgotPasswordSent);
    },

    forgotSent(req: Request, res: Response) {
      res.render('auth/forgot-sent', { title: req.t('auth:forgot.sentTitle'), accountPaths });
    },

    async showReset(req: Request, res: Response) {
      if (!(await account.resetLinkValid(token(req)))) {
        linkGone(res, 'reset');
        return;
      }
      renderReset(res, 200, token(req));
    },

    async reset(req: Request, res: Response) {
      const form = parseForm(newPasswordSchema, req.body);
      if (!form.ok) {
        if (!(await account.resetLinkValid(token(req)))) {
          linkGone(res, 'reset');
          return;
        }
        renderReset(res, 400, token(req), form.errors);
        return;
      }
      const result = await account.resetPassword(token(req), form.data.password);
      if (result.ok) {
        res.redirect(303, `${paths.login}?aterstallt=1`);
        return;
      }
      if (result.gone) {
        linkGone(res, 'reset');
        return;
      }
      renderReset(res, 400, token(req), result.errors);
    },

    showChange(_req: Request, res: Response) {
      renderChange(res, 200);
    },

    /** A wrong current password counts like a failed login, so a borrowed session cannot guess it. */
    async change(req: Request, res: Response) {
      const form = parseForm(changePasswordSchema, req.body);
      if (!form.ok) {
        renderChange(res, 400, form.errors);
        return;
      }
      const address = clientAddress(req);
      const accountKey = signedInUser(req).email.toLowerCase();
      if (await limits.addressBlocked('login', address, limit)) {
        tooManyAttempts(req, res);
        return;
      }
      if ((await limits.accountDelay(accountKey)) > 0) {
        renderChange(res, 429, { currentPassword: 'auth:errors.waitBeforeRetry' });
        return;
      }
      const result = await account.changePassword(
        signedInUser(req).id,
        form.data.currentPassword,
        form.data.password,
        req.sessionID,
      );
      if (!result.ok) {
        if (result.errors.currentPassword)
          await Promise.all([limits.addressHit('login', address), limits.accountFailed(accountKey)]);
        renderChange(res, 400, result.errors);
        return;
      }
      res.redirect(303, `${paths.myData}?losenord=bytt`);
    },

    async verify(req: Request, res: Response) {
      if (!(await account.verifyEmail(token(req)))) {
        linkGone(res, 'verify');
        return;
      }
      noReferrer(res);
      res.render('auth/verified', { title: req.t('auth:verify.doneTitle') });
    },

    async showVerifySent(req: Request, res: Response) {
      res.render('auth/verify-sent', {
        title: req.t('auth:verify.sentTitle'),
        verified: await account.isVerified(signedInUser(req).id),
        resent: req.query.skickat === '1',
        action: accountPaths.verifyEmailSent,
      });
    },

    /** Another verification mail, at most five an hour per person. */
    async resendVerification(req: Request, res: Response) {
      if ((await limits.hit(`verify:user:${signedInUser(req).id}`, 3600)) > 5) {
        tooManyAttempts(req, res);
        return;
      }
      await account.sendVerification(signedInUser(req).id);
      res.redirect(303, `${accountPaths.verifyEmailSent}?skickat=1`);
    },
  };
}
