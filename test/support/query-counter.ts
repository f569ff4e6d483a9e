/**
 * Counts the queries the app's knex instance sends (its `query` events), so a test can hold a page to a
 * budget of queries: counts, not time. The session read (with the person) goes through this knex and is
 * counted; only a session write (login, logout, a new CSRF token) uses the session store's own pool.
 */
import type { Knex } from 'knex';

export async function queriesDuring(
  db: Knex,
  work: () => Promise<unknown>,
): Promise<{ count: number; sql: string[] }> {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  db.on('query', listener);
  try {
    await work();
  } finally {
    db.removeListener('query', listener);
  }
  return { count: sql.length, sql };
}
