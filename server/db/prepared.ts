/**
 * Issue 13: a hot query sent as a named prepared statement, so PostgreSQL parses and plans it once per
 * connection instead of on every request (planning was most of PostgreSQL's CPU on the lesson page).
 * Only for SQL whose text never changes and whose result names its columns: a `*` would break the
 * prepared statement when a migration adds a column while the app runs.
 */
export function prepared<Q extends { options(options: Readonly<Record<string, string>>): Q }>(
  name: string,
  query: Q,
): Q {
  return query.options({ name });
}
