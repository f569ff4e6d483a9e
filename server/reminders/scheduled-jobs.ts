/**
 * The scheduled job, an in-process timer started by server/main.ts: refreshes HMC's regional figures
 * when they are older than 10 minutes, queues due reminders and monthly summaries. A PostgreSQL
 * advisory lock lets only one process run it at a time; the outbox's event keys make every mail once-only,
 * so a missed or repeated run never sends twice. (No job library: nothing here needs more than that.)
 */
import type { InTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import type { StatsService } from '../stats/stats-service';
import type { RemindersRepository } from './reminders-repository';
import type { RemindersService } from './reminders-service';

/** What the job uses: the figures to refresh, the reminders to queue, and its lock. */
export interface ScheduledJobsDeps {
  transaction: InTransaction;
  statsService: Pick<StatsService, 'refreshedAt' | 'refreshViews'>;
  reminders: Pick<RemindersService, 'sendDue' | 'sendMonthlySummaries'>;
  remindersRepository: Pick<RemindersRepository, 'tryJobLock'>;
  logger: Pick<Logger, 'info' | 'error'>;
}

export const JOB_INTERVAL_MS = 5 * 60_000;
/** Regional figures are refreshed when older than this (the issue allows 15 minutes). */
export const STATS_MAX_AGE_MS = 10 * 60_000;
const LOCK_KEY = 6_060_606;

/** One run of the job; returns what it did. */
export async function runScheduledJobs(
  deps: Omit<ScheduledJobsDeps, 'logger'>,
  now = new Date(),
): Promise<{ ran: boolean; refreshed: boolean; reminders: number; summaries: number }> {
  const { reminders, statsService } = deps;
  return deps.transaction(async (trx) => {
    if (!(await deps.remindersRepository.tryJobLock(LOCK_KEY, trx)))
      return { ran: false, refreshed: false, reminders: 0, summaries: 0 };
    const refreshedAt = await statsService.refreshedAt();
    const stale = !refreshedAt || now.getTime() - refreshedAt.getTime() > STATS_MAX_AGE_MS;
    if (stale) await statsService.refreshViews();
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
export function startScheduledJobs(deps: ScheduledJobsDeps): NodeJS.Timeout {
  const run = () =>
    void runScheduledJobs(deps)
      .then((r) => {
        if (r.ran && (r.refreshed || r.reminders || r.summaries)) deps.logger.info('Scheduled job', r);
      })
      .catch((e: unknown) => {
        deps.logger.error(`Scheduled job: ${e instanceof Error ? e.message : String(e)}`);
      });
  setTimeout(run, 10_000).unref();
  process.on('SIGUSR2', run);
  const timer = setInterval(run, JOB_INTERVAL_MS);
  timer.unref();
  return timer;
}
