/**
 * Sessions stored in PostgreSQL, so they survive a restart and work across app processes. The store's
 * touch is disabled: updating the row on every request cut throughput to a quarter (REFERENCE.md);
 * a session lasts a working day from login instead.
 */
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Pool } from 'pg';

export const SESSION_HOURS = 10;
export const SESSION_COOKIE = 'hms.sid';

/**
 * The session middleware, with close() to stop the store's clean-up timer at shutdown. A session is
 * created only when something is stored in it (a CSRF token for a form, a login, a language choice).
 */
export function sessionMiddleware(options: {
  pool: Pool;
  secret: string;
  secureCookie: boolean;
  /** Reads an unexpired session by id (e.g. together with its person, in one query); else the store's own read. */
  read?: (sid: string) => Promise<session.SessionData | null>;
}) {
  const PgStore = connectPgSimple(session);
  const { read } = options;
  class Store extends PgStore {
    override get(sid: string, done: (err: unknown, sess?: session.SessionData | null) => void): void {
      if (!read) {
        super.get(sid, done);
        return;
      }
      read(sid).then((sess) => {
        done(null, sess);
      }, done);
    }
  }
  const store = new Store({
    pool: options.pool,
    tableName: 'sessions',
    disableTouch: true,
    pruneSessionInterval: 15 * 60,
  });
  const middleware = session({
    name: SESSION_COOKIE,
    store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie,
      maxAge: SESSION_HOURS * 60 * 60 * 1000,
    },
  });
  return Object.assign(middleware, {
    store,
    close: (): Promise<void> => {
      store.close();
      return Promise.resolve();
    },
  });
}
