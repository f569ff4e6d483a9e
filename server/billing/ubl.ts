/**
 * An issued invoice or credit note as Peppol BIS Billing 3.0 UBL 2.1 XML (EN 16931 CIUS), with the
 * Swedish additions: organisation numbers under scheme 0007, the VAT number, "Godkänd för F-skatt",
 * Bankgiro as payment means 30 with branch SE:BANKGIRO. Elements follow the UBL 2.1 schema order.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { invoiceTotals, oreToDecimal } from './money';
import type { BillingParty, Invoice, SellerParty } from './types';

export const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

export const CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
export const F_SKATT = 'Godkänd för F-skatt';

export interface UblTexts {
  /** Payment terms (BT-20), e.g. "30 dagar netto". */
  paymentTerms: string;
  /** The note (BT-22) of a late-cancellation invoice or a credit note; at most one note (PEPPOL-R002). */
  note: string | null;
}

/** Builds the XML of an issued document; throws if it is still a draft. */
export function ublDocument(invoice: Invoice, texts: UblTexts): string {
  if (
    invoice.status !== 'issued' ||
    invoice.number === null ||
    !invoice.seller ||
    !invoice.buyer ||
    !invoice.issueDate ||
    !invoice.dueDate
  ) {
    throw new Error(`invoice ${invoice.id} is not issued`);
  }
  const credit = invoice.kind === 'credit_note';
  const currency = invoice.currency;
  const amount = (parent: XMLBuilder, name: string, ore: number) =>
    parent.ele(NS.cbc, `cbc:${name}`, { currencyID: currency }).txt(oreToDecimal(ore));
  const text = (
    parent: XMLBuilder,
    name: string,
    value: string | null | undefined,
    attrs?: Record<string, string>,
  ) => {
    if (value !== null && value !== undefined && value.trim() !== '')
      parent.ele(NS.cbc, `cbc:${name}`, attrs).txt(value);
  };
  const agg = (parent: XMLBuilder, name: string) => parent.ele(NS.cac, `cac:${name}`);

  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(credit ? NS.creditNote : NS.invoice, credit ? 'CreditNote' : 'Invoice', {
    'xmlns:cac': NS.cac,
    'xmlns:cbc': NS.cbc,
  });
  text(root, 'CustomizationID', CUSTOMIZATION_ID);
  text(root, 'ProfileID', PROFILE_ID);
  text(root, 'ID', String(invoice.number));
  text(root, 'IssueDate', invoice.issueDate);
  if (!credit) text(root, 'DueDate', invoice.dueDate);
  text(root, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', credit ? '381' : '380');
  text(root, 'Note', texts.note);
  text(root, 'DocumentCurrencyCode', currency);
  text(root, 'AccountingCost', invoice.costCentre);
  // The municipality's reference is copied exactly as they gave it (PEPPOL-EN16931-R003).
  text(root, 'BuyerReference', invoice.buyerReference);
  if (credit && invoice.creditedInvoiceNumber !== null) {
    const ref = agg(agg(root, 'BillingReference'), 'InvoiceDocumentReference');
    text(ref, 'ID', String(invoice.creditedInvoiceNumber));
    text(ref, 'IssueDate', invoice.creditedInvoiceIssueDate);
  }
  party(agg(root, 'AccountingSupplierParty'), invoice.seller, true);
  party(agg(root, 'AccountingCustomerParty'), invoice.buyer, false);
  if (invoice.deliveryDate) text(agg(root, 'Delivery'), 'ActualDeliveryDate', invoice.deliveryDate);
  if (!credit && invoice.seller.bankgiro) {
    const means = agg(root, 'PaymentMeans');
    text(means, 'PaymentMeansCode', '30', { name: 'Credit transfer' });
    text(means, 'PaymentID', String(invoice.number));
    const account = agg(means, 'PayeeFinancialAccount');
    text(account, 'ID', invoice.seller.bankgiro);
    text(agg(account, 'FinancialInstitutionBranch'), 'ID', 'SE:BANKGIRO');
  }
  text(agg(root, 'PaymentTerms'), 'Note', texts.paymentTerms);

  const totals = invoiceTotals(invoice.lines);
  const taxTotal = agg(root, 'TaxTotal');
  amount(taxTotal, 'TaxAmount', totals.vatTotalOre);
  for (const row of totals.breakdown) {
    const sub = agg(taxTotal, 'TaxSubtotal');
    amount(sub, 'TaxableAmount', row.taxableOre);
    amount(sub, 'TaxAmount', row.taxOre);
    const category = agg(sub, 'TaxCategory');
    text(category, 'ID', row.category);
    text(category, 'Percent', String(row.percent));
    text(category, 'TaxExemptionReason', row.category === 'E' ? row.exemptionReason : null);
    text(agg(category, 'TaxScheme'), 'ID', 'VAT');
  }
  const monetary = agg(root, 'LegalMonetaryTotal');
  amount(monetary, 'LineExtensionAmount', totals.lineTotalOre);
  amount(monetary, 'TaxExclusiveAmount', totals.lineTotalOre);
  amount(monetary, 'TaxInclusiveAmount', totals.payableOre);
  amount(monetary, 'PayableAmount', totals.payableOre);

  for (const line of invoice.lines) {
    const el = agg(root, credit ? 'CreditNoteLine' : 'InvoiceLine');
    text(el, 'ID', String(line.position));
    text(el, credit ? 'CreditedQuantity' : 'InvoicedQuantity', String(line.quantity), {
      unitCode: line.unitCode,
    });
    amount(el, 'LineExtensionAmount', line.lineTotalOre);
    const item = agg(el, 'Item');
    text(item, 'Name', line.description.slice(0, 200));
    if (line.articleCode) text(agg(item, 'SellersItemIdentification'), 'ID', line.articleCode);
    const tax = agg(item, 'ClassifiedTaxCategory');
    text(tax, 'ID', line.vat.category);
    text(tax, 'Percent', String(line.vat.percent));
    text(agg(tax, 'TaxScheme'), 'ID', 'VAT');
    amount(agg(el, 'Price'), 'PriceAmount', line.unitPriceOre);
  }
  return root.end({ prettyPrint: true });

  function party(parent: XMLBuilder, p: BillingParty | SellerParty, seller: boolean) {
    const el = agg(parent, 'Party');
    text(el, 'EndpointID', p.peppolId ?? p.orgNumber, { schemeID: p.peppolId ? p.peppolScheme : '0007' });
    const displayName = seller && 'unitName' in p && p.unitName ? `${p.unitName}, ${p.name}` : p.name;
    text(agg(el, 'PartyName'), 'Name', displayName);
    const address = agg(el, 'PostalAddress');
    text(address, 'StreetName', p.streetName);
    text(address, 'AdditionalStreetName', p.additionalStreetName);
    text(address, 'CityName', p.cityName);
    text(address, 'PostalZone', p.postalZone);
    text(agg(address, 'Country'), 'IdentificationCode', p.countryCode);
    if (p.vatNumber) {
      const vat = agg(el, 'PartyTaxScheme');
      text(vat, 'CompanyID', p.vatNumber);
      text(agg(vat, 'TaxScheme'), 'ID', 'VAT');
    }
    if (seller && 'fSkatt' in p && p.fSkatt) {
      const fSkatt = agg(el, 'PartyTaxScheme');
      text(fSkatt, 'CompanyID', F_SKATT);
      text(agg(fSkatt, 'TaxScheme'), 'ID', 'TAX');
    }
    const legal = agg(el, 'PartyLegalEntity');
    text(legal, 'RegistrationName', p.name);
    text(legal, 'CompanyID', p.orgNumber, { schemeID: '0007' });
    if (p.contactName || p.contactPhone || p.invoiceEmail) {
      const contact = agg(el, 'Contact');
      text(contact, 'Name', p.contactName);
      text(contact, 'Telephone', p.contactPhone);
      text(contact, 'ElectronicMail', p.invoiceEmail);
    }
  }
}
