/**
 * RTT samples over time: one dot per Karn-valid sample (an ACK of data sent once), plus the
 * smoothed RTT an RFC 6298 sender would compute from them (α = 1/8). Retransmitted data gives
 * no sample, so a lossy stretch shows as a hole in the dots, not as a spike.
 */
import type { Direction } from '../analyze/timeline.js';
import { openChart } from './chart_frame.js';
import { describeView, samplingNote, type Figure, type FigureOptions } from './figure.js';
import type { PlotEntry } from './plot_entry.js';
import { rangeIndexes, sampleIndexes } from './plot_range.js';
import type { ConnectionView } from './plot_trace.js';
import { COLORS } from './svg_writer.js';

/**
 * @example rttPlot(view).counts.samples // 6
 */
export function rttPlot(v: ConnectionView, o: FigureOptions = {}): Figure {
  const dir: Direction = o.direction ?? v.dataDirection;
  const cols = v.cols;
  const [start, end] = rangeIndexes(cols, o.range);
  // The samples live on the ACKs, which travel the other way.
  const all: number[] = [];
  for (let i = start; i < end; i++) if (cols.direction(i) !== dir && cols.rtt(i) !== null) all.push(i);
  const srtt: Array<[number, number]> = [];
  let s: number | null = null;
  for (const i of all) {
    const r = cols.rtt(i) as number;
    s = s === null ? r : s + (r - s) / 8;
    srtt.push([cols.time(i), s]);
  }
  const limit = o.limit ?? 3000;
  const sample = all.length > limit ? sampleIndexes(cols, 0, all.length, limit, () => false) : null;
  const shown: PlotEntry[] = (sample ? sample.indexes.map((k) => all[k]) : all).map((i) => cols.at(i));
  const ms = (x: number) => x * 1000;
  const span = end > start ? cols.time(end - 1) - cols.time(start) : 1;
  const t0 = end > start ? Math.max(0, cols.time(start) - span * 0.02) : 0;
  const t1 = end > start ? cols.time(end - 1) + span * 0.02 : 1;
  const caption = [describeView(v, dir)];
  const note = samplingNote(v, start, end, sample ? { ...sample, total: all.length } : null, 'samples');
  if (note) caption.push(note);
  if (!all.length) caption.push('No RTT samples: no ACK acknowledged data that was sent only once (Karn\'s rule).');
  const title = o.title ?? 'RTT samples over time';
  const c = openChart({
    kind: 'rtt', title, xLabel: 'time since first frame (s)', yLabel: 'round-trip time (ms)',
    x: [t0, t1], y: [0, Math.max(0, ...shown.map((e) => ms(e.rtt as number))) * 1.15 || 1],
    legend: [{ label: 'RTT sample (Karn\'s rule)', color: COLORS.data, shape: 'dot' }, { label: 'smoothed RTT (α = 1/8)', color: COLORS.ack, shape: 'line' }],
    caption,
  });
  const w = c.svg;
  const stride = srtt.length > limit ? Math.ceil(srtt.length / limit) : 1;
  w.open('g', { class: 'srtt-line' });
  w.polyline(srtt.filter((_, k) => k % stride === 0 || k === srtt.length - 1).map(([t, r]) => [c.x(t), c.y(ms(r))]), { stroke: COLORS.ack, 'stroke-width': 1.6 });
  w.close('g');
  w.open('g', { class: 'marks' });
  for (const e of shown) w.circle(c.x(e.time), c.y(ms(e.rtt as number)), 3.2, { fill: COLORS.data, 'fill-opacity': 0.85, class: 'mark sample' });
  w.close('g');
  return { kind: 'rtt', title, svg: w.toString(), caption, counts: { samples: shown.length, total: all.length } };
}
