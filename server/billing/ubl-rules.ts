/**
 * Checks a UBL invoice or credit note against the rules we can encode ourselves: EN 16931 business
 * rules (BR-*, BR-CO-*, BR-S-*, BR-E-*, BR-DEC-*), Peppol BIS Billing 3.0 rules (PEPPOL-EN16931-R*,
 * PEPPOL-COMMON-R049), the Swedish rules SE-R-001..013, and the UBL 2.1 element order of what we emit.
 * Used by the tests and before issuing: an invoice that breaks a rule is not issued. The official
 * Schematron files are not shipped with the app; see docs/bookings.md.
 */
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { isCalendarDate } from '../bookings/dates';
import { luhnValid } from './identifiers';
import { CUSTOMIZATION_ID, NS } from './ubl';

export interface RuleViolation {
  id: string;
  message: string;
}

const select = xpath.useNamespaces({ cbc: NS.cbc, cac: NS.cac, inv: NS.invoice, cn: NS.creditNote });

// The UBL 2.1 schema sequences (only the elements Peppol BIS uses), to check the order we emit. Invoice and
// CreditNote, and their lines, share long runs of their sequences; the schema orders a few elements differently
// around those runs (TaxPointDate, the document references, AllowanceCharge), so each keeps its own list.
const DOCUMENT_START = [
  'UBLExtensions',
  'UBLVersionID',
  'CustomizationID',
  'ProfileID',
  'ProfileExecutionID',
  'ID',
  'CopyIndicator',
  'UUID',
  'IssueDate',
  'IssueTime',
];
const CURRENCIES_AND_BUYER_REFERENCE = [
  'DocumentCurrencyCode',
  'TaxCurrencyCode',
  'PricingCurrencyCode',
  'PaymentCurrencyCode',
  'PaymentAlternativeCurrencyCode',
  'AccountingCostCode',
  'AccountingCost',
  'LineCountNumeric',
  'BuyerReference',
];
const PARTIES_AND_PAYMENT = [
  'ProjectReference',
  'Signature',
  'AccountingSupplierParty',
  'AccountingCustomerParty',
  'PayeeParty',
  'BuyerCustomerParty',
  'SellerSupplierParty',
  'TaxRepresentativeParty',
  'Delivery',
  'DeliveryTerms',
  'PaymentMeans',
  'PaymentTerms',
];
const EXCHANGE_RATES = [
  'TaxExchangeRate',
  'PricingExchangeRate',
  'PaymentExchangeRate',
  'PaymentAlternativeExchangeRate',
];
/** A line's first elements, up to its purpose code: the quantity element is named for the document. */
const lineStart = (quantity: string) => [
  'ID',
  'UUID',
  'Note',
  quantity,
  'LineExtensionAmount',
  'TaxPointDate',
  'AccountingCostCode',
  'AccountingCost',
  'PaymentPurposeCode',
];
const LINE_REFERENCES = [
  'InvoicePeriod',
  'OrderLineReference',
  'DespatchLineReference',
  'ReceiptLineReference',
  'BillingReference',
  'DocumentReference',
  'PricingReference',
  'OriginatorParty',
  'Delivery',
];
// TaxCategory and ClassifiedTaxCategory are the same schema type.
const TAX_CATEGORY = [
  'ID',
  'Name',
  'Percent',
  'BaseUnitMeasure',
  'PerUnitAmount',
  'TaxExemptionReasonCode',
  'TaxExemptionReason',
  'TierRange',
  'TierRatePercent',
  'TaxScheme',
];

const ORDER: Partial<Record<string, string[]>> = {
  Invoice: [
    ...DOCUMENT_START,
    'DueDate',
    'InvoiceTypeCode',
    'Note',
    'TaxPointDate',
    ...CURRENCIES_AND_BUYER_REFERENCE,
    'InvoicePeriod',
    'OrderReference',
    'BillingReference',
    'DespatchDocumentReference',
    'ReceiptDocumentReference',
    'StatementDocumentReference',
    'OriginatorDocumentReference',
    'ContractDocumentReference',
    'AdditionalDocumentReference',
    ...PARTIES_AND_PAYMENT,
    'PrepaidPayment',
    'AllowanceCharge',
    ...EXCHANGE_RATES,
    'TaxTotal',
    'WithholdingTaxTotal',
    'LegalMonetaryTotal',
    'InvoiceLine',
  ],
  CreditNote: [
    ...DOCUMENT_START,
    'TaxPointDate',
    'CreditNoteTypeCode',
    'Note',
    ...CURRENCIES_AND_BUYER_REFERENCE,
    'DiscrepancyResponse',
    'InvoicePeriod',
    'OrderReference',
    'BillingReference',
    'DespatchDocumentReference',
    'ReceiptDocumentReference',
    'ContractDocumentReference',
    'AdditionalDocumentReference',
    'StatementDocumentReference',
    'OriginatorDocumentReference',
    ...PARTIES_AND_PAYMENT,
    ...EXCHANGE_RATES,
    'AllowanceCharge',
    'TaxTotal',
    'LegalMonetaryTotal',
    'CreditNoteLine',
  ],
  Party: [
    'MarkCareIndicator',
    'MarkAttentionIndicator',
    'WebsiteURI',
    'LogoReferenceID',
    'EndpointID',
    'IndustryClassificationCode',
    'PartyIdentification',
    'PartyName',
    'Language',
    'PostalAddress',
    'PhysicalLocation',
    'PartyTaxScheme',
    'PartyLegalEntity',
    'Contact',
    'Person',
    'AgentParty',
  ],
  PostalAddress: [
    'ID',
    'AddressTypeCode',
    'AddressFormatCode',
    'Postbox',
    'Floor',
    'Room',
    'StreetName',
    'AdditionalStreetName',
    'BlockName',
    'BuildingName',
    'BuildingNumber',
    'InhouseMail',
    'Department',
    'MarkAttention',
    'MarkCare',
    'PlotIdentification',
    'CitySubdivisionName',
    'CityName',
    'PostalZone',
    'CountrySubentity',
    'CountrySubentityCode',
    'Region',
    'District',
    'TimezoneOffset',
    'AddressLine',
    'Country',
  ],
  PartyTaxScheme: [
    'RegistrationName',
    'CompanyID',
    'TaxLevelCode',
    'ExemptionReasonCode',
    'ExemptionReason',
    'RegistrationAddress',
    'TaxScheme',
  ],
  PartyLegalEntity: [
    'RegistrationName',
    'CompanyID',
    'RegistrationDate',
    'RegistrationExpirationDate',
    'CompanyLegalFormCode',
    'CompanyLegalForm',
  ],
  Contact: ['ID', 'Name', 'Telephone', 'Telefax', 'ElectronicMail', 'Note'],
  PaymentMeans: [
    'ID',
    'PaymentMeansCode',
    'PaymentDueDate',
    'PaymentChannelCode',
    'InstructionID',
    'InstructionNote',
    'PaymentID',
    'CardAccount',
    'PayerFinancialAccount',
    'PayeeFinancialAccount',
    'CreditAccount',
    'PaymentMandate',
  ],
  PayeeFinancialAccount: [
    'ID',
    'Name',
    'AliasName',
    'AccountTypeCode',
    'AccountFormatCode',
    'CurrencyCode',
    'PaymentNote',
    'FinancialInstitutionBranch',
    'Country',
  ],
  TaxTotal: ['TaxAmount', 'RoundingAmount', 'TaxEvidenceIndicator', 'TaxIncludedIndicator', 'TaxSubtotal'],
  TaxSubtotal: [
    'TaxableAmount',
    'TaxAmount',
    'CalculationSequenceNumeric',
    'TransactionCurrencyTaxAmount',
    'Percent',
    'BaseUnitMeasure',
    'PerUnitAmount',
    'TierRange',
    'TierRatePercent',
    'TaxCategory',
  ],
  TaxCategory: TAX_CATEGORY,
  ClassifiedTaxCategory: TAX_CATEGORY,
  LegalMonetaryTotal: [
    'LineExtensionAmount',
    'TaxExclusiveAmount',
    'TaxInclusiveAmount',
    'AllowanceTotalAmount',
    'ChargeTotalAmount',
    'PrepaidAmount',
    'PayableRoundingAmount',
    'PayableAmount',
  ],
  InvoiceLine: [
    ...lineStart('InvoicedQuantity'),
    'FreeOfChargeIndicator',
    ...LINE_REFERENCES,
    'PaymentTerms',
    'AllowanceCharge',
    'TaxTotal',
    'WithholdingTaxTotal',
    'Item',
    'Price',
  ],
  CreditNoteLine: [
    ...lineStart('CreditedQuantity'),
    'DiscrepancyResponse',
    ...LINE_REFERENCES,
    'TaxTotal',
    'Item',
    'Price',
  ],
  Item: [
    'Description',
    'PackQuantity',
    'PackSizeNumeric',
    'CatalogueIndicator',
    'Name',
    'HazardousRiskIndicator',
    'AdditionalInformation',
    'Keyword',
    'BrandName',
    'ModelName',
    'BuyersItemIdentification',
    'SellersItemIdentification',
    'ManufacturersItemIdentification',
    'StandardItemIdentification',
    'CatalogueItemIdentification',
    'AdditionalItemIdentification',
    'CatalogueDocumentReference',
    'ItemSpecificationDocumentReference',
    'OriginCountry',
    'CommodityClassification',
    'TransactionConditions',
    'HazardousItem',
    'ClassifiedTaxCategory',
    'AdditionalItemProperty',
  ],
  Price: [
    'PriceAmount',
    'BaseQuantity',
    'PriceChangeReason',
    'PriceTypeCode',
    'PriceType',
    'OrderableUnitFactorRate',
    'ValidityPeriod',
    'PriceList',
    'AllowanceCharge',
    'PricingExchangeRate',
  ],
};

const INVOICE_TYPE_CODES = new Set([
  '380',
  '383',
  '384',
  '386',
  '389',
  '393',
  '395',
  '326',
  '575',
  '623',
  '780',
]);
const CREDIT_NOTE_TYPE_CODES = new Set(['381', '396', '81', '83', '532']);

/** A decimal amount in hundredths, or null when it has more than two decimals or is not a number. */
function cents(value: string | null): number | null {
  if (value === null) return null;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, sign, whole, fraction = '0'] = m;
  return (sign ? -1 : 1) * (Number(whole) * 100 + Number(fraction.padEnd(2, '0')));
}

/** Every rule the document breaks (empty when it passes). */
export function checkUbl(xml: string): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const fail = (id: string, message: string) => violations.push({ id, message });
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') throw new Error(msg);
      },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch (error) {
    return [
      {
        id: 'XML',
        message: `Not well-formed XML: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  // A document xmldom could not make sense of has no root element, whatever the DOM types say.
  const root = doc.documentElement as Element | null;
  const credit = root?.localName === 'CreditNote' && root.namespaceURI === NS.creditNote;
  if (!root || !(credit || (root.localName === 'Invoice' && root.namespaceURI === NS.invoice))) {
    return [{ id: 'UBL-ROOT', message: 'The root must be a UBL 2.1 Invoice or CreditNote' }];
  }
  const nodes = (expr: string, ctx: Node = root) => select(expr, ctx) as Node[];
  const str = (expr: string, ctx: Node = root): string | null => {
    const found = nodes(expr, ctx).at(0);
    return found ? (found.textContent ?? '').trim() : null;
  };
  const amount = (expr: string, ctx: Node = root) => cents(str(expr, ctx));
  const lineName = credit ? 'CreditNoteLine' : 'InvoiceLine';
  const quantityName = credit ? 'CreditedQuantity' : 'InvoicedQuantity';

  // UBL 2.1 element order (the XML schema would refuse a document in another order).
  const checkOrder = (el: Element) => {
    const sequence = ORDER[el.localName];
    if (sequence) {
      let last = -1;
      for (let child = el.firstChild; child; child = child.nextSibling) {
        if (child.nodeType !== 1) continue;
        const name = (child as Element).localName;
        const at = sequence.indexOf(name);
        if (at === -1) fail('UBL-XSD', `${el.localName} does not allow ${name} here`);
        else if (at < last) fail('UBL-XSD', `${name} comes too late in ${el.localName}`);
        else last = at;
      }
    }
    for (let child = el.firstChild; child; child = child.nextSibling)
      if (child.nodeType === 1) checkOrder(child as Element);
  };
  checkOrder(root);

  // Document level.
  if (!(str('cbc:CustomizationID') ?? '').startsWith(CUSTOMIZATION_ID))
    fail('PEPPOL-EN16931-R004', 'Specification identifier must be the Peppol BIS Billing 3.0 one (BR-01)');
  const profile = str('cbc:ProfileID');
  if (!profile) fail('PEPPOL-EN16931-R001', 'Business process must be provided');
  else if (!/^urn:fdc:peppol\.eu:2017:poacc:billing:\d{2}:1\.0$/.test(profile))
    fail('PEPPOL-EN16931-R007', 'Business process must be urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0');
  if (!str('cbc:ID')) fail('BR-02', 'An invoice shall have an invoice number');
  if (!isCalendarDate(str('cbc:IssueDate')))
    fail('BR-03', 'An invoice shall have an issue date (YYYY-MM-DD)');
  const typeCode = str(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode');
  if (!typeCode || !(credit ? CREDIT_NOTE_TYPE_CODES : INVOICE_TYPE_CODES).has(typeCode))
    fail('BR-04', 'An invoice shall have a valid invoice type code');
  const currency = str('cbc:DocumentCurrencyCode');
  if (!currency || !/^[A-Z]{3}$/.test(currency))
    fail('BR-05', 'An invoice shall have an invoice currency code');
  if (nodes('cbc:Note').length > 1)
    fail('PEPPOL-EN16931-R002', 'No more than one note is allowed on document level');
  if (!str('cbc:BuyerReference') && !str('cac:OrderReference/cbc:ID'))
    fail('PEPPOL-EN16931-R003', 'A buyer reference or purchase order reference must be provided');
  for (const el of nodes('//*[not(*) and normalize-space(.) = ""]'))
    fail('PEPPOL-EN16931-R008', `Document must not contain empty elements (${(el as Element).localName})`);
  for (const el of nodes('//*[@currencyID]')) {
    if ((el as Element).getAttribute('currencyID') !== currency)
      fail('PEPPOL-EN16931-R051', 'All currencyID attributes must equal the invoice currency code');
  }
  for (const el of nodes('//cbc:*[contains(local-name(), "Amount") and not(local-name() = "PriceAmount")]')) {
    if (cents(el.textContent) === null)
      fail('BR-DEC', `${(el as Element).localName} must be a number with at most two decimals`);
  }
  for (const dateEl of nodes('//cbc:*[substring(local-name(), string-length(local-name()) - 3) = "Date"]')) {
    const v = (dateEl.textContent ?? '').trim();
    // Strictly: Date.parse takes 2026-02-30 for 2 March.
    if (!isCalendarDate(v))
      fail('PEPPOL-EN16931-F001', `${(dateEl as Element).localName} must be a date YYYY-MM-DD`);
  }
  if (
    credit &&
    nodes('cac:BillingReference').length &&
    !str('cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID')
  )
    fail('BR-55', 'Each preceding invoice reference shall contain the preceding invoice number');

  // Parties.
  const seller = nodes('cac:AccountingSupplierParty/cac:Party').at(0);
  const buyer = nodes('cac:AccountingCustomerParty/cac:Party').at(0);
  for (const [party, who, endpointRule, nameRule, addressRule, countryRule] of [
    [seller, 'Seller', 'PEPPOL-EN16931-R020', 'BR-06', 'BR-08', 'BR-09'],
    [buyer, 'Buyer', 'PEPPOL-EN16931-R010', 'BR-07', 'BR-10', 'BR-11'],
  ] as const) {
    if (!party) {
      fail(nameRule, `${who} party is missing`);
      continue;
    }
    const endpoint = nodes('cbc:EndpointID', party).at(0) as Element | undefined;
    if (!endpoint || !endpoint.textContent.trim())
      fail(endpointRule, `${who} electronic address must be provided`);
    else if (!endpoint.getAttribute('schemeID'))
      fail(who === 'Seller' ? 'BR-62' : 'BR-63', `${who} electronic address shall have a scheme identifier`);
    if (!str('cac:PartyLegalEntity/cbc:RegistrationName', party))
      fail(nameRule, `${who} name must be provided`);
    if (!nodes('cac:PostalAddress', party).length)
      fail(addressRule, `${who} postal address must be provided`);
    if (!str('cac:PostalAddress/cac:Country/cbc:IdentificationCode', party))
      fail(countryRule, `${who} country code must be provided`);
  }
  if (
    seller &&
    !str('cac:PartyLegalEntity/cbc:CompanyID', seller) &&
    !str('cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID', seller) &&
    !str('cac:PartyIdentification/cbc:ID', seller)
  ) {
    fail(
      'BR-CO-26',
      'The seller shall have an identifier, a legal registration identifier or a VAT identifier',
    );
  }
  for (const id of nodes(
    '//cbc:EndpointID[@schemeID="0007"] | //cac:PartyIdentification/cbc:ID[@schemeID="0007"] | //cbc:CompanyID[@schemeID="0007"]',
  )) {
    const v = (id.textContent ?? '').trim();
    if (!/^\d{10}$/.test(v) || !luhnValid(v))
      fail(
        'PEPPOL-COMMON-R049',
        `Swedish organisation number ${v} must be 10 digits with a valid check digit`,
      );
  }

  // Swedish rules for a Swedish seller.
  const sellerSwedish =
    !!seller && str('cac:PostalAddress/cac:Country/cbc:IdentificationCode', seller) === 'SE';
  const sellerVat = seller
    ? str('cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID', seller)
    : null;
  if (sellerSwedish && sellerVat?.startsWith('SE')) {
    if (sellerVat.length !== 14)
      fail('SE-R-001', 'For Swedish suppliers, Swedish VAT numbers must consist of 14 characters');
    if (!/^\d{12}$/.test(sellerVat.slice(2)))
      fail('SE-R-002', 'For Swedish suppliers, the Swedish VAT number must have 12 trailing digits');
  }
  const sellerOrg = seller ? str('cac:PartyLegalEntity/cbc:CompanyID', seller) : null;
  if (sellerSwedish && sellerOrg !== null) {
    if (!/^\d+$/.test(sellerOrg)) fail('SE-R-003', 'Swedish organisation numbers should be numeric');
    if (sellerOrg.length !== 10) fail('SE-R-004', 'Swedish organisation numbers consist of 10 characters');
    if (!luhnValid(sellerOrg))
      fail(
        'SE-R-013',
        'The last digit of a Swedish organisation number must be valid according to the Luhn algorithm',
      );
    for (const other of nodes(
      'cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) != "VAT"]/cbc:CompanyID',
      seller,
    )) {
      if ((other.textContent ?? '').trim().toUpperCase() !== 'GODKÄND FÖR F-SKATT')
        fail(
          'SE-R-005',
          "For Swedish suppliers, the seller tax registration identifier must read 'Godkänd för F-skatt'",
        );
    }
  }
  if (sellerSwedish && sellerVat?.startsWith('SE')) {
    for (const cat of nodes('//cac:TaxCategory[cbc:ID="S"] | //cac:ClassifiedTaxCategory[cbc:ID="S"]')) {
      if (!['25', '12', '6'].includes(String(Number(str('cbc:Percent', cat)))))
        fail('SE-R-006', 'For Swedish suppliers, only the standard VAT rates 6, 12 and 25 are used');
    }
  }
  if (sellerSwedish) {
    for (const means of nodes('cac:PaymentMeans')) {
      const code = str('cbc:PaymentMeansCode', means);
      const branch = str('cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID', means);
      const account = str('cac:PayeeFinancialAccount/cbc:ID', means) ?? '';
      if (code === '30' && branch === 'SE:PLUSGIRO') {
        if (!/^\d+$/.test(account))
          fail('SE-R-007', 'For Swedish suppliers using Plusgiro, the account ID must be numeric');
        if (account.length < 2 || account.length > 8)
          fail('SE-R-010', 'For Swedish suppliers using Plusgiro, the account ID must have 2-8 characters');
      }
      if (code === '30' && branch === 'SE:BANKGIRO') {
        if (!/^\d+$/.test(account))
          fail('SE-R-008', 'For Swedish suppliers using Bankgiro, the account ID must be numeric');
        if (account.length < 7 || account.length > 8)
          fail('SE-R-009', 'For Swedish suppliers using Bankgiro, the account ID must have 7-8 characters');
      }
      if (code === '50' || code === '56')
        fail(
          'SE-R-011',
          'Swedish Bankgiro or Plusgiro is given as payment means 30 with branch SE:BANKGIRO or SE:PLUSGIRO',
        );
      if (
        code === '31' &&
        buyer &&
        str('cac:PostalAddress/cac:Country/cbc:IdentificationCode', buyer) === 'SE'
      )
        fail('SE-R-012', 'Domestic Swedish credit transfer should use payment means code 30');
    }
  }

  // Payment.
  for (const means of nodes('cac:PaymentMeans')) {
    const code = str('cbc:PaymentMeansCode', means);
    if (!code) fail('BR-49', 'A payment instruction shall specify the payment means type code');
    if ((code === '30' || code === '58') && !str('cac:PayeeFinancialAccount/cbc:ID', means))
      fail('BR-61', 'A credit transfer shall have the payment account identifier');
  }

  // Lines.
  const lines = nodes(`cac:${lineName}`);
  if (!lines.length) fail('BR-16', 'An invoice shall have at least one invoice line');
  let lineSum = 0;
  const lineSumsByCategory = new Map<string, number>();
  let hasS = false;
  let hasE = false;
  for (const line of lines) {
    const id = str('cbc:ID', line);
    if (!id) fail('BR-21', 'Each invoice line shall have an invoice line identifier');
    const qtyEl = nodes(`cbc:${quantityName}`, line).at(0) as Element | undefined;
    if (!qtyEl) fail('BR-22', `Line ${id}: invoiced quantity is missing`);
    else if (!qtyEl.getAttribute('unitCode')) fail('BR-23', `Line ${id}: unit of measure code is missing`);
    const net = amount('cbc:LineExtensionAmount', line);
    if (net === null) fail('BR-24', `Line ${id}: invoice line net amount is missing`);
    if (!str('cac:Item/cbc:Name', line)) fail('BR-25', `Line ${id}: item name is missing`);
    const priceText = str('cac:Price/cbc:PriceAmount', line);
    const price = priceText === null ? null : Number(priceText);
    if (price === null || Number.isNaN(price)) fail('BR-26', `Line ${id}: item net price is missing`);
    else if (price < 0) fail('BR-27', `Line ${id}: item net price shall not be negative`);
    const category = str('cac:Item/cac:ClassifiedTaxCategory/cbc:ID', line);
    const percent = Number(str('cac:Item/cac:ClassifiedTaxCategory/cbc:Percent', line) ?? 'NaN');
    if (!category) fail('BR-CO-04', `Line ${id}: invoiced item VAT category code is missing`);
    if (category === 'S') {
      hasS = true;
      if (!(percent > 0))
        fail('BR-S-05', `Line ${id}: a standard-rated line shall have a VAT rate above zero`);
    }
    if (category === 'E') {
      hasE = true;
      if (percent !== 0) fail('BR-E-05', `Line ${id}: an exempt line shall have VAT rate 0`);
    }
    if (net !== null && qtyEl && price !== null) {
      const baseText = str('cac:Price/cbc:BaseQuantity', line);
      const base = baseText && Number(baseText) !== 0 ? Number(baseText) : 1;
      if (Math.abs(net - Math.round(Number(qtyEl.textContent) * (price / base) * 100)) > 2)
        fail('PEPPOL-EN16931-R120', `Line ${id}: net amount must equal quantity × price`);
      lineSum += net;
      const key = `${category}:${category === 'E' ? 0 : percent}`;
      lineSumsByCategory.set(key, (lineSumsByCategory.get(key) ?? 0) + net);
    }
  }

  // Totals and VAT breakdown.
  const taxTotals = nodes('cac:TaxTotal[cac:TaxSubtotal]');
  if (taxTotals.length !== 1)
    fail('PEPPOL-EN16931-R053', 'Only one tax total with tax subtotals must be provided');
  const subtotals = nodes('cac:TaxTotal/cac:TaxSubtotal');
  if (!subtotals.length) fail('BR-CO-18', 'An invoice shall have at least one VAT breakdown');
  let subtotalTaxSum = 0;
  const breakdownKeys = new Set<string>();
  for (const sub of subtotals) {
    const category = str('cac:TaxCategory/cbc:ID', sub);
    const percent = Number(str('cac:TaxCategory/cbc:Percent', sub) ?? 'NaN');
    const taxable = amount('cbc:TaxableAmount', sub) ?? 0;
    const tax = amount('cbc:TaxAmount', sub) ?? 0;
    subtotalTaxSum += tax;
    const key = `${category}:${category === 'E' ? 0 : percent}`;
    breakdownKeys.add(key);
    if (category === 'S' || category === 'E') {
      const expected = lineSumsByCategory.get(key) ?? 0;
      if (taxable !== expected)
        fail(
          category === 'S' ? 'BR-S-08' : 'BR-E-08',
          `VAT category ${category} ${percent} %: taxable amount must equal the sum of its line net amounts`,
        );
    }
    if (category === 'S' && Math.abs(tax - Math.round((taxable * percent) / 100)) > 1)
      fail('BR-CO-17', `VAT category S ${percent} %: tax amount must be taxable amount × rate, rounded`);
    if (category === 'E') {
      if (tax !== 0) fail('BR-E-09', 'The VAT amount of an exempt breakdown shall be 0');
      if (
        !str('cac:TaxCategory/cbc:TaxExemptionReason', sub) &&
        !str('cac:TaxCategory/cbc:TaxExemptionReasonCode', sub)
      )
        fail('BR-E-10', 'An exempt VAT breakdown shall state an exemption reason');
    }
  }
  for (const key of lineSumsByCategory.keys())
    if (!breakdownKeys.has(key))
      fail(
        key.startsWith('E') ? 'BR-E-01' : 'BR-S-01',
        `Lines in VAT category ${key} need their VAT breakdown`,
      );
  if (nodes('cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID="E"]').length > 1)
    fail('BR-E-01', 'An invoice with exempt lines shall have exactly one exempt VAT breakdown');
  if (
    (hasS || hasE) &&
    seller &&
    !sellerVat &&
    !str('cac:PartyTaxScheme[cac:TaxScheme/cbc:ID != "VAT"]/cbc:CompanyID', seller)
  ) {
    fail(
      hasS ? 'BR-S-02' : 'BR-E-02',
      'The seller VAT identifier shall be present for taxed or exempt lines',
    );
  }
  const taxAmount = amount('cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount') ?? 0;
  if (taxAmount !== subtotalTaxSum)
    fail('BR-CO-14', 'Invoice total VAT amount must equal the sum of VAT category tax amounts');
  const m = 'cac:LegalMonetaryTotal/cbc:';
  const lineExtension = amount(`${m}LineExtensionAmount`);
  const taxExclusive = amount(`${m}TaxExclusiveAmount`);
  const taxInclusive = amount(`${m}TaxInclusiveAmount`);
  const payable = amount(`${m}PayableAmount`);
  if (lineExtension === null || taxExclusive === null || taxInclusive === null || payable === null)
    fail('BR-12', 'The document totals (BT-106, BT-109, BT-112, BT-115) must be present');
  if (lineExtension !== lineSum)
    fail('BR-CO-10', 'Sum of invoice line net amounts must equal the sum of the lines');
  const allowances = amount(`${m}AllowanceTotalAmount`) ?? 0;
  const charges = amount(`${m}ChargeTotalAmount`) ?? 0;
  if (taxExclusive !== (lineExtension ?? 0) - allowances + charges)
    fail('BR-CO-13', 'Total without VAT must equal line sum − allowances + charges');
  if (taxInclusive !== (taxExclusive ?? 0) + taxAmount)
    fail('BR-CO-15', 'Total with VAT must equal total without VAT + total VAT');
  const prepaid = amount(`${m}PrepaidAmount`) ?? 0;
  const rounding = amount(`${m}PayableRoundingAmount`) ?? 0;
  if (payable !== (taxInclusive ?? 0) - prepaid + rounding)
    fail('BR-CO-16', 'Amount due must equal total with VAT − paid amount + rounding');
  const dueDate = credit ? str('cac:PaymentMeans/cbc:PaymentDueDate') : str('cbc:DueDate');
  if ((payable ?? 0) > 0 && !dueDate && !str('cac:PaymentTerms/cbc:Note'))
    fail('BR-CO-25', 'A positive amount due needs a payment due date or payment terms');
  return violations;
}
