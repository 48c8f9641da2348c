/**
 * The run a scenario is checked against: the analyzer's timeline entries of the transfer's
 * connection (seq/ack, retransmission and dup-ACK flags, in-flight, all from `TimelineAnalyzer`),
 * plus what only the checker needs (payload bytes for delivery, frames the recorder marked as
 * dropped). Built from decoded segments by `CheckTraceBuilder` (pure), and read from a capture
 * file by `readCheckTrace` (capture_trace.ts).
 */
import type { AnalyzeOptions } from '../analyze/analyze_options.js';
import type { Direction, TimelineEntry } from '../analyze/timeline.js';
import { TimelineAnalyzer } from '../analyze/timeline_analyzer.js';
import type { DissectedSegment } from '../dissect/segment_stream.js';

export interface CheckEntry extends TimelineEntry {
  /** Payload bytes (a copy), for data segments; null otherwise. */
  payload: Buffer | null;
  /** The recorder marked this frame as dropped by the impairment (pcapng comment "dropped ..."). */
  dropped: boolean;
}

export interface CheckTrace {
  file: string;
  /** Problems the capture reader reported (a truncated tail, …), one line each. */
  captureWarnings?: string[];
  /** Entries of the transfer's connection (the one carrying the most data), in capture order. */
  entries: CheckEntry[];
  connection: string;
  /** The direction that carries the data (usually 'forward', the opening side). */
  dataDirection: Direction;
  seqUnit: 'bytes' | 'packets';
  framing: 'datagram' | 'fixed-records';
  /** Connections of the capture other than the checked one (reported, not checked). */
  otherConnections: number;
  /** Initial sequence number of each direction as on the wire (relative seq = raw - isn), or null. */
  isn: Record<Direction, bigint | null>;
}

/** Records the stream cutter could not cut whole: their fields are bytes of other records. */
const MISFRAMED = new Set(['misframed', 'gap-in-record', 'partial-record']);

interface ConnectionEntries {
  key: string;
  entries: CheckEntry[];
  dataUnits: Record<Direction, number>;
  /** Direction of each sender seen, for entries the analyzer did not place. */
  sides: Map<string, Direction>;
}

/**
 * Collects the analyzer's entries per connection, with payload copies. A misframed record is
 * kept (the framing rule reports it) but not fed to the analyzer: its seq and ACK are bytes of
 * the neighbouring records and would corrupt the sequence state of every later segment.
 *
 * @example
 * const b = new CheckTraceBuilder('run.pcap', { dupAckThreshold: 3 });
 * dissectCapture(reader, { binding, onSegment: (s) => b.add(s, dropped.has(s.frame)) });
 * const trace = b.finish();
 */
export class CheckTraceBuilder {
  private readonly analyzer: TimelineAnalyzer;
  private readonly connections = new Map<string, ConnectionEntries>();
  private t0Sec = -1;
  private t0Nsec = 0;
  private seqUnit: 'bytes' | 'packets' = 'bytes';
  private framing: 'datagram' | 'fixed-records' = 'datagram';

  constructor(private readonly file: string, options: Partial<AnalyzeOptions> = {}) {
    this.analyzer = new TimelineAnalyzer(options);
  }

  /** Time origin: the capture's first frame, decoded or not (as Wireshark and `analyze` count). */
  origin(tsSec: number, tsNsec: number): void {
    if (this.t0Sec >= 0) return;
    this.t0Sec = tsSec;
    this.t0Nsec = tsNsec;
    this.analyzer.start(tsSec, tsNsec);
  }

  add(s: DissectedSegment, dropped = false): void {
    const d = s.dissector;
    this.seqUnit = d.def.semantics.seqUnit;
    this.framing = d.def.binding.framing;
    this.origin(s.tsSec, s.tsNsec);
    let c = this.connections.get(s.connection);
    if (!c) {
      c = { key: s.connection, entries: [], dataUnits: { forward: 0, reverse: 0 }, sides: new Map() };
      this.connections.set(s.connection, c);
    }
    const misframed = s.warnings.some((w) => MISFRAMED.has(w));
    const e = (misframed ? this.unplaced(s, c) : this.analyzer.push(s)) as CheckEntry;
    c.sides.set(e.src, e.direction);
    const seg = s.segment;
    e.payload = e.isData ? Buffer.from(s.buf.subarray(s.offset + seg.payloadOffset, s.offset + seg.payloadOffset + seg.payloadLength)) : null;
    e.dropped = dropped;
    if (e.isData) c.dataUnits[e.direction] += e.units;
    c.entries.push(e);
  }

  /** An entry for a misframed record: where and when it was, and nothing read from its bytes. */
  private unplaced(s: DissectedSegment, c: ConnectionEntries): TimelineEntry {
    const known = c.sides.get(s.src);
    const peer = c.sides.get(s.dst);
    const direction: Direction = known ?? (peer === 'forward' ? 'reverse' : 'forward');
    return {
      frame: s.frame, tsSec: s.tsSec, tsNsec: s.tsNsec,
      time: (s.tsSec - this.t0Sec) + (s.tsNsec - this.t0Nsec) / 1e9,
      connection: 0, direction, src: s.src, dst: s.dst, kind: null, syn: false, fin: false, rst: false,
      seq: null, ack: null, rawSeq: null, rawAck: null, nextSeq: null, len: s.segment.payloadLength, units: 0,
      window: null, inFlight: 0, isData: false, hasAck: false, flags: [], dupAckCount: 0, dupAckOf: null,
      retransmitOf: null, rtt: null, rttFrame: null, sack: null, checksum: s.segment.checksum, warnings: s.warnings,
    };
  }

  /** The transfer's connection (most data units), or an empty trace when nothing decoded. */
  finish(): CheckTrace {
    let best: ConnectionEntries | null = null;
    let bestUnits = -1;
    for (const c of this.connections.values()) {
      const u = Math.max(c.dataUnits.forward, c.dataUnits.reverse);
      if (u > bestUnits) { best = c; bestUnits = u; }
    }
    const entries = best?.entries ?? [];
    return {
      file: this.file,
      entries,
      connection: best?.key ?? '',
      dataDirection: best && best.dataUnits.reverse > best.dataUnits.forward ? 'reverse' : 'forward',
      seqUnit: this.seqUnit,
      framing: this.framing,
      otherConnections: Math.max(0, this.connections.size - 1),
      isn: { forward: isnOf(entries, 'forward'), reverse: isnOf(entries, 'reverse') },
    };
  }
}

/** The wire seq that the analyzer's relative 0 stands for in one direction. */
function isnOf(entries: CheckEntry[], dir: Direction): bigint | null {
  const e = entries.find((x) => x.direction === dir && x.seq !== null && x.rawSeq !== null);
  return e ? BigInt(e.rawSeq!) - BigInt(e.seq!) : null;
}
