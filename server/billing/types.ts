/** Money, VAT, parties and invoices as the billing feature sees them. Amounts are integer öre. */

export type VatCategory = 'S' | 'E';

/** How an article is taxed: standard rate (S) at a Swedish rate, or exempt (E) with the reason to state. */
export interface VatTreatment {
  category: VatCategory;
  percent: number;
  exemptionReason: string | null;
}

export const SWEDISH_VAT_RATES = [25, 12, 6] as const;

export const ARTICLE_CODES = [
  'half_day',
  'full_day',
  'venue',
  'coffee',
  'travel',
  'late_cancellation',
] as const;
export type ArticleCode = (typeof ARTICLE_CODES)[number];

export interface PriceArticle {
  code: ArticleCode;
  name: { sv: string; en: string };
  kind: 'training' | 'extra' | 'fee';
  unit: 'occasion' | 'participant';
}

export interface PriceEntry {
  id: number;
  articleCode: ArticleCode;
  /** First and last day (YYYY-MM-DD, inclusive) the price applies; an open end has no last day. */
  validFrom: string;
  validUntil: string | null;
  unitPriceOre: number;
  vat: VatTreatment;
}

/** A line of an invoice, credit note or price estimate. */
export interface PricedLine {
  articleCode: ArticleCode | null;
  description: string;
  quantity: number;
  /** UN/ECE Recommendation 20 unit code; C62 = one (an occasion, a participant). */
  unitCode: string;
  unitPriceOre: number;
  lineTotalOre: number;
  vat: VatTreatment;
}

export interface InvoiceLine extends PricedLine {
  id: number;
  position: number;
  creditsLineId: number | null;
}

/** A party on an invoice, as master data or as the snapshot an issued invoice keeps. */
export interface BillingParty {
  organisationId: number;
  name: string;
  orgNumber: string | null;
  vatNumber: string | null;
  streetName: string | null;
  additionalStreetName: string | null;
  postalZone: string | null;
  cityName: string | null;
  countryCode: string;
  peppolScheme: string;
  peppolId: string | null;
  invoiceEmail: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

export interface SellerParty extends BillingParty {
  unitName: string;
  bankgiro: string | null;
  fSkatt: boolean;
}

export interface BillingSettings {
  sellerOrganisationId: number | null;
  sellerUnitName: string;
  bankgiro: string | null;
  fSkatt: boolean;
  paymentTermsDays: number;
  freeCancellationDays: number;
}

export type InvoiceKind = 'invoice' | 'credit_note';
export type InvoiceStatus = 'draft' | 'issued';
export type InvoiceReason = 'delivery' | 'late_cancellation' | 'correction';

export interface Invoice {
  id: number;
  kind: InvoiceKind;
  status: InvoiceStatus;
  number: number | null;
  organisationId: number;
  organisationName: string;
  trainingOrderId: number | null;
  creditedInvoiceId: number | null;
  creditedInvoiceNumber: number | null;
  creditedInvoiceIssueDate: string | null;
  reason: InvoiceReason;
  buyerReference: string;
  costCentre: string | null;
  orderLabel: string;
  deliveryDate: string | null;
  note: string | null;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  seller: SellerParty | null;
  buyer: BillingParty | null;
  lineTotalOre: number | null;
  vatTotalOre: number | null;
  payableOre: number | null;
  createdAt: Date;
  issuedAt: Date | null;
  lines: InvoiceLine[];
}

/** One row of the VAT breakdown (BG-23): all lines of one category and rate. */
export interface VatBreakdownRow {
  category: VatCategory;
  percent: number;
  exemptionReason: string | null;
  taxableOre: number;
  taxOre: number;
}

export interface InvoiceTotals {
  lineTotalOre: number;
  vatTotalOre: number;
  payableOre: number;
  breakdown: VatBreakdownRow[];
}

/**
 * What billing needs of a booked training to draft its invoice. Bookings hands it over (a TrainingOrder
 * plus the number on its list); billing never reads the bookings tables itself.
 */
export interface InvoiceableOrder {
  id: number;
  organisationId: number;
  offeringTitle: string;
  startsAt: Date | null;
  length: 'half_day' | 'full_day';
  place: 'hmc' | 'workplace' | 'digital';
  withVenue: boolean;
  withCoffee: boolean;
  buyerReference: string;
  costCentre: string | null;
  expectedParticipants: number;
  /** How many are on the list when the invoice is drafted (coffee is per participant); 0 bills the expected number. */
  participants: number;
}

/** The orderer's contact on an order: the buyer contact of its invoice, read by billing when it issues. */
export interface OrderContact {
  name: string;
  email: string;
  phone: string | null;
}
