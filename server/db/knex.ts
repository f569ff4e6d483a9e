/** Builds the knex instance and runs migrations, failing the start with a clear message. */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { createRequire } from 'node:module';
import { types } from 'pg';

// Return bigint counts as numbers (our counts fit) and dates as strings we parse deliberately.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));
types.setTypeParser(types.builtins.NUMERIC, (v) => Number(v));
types.setTypeParser(types.builtins.DATE, (v) => v);

export type Db = Knex;

const loadModule = createRequire(__filename);

/** A connection pool for `url`. */
export function createKnex(url: string, poolMax = 10): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: poolMax } });
}

/** What knex's pool (tarn) tells about its use. */
interface PoolCounts {
  numUsed(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/**
 * Resolves true once no query runs or waits for a connection, seen twice 20 ms apart (a request between
 * two of its queries is caught), or false at `deadline` (ms since the epoch). At shutdown this comes
 * before destroy(), which would abort work whose client has already left (issue 13).
 */
export async function queriesSettled(db: Knex, deadline: number): Promise<boolean> {
  const pool = (db.client as Knex.Client).pool as PoolCounts | undefined;
  const busy = () => (pool ? pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() : 0);
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() >= deadline) return false;
    quiet = busy() === 0 ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/**
 * Migrations named without their file extension, so the compiled app (.js) and the TypeScript
 * tools (.ts) can share one database.
 */
function migrationSource(directory: string, extension: string): Knex.MigrationSource<string> {
  return {
    getMigrations() {
      return Promise.resolve(
        fs
          .readdirSync(directory)
          .filter((f) => f.endsWith(extension) && !f.endsWith(`.d${extension}`))
          .map((f) => f.slice(0, -extension.length))
          .sort(),
      );
    },
    getMigrationName: (name) => name,
    // Migrations are CommonJS modules next to the code (compiled .js or .ts under tsx/ts-jest).
    getMigration: (name) =>
      Promise.resolve(loadModule(path.join(directory, `${name}${extension}`)) as Knex.Migration),
  };
}

/** Runs pending migrations; throws an error that names the failing migration. */
export async function migrateLatest(db: Knex, directory: string, extension: string): Promise<string[]> {
  try {
    const [, applied] = (await db.migrate.latest({
      migrationSource: migrationSource(directory, extension),
    })) as [number, string[]];
    return applied;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration failed, the app will not start: ${message}`, { cause: error });
  }
}
