/**
 * The csee4119-tcp sender (Columbia's simple TCP over UDP): SYN → SYN/ACK → ACK, byte sequence
 * numbers, a window of `window` segments of `mss` bytes (never past the window the receiver
 * advertises), one retransmission timer on the oldest
 * unacknowledged byte with RFC 6298 estimation (α 0.125, β 0.25, initial RTO = timeout, doubling
 * backoff, Karn's rule), fast retransmit after three duplicate ACKs and a retransmission per
 * partial ACK, up to 7 retries of SYN and FIN, FIN → FIN-ACK → ACK and a timed wait.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Segment } from '../../codec/segment.js';
import { CoreBase } from './core_base.js';
import type { CoreConfig } from './core_event.js';
import { RttEstimator } from './rtt_estimator.js';

type State = 'syn' | 'data' | 'fin' | 'time-wait';

/** Handshake and teardown give up after this many retries, as the assignment says. */
const CONTROL_RETRIES = 7;
/** Lower bound of the RTO: loopback RTTs are microseconds, event loops are not. */
export const MIN_RTO = 0.01;
/** Upper bound of the backed-off RTO: well below the receiver's idle timeout, so a slow peer is not taken for a vanished one. */
export const MAX_RTO = 8;
/** Lower bound of the probe timeout. */
const PROBE_MIN = 0.001;

export class Csee4119Sender extends CoreBase {
  private state: State = 'syn';
  private readonly rtt: RttEstimator;
  private una = 0;
  private nxt = 0;
  private retries = 0;
  private dupAcks = 0;
  private recover = -1;
  /** When `una` was last retransmitted: duplicate ACKs well over an RTT later mean that retransmission was lost too. */
  private resentAt = 0;
  /**
   * A retransmission during recovery is being watched by a probe timeout (RFC 8985's tail loss
   * probe): without SACK, a lost retransmission leaves nothing in flight to cause duplicate
   * ACKs, so the sender would idle a whole RTO. The probe is the same single timer, armed at
   * 2·SRTT; when it fires, `una` is resent without backoff, and again after 4·SRTT, 8·SRTT…
   * until that reaches the RTO (one probe alone left 2 % of recoveries waiting a whole RTO at
   * 5 % loss, where the probe or its ACK was lost too). Also armed when a gap has fewer than
   * three duplicates and nothing new may be sent.
   */
  private probing = false;
  /** Probes sent since the last retransmission for another reason (their delays double). */
  private probes = 0;
  private timed: { end: number; at: number } | null = null;
  /**
   * The receiver's advertised window in bytes, from its latest ACK (flow control): a receiver
   * holds only so much out of order, and a sender with a larger window than that saw most of
   * what it sent past the hole thrown away (window 64 against a default receiver at 5 % loss:
   * 4 Mbit/s, every segment resent).
   */
  private peerWindow = Infinity;
  private peerIsn = 0;

  /** @example const core = new Csee4119Sender(reg.get('csee4119-tcp'), config, fileBytes); */
  constructor(dissector: Dissector, config: CoreConfig, private readonly data: Buffer) {
    super(dissector, config);
    this.rtt = new RttEstimator(config.timeout, MIN_RTO, MAX_RTO);
  }

  private get finSeq(): number { return 1 + this.data.length; }

  private segment(flags: string[], seq: number, ack: number, payload?: Buffer): Buffer {
    return this.encode({
      src_port: 0, dst_port: 0, seq: seq >>> 0, ack: ack >>> 0, data_offset: 0x50,
      flags: this.flagBits(...flags), window: Math.min(0xffff, this.config.window * this.config.mss), urgent: 0,
    }, payload);
  }

  private sendData(off: number, again: boolean): number {
    const end = Math.min(this.data.length, off + this.config.mss);
    this.send(this.segment(['ACK'], 1 + off, this.peerIsn + 1, this.data.subarray(off, end)), again);
    if (again) { if (this.timed && this.timed.end > off) this.timed = null; } // Karn: no sample across a resend
    else if (!this.timed) this.timed = { end, at: this.now };
    return end;
  }

  protected onStart(): void {
    this.send(this.segment(['SYN'], 0, 0));
    this.arm('rto', this.rtt.rto);
  }

  protected onTimer(id: string): void {
    if (id === 'time-wait') { this.finish(true, 'transfer complete'); return; }
    if (id !== 'rto') return;
    if (this.probing && this.state === 'data') {
      this.stats.fastRecoveries++;
      this.stats.probes++;
      const probes = this.probes + 1;
      if (this.una >= this.recover) this.recover = this.nxt; // the old flight's duplicates are no new evidence
      this.resendUna();
      this.probes = probes;
      this.arm('rto', this.timerDelay);
      return;
    }
    const limit = this.state === 'data' ? this.config.maxRetries : CONTROL_RETRIES;
    if (++this.retries > limit) {
      this.finish(false, `peer vanished: no answer after ${limit} retries (${this.state})`);
      return;
    }
    this.rtt.timedOut();
    this.timed = null;
    if (this.state === 'syn') this.send(this.segment(['SYN'], 0, 0), true);
    else if (this.state === 'data') { this.stats.timeouts++; this.sendData(this.una, true); this.recover = this.nxt; this.dupAcks = 0; }
    else if (this.state === 'fin') this.send(this.segment(['FIN', 'ACK'], this.finSeq, this.peerIsn + 1), true);
    this.arm('rto', this.rtt.rto);
  }

  protected onBytes(bytes: Buffer): void {
    const seg = this.decodeDatagram(bytes);
    if (!seg) return;
    if (this.state === 'syn') this.onHandshake(seg);
    else if (seg.fin && (this.state === 'fin' || this.state === 'time-wait')) this.onPeerFin(seg);
    else if (this.state === 'data' && seg.hasAck && seg.ack !== null) { this.learnWindow(seg); this.onAck(Number(seg.ack) - 1); }
    else this.ignore('unexpected');
  }

  private onHandshake(seg: Segment): void {
    if (!seg.syn || !seg.hasAck || Number(seg.ack) !== 1) { this.ignore('unexpected'); return; }
    this.peerIsn = Number(seg.seq ?? 0);
    this.learnWindow(seg);
    this.send(this.segment(['ACK'], 1, this.peerIsn + 1));
    this.state = 'data';
    this.retries = 0;
    this.cancel('rto');
    this.pump();
  }

  /** `acked` is the byte offset of the next byte the peer expects. */
  private onAck(acked: number): void {
    if (acked > this.nxt || acked < this.una) return; // acknowledges nothing we sent
    if (acked === this.una) {
      if (this.nxt <= this.una) return;
      ++this.dupAcks;
      const lostAgain = this.dupAcks >= 3 && this.now - this.resentAt > 1.25 * (this.rtt.srtt ?? this.rtt.rto);
      if (this.una >= this.recover ? this.dupAcks === 3 : lostAgain) {
        this.recover = this.nxt;
        this.stats.fastRecoveries++;
        this.resendUna(); // fast retransmit (again, when the retransmission itself was lost)
        this.arm('rto', this.timerDelay);
      } else if (this.una >= this.recover && !this.probing && this.rtt.srtt !== null && this.windowShut) {
        // A gap, and nothing new may be sent to cause more duplicates: if the third never comes
        // (a duplicate lost, or a receiver that sends fewer), probe in 2·SRTT instead of an RTO.
        this.probing = true;
        this.probes = 0;
        this.arm('rto', this.timerDelay);
      }
      return;
    }
    if (this.timed && acked >= this.timed.end) { this.rtt.sample(this.now - this.timed.at); this.timed = null; }
    this.una = acked;
    this.rtt.progressed();
    this.stats.bytes = acked;
    this.dupAcks = 0;
    this.retries = 0;
    this.probing = false;
    if (this.una < this.recover) this.resendUna(); // partial ACK: the next hole is lost too
    this.pump();
    if (this.state === 'data') {
      if (this.una === this.nxt) this.cancel('rto');
      else this.arm('rto', this.timerDelay);
    }
  }

  /**
   * A window smaller than one segment is taken as no window at all: 0 needs a persist timer
   * we do not have, and the assignment does not define the field, so a student receiver may
   * leave it 0 or put a token value there; crawling one segment at a time would be wrong too.
   */
  private learnWindow(seg: Segment): void {
    if (seg.window !== null && seg.window >= this.config.mss) this.peerWindow = seg.window;
  }

  /** How far past `una` we may send: our window, and no more than the receiver advertised. */
  private get limit(): number {
    return this.una + Math.min(this.config.window * this.config.mss, this.peerWindow);
  }

  /** No new segment may be sent: the window is full or the file is all sent. */
  private get windowShut(): boolean {
    return this.nxt >= this.data.length || this.nxt >= this.limit;
  }

  /** Retransmits the oldest unacknowledged segment; the duplicates the older flight can still cause are counted from here. */
  private resendUna(): void {
    this.sendData(this.una, true);
    this.dupAcks = 0;
    this.resentAt = this.now;
    this.probing = this.rtt.srtt !== null;
    this.probes = 0;
  }

  /**
   * The single timer's delay: the probe timeout while a retransmission is watched, else the RTO.
   * Each probe in a row doubles the delay; once it would reach the RTO, the RTO takes over.
   */
  private get timerDelay(): number {
    if (!this.probing) return this.rtt.rto;
    const probe = Math.max(PROBE_MIN, 2 * this.rtt.srtt!) * 2 ** this.probes;
    if (probe >= this.rtt.rto) { this.probing = false; return this.rtt.rto; }
    return probe;
  }

  private pump(): void {
    const limit = this.limit;
    let sent = false;
    while (this.nxt < this.data.length && this.nxt < limit) { this.nxt = this.sendData(this.nxt, false); sent = true; }
    if (this.una >= this.data.length) {
      this.state = 'fin';
      this.retries = 0;
      this.send(this.segment(['FIN', 'ACK'], this.finSeq, this.peerIsn + 1));
      this.arm('rto', this.rtt.rto);
    } else if (sent) {
      this.arm('rto', this.rtt.rto);
    }
  }

  private onPeerFin(seg: Segment): void {
    if (!seg.hasAck || Number(seg.ack) !== this.finSeq + 1) { this.ignore('unexpected'); return; }
    const again = this.state === 'time-wait';
    this.send(this.segment(['ACK'], this.finSeq + 1, Number(seg.seq ?? 0) + 1), again);
    if (!again) {
      this.state = 'time-wait';
      this.cancel('rto');
      this.arm('time-wait', 2 * this.config.timeout);
    }
  }
}
