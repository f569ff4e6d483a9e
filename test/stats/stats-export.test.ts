/** The export writers without a database: Swedish dates, and XLSX files that a spreadsheet library reads back. */
import ExcelJS from 'exceljs';
import { formatters, stockholmDate } from '../../server/stats/format';
import { sheetName, toCsv, toXlsx } from '../../server/stats/stats-export';
import { columnName } from '../../server/stats/xlsx-writer';
import { tableRowsHtml } from '../../server/stats/table-html';
import type { DataTable } from '../../server/stats/types';

const intlDate = new Intl.DateTimeFormat('sv-SE', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Europe/Stockholm',
});

describe('stockholmDate', () => {
  it('gives the Swedish calendar date around midnight and on the days summer time starts and ends', () => {
    const instants = [
      '2026-03-28T22:59:59Z',
      '2026-03-28T23:00:00Z',
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T21:59:59Z',
      '2026-03-29T22:00:00Z',
      '2026-10-24T21:59:59Z',
      '2026-10-24T22:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T22:59:59Z',
      '2026-10-25T23:00:00Z',
      '2026-12-31T22:59:59Z',
      '2026-12-31T23:00:00Z',
    ].map((s) => new Date(s));
    for (const d of instants) expect(stockholmDate(d)).toBe(intlDate.format(d));
    expect(stockholmDate(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    // Every quarter of an hour for two years.
    let mismatches = 0;
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 15 * 60_000)
      if (stockholmDate(new Date(t)) !== intlDate.format(new Date(t))) mismatches += 1;
    expect(mismatches).toBe(0);
    expect(formatters('en').date(new Date('2026-03-01T23:30:00Z'))).toBe('02/03/2026');
  });
});

describe('XLSX export', () => {
  const tables: DataTable[] = [
    {
      id: 'a',
      caption: 'Per kurs: <b> & "citat"',
      columns: [
        { label: 'Kurs' },
        { label: 'Antal', numeric: true },
        { label: 'Andel', numeric: true },
        { label: 'Giltig till' },
      ],
      rows: [
        ['Hjälpmedel – grunden', 6, { share: 4 / 6 }, { date: new Date('2026-03-01T23:30:00Z') }],
        ['=HYPERLINK("http://evil.test")', 1.5, null, null],
        ['Styrtecken\u0001 borta', 0, { share: 0 }, null],
      ],
    },
    { id: 'b', caption: 'Per kurs: <b> & "citat"', columns: [{ label: 'Tom' }], rows: [] },
  ];

  it('writes one sheet per table with numbers, shares and Swedish dates that a spreadsheet reads back', async () => {
    const bytes = toXlsx(tables, { title: 'Utbildning & status' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    expect(wb.title).toBe('Utbildning & status');
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Per kurs <b> & "citat"', 'Per kurs <b> & "citat" 2']);
    const sheet = wb.worksheets[0];
    const values: unknown[][] = [];
    sheet.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
    expect(values).toEqual([
      ['Per kurs: <b> & "citat"'],
      ['Kurs', 'Antal', 'Andel', 'Giltig till'],
      ['Hjälpmedel – grunden', 6, 4 / 6, new Date('2026-03-02T00:00:00Z')],
      ['=HYPERLINK("http://evil.test")', 1.5],
      ['Styrtecken borta', 0, 0],
    ]);
    // The formula-looking text is text, not a formula.
    expect(sheet.getCell('A4').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('C3').numFmt).toBe('0.0%');
    expect(sheet.getCell('D3').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('A2').font.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(wb.worksheets[1].rowCount).toBe(2);
  });

  it('shortens sheet names to 31 characters at a word boundary and keeps them unique', () => {
    const used = new Set<string>();
    const names = [
      'Personer som saknar en kurs eller har en kurs som snart går ut',
      'Personer som saknar en kurs eller har en kurs som snart går ut',
      'Andel rätt per fråga (alla inlämnade test)',
      'Status per enhet och kurs (antal personer)',
      'Hjälpmedelsförskrivningsutbildningsstatistiken',
      'Kurs: [utkast] *nytt*?',
    ].map((c) => sheetName(c, used));
    expect(names).toEqual([
      'Personer som saknar en kurs',
      'Personer som saknar en kurs 2',
      'Andel rätt per fråga',
      'Status per enhet och kurs',
      'Hjälpmedelsförskrivningsutbildn',
      'Kurs utkast nytt',
    ]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
  });

  it('names columns past Z like a spreadsheet', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('writes the same dates in the CSV', () => {
    expect(toCsv(tables.slice(0, 1), 'sv').split('\r\n')[2]).toBe('Hjälpmedel – grunden;6;66,7 %;2026-03-02');
  });
});

describe('table rows', () => {
  it('escape every cell, link and query, head each row with its first cell and mark numbers', () => {
    const html = tableRowsHtml(
      {
        id: 't',
        caption: 'c',
        columns: [{ label: 'Namn' }, { label: 'Antal', numeric: true }, { label: 'Andel', numeric: true }],
        rows: [
          ['<script>"x"</script>', 1234, { share: 0.5 }],
          ["O'Hara & co", null, null],
        ],
        links: ['/p/1?"a"', ''],
      },
      formatters('sv'),
      { linkQuery: '?x=<1>', noData: 'Inga' },
    );
    expect(html.split('\n')).toEqual([
      '<tr><th scope="row"><a href="/p/1?&#34;a&#34;?x=&lt;1&gt;">&lt;script&gt;&#34;x&#34;&lt;/script&gt;</a></th><td class="num">1\u00a0234</td><td class="num">50,0\u00a0%</td></tr>',
      '<tr><th scope="row">O&#39;Hara &amp; co</th><td class="num">–</td><td class="num">–</td></tr>',
    ]);
    expect(
      tableRowsHtml(
        { id: 't', caption: 'c', columns: [{ label: 'a' }, { label: 'b' }], rows: [] },
        formatters('sv'),
        { noData: 'Inga <uppgifter>' },
      ),
    ).toBe('<tr><td colspan="2">Inga &lt;uppgifter&gt;</td></tr>');
  });
});
