/**
 * CSRF protection with the synchroniser-token pattern (token kept in the session). Every form carries
 * `_csrf`; scripts send the `x-csrf-token` header.
 */
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { formText } from './body-parsing';
import { HttpError } from './errors';
import { paths } from './paths';

// A multipart body (file upload) is not parsed before this check, so upload forms carry the token in
// their action URL (`?_csrf=`); the Referrer-Policy (no-referrer, from helmet) keeps it from leaking.
const isMultipart = (contentType: string | undefined) => /^multipart\/form-data/i.test(contentType ?? '');

const { generateToken, csrfSynchronisedProtection } = csrfSync({
  getTokenFromRequest: (req) =>
    (formText(req, '_csrf') || undefined) ??
    (req.headers['x-csrf-token'] as string | undefined) ??
    (isMultipart(req.headers['content-type']) && typeof req.query._csrf === 'string'
      ? req.query._csrf
      : undefined),
});

/**
 * The session's token, made only when a view prints it. Storing a token creates the session (a database
 * row), so a page without a form (a 404, the home page) leaves no session behind.
 */
class LazyToken {
  private value: string | undefined;
  constructor(private readonly req: Request) {}
  toString(): string {
    this.value ??= generateToken(this.req);
    return this.value;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Puts the session's token on res.locals.csrfToken for the views (`<%= csrfToken %>` makes it). */
export const csrfToken: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = new LazyToken(req);
  next();
};

// Switching the language while logged out stores nothing but the choice: a forged switch harms no one,
// and a token in the header's language form would put a session behind every anonymous page view.
const isAnonymousLanguageSwitch = (req: Request) =>
  !req.user && req.method === 'POST' && req.path === paths.language;

// A SAML response is posted by the identity provider's page, which cannot know our token: its signature,
// audience and InResponseTo (one of our own requests, used once) are the proof instead.
const isSamlResponse = (req: Request) => req.method === 'POST' && /^\/sso\/\d+\/saml$/.test(req.path);

/** Refuses unsafe requests without the right token (403). */
export const csrfProtection: RequestHandler = (req, res, next) => {
  if (isAnonymousLanguageSwitch(req) || isSamlResponse(req)) {
    next();
    return;
  }
  csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err) next(new HttpError(403, 'errors:csrf'));
    else next();
  });
};
