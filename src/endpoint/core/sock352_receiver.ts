/**
 * The sock352 receiver: answers the SYN, accepts data strictly in order (Go-Back-N discards
 * out-of-order packets) and ACKs every arrival with the next expected sequence number (or, with
 * coalesceAcks, in-order arrivals once per batch and every 4 packets; out-of-order ones still at once), then
 * ACKs the sender's FIN and sends its own. Unlike the seed's receiver it survives any number
 * of datagrams, duplicates and stray packets.
 */
import type { Dissector } from '../../codec/dissector.js';
import { readField } from '../../codec/field_io.js';
import type { LayoutField } from '../../codec/layout.js';
import { CoreBase } from './core_base.js';
import { COALESCED_ACK_EVERY, type CoreConfig } from './core_event.js';

type State = 'listen' | 'open' | 'fin-sent';

export class Sock352Receiver extends CoreBase {
  private state: State = 'listen';
  private expected = 0;
  private finRetries = 0;
  /** In-order data arrived in this batch and is not yet ACKed (coalesceAcks). */
  private ackPending = false;
  /** In-order packets not yet ACKed (coalesceAcks: at most COALESCED_ACK_EVERY). */
  private unacked = 0;
  /** The header fields an out-of-order check reads, when a header alone can tell (see `outOfOrder`). */
  private readonly peek: { seq: LayoutField; payloadLength: LayoutField; size: number } | null;

  /** @example const core = new Sock352Receiver(reg.get('sock352'), config); */
  constructor(dissector: Dissector, config: CoreConfig) {
    super(dissector, config);
    this.peek = headerPeek(dissector);
  }

  /**
   * A whole, well-formed data packet that is not the next expected one, told from two header
   * fields: Go-Back-N discards it and only answers with a duplicate ACK, so decoding it (a
   * Segment and its fields, about a window of them per loss) would be wasted. Anything the
   * header alone cannot vouch for (short, truncated) takes the full decode.
   */
  private outOfOrder(bytes: Buffer): boolean {
    const p = this.peek;
    if (p === null || this.state !== 'open' || bytes.length < p.size) return false;
    const n = Number(readField(bytes, 0, p.payloadLength));
    if (!(n > 0) || p.size + n > bytes.length) return false;
    return Number(readField(bytes, 0, p.seq)) !== this.expected;
  }

  private segment(flags: string[], seq: number, ack: number): Buffer {
    return this.encode({
      version: 1, flags: this.flagBits(...flags), header_len: 40, sequence_no: seq, ack_no: ack, window: 0, payload_len: 0,
    });
  }

  override get coalescing(): boolean {
    return this.config.coalesceAcks === true;
  }

  /** The cumulative ACK of everything in order so far. */
  private ackNow(): void {
    this.ackPending = false;
    this.unacked = 0;
    this.send(this.segment(['ACK'], 0, this.expected));
  }

  protected override onDrained(): void {
    if (this.ackPending) this.ackNow();
  }

  protected onStart(): void {
    this.arm('idle', this.config.idleTimeout);
  }

  protected onTimer(id: string): void {
    if (id === 'idle') {
      this.finish(false, `peer silent for ${this.config.idleTimeout} s: transfer incomplete`);
    } else if (id === 'fin' && this.state === 'fin-sent') {
      if (++this.finRetries > 7) { this.finish(true, 'transfer complete (peer never ACKed our FIN)'); return; }
      this.send(this.segment(['FIN'], 1, this.expected), true);
      this.arm('fin', this.config.timeout);
    }
  }

  protected onBytes(bytes: Buffer): void {
    if (this.outOfOrder(bytes)) {
      this.arm('idle', this.config.idleTimeout);
      this.ackNow();
      return;
    }
    const seg = this.decodeDatagram(bytes);
    if (!seg || seg.seq === null) { if (seg) this.ignore('malformed'); return; }
    if (this.state !== 'fin-sent') this.arm('idle', this.config.idleTimeout);
    const seq = Number(seg.seq);
    if (seg.syn && seg.payloadLength === 0 && this.state !== 'fin-sent') {
      if (this.state === 'listen') { this.state = 'open'; this.expected = seq + 1; }
      if (this.expected === seq + 1) this.send(this.segment(['ACK'], 0, seq + 1), this.stats.segmentsSent > 0);
      return;
    }
    if (this.state === 'listen') { this.ignore('unexpected'); return; }
    if (seg.payloadLength > 0) {
      if (this.state === 'open' && seq === this.expected) {
        this.deliver(bytes.subarray(seg.payloadOffset, seg.payloadOffset + seg.payloadLength)); // arrivals are ours to keep: no copy
        this.expected++;
        if (this.config.coalesceAcks && ++this.unacked < COALESCED_ACK_EVERY) { this.ackPending = true; return; } // ACKed when the batch ends
      }
      this.ackNow(); // out of order or old: a duplicate ACK at once, the sender's loss signal
      return;
    }
    if (seg.fin) {
      if (seq !== this.expected && !(this.state === 'fin-sent' && seq + 1 === this.expected)) {
        this.ackNow(); // a gap before the FIN: ask again
        return;
      }
      this.ackPending = false; // the FIN's ACK covers every packet
      const retransmitted = this.state === 'fin-sent';
      if (!retransmitted) this.expected = seq + 1;
      this.send(this.segment(['ACK'], 1, this.expected), retransmitted);
      this.send(this.segment(['FIN'], 1, this.expected), retransmitted);
      this.state = 'fin-sent';
      this.cancel('idle'); // every byte is in: from here on silence is not a failure
      this.arm('fin', this.config.timeout);
      return;
    }
    if (this.state === 'fin-sent' && seg.hasAck && Number(seg.ack) === 2) {
      this.finish(true, 'transfer complete');
      return;
    }
    // The handshake's final ACK and stray ACKs need no answer.
  }
}

/**
 * The seq and payload-length fields, when a header can be judged without decoding it: no
 * checksum to verify, a fixed header (no header-length role, no variants or kinds), and both
 * roles plain unsigned fields of the layout. Otherwise null (always decode).
 *
 * @example headerPeek(reg.get('sock352')) // { seq: <sequence_no>, payloadLength: <payload_len>, size: 40 }
 */
function headerPeek(d: Dissector): { seq: LayoutField; payloadLength: LayoutField; size: number } | null {
  const def = d.def;
  if (def.checksum.algorithm !== 'none' || def.variants.length > 0) return null;
  if (def.roles.headerLength !== undefined || def.roles.kind !== undefined || def.roles.payload !== undefined) return null;
  const layout = d.layout();
  const field = (name: unknown): LayoutField | null => {
    if (typeof name !== 'string') return null;
    const f = layout.fields.find((x) => x.name === name);
    return f && (f.type === 'u8' || f.type === 'u16' || f.type === 'u32' || f.type === 'u64') ? f : null;
  };
  const seq = field(def.roles.seq);
  const payloadLength = field(def.roles.payloadLength);
  return seq && payloadLength ? { seq, payloadLength, size: layout.size } : null;
}
