/**
 * Sessions stored in PostgreSQL, so they survive a restart and work across app processes. The store's
 * touch is disabled: updating the row on every request cut throughput to a quarter (REFERENCE.md);
 * a session lasts a working day from login instead.
 */
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Pool } from 'pg';

export const SESSION_HOURS = 10;

export function sessionMiddleware(options: { pool: Pool; secret: string; secureCookie: boolean }) {
  const PgStore = connectPgSimple(session);
  return session({
    name: 'hms.sid',
    store: new PgStore({ pool: options.pool, tableName: 'sessions', disableTouch: true, pruneSessionInterval: 15 * 60 }),
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
}
