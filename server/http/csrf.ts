/**
 * CSRF protection with the synchroniser-token pattern (token kept in the session). Every form carries
 * `_csrf`; scripts send the `x-csrf-token` header.
 */
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { HttpError } from './errors';

// A multipart form (a file upload) is read by its route only after this check, so its token travels in
// the form's action URL (`?_csrf=`); that way no upload is stored before the token is checked.
const multipartToken = (req: { headers: Record<string, unknown>; query?: Record<string, unknown> }) =>
  String(req.headers['content-type'] ?? '').startsWith('multipart/form-data') && typeof req.query?._csrf === 'string' ? req.query._csrf : undefined;

const { generateToken, csrfSynchronisedProtection } = csrfSync({
  getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined) ?? multipartToken(req),
});

/** Puts the session's token on res.locals.csrfToken for the views. */
export const csrfToken: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = generateToken(req);
  next();
};

/** Refuses unsafe requests without the right token (403). */
export const csrfProtection: RequestHandler = (req, res, next) => {
  csrfSynchronisedProtection(req, res, (err?: unknown) => (err ? next(new HttpError(403, 'errors:csrf')) : next()));
};
