/** Login sessions (the `sessions` table the session store keeps): ending a person's sessions. */
import type { Knex } from 'knex';

export function sessionsRepository(db: Knex) {
  return {
    /** Ends every session of a person except the one given (after a password is set anew). */
    async endAllOf(userId: number, keepSid: string | null, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('sessions')
        .whereRaw(`(sess::jsonb -> 'passport' ->> 'user') = ?`, [String(userId)])
        .whereNot('sid', keepSid ?? '')
        .delete();
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
