/** Route guards: who is logged in and which permission (and scope) they hold. Checked on the server for every request. */
import type { Request, RequestHandler } from 'express';
import { forbidden, unauthorized } from '../http/errors';
import { paths } from '../http/paths';
import { hasPermission, type CurrentUser, type PermissionKind } from './types';

/** Sends people who are not logged in to the login page, remembering where they were going (GET only). */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  if (req.method === 'GET') req.session.returnTo = req.originalUrl;
  if (req.method !== 'GET' || (req.headers.accept ?? '').includes('application/json')) {
    res.status(401).render('errors/error', {
      title: req.t('errors:title.401'),
      message: req.t('errors:sessionExpired'),
      status: 401,
    });
    return;
  }
  res.redirect(paths.login);
};

/** Requires any of the named permissions (403 otherwise). */
export function requirePermission(...kinds: PermissionKind[]): RequestHandler {
  return (req, _res, next) => {
    if (kinds.some((k) => hasPermission(req.user, k))) next();
    else next(forbidden());
  };
}

/** Whether a person may manage (see the records of) people in a given unit of an organisation. */
export function managesUnit(user: CurrentUser, unit: { id: number; organisationId: number }): boolean {
  return user.permissions.some(
    (p) =>
      p.kind === 'admin' ||
      (p.kind === 'manager' && (p.unitId === unit.id || p.organisationId === unit.organisationId)),
  );
}

/** The logged-in person of a request that passed `requireLogin` (401 if a route forgot the guard). */
export function signedInUser(req: Request): CurrentUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
