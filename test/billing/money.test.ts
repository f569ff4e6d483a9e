import {
  formatKronor,
  invoiceTotals,
  oreToDecimal,
  parseKronor,
  vatBreakdown,
} from '../../server/billing/money';
import type { VatTreatment } from '../../server/billing/types';

const S25: VatTreatment = { category: 'S', percent: 25, exemptionReason: null };
const S12: VatTreatment = { category: 'S', percent: 12, exemptionReason: null };
const E = (reason: string): VatTreatment => ({ category: 'E', percent: 0, exemptionReason: reason });

describe('invoice totals in öre', () => {
  it('adds 25 % VAT to a full day with coffee: 5 000 kr + 12 × 45 kr', () => {
    const totals = invoiceTotals([
      { lineTotalOre: 500000, vat: S25 },
      { lineTotalOre: 12 * 4500, vat: S25 },
    ]);
    expect(totals).toEqual({
      lineTotalOre: 554000,
      vatTotalOre: 138500,
      payableOre: 692500,
      breakdown: [{ category: 'S', percent: 25, exemptionReason: null, taxableOre: 554000, taxOre: 138500 }],
    });
  });

  it('rounds VAT per rate group, half away from zero, to the öre', () => {
    // 0,02 kr at 25 % is 0,005 kr of VAT: rounds to 0,01 kr.
    expect(vatBreakdown([{ lineTotalOre: 2, vat: S25 }])[0].taxOre).toBe(1);
    // Two lines of 0,02 kr are taxed together: 0,04 × 25 % = 0,01 exactly.
    expect(
      vatBreakdown([
        { lineTotalOre: 2, vat: S25 },
        { lineTotalOre: 2, vat: S25 },
      ])[0].taxOre,
    ).toBe(1);
  });

  it('keeps one group per standard rate and a single exempt group with every reason', () => {
    const groups = vatBreakdown([
      { lineTotalOre: 1000, vat: S12 },
      { lineTotalOre: 3000, vat: S25 },
      { lineTotalOre: 500, vat: E('Utbildning, 10 kap. 15 § ML') },
      { lineTotalOre: 700, vat: E('Annan grund') },
    ]);
    expect(groups.map((g) => [g.category, g.percent, g.taxableOre, g.taxOre])).toEqual([
      ['S', 25, 3000, 750],
      ['S', 12, 1000, 120],
      ['E', 0, 1200, 0],
    ]);
    expect(groups[2].exemptionReason).toBe('Utbildning, 10 kap. 15 § ML; Annan grund');
  });
});

describe('reading and writing kronor', () => {
  it.each([
    ['3000', 300000],
    ['3 000', 300000],
    ['3 000,50 kr', 300050],
    ['45.5', 4550],
    ['0', 0],
  ])('reads %p as %p öre', (input, ore) => {
    expect(parseKronor(input)).toBe(ore);
  });

  it.each(['', 'tre tusen', '-100', '1,234', '12345678'])('refuses %p', (input) => {
    expect(parseKronor(input)).toBeNull();
  });

  it('writes öre for UBL with a point and two decimals, and for people in Swedish', () => {
    expect(oreToDecimal(692500)).toBe('6925.00');
    expect(oreToDecimal(5)).toBe('0.05');
    expect(oreToDecimal(-1050)).toBe('-10.50');
    expect(formatKronor(692500)).toBe('6 925,00 kr');
    expect(formatKronor(692500, 'en')).toBe('SEK 6,925.00');
  });
});
