/** Money in integer öre: totals, the VAT breakdown, and reading and writing kronor (pure, unit-tested). */
import type { InvoiceTotals, PricedLine, VatBreakdownRow } from './types';

/**
 * The VAT breakdown of some lines: standard-rated lines grouped per rate, exempt lines in one group
 * (EN 16931 BR-E-04 allows one exempt group), tax rounded to the öre per group (BR-CO-17).
 */
export function vatBreakdown(lines: Pick<PricedLine, 'lineTotalOre' | 'vat'>[]): VatBreakdownRow[] {
  const groups = new Map<string, VatBreakdownRow & { reasons: Set<string> }>();
  for (const line of lines) {
    const key = line.vat.category === 'E' ? 'E' : `S${line.vat.percent}`;
    const group = groups.get(key) ?? {
      category: line.vat.category,
      percent: line.vat.percent,
      exemptionReason: null,
      taxableOre: 0,
      taxOre: 0,
      reasons: new Set<string>(),
    };
    group.taxableOre += line.lineTotalOre;
    if (line.vat.exemptionReason) group.reasons.add(line.vat.exemptionReason);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => (a.category === b.category ? b.percent - a.percent : a.category === 'S' ? -1 : 1))
    .map(({ reasons, ...g }) => ({
      ...g,
      exemptionReason: g.category === 'E' ? [...reasons].join('; ') : null,
      taxOre: g.category === 'E' ? 0 : roundHalfAwayFromZero((g.taxableOre * g.percent) / 100),
    }));
}

/** Sum of lines, VAT and the amount to pay. */
export function invoiceTotals(lines: Pick<PricedLine, 'lineTotalOre' | 'vat'>[]): InvoiceTotals {
  const breakdown = vatBreakdown(lines);
  const lineTotalOre = lines.reduce((sum, l) => sum + l.lineTotalOre, 0);
  const vatTotalOre = breakdown.reduce((sum, g) => sum + g.taxOre, 0);
  return { lineTotalOre, vatTotalOre, payableOre: lineTotalOre + vatTotalOre, breakdown };
}

export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** Öre as a decimal amount with two decimals and a point, as UBL and CSV files want it ("3000.00"). */
export function oreToDecimal(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const formats = {
  sv: new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};

/** Öre as people read kronor: "3 000,00 kr" in Swedish, "SEK 3,000.00" in English. */
export function formatKronor(ore: number, lng: 'sv' | 'en' = 'sv'): string {
  const amount = formats[lng].format(ore / 100).replace(/\u2212/g, '-');
  return lng === 'sv' ? `${amount.replace(/\u00a0/g, ' ')} kr` : `SEK ${amount}`;
}

/** Reads an amount typed in kronor ("3000", "3 000", "3 000,50 kr", "45.5") into öre; null when it is not one. */
export function parseKronor(input: unknown): number | null {
  if (typeof input !== 'string') return null;
  const compact = input.replace(/kr$/i, '').replace(/[\s\u00a0]/g, '');
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const [, kronor, ore = '0'] = match;
  return Number(kronor) * 100 + Number(ore.padEnd(2, '0'));
}
