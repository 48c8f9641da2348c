/**
 * The csee4119-tcp receiver: answers SYN with SYN/ACK, verifies every checksum (bad ones are
 * counted and ignored), buffers out-of-order bytes within the window, ACKs every arrival with
 * the next expected byte (a duplicate ACK when there is a gap; fewer with coalesceAcks), and closes with FIN-ACK,
 * retried up to 7 times, until the sender's last ACK.
 */
import type { Dissector } from '../../codec/dissector.js';
import { CoreBase } from './core_base.js';
import { COALESCED_ACK_EVERY, COALESCED_DUPLICATES, type CoreConfig } from './core_event.js';

type State = 'listen' | 'open' | 'last-ack';

export class Csee4119Receiver extends CoreBase {
  private state: State = 'listen';
  private irs = 0;
  /** Next expected sequence number (absolute, as on the wire). */
  private rcvNxt = 0;
  private readonly held = new Map<number, Buffer>();
  private heldBytes = 0;
  private finRetries = 0;
  /** In-order data arrived in this batch and is not yet ACKed (coalesceAcks). */
  private ackPending = false;
  /** In-order segments not yet ACKed (coalesceAcks: at most COALESCED_ACK_EVERY). */
  private unacked = 0;
  /** The last ACK number sent at once, and how many duplicates of it followed (coalesceAcks). */
  private lastAck = -1;
  private duplicates = 0;

  /** @example const core = new Csee4119Receiver(reg.get('csee4119-tcp'), config); */
  constructor(dissector: Dissector, config: CoreConfig) {
    super(dissector, config);
  }

  private get room(): number { return 2 * this.config.window * this.config.mss; }

  private segment(flags: string[], seq: number, ack: number): Buffer {
    return this.encode({
      src_port: 0, dst_port: 0, seq: seq >>> 0, ack: ack >>> 0, data_offset: 0x50, flags: this.flagBits(...flags),
      // The window counts from rcvNxt and the application reads at once: held out-of-order bytes
      // lie inside it, so it stays the same and a gap's ACKs are true duplicates (RFC 5681 compares the window too).
      window: Math.min(0xffff, this.room), urgent: 0,
    });
  }

  override get coalescing(): boolean {
    return this.config.coalesceAcks === true;
  }

  protected override onDrained(): void {
    if (this.ackPending) this.ackNow();
  }

  /** The cumulative ACK of everything in order so far, counting repeats of one number. */
  private ackNow(): void {
    this.ackPending = false;
    this.unacked = 0;
    if (this.rcvNxt === this.lastAck) this.duplicates++;
    else { this.lastAck = this.rcvNxt; this.duplicates = 0; }
    this.send(this.segment(['ACK'], 1, this.rcvNxt));
  }

  protected onStart(): void {
    this.arm('idle', this.config.idleTimeout);
  }

  protected onTimer(id: string): void {
    if (id === 'idle') {
      this.finish(false, `peer silent for ${this.config.idleTimeout} s: transfer incomplete`);
    } else if (id === 'fin' && this.state === 'last-ack') {
      if (++this.finRetries > 7) { this.finish(true, 'transfer complete (peer never ACKed our FIN-ACK)'); return; }
      this.send(this.segment(['FIN', 'ACK'], 1, this.rcvNxt), true);
      this.arm('fin', this.config.timeout * 2 ** this.finRetries);
    }
  }

  protected onBytes(bytes: Buffer): void {
    const seg = this.decodeDatagram(bytes);
    if (!seg || seg.seq === null) { if (seg) this.ignore('malformed'); return; }
    if (this.state !== 'last-ack') this.arm('idle', this.config.idleTimeout);
    const seq = Number(seg.seq);
    if (seg.syn) {
      if (this.state === 'listen') { this.state = 'open'; this.irs = seq; this.rcvNxt = seq + 1; }
      if (seq === this.irs) this.send(this.segment(['SYN', 'ACK'], 0, this.irs + 1), this.stats.segmentsSent > 0);
      else this.ignore('unexpected');
      return;
    }
    if (this.state === 'listen') { this.ignore('unexpected'); return; }
    let inOrder = false;
    if (seg.payloadLength > 0 && this.state === 'open') inOrder = this.accept(seq, bytes.subarray(seg.payloadOffset, seg.payloadOffset + seg.payloadLength));
    if (seg.fin) {
      this.ackPending = false; // whatever answers a FIN carries rcvNxt
      const finAt = seq + seg.payloadLength;
      if (this.state === 'open' && finAt === this.rcvNxt) {
        this.rcvNxt = finAt + 1;
        this.state = 'last-ack';
        this.cancel('idle'); // every byte is in: from here on silence is not a failure
        this.send(this.segment(['FIN', 'ACK'], 1, this.rcvNxt));
        this.arm('fin', this.config.timeout);
      } else if (this.state === 'last-ack' && finAt + 1 === this.rcvNxt) {
        this.send(this.segment(['FIN', 'ACK'], 1, this.rcvNxt), true); // our FIN-ACK was lost
      } else {
        this.ackNow(); // a gap before the FIN
      }
      return;
    }
    if (this.state === 'last-ack') {
      if (seg.hasAck && Number(seg.ack) === 2) this.finish(true, 'transfer complete');
      return;
    }
    if (seg.payloadLength === 0) return;
    // In order with no gap behind it: may wait for the batch's end. Anything else is ACKed at
    // once: a duplicate ACK signals a gap, and the ACK that fills one (RFC 5681) ends recovery.
    if (this.config.coalesceAcks) {
      if (inOrder && ++this.unacked < COALESCED_ACK_EVERY) { this.ackPending = true; return; }
      // Enough duplicates of this ACK for a fast retransmit: one more when the batch ends.
      if (!inOrder && this.rcvNxt === this.lastAck && this.duplicates >= COALESCED_DUPLICATES) { this.ackPending = true; return; }
    }
    this.ackNow();
  }

  /** Takes a payload in; true when it was the next in order and nothing was held out of order. */
  private accept(seq: number, payload: Buffer): boolean {
    const end = seq + payload.length;
    if (end <= this.rcvNxt) return false; // all old: the ACK repeats what we expect
    if (seq > this.rcvNxt) {
      if (!this.held.has(seq) && seq - this.rcvNxt < this.room && this.heldBytes + payload.length <= this.room) {
        this.held.set(seq, payload); // arrivals are ours to keep: no copy
        this.heldBytes += payload.length;
      }
      return false;
    }
    const noGap = this.held.size === 0;
    this.deliver(payload.subarray(this.rcvNxt - seq));
    this.rcvNxt = end;
    if (noGap) return true;
    for (let next = this.held.get(this.rcvNxt); next !== undefined || this.held.size > 0; next = this.held.get(this.rcvNxt)) {
      if (next === undefined) { this.dropStale(); next = this.held.get(this.rcvNxt); if (next === undefined) break; }
      this.held.delete(this.rcvNxt);
      this.heldBytes -= next.length;
      this.deliver(next);
      this.rcvNxt += next.length;
    }
    return false;
  }

  /** Held segments that now start before rcvNxt (overlapping resends) are trimmed or dropped. */
  private dropStale(): void {
    for (const [s, b] of this.held) {
      if (s >= this.rcvNxt) continue;
      this.held.delete(s);
      this.heldBytes -= b.length;
      if (s + b.length > this.rcvNxt && !this.held.has(this.rcvNxt)) {
        const tail = b.subarray(this.rcvNxt - s);
        this.held.set(this.rcvNxt, tail);
        this.heldBytes += tail.length;
      }
    }
  }
}
