/**
 * The decode pipeline: capture frames → link/IP/UDP/TCP → dissector → segments, in one
 * streaming pass. Datagram protocols decode one segment per UDP/TCP payload; stream protocols
 * ("fixed-records") are reassembled per TCP direction and cut into records; plain TCP decodes
 * the TCP header itself. Learned parameters (seed 004's N) are kept per connection.
 * A segment that opens a new conversation on a used address/port pair (port_reuse.ts) starts a
 * new connection: its key gets " #2", " #3"… and it starts with fresh parameters and streams.
 * Memory grows with open connections (and their out-of-order bytes), not with packets.
 */
import type { CaptureReader, CaptureSummary, Frame } from '../capture/frame.js';
import { pseudoHeaderSum } from '../codec/checksum.js';
import type { Dissector } from '../codec/dissector.js';
import type { Segment } from '../codec/segment.js';
import { formatAddress } from '../net/ip_address.js';
import { NetDecoder } from '../net/net_decoder.js';
import type { NetPacket, TcpHeaderView } from '../net/net_packet.js';
import { TcpStreamReassembler } from '../net/tcp_stream_reassembler.js';
import type { DissectorBinding } from './dissector_binding.js';
import { EndpointNames } from './endpoint_names.js';
import { FlowCache } from './flow_cache.js';
import { PortReuseTracker, type ReuseView } from './port_reuse.js';
import { RecordCutter, type CutRecord } from './record_cutter.js';

/**
 * IP protocol number in the pseudo-header of a record's checksum that covers it (records in
 * UDP, or one per TCP payload). Its length field is the whole record's, as for TCP itself.
 */
const PSEUDO_PROTOCOL: Partial<Record<string, number>> = { 'tcp-pseudo': 6, 'udp-pseudo': 17 };

export interface DissectedSegment {
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** "ip:port" ("[v6]:port") of sender and receiver. */
  src: string;
  dst: string;
  transport: 'udp' | 'tcp';
  /**
   * Same for both directions of a connection: "udp 10.0.0.1:5000 10.0.0.2:6000" (sorted), with
   * " #2", " #3"… for later conversations on the same address/port pair.
   */
  connection: string;
  dissector: Dissector;
  segment: Segment;
  /** The bytes the segment was decoded from: [offset, offset + length). A view, valid during the callback. */
  buf: Buffer;
  offset: number;
  length: number;
  /** The TCP header under the segment (plain TCP, and stream protocols), valid during the callback. */
  tcp: TcpHeaderView | null;
  /** Segment warnings plus capture-level ones ('snaplen' when the frame was cut). */
  warnings: string[];
  /** For stream records: the frame that carried the record's first byte. */
  firstFrame: number;
  /**
   * True on the first segment of a connection that reuses the address/port pair of an earlier
   * one (tshark's tcp.analysis.reused_ports); absent otherwise.
   */
  reusedPorts?: boolean;
}

export interface OtherFrame {
  frame: number;
  tsSec: number;
  tsNsec: number;
  src: string | null;
  dst: string | null;
  /** 'unknown' (no dissector claims it), 'not-ip', 'not-transport', 'fragment', 'malformed', 'unsupported-link', 'tcp-control' */
  reason: string;
}

export interface DissectOptions {
  binding: DissectorBinding;
  /** Parameter values given on the command line (--param N=10); learned values override them per connection. */
  params?: Record<string, number>;
  onSegment: (s: DissectedSegment) => void;
  onOther?: (o: OtherFrame) => void;
}

/** What a flow (one direction of a connection) resolves to, cached between its packets. */
interface Flow {
  src: string;
  dst: string;
  dissector: Dissector | null;
  conn: ConnectionState | null;
}

interface StreamDirection {
  reassembler: TcpStreamReassembler;
  cutter: RecordCutter;
}

interface ConnectionState {
  /** The pair's key, then " #n" for the n-th conversation on it. */
  readonly pairKey: string;
  key: string;
  /** 1 for the first conversation on the pair, 2 for the next… */
  generation: number;
  /** The next segment emitted is the first of a conversation on a reused pair. */
  reusedPending: boolean;
  reuse: PortReuseTracker;
  /** Plain TCP and stream protocols: the TCP header (random ISNs) decides reuse, not the records. */
  readonly tcpLevel: boolean;
  params: Record<string, number>;
  /** The decode context for `params`, made once per change instead of once per segment. */
  ctx: { params: Record<string, number>; pseudoSum?: number };
  dissector: Dissector;
  streams: Map<string, StreamDirection>;
}

/**
 * Dissects every frame of a capture and reports segments in frame order.
 *
 * @example
 * dissectCapture(openCapture('run.pcap'), { binding, onSegment: (s) => console.log(s.frame, s.segment.flags) });
 */
export function dissectCapture(reader: CaptureReader, o: DissectOptions): CaptureSummary {
  const run = new DissectRun(o);
  const summary = reader.forEach((f) => run.frame(f));
  run.finish();
  return summary;
}

class DissectRun {
  private readonly net = new NetDecoder({ verifyChecksums: false });
  private readonly connections = new Map<string, ConnectionState>();
  /** transport → src name → dst name → connection: lookups by cached strings, no key building per packet. */
  private readonly byEnds = new Map<string, Map<string, Map<string, ConnectionState>>>();
  private readonly names = new EndpointNames();
  private readonly flows = new FlowCache<Flow>();
  private static readonly NO_EXTRA: string[] = [];
  private current: Frame | null = null;
  private currentTcp: TcpHeaderView | null = null;
  private lastFrame = 0;
  private readonly tcpCtx: { pseudoSum: number | undefined } = { pseudoSum: undefined };
  /** The reuse rule's view of the current TCP header (one object serves all packets). */
  private readonly tcpView: ReuseView = { syn: false, hasAck: false, fin: false, rst: false, data: false, seq: null, ack: null };
  private readonly segView: ReuseView = { syn: false, hasAck: false, fin: false, rst: false, data: false, seq: null, ack: null };

  constructor(private readonly o: DissectOptions) {}

  frame(f: Frame): void {
    this.current = f;
    this.lastFrame = f.index;
    const p = this.net.decode(f);
    if (!p) {
      this.other(f, null, null, this.net.skipReason);
      return;
    }
    if (p.protocol !== 6 && p.protocol !== 17) {
      this.other(f, p, null, 'not-transport');
      return;
    }
    const transport = p.protocol === 6 ? 'tcp' : 'udp';
    let flow = this.flows.get(p);
    if (flow === undefined) {
      const dissector = this.o.binding.pick(transport, p.srcPort, p.dstPort);
      const src = this.names.of(p, 'src');
      const dst = this.names.of(p, 'dst');
      flow = { src, dst, dissector, conn: dissector ? this.connection(transport, src, dst, dissector) : null };
      this.flows.set(p, flow);
    }
    const { src, dst } = flow;
    const d = flow.dissector;
    const conn = flow.conn;
    if (!d || !conn) {
      this.other(f, p, [src, dst], 'unknown');
      return;
    }
    const kind = d.def.binding.transport;
    this.currentTcp = p.tcp;
    // Plain TCP and stream protocols ride a TCP connection: its SYN decides, not the records'.
    if (conn.tcpLevel && p.tcp) this.tcpReuse(p, p.tcp, conn, src, dst);
    if (kind === 'ip') this.plainTcp(f, p, d, conn, src, dst);
    else if (d.def.binding.framing === 'fixed-records' && transport === 'tcp') this.streamRecords(f, p, conn, src, dst);
    else this.datagram(f, p, d, conn, src, dst, transport);
  }

  private connection(transport: string, src: string, dst: string, d: Dissector): ConnectionState {
    let bySrc = this.byEnds.get(transport);
    if (!bySrc) this.byEnds.set(transport, (bySrc = new Map()));
    let byDst = bySrc.get(src);
    if (!byDst) bySrc.set(src, (byDst = new Map()));
    let conn = byDst.get(dst);
    if (conn) return conn;
    const key = `${transport} ${src < dst ? `${src} ${dst}` : `${dst} ${src}`}`;
    conn = this.connections.get(key);
    if (!conn) {
      const params = { ...d.defaultParams, ...(this.o.params ?? {}) };
      const tcpLevel = d.def.binding.transport === 'ip' || (transport === 'tcp' && d.def.binding.framing === 'fixed-records');
      conn = { pairKey: key, key, generation: 1, reusedPending: false, reuse: new PortReuseTracker(tcpLevel), tcpLevel, params, ctx: { params }, dissector: d, streams: new Map() };
      this.connections.set(key, conn);
    }
    byDst.set(dst, conn);
    return conn;
  }

  /** Follows the TCP conversation on `conn`'s pair and renews `conn` when a SYN opens a new one. */
  private tcpReuse(p: NetPacket, tcp: TcpHeaderView, conn: ConnectionState, src: string, dst: string): void {
    const v = this.tcpView;
    v.syn = (tcp.flags & 0x02) !== 0;
    v.hasAck = (tcp.flags & 0x10) !== 0;
    v.fin = (tcp.flags & 0x01) !== 0;
    v.rst = (tcp.flags & 0x04) !== 0;
    v.data = p.payloadWireLength > 0;
    v.seq = tcp.seq;
    v.ack = v.hasAck ? tcp.ack : null;
    if (v.syn && conn.reuse.reopenedBy(src, v)) this.renew(conn);
    conn.reuse.note(src, dst, v);
  }

  /** The reuse rule's view of a decoded segment. */
  private viewOf(seg: Segment): ReuseView {
    const v = this.segView;
    v.syn = seg.syn;
    v.hasAck = seg.hasAck;
    v.fin = seg.fin;
    v.rst = seg.rst;
    v.data = seg.isData;
    v.seq = seg.seq;
    v.ack = seg.hasAck ? seg.ack : null;
    return v;
  }

  /** Ends `conn`'s conversation (what its streams still hold is delivered) and starts the next. */
  private renew(conn: ConnectionState): void {
    this.finishStreams(conn);
    conn.generation++;
    conn.key = `${conn.pairKey} #${conn.generation}`;
    conn.reusedPending = true;
    conn.reuse = new PortReuseTracker(conn.tcpLevel);
    conn.params = { ...conn.dissector.defaultParams, ...(this.o.params ?? {}) };
    conn.ctx = { params: conn.params };
    conn.streams = new Map();
  }

  private finishStreams(conn: ConnectionState): void {
    for (const s of conn.streams.values()) {
      while (s.reassembler.flushGap() > 0) { /* deliver what waited behind holes */ }
      s.cutter.finish(this.lastFrame);
    }
  }

  finish(): void {
    for (const conn of this.connections.values()) this.finishStreams(conn);
  }

  private other(f: Frame, p: NetPacket | null, ends: [string, string] | null, reason: string): void {
    if (!this.o.onOther) return;
    let src = ends ? ends[0] : null;
    let dst = ends ? ends[1] : null;
    if (p && !ends) {
      src = formatAddress(p.buf, p.srcOffset, p.ipVersion);
      dst = formatAddress(p.buf, p.dstOffset, p.ipVersion);
    }
    this.o.onOther({ frame: f.index, tsSec: f.tsSec, tsNsec: f.tsNsec, src, dst, reason });
  }

  private emit(f: Frame, d: Dissector, seg: Segment, buf: Buffer, off: number, len: number, src: string, dst: string, conn: ConnectionState, transport: 'udp' | 'tcp', firstFrame: number, extra: string[]): void {
    const warnings = extra.length ? [...seg.warnings, ...extra] : seg.warnings;
    const reusedPorts = conn.reusedPending;
    conn.reusedPending = false;
    this.o.onSegment({
      frame: f.index, tsSec: f.tsSec, tsNsec: f.tsNsec, src, dst, transport, connection: conn.key, dissector: d, segment: seg,
      buf, offset: off, length: len, tcp: this.currentTcp, warnings, firstFrame, reusedPorts,
    });
  }

  private datagram(f: Frame, p: NetPacket, d: Dissector, conn: ConnectionState, src: string, dst: string, transport: 'udp' | 'tcp'): void {
    if (transport === 'tcp' && p.payloadLength === 0) {
      // A TCP handshake or pure ACK under a datagram protocol carries no segment of it.
      this.other(f, p, [src, dst], 'tcp-control');
      return;
    }
    // A checksum over the IP pseudo-header (a student's copy of TCP's) needs this datagram's addresses.
    const pseudoProtocol = PSEUDO_PROTOCOL[d.def.checksum.algorithm];
    const pseudoSum = pseudoProtocol === undefined || p.truncated ? undefined
      : pseudoHeaderSum(p.buf, p.srcOffset, p.dstOffset, p.ipVersion === 4 ? 4 : 16, pseudoProtocol, p.payloadLength);
    conn.ctx.pseudoSum = pseudoSum;
    let seg = d.decode(p.buf, p.payloadOffset, p.payloadLength, conn.ctx);
    if (seg.syn && conn.reuse.reopenedBy(src, this.viewOf(seg))) {
      const learned = conn.params;
      this.renew(conn);
      conn.ctx.pseudoSum = pseudoSum;
      // Read again with the new run's parameters when the old run had learned others.
      if (!sameParams(learned, conn.params)) seg = d.decode(p.buf, p.payloadOffset, p.payloadLength, conn.ctx);
    }
    conn.reuse.note(src, dst, this.viewOf(seg));
    this.learn(d, seg, conn);
    this.emit(f, d, seg, p.buf, p.payloadOffset, p.payloadLength, src, dst, conn, transport, f.index, p.truncated ? ['snaplen'] : DissectRun.NO_EXTRA);
  }

  private plainTcp(f: Frame, p: NetPacket, d: Dissector, conn: ConnectionState, src: string, dst: string): void {
    const len = p.payloadOffset + p.payloadLength - p.l4Offset;
    const pseudo = p.truncated ? undefined : pseudoHeaderSum(p.buf, p.srcOffset, p.dstOffset, p.ipVersion === 4 ? 4 : 16, 6, len);
    const ctx = this.tcpCtx;
    ctx.pseudoSum = pseudo; // decode reads the context and keeps none of it: one object serves all
    const seg = d.decode(p.buf, p.l4Offset, len, ctx);
    if (p.truncated) seg.payloadLength = p.payloadWireLength; // a snaplen does not shorten the segment on the wire
    this.emit(f, d, seg, p.buf, p.l4Offset, len, src, dst, conn, 'tcp', f.index, p.truncated ? ['snaplen'] : DissectRun.NO_EXTRA);
  }

  private streamRecords(f: Frame, p: NetPacket, conn: ConnectionState, src: string, dst: string): void {
    const key = `${src}>${dst}`;
    let s = conn.streams.get(key);
    if (!s) {
      const d = conn.dissector;
      const cutter = new RecordCutter(d, () => conn.params, (r) => this.record(conn, r, src, dst));
      const reassembler = new TcpStreamReassembler({
        onData: (chunk, at, frame, sourceFrame) => cutter.push(chunk, at, frame, sourceFrame),
        onGap: (missing, frame, at) => cutter.gap(frame, at, missing),
      });
      s = { reassembler, cutter };
      conn.streams.set(key, s);
    }
    const tcp = p.tcp!;
    if (p.truncated) this.other(f, p, [src, dst], 'snaplen');
    s.reassembler.push(tcp.seq, p.buf, p.payloadOffset, p.payloadLength, f.index, (tcp.flags & 0x02) !== 0);
  }

  private record(conn: ConnectionState, r: CutRecord, src: string, dst: string): void {
    const f = this.current!;
    const d = conn.dissector;
    const seg = d.decode(r.buf, r.offset, r.length, conn.ctx);
    if (!r.warnings.length) this.learn(d, seg, conn);
    this.emit(f, d, seg, r.buf, r.offset, r.length, src, dst, conn, 'tcp', r.firstFrame, r.warnings);
  }

  private learn(d: Dissector, seg: Segment, conn: ConnectionState): void {
    const np = d.learn(seg, conn.params);
    if (np) { conn.params = np; conn.ctx = { params: np }; }
  }
}

function sameParams(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
