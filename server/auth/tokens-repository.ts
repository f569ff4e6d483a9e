/**
 * Single-use links mailed to a person (password reset, address verification). Only the sha256 of the
 * random token is stored, so a copy of the database cannot be used to open anyone's link.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export type TokenPurpose = 'reset' | 'verify' | 'sso-link';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface TokenRecord {
  id: number;
  userId: number;
  email: string;
}

export function tokensRepository(db: Knex) {
  let lastCleanup = 0;

  /** Removes tokens that expired more than a week ago. */
  async function cleanup(): Promise<number> {
    return db('auth_tokens').whereRaw(`expires_at < now() - interval '7 days'`).delete();
  }

  return {
    /** A new token for a person and purpose; returns the token to put in the link (never stored). */
    async issue(
      userId: number,
      purpose: TokenPurpose,
      email: string,
      lifetimeSeconds: number,
      trx: Knex | Knex.Transaction = db,
    ): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      // Issuing is rare; tidying up old links at most every ten minutes here needs no scheduler.
      if (Date.now() - lastCleanup > 10 * 60 * 1000) {
        lastCleanup = Date.now();
        void cleanup().catch(() => undefined);
      }
      await trx('auth_tokens').insert({
        user_id: userId,
        purpose,
        email,
        token_hash: hashToken(token),
        expires_at: trx.raw('now() + make_interval(secs => ?)', [lifetimeSeconds]),
      });
      return token;
    },

    /** The token's record while it is unused and unexpired, else null. */
    async findValid(
      token: string,
      purpose: TokenPurpose,
      trx: Knex | Knex.Transaction = db,
    ): Promise<TokenRecord | null> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
      const row = await trx('auth_tokens')
        .where({ token_hash: hashToken(token), purpose })
        .whereNull('used_at')
        .where('expires_at', '>', trx.fn.now())
        .first<{ id: string | number; user_id: number; email: string } | undefined>('id', 'user_id', 'email');
      return row ? { id: Number(row.id), userId: row.user_id, email: row.email } : null;
    },

    /** Uses a token once: true for exactly one caller, however many submit the same link at once. */
    async use(id: number, trx: Knex | Knex.Transaction = db): Promise<boolean> {
      return (
        (await trx('auth_tokens')
          .where({ id })
          .whereNull('used_at')
          .where('expires_at', '>', trx.fn.now())
          .update({ used_at: trx.fn.now() })) === 1
      );
    },

    /** Ends every other open link of that kind for the person (after a reset, older reset mails stop working). */
    async useAll(userId: number, purpose: TokenPurpose, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('auth_tokens')
        .where({ user_id: userId, purpose })
        .whereNull('used_at')
        .update({ used_at: trx.fn.now() });
    },

    cleanup,
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;
