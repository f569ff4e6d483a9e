/** Pure parts of the statistics: charts, number formats, exports and filters. */
import { columnChart, stackedBarChart } from '../../server/stats/charts';
import { formatters } from '../../server/stats/format';
import { toCsv } from '../../server/stats/stats-export';
import { parseHmcFilters, parseManagerFilters } from '../../server/stats/stats-validation';
import { periodBounds } from '../../server/stats/stats-repository';

describe('charts', () => {
  it('escapes every label and value so course text cannot inject markup into the SVG', () => {
    const svg = stackedBarChart(
      [
        {
          label: '<script>alert(1)</script>',
          segments: [{ key: 'completed"><x', label: 'A & B', value: 3 }],
        },
      ],
      { id: 'c', title: 'T "q"', format: String },
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('completed&quot;&gt;&lt;x');
    expect(svg).toContain('<title id="c-title">T &quot;q&quot;</title>');
    expect(svg).not.toMatch(/style=/);
  });

  it('draws bars in proportion and one column group per point', () => {
    const svg = stackedBarChart(
      [
        {
          label: 'x',
          segments: [
            { key: 'a', label: 'a', value: 1 },
            { key: 'b', label: 'b', value: 3 },
          ],
        },
      ],
      { id: 'c', title: 't', format: String },
    );
    const widths = [...svg.matchAll(/chart__bar--[ab]" x="[\d.]+" y="\d+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toEqual([100, 300]);
    const columns = columnChart(
      [
        { label: 'jan', values: [{ key: 's', label: 's', value: 2 }] },
        { label: 'feb', values: [{ key: 's', label: 's', value: 4 }] },
      ],
      { id: 'm', title: 't', format: String },
    );
    expect(columns.match(/<rect class="chart__bar chart__bar--s" x/g)).toHaveLength(2);
  });
});

describe('formats', () => {
  it('writes figures in Swedish: spaces between thousands, decimal comma, percent, ISO dates', () => {
    const f = formatters('sv');
    expect(f.number(12345)).toBe('12\u00a0345');
    expect(f.number(1.25)).toBe('1,3');
    expect(f.share(2 / 3)).toBe('66,7\u00a0%');
    expect(f.date(new Date('2026-03-01T12:00:00Z'))).toBe('2026-03-01');
    expect(f.month('2026-03')).toMatch(/^mars 2026$/);
    expect(formatters('en').share(2 / 3)).toBe('66.7%');
  });
});

describe('CSV export', () => {
  it('uses semicolons and decimal commas in Swedish, quotes where needed and defuses formulas', () => {
    const csv = toCsv(
      [
        {
          id: 't',
          caption: 'Tabell; ett',
          columns: [{ label: 'Namn' }, { label: 'Andel', numeric: true }],
          rows: [
            ['=1+1', { share: 0.125 }],
            ['@SUM(A1)', 2.5],
            ['"citat"', null],
            ['-2', { date: new Date('2026-01-02T10:00:00Z') }],
          ],
        },
      ],
      'sv',
    );
    expect(csv.split('\r\n')).toEqual([
      '\uFEFF"Tabell; ett"',
      'Namn;Andel',
      "'=1+1;12,5 %",
      "'@SUM(A1);2,5",
      '"""citat""";',
      "'-2;2026-01-02",
      '',
    ]);
  });
});

describe('filters', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it('default to the last 12 months for managers and 36 for HMC', () => {
    expect(parseManagerFilters({}, now)).toEqual({
      ok: true,
      filters: { unitId: null, jobRole: null, courseId: null, period: { from: '2025-12', to: '2026-11' } },
    });
    expect(parseHmcFilters({ organisation: '7' }, now)).toEqual({
      ok: true,
      filters: { organisationId: 7, courseId: null, period: { from: '2023-12', to: '2026-11' } },
    });
  });
  it('reject bad ids, months, reversed and too long periods with a message per field', () => {
    expect(parseManagerFilters({ unit: '1 or 1=1', from: '2026-1' }, now)).toMatchObject({
      ok: false,
      errors: { unit: 'stats:errors.invalidChoice', from: 'stats:errors.month' },
    });
    expect(parseManagerFilters({ from: '2026-05', to: '2026-01' }, now)).toMatchObject({
      ok: false,
      errors: { from: 'stats:errors.periodOrder' },
    });
    expect(parseHmcFilters({ from: '2010-01', to: '2026-01' }, now)).toMatchObject({
      ok: false,
      errors: { from: 'stats:errors.periodTooLong' },
    });
    expect(parseManagerFilters({ role: 'X<' }, now)).toMatchObject({
      ok: false,
      errors: { role: 'stats:errors.invalidChoice' },
    });
  });
  it('turn a period into dates, December into the next January', () => {
    expect(periodBounds({ from: '2025-12', to: '2026-12' })).toEqual({
      from: '2025-12-01',
      toExclusive: '2027-01-01',
    });
  });
});
