/** One unit of work: services run a command across several repositories in one database transaction. */
import type { Knex } from 'knex';

/** A transaction handed from a service to the repositories it calls (services never query it themselves). */
export type Transaction = Knex.Transaction;

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export type InTransaction = <T>(work: (trx: Transaction) => Promise<T>) => Promise<T>;

export function transactions(db: Knex): InTransaction {
  return (work) => db.transaction(work);
}
