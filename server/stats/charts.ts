/**
 * Server-rendered SVG charts: readable without JavaScript, no inline style (colours come from CSS
 * classes), each with a title for assistive technology. Every chart is shown next to its data table,
 * which carries the same figures in text.
 */

export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export interface Segment {
  /** CSS modifier naming the series (`chart__bar--completed`). */
  key: string;
  label: string;
  value: number;
}

export interface BarRow {
  label: string;
  segments: Segment[];
}

interface ChartOptions {
  id: string;
  title: string;
  format: (n: number) => string;
}

const LABEL_W = 220;
const BAR_W = 400;
const ROW_H = 34;
const BAR_H = 22;

/** Shortens a label to fit the label column (the full text is in the data table). */
function fit(label: string, max = 30): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** The legend, wrapping onto new lines within `width`; returns its markup and height. */
function legend(
  series: { key: string; label: string }[],
  y: number,
  width: number,
): { svg: string; height: number } {
  let x = 0;
  let line = 0;
  const items = series.map((s) => {
    const w = 30 + s.label.length * 8;
    if (x > 0 && x + w > width) {
      x = 0;
      line += 1;
    }
    const item = `<g transform="translate(${x},${y + line * 22})"><rect class="chart__bar chart__bar--${escapeXml(s.key)}" width="14" height="14" rx="2"></rect><text x="20" y="12" class="chart__legend">${escapeXml(s.label)}</text></g>`;
    x += w;
    return item;
  });
  return { svg: items.join(''), height: series.length ? (line + 1) * 22 : 0 };
}

/**
 * Horizontal bars, one per row, each split into segments (stacked) scaled to the row's total or, with
 * `max`, to a common maximum (e.g. 100 for percentages).
 */
export function stackedBarChart(
  rows: BarRow[],
  o: ChartOptions & { max?: number; showTotals?: boolean },
): string {
  const series = rows[0]?.segments.map((s) => ({ key: s.key, label: s.label })) ?? [];
  const width = LABEL_W + BAR_W + 80;
  const key = series.length > 1 ? legend(series, rows.length * ROW_H + 15, width) : { svg: '', height: 0 };
  const height = rows.length * ROW_H + 10 + key.height + (key.height ? 8 : 0);
  const body = rows
    .map((row, i) => {
      const y = i * ROW_H + 5;
      const total = row.segments.reduce((s, seg) => s + seg.value, 0);
      const scale = o.max ?? (total || 1);
      let x = LABEL_W;
      const bars = row.segments
        .filter((seg) => seg.value > 0)
        .map((seg) => {
          const w = Math.max(1, (seg.value / scale) * BAR_W);
          const rect = `<rect class="chart__bar chart__bar--${escapeXml(seg.key)}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}"><title>${escapeXml(`${row.label}: ${seg.label} ${o.format(seg.value)}`)}</title></rect>`;
          x += w;
          return rect;
        })
        .join('');
      const value =
        o.showTotals === false
          ? ''
          : `<text class="chart__value" x="${(x + 6).toFixed(1)}" y="${y + 16}">${escapeXml(o.format(o.max ? (row.segments[0]?.value ?? 0) : total))}</text>`;
      return `<text class="chart__label" x="${LABEL_W - 8}" y="${y + 16}" text-anchor="end">${escapeXml(fit(row.label))}</text>${bars}${value}`;
    })
    .join('');
  return svg(o, width, height, body + key.svg);
}

/** Vertical grouped bars over time (e.g. started and completed per month). */
export function columnChart(points: { label: string; values: Segment[] }[], o: ChartOptions): string {
  const series = points[0]?.values.map((s) => ({ key: s.key, label: s.label })) ?? [];
  const max = Math.max(1, ...points.flatMap((p) => p.values.map((v) => v.value)));
  const plotH = 200;
  const groupW = Math.max(24, Math.min(60, 640 / Math.max(1, points.length)));
  const barW = Math.max(4, (groupW - 6) / Math.max(1, series.length));
  const left = 60;
  const width = left + points.length * groupW + 10;
  const key = legend(series, plotH + 45, width);
  const height = plotH + 55 + key.height;
  const ticks = [0, 0.5, 1].map((f) => {
    const y = 10 + plotH - f * plotH;
    return `<line class="chart__grid" x1="${left}" x2="${width}" y1="${y}" y2="${y}"></line><text class="chart__axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${escapeXml(o.format(Math.round(max * f)))}</text>`;
  });
  const bars = points
    .map((p, i) => {
      const gx = left + i * groupW + 3;
      const rects = p.values
        .map((v, j) => {
          const h = (v.value / max) * plotH;
          return `<rect class="chart__bar chart__bar--${escapeXml(v.key)}" x="${(gx + j * barW).toFixed(1)}" y="${(10 + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeXml(`${p.label}: ${v.label} ${o.format(v.value)}`)}</title></rect>`;
        })
        .join('');
      const every = Math.ceil(points.length / 12);
      const label =
        i % every === 0
          ? `<text class="chart__axis" x="${(gx + groupW / 2).toFixed(1)}" y="${plotH + 28}" text-anchor="middle">${escapeXml(p.label)}</text>`
          : '';
      return rects + label;
    })
    .join('');
  return svg(o, width, height, ticks.join('') + bars + key.svg);
}

function svg(o: ChartOptions, width: number, height: number, body: string): string {
  return `<svg class="chart" id="${escapeXml(o.id)}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(o.id)}-title" focusable="false" xmlns="http://www.w3.org/2000/svg"><title id="${escapeXml(o.id)}-title">${escapeXml(o.title)}</title>${body}</svg>`;
}
