/**
 * When a segment on a known address/port pair opens a new conversation (tshark's "TCP port
 * numbers reused", tcp.analysis.reused_ports). Course protocols bind fixed ports, so two runs in
 * a row share one 4-tuple; kept as one connection, the second run's SYN at seq 0 reads as a
 * retransmission of everything. The decode pipeline asks this before each segment and starts a
 * new connection (own key, parameters, stream reassembly) when it answers true.
 *
 * The rule: a connection-opening segment (SYN without ACK; for course protocols also without
 * data, since student code marks data with SYN) on a tuple whose conversation
 * - gave its sender a different initial sequence number (tshark 4.0's rule), or
 * - saw a FIN, or a RST after data, or
 * - (course protocols, whose SYN is always seq 0) already carried data.
 */
import type { SeqNumber } from '../codec/segment.js';

/** What the rule reads of one segment. */
export interface ReuseView {
  syn: boolean;
  hasAck: boolean;
  fin: boolean;
  rst: boolean;
  /** Carries payload (or, for packet protocols, is a data segment). */
  data: boolean;
  seq: SeqNumber | null;
  ack: SeqNumber | null;
}

export class PortReuseTracker {
  private srcA: string | null = null;
  private isnA: SeqNumber = 0;
  private srcB: string | null = null;
  private isnB: SeqNumber = 0;
  private fin = false;
  private rst = false;
  private dataSeen = false;

  /**
   * `plainTcp`: sequence numbers are a real TCP header's (random ISN, every segment's seq meaningful),
   * so a SYN repeating the ISN after data is a late copy, not a new run.
   */
  constructor(private readonly plainTcp: boolean) {}

  /**
   * True when `v`, sent by `src`, opens a new conversation on this tuple.
   *
   * @example
   * const t = new PortReuseTracker(true);
   * t.note('a:1', 'b:2', { syn: true, hasAck: false, fin: false, rst: false, data: false, seq: 100, ack: null });
   * t.reopenedBy('a:1', { syn: true, hasAck: false, fin: false, rst: false, data: false, seq: 900, ack: null }) // true
   */
  reopenedBy(src: string, v: ReuseView): boolean {
    if (!v.syn || v.hasAck) return false;
    if (!this.plainTcp && v.data) return false;
    const isn = src === this.srcA ? this.isnA : src === this.srcB ? this.isnB : null;
    if (isn !== null && v.seq !== null && BigInt(v.seq) !== BigInt(isn)) return true;
    if (this.fin || (this.rst && this.dataSeen)) return true;
    return !this.plainTcp && this.dataSeen;
  }

  /**
   * Records what `v` (sent by `src` to `dst`) tells about the conversation.
   *
   * @example t.note(s.src, s.dst, view) // after each segment of the tuple
   */
  note(src: string, dst: string, v: ReuseView): void {
    if (v.fin) this.fin = true;
    if (v.rst) this.rst = true;
    if (v.data) this.dataSeen = true;
    if (this.srcB !== null) return; // both initial sequence numbers known
    // tshark's base_seq: the SYN's seq, else seq - 1; the peer's from an ACK, ack - 1.
    // Course protocols put seq 0 in pure ACKs, so only their SYNs say where a run starts.
    if (v.seq !== null && (v.syn || this.plainTcp)) this.base(src, v.syn ? v.seq : before(v.seq));
    if (this.plainTcp && v.hasAck && v.ack !== null) this.base(dst, before(v.ack));
  }

  private base(side: string, isn: SeqNumber): void {
    if (side === this.srcA || side === this.srcB) return;
    if (this.srcA === null) { this.srcA = side; this.isnA = isn; } else { this.srcB = side; this.isnB = isn; }
  }
}

/** The 32-bit TCP sequence number before `n`. */
function before(n: SeqNumber): SeqNumber {
  return typeof n === 'number' ? (n + 0xffffffff) % 0x100000000 : n - 1n;
}
