/**
 * What every figure function returns, the options they share, and the caption lines they
 * share (what the figure shows, and whether it was windowed or sampled).
 */
import { basename } from 'node:path';
import type { Direction } from '../analyze/timeline.js';
import type { PlotRange, Sample } from './plot_range.js';
import type { ConnectionView } from './plot_trace.js';

export type FigureKind = 'seq' | 'ladder' | 'inflight' | 'rtt';
export const FIGURE_KINDS: FigureKind[] = ['seq', 'ladder', 'inflight', 'rtt'];

export interface Figure {
  kind: FigureKind;
  title: string;
  /** A standalone SVG document. */
  svg: string;
  caption: string[];
  /** What was drawn, by name (marks, retransmissions, arrows, drops, ...): tests and the browser check read these. */
  counts: Record<string, number>;
}

export interface FigureOptions {
  range?: PlotRange;
  /** The direction whose data is plotted (default: the one that carried the data). */
  direction?: Direction;
  /** The sender's window in the protocol's unit, when segments carry none (a scenario's `window`). */
  window?: number | null;
  /** Upper bound on marks (seq, in-flight, RTT) or arrows (ladder) before sampling or windowing. */
  limit?: number;
  title?: string;
}

/** "sock352_gbn_drop3.pcap · connection 1: 10.0.0.1:38911 → 10.0.0.2:38912 (sock352)" */
export function describeView(v: ConnectionView, direction: Direction): string {
  const s = v.summary;
  const [a, b] = direction === 'forward' ? [s.client, s.server] : [s.server, s.client];
  return `${basename(v.file)} · connection ${s.id}: ${a} → ${b} (${s.dissector})`;
}

/** The caption line for a range and a sample, or null when the whole connection is drawn. */
export function samplingNote(v: ConnectionView, start: number, end: number, sample: Sample | null, what: string): string | null {
  const parts: string[] = [];
  if (start > 0 || end < v.cols.length) {
    if (end > start) parts.push(`frames ${v.cols.frame(start)}–${v.cols.frame(end - 1)} of ${v.summary.firstFrame}–${v.summary.lastFrame}`);
    else parts.push('an empty range');
  }
  if (sample && sample.stride > 1) parts.push(`downsampled: ${sample.indexes.length} of ${sample.total} ${what} drawn (every ${sample.stride}th, plus all retransmissions and gaps)`);
  return parts.length ? `Showing ${parts.join('; ')}.` : null;
}

/** Axis label of sequence numbers in the protocol's unit. */
export function seqUnitLabel(v: ConnectionView): string {
  return v.summary.seqUnit === 'bytes' ? 'bytes' : 'packets';
}

/** Seconds as short text with milliseconds ("0.301 s"). */
export function secondsText(t: number): string {
  return `${t.toFixed(3)} s`;
}
