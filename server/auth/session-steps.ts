/**
 * Logging a person in and out of this browser's session, as promises: the same steps for a password login
 * (auth) and a login through an organisation's provider (identity).
 */
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../http/session';
import type { CurrentUser } from './types';

/** Settles when passport or the session store calls back. */
export const settled = (run: (done: (err: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => {
    run((err) => {
      if (err) reject(err instanceof Error ? err : new Error('session callback failed', { cause: err }));
      else resolve();
    });
  });

/** Logs the person in; passport regenerates the session, so a session id set before login is worthless after it. */
export const logIn = (req: Request, user: CurrentUser) =>
  settled((done) => {
    req.login(user, done);
  });

/** Logs the person out, destroys the session and clears its cookie. */
export const endSession = (req: Request, res: Response) =>
  settled((done) => {
    req.logout(done);
  }).then(
    () =>
      new Promise<void>((resolve) => {
        req.session.destroy(() => {
          res.clearCookie(SESSION_COOKIE);
          resolve();
        });
      }),
  );
