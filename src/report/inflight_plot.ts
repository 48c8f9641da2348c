/**
 * In flight over time: the sender's unacknowledged data after each segment (a step line), the
 * window it may fill (the peer's advertised window, or the scenario's window when segments
 * carry none), and dots where it retransmitted. A sender that respects its window stays under
 * the dashed line; Go-Back-N's resend of a whole window shows as a flat top.
 */
import type { Direction } from '../analyze/timeline.js';
import { openChart, type LegendItem } from './chart_frame.js';
import { describeView, samplingNote, seqUnitLabel, type Figure, type FigureOptions } from './figure.js';
import { flagMask } from './plot_entry.js';
import { NOTABLE, rangeIndexes, sampleIndexes } from './plot_range.js';
import type { ConnectionView } from './plot_trace.js';
import { COLORS } from './svg_writer.js';

/**
 * @example inflightPlot(view, { window: 3 }).counts.points // segments drawn
 */
export function inflightPlot(v: ConnectionView, o: FigureOptions = {}): Figure {
  const dir: Direction = o.direction ?? v.dataDirection;
  const cols = v.cols;
  const notable = flagMask(NOTABLE);
  const [start, end] = rangeIndexes(cols, o.range);
  const sample = sampleIndexes(cols, start, end, o.limit ?? 3000, (i) => cols.hasMask(i, notable), (i) => cols.direction(i) === dir);
  const peerSample = sampleIndexes(cols, start, end, o.limit ?? 3000, () => false, (i) => cols.direction(i) !== dir);
  const mine = sample.indexes.map((i) => cols.at(i));
  const peer = peerSample.indexes.map((i) => cols.at(i));
  const advertised = peer.filter((e) => e.window !== null);
  const fixed = advertised.length === 0 && o.window ? o.window : null;
  // The analyzer states in-flight after each send; between sends, each ACK lowers it.
  const level: Array<{ time: number; value: number }> = [];
  let maxNext: number | null = null;
  const merged = [...sample.indexes, ...peerSample.indexes].sort((a, b) => a - b);
  for (const i of merged) {
    const e = cols.at(i);
    if (e.direction === dir) {
      if (e.nextSeq !== null && e.isData && (maxNext === null || e.nextSeq > maxNext)) maxNext = e.nextSeq;
      level.push({ time: e.time, value: e.inFlight });
    } else if (e.ack !== null && maxNext !== null && level.length) {
      level.push({ time: e.time, value: Math.max(0, Math.min(level[level.length - 1].value, maxNext - e.ack)) });
    }
  }
  const ys = [0, ...level.map((e) => e.value), ...advertised.map((e) => e.window as number), ...(fixed ? [fixed] : [])];
  const span = end > start ? cols.time(end - 1) - cols.time(start) : 1;
  const t0 = end > start ? Math.max(0, cols.time(start) - span * 0.02) : 0;
  const t1 = end > start ? cols.time(end - 1) + span * 0.02 : 1;
  const legend: LegendItem[] = [
    { label: 'in flight (sent, not yet ACKed)', color: COLORS.data, shape: 'line' },
    { label: fixed ? `window ${fixed} (scenario)` : 'advertised window', color: COLORS.window, shape: 'dashed' },
    { label: 'retransmission', color: COLORS.retransmission, shape: 'dot' },
  ];
  const caption = [describeView(v, dir)];
  const note = samplingNote(v, start, end, sample, 'segments');
  if (note) caption.push(note);
  if (!advertised.length && !fixed) caption.push('No window line: the segments carry no window (pass a scenario with a window to draw one).');
  const title = o.title ?? 'Data in flight over time';
  const c = openChart({
    kind: 'inflight', title, xLabel: 'time since first frame (s)', yLabel: `in flight (${seqUnitLabel(v)})`,
    x: [t0, t1], y: [0, Math.max(...ys) * 1.1 || 1], yInteger: v.summary.seqUnit === 'packets', legend, caption,
  });
  const w = c.svg;
  w.open('g', { class: 'window-line' });
  if (fixed) w.line(c.left, c.y(fixed), c.right, c.y(fixed), { stroke: COLORS.window, 'stroke-width': 1.6, 'stroke-dasharray': '6 3' });
  else w.polyline(stepPoints(advertised, (e) => e.window as number, c.x, c.y, c.right), { stroke: COLORS.window, 'stroke-width': 1.6, 'stroke-dasharray': '6 3' });
  w.close('g');
  w.open('g', { class: 'inflight-line' });
  w.polyline(stepPoints(level, (e) => e.value, c.x, c.y, c.right), { stroke: COLORS.data, 'stroke-width': 1.8 });
  w.close('g');
  let retx = 0;
  w.open('g', { class: 'marks' });
  for (const e of mine) {
    if (!e.flags.includes('retransmission')) continue;
    w.circle(c.x(e.time), c.y(e.inFlight), 3.5, { fill: COLORS.retransmission, class: 'mark retransmission' });
    retx++;
  }
  w.close('g');
  return { kind: 'inflight', title, svg: w.toString(), caption, counts: { points: mine.length, retransmissions: retx, windowSteps: fixed ? 1 : advertised.length } };
}

/** Step-line points: the value holds until the next entry changes it. */
function stepPoints<T extends { time: number }>(es: T[], val: (e: T) => number, x: (t: number) => number, y: (v: number) => number, right: number): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (const e of es) {
    if (pts.length) pts.push([x(e.time), pts[pts.length - 1][1]]);
    pts.push([x(e.time), y(val(e))]);
  }
  if (pts.length) pts.push([right, pts[pts.length - 1][1]]);
  return pts;
}
