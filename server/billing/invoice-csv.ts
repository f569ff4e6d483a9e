/**
 * The invoice basis for the region's finance system: one row per line of every issued invoice and credit
 * note, semicolon-separated with decimal commas (what Swedish spreadsheet and finance imports expect),
 * UTF-8 with BOM. Credit notes are negative. Per-line VAT is allocated so each document's rows add up
 * exactly to its VAT breakdown.
 */
import type { TFunction } from 'i18next';
import { invoiceTotals } from './money';
import type { Invoice } from './types';

const COLUMNS = [
  'number',
  'type',
  'issueDate',
  'dueDate',
  'customer',
  'orgNumber',
  'buyerReference',
  'costCentre',
  'order',
  'credits',
  'line',
  'article',
  'description',
  'quantity',
  'unitPrice',
  'net',
  'vatCategory',
  'vatPercent',
  'vat',
  'gross',
] as const;

const decimalComma = (ore: number) => {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
};

/** A text cell: quoted when needed, and never read as a formula by a spreadsheet (CSV injection). */
export function csvText(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Per-line VAT whose sum per VAT group equals the group's rounded VAT. */
function lineVat(invoice: Invoice): Map<number, number> {
  const result = new Map<number, number>();
  for (const group of invoiceTotals(invoice.lines).breakdown) {
    const lines = invoice.lines.filter(
      (l) => l.vat.category === group.category && (group.category === 'E' || l.vat.percent === group.percent),
    );
    let allocated = 0;
    lines.forEach((l, i) => {
      const vat =
        i === lines.length - 1
          ? group.taxOre - allocated
          : Math.round((l.lineTotalOre * l.vat.percent) / 100);
      allocated += vat;
      result.set(l.id, vat);
    });
  }
  return result;
}

export function invoiceCsv(documents: Invoice[], t: TFunction): string {
  const rows = [COLUMNS.map((c) => csvText(t(`billing:csv.${c}`))).join(';')];
  const sorted = [...documents].sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  for (const doc of sorted) {
    const sign = doc.kind === 'credit_note' ? -1 : 1;
    const vat = lineVat(doc);
    for (const line of doc.lines) {
      const lineVatOre = vat.get(line.id) ?? 0;
      rows.push(
        [
          csvText(doc.number),
          csvText(t(`billing:kind.${doc.kind}`)),
          csvText(doc.issueDate),
          csvText(doc.dueDate),
          csvText(doc.buyer?.name ?? doc.organisationName),
          csvText(doc.buyer?.orgNumber ?? ''),
          csvText(doc.buyerReference),
          csvText(doc.costCentre),
          csvText(doc.orderLabel),
          csvText(doc.creditedInvoiceNumber),
          csvText(line.position),
          csvText(line.articleCode),
          csvText(line.description),
          String(sign * line.quantity),
          decimalComma(line.unitPriceOre),
          decimalComma(sign * line.lineTotalOre),
          csvText(line.vat.category),
          String(line.vat.percent),
          decimalComma(sign * lineVatOre),
          decimalComma(sign * (line.lineTotalOre + lineVatOre)),
        ].join(';'),
      );
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
