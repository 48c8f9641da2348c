/**
 * The frame every x/y figure shares: title, plot area with grid, axes with round ticks and
 * labels, a legend above the plot and a caption below it (where downsampling is stated).
 */
import { linearScale, type LinearScale } from './chart_scale.js';
import { COLORS, SvgWriter } from './svg_writer.js';

/** One legend entry: a swatch drawn like the marks it names. */
export interface LegendItem {
  label: string;
  color: string;
  shape: 'line' | 'dashed' | 'bar' | 'dot' | 'cross' | 'box';
}

export interface ChartSpec {
  kind: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  yInteger?: boolean;
  legend: LegendItem[];
  caption: string[];
  width?: number;
  height?: number;
}

export interface Chart {
  svg: SvgWriter;
  x: LinearScale;
  y: LinearScale;
  /** Plot area in pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const MARGIN = { left: 96, right: 24, top: 62, bottom: 52 };
const CAPTION_LINE = 15;

/** Draws a legend swatch at (x, y) (vertical centre) and returns its width with the label. */
function swatch(w: SvgWriter, x: number, y: number, item: LegendItem): number {
  const c = item.color;
  switch (item.shape) {
    case 'line': w.line(x, y, x + 18, y, { stroke: c, 'stroke-width': 2 }); break;
    case 'dashed': w.line(x, y, x + 18, y, { stroke: c, 'stroke-width': 2, 'stroke-dasharray': '5 3' }); break;
    case 'bar': w.line(x + 9, y - 6, x + 9, y + 6, { stroke: c, 'stroke-width': 2.5 }); break;
    case 'dot': w.circle(x + 9, y, 3.5, { fill: c }); break;
    case 'cross': w.cross(x + 9, y, 8, c); break;
    case 'box': w.rect(x + 2, y - 5, 14, 10, { fill: c, 'fill-opacity': 0.18, stroke: c, 'stroke-dasharray': '3 2' }); break;
  }
  w.text(x + 23, y + 4, item.label, { class: 'legend' });
  return 23 + item.label.length * 6.3 + 16;
}

/**
 * Opens a chart: the caller draws marks with chart.x / chart.y, then calls svg.toString().
 *
 * @example
 * const c = openChart({ kind: 'rtt', title: 'RTT', xLabel: 'time (s)', yLabel: 'RTT (ms)', x: [0, 1], y: [0, 5], legend: [], caption: [] });
 * c.svg.circle(c.x(0.5), c.y(2), 3);
 */
export function openChart(s: ChartSpec): Chart {
  const width = s.width ?? 760;
  const plotHeight = (s.height ?? 420) - MARGIN.top - MARGIN.bottom;
  const captionHeight = s.caption.length * CAPTION_LINE + (s.caption.length ? 6 : 0);
  const height = MARGIN.top + plotHeight + MARGIN.bottom + captionHeight;
  const w = new SvgWriter(width, height, s.title, s.kind);
  const left = MARGIN.left, right = width - MARGIN.right, top = MARGIN.top, bottom = MARGIN.top + plotHeight;
  const x = linearScale(s.x[0], s.x[1], left, right, 8);
  const y = linearScale(s.y[0], s.y[1], bottom, top, 6, s.yInteger);

  w.text(left, 22, s.title, { class: 'title' });
  let lx = left;
  for (const item of s.legend) lx += swatch(w, lx, 42, item);

  w.open('g', { class: 'grid' });
  for (const t of x.ticks) w.line(x(t), top, x(t), bottom, { stroke: COLORS.grid });
  for (const t of y.ticks) w.line(left, y(t), right, y(t), { stroke: COLORS.grid });
  w.close('g');
  w.open('g', { class: 'axes' });
  w.rect(left, top, right - left, bottom - top, { fill: 'none', stroke: COLORS.axis });
  for (const t of x.ticks) {
    w.line(x(t), bottom, x(t), bottom + 4, { stroke: COLORS.axis });
    w.text(x(t), bottom + 17, x.format(t), { class: 'tick', 'text-anchor': 'middle' });
  }
  for (const t of y.ticks) {
    w.line(left - 4, y(t), left, y(t), { stroke: COLORS.axis });
    w.text(left - 7, y(t) + 3.5, y.format(t), { class: 'tick', 'text-anchor': 'end' });
  }
  w.text((left + right) / 2, bottom + 38, s.xLabel, { class: 'axis-label', 'text-anchor': 'middle' });
  w.text(16, (top + bottom) / 2, s.yLabel, { class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 16 ${Math.round((top + bottom) / 2)})` });
  w.close('g');
  s.caption.forEach((line, i) => w.text(left, bottom + 52 + (i + 1) * CAPTION_LINE - 4, line, { class: 'caption' }));
  return { svg: w, x, y, left, right, top, bottom };
}
