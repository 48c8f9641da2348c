/**
 * The run a scenario is checked against: the analyzer's timeline entries of the transfer's
 * connection, plus what only the checker needs (payload bytes for delivery, frames the recorder
 * marked as dropped). Built from decoded segments by `CheckTraceBuilder` (pure), and read from a
 * capture file by `readCheckTrace` (capture_trace.ts).
 */
import type { Direction, TimelineEntry } from '../analyze/timeline.js';
import type { DissectedSegment } from '../dissect/segment_stream.js';

export interface CheckEntry extends TimelineEntry {
  /** Payload bytes (a copy), for data segments; null otherwise. */
  payload: Buffer | null;
  /** The recorder marked this frame as dropped by the impairment (pcapng comment "dropped ..."). */
  dropped: boolean;
}

export interface CheckTrace {
  file: string;
  /** Entries of the transfer's connection (the one carrying the most data), in capture order. */
  entries: CheckEntry[];
  connection: string;
  /** The direction that carries the data (usually 'forward', the opening side). */
  dataDirection: Direction;
  seqUnit: 'bytes' | 'packets';
  ackMeaning: 'next-expected' | 'last-received';
  framing: 'datagram' | 'fixed-records';
  /** Connections of the capture other than the checked one (reported, not checked). */
  otherConnections: number;
  /** Initial sequence number of each direction as on the wire (relative seq = raw - isn), or null. */
  isn: Record<Direction, bigint | null>;
}

interface DirectionState {
  isn: bigint | null;
  maxNext: number;
  una: number | null;
}

interface ConnectionBuild {
  id: number;
  key: string;
  forward: string;
  entries: CheckEntry[];
  dirs: Record<Direction, DirectionState>;
  dataUnits: Record<Direction, number>;
}

function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

/**
 * Places decoded segments on per-connection timelines (relative seq/ack in the protocol's unit,
 * ACKs as next expected, in-flight). A stand-in for the analyzer's timeline with the fields the
 * checker reads; it sets no analysis flags.
 *
 * @example
 * const b = new CheckTraceBuilder('run.pcap');
 * dissectCapture(reader, { binding, onSegment: (s) => b.add(s, dropped.has(s.frame)) });
 * const trace = b.finish();
 */
export class CheckTraceBuilder {
  private readonly connections = new Map<string, ConnectionBuild>();
  private t0: number | null = null;
  private seqUnit: 'bytes' | 'packets' = 'bytes';
  private ackMeaning: 'next-expected' | 'last-received' = 'next-expected';
  private framing: 'datagram' | 'fixed-records' = 'datagram';

  constructor(private readonly file: string) {}

  /** Time origin: the capture's first frame (seconds since the epoch). */
  origin(tsSec: number, tsNsec: number): void {
    if (this.t0 === null) this.t0 = tsSec + tsNsec / 1e9;
  }

  add(s: DissectedSegment, dropped = false): void {
    const seg = s.segment;
    const d = s.dissector;
    this.seqUnit = d.def.semantics.seqUnit;
    this.ackMeaning = d.def.semantics.ackMeaning;
    this.framing = d.def.binding.framing;
    this.origin(s.tsSec, s.tsNsec);
    let c = this.connections.get(s.connection);
    if (!c) {
      c = {
        id: this.connections.size + 1, key: s.connection, forward: s.src, entries: [],
        dirs: { forward: { isn: null, maxNext: 0, una: null }, reverse: { isn: null, maxNext: 0, una: null } },
        dataUnits: { forward: 0, reverse: 0 },
      };
      this.connections.set(s.connection, c);
    }
    const direction: Direction = s.src === c.forward ? 'forward' : 'reverse';
    const me = c.dirs[direction];
    const peer = c.dirs[direction === 'forward' ? 'reverse' : 'forward'];
    const bits = BigInt(d.seqBits);
    const mod = 1n << bits;
    const bytes = this.seqUnit === 'bytes';
    const misframed = s.warnings.some((w) => w === 'misframed' || w === 'gap-in-record' || w === 'partial-record');
    const isData = seg.isData && !misframed;
    const len = seg.payloadLength;
    let seq: number | null = null;
    if (seg.seq !== null && !misframed) {
      if (me.isn === null) me.isn = toBig(seg.seq) - (seg.syn ? 0n : 1n);
      seq = Number((((toBig(seg.seq) - me.isn) % mod) + mod) % mod);
    }
    const consumes = seg.syn || seg.fin ? (bytes ? d.def.semantics.synConsumesSeq !== false : true) : false;
    const units = isData ? (bytes ? len : 1) : consumes ? 1 : 0;
    const nextSeq = seq === null ? null : seq + units;
    let ack: number | null = null;
    if (seg.hasAck && seg.ack !== null && !misframed) {
      const raw = toBig(seg.ack) + (this.ackMeaning === 'last-received' ? 1n : 0n);
      const base = peer.isn ?? 0n;
      ack = Number((((raw - base) % mod) + mod) % mod);
      if (peer.una === null || ack > peer.una) peer.una = ack;
    }
    if (nextSeq !== null && nextSeq > me.maxNext) me.maxNext = nextSeq;
    if (isData && seq !== null && me.una === null) me.una = seq;
    if (isData) c.dataUnits[direction] += units;
    const t = s.tsSec + s.tsNsec / 1e9 - (this.t0 ?? 0);
    c.entries.push({
      frame: s.frame, tsSec: s.tsSec, tsNsec: s.tsNsec, time: t, connection: c.id, direction,
      src: s.src, dst: s.dst, kind: misframed ? null : seg.kind, syn: seg.syn && !misframed, fin: seg.fin && !misframed, rst: seg.rst && !misframed,
      seq, ack, rawSeq: seg.seq, rawAck: seg.ack, nextSeq, len, units, window: seg.window,
      inFlight: me.una === null ? 0 : Math.max(0, me.maxNext - me.una),
      isData, hasAck: ack !== null, flags: [], dupAckCount: 0, dupAckOf: null, retransmitOf: null, rtt: null, rttFrame: null, sack: null,
      checksum: seg.checksum, warnings: s.warnings.slice(),
      payload: isData ? Buffer.from(s.buf.subarray(s.offset + seg.payloadOffset, s.offset + seg.payloadOffset + len)) : null,
      dropped,
    });
  }

  /** The transfer's connection (most data units), or an empty trace when nothing decoded. */
  finish(): CheckTrace {
    let best: ConnectionBuild | null = null;
    let bestUnits = -1;
    for (const c of this.connections.values()) {
      const u = Math.max(c.dataUnits.forward, c.dataUnits.reverse);
      if (u > bestUnits) { best = c; bestUnits = u; }
    }
    return {
      file: this.file,
      entries: best?.entries ?? [],
      connection: best?.key ?? '',
      dataDirection: best && best.dataUnits.reverse > best.dataUnits.forward ? 'reverse' : 'forward',
      seqUnit: this.seqUnit,
      ackMeaning: this.ackMeaning,
      framing: this.framing,
      otherConnections: Math.max(0, this.connections.size - 1),
      isn: { forward: best?.dirs.forward.isn ?? null, reverse: best?.dirs.reverse.isn ?? null },
    };
  }
}
