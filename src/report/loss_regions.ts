/**
 * The interesting parts of a timeline: every loss (gap, retransmission, duplicate ACK,
 * recorded drop) with a few segments of context either side, merged into stretches, like
 * `grep -C`. This is the per-frame table a student pastes under "what happened at packet 4".
 */
import { flagMask } from './plot_entry.js';
import { NOTABLE } from './plot_range.js';
import type { ConnectionView } from './plot_trace.js';
import type { TimelineRow } from './report_tables.js';

/**
 * @example lossRegions(view, 3, 200).filter((r) => 'entry' in r).length // segments shown
 */
export function lossRegions(v: ConnectionView, context = 3, maxRows = 200): TimelineRow[] {
  const cols = v.cols;
  const keep = new Uint8Array(cols.length);
  const mask = flagMask([...NOTABLE, 'dup-ack']);
  let di = 0;
  const drops = v.drops;
  for (let i = 0; i < cols.length; i++) {
    let hit = cols.hasMask(i, mask) || v.droppedFrames.has(cols.frame(i));
    while (di < drops.length && drops[di].afterFrame <= cols.frame(i)) { di++; hit = true; }
    if (!hit) continue;
    for (let k = Math.max(0, i - context); k <= Math.min(cols.length - 1, i + context); k++) keep[k] = 1;
  }
  // A clean run has no losses: show its opening instead of nothing.
  if (!keep.includes(1)) keep.fill(1, 0, Math.min(cols.length, 4 * context + 8));
  const rows: TimelineRow[] = [];
  let skipped = 0;
  let shown = 0;
  let d = 0;
  let i = 0;
  for (; i < cols.length && shown < maxRows; i++) {
    if (!keep[i]) { skipped++; continue; }
    if (skipped) { rows.push({ skipped }); skipped = 0; }
    const e = cols.at(i);
    while (d < drops.length && drops[d].afterFrame < e.frame) {
      const x = drops[d++];
      rows.push({ drop: `${x.kind ?? (x.cls === 'ack' ? 'ACK' : 'data')} ${x.cls === 'ack' ? `ack=${x.value}` : `seq=${x.seq ?? x.value}`}`, time: x.time });
    }
    rows.push({ entry: e });
    shown++;
  }
  const tail = skipped + (cols.length - i);
  if (tail) rows.push({ skipped: tail });
  return rows;
}
