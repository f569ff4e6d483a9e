/** The `rate_limit_counters` table: fixed-window counters shared by every app process (see rate-limits.ts). */
import type { Knex } from 'knex';

interface TakeRow {
  count: number;
  reset: number;
}

export function rateLimitsRepository(db: Knex) {
  return {
    /** Counts one hit atomically (whichever process sends it); the count and the seconds left in the window. */
    async take(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
      const { rows } = await db.raw<{ rows: TakeRow[] }>(
        `insert into rate_limit_counters as c (key, count, window_started_at, last_hit_at) values (?, 1, now(), now())
         on conflict (key) do update set
           count = case when c.window_started_at <= now() - make_interval(secs => ?) then 1 else c.count + 1 end,
           window_started_at = case when c.window_started_at <= now() - make_interval(secs => ?) then now() else c.window_started_at end,
           last_hit_at = now()
         returning count, ceil(extract(epoch from window_started_at + make_interval(secs => ?) - now()))::int as reset`,
        [key, windowSeconds, windowSeconds, windowSeconds],
      );
      const [row] = rows;
      return { count: row.count, resetSeconds: Math.max(1, row.reset) };
    },

    /** The count of a key in its current window (0 when none or the window has passed). */
    async count(key: string, windowSeconds: number): Promise<number> {
      const row = await db('rate_limit_counters')
        .where({ key })
        .whereRaw('window_started_at > now() - make_interval(secs => ?)', [windowSeconds])
        .first<{ count: number } | undefined>('count');
      return row?.count ?? 0;
    },

    /** The count of a key in its window and the seconds since its last hit, or null. */
    async countAndSince(
      key: string,
      windowSeconds: number,
    ): Promise<{ count: number; since: number } | null> {
      const row = await db('rate_limit_counters')
        .where({ key })
        .whereRaw('window_started_at > now() - make_interval(secs => ?)', [windowSeconds])
        .first<{ count: number; since: number } | undefined>(
          'count',
          db.raw('extract(epoch from now() - last_hit_at)::float as since'),
        );
      return row ?? null;
    },

    async remove(key: string): Promise<void> {
      await db('rate_limit_counters').where({ key }).delete();
    },

    /** Removes counters untouched for `keepSeconds`; returns how many. */
    removeOlderThan(keepSeconds: number): Promise<number> {
      return db('rate_limit_counters')
        .whereRaw('last_hit_at < now() - make_interval(secs => ?)', [keepSeconds])
        .delete();
    },
  };
}

export type RateLimitsRepository = ReturnType<typeof rateLimitsRepository>;
