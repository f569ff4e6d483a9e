/**
 * Issue 13: a hot query sent as a named prepared statement, so PostgreSQL parses and plans it once per
 * connection instead of on every request (planning was most of PostgreSQL's CPU on the lesson page).
 * Only for SQL whose text never changes and whose result names its columns: a `*` would break the
 * prepared statement when a migration adds a column while the app runs.
 */
const names = new Set<string>();

export function prepared<Q extends { options(options: Readonly<Record<string, string>>): Q }>(
  name: string,
  query: Q,
): Q {
  names.add(name);
  return query.options({ name });
}

/** The statements named so far (for the test that counts them). */
export const preparedNames = (): readonly string[] => [...names];
