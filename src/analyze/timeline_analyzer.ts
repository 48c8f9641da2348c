/**
 * The analyzer as a push API: feed it decoded segments in capture order, get one TimelineEntry
 * back per segment, ask for the connection summaries at the end. Memory grows with open
 * connections and their outstanding data, never with the number of packets.
 */
import type { DissectedSegment } from '../dissect/segment_stream.js';
import { analyzeOptions, type AnalyzeOptions } from './analyze_options.js';
import { ConnectionAnalyzer } from './connection_analyzer.js';
import type { ConnectionSummary, TimelineEntry } from './timeline.js';

export class TimelineAnalyzer {
  private readonly connections = new Map<string, ConnectionAnalyzer>();
  private readonly options: AnalyzeOptions;
  private t0Sec = -1;
  private t0Nsec = 0;
  /** The last connection pushed to: consecutive segments mostly share one, so no map lookup. */
  private lastKey: string | null = null;
  private last: ConnectionAnalyzer | null = null;
  /** The entry `observe` fills and nobody keeps. */
  private readonly scratch: TimelineEntry = blankEntry();

  constructor(options: Partial<AnalyzeOptions> = {}) {
    this.options = analyzeOptions(options);
  }

  /** Sets the capture's start (the first frame, decoded or not); default: the first segment pushed. */
  start(tsSec: number, tsNsec: number): void {
    if (this.t0Sec >= 0) return;
    this.t0Sec = tsSec;
    this.t0Nsec = tsNsec;
  }

  /**
   * Places one segment on its connection's timeline.
   *
   * @example
   * const a = new TimelineAnalyzer();
   * dissectCapture(reader, { binding, onSegment: (s) => console.log(a.push(s).flags) });
   */
  push(s: DissectedSegment): TimelineEntry {
    this.start(s.tsSec, s.tsNsec);
    const now = (s.tsSec - this.t0Sec) + (s.tsNsec - this.t0Nsec) / 1e9;
    const c = this.connection(s);
    const seg = s.segment;
    const e: TimelineEntry = {
      frame: s.frame, tsSec: s.tsSec, tsNsec: s.tsNsec, time: now, connection: c.id, direction: 'forward',
      src: s.src, dst: s.dst, kind: seg.kind, syn: seg.syn, fin: seg.fin, rst: seg.rst,
      seq: null, ack: null, rawSeq: seg.seq, rawAck: seg.hasAck ? seg.ack : null, nextSeq: null,
      len: seg.payloadLength, units: 0, window: null, inFlight: 0, isData: seg.isData, hasAck: seg.hasAck,
      flags: [], dupAckCount: 0, dupAckOf: null, retransmitOf: null, rtt: null, rttFrame: null, sack: null,
      checksum: seg.checksum, warnings: s.warnings,
    };
    c.push(s, now, e);
    return e;
  }

  /**
   * Places one segment like `push`, for callers that want only the summaries: no entry is
   * made for it (analyzeCapture without onEntry), so memory and garbage do not follow packets.
   *
   * @example for (const s of segments) a.observe(s); a.summaries()
   */
  observe(s: DissectedSegment): void {
    this.start(s.tsSec, s.tsNsec);
    const now = (s.tsSec - this.t0Sec) + (s.tsNsec - this.t0Nsec) / 1e9;
    const e = this.scratch;
    e.flags.length = 0; // the analyzer appends its judgements to it
    this.connection(s).push(s, now, e);
  }

  private connection(s: DissectedSegment): ConnectionAnalyzer {
    if (s.connection === this.lastKey) return this.last!;
    let c = this.connections.get(s.connection);
    if (!c) {
      c = new ConnectionAnalyzer(this.connections.size + 1, s.connection, s.transport, s.dissector, s, this.options);
      this.connections.set(s.connection, c);
    }
    this.lastKey = s.connection;
    this.last = c;
    return c;
  }

  /** Summaries of every connection seen, in order of first appearance. */
  summaries(): ConnectionSummary[] {
    return [...this.connections.values()].map((c) => c.summary());
  }
}

function blankEntry(): TimelineEntry {
  return {
    frame: 0, tsSec: 0, tsNsec: 0, time: 0, connection: 0, direction: 'forward', src: '', dst: '', kind: null,
    syn: false, fin: false, rst: false, seq: null, ack: null, rawSeq: null, rawAck: null, nextSeq: null, len: 0,
    units: 0, window: null, inFlight: 0, isData: false, hasAck: false, flags: [], dupAckCount: 0, dupAckOf: null,
    retransmitOf: null, rtt: null, rttFrame: null, sack: null, checksum: 'none', warnings: [],
  };
}
