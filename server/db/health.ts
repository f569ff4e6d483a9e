/**
 * What the service endpoints (/health, /readyz, /metrics) ask the database: does it answer, how full are
 * the app pool and the job queue. Here so that server/http needs no knex; the routes get these functions.
 */
import type { Knex } from 'knex';

export interface QueuedJobs {
  name: string;
  state: string;
  n: number;
}

export interface PoolUse {
  used: number;
  idle: number;
  waiting: number;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

export function databaseHealth(db: Knex) {
  return {
    /** Resolves when the database answers, rejects when it does not. */
    async ping(): Promise<void> {
      await db.raw('select 1');
    },

    /** pg-boss jobs waiting or running, per queue and state; none before the worker has ever started. */
    async queuedJobs(): Promise<QueuedJobs[]> {
      try {
        const result: { rows: QueuedJobs[] } = await db.raw(
          `select name, state::text as state, count(*)::int as n from pgboss.job
            where state in ('created', 'retry', 'active') group by 1, 2 order by 1, 2`,
        );
        return result.rows;
      } catch {
        // No queue yet (the worker has never started on this database): nothing to report.
        return [];
      }
    },

    /** The app's knex pool right now (null before the pool exists). */
    appPool(): PoolUse | null {
      const tarn = (db.client as { pool?: TarnPool }).pool;
      return tarn ? { used: tarn.numUsed(), idle: tarn.numFree(), waiting: tarn.numPendingAcquires() } : null;
    },
  };
}

export type DatabaseHealth = ReturnType<typeof databaseHealth>;
