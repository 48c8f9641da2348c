/**
 * The I/O edge of the report: one streaming pass of the analyzer over a capture, keeping each
 * connection's timeline in compact columns, plus the drop ground truth (sidecar and pcapng
 * "dropped" comments). Everything after this (figures, tables, HTML) is pure.
 */
import type { CaptureReader, CaptureSummary } from '../capture/frame.js';
import { openCapture } from '../capture/open_capture.js';
import { analyzeCapture } from '../analyze/analyze_capture.js';
import type { AnalyzeOptions } from '../analyze/analyze_options.js';
import type { ConnectionSummary, Direction } from '../analyze/timeline.js';
import type { Dissector } from '../codec/dissector.js';
import type { DissectorBinding } from '../dissect/dissector_binding.js';
import { InputError } from '../input_error.js';
import { readDropSidecar, resolveDrops, type DropMark, type RawDrop } from './drop_marks.js';
import { EntryColumns } from './plot_entry.js';

export interface PlotTrace {
  file: string;
  capture: CaptureSummary;
  /** Epoch seconds of the first frame. */
  t0: number;
  connections: ConnectionSummary[];
  columns: Map<number, EntryColumns>;
  rawDrops: RawDrop[];
  /** Frames a pcapng comment marks as dropped by the recorder's impairment. */
  commentDrops: Set<number>;
  /** Relative times of the frames the sidecar's drops refer to. */
  frameTimes: Map<number, number>;
  seqOffsets: Map<string, bigint>;
  /** ACK meaning of each dissector seen, by name (labels show ACKs as the protocol writes them). */
  ackMeanings: Map<string, 'next-expected' | 'last-received'>;
}

/** One connection, ready to plot. */
export interface ConnectionView {
  file: string;
  summary: ConnectionSummary;
  cols: EntryColumns;
  /** The direction carrying the data (more unique units). */
  dataDirection: Direction;
  drops: DropMark[];
  /** Frames that show a datagram the impairment dropped. */
  droppedFrames: Set<number>;
  /** What to subtract from a (next-expected) timeline ACK to show it as the protocol writes it. */
  ackShift: number;
}

export interface ReadPlotTraceOptions {
  binding: DissectorBinding;
  params?: Record<string, number>;
  options?: Partial<AnalyzeOptions>;
  /** Dissectors that may appear (for their ACK meaning); others read as next-expected. */
  dissectors?: Dissector[];
}

const DROPPED_COMMENT = /^(acktrace:\s*)?dropped\b/i;

/**
 * @example
 * const trace = readPlotTrace('run.pcap', { binding });
 * const view = connectionView(trace); view.cols.length // segments of the busiest connection
 */
export function readPlotTrace(file: string, o: ReadPlotTraceOptions): PlotTrace {
  const reader = openCapture(file);
  const rawDrops = readDropSidecar(file);
  const wanted = new Set<number>();
  for (const d of rawDrops) if (d.afterFrame !== null) { wanted.add(d.afterFrame); wanted.add(d.afterFrame + 1); }
  const frameTimes = new Map<number, number>();
  const commentDrops = new Set<number>();
  let t0: number | null = null;
  let sec0 = 0, nsec0 = 0;
  const noting: CaptureReader = {
    file: reader.file,
    format: reader.format,
    forEach: (cb) => reader.forEach((f) => {
      if (t0 === null) { t0 = f.tsSec + f.tsNsec / 1e9; sec0 = f.tsSec; nsec0 = f.tsNsec; }
      // Whole seconds and nanoseconds apart: epoch floats would lose the microseconds.
      if (wanted.has(f.index)) frameTimes.set(f.index, f.tsSec - sec0 + (f.tsNsec - nsec0) / 1e9);
      if (f.comments?.some((c) => DROPPED_COMMENT.test(c))) commentDrops.add(f.index);
      cb(f);
    }),
  };
  const columns = new Map<number, EntryColumns>();
  const seqOffsets = new Map<string, bigint>();
  const { connections, capture } = analyzeCapture(noting, {
    binding: o.binding, params: o.params, options: o.options,
    onEntry: (e) => {
      let c = columns.get(e.connection);
      if (!c) { c = new EntryColumns(); columns.set(e.connection, c); }
      c.push(e);
      if (e.rawSeq !== null && e.seq !== null) {
        const k = `${e.connection}:${e.direction}`;
        if (!seqOffsets.has(k)) seqOffsets.set(k, BigInt(e.rawSeq) - BigInt(e.seq));
      }
    },
  });
  const ackMeanings = new Map((o.dissectors ?? []).map((d) => [d.name, d.def.semantics.ackMeaning] as const));
  return { file, capture, t0: t0 ?? 0, connections, columns, rawDrops, commentDrops, frameTimes, seqOffsets, ackMeanings };
}

function units(c: ConnectionSummary): number {
  return Math.max(c.forward.uniqueUnits, c.reverse.uniqueUnits);
}

/**
 * Picks a connection (by id, else the one that carried the most data) and places the drops on it.
 *
 * @example connectionView(trace, 2).summary.id // 2
 */
export function connectionView(trace: PlotTrace, id?: number): ConnectionView {
  if (trace.connections.length === 0) throw new InputError(trace.file, 'no segments decoded: choose a dissector with -d and --port');
  let summary: ConnectionSummary | undefined;
  if (id !== undefined) {
    summary = trace.connections.find((c) => c.id === id);
    if (!summary) throw new InputError(trace.file, `no connection ${id} (the capture has ${trace.connections.length})`);
  } else {
    summary = trace.connections.reduce((best, c) => (units(c) > units(best) ? c : best));
  }
  const cols = trace.columns.get(summary.id) ?? new EntryColumns();
  const frameBefore = (time: number): number => {
    let lo = 0, hi = cols.length - 1, ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cols.time(mid) <= time) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans < 0 ? 0 : cols.frame(ans);
  };
  const drops = resolveDrops(trace.rawDrops, {
    client: summary.client, server: summary.server, t0: trace.t0,
    frameTime: (f) => trace.frameTimes.get(f),
    seqOffset: {
      forward: trace.seqOffsets.get(`${summary.id}:forward`) ?? null,
      reverse: trace.seqOffsets.get(`${summary.id}:reverse`) ?? null,
    },
    frameBefore,
  });
  const droppedFrames = new Set<number>(trace.commentDrops);
  for (const d of drops) if (d.inCapture) droppedFrames.add(d.afterFrame);
  const dataDirection: Direction = summary.reverse.uniqueUnits > summary.forward.uniqueUnits ? 'reverse' : 'forward';
  const ackShift = trace.ackMeanings.get(summary.dissector) === 'last-received' ? 1 : 0;
  return { file: trace.file, summary, cols, dataDirection, drops: drops.filter((d) => !d.inCapture), droppedFrames, ackShift };
}
