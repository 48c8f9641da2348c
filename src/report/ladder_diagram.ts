/**
 * The ladder diagram (message sequence chart) of a textbook's Go-Back-N section: the client's
 * and the server's lifelines, one slanted arrow per segment labelled with its kind, seq, ack
 * and flags, time running down. Retransmissions are vermillion; a segment the recording says
 * was lost is an arrow that stops halfway in a cross; a retransmission after silence gets a
 * timeout bracket on the sender's lifeline. Rows are evenly spaced (one per event) so a
 * burst stays legible; the left column gives each row's frame and time.
 */
import type { Direction } from '../analyze/timeline.js';
import type { DropMark } from './drop_marks.js';
import { describeView, samplingNote, secondsText, type Figure, type FigureOptions } from './figure.js';
import type { PlotEntry } from './plot_entry.js';
import { lossWindow, rangeIndexes } from './plot_range.js';
import type { ConnectionView } from './plot_trace.js';
import { COLORS, SvgWriter } from './svg_writer.js';

const WIDTH = 760;
const TIME_COL = 14;
const LEFT = 215;
const RIGHT = 640;
const TOP = 112;
const ROW = 30;
const SLANT = 20;

type Row = { entry: PlotEntry; drop: null } | { entry: null; drop: DropMark };

/** "MSG seq=4 (retransmission)", "ACK ack=3 (dup #1)", "SYN seq=0", "seq=1501 len=500 ack=1". */
export function segmentLabel(e: PlotEntry, bytes: boolean, ackShift = 0): string {
  const parts: string[] = [];
  const ctl = [e.syn ? 'SYN' : '', e.fin ? 'FIN' : '', e.rst ? 'RST' : ''].filter(Boolean);
  if (e.kind) parts.push(e.kind);
  else if (ctl.length) parts.push(ctl.join('+'));
  else if (!e.isData && e.hasAck) parts.push('ACK');
  if (e.kind && ctl.length && !ctl.some((c) => e.kind === c)) parts.push(`[${ctl.join('+')}]`);
  if (e.seq !== null && (e.isData || e.syn || e.fin)) parts.push(`seq=${e.seq}`);
  if (bytes && e.len > 0) parts.push(`len=${e.len}`);
  if (e.ack !== null && e.hasAck) parts.push(`ack=${e.ack - ackShift}`);
  if (e.flags.includes('retransmission')) parts.push(e.flags.includes('fast-retransmission') ? '(fast retx)' : '(retx)');
  if (e.flags.includes('dup-ack')) parts.push(`(dup #${e.dupAckCount})`);
  return parts.join(' ');
}

function dropLabel(d: DropMark): string {
  const what = d.kind ?? (d.cls === 'ack' ? 'ACK' : 'data');
  const val = d.cls === 'ack' ? `ack=${d.value ?? '?'}` : d.seq !== null ? `seq=${d.seq}` : d.value !== null ? `seq=${d.value}` : '';
  return `${what} ${val} lost`.replace(/\s+/g, ' ');
}

function arrowHead(w: SvgWriter, x1: number, y1: number, x2: number, y2: number, color: string): void {
  const a = Math.atan2(y2 - y1, x2 - x1);
  const l = 9, s = 0.38;
  const p = (ang: number) => `${(x2 - l * Math.cos(ang)).toFixed(2)} ${(y2 - l * Math.sin(ang)).toFixed(2)}`;
  w.path(`M${x2.toFixed(2)} ${y2.toFixed(2)}L${p(a - s)}L${p(a + s)}Z`, { fill: color, stroke: 'none' });
}

/** The rows to draw: entries in range, each sidecar drop after the frame it followed. */
function rowsOf(v: ConnectionView, start: number, end: number): Row[] {
  const rows: Row[] = [];
  const drops = v.drops.slice();
  const lastFrame = end > start ? v.cols.frame(end - 1) : 0;
  const firstFrame = end > start ? v.cols.frame(start) : 0;
  let k = 0;
  while (k < drops.length && drops[k].afterFrame < firstFrame - 1) k++;
  for (let i = start; i < end; i++) {
    const e = v.cols.at(i);
    // Drops that happened before this frame (a frame can hold several records: wait for the last).
    while (k < drops.length && drops[k].afterFrame < e.frame) rows.push({ entry: null, drop: drops[k++] });
    rows.push({ entry: e, drop: null });
  }
  while (k < drops.length && drops[k].afterFrame <= lastFrame) rows.push({ entry: null, drop: drops[k++] });
  return rows;
}

/**
 * @example writeFileSync('ladder.svg', ladderDiagram(view, { range: { from: { frame: 1 }, to: { frame: 40 } } }).svg)
 */
export function ladderDiagram(v: ConnectionView, o: FigureOptions = {}): Figure {
  const limit = o.limit ?? 80;
  let [start, end] = rangeIndexes(v.cols, o.range);
  if (!o.range && end - start > limit) [start, end] = lossWindow(v.cols, limit, v.drops[0]?.time ?? null);
  else if (end - start > limit) end = start + limit;
  const rows = rowsOf(v, start, end);
  const bytes = v.summary.seqUnit === 'bytes';
  const title = o.title ?? 'Ladder diagram';
  const caption = [describeView(v, 'forward')];
  const note = samplingNote(v, start, end, null, 'segments');
  if (note) caption.push(note);
  caption.push(`Time runs down, one row per segment; arrows are slanted for legibility, not to scale. Seq relative; ACK ${v.ackShift ? 'as the protocol writes it (last received)' : 'relative, next expected'}.`);
  const bottom = TOP + rows.length * ROW + 16;
  const height = bottom + 24 + caption.length * 15;
  const w = new SvgWriter(WIDTH, height, title, 'ladder');
  w.text(TIME_COL, 24, title, { class: 'title' });
  legend(w);
  // Lifelines and their heads.
  for (const [x, name, addr] of [[LEFT, 'client', v.summary.client], [RIGHT, 'server', v.summary.server]] as Array<[number, string, string]>) {
    w.rect(x - 80, 66, 160, 34, { fill: '#f4f6f8', stroke: COLORS.axis, rx: 4 });
    w.text(x, 80, name, { class: 'axis-label', 'text-anchor': 'middle', 'font-weight': 'bold' });
    w.text(x, 94, addr, { class: 'tick mono', 'text-anchor': 'middle' });
    w.line(x, 100, x, bottom, { stroke: COLORS.axis, 'stroke-width': 1.5, class: 'lifeline' });
  }
  w.text(TIME_COL, 94, 'frame   time', { class: 'tick', 'font-weight': 'bold' });
  const counts = { arrows: 0, drops: 0, retransmissions: 0, timeouts: 0 };
  const lastSendRow: Record<Direction, number | null> = { forward: null, reverse: null };
  const lastSendTime: Record<Direction, number | null> = { forward: null, reverse: null };
  const lastWasRetx: Record<Direction, boolean> = { forward: false, reverse: false };
  rows.forEach((r, k) => {
    const y = TOP + k * ROW;
    const dir = r.entry ? r.entry.direction : r.drop.direction;
    const [x1, x2] = dir === 'forward' ? [LEFT, RIGHT] : [RIGHT, LEFT];
    const sign = x2 > x1 ? 1 : -1;
    if (r.entry) {
      const e = r.entry;
      const dropped = v.droppedFrames.has(e.frame);
      const retx = e.flags.includes('retransmission');
      const color = dropped ? COLORS.drop : retx ? COLORS.retransmission : e.isData ? COLORS.data : COLORS.ack;
      w.text(TIME_COL, y + 4, `${String(e.frame).padStart(5, '\u2007')}  ${e.time.toFixed(4)}`, { class: 'tick mono' });
      // One bracket per burst: the first retransmission after the silence, not each one after it.
      if (retx && !lastWasRetx[dir] && !e.flags.includes('fast-retransmission') && lastSendRow[dir] !== null && lastSendTime[dir] !== null) {
        timeoutBracket(w, dir === 'forward' ? LEFT : RIGHT, TOP + (lastSendRow[dir] as number) * ROW, y, dir === 'forward' ? -1 : 1, e.time - (lastSendTime[dir] as number));
        counts.timeouts++;
      }
      if (dropped) {
        const xe = x1 + (x2 - x1) * 0.55, ye = y + SLANT * 0.55;
        w.line(x1, y, xe, ye, { stroke: color, 'stroke-width': 1.6, class: 'arrow dropped' });
        w.cross(xe, ye, 11, COLORS.drop, 'drop');
        counts.drops++;
      } else {
        w.line(x1, y, x2 - sign * 1.5, y + SLANT, { stroke: color, 'stroke-width': retx ? 2 : 1.5, class: retx ? 'arrow retransmission' : 'arrow' });
        arrowHead(w, x1, y, x2, y + SLANT, color);
        counts.arrows++;
      }
      if (retx) counts.retransmissions++;
      arrowLabel(w, x1, y, dropped ? 0.55 : 1, x2, segmentLabel(e, bytes, v.ackShift) + (dropped ? ' lost' : ''), dropped ? COLORS.drop : retx ? COLORS.retransmission : COLORS.ink);
      if (e.isData || e.syn || e.fin) { lastSendRow[dir] = k; lastSendTime[dir] = e.time; lastWasRetx[dir] = retx; }
    } else {
      const d = r.drop;
      const xe = x1 + (x2 - x1) * 0.55, ye = y + SLANT * 0.55;
      w.text(TIME_COL, y + 4, `${'\u2007'.repeat(5)}  ${d.time.toFixed(4)}`, { class: 'tick mono', fill: COLORS.drop });
      w.line(x1, y, xe, ye, { stroke: COLORS.drop, 'stroke-width': 1.6, 'stroke-dasharray': '5 3', class: 'arrow dropped' });
      w.cross(xe, ye, 11, COLORS.drop, 'drop');
      arrowLabel(w, x1, y, 0.55, x2, dropLabel(d), COLORS.drop);
      counts.drops++;
      if (d.cls === 'data') { lastSendRow[dir] = k; lastSendTime[dir] = d.time; lastWasRetx[dir] = false; }
    }
  });
  caption.forEach((line, i) => w.text(TIME_COL, bottom + 22 + i * 15, line, { class: 'caption' }));
  return { kind: 'ladder', title, svg: w.toString(), caption, counts };
}

/**
 * A label centred on the drawn part of an arrow (`part` of its full length), just above it and
 * tilted with it: the next row's arrow is a full row lower, so labels never collide.
 */
function arrowLabel(w: SvgWriter, x1: number, y1: number, part: number, x2: number, text: string, color: string): void {
  const xm = x1 + ((x2 - x1) * part) / 2;
  const ym = y1 + (SLANT * part) / 2;
  const deg = (Math.atan2(SLANT, x2 - x1) * 180) / Math.PI;
  const tilt = Math.abs(deg) > 90 ? deg - 180 * Math.sign(deg) : deg;
  w.text(xm, ym - 5, text, { class: 'label mono', 'text-anchor': 'middle', fill: color, transform: `rotate(${tilt.toFixed(2)} ${xm.toFixed(2)} ${ym.toFixed(2)})` });
}

function legend(w: SvgWriter): void {
  const items: Array<[string, string, boolean]> = [['data', COLORS.data, false], ['ACK', COLORS.ack, false], ['retransmission', COLORS.retransmission, false], ['lost', COLORS.drop, true], ['timeout', COLORS.timeout, false]];
  let x = TIME_COL;
  for (const [label, color, cross] of items) {
    if (cross) w.cross(x + 9, 44, 9, color);
    else if (label === 'timeout') w.path(`M${x + 9} 37V51`, { stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '3 2' });
    else { w.line(x, 44, x + 16, 44, { stroke: color, 'stroke-width': 2 }); arrowHead(w, x, 44, x + 18, 44, color); }
    w.text(x + 24, 48, label, { class: 'legend' });
    x += 24 + label.length * 6.3 + 22;
  }
}

/** A dashed bracket beside the sender's lifeline from its last send to the retransmission. */
function timeoutBracket(w: SvgWriter, x: number, y0: number, y1: number, side: number, seconds: number): void {
  const bx = x + side * 12;
  w.path(`M${x.toFixed(2)} ${y0.toFixed(2)}H${bx.toFixed(2)}V${y1.toFixed(2)}H${x.toFixed(2)}`, { stroke: COLORS.timeout, 'stroke-width': 1.4, fill: 'none', 'stroke-dasharray': '3 2', class: 'timeout' });
  const ym = (y0 + y1) / 2;
  w.text(bx + side * 5, ym - 2, 'timeout', { class: 'note', fill: COLORS.timeout, 'text-anchor': side < 0 ? 'end' : 'start', 'font-weight': 'bold' });
  w.text(bx + side * 5, ym + 10, secondsText(seconds), { class: 'note', fill: COLORS.timeout, 'text-anchor': side < 0 ? 'end' : 'start' });
}
