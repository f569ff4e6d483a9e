/**
 * The scheduled job, an in-process timer started by server/main.ts: refreshes HMC's regional figures
 * when they are older than 10 minutes, queues due reminders and monthly summaries. A PostgreSQL
 * advisory lock lets only one process run it at a time; the outbox's event keys make every mail once-only,
 * so a missed or repeated run never sends twice. (No job library: nothing here needs more than that.)
 */
import type { Services } from '../services';
import { remindersService } from './reminders-service';

export const JOB_INTERVAL_MS = 5 * 60_000;
/** Regional figures are refreshed when older than this (the issue allows 15 minutes). */
export const STATS_MAX_AGE_MS = 10 * 60_000;
const LOCK_KEY = 6_060_606;

/** One run of the job; returns what it did. */
export async function runScheduledJobs(
  services: Services,
  now = new Date(),
): Promise<{ ran: boolean; refreshed: boolean; reminders: number; summaries: number }> {
  const { db } = services;
  const reminders = remindersService({
    db,
    mail: services.mail,
    i18n: services.i18n,
    courses: services.courses,
    stats: services.stats,
    users: services.users,
    publicBaseUrl: services.config.publicBaseUrl,
  });
  return db.transaction(async (trx) => {
    const lock = await trx.raw('select pg_try_advisory_xact_lock(?) as ok', [LOCK_KEY]);
    if (!lock.rows[0].ok) return { ran: false, refreshed: false, reminders: 0, summaries: 0 };
    const refreshedAt = await services.stats.refreshedAt();
    const stale = !refreshedAt || now.getTime() - refreshedAt.getTime() > STATS_MAX_AGE_MS;
    if (stale) await services.stats.refreshViews();
    const sent = await reminders.sendDue(now);
    const summaries = await reminders.sendMonthlySummaries(now);
    return { ran: true, refreshed: stale, reminders: sent, summaries };
  });
}

/**
 * Starts the timer (first run after a short delay); the timer does not keep the process alive. SIGUSR2
 * runs the job at once (`kill -USR2 <pid>`: an operator after changing data, `npm run bench:cluster` on
 * every node at the same moment); the lock and the event keys keep that as safe as a timed run.
 */
export function startScheduledJobs(services: Services): NodeJS.Timeout {
  const run = () =>
    void runScheduledJobs(services)
      .then((r) => {
        if (r.ran && (r.refreshed || r.reminders || r.summaries)) services.logger.info('Scheduled job', r);
      })
      .catch((e: unknown) => {
        services.logger.error(`Scheduled job: ${e instanceof Error ? e.message : String(e)}`);
      });
  setTimeout(run, 10_000).unref();
  process.on('SIGUSR2', run);
  const timer = setInterval(run, JOB_INTERVAL_MS);
  timer.unref();
  return timer;
}
