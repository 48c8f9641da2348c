/**
 * Which part of a connection a figure shows: a frame or time range (`--from/--to`), and,
 * when that is still too many segments to draw legibly, an even sample that always keeps the
 * segments a reader looks for (retransmissions, gaps, dropped frames). The caption says so.
 */
import type { AnalysisFlag } from '../analyze/timeline.js';
import { flagMask, type EntryColumns } from './plot_entry.js';

/** A range end: a frame number or seconds since the capture's first frame. */
export type RangeBound = { frame: number } | { time: number };

export interface PlotRange {
  from?: RangeBound;
  to?: RangeBound;
}

/**
 * Parses a `--from/--to` value: an integer is a frame number, "1.5s" or "1.5" (with a point)
 * is a time in seconds.
 *
 * @example parseRangeBound('120') // { frame: 120 }
 * @example parseRangeBound('0.25s') // { time: 0.25 }
 */
export function parseRangeBound(s: string): RangeBound | null {
  const t = s.trim();
  if (/^\d+$/.test(t)) return { frame: Number(t) };
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*s?$/.exec(t);
  if (m && (t.endsWith('s') || t.includes('.'))) return { time: Number(m[1]) };
  return null;
}

function reached(cols: EntryColumns, i: number, b: RangeBound): boolean {
  return 'frame' in b ? cols.frame(i) >= b.frame : cols.time(i) >= b.time - 1e-12;
}
function beyond(cols: EntryColumns, i: number, b: RangeBound): boolean {
  return 'frame' in b ? cols.frame(i) > b.frame : cols.time(i) > b.time + 1e-12;
}

/**
 * Entry indexes [start, end) within the range (entries are in capture order).
 *
 * @example rangeIndexes(cols, { from: { frame: 10 }, to: { frame: 20 } }) // [7, 17]
 */
export function rangeIndexes(cols: EntryColumns, r: PlotRange = {}): [number, number] {
  let start = 0, end = cols.length;
  if (r.from) while (start < end && !reached(cols, start, r.from)) start++;
  if (r.to) { let e = start; while (e < end && !beyond(cols, e, r.to)) e++; end = e; }
  return [start, end];
}

/** Segments a figure must not sample away. */
export const NOTABLE: AnalysisFlag[] = ['retransmission', 'gap', 'out-of-order', 'spurious-retransmission', 'zero-window'];

export interface Sample {
  indexes: number[];
  /** Entries in the range; indexes.length of them are drawn. */
  total: number;
  /** 1 when everything is drawn, else every stride-th ordinary entry. */
  stride: number;
}

/**
 * At most `limit` indexes of the entries in [start, end) that `include` accepts: notable
 * entries first (up to half the budget), the rest evenly strided over the included entries
 * (striding over included entries only, so alternating data/ACK traffic cannot alias a whole
 * direction away). The result is sorted and deterministic.
 *
 * @example sampleIndexes(cols, 0, 1_000_000, 4000, (i) => cols.hasFlag(i, 'retransmission')).stride // 250
 */
export function sampleIndexes(cols: EntryColumns, start: number, end: number, limit: number, keep: (i: number) => boolean, include: (i: number) => boolean = () => true): Sample {
  let total = 0;
  for (let i = start; i < end; i++) if (include(i)) total++;
  const all = total <= limit;
  const kept: number[] = [];
  const keepBudget = all ? 0 : Math.floor(limit / 2);
  for (let i = start; i < end && kept.length < keepBudget; i++) if (include(i) && keep(i)) kept.push(i);
  const stride = all ? 1 : Math.ceil(total / Math.max(1, limit - kept.length));
  const set = new Set(kept);
  for (let i = start, k = 0; i < end; i++) {
    if (!include(i)) continue;
    if (k % stride === 0) set.add(i);
    k++;
  }
  return { indexes: [...set].sort((a, b) => a - b), total, stride };
}

/**
 * A window of at most `rows` entries around the first loss (a gap, retransmission or drop),
 * for figures that cannot be sampled (the ladder draws every segment in its range).
 *
 * @example lossWindow(cols, 60, 250) // [i - 8, i + 52] around the first retransmission
 */
export function lossWindow(cols: EntryColumns, rows: number, firstDropTime: number | null): [number, number] {
  if (cols.length <= rows) return [0, cols.length];
  let first = -1;
  const mask = flagMask(NOTABLE);
  for (let i = 0; i < cols.length; i++) {
    if (cols.hasMask(i, mask) || (firstDropTime !== null && cols.time(i) >= firstDropTime)) { first = i; break; }
  }
  const start = first < 0 ? 0 : Math.max(0, Math.min(first - Math.floor(rows / 6), cols.length - rows));
  return [start, start + rows];
}
