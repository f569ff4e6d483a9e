/**
 * Billing commands: price an order from the price list, draft its invoice, issue drafts with the next
 * number of the gap-free series, credit issued invoices, and render them as PDF, Peppol UBL and CSV.
 */
import type { i18n } from 'i18next';
import { addDays, swedishDate } from '../bookings/dates';
import type { InTransaction, Transaction } from '../db/transaction';
import { HttpError, conflict, notFound } from '../http/errors';
import { formatDate } from '../i18n/i18n';
import { invoiceCsv } from './invoice-csv';
import { invoicePdf } from './invoice-pdf';
import type { InvoicesRepository } from './invoices-repository';
import { invoiceTotals } from './money';
import type { PartiesRepository } from './parties-repository';
import type { PriceListRepository } from './price-list-repository';
import type {
  ArticleCode,
  BillingParty,
  BillingSettings,
  Invoice,
  InvoiceableOrder,
  OrderContact,
  PricedLine,
  SellerParty,
  VatTreatment,
} from './types';
import { checkUbl } from './ubl-rules';
import { ublDocument } from './ubl';

/** What an order is priced from: the offering's length, the place and extras, and how many come. */
export type PricingInput = Pick<
  InvoiceableOrder,
  'length' | 'place' | 'withVenue' | 'withCoffee' | 'offeringTitle' | 'participants'
>;

export function billingService(deps: {
  transaction: InTransaction;
  i18n: i18n;
  invoices: InvoicesRepository;
  priceList: PriceListRepository;
  parties: PartiesRepository;
  /** The contact of a training order (bookings' service answers it): the buyer contact when issuing. */
  orderContact: (orderId: number, trx: Transaction) => Promise<OrderContact | null>;
}) {
  const { transaction, invoices, priceList, parties } = deps;
  // Invoices are Swedish documents whatever language the administrator reads the app in.
  const sv = deps.i18n.getFixedT('sv');

  /** The articles an order consists of, with quantities. */
  function articlesFor(input: PricingInput): { code: ArticleCode; quantity: number }[] {
    const result: { code: ArticleCode; quantity: number }[] = [{ code: input.length, quantity: 1 }];
    if (input.withVenue && input.place === 'hmc') result.push({ code: 'venue', quantity: 1 });
    if (input.withCoffee && input.place !== 'digital')
      result.push({ code: 'coffee', quantity: Math.max(1, input.participants) });
    if (input.place === 'workplace') result.push({ code: 'travel', quantity: 1 });
    return result;
  }

  /** Prices articles on a day; throws 409 naming the article when the price list has no price for it. */
  async function price(
    items: { code: ArticleCode; quantity: number; description?: string }[],
    date: string,
    trx?: Transaction,
  ): Promise<PricedLine[]> {
    const lines: PricedLine[] = [];
    for (const item of items) {
      const entry = await priceList.priceOn(item.code, date, trx);
      if (!entry)
        throw new HttpError(409, 'billing:errors.noPrice', {
          article: sv(`billing:articles.${item.code}`),
          date: formatDate(date, 'sv'),
        });
      lines.push({
        articleCode: item.code,
        description: item.description ?? sv(`billing:articles.${item.code}`),
        quantity: item.quantity,
        unitCode: 'C62',
        unitPriceOre: entry.unitPriceOre,
        lineTotalOre: entry.unitPriceOre * item.quantity,
        vat: entry.vat,
      });
    }
    return lines;
  }

  const orderLabel = (order: InvoiceableOrder) =>
    sv('billing:orderLabel', {
      id: order.id,
      title: order.offeringTitle,
      date: order.startsAt ? formatDate(order.startsAt, 'sv') : '',
    });

  /** What is missing from master data before a document can be issued (translation keys). */
  function missingMasterData(seller: SellerParty | null, buyer: BillingParty | null): string[] {
    const missing: string[] = [];
    if (!seller) return ['billing:missing.seller'];
    if (!seller.orgNumber) missing.push('billing:missing.sellerOrgNumber');
    if (!seller.vatNumber) missing.push('billing:missing.sellerVat');
    if (!seller.streetName || !seller.postalZone || !seller.cityName)
      missing.push('billing:missing.sellerAddress');
    if (!seller.bankgiro) missing.push('billing:missing.bankgiro');
    if (!buyer) return [...missing, 'billing:missing.buyer'];
    if (!buyer.orgNumber) missing.push('billing:missing.buyerOrgNumber');
    if (!buyer.streetName || !buyer.postalZone || !buyer.cityName)
      missing.push('billing:missing.buyerAddress');
    return missing;
  }

  function texts(invoice: Invoice, seller: SellerParty | null, paymentTermsDays: number) {
    return {
      paymentTerms:
        invoice.kind === 'credit_note'
          ? sv('billing:terms.credit')
          : sv('billing:terms.invoice', { days: paymentTermsDays, number: invoice.number ?? '' }),
      note:
        invoice.kind === 'credit_note'
          ? sv('billing:notes.credit', {
              number: invoice.creditedInvoiceNumber ?? '',
              reason: invoice.note ?? '',
            })
          : invoice.reason === 'late_cancellation'
            ? sv('billing:notes.lateCancellation')
            : null,
      fSkatt: seller?.fSkatt ?? false,
    };
  }

  async function termsDays(invoice: Invoice): Promise<number> {
    if (invoice.issueDate && invoice.dueDate) {
      const ms = Date.parse(`${invoice.dueDate}T00:00:00Z`) - Date.parse(`${invoice.issueDate}T00:00:00Z`);
      return Math.round(ms / 86_400_000);
    }
    return (await parties.settings()).paymentTermsDays;
  }

  return {
    articlesFor,
    price,
    missingMasterData,

    /**
     * What an orderer is told before ordering: today's price of the training and of each extra the offering
     * can have, and the late-cancellation fee (articles without a price today are left out).
     */
    async priceSheet(
      offering: { length: ArticleCode; places: string[] },
      date: string,
    ): Promise<{ code: ArticleCode; unitPriceOre: number; vat: VatTreatment }[]> {
      const codes: ArticleCode[] = [offering.length];
      if (offering.places.includes('hmc')) codes.push('venue');
      if (offering.places.some((p) => p !== 'digital')) codes.push('coffee');
      if (offering.places.includes('workplace')) codes.push('travel');
      codes.push('late_cancellation');
      const entries = await Promise.all(
        codes.map(async (code) => ({ code, entry: await priceList.priceOn(code, date) })),
      );
      return entries.flatMap(({ code, entry }) =>
        entry ? [{ code, unitPriceOre: entry.unitPriceOre, vat: entry.vat }] : [],
      );
    },

    /** The price estimate an orderer sees before sending: line by line, priced on the first preferred date. */
    async estimate(
      input: PricingInput,
      date: string,
    ): Promise<{ lines: PricedLine[]; totals: ReturnType<typeof invoiceTotals> }> {
      const lines = await price(articlesFor(input), date);
      return { lines, totals: invoiceTotals(lines) };
    },

    /** The billing settings (seller, payment terms, the free cancellation period). */
    settings: (trx?: Transaction): Promise<BillingSettings> => parties.settings(trx),

    /** An organisation's billing details (its name and organisation number included), or null. */
    party: (organisationId: number): Promise<BillingParty | null> => parties.find(organisationId),

    /** Every organisation with its billing details, by name. */
    parties: () => parties.list(),

    /** Saves the organisation number an orderer gave, unless the organisation already has one. */
    setOrgNumber: (trx: Transaction, organisationId: number, orgNumber: string): Promise<void> =>
      parties.setOrgNumber(trx, organisationId, orgNumber),

    /** The invoices and credit notes of a training order, drafts included. */
    invoicesForOrder: (orderId: number): Promise<Invoice[]> => invoices.forOrder(orderId),

    /**
     * Whether the order has an issued invoice; locks its invoices until `trx` ends, so an issue that runs at
     * the same time waits (attendance may be corrected only while nothing is issued).
     */
    async lockOrderInvoices(trx: Transaction, orderId: number): Promise<{ issued: boolean }> {
      const list = await invoices.lockForOrder(trx, orderId);
      return { issued: list.some((i) => i.kind === 'invoice' && i.status === 'issued') };
    },

    /**
     * Drafts the invoice of a delivered or late-cancelled order, in the caller's transaction. Returns the
     * draft's id, or null when the order already has an open draft or an issued invoice not credited in full.
     */
    async draftForOrder(
      trx: Transaction,
      order: InvoiceableOrder,
      reason: 'delivery' | 'late_cancellation',
      createdBy: number | null,
    ): Promise<number | null> {
      const existing = await invoices.forOrder(order.id, trx);
      for (const inv of existing.filter((i) => i.kind === 'invoice')) {
        if (inv.status === 'draft') return null;
        if ((await invoices.uncreditedLineIds(inv.id, trx)).length) return null;
      }
      const date = order.startsAt ? swedishDate(order.startsAt) : swedishDate(new Date());
      const items =
        reason === 'late_cancellation'
          ? [
              {
                code: 'late_cancellation' as const,
                quantity: 1,
                description: sv('billing:lines.lateCancellation', {
                  title: order.offeringTitle,
                  date: formatDate(date, 'sv'),
                }),
              },
            ]
          : articlesFor({ ...order, participants: order.participants || order.expectedParticipants }).map(
              (a) =>
                a.code === order.length
                  ? {
                      ...a,
                      description: sv('billing:lines.training', {
                        article: sv(`billing:articles.${a.code}`),
                        title: order.offeringTitle,
                        date: formatDate(date, 'sv'),
                      }),
                    }
                  : a,
            );
      const lines = await price(items, date, trx);
      return invoices.createDraft(trx, {
        kind: 'invoice',
        organisationId: order.organisationId,
        trainingOrderId: order.id,
        creditedInvoiceId: null,
        reason,
        buyerReference: order.buyerReference,
        costCentre: order.costCentre,
        orderLabel: orderLabel(order),
        deliveryDate: reason === 'delivery' ? date : null,
        note: null,
        createdBy,
        lines,
      });
    },

    /**
     * Issues a draft: fixes seller and buyer as they are now, checks the Peppol document against the
     * encoded rules, and takes the next number of the series. Any failure rolls everything back, the number
     * included. Issuing an issued document again changes nothing.
     */
    async issue(invoiceId: number, actorId: number, now = new Date()): Promise<Invoice> {
      await transaction(async (trx) => {
        const draft = await invoices.find(invoiceId, trx, true);
        if (!draft) throw notFound('billing:errors.invoiceNotFound');
        if (draft.status === 'issued') return;
        const settings = await parties.settings(trx);
        const seller = await parties.seller(trx);
        const master = await parties.find(draft.organisationId, trx);
        const missing = missingMasterData(seller, master);
        if (missing.length || !seller || !master)
          throw new HttpError(409, 'billing:errors.masterData', {
            missing: missing.map((k) => sv(k)).join(', '),
          });
        const contact = draft.trainingOrderId ? await deps.orderContact(draft.trainingOrderId, trx) : null;
        const buyer: BillingParty = {
          ...master,
          peppolId: master.peppolId ?? master.orgNumber,
          peppolScheme: master.peppolId ? master.peppolScheme : '0007',
          contactName: contact?.name ?? master.contactName,
          contactPhone: contact?.phone ?? master.contactPhone,
          invoiceEmail: contact?.email ?? master.invoiceEmail,
        };
        const sellerSnapshot: SellerParty = {
          ...seller,
          peppolId: seller.peppolId ?? seller.orgNumber,
          peppolScheme: seller.peppolId ? seller.peppolScheme : '0007',
        };
        const totals = invoiceTotals(draft.lines);
        const issueDate = swedishDate(now);
        const dueDate = addDays(issueDate, settings.paymentTermsDays);
        // The document is checked before a number is taken, so the series' row lock is held only for the
        // last update and the commit; the number changes nothing the rules look at but the ID itself.
        const provisional: Invoice = {
          ...draft,
          status: 'issued',
          number: 0,
          issueDate,
          dueDate,
          seller: sellerSnapshot,
          buyer,
          ...totals,
          issuedAt: now,
        };
        const violations = checkUbl(
          ublDocument(provisional, texts(provisional, sellerSnapshot, settings.paymentTermsDays)),
        );
        if (violations.length)
          throw new HttpError(409, 'billing:errors.ublRules', {
            rules: violations.map((v) => `${v.id}: ${v.message}`).join('; '),
          });
        const number = await invoices.takeNumber(trx);
        await invoices.markIssued(trx, draft.id, {
          number,
          issueDate,
          dueDate,
          seller: sellerSnapshot,
          buyer,
          lineTotalOre: totals.lineTotalOre,
          vatTotalOre: totals.vatTotalOre,
          payableOre: totals.payableOre,
          issuedBy: actorId,
        });
      });
      const issued = await invoices.find(invoiceId);
      if (!issued) throw notFound('billing:errors.invoiceNotFound');
      return issued;
    },

    /** Drafts a credit note for some lines of an issued invoice (all lines not credited yet when none are named). */
    async draftCreditNote(
      invoiceId: number,
      lineIds: number[],
      reason: string,
      actorId: number,
    ): Promise<number> {
      return transaction(async (trx) => {
        const invoice = await invoices.find(invoiceId, trx, true);
        if (!invoice || invoice.kind !== 'invoice') throw notFound('billing:errors.invoiceNotFound');
        if (invoice.status !== 'issued') throw conflict('billing:errors.creditOnlyIssued');
        const open = new Set(await invoices.uncreditedLineIds(invoice.id, trx));
        const chosen = lineIds.length ? lineIds : [...open];
        if (!chosen.length || chosen.some((id) => !open.has(id)))
          throw conflict('billing:errors.alreadyCredited');
        const lines = invoice.lines
          .filter((l) => chosen.includes(l.id))
          .map((l) => ({ ...l, creditsLineId: l.id }));
        const id = await invoices.createDraft(trx, {
          kind: 'credit_note',
          organisationId: invoice.organisationId,
          trainingOrderId: invoice.trainingOrderId,
          creditedInvoiceId: invoice.id,
          reason: 'correction',
          buyerReference: invoice.buyerReference,
          costCentre: invoice.costCentre,
          orderLabel: invoice.orderLabel,
          deliveryDate: invoice.deliveryDate,
          note: reason,
          createdBy: actorId,
          lines,
        });
        if (id === null) throw conflict('billing:errors.creditDraftExists');
        return id;
      });
    },

    async ubl(invoice: Invoice): Promise<string> {
      return ublDocument(invoice, texts(invoice, invoice.seller, await termsDays(invoice)));
    },

    async pdf(invoice: Invoice): Promise<Buffer> {
      const t = texts(invoice, invoice.seller, await termsDays(invoice));
      return invoicePdf(invoice, { t: sv, paymentTerms: t.paymentTerms, note: t.note });
    },

    /** The invoice basis of issued documents in a period (issue dates, inclusive) for the finance system. */
    async csv(from: string, to: string): Promise<string> {
      return invoiceCsv(await invoices.list({ status: 'issued', issuedFrom: from, issuedTo: to }), sv);
    },
  };
}

export type BillingService = ReturnType<typeof billingService>;
