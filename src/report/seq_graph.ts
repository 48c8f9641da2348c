/**
 * The time-sequence graph (Stevens / tcptrace style): relative sequence number against time
 * for one direction. Each data segment is a vertical bar from seq to seq + length, first
 * transmissions in blue and retransmissions in vermillion; the peer's cumulative ACK is a
 * green step line and ACK + window a dashed orange one (the sender may send up to it). Holes
 * ("gap") and retransmissions after silence ("timeout") are annotated; sidecar drops are crosses.
 */
import type { Direction } from '../analyze/timeline.js';
import { openChart, type LegendItem } from './chart_frame.js';
import { describeView, samplingNote, secondsText, seqUnitLabel, type Figure, type FigureOptions } from './figure.js';
import { flagMask, type PlotEntry } from './plot_entry.js';
import { NOTABLE, rangeIndexes, sampleIndexes } from './plot_range.js';
import type { ConnectionView } from './plot_trace.js';
import { COLORS } from './svg_writer.js';

const MAX_NOTES = 24;

interface Annotation { t0: number; t1: number; y: number; y2: number; text: string; kind: 'gap' | 'timeout' }

/**
 * @example writeFileSync('seq.svg', seqGraph(connectionView(readPlotTrace('run.pcap', { binding }))).svg)
 */
export function seqGraph(v: ConnectionView, o: FigureOptions = {}): Figure {
  const dir: Direction = o.direction ?? v.dataDirection;
  const notable = flagMask(NOTABLE);
  const [start, end] = rangeIndexes(v.cols, o.range);
  const cols = v.cols;
  const limit = o.limit ?? 3000;
  const dataSample = sampleIndexes(cols, start, end, limit, (i) => cols.hasMask(i, notable), (i) => cols.direction(i) === dir && cols.isData(i));
  const ackSample = sampleIndexes(cols, start, end, limit, () => false, (i) => cols.direction(i) !== dir);
  const data = dataSample.indexes.map((i) => cols.at(i));
  const acks = ackSample.indexes.map((i) => cols.at(i));
  // Annotations need every data segment in the range, not the sample: one linear pass.
  const notes: Annotation[] = [];
  let maxNext: number | null = null;
  let lastSend: number | null = null;
  let prevRetx = false;
  for (let i = start; i < end && notes.length < MAX_NOTES; i++) {
    if (cols.direction(i) !== dir || !cols.isData(i)) continue;
    const retx = cols.hasFlag(i, 'retransmission');
    if (retx || cols.hasFlag(i, 'gap')) {
      const e = cols.at(i);
      if (e.flags.includes('gap') && maxNext !== null && e.seq !== null) notes.push({ t0: e.time, t1: e.time, y: maxNext, y2: e.seq, text: `gap: ${e.seq - maxNext} ${seqUnitLabel(v)} missing`, kind: 'gap' });
      if (retx && !prevRetx && lastSend !== null && e.seq !== null) {
        const fast = e.flags.includes('fast-retransmission');
        notes.push({ t0: lastSend, t1: e.time, y: e.seq, y2: e.seq, text: fast ? 'fast retransmission (dup ACKs)' : `timeout: resent after ${secondsText(e.time - lastSend)} idle`, kind: 'timeout' });
      }
    }
    prevRetx = retx;
    lastSend = cols.time(i);
    const next = cols.nextSeq(i);
    if (next !== null && (maxNext === null || next > maxNext)) maxNext = next;
  }
  const drops = v.drops.filter((d) => d.direction === dir && d.cls === 'data' && d.seq !== null);
  const windowAt = (a: PlotEntry): number | null => (a.ack === null ? null : a.window !== null ? a.ack + a.window : o.window ? a.ack + o.window : null);

  const ys: number[] = [];
  for (const e of data) { if (e.seq !== null) ys.push(e.seq); if (e.nextSeq !== null) ys.push(e.nextSeq); }
  for (const a of acks) { if (a.ack !== null) ys.push(a.ack); const w = windowAt(a); if (w !== null) ys.push(w); }
  for (const d of drops) ys.push(d.seq as number);
  const span = end > start ? cols.time(end - 1) - cols.time(start) : 1;
  // A little air on both sides keeps the first and last marks off the frame.
  const t0 = end > start ? Math.max(0, cols.time(start) - span * 0.02) : 0;
  const t1 = end > start ? cols.time(end - 1) + span * 0.02 : 1;
  const yLo = ys.length ? Math.min(...ys) : 0;
  const yHi = ys.length ? Math.max(...ys) : 1;

  const legend: LegendItem[] = [
    { label: 'data', color: COLORS.data, shape: 'bar' },
    { label: 'retransmission', color: COLORS.retransmission, shape: 'bar' },
    { label: 'ACK', color: COLORS.ack, shape: 'line' },
    { label: 'ACK + window', color: COLORS.window, shape: 'dashed' },
  ];
  if (drops.length || v.droppedFrames.size) legend.push({ label: 'lost (recorded drop)', color: COLORS.drop, shape: 'cross' });
  if (notes.some((n) => n.kind === 'gap')) legend.push({ label: 'gap', color: COLORS.gap, shape: 'box' });
  const caption = [describeView(v, dir)];
  const note = samplingNote(v, start, end, dataSample, 'segments');
  if (note) caption.push(note);
  if (!acks.some((a) => windowAt(a) !== null)) caption.push('No window line: the segments carry no window (pass a scenario with a window to draw one).');
  const c = openChart({
    kind: 'seq', title: o.title ?? 'Time-sequence graph', xLabel: 'time since first frame (s)',
    yLabel: `relative sequence number (${seqUnitLabel(v)})`, x: [t0, t1], y: [yLo, yHi], yInteger: v.summary.seqUnit === 'packets',
    legend, caption,
  });
  const w = c.svg;
  const steps = (pick: (a: PlotEntry) => number | null): Array<[number, number]> => {
    const pts: Array<[number, number]> = [];
    for (const a of acks) {
      const val = pick(a);
      if (val === null) continue;
      if (pts.length) pts.push([c.x(a.time), pts[pts.length - 1][1]]);
      pts.push([c.x(a.time), c.y(val)]);
    }
    if (pts.length) pts.push([c.right, pts[pts.length - 1][1]]);
    return pts;
  };
  w.open('g', { class: 'window-line' });
  w.polyline(steps(windowAt), { stroke: COLORS.window, 'stroke-width': 1.6, 'stroke-dasharray': '6 3' });
  w.close('g');
  w.open('g', { class: 'ack-line' });
  w.polyline(steps((a) => a.ack), { stroke: COLORS.ack, 'stroke-width': 1.8 });
  w.close('g');

  let retx = 0;
  w.open('g', { class: 'marks' });
  for (const e of data) {
    if (e.seq === null) continue;
    const isRetx = e.flags.includes('retransmission');
    if (isRetx) retx++;
    const x = c.x(e.time);
    let ya = c.y(e.seq), yb = c.y(e.nextSeq ?? e.seq + 1);
    if (ya - yb < 4) { const mid = (ya + yb) / 2; ya = mid + 2; yb = mid - 2; }
    const color = isRetx ? COLORS.retransmission : COLORS.data;
    w.path(`M${x.toFixed(2)} ${ya.toFixed(2)}V${yb.toFixed(2)}M${(x - 2.5).toFixed(2)} ${yb.toFixed(2)}H${(x + 2.5).toFixed(2)}M${(x - 2.5).toFixed(2)} ${ya.toFixed(2)}H${(x + 2.5).toFixed(2)}`,
      { stroke: color, 'stroke-width': 2, fill: 'none', class: isRetx ? 'mark retransmission' : 'mark data' });
    if (v.droppedFrames.has(e.frame)) w.cross(x, (ya + yb) / 2, 9, COLORS.drop, 'drop');
  }
  w.close('g');
  w.open('g', { class: 'drops' });
  for (const d of drops) {
    const x = c.x(d.time), y = c.y(d.seq as number);
    w.cross(x, y, 10, COLORS.drop, 'drop');
    w.text(x + 7, y + 14, `lost ${d.kind ? `${d.kind} ` : ''}seq ${d.seq}`, { class: 'note', fill: COLORS.drop });
  }
  w.close('g');
  w.open('g', { class: 'annotations' });
  // Labels that would overprint an earlier one are left out (their marks stay): a long capture
  // with many losses keeps legible text instead of a smudge.
  const placed: Array<[number, number]> = [];
  const free = (x: number, y: number) => {
    if (placed.some(([px, py]) => Math.abs(px - x) < 190 && Math.abs(py - y) < 14)) return false;
    placed.push([x, y]);
    return true;
  };
  for (const n of notes) {
    if (n.kind === 'gap') {
      const x = c.x(n.t0), ya = c.y(n.y), yb = c.y(n.y2);
      w.rect(x - 5, Math.min(ya, yb), 10, Math.max(3, Math.abs(ya - yb)), { fill: COLORS.gap, 'fill-opacity': 0.25, stroke: COLORS.gap, 'stroke-dasharray': '3 2', class: 'gap' });
      const right = x < (c.left + c.right) / 2;
      if (free(x, (ya + yb) / 2)) w.text(right ? x + 9 : x - 9, (ya + yb) / 2 + 3.5, n.text, { class: 'note', 'text-anchor': right ? 'start' : 'end', fill: '#8a3b6f' });
    } else {
      const xa = c.x(n.t0), xb = c.x(n.t1), y = c.y(n.y) - 10;
      w.path(`M${xa.toFixed(2)} ${(y - 4).toFixed(2)}V${(y + 4).toFixed(2)}M${xa.toFixed(2)} ${y.toFixed(2)}H${xb.toFixed(2)}M${xb.toFixed(2)} ${(y - 4).toFixed(2)}V${(y + 4).toFixed(2)}`,
        { stroke: COLORS.timeout, 'stroke-width': 1.3, fill: 'none', 'stroke-dasharray': '3 2' });
      const right = xb > (c.left + c.right) / 2;
      if (free(right ? xb - 100 : xa + 100, y - 6)) w.text(right ? xb - 4 : xa + 4, y - 6, n.text, { class: 'note', fill: COLORS.timeout, 'text-anchor': right ? 'end' : 'start' });
    }
  }
  w.close('g');
  const gaps = notes.filter((n) => n.kind === 'gap').length;
  return {
    kind: 'seq', title: o.title ?? 'Time-sequence graph', svg: w.toString(), caption,
    counts: { marks: data.length, retransmissions: retx, drops: drops.length, gaps, timeouts: notes.length - gaps, ackSteps: acks.filter((a) => a.ack !== null).length },
  };
}
