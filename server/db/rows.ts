/** Small knex helpers the repositories share. */
import type { Knex } from 'knex';

/** Inserts one row and returns it as stored: its id and the database's defaults filled in. */
export async function insertReturningRow<Row>(
  db: Knex,
  table: string,
  values: Record<string, unknown>,
): Promise<Row> {
  // knex cannot resolve a generic row type for a table named at run time; the caller names the row.
  const rows: unknown[] = await db(table).insert(values).returning('*');
  return rows[0] as Row;
}

/**
 * Replaces the rows of `table` that `scope` picks with `rows`: deletes them, then inserts the new ones
 * (when there are any). Meant for the caller's transaction, so nobody sees the table half replaced.
 */
export async function replaceRows(
  trx: Knex | Knex.Transaction,
  table: string,
  scope: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  rows: Record<string, unknown>[],
): Promise<void> {
  await scope(trx(table)).delete();
  if (rows.length) await trx(table).insert(rows);
}
