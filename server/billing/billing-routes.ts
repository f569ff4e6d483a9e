/** Invoices for orderers and administrators, the price list, master data, settings and the export. */
import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { paths } from '../http/paths';
import { billingController, type BillingControllerDeps } from './billing-controller';

export function billingRoutes(deps: BillingControllerDeps): Router {
  const router = Router();
  const billing = billingController(deps);
  const booker = [requireLogin, requirePermission('booker', 'admin')];
  const admin = [requireLogin, requirePermission('admin')];

  router.get(paths.invoices, ...booker, billing.myInvoices);
  router.get(paths.invoicePdf(), ...booker, billing.pdf);
  router.get(paths.invoiceXml(), ...booker, billing.xml);

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
