/**
 * The Peppol BIS Billing 3.0 document, checked against the rules we encode (EN 16931, Peppol, Swedish
 * SE-R-*), and each rule shown to catch a document that breaks it.
 */
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import type { Invoice, InvoiceLine } from '../../server/billing/types';
import { checkUbl } from '../../server/billing/ubl-rules';
import { CUSTOMIZATION_ID, NS, PROFILE_ID, ublDocument } from '../../server/billing/ubl';

const line = (
  position: number,
  description: string,
  quantity: number,
  unitPriceOre: number,
  vat: InvoiceLine['vat'] = { category: 'S', percent: 25, exemptionReason: null },
): InvoiceLine => ({
  id: position,
  position,
  articleCode: position === 1 ? 'full_day' : 'coffee',
  description,
  quantity,
  unitCode: 'C62',
  unitPriceOre,
  lineTotalOre: quantity * unitPriceOre,
  vat,
  creditsLineId: null,
});

function issued(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 1,
    kind: 'invoice',
    status: 'issued',
    number: 17,
    organisationId: 2,
    organisationName: 'Västerås stad',
    trainingOrderId: 3,
    creditedInvoiceId: null,
    creditedInvoiceNumber: null,
    creditedInvoiceIssueDate: null,
    reason: 'delivery',
    buyerReference: 'VÄS-OMS-4471',
    costCentre: '61020',
    orderLabel: 'Beställning 3: Förflyttning i praktiken, 15 mars 2027',
    deliveryDate: '2027-03-15',
    note: null,
    currency: 'SEK',
    issueDate: '2027-03-16',
    dueDate: '2027-04-15',
    seller: {
      organisationId: 1,
      name: 'Region Västmanland',
      orgNumber: '2321990000',
      vatNumber: 'SE232199000001',
      streetName: 'Exempelvägen 1',
      additionalStreetName: null,
      postalZone: '721 89',
      cityName: 'Västerås',
      countryCode: 'SE',
      peppolScheme: '0007',
      peppolId: '2321990000',
      invoiceEmail: 'faktura@region.test',
      contactName: 'Lena Ström',
      contactPhone: '021-17 30 00',
      unitName: 'Hjälpmedelscentrum',
      bankgiro: '50501055',
      fSkatt: true,
    },
    buyer: {
      organisationId: 2,
      name: 'Västerås stad',
      orgNumber: '2120990102',
      vatNumber: 'SE212099010201',
      streetName: 'Exempelgatan 1',
      additionalStreetName: null,
      postalZone: '721 87',
      cityName: 'Västerås',
      countryCode: 'SE',
      peppolScheme: '0007',
      peppolId: '2120990102',
      invoiceEmail: 'jonas@vasteras.test',
      contactName: 'Jonas Ek',
      contactPhone: null,
    },
    lineTotalOre: 554000,
    vatTotalOre: 138500,
    payableOre: 692500,
    createdAt: new Date(),
    issuedAt: new Date(),
    lines: [
      line(1, 'Utbildning, heldag: Förflyttning i praktiken, 15 mars 2027', 1, 500000),
      line(2, 'Fika per deltagare', 12, 4500),
    ],
    ...overrides,
  };
}

const texts = { paymentTerms: 'Betalning inom 30 dagar.', note: null };
const xml = (inv = issued()) => ublDocument(inv, texts);
const ids = (doc: string) => checkUbl(doc).map((v) => v.id);
const select = xpath.useNamespaces({ cbc: NS.cbc, cac: NS.cac, inv: NS.invoice, cn: NS.creditNote });
const value = (doc: string, path: string) => {
  const node = (
    select(path, new DOMParser().parseFromString(doc, 'text/xml') as unknown as Node) as Node[]
  )[0];
  return (node as Node | undefined)?.textContent ?? null;
};

describe('the Peppol UBL invoice', () => {
  it('passes every encoded rule', () => {
    expect(checkUbl(xml())).toEqual([]);
  });

  it('carries the identifiers, the buyer reference and the Swedish seller details', () => {
    const doc = xml();
    expect(value(doc, '/inv:Invoice/cbc:CustomizationID')).toBe(CUSTOMIZATION_ID);
    expect(value(doc, '/inv:Invoice/cbc:ProfileID')).toBe(PROFILE_ID);
    expect(value(doc, '/inv:Invoice/cbc:ID')).toBe('17');
    expect(value(doc, '/inv:Invoice/cbc:InvoiceTypeCode')).toBe('380');
    expect(value(doc, '/inv:Invoice/cbc:BuyerReference')).toBe('VÄS-OMS-4471');
    expect(value(doc, '/inv:Invoice/cbc:AccountingCost')).toBe('61020');
    expect(value(doc, '//cac:AccountingSupplierParty/cac:Party/cbc:EndpointID[@schemeID="0007"]')).toBe(
      '2321990000',
    );
    expect(
      value(doc, '//cac:AccountingSupplierParty//cac:PartyLegalEntity/cbc:CompanyID[@schemeID="0007"]'),
    ).toBe('2321990000');
    expect(
      value(
        doc,
        '//cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID',
      ),
    ).toBe('SE232199000001');
    expect(
      value(
        doc,
        '//cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="TAX"]/cbc:CompanyID',
      ),
    ).toBe('Godkänd för F-skatt');
    expect(value(doc, '//cac:PaymentMeans/cbc:PaymentMeansCode')).toBe('30');
    expect(value(doc, '//cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID')).toBe(
      'SE:BANKGIRO',
    );
  });

  it('adds up: lines, VAT breakdown and totals to the öre', () => {
    const doc = xml();
    expect(value(doc, '//cac:LegalMonetaryTotal/cbc:LineExtensionAmount')).toBe('5540.00');
    expect(value(doc, '//cac:TaxTotal/cbc:TaxAmount')).toBe('1385.00');
    expect(value(doc, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('6925.00');
    expect(value(doc, '//cac:InvoiceLine[cbc:ID="2"]/cbc:InvoicedQuantity')).toBe('12');
    expect(value(doc, '//cac:InvoiceLine[cbc:ID="2"]/cac:Price/cbc:PriceAmount')).toBe('45.00');
  });

  it('states the exemption reason of an exempt article in its own VAT breakdown (BR-E-*)', () => {
    const reason = 'Undantag enligt 10 kap. 15 § mervärdesskattelagen';
    const doc = xml(
      issued({
        lines: [
          line(1, 'Utbildning, heldag', 1, 500000, { category: 'E', percent: 0, exemptionReason: reason }),
          line(2, 'Fika', 12, 4500),
        ],
      }),
    );
    expect(checkUbl(doc)).toEqual([]);
    expect(
      value(doc, '//cac:TaxSubtotal[cac:TaxCategory/cbc:ID="E"]/cac:TaxCategory/cbc:TaxExemptionReason'),
    ).toBe(reason);
    expect(value(doc, '//cac:TaxTotal/cbc:TaxAmount')).toBe('135.00');
  });

  it('makes a credit note that refers to the credited invoice and passes the rules', () => {
    const doc = ublDocument(
      issued({
        kind: 'credit_note',
        number: 18,
        reason: 'correction',
        creditedInvoiceId: 1,
        creditedInvoiceNumber: 17,
        creditedInvoiceIssueDate: '2027-03-16',
        note: 'Fel antal',
      }),
      { paymentTerms: 'Krediteras.', note: 'Krediterar faktura 17.' },
    );
    expect(checkUbl(doc)).toEqual([]);
    expect(value(doc, '/cn:CreditNote/cbc:CreditNoteTypeCode')).toBe('381');
    expect(value(doc, '/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID')).toBe('17');
    expect(value(doc, '//cac:CreditNoteLine[cbc:ID="2"]/cbc:CreditedQuantity')).toBe('12');
  });

  it('refuses to build a draft', () => {
    expect(() => ublDocument(issued({ status: 'draft', number: null }), texts)).toThrow();
  });
});

describe('the encoded rules catch broken documents', () => {
  const good = xml();
  const broken: [string, string, (doc: string) => string][] = [
    [
      'PEPPOL-EN16931-R003',
      'no buyer reference',
      (d) => d.replace(/<cbc:BuyerReference>.*<\/cbc:BuyerReference>/, ''),
    ],
    [
      'PEPPOL-EN16931-R004',
      'a wrong specification identifier',
      (d) => d.replace(CUSTOMIZATION_ID, 'urn:cen.eu:en16931:2017'),
    ],
    [
      'PEPPOL-EN16931-R007',
      'a malformed business process',
      (d) => d.replace(PROFILE_ID, 'urn:fdc:peppol.eu:2017:poacc:billing:1.0'),
    ],
    [
      'PEPPOL-EN16931-R008',
      'an empty element',
      (d) =>
        d.replace(
          '<cbc:AccountingCost>61020</cbc:AccountingCost>',
          '<cbc:AccountingCost></cbc:AccountingCost>',
        ),
    ],
    [
      'PEPPOL-EN16931-R020',
      'no seller endpoint',
      (d) => d.replace('<cbc:EndpointID schemeID="0007">2321990000</cbc:EndpointID>', ''),
    ],
    [
      'PEPPOL-EN16931-R051',
      'another currency on an amount',
      (d) => d.replace('<cbc:PayableAmount currencyID="SEK">', '<cbc:PayableAmount currencyID="EUR">'),
    ],
    [
      'PEPPOL-COMMON-R049',
      'an organisation number with a wrong check digit',
      (d) => d.replace(/>2120990102</g, '>2120990103<'),
    ],
    [
      'SE-R-013',
      "a seller's organisation number with a wrong check digit",
      (d) =>
        d.replace(
          '<cbc:CompanyID schemeID="0007">2321990000</cbc:CompanyID>',
          '<cbc:CompanyID schemeID="0007">2321990001</cbc:CompanyID>',
        ),
    ],
    [
      'SE-R-004',
      'a nine-digit organisation number',
      (d) =>
        d.replace(
          '<cbc:CompanyID schemeID="0007">2321990000</cbc:CompanyID>',
          '<cbc:CompanyID schemeID="0007">232199000</cbc:CompanyID>',
        ),
    ],
    ['SE-R-001', 'a 13-character VAT number', (d) => d.replace('SE232199000001', 'SE23219900001')],
    ['SE-R-002', 'letters in the VAT number', (d) => d.replace('SE232199000001', 'SE2321990000AB')],
    [
      'SE-R-005',
      'an F-skatt statement in other words',
      (d) => d.replace('Godkänd för F-skatt', 'F-skatt finns'),
    ],
    [
      'SE-R-006',
      'a VAT rate Sweden does not have',
      (d) => d.replace(/<cbc:Percent>25<\/cbc:Percent>/g, '<cbc:Percent>20</cbc:Percent>'),
    ],
    [
      'SE-R-009',
      'a six-digit Bankgiro number',
      (d) => d.replace('<cbc:ID>50501055</cbc:ID>', '<cbc:ID>505010</cbc:ID>'),
    ],
    [
      'SE-R-011',
      'Bankgiro as payment means 50',
      (d) =>
        d.replace(
          '<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>',
          '<cbc:PaymentMeansCode>50</cbc:PaymentMeansCode>',
        ),
    ],
    [
      'BR-CO-10',
      'a line sum that does not add up',
      (d) =>
        d.replace(
          '<cbc:LineExtensionAmount currencyID="SEK">5540.00</cbc:LineExtensionAmount>',
          '<cbc:LineExtensionAmount currencyID="SEK">5550.00</cbc:LineExtensionAmount>',
        ),
    ],
    [
      'BR-CO-15',
      'a total with VAT that does not add up',
      (d) =>
        d.replace(
          '<cbc:TaxInclusiveAmount currencyID="SEK">6925.00',
          '<cbc:TaxInclusiveAmount currencyID="SEK">6924.00',
        ),
    ],
    [
      'BR-CO-17',
      'VAT that is not taxable × rate',
      (d) =>
        d.replace(
          /<cbc:TaxAmount currencyID="SEK">1385.00<\/cbc:TaxAmount>/g,
          '<cbc:TaxAmount currencyID="SEK">1380.00</cbc:TaxAmount>',
        ),
    ],
    [
      'BR-CO-25',
      'an amount due without due date or terms',
      (d) =>
        d
          .replace(/<cbc:DueDate>.*<\/cbc:DueDate>/, '')
          .replace(/<cac:PaymentTerms>[\s\S]*?<\/cac:PaymentTerms>/, ''),
    ],
    [
      'BR-DEC',
      'three decimals',
      (d) =>
        d.replace(
          '<cbc:PayableAmount currencyID="SEK">6925.00',
          '<cbc:PayableAmount currencyID="SEK">6925.000',
        ),
    ],
    [
      'PEPPOL-EN16931-R120',
      'a line amount that is not quantity × price',
      (d) =>
        d.replace(
          '<cbc:PriceAmount currencyID="SEK">45.00</cbc:PriceAmount>',
          '<cbc:PriceAmount currencyID="SEK">44.00</cbc:PriceAmount>',
        ),
    ],
    [
      'UBL-XSD',
      'elements in the wrong order',
      (d) => d.replace(/(<cbc:IssueDate>.*<\/cbc:IssueDate>)(\s*)(<cbc:DueDate>.*<\/cbc:DueDate>)/, '$3$2$1'),
    ],
    ['BR-16', 'no lines', (d) => d.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, '')],
    [
      'PEPPOL-EN16931-F001',
      'a due date that does not exist (2026-02-30)',
      (d) => d.replace('<cbc:DueDate>2027-04-15</cbc:DueDate>', '<cbc:DueDate>2026-02-30</cbc:DueDate>'),
    ],
    [
      'PEPPOL-EN16931-F001',
      'a delivery date in month 13',
      (d) =>
        d.replace(
          '<cbc:ActualDeliveryDate>2027-03-15</cbc:ActualDeliveryDate>',
          '<cbc:ActualDeliveryDate>2027-13-01</cbc:ActualDeliveryDate>',
        ),
    ],
    [
      'BR-03',
      'an issue date that does not exist (2027-02-29)',
      (d) =>
        d.replace('<cbc:IssueDate>2027-03-16</cbc:IssueDate>', '<cbc:IssueDate>2027-02-29</cbc:IssueDate>'),
    ],
  ];

  it.each(broken)('%s: %s', (rule, _what, breakIt) => {
    const doc = breakIt(good);
    expect(doc).not.toBe(good);
    expect(ids(doc)).toContain(rule);
  });

  it('BR-E-10: an exempt breakdown without a reason', () => {
    const doc = xml(
      issued({
        lines: [line(1, 'Utbildning', 1, 500000, { category: 'E', percent: 0, exemptionReason: 'Skäl' })],
      }),
    ).replace(/<cbc:TaxExemptionReason>.*<\/cbc:TaxExemptionReason>/, '');
    expect(ids(doc)).toContain('BR-E-10');
  });

  it('reports XML that is not well-formed', () => {
    expect(ids('<Invoice><cbc:ID>')).toEqual(['XML']);
  });
});
