/**
 * Attempt counters in PostgreSQL, so every app process (every node behind the load balancer) sees the
 * same counts. Two kinds:
 * - per client address, a fixed window (e.g. 10 failed logins per 15 minutes) → refused with 429; the
 *   open forms (accessibility feedback, certificate check) use `perAddress`, a middleware on the same counters;
 * - per account, an increasing delay after a few failures (1 s, 2 s, 4 s … at most MAX_DELAY_SECONDS).
 *   It is never a lockout: once the delay has passed, the right password works. Refused attempts do not
 *   count, so hammering during the delay does not lengthen it.
 * Times come from the database clock, so tests move time by editing a row, never by sleeping.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { RateLimitsRepository } from './rate-limits-repository';

export const FREE_ACCOUNT_FAILURES = 5;
export const MAX_DELAY_SECONDS = 60;
const ACCOUNT_WINDOW_SECONDS = 15 * 60;
/** Rows untouched this long are removed. */
const KEEP_SECONDS = 24 * 3600;
const CLEANUP_EVERY_MS = 10 * 60 * 1000;

export function rateLimits(counters: RateLimitsRepository) {
  let lastCleanup = 0;

  async function take(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    const taken = await counters.take(key, windowSeconds);
    maybeCleanup();
    return taken;
  }

  async function hit(key: string, windowSeconds: number): Promise<number> {
    return (await take(key, windowSeconds)).count;
  }

  function maybeCleanup() {
    if (Date.now() - lastCleanup < CLEANUP_EVERY_MS) return;
    lastCleanup = Date.now();
    void cleanup().catch(() => undefined);
  }

  /** Removes counters nobody has touched for a day; returns how many. */
  function cleanup(): Promise<number> {
    return counters.removeOlderThan(KEEP_SECONDS);
  }

  return {
    /** Whether an address has used up its attempts of one kind (`login`, `join`, `reset`). */
    async addressBlocked(
      kind: string,
      address: string,
      limit: number,
      windowSeconds = 15 * 60,
    ): Promise<boolean> {
      return (await counters.count(`${kind}:address:${address}`, windowSeconds)) >= limit;
    },
    /** Counts one attempt of a kind from an address; returns the count in the window. */
    addressHit: (kind: string, address: string, windowSeconds = 15 * 60) =>
      hit(`${kind}:address:${address}`, windowSeconds),

    /** Seconds an account must wait before its next login attempt is checked (0 when it may try now). */
    async accountDelay(account: string): Promise<number> {
      const row = await counters.countAndSince(`login:account:${account}`, ACCOUNT_WINDOW_SECONDS);
      if (!row || row.count < FREE_ACCOUNT_FAILURES) return 0;
      const delay = Math.min(MAX_DELAY_SECONDS, 2 ** (row.count - FREE_ACCOUNT_FAILURES));
      return Math.max(0, Math.ceil(delay - row.since));
    },
    accountFailed: (account: string) => hit(`login:account:${account}`, ACCOUNT_WINDOW_SECONDS),
    async accountSucceeded(account: string): Promise<void> {
      await counters.remove(`login:account:${account}`);
    },

    /** How many times something was done in a window, counting this time (e.g. reset mails to one address). */
    hit,
    cleanup,

    /**
     * A middleware for an open form or page: at most `limit` requests per client address (an IPv6 address by
     * its /56 network) in `windowSeconds`, counted here in PostgreSQL so the limit holds across nodes; the
     * next gets 429 with `messageKey` and Retry-After. Every request counts, as express-rate-limit did.
     */
    perAddress(o: {
      kind: string;
      limit: number;
      windowSeconds: number;
      messageKey: string;
    }): RequestHandler {
      const policy = `"${o.kind}";q=${o.limit};w=${o.windowSeconds}`;
      return (req, res, next) => {
        void take(`${o.kind}:address:${ipKeyGenerator(req.ip ?? '')}`, o.windowSeconds).then(
          ({ count, resetSeconds }) => {
            res.set('RateLimit-Policy', policy);
            res.set('RateLimit', `"${o.kind}";r=${Math.max(0, o.limit - count)};t=${resetSeconds}`);
            if (count <= o.limit) {
              next();
              return;
            }
            res.set('Retry-After', String(resetSeconds));
            res.status(429).render('errors/error', {
              title: req.t('errors:title.429'),
              message: req.t(o.messageKey),
              status: 429,
            });
          },
          next,
        );
      };
    },
  };
}

export type RateLimits = ReturnType<typeof rateLimits>;
