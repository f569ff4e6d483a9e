/** Login, logout, joining with a code, and the language switch. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { PassportStatic } from 'passport';
import { formText } from '../http/body-parsing';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import { isLanguage } from '../i18n/i18n';
import type { OrganisationsService } from '../organisations/organisations-service';
import { accountPaths } from './account-service';
import type { AuthService } from './auth-service';
import type { RateLimits } from './rate-limits';
import { joinSchema, loginSchema, PASSWORD_MIN } from './auth-validation';
import type { CurrentUser } from './types';
import type { UsersRepository } from './users-repository';
import { landingPath } from './landing';
import { endSession, logIn } from './session-steps';

/** Only same-site paths may be returned to after login, never another host. */
export function safeReturnPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** The client's address as a rate-limit key (an IPv6 address by its /56 network, as one household or workplace). */
export const clientAddress = (req: Request) => ipKeyGenerator(req.ip ?? '');

/** 429 for an address that has used up its attempts (login, join code, reset). */
export function tooManyAttempts(req: Request, res: Response, key = 'auth:errors.tooManyTries') {
  res.set('Retry-After', String(15 * 60));
  res
    .status(429)
    .render('errors/error', { title: req.t('errors:title.429'), message: req.t(key), status: 429 });
}

export function authController(deps: {
  passport: PassportStatic;
  auth: AuthService;
  users: UsersRepository;
  organisationsService: Pick<OrganisationsService, 'listJobRoles'>;
  limits: RateLimits;
  config: { loginRateLimit: number };
}) {
  const { passport, auth, users, organisationsService, limits } = deps;
  const limit = deps.config.loginRateLimit;

  const renderLogin = (
    res: Response,
    status: number,
    values: { email?: string },
    errors: FieldErrors = {},
    notice: string | null = null,
  ) => {
    res.status(status).render('auth/login', {
      title: res.locals.t('auth:login.title'),
      values,
      errors,
      notice,
      forgotPath: accountPaths.forgotPassword,
    });
  };

  const renderJoin = async (
    res: Response,
    status: number,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    res.status(status).render('auth/join', {
      title: res.locals.t('auth:join.title'),
      values,
      errors,
      jobRoles: await organisationsService.listJobRoles(),
      passwordMin: PASSWORD_MIN,
    });
  };

  return {
    showLogin(req: Request, res: Response) {
      if (req.user) {
        res.redirect(landingPath(req.user));
        return;
      }
      renderLogin(res, 200, {}, {}, req.query.aterstallt === '1' ? 'auth:reset.done' : null);
    },

    /**
     * Failed logins count per client address (spraying one password over many accounts stops there) and
     * per account (an increasing delay of at most a minute, never a lockout of the right password).
     */
    async login(req: Request, res: Response, next: NextFunction) {
      const form = parseForm(loginSchema, req.body);
      if (!form.ok) {
        renderLogin(res, 400, { email: formText(req, 'email') }, form.errors);
        return;
      }
      const address = clientAddress(req);
      const account = form.data.email.toLowerCase();
      if (await limits.addressBlocked('login', address, limit)) {
        tooManyAttempts(req, res, 'auth:errors.tooManyAttempts');
        return;
      }
      const wait = await limits.accountDelay(account);
      if (wait > 0) {
        res.set('Retry-After', String(wait));
        renderLogin(res, 429, { email: form.data.email }, { password: 'auth:errors.waitBeforeRetry' });
        return;
      }
      const returnTo = req.session.returnTo;
      // passport types its handler `any`: it is an Express handler.
      const authenticate = passport.authenticate('local', (err: unknown, user: CurrentUser | false) => {
        if (err) {
          next(err);
          return;
        }
        if (!user) {
          return Promise.all([limits.addressHit('login', address), limits.accountFailed(account)]).then(
            () => {
              renderLogin(res, 401, { email: form.data.email }, { email: 'auth:errors.wrongCredentials' });
            },
            next,
          );
        }
        // passport regenerates the session on login, so a session id set before login is worthless after it.
        limits
          .accountSucceeded(account)
          .then(() => logIn(req, user))
          .then(() => {
            res.redirect(303, safeReturnPath(returnTo, landingPath(user)));
          }, next);
      }) as RequestHandler;
      authenticate(req, res, next);
    },

    logout(req: Request, res: Response, next: NextFunction) {
      endSession(req, res).then(() => {
        res.redirect(303, paths.home);
      }, next);
    },

    async showJoin(req: Request, res: Response) {
      await renderJoin(res, 200, { joinCode: typeof req.query.kod === 'string' ? req.query.kod : '' });
    },

    async join(req: Request, res: Response) {
      const values = {
        joinCode: formText(req, 'joinCode'),
        name: formText(req, 'name'),
        email: formText(req, 'email'),
        jobRole: formText(req, 'jobRole'),
      };
      const form = parseForm(joinSchema, req.body);
      if (!form.ok) return renderJoin(res, 400, values, form.errors);
      // Guessing join codes is limited per address; a wrong code counts, a whole class joining does not.
      const address = clientAddress(req);
      if (await limits.addressBlocked('join', address, limit)) {
        tooManyAttempts(req, res);
        return;
      }
      const result = await auth.join(form.data);
      if (!result.ok) {
        if (result.errors.joinCode) await limits.addressHit('join', address);
        return renderJoin(res, result.errors.email ? 409 : 400, values, result.errors);
      }
      const user = await users.findActiveById(result.userId);
      if (user) await logIn(req, user);
      res.redirect(303, accountPaths.verifyEmailSent);
    },

    async setLanguage(req: Request, res: Response) {
      const lng = formText(req, 'lang');
      if (isLanguage(lng)) {
        req.session.lang = lng;
        if (req.user) await users.setUiLanguage(req.user.id, lng);
      }
      res.redirect(303, safeReturnPath(formText(req, 'returnTo'), paths.home));
    },
  };
}
