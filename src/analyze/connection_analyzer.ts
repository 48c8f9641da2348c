/**
 * One connection's timeline: places each segment in its direction's sequence space and names
 * every judgement (the rules of RULES.md, after tshark 4.0's tcp_analyze_sequence_number),
 * tracks handshake and teardown, and keeps the statistics. Generalised through the dissector's
 * roles: sequence unit (bytes or packets), ACK meaning (next expected or last received),
 * whether SYN/FIN occupy a sequence number, and whether the window is scaled (TCP).
 */
import type { Dissector } from '../codec/dissector.js';
import type { DissectedSegment } from '../dissect/segment_stream.js';
import type { AnalyzeOptions } from './analyze_options.js';
import { DirectionState, WS_NONE, WS_UNKNOWN } from './direction_state.js';
import type { ConnectionSummary, Direction, HandshakeOutcome, TeardownOutcome, TimelineEntry } from './timeline.js';

const TCP_MAX_WINDOW_SHIFT = 14;

/** Record-framing warnings of the decode pipeline (src/dissect/record_cutter.ts). */
const FRAMING_DAMAGE = new Set(['misframed', 'partial-record', 'gap-in-record']);

export class ConnectionAnalyzer {
  readonly forward: DirectionState;
  readonly reverse: DirectionState;
  /** "ip:port" of the opening side. */
  readonly client: string;
  private readonly bytesUnit: boolean;
  private readonly controlConsumes: boolean;
  private readonly lastReceived: boolean;
  private readonly scaled: boolean;
  private readonly hasWindowRole: boolean;
  private readonly plainTcp: boolean;
  // tshark ts_mru_syn / ts_first_rtt (tcp.analysis.initial_rtt): the out-of-order threshold.
  private mruSynTime = -1;
  private firstRtt = -1;
  private clientSyn = false;
  private serverSyn = false;
  private handshakeDone = false;
  private resetSeen = false;
  private firstFrame = 0;
  private lastFrame = 0;
  private firstTime = 0;
  private lastTime = 0;
  private readonly sampleFrame = [0];

  constructor(
    readonly id: number,
    readonly key: string,
    readonly transport: 'udp' | 'tcp',
    readonly dissector: Dissector,
    first: DissectedSegment,
    private readonly o: AnalyzeOptions,
  ) {
    const sem = dissector.def.semantics;
    this.bytesUnit = sem.seqUnit === 'bytes';
    this.controlConsumes = sem.synConsumesSeq ?? this.bytesUnit;
    this.lastReceived = sem.ackMeaning === 'last-received';
    this.scaled = sem.windowScale === true;
    this.hasWindowRole = dissector.def.roles.window !== undefined;
    this.plainTcp = dissector.def.binding.transport === 'ip';
    const seg = first.segment;
    // Who opened it: a SYN's sender, a SYN-ACK's receiver, a data sender; a pure ACK's receiver.
    // Who opened it: a SYN's sender, a SYN-ACK's receiver, a data sender, a pure ACK's receiver
    // (the side that acknowledges is receiving the data).
    const senderOpens = seg.syn ? !seg.hasAck : seg.isData || seg.payloadLength > 0 || !seg.hasAck;
    this.client = senderOpens ? first.src : first.dst;
    const server = senderOpens ? first.dst : first.src;
    const bits = dissector.seqBits;
    this.forward = new DirectionState(this.client, server, bits, o);
    this.reverse = new DirectionState(server, this.client, bits, o);
    if (!this.scaled) { this.forward.winScale = WS_NONE; this.reverse.winScale = WS_NONE; }
  }

  /**
   * Analyzes one segment of this connection and fills `e` (a fresh entry the caller owns).
   * `now` is seconds since the capture started.
   */
  push(s: DissectedSegment, now: number, e: TimelineEntry): void {
    const seg = s.segment;
    const dirName: Direction = s.src === this.client ? 'forward' : 'reverse';
    const F = dirName === 'forward' ? this.forward : this.reverse;
    const R = dirName === 'forward' ? this.reverse : this.forward;
    const flags = e.flags;
    if (this.firstFrame === 0) { this.firstFrame = s.frame; this.firstTime = now; }
    if (s.reusedPorts === true) flags.push('reused-ports');
    this.lastFrame = s.frame;
    this.lastTime = now;

    const syn = seg.syn, fin = seg.fin, rst = seg.rst;
    const ctl = syn || fin || rst;
    const len = seg.payloadLength;
    const units = this.bytesUnit ? len : seg.isData ? 1 : 0;
    const consumes = (syn || fin) && this.controlConsumes;
    const inSeqSpace = units > 0 || consumes;
    // Pure ACKs carry a meaningful seq in real TCP only; course protocols often send 0 there.
    const hasSeq = seg.seq !== null && (this.plainTcp || inSeqSpace);
    F.count(s.frame, now, len);
    // A record cut at the wrong place (stream framing lost) carries bytes of its neighbours as
    // seq/ack: counting it is right, letting it move the sequence state would misjudge the rest.
    if (s.warnings.length && s.warnings.some((w) => FRAMING_DAMAGE.has(w))) return;

    // Handshake bookkeeping first: tshark measures the first RTT before sequence analysis.
    this.handshake(seg.syn, seg.hasAck, rst, dirName, now);
    this.windowScale(s, F, R);

    // Sequence spaces: tshark's base_seq (ISN for a SYN, else seq - 1; the peer's from ack - 1).
    if (hasSeq && !F.seq.based) {
      const synBase = syn && consumes;
      F.seq.setBase(seg.seq!, synBase ? 0 : 1);
      F.firstSeq = synBase ? 0 : 1;
    }
    const ackOn = seg.hasAck && seg.ack !== null;
    if (ackOn && !R.seq.based) R.seq.setBase(seg.ack!, this.lastReceived ? 0 : 1);
    const seq = hasSeq ? F.seq.advance(seg.seq!) : 0;
    const ack = ackOn ? R.seq.relative(seg.ack!) + (this.lastReceived ? 1 : 0) : 0;

    let window: number | null = seg.window;
    if (window !== null && !syn && F.winScale >= 0) window *= 2 ** F.winScale;
    if (!this.hasWindowRole) window = null;
    const windowRule = window !== null && (F.windowMeaningful || window > 0);

    let keepAlive = false;
    let zeroWindowProbe = false;
    let skipDup = false;
    if (hasSeq) {
      // Zero window probe: 1 unit at the next seq into a closed window; tshark skips the rest.
      if (this.bytesUnit && units === 1 && F.hasNext && seq === F.next && R.window === 0 && R.windowMeaningful) {
        zeroWindowProbe = true;
        skipDup = true;
      }
    }
    if (!zeroWindowProbe) {
      if (window === 0 && windowRule && !ctl) { flags.push('zero-window'); F.zeroWindows++; }
      if (hasSeq && F.hasNext && seq > F.next && !rst) { flags.push('gap'); F.gaps++; }
      if (this.bytesUnit && hasSeq && F.hasNext && units <= 1 && seq === F.next - 1 && !ctl) { keepAlive = true; flags.push('keep-alive'); }
      // A window update repeats the sender's seq and ACK with a new window: not a duplicate ACK.
      if (units === 0 && !ctl && windowRule && window !== 0 && F.window !== null && window !== F.window
        && ackOn && F.hasLastAck && ack === F.lastAck && (!hasSeq || (F.hasNext && seq === F.next))) flags.push('window-update');
      if (units > 0 && hasSeq && !ctl && R.winScale !== WS_UNKNOWN && R.window !== null && R.windowMeaningful && R.hasLastAck && seq + units === R.lastAck + R.window) flags.push('window-full');
      const sameAck = ackOn && F.hasLastAck && ack === F.lastAck && units === 0 && !ctl
        && (!windowRule || (window !== 0 && window === F.window))
        && (!this.bytesUnit || !hasSeq || (F.hasNext ? seq === F.next : true));
      if (sameAck && (R.lastKeepAlive || (R.lastZeroWindowProbe && window === 0))) skipDup = true; // keep-alive / probe ACK
      else if (sameAck) {
        F.dupAckNum++;
        F.dupAcks++;
        flags.push('dup-ack');
        e.dupAckCount = F.dupAckNum;
        e.dupAckOf = F.lastNonDupAck;
      }
    }
    void skipDup;
    if (ackOn && (!F.hasLastAck || ack !== F.lastAck)) { F.lastNonDupAck = s.frame; F.dupAckNum = 0; }

    // An ACK beyond all data seen from the peer: the data was not captured.
    if (ackOn && R.hasMaxToAck && ack > R.maxToAck && ack > R.controlNext) {
      flags.push('ack-unseen');
      R.maxToAck = R.next;
    }

    const segNext = seq + units + (consumes ? 1 : 0);
    if (inSeqSpace && hasSeq && F.hasNext && seq < F.next && !keepAlive) {
      this.retransmission(s, F, R, seq, units, segNext, now, e);
    } else if (inSeqSpace && hasSeq && !zeroWindowProbe) {
      F.unacked.add(seq, segNext, now, s.frame);
    }
    if (hasSeq && !zeroWindowProbe && (!this.bytesUnit ? inSeqSpace : true)) {
      if (!F.hasNext || segNext > F.next) {
        if (inSeqSpace && units > 0) {
          // New sequence space, holes included: their data was sent even if not captured.
          const fresh = segNext - (F.hasNext ? F.next : seq) - (consumes ? 1 : 0);
          if (fresh > 0) { F.uniqueUnits += fresh; F.uniqueBytes += this.bytesUnit ? fresh : len * fresh; }
        }
        F.hasNext = true;
        F.next = segNext;
        F.nextTime = now;
        F.nextFrame = s.frame;
      }
      if (!F.hasMaxToAck || seq === F.maxToAck) { F.hasMaxToAck = true; F.maxToAck = F.next; }
    }

    // The peer's outstanding data this ACK covers: RTT sample by Karn's rule.
    e.rtt = null;
    if (ackOn) {
      if (!F.hasLastAck || ack > F.highestAck) {
        const sample = R.unacked.ack(ack, now, this.sampleFrame);
        if (sample >= 0) { R.rtt.add(sample); e.rtt = sample; e.rttFrame = this.sampleFrame[0]; }
        F.highestAck = ack;
      }
      F.hasLastAck = true;
      F.lastAck = ack;
    }
    if (window !== null) {
      F.window = window;
      if (window > 0) F.windowMeaningful = true;
    }
    F.lastTime = now;
    F.lastKeepAlive = keepAlive;
    F.lastZeroWindowProbe = zeroWindowProbe;
    if (fin) { F.finNext = segNext; F.finFrame = s.frame; }
    // Packet protocols ACK their control messages too (Package's DONE): that is not unseen data.
    if (!hasSeq && ctl && seg.seq !== null && F.seq.based) F.controlNext = Math.max(F.controlNext, F.seq.relative(seg.seq) + 1);

    if (seg.checksum === 'bad') flags.push('checksum-bad');
    if (seg.isData || units > 0) {
      F.dataPackets++;
      if (F.firstDataTime < 0) F.firstDataTime = now;
      F.lastDataTime = now;
    }
    const acked = R.hasLastAck ? R.highestAck : F.firstSeq;
    const inFlight = F.hasNext ? Math.max(0, F.next - acked) : 0;
    if (inFlight > F.maxInFlight) F.maxInFlight = inFlight;
    if (seg.isData || units > 0) F.inFlightSum += inFlight;

    e.connection = this.id;
    e.direction = dirName;
    e.seq = hasSeq ? seq : seg.seq === null ? null : F.seq.based ? F.seq.relative(seg.seq) : null;
    e.ack = ackOn ? ack : null;
    e.nextSeq = hasSeq ? segNext : null;
    e.units = units;
    e.window = window;
    e.inFlight = inFlight;
    e.sack = this.sack(s, R);
  }

  private retransmission(s: DissectedSegment, F: DirectionState, R: DirectionState, seq: number, units: number, segNext: number, now: number, e: TimelineEntry): void {
    const flags = e.flags;
    const len = s.segment.payloadLength;
    const fresh = segNext > F.next; // partly new data: the original is held for the new part
    e.retransmitOf = F.unacked.markRetransmitted(seq, Math.min(segNext, F.next)) || null;
    if (fresh) F.unacked.add(F.next, segNext, now, s.frame);
    // Fast retransmission: the peer's last ACK asks for exactly this seq, after enough duplicates, just now.
    if (R.dupAckNum >= this.o.dupAckThreshold && R.hasLastAck && R.lastAck === seq && now - R.lastTime < this.o.fastRetransmitWindow) {
      flags.push('retransmission', 'fast-retransmission');
      F.fastRetransmissions++;
    } else if (units > 0 && R.hasLastAck && seq + units <= R.lastAck) {
      // tshark 4.0 tests "already acknowledged" before the out-of-order timing.
      flags.push('retransmission', 'spurious-retransmission');
      F.spuriousRetransmissions++;
    } else {
      const threshold = this.o.outOfOrderUsesHandshakeRtt && this.firstRtt > 0 ? this.firstRtt : this.o.outOfOrderThreshold;
      if (now - F.nextTime < threshold && F.next !== seq + units) {
        flags.push('out-of-order');
        F.outOfOrder++;
        e.retransmitOf = null;
        return;
      }
      flags.push('retransmission');
    }
    F.retransmittedPackets++;
    F.retransmittedBytes += len;
  }

  private handshake(syn: boolean, hasAck: boolean, rst: boolean, dir: Direction, now: number): void {
    if (syn) {
      // tshark's initial RTT runs from the (last) opening SYN to the first ACK without SYN.
      if (!hasAck) this.mruSynTime = now;
      if (dir === 'forward') this.clientSyn = true;
    }
    // The server answers a SYN with a SYN (TCP, Package's RETURN_MAX) or an ACK (sock352).
    if (dir === 'reverse' && this.clientSyn && (syn || hasAck)) this.serverSyn = true;
    if (!syn && hasAck && this.mruSynTime >= 0 && this.firstRtt < 0) {
      this.firstRtt = now - this.mruSynTime;
    }
    if (!syn && dir === 'forward' && this.serverSyn) this.handshakeDone = true;
    if (rst) this.resetSeen = true;
  }

  /** tshark's verify_tcp_window_scaling: scaling applies only when both SYNs carried the option. */
  private windowScale(s: DissectedSegment, F: DirectionState, R: DirectionState): void {
    if (!this.scaled || !s.segment.syn || !s.tcp) return;
    const ws = s.tcp.windowScale;
    if (ws >= 0) F.winScale = Math.min(ws, TCP_MAX_WINDOW_SHIFT);
    if (ws < 0) { F.winScale = WS_NONE; R.winScale = WS_NONE; }
    else if (s.segment.hasAck && R.winScale === WS_NONE) F.winScale = WS_NONE;
  }

  /** SACK blocks of a TCP segment, relative to the peer's (acknowledged) space. */
  private sack(s: DissectedSegment, R: DirectionState): number[] | null {
    const raw = s.tcp?.sack;
    if (!raw || !R.seq.based) return null;
    const out = new Array<number>(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = R.seq.relative(raw[i]);
    return out;
  }

  private handshakeOutcome(): HandshakeOutcome {
    if (this.handshakeDone) return 'complete';
    if (this.resetSeen && this.clientSyn) return 'reset';
    if (this.serverSyn) return 'syn-ack';
    if (this.clientSyn) return 'syn-only';
    return 'not-seen';
  }

  private teardownOutcome(): TeardownOutcome {
    const f = this.forward, r = this.reverse;
    const finF = f.finFrame > 0, finR = r.finFrame > 0;
    if (finF && finR) {
      if (!this.controlConsumes) return 'closed';
      const fAcked = r.hasLastAck && r.highestAck >= f.finNext;
      const rAcked = f.hasLastAck && f.highestAck >= r.finNext;
      return fAcked && rAcked ? 'closed' : this.resetSeen ? 'reset' : 'fin-both';
    }
    if (this.resetSeen) return 'reset';
    return finF || finR ? 'half-closed' : 'open';
  }

  /** @example analyzer.summary().forward.retransmittedPackets */
  summary(): ConnectionSummary {
    return {
      id: this.id,
      key: this.key,
      transport: this.transport,
      dissector: this.dissector.name,
      seqUnit: this.bytesUnit ? 'bytes' : 'packets',
      client: this.forward.src,
      server: this.forward.dst,
      handshake: this.handshakeOutcome(),
      teardown: this.teardownOutcome(),
      firstFrame: this.firstFrame,
      lastFrame: this.lastFrame,
      duration: this.lastTime - this.firstTime,
      forward: this.forward.stats(),
      reverse: this.reverse.stats(),
    };
  }
}
