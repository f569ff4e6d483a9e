/**
 * The body rows of a statistics table as HTML. views/stats/table.ejs renders the rest of the table; the
 * rows are built here because an organisation's per-unit table has well over a thousand rows, and
 * through EJS (a scope lookup per name, a call per output) they cost more than the page's queries.
 * Everything written is escaped like EJS's `<%=`.
 */
import type { Formatters } from './format';
import type { DataTable } from './types';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const escapeHtml = (s: string) => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]) : s);

/** `<tr>` rows: the first cell a row header (a link when the table has one for the row), numbers right-aligned. */
export function tableRowsHtml(table: DataTable & { links?: string[] }, fmt: Formatters, o: { linkQuery?: string; noData: string }): string {
  if (!table.rows.length) return `<tr><td colspan="${table.columns.length}">${escapeHtml(o.noData)}</td></tr>`;
  const numeric = table.columns.map((c) => !!c.numeric);
  const query = escapeHtml(o.linkQuery ?? '');
  const out: string[] = [];
  table.rows.forEach((row, i) => {
    let html = '<tr>';
    row.forEach((cell, j) => {
      const text = escapeHtml(fmt.cell(cell));
      if (j === 0) {
        const link = table.links?.[i];
        html += link ? `<th scope="row"><a href="${escapeHtml(link)}${query}">${text}</a></th>` : `<th scope="row">${text}</th>`;
      } else {
        html += numeric[j] ? `<td class="num">${text}</td>` : `<td>${text}</td>`;
      }
    });
    out.push(`${html}</tr>`);
  });
  return out.join('\n');
}
