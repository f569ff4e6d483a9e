/**
 * CSRF protection with the synchroniser-token pattern (token kept in the session). Every form carries
 * `_csrf`; scripts send the `x-csrf-token` header.
 */
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { HttpError } from './errors';

// A multipart body (file upload) is not parsed before this check, so upload forms carry the token in
// their action URL (`?_csrf=`); the Referrer-Policy (no-referrer, from helmet) keeps it from leaking.
const isMultipart = (contentType: string | undefined) => /^multipart\/form-data/i.test(contentType ?? '');

const { generateToken, csrfSynchronisedProtection } = csrfSync({
  getTokenFromRequest: (req) =>
    (req.body?._csrf as string | undefined) ??
    (req.headers['x-csrf-token'] as string | undefined) ??
    (isMultipart(req.headers['content-type']) && typeof req.query._csrf === 'string' ? req.query._csrf : undefined),
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
