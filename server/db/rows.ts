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
