/**
 * Commissioned trainings (bookings) and their invoicing (billing): two features, composed here.
 *
 * Why two and not one folder: billing is a domain of its own — the price list, master data, a gap-free
 * number series, Peppol UBL with its rules, the PDF and the CSV export, about 2 000 lines — and all it
 * needs of a training is "invoice this order". So the dependency runs one way: bookings calls billing's
 * service (prices and terms for its pages, and the invoice drafted inside bookings' own transaction when
 * an order is delivered or cancelled late, so both commit or neither); billing reads bookings only through
 * bookings' service, for the one thing it asks when issuing (the order's contact person), handed in below.
 * Neither imports the other's controller, repository, validation or routes; each has its own router
 * (bookings-routes.ts, billing-routes.ts), views, locales and tests.
 */
import type { i18n } from 'i18next';
import type { Knex } from 'knex';
import type { AuditService } from '../audit/audit-service';
import type { AuthService } from '../auth/auth-service';
import { billingFeature } from '../billing/billing-composition';
import type { Config } from '../config';
import type { InTransaction } from '../db/transaction';
import type { MailService } from '../mail/mail-service';
import { bookingsService, type BookingsService } from './bookings-service';
import { offeringsRepository } from './offerings-repository';
import { ordersRepository } from './orders-repository';
import { peopleRepository } from './people-repository';

export function bookingsFeature(deps: {
  db: Knex;
  config: Config;
  i18n: i18n;
  mail: MailService;
  audit: AuditService;
  auth: Pick<AuthService, 'membershipByEmail'>;
  transaction: InTransaction;
}) {
  const { db, config, transaction } = deps;
  const offerings = offeringsRepository(db);
  const orders = ordersRepository(db);
  const bookingPeople = peopleRepository(db);
  // Billing asks for an order's contact only when it issues an invoice, long after both services exist.
  const billingParts = billingFeature({
    db,
    i18n: deps.i18n,
    transaction,
    orderContact: (orderId, trx) => bookings.invoiceContact(orderId, trx),
  });
  const bookings: BookingsService = bookingsService({
    transaction,
    i18n: deps.i18n,
    offerings,
    orders,
    people: bookingPeople,
    billing: billingParts.billing,
    auth: deps.auth,
    audit: deps.audit,
    mail: deps.mail,
    publicBaseUrl: config.publicBaseUrl,
    mailFrom: config.mailFrom,
  });
  return { offerings, orders, bookingPeople, bookings, ...billingParts };
}
