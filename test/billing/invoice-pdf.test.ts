import path from 'node:path';
import { invoicePdf } from '../../server/billing/invoice-pdf';
import type { Invoice, InvoiceLine } from '../../server/billing/types';
import { createI18n } from '../../server/i18n/i18n';
import { pdfText, structureCount } from '../support/pdf-text';

const t = createI18n(path.join(__dirname, '..', '..', 'locales')).getFixedT('sv');

const line = (
  position: number,
  description: string,
  quantity: number,
  unitPriceOre: number,
): InvoiceLine => ({
  id: position,
  position,
  articleCode: position === 1 ? 'full_day' : 'coffee',
  description,
  quantity,
  unitCode: 'C62',
  unitPriceOre,
  lineTotalOre: quantity * unitPriceOre,
  vat: { category: 'S', percent: 25, exemptionReason: null },
  creditsLineId: null,
});

const party = {
  orgNumber: '2120990102',
  vatNumber: null,
  additionalStreetName: null,
  countryCode: 'SE',
  peppolScheme: '0007',
  peppolId: null,
  invoiceEmail: null,
  contactPhone: null,
};

const invoice: Invoice = {
  id: 1,
  kind: 'invoice',
  status: 'issued',
  number: 17,
  organisationId: 2,
  organisationName: 'Köping kommun',
  trainingOrderId: 3,
  creditedInvoiceId: null,
  creditedInvoiceNumber: null,
  creditedInvoiceIssueDate: null,
  reason: 'delivery',
  buyerReference: 'Zoë Łukasz',
  costCentre: null,
  orderLabel: 'Beställning 3: Förflyttning',
  deliveryDate: '2027-03-15',
  note: null,
  currency: 'SEK',
  issueDate: '2027-03-16',
  dueDate: '2027-04-15',
  seller: {
    ...party,
    organisationId: 1,
    name: 'Region Västmanland',
    orgNumber: '2321990000',
    streetName: 'Exempelvägen 1',
    postalZone: '721 89',
    cityName: 'Västerås',
    contactName: 'Åsa Öberg',
    unitName: 'Hjälpmedelscentrum',
    bankgiro: '50501055',
    fSkatt: true,
  },
  buyer: {
    ...party,
    organisationId: 2,
    name: 'Köping kommun',
    streetName: 'Ćirilska gatan 4',
    postalZone: '731 85',
    cityName: 'Köping',
    contactName: 'Goran Petrović',
  },
  lineTotalOre: 554000,
  vatTotalOre: 138500,
  payableOre: 692500,
  createdAt: new Date(),
  issuedAt: new Date(),
  lines: [line(1, 'Dženana Hadžić', 1, 500000), line(2, 'Fika per deltagare', 12, 4500)],
};

describe('invoicePdf', () => {
  it('prints names outside Latin-1 as written', async () => {
    const text = await pdfText(
      await invoicePdf(invoice, { t, paymentTerms: 'Betalning inom 30 dagar.', note: 'Tack, Şükrü Çelik!' }),
    );
    for (const name of [
      'Goran Petrović',
      'Åsa Öberg',
      'Zoë Łukasz',
      'Dženana Hadžić',
      'Ćirilska gatan 4',
      'Şükrü Çelik',
    ])
      expect(text).toContain(name);
  });

  it('tags the lines as a table: a header row of TH and one row of TD per line', async () => {
    const pdf = await invoicePdf(invoice, { t, paymentTerms: 'Betalning inom 30 dagar.', note: null });
    expect(structureCount(pdf, 'Table')).toBe(1);
    expect(structureCount(pdf, 'TR')).toBe(3);
    expect(structureCount(pdf, 'TH')).toBe(5);
    expect(structureCount(pdf, 'TD')).toBe(10);
    expect(pdf.toString('latin1')).toMatch(/\/O \/Table\s+\/Scope \/Column/);
  });
});
