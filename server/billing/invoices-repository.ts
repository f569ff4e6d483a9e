/** Invoices and credit notes with their lines, and the gap-free number series. */
import type { Knex } from 'knex';
import type {
  ArticleCode,
  BillingParty,
  Invoice,
  InvoiceKind,
  InvoiceLine,
  InvoiceReason,
  PricedLine,
  SellerParty,
  VatTreatment,
} from './types';

type Db = Knex | Knex.Transaction;

/** A row of `invoices` joined with its organisation's name and the credited invoice's number and date. */
type InvoiceRow = Record<string, unknown> & { id: number };
type LineRow = Record<string, unknown> & { invoice_id: number };

const toLine = (r: Record<string, unknown>): InvoiceLine => ({
  id: r.id as number,
  position: r.position as number,
  articleCode: (r.article_code as ArticleCode | null) ?? null,
  description: r.description as string,
  quantity: r.quantity as number,
  unitCode: r.unit_code as string,
  unitPriceOre: r.unit_price_ore as number,
  lineTotalOre: r.line_total_ore as number,
  vat: {
    category: r.vat_category as VatTreatment['category'],
    percent: r.vat_percent as number,
    exemptionReason: (r.vat_exemption_reason as string | null) ?? null,
  },
  creditsLineId: (r.credits_line_id as number | null) ?? null,
});

const toInvoice = (r: Record<string, unknown>, lines: InvoiceLine[]): Invoice => ({
  id: r.id as number,
  kind: r.kind as InvoiceKind,
  status: r.status as Invoice['status'],
  number: (r.number as number | null) ?? null,
  organisationId: r.organisation_id as number,
  organisationName: r.organisation_name as string,
  trainingOrderId: (r.training_order_id as number | null) ?? null,
  creditedInvoiceId: (r.credited_invoice_id as number | null) ?? null,
  creditedInvoiceNumber: (r.credited_number as number | null) ?? null,
  creditedInvoiceIssueDate: (r.credited_issue_date as string | null) ?? null,
  reason: r.reason as InvoiceReason,
  buyerReference: r.buyer_reference as string,
  costCentre: (r.cost_centre as string | null) ?? null,
  orderLabel: r.order_label as string,
  deliveryDate: (r.delivery_date as string | null) ?? null,
  note: (r.note as string | null) ?? null,
  currency: r.currency as string,
  issueDate: (r.issue_date as string | null) ?? null,
  dueDate: (r.due_date as string | null) ?? null,
  seller: (r.seller as SellerParty | null) ?? null,
  buyer: (r.buyer as BillingParty | null) ?? null,
  lineTotalOre: (r.line_total_ore as number | null) ?? null,
  vatTotalOre: (r.vat_total_ore as number | null) ?? null,
  payableOre: (r.payable_ore as number | null) ?? null,
  createdAt: r.created_at as Date,
  issuedAt: (r.issued_at as Date | null) ?? null,
  lines,
});

/** A new draft: the invoice's own fields (the rest is computed, numbered or joined in) and its priced lines. */
export type DraftInput = Pick<
  Invoice,
  | 'kind'
  | 'organisationId'
  | 'trainingOrderId'
  | 'creditedInvoiceId'
  | 'reason'
  | 'buyerReference'
  | 'costCentre'
  | 'orderLabel'
  | 'deliveryDate'
  | 'note'
> & { createdBy: number | null; lines: (PricedLine & { creditsLineId?: number | null })[] };

export interface InvoiceFilter {
  organisationIds?: number[];
  status?: Invoice['status'];
  issuedFrom?: string;
  issuedTo?: string;
}

export function invoicesRepository(db: Knex) {
  const base = (trx: Db = db) =>
    trx('invoices as i')
      .join('organisations as o', 'o.id', 'i.organisation_id')
      .leftJoin('invoices as c', 'c.id', 'i.credited_invoice_id')
      .select<InvoiceRow[]>(
        'i.*',
        'o.name as organisation_name',
        'c.number as credited_number',
        'c.issue_date as credited_issue_date',
      );

  async function withLines(rows: InvoiceRow[], trx: Db): Promise<Invoice[]> {
    if (!rows.length) return [];
    const lines = await trx('invoice_lines')
      .whereIn(
        'invoice_id',
        rows.map((r) => r.id),
      )
      .orderBy(['invoice_id', 'position'])
      .select<LineRow[]>('*');
    return rows.map((r) => toInvoice(r, lines.filter((l) => l.invoice_id === r.id).map(toLine)));
  }

  return {
    /** Creates a draft with its lines; returns its id, or null when the order already has an open draft. */
    async createDraft(trx: Knex.Transaction, d: DraftInput): Promise<number | null> {
      const inserted = await trx.raw<{ rows: { id: number }[] }>(
        `insert into invoices (kind, organisation_id, training_order_id, credited_invoice_id, reason, buyer_reference, cost_centre, order_label, delivery_date, note, created_by)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
        [
          d.kind,
          d.organisationId,
          d.trainingOrderId,
          d.creditedInvoiceId,
          d.reason,
          d.buyerReference,
          d.costCentre,
          d.orderLabel,
          d.deliveryDate,
          d.note,
          d.createdBy,
        ],
      );
      if (!inserted.rows.length) return null;
      const id = inserted.rows[0].id;
      await trx('invoice_lines').insert(
        d.lines.map((l, i) => ({
          invoice_id: id,
          position: i + 1,
          article_code: l.articleCode,
          description: l.description,
          quantity: l.quantity,
          unit_code: l.unitCode,
          unit_price_ore: l.unitPriceOre,
          line_total_ore: l.lineTotalOre,
          vat_category: l.vat.category,
          vat_percent: l.vat.percent,
          vat_exemption_reason: l.vat.category === 'E' ? l.vat.exemptionReason : null,
          credits_line_id: l.creditsLineId ?? null,
        })),
      );
      return id;
    },

    async find(id: number, trx: Db = db, lock = false): Promise<Invoice | null> {
      if (lock) await trx('invoices').where({ id }).forUpdate().first('id');
      const row = await base(trx).where('i.id', id).first<InvoiceRow | undefined>();
      return row ? (await withLines([row], trx))[0] : null;
    },

    async list(filter: InvoiceFilter = {}, trx: Db = db): Promise<Invoice[]> {
      const q = base(trx)
        .orderBy([
          { column: 'i.number', order: 'desc', nulls: 'first' },
          { column: 'i.id', order: 'desc' },
        ])
        .limit(1000);
      if (filter.organisationIds) void q.whereIn('i.organisation_id', filter.organisationIds);
      if (filter.status) void q.where('i.status', filter.status);
      if (filter.issuedFrom) void q.where('i.issue_date', '>=', filter.issuedFrom);
      if (filter.issuedTo) void q.where('i.issue_date', '<=', filter.issuedTo);
      return withLines(await q, trx);
    },

    async forOrder(orderId: number, trx: Db = db): Promise<Invoice[]> {
      return withLines(await base(trx).where('i.training_order_id', orderId).orderBy('i.id'), trx);
    },

    /** Credit notes that credit an invoice. */
    async creditsOf(invoiceId: number, trx: Db = db): Promise<Invoice[]> {
      return withLines(await base(trx).where('i.credited_invoice_id', invoiceId).orderBy('i.id'), trx);
    },

    /** Lines of an invoice that no credit note (issued or draft) credits yet. */
    async uncreditedLineIds(invoiceId: number, trx: Db = db): Promise<number[]> {
      const rows = await trx('invoice_lines as l')
        .leftJoin('invoice_lines as c', 'c.credits_line_id', 'l.id')
        .where('l.invoice_id', invoiceId)
        .whereNull('c.id')
        .orderBy('l.position')
        .select<{ id: number }[]>('l.id');
      return rows.map((r) => r.id);
    },

    /**
     * Takes the next number of the series. Called inside the issuing transaction: the row lock queues
     * concurrent issuers, and a rollback returns the number, so the series has no gaps.
     */
    async takeNumber(trx: Knex.Transaction): Promise<number> {
      const [row] = await trx('invoice_number_series')
        .where({ id: 'main' })
        .increment('next_number', 1)
        .returning<{ next_number: number }[]>('next_number');
      return row.next_number - 1;
    },

    async markIssued(
      trx: Knex.Transaction,
      id: number,
      f: {
        number: number;
        issueDate: string;
        dueDate: string;
        seller: SellerParty;
        buyer: BillingParty;
        lineTotalOre: number;
        vatTotalOre: number;
        payableOre: number;
        issuedBy: number;
      },
    ): Promise<void> {
      await trx('invoices')
        .where({ id, status: 'draft' })
        .update({
          status: 'issued',
          number: f.number,
          issue_date: f.issueDate,
          due_date: f.dueDate,
          seller: JSON.stringify(f.seller),
          buyer: JSON.stringify(f.buyer),
          line_total_ore: f.lineTotalOre,
          vat_total_ore: f.vatTotalOre,
          payable_ore: f.payableOre,
          issued_by: f.issuedBy,
          issued_at: trx.fn.now(),
        });
    },

    /** The kind and status of an order's invoices, locked until `trx` ends. */
    async lockForOrder(trx: Knex.Transaction, orderId: number): Promise<Pick<Invoice, 'kind' | 'status'>[]> {
      return trx('invoices')
        .where({ training_order_id: orderId })
        .forUpdate()
        .select<Pick<Invoice, 'kind' | 'status'>[]>('kind', 'status');
    },

    async deleteDraft(id: number): Promise<boolean> {
      return (await db('invoices').where({ id, status: 'draft' }).delete()) > 0;
    },
  };
}

export type InvoicesRepository = ReturnType<typeof invoicesRepository>;
