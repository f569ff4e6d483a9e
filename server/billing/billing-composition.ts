/** Billing's repositories and service, for the composition root (bookings-composition.ts says why apart). */
import type { i18n } from 'i18next';
import type { Knex } from 'knex';
import type { InTransaction, Transaction } from '../db/transaction';
import { billingService } from './billing-service';
import { invoicesRepository } from './invoices-repository';
import { partiesRepository } from './parties-repository';
import { priceListRepository } from './price-list-repository';
import type { OrderContact } from './types';

export function billingFeature(deps: {
  db: Knex;
  i18n: i18n;
  transaction: InTransaction;
  orderContact: (orderId: number, trx: Transaction) => Promise<OrderContact | null>;
}) {
  const invoices = invoicesRepository(deps.db);
  const priceList = priceListRepository(deps.db);
  const parties = partiesRepository(deps.db);
  const billing = billingService({
    transaction: deps.transaction,
    i18n: deps.i18n,
    invoices,
    priceList,
    parties,
    orderContact: deps.orderContact,
  });
  return { invoices, priceList, parties, billing };
}
