/**
 * Writes the tables of a statistics page as CSV (for Swedish Excel: UTF-8 with BOM, semicolons, decimal
 * comma) or XLSX (one sheet per table, numbers as numbers). Cells that a spreadsheet would run as a
 * formula are written as text.
 */
import type { Language } from '../i18n/i18n';
import { stockholmDate } from './format';
import type { Cell, DataTable } from './types';
import { writeXlsx, type XlsxSheet } from './xlsx-writer';

const FORMULA_START = /^[=+\-@\t\r]/;

const decimal = (n: number, digits: number, lng: Language) =>
  lng === 'sv' ? n.toFixed(digits).replace('.', ',') : n.toFixed(digits);

function csvValue(c: Cell, lng: Language): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : decimal(c, 1, lng);
  if (typeof c === 'string') return FORMULA_START.test(c) ? `'${c}` : c;
  if ('share' in c) return `${decimal(c.share * 100, 1, lng)} %`;
  return stockholmDate(c.date);
}

/** The tables as one CSV file: each table's caption, its header and rows, a blank line between tables. */
export function toCsv(tables: DataTable[], lng: Language): string {
  const sep = lng === 'sv' ? ';' : ',';
  const quote = (s: string) =>
    s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r')
      ? `"${s.replace(/"/g, '""')}"`
      : s;
  const lines: string[] = [];
  for (const table of tables) {
    if (lines.length) lines.push('');
    lines.push(quote(table.caption));
    lines.push(table.columns.map((c) => quote(c.label)).join(sep));
    for (const row of table.rows) lines.push(row.map((c) => quote(csvValue(c, lng))).join(sep));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Excel refuses sheet names longer than this. */
export const SHEET_NAME_MAX = 31;

/** A caption shortened to `max` characters at a word boundary (a trailing "(…)" goes first). */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const bare = s.replace(/\s*\([^)]*\)$/, '');
  if (bare && bare.length <= max) return bare;
  const space = bare.slice(0, max + 1).lastIndexOf(' ');
  // A single word longer than the limit can only be cut.
  return (space > 0 ? bare.slice(0, space) : bare.slice(0, max)).replace(/[\s,;:–-]+$/, '');
}

/** A unique sheet name from a caption: characters Excel forbids become spaces, words are never cut. */
export function sheetName(caption: string, used: Set<string>): string {
  const clean =
    caption
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim() || 'Tabell';
  let name = shorten(clean, SHEET_NAME_MAX);
  for (let i = 2; used.has(name.toLowerCase()); i++)
    name = `${shorten(clean, SHEET_NAME_MAX - String(i).length - 1)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

/** The tables as an XLSX workbook, one sheet each, with shares as percentages and dates as dates. */
export function toXlsx(tables: DataTable[], meta: { title: string }): Buffer {
  const used = new Set<string>();
  const sheets: XlsxSheet[] = tables.map((table) => ({
    name: sheetName(table.caption, used),
    title: table.caption,
    header: table.columns.map((c) => c.label),
    rows: table.rows,
    widths: table.columns.map((c, i) => {
      const width = Math.min(
        60,
        Math.max(
          c.label.length,
          ...table.rows.slice(0, 200).map((r) => (typeof r[i] === 'string' ? r[i] : '').length),
        ) + 2,
      );
      return c.numeric ? Math.max(12, Math.min(width, 24)) : width;
    }),
  }));
  return writeXlsx(sheets, { title: meta.title, creator: 'Hjälpmedelsskolan', created: new Date() });
}
