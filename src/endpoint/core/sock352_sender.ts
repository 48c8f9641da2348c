/**
 * The sock352 sender (Rutgers CS352 part 1): SYN → ACK → ACK handshake, Go-Back-N data with a
 * window of packets and one timer that resends the whole outstanding window, FIN → ACK, then
 * the peer's FIN → ACK and a timed wait. Sequence numbers count packets: the SYN is 0, data
 * starts at 1, so "--drop-data 4" names the fourth data packet.
 *
 * Two options keep it Go-Back-N but stop it idling on fast paths: `adaptiveRto` (the timer
 * follows the measured RTT) and `fastGoBack` (the window is resent on the third duplicate ACK).
 * Both must survive a busy machine, where a paused event loop makes the timer fire before ACKs
 * that were on time are read: such a timeout is recognised afterwards (Eifel: the ACKs of the
 * originals arrive sooner than any answer to the resend could) and raises the RTO floor, and
 * duplicate ACKs that the resend itself causes (the receiver re-ACKs packets it already had)
 * never count as evidence of loss, so one spurious timeout costs one window, not a cascade.
 * With adaptiveRto a full window that hears nothing for about 2·SRTT resends its base once (a
 * tail-loss probe): when the last ACKs of a window were lost, the re-ACK moves the window after
 * a couple of RTTs instead of an RTO (the stall that dominated small windows at 5 % loss).
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Segment } from '../../codec/segment.js';
import { CoreBase } from './core_base.js';
import type { CoreConfig } from './core_event.js';
import { RttEstimator } from './rtt_estimator.js';

/** Bounds of the adaptive RTO: loopback RTTs are microseconds, event loops are not (the floor rises after spurious timeouts). */
const ADAPTIVE_MIN_RTO = 0.01;
const ADAPTIVE_MAX_RTO = 8;

/**
 * An ACK read this soon after the timer fired was waiting behind it in the same turn of the
 * event loop (timers run before reads): an idle loopback answers a resend in about this time
 * too, so half the smallest RTT alone is no proof.
 */
const SAME_TURN = 0.0002;

/**
 * Lower bound of the tail-loss probe's delay: 2·SRTT on loopback is a fraction of a
 * millisecond, shorter than one busy turn of the event loop, and a probe that fires before the
 * ACKs are read only costs one packet, but a steady stream of them costs CPU.
 */
const PROBE_MIN = 0.001;

type State = 'syn' | 'data' | 'fin' | 'fin-wait' | 'time-wait';

export class Sock352Sender extends CoreBase {
  private state: State = 'syn';
  private readonly count: number;
  private base = 1;
  private next = 1;
  private retries = 0;
  private timerArmed = false;
  private peerFinSeq = 0;
  private readonly rtt: RttEstimator | null;
  /** The first send of one packet being timed (Karn: never a resent one). */
  private timed: { seq: number; at: number } | null = null;
  private dupAcks = 0;
  /**
   * `next` at the last go-back: every packet from here on was sent after that resend, so on a
   * path that keeps order (loopback, one UDP flow) an ACK above it proves every answer to the
   * resend has been heard (RFC 6582's `recover`, used to tell evidence from echoes).
   */
  private recover = 0;
  /** How the last go-back was started: after a timeout the receiver may have had all of it (echoes come). */
  private lastGoBack: 'timeout' | 'fast' | null = null;
  /** The base moved since the last go-back: the resend is being answered. */
  private movedSinceGoBack = false;
  /**
   * Echoes still possible: packets resent after timeouts that the receiver may already have had.
   * It re-ACKs each with the next packet it expects, which, the order being kept, is `recover`:
   * duplicates of `recover` are echoes up to this many. Cleared once the base passes `recover`.
   */
  private echoBudget = 0;
  /**
   * F-RTO (RFC 5682, with adaptiveRto): after a timeout only the base is resent at first, and
   * the first ACK to move the base decides, from `timedOutAt` and `timedOutBase`, whether the
   * rest of the window follows. -Infinity: no decision pending.
   */
  private timedOutAt = -Infinity;
  private timedOutBase = 0;
  /**
   * Sends of packets past the base since it last moved, and duplicates of the base heard: while
   * the base is missing, the receiver answers each such packet with one duplicate at once
   * (coalescing receivers too), so their difference is the duplicates still to come.
   */
  private pastBase = 0;
  private dupsHeard = 0;
  /**
   * Duplicates still to come from packets sent before the last fast go-back: they repeat the
   * hole the go-back answered, so they prove nothing. Loopback keeps order: they come first.
   */
  private oldDups = 0;
  /**
   * Tail-loss probe (RFC 8985 style, with adaptiveRto): when nothing new may be sent and no ACK
   * came for about 2·SRTT, the base alone is resent once, without backoff. The cumulative
   * re-ACK either moves the window (the data had arrived, its last ACKs were lost: the usual
   * stall at small windows) or fills the hole at the base; a hole further on is then left to
   * the usual signals (duplicates from the packets the moved window lets out, another probe,
   * the timer). Going back on the probe's answer alone was tried: a paused receiver's first
   * late ACK looks the same, and the spurious whole-window resends cost more than they saved
   * (5 % loss, window 32: 205 → 20 Mbit/s). `probeSent`: once per stall (until the base moves).
   */
  private probeSent = false;
  /** The probe's own answer, when the receiver had the base and its ACK was merely late: a duplicate that proves nothing. */
  private probeEcho = 0;
  /**
   * The encoded packets of the unACKed window, by sequence number modulo the window (at most a
   * window is outstanding, so slots never collide): Go-Back-N resends about a window per loss,
   * and a resend is the same bytes, so it is sent as is instead of encoded again. Slab memory
   * is never rewritten, so holding it is safe.
   */
  private readonly encoded: Buffer[];
  private readonly encodedSeq: Float64Array;

  /**
   * @example
   * const core = new Sock352Sender(reg.get('sock352'), config, fileBytes);
   * driver.run(core);
   */
  constructor(dissector: Dissector, config: CoreConfig, private readonly data: Buffer) {
    super(dissector, config);
    this.count = Math.ceil(data.length / config.mss);
    this.encoded = new Array<Buffer>(Math.max(1, config.window));
    this.encodedSeq = new Float64Array(this.encoded.length).fill(-1);
    this.rtt = config.adaptiveRto ? new RttEstimator(config.timeout, ADAPTIVE_MIN_RTO, Math.max(ADAPTIVE_MAX_RTO, config.timeout)) : null;
  }

  private get rto(): number { return this.rtt ? this.rtt.rto : this.config.timeout; }

  private get finSeq(): number { return 1 + this.count; }

  private segment(flags: string[], seq: number, ack: number, payload?: Buffer): Buffer {
    return this.encode({
      version: 1, flags: this.flagBits(...flags), header_len: 40, sequence_no: seq, ack_no: ack,
      window: this.config.window, payload_len: payload ? payload.length : 0,
    }, payload);
  }

  /** Data packet `seq`, encoded once while it is in the window (see `encoded`). */
  private dataSegment(seq: number): Buffer {
    const slot = seq % this.encoded.length;
    if (this.encodedSeq[slot] === seq) return this.encoded[slot]!;
    const i = seq - 1;
    const bytes = this.segment([], seq, 0, this.data.subarray(i * this.config.mss, Math.min(this.data.length, (i + 1) * this.config.mss)));
    this.encoded[slot] = bytes;
    this.encodedSeq[slot] = seq;
    return bytes;
  }

  protected onStart(): void {
    this.send(this.segment(['SYN'], 0, 0));
    this.armRto();
  }

  private armRto(): void {
    this.arm('rto', this.probeDue ? this.probeDelay : this.rto);
    this.timerArmed = true;
  }

  /**
   * The timer should be the probe's: data outstanding, no new packet allowed (window full or
   * file exhausted), no probe yet in this stall, and no timeout's decision pending.
   */
  private get probeDue(): boolean {
    return this.rtt !== null && this.rtt.srtt !== null && this.state === 'data' && !this.probeSent
      && this.timedOutAt === -Infinity && this.base < this.next
      && (this.next >= this.base + this.config.window || this.next > this.count);
  }

  /** 2·SRTT, floored at PROBE_MIN and never above the RTO. */
  private get probeDelay(): number {
    return Math.min(this.rto, Math.max(PROBE_MIN, 2 * this.rtt!.srtt!));
  }

  /** The probe: the base again, once, no backoff and no retry counted (the RTO still covers it). */
  private probe(): void {
    this.probeSent = true;
    this.probeEcho = 1;
    this.stats.probes++;
    this.timed = null; // Karn: no sample across a resend
    this.send(this.dataSegment(this.base), true);
    this.arm('rto', this.rto);
    this.timerArmed = true;
  }

  protected onTimer(id: string): void {
    if (id === 'time-wait') { this.finish(true, 'transfer complete'); return; }
    if (id !== 'rto') return;
    this.timerArmed = false;
    if (this.state === 'data' && this.probeDue) { this.probe(); return; }
    if (++this.retries > this.config.maxRetries) {
      if (this.state === 'fin-wait') { this.finish(true, 'transfer complete (peer never sent its FIN)'); return; }
      this.finish(false, `peer vanished: no answer after ${this.config.maxRetries} retries (${this.state})`);
      return;
    }
    this.rtt?.timedOut();
    if (this.state === 'syn') this.send(this.segment(['SYN'], 0, 0), true);
    else if (this.state === 'data') { this.stats.timeouts++; this.timeout(); }
    else if (this.state === 'fin') this.send(this.segment(['FIN'], this.finSeq, 0), true);
    this.armRto();
  }

  protected onBytes(bytes: Buffer): void {
    const seg = this.decodeDatagram(bytes);
    if (!seg) return;
    if (seg.fin && this.state !== 'syn' && this.state !== 'data') { this.peerFin(seg); return; }
    if (!seg.hasAck || seg.ack === null) { this.ignore('unexpected'); return; }
    const ack = Number(seg.ack);
    if (this.state === 'syn') {
      if (ack !== 1) { this.ignore('unexpected'); return; }
      this.send(this.segment(['ACK'], 1, Number(seg.seq ?? 0) + 1));
      this.state = 'data';
      this.retries = 0;
      this.cancel('rto');
      this.timerArmed = false;
      this.pump();
    } else if (this.state === 'data') {
      if (ack === this.base && this.next > this.base) { this.duplicateAck(); return; }
      if (ack <= this.base || ack > this.next) return; // an old ACK: Go-Back-N ignores it
      if (this.timed && ack > this.timed.seq) { this.rtt?.sample(this.now - this.timed.at); this.timed = null; }
      const goOn = this.timedOutAt === -Infinity || this.decideTimeout(ack);
      this.rtt?.progressed();
      this.stats.bytes = Math.min(this.data.length, (ack - 1) * this.config.mss);
      this.base = ack;
      this.movedSinceGoBack = true;
      this.dupAcks = 0;
      this.dupsHeard = 0;
      this.oldDups = 0; // the hole's resend arrived, after every old packet
      this.pastBase = this.next - this.base - 1;
      if (this.base > this.recover) this.echoBudget = 0; // an answer to a packet sent after the resend: every echo came before it
      this.retries = 0;
      this.probeSent = false;
      if (!goOn && this.base < this.next) {
        // The rest of the timed-out window. The receiver kept nothing after the hole, so nothing
        // old is still coming; should the timeout have been spurious after all, the resend echoes.
        this.goBack(false);
        this.oldDups = 0;
        this.echoBudget += this.next - this.base;
      }
      this.pump();
      if (this.state === 'data') {
        if (this.base === this.next) { this.cancel('rto'); this.timerArmed = false; } else this.armRto();
      }
    } else if (this.state === 'fin' && ack === this.finSeq + 1) {
      this.state = 'fin-wait';
      this.retries = 0;
      this.armRto(); // now waits for the peer's FIN; giving up there is still a success
    }
  }

  /**
   * Go-Back-N: everything outstanding, again, from the base. What the duplicates that follow
   * can prove depends on why: after duplicate ACKs the receiver holds nothing past the hole
   * (Go-Back-N discards), so the resend causes no echoes, and only the old flight's packets
   * not yet heard from can still duplicate the base; after a timeout the receiver may have had
   * all of it (the ACKs were slow, not lost), so every resent packet may echo.
   */
  private goBack(afterTimeout: boolean): void {
    this.timed = null; // Karn: no sample across a resend
    this.lastGoBack = afterTimeout ? 'timeout' : 'fast';
    this.movedSinceGoBack = false;
    this.recover = this.next;
    if (afterTimeout) this.echoBudget += this.next - this.base;
    // After a timeout the old flight is written off (lost, or late: its ACKs advance the base or are echoes' equals).
    this.oldDups = afterTimeout ? 0 : Math.max(0, this.pastBase - this.dupsHeard);
    if (afterTimeout) { this.pastBase = 0; this.dupsHeard = 0; }
    this.dupAcks = 0;
    for (let s = this.base; s < this.next; s++) this.send(this.dataSegment(s), true);
    this.pastBase += Math.max(0, this.next - this.base - 1);
  }

  /**
   * The retransmission timer fired. The course's Go-Back-N resends the whole window at once;
   * with adaptiveRto only the base goes first (F-RTO), so a spurious timeout (a paused event
   * loop, slow ACKs) costs one packet, not a window and its echoes.
   */
  private timeout(): void {
    if (!this.rtt) { this.goBack(true); return; }
    this.timedOutAt = this.now;
    this.timedOutBase = this.base;
    this.timed = null; // Karn: no sample across a resend
    this.lastGoBack = 'timeout';
    this.movedSinceGoBack = false;
    this.recover = this.next;
    this.echoBudget += 1;
    this.oldDups = 0;
    this.pastBase = 0;
    this.dupsHeard = 0;
    this.dupAcks = 0;
    this.send(this.dataSegment(this.base), true);
  }

  /**
   * The first ACK to move the base after a timeout: true when the timeout was spurious and the
   * window goes on, false when the rest of it must be resent. Spurious when the ACK came sooner
   * than half the smallest RTT ever measured and in the timer's turn of the event loop (Eifel by
   * timing: it cannot answer the resend, so it answers the originals) or when it acknowledges packets that were not resent (a
   * Go-Back-N receiver that lost the base kept nothing after it: the ACKs were lost). A late
   * answer doubles the RTO floor, so the same pause does not fire it again.
   */
  private decideTimeout(ack: number): boolean {
    const soon = this.now - this.timedOutAt < Math.min(SAME_TURN, Number.isFinite(this.rtt!.minRtt) ? this.rtt!.minRtt / 2 : 0);
    this.timedOutAt = -Infinity;
    if (!soon && ack <= this.timedOutBase + 1) return false;
    this.stats.spuriousTimeouts++;
    // Only a late answer says the RTO is too short; lost ACKs (the receiver had it all) do not.
    if (soon) this.rtt!.raiseFloor(Math.max(ADAPTIVE_MIN_RTO, this.config.timeout));
    return true;
  }

  /**
   * A duplicate of the base. Only evidence counts: not the old flight's duplicates of a hole
   * already answered, not the echoes of a resend (the receiver re-ACKing packets it had), and
   * not, after a timeout, anything below `recover` (the echoes of the resend carry whatever the
   * receiver expects; the timer covers a resend lost again).
   */
  private duplicateAck(): void {
    if (!this.config.fastGoBack) return; // the course's Go-Back-N waits for its timer
    if (this.probeEcho > 0) { this.probeEcho--; return; }
    this.dupsHeard++;
    if (this.base < this.recover) {
      if (this.lastGoBack === 'timeout') return;
      if (!this.movedSinceGoBack && this.oldDups > 0) { this.oldDups--; return; }
    } else if (this.base === this.recover && this.echoBudget > 0) {
      this.echoBudget--;
      return;
    }
    if (++this.dupAcks < 3) return;
    this.stats.fastRecoveries++;
    this.goBack(false);
    this.armRto();
  }

  private pump(): void {
    while (this.next <= this.count && this.next < this.base + this.config.window) {
      if (!this.timed) this.timed = { seq: this.next, at: this.now };
      this.send(this.dataSegment(this.next));
      if (this.next > this.base) this.pastBase++;
      this.next++;
      if (!this.timerArmed) this.armRto();
    }
    if (this.base > this.count) {
      this.state = 'fin';
      this.send(this.segment(['FIN'], this.finSeq, 0));
      this.armRto();
    }
  }

  private peerFin(seg: Segment): void {
    // The peer's FIN proves it has our FIN, even when its ACK of our FIN was lost.
    this.peerFinSeq = Number(seg.seq ?? 0);
    this.send(this.segment(['ACK'], this.finSeq + 1, this.peerFinSeq + 1), this.state === 'time-wait');
    if (this.state !== 'time-wait') {
      this.state = 'time-wait';
      this.cancel('rto');
      this.arm('time-wait', 2 * this.config.timeout);
    }
  }
}
