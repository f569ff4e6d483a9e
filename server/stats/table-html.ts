/**
 * The body rows of a statistics table as HTML. views/stats/table.ejs renders the rest of the table; the
 * rows are built here because an organisation's per-unit table has well over a thousand rows, and
 * through EJS (a scope lookup per name, a call per output) they cost more than the page's queries.
 * Everything written is escaped like EJS's `<%=`.
 */
import type { Formatters } from './format';
import type { DataTable } from './types';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]) : s);

/** A button posting a form per row (a reminder): hidden fields, and words that tell a screen reader which row. */
export interface RowAction {
  url: string;
  csrf: string;
  /** The page's query string, so the page comes back with the same filters. */
  filters: string;
  text: string;
}

const hidden = (name: string, value: string | number) =>
  `<input type="hidden" name="${name}" value="${escapeHtml(String(value))}">`;

/** `<tr>` rows: the first cell a row header (a link when the table has one for the row), numbers right-aligned. */
export function tableRowsHtml(
  table: DataTable & {
    links?: string[];
    actions?: { about: string; fields: Record<string, string | number> }[];
  },
  fmt: Formatters,
  o: { linkQuery?: string; noData: string; action?: RowAction },
): string {
  const actions = o.action ? table.actions : undefined;
  const action = actions ? o.action : null;
  if (!table.rows.length)
    return `<tr><td colspan="${table.columns.length + (action ? 1 : 0)}">${escapeHtml(o.noData)}</td></tr>`;
  const numeric = table.columns.map((c) => !!c.numeric);
  const query = escapeHtml(o.linkQuery ?? '');
  const out: string[] = [];
  table.rows.forEach((row, i) => {
    let html = '<tr>';
    row.forEach((cell, j) => {
      const text = escapeHtml(fmt.cell(cell));
      if (j === 0) {
        const link = table.links?.[i];
        html += link
          ? `<th scope="row"><a href="${escapeHtml(link)}${query}">${text}</a></th>`
          : `<th scope="row">${text}</th>`;
      } else {
        html += numeric[j] ? `<td class="num">${text}</td>` : `<td>${text}</td>`;
      }
    });
    if (action && actions) {
      const a = actions[i];
      const fields = Object.entries(a.fields)
        .map(([k, v]) => hidden(k, v))
        .join('');
      html += `<td><form method="post" action="${escapeHtml(action.url)}" class="inline-form">${hidden('_csrf', action.csrf)}${hidden('filters', action.filters)}${fields}`;
      html += `<button type="submit" class="button button--secondary">${escapeHtml(action.text)}<span class="visually-hidden"> ${escapeHtml(a.about)}</span></button></form></td>`;
    }
    out.push(`${html}</tr>`);
  });
  return out.join('\n');
}
