/**
 * Inline SVG bar charts for the sweep's HTML page: no scripts, no fonts or images from the network,
 * so the page reads the same offline, in a mail client or in a headless browser.
 */

export const esc = (s: string | number): string =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Series {
  name: string;
  color: string;
}

export interface BarRow {
  label: string;
  values: number[];
  /** Drawn in red with a marker when true. */
  highlight?: boolean;
}

const LABEL_W = 170;
const BAR_H = 9;
const ROW_GAP = 8;
const CHART_W = 640;

/** Horizontal grouped bars: one row per label, one bar per series, values printed at the bar's end. */
export function groupedBars(title: string, series: Series[], rows: BarRow[], cssClass: string): string {
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const rowH = series.length * BAR_H + ROW_GAP;
  const top = 34;
  const height = top + rows.length * rowH + 6;
  const plotW = CHART_W - LABEL_W - 40;
  const parts: string[] = [];
  parts.push(`<svg class="chart ${esc(cssClass)}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${CHART_W}" height="${height}" viewBox="0 0 ${CHART_W} ${height}">`);
  parts.push(`<title>${esc(title)}</title>`);
  series.forEach((s, i) => {
    const x = LABEL_W + i * 150;
    parts.push(`<rect x="${x}" y="8" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="17" font-size="11">${esc(s.name)}</text>`);
  });
  rows.forEach((r, ri) => {
    const y0 = top + ri * rowH;
    parts.push(`<text x="${LABEL_W - 6}" y="${y0 + (series.length * BAR_H) / 2 + 4}" font-size="11" text-anchor="end" fill="${r.highlight ? '#b91c1c' : '#111'}">${r.highlight ? '⚑ ' : ''}${esc(r.label)}</text>`);
    r.values.forEach((v, si) => {
      const w = Math.max(v > 0 ? 2 : 0, Math.round((v / max) * plotW));
      const y = y0 + si * BAR_H;
      parts.push(`<rect class="bar" data-series="${esc(series[si]?.name ?? '')}" data-value="${v}" x="${LABEL_W}" y="${y}" width="${w}" height="${BAR_H - 1}" fill="${series[si]?.color ?? '#999'}"/>`);
      parts.push(`<text x="${LABEL_W + w + 4}" y="${y + BAR_H - 1}" font-size="9">${v}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
