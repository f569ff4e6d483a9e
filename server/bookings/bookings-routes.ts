/** Routes of commissioned trainings (orderers and HMC) and their invoicing; mounted from app.ts as one router. */
import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { billingController } from '../billing/billing-controller';
import { paths } from '../http/paths';
import type { Services } from '../services';
import { bookingsController } from './bookings-controller';
import { guestConfirmationController, guestConfirmPath } from './guest-confirmation';

export function bookingsRoutes(services: Services): Router {
  const router = Router();
  const bookings = bookingsController(services);
  const billing = billingController(services);
  const guests = guestConfirmationController(services);
  const anyone = [requireLogin, requirePermission('booker', 'educator', 'admin')];
  const booker = [requireLogin, requirePermission('booker', 'admin')];
  const hmc = [requireLogin, requirePermission('educator', 'admin')];
  const admin = [requireLogin, requirePermission('admin')];

  router.get(paths.offerings, ...anyone, bookings.offeringsList);
  router.get(paths.offering(), ...anyone, bookings.offeringPage);
  router.get(paths.offeringOrder(), ...booker, bookings.orderForm);
  router.post(paths.offeringOrder(), ...booker, bookings.submitOrder);

  router.get(paths.bookingOrders, ...anyone, bookings.myOrders);
  router.get(paths.bookingOrder(), ...anyone, bookings.order);
  router.post(paths.bookingOrderAccept(), ...booker, bookings.accept);
  router.post(paths.bookingOrderCancel(), ...booker, bookings.cancel);
  router.post(paths.bookingParticipants(), ...booker, bookings.addParticipants);
  router.post(paths.bookingParticipantRemove(), ...booker, bookings.removeParticipant);
  router.get(guestConfirmPath(), requireLogin, guests.show);
  router.post(guestConfirmPath(), requireLogin, guests.confirm);

  router.get(paths.invoices, ...booker, billing.myInvoices);
  router.get(paths.invoicePdf(), ...booker, billing.pdf);
  router.get(paths.invoiceXml(), ...booker, billing.xml);

  router.get(paths.hmcOrders, ...hmc, bookings.hmcOrders);
  router.get(paths.hmcOrder(), ...hmc, bookings.hmcOrder);
  router.post(paths.hmcOrderHandle(), ...hmc, bookings.handle);
  router.post(paths.hmcOrderCancel(), ...hmc, bookings.cancel);
  router.post(paths.hmcAttendance(), ...hmc, bookings.attendance);
  router.post(paths.hmcOrderDraft(), ...admin, bookings.draftAgain);
  router.get(paths.hmcOfferings, ...hmc, bookings.hmcOfferings);
  router.get(paths.hmcOfferingNew, ...hmc, bookings.offeringForm);
  router.post(paths.hmcOfferings, ...hmc, bookings.saveOffering);
  router.get(paths.hmcOffering(), ...hmc, bookings.offeringForm);
  router.post(paths.hmcOffering(), ...hmc, bookings.saveOffering);

  router.get(paths.adminInvoices, ...admin, billing.list);
  router.get(paths.adminInvoice(), ...admin, billing.show);
  router.post(paths.adminInvoiceIssue(), ...admin, billing.issue);
  router.post(paths.adminInvoiceCredit(), ...admin, billing.credit);
  router.post(paths.adminInvoiceDelete(), ...admin, billing.deleteDraft);
  router.get(paths.adminPriceList, ...admin, billing.priceListPage);
  router.post(paths.adminPriceList, ...admin, billing.addPrice);
  router.get(paths.adminCustomers, ...admin, billing.customers);
  router.get(paths.adminCustomer(), ...admin, billing.customer);
  router.post(paths.adminCustomer(), ...admin, billing.saveCustomer);
  router.get(paths.adminBillingSettings, ...admin, billing.settings);
  router.post(paths.adminBillingSettings, ...admin, billing.saveSettings);
  router.get(paths.adminInvoiceExport, ...admin, billing.exportPage);
  router.get(paths.adminInvoiceExportCsv, ...admin, billing.exportCsv);
  return router;
}
