/** The repositories and services of commissioned trainings and their invoicing, for the composition root. */
import type { i18n } from 'i18next';
import type { Knex } from 'knex';
import { billingService } from '../billing/billing-service';
import { invoicesRepository } from '../billing/invoices-repository';
import { partiesRepository } from '../billing/parties-repository';
import { priceListRepository } from '../billing/price-list-repository';
import type { Config } from '../config';
import type { MailService } from '../mail/mail-service';
import { bookingsService } from './bookings-service';
import { offeringsRepository } from './offerings-repository';
import { ordersRepository } from './orders-repository';

export function bookingsFeature(deps: { db: Knex; config: Config; i18n: i18n; mail: MailService }) {
  const { db, config, mail } = deps;
  const offerings = offeringsRepository(db);
  const orders = ordersRepository(db);
  const priceList = priceListRepository(db);
  const parties = partiesRepository(db);
  const invoices = invoicesRepository(db);
  const billing = billingService({ db, i18n: deps.i18n, invoices, priceList, parties });
  const bookings = bookingsService({
    db,
    i18n: deps.i18n,
    offerings,
    orders,
    parties,
    billing,
    mail,
    publicBaseUrl: config.publicBaseUrl,
    mailFrom: config.mailFrom,
  });
  return { offerings, orders, priceList, parties, invoices, billing, bookings };
}
