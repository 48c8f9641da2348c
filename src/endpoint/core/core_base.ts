/**
 * What every protocol core shares: collecting the actions of one `handle` call, statistics, and
 * the decode-and-screen step that turns arriving bytes into a segment or a counted rejection.
 */
import type { Dissector, EncodeOptions } from '../../codec/dissector.js';
import type { FieldValue } from '../../codec/field_io.js';
import type { Segment } from '../../codec/segment.js';
import { SegmentSlab } from './segment_slab.js';
import { countIgnored, emptyStats, type CoreAction, type CoreConfig, type CoreEvent, type CoreStats, type ProtocolCore } from './core_event.js';

export abstract class CoreBase implements ProtocolCore {
  readonly stats: CoreStats = emptyStats();
  finished = false;
  protected now = 0;
  private out: CoreAction[] = [];
  private readonly slab = new SegmentSlab();
  private readonly flagMasks = new Map<string, number>();

  constructor(protected readonly dissector: Dissector, protected readonly config: CoreConfig) {}

  handle(event: CoreEvent, now: number): CoreAction[] {
    this.now = now;
    if (!this.finished) {
      if (event.type === 'start') this.onStart();
      else if (event.type === 'timer') this.onTimer(event.id);
      else if (event.type === 'closed') this.onClosed();
      else if (event.type === 'drained') this.onDrained();
      else this.onBytes(event.bytes);
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  protected abstract onStart(): void;
  protected abstract onTimer(id: string): void;
  protected abstract onBytes(bytes: Buffer): void;

  /** Receivers that coalesce ACKs want to hear when a batch of arrivals ends. */
  get coalescing(): boolean {
    return false;
  }

  /** A batch of arrivals ended (only for cores whose `coalescing` is true). */
  protected onDrained(): void {}

  /** The peer closed the stream: unless a core knows better, the transfer failed. */
  protected onClosed(): void {
    this.finish(false, 'peer closed the connection before the transfer ended');
  }

  protected send(bytes: Buffer, retransmission = false): void {
    this.stats.segmentsSent++;
    if (retransmission) this.stats.retransmissions++;
    this.out.push({ type: 'send', bytes });
  }

  protected arm(id: string, after: number): void {
    this.out.push({ type: 'arm', id, at: this.now + after });
  }

  protected cancel(id: string): void {
    this.out.push({ type: 'cancel', id });
  }

  protected deliver(bytes: Buffer): void {
    this.stats.bytes += bytes.length;
    this.out.push({ type: 'deliver', bytes });
  }

  protected finish(ok: boolean, reason: string): void {
    if (this.finished) return;
    this.finished = true;
    this.out.push({ type: 'done', ok, reason });
  }

  /** The mask of the named flags in the dissector's flags field (sets no bits for unknown names). */
  protected flagBits(...names: string[]): number {
    const key = names.join(',');
    let m = this.flagMasks.get(key);
    if (m === undefined) {
      m = 0;
      for (const [flag, , mask] of this.dissector.flagDefinitions) if (names.includes(flag)) m |= mask;
      this.flagMasks.set(key, m);
    }
    return m;
  }

  /** Encodes an outgoing segment with the shared codec, into slab memory (no allocation per segment). */
  protected encode(values: Record<string, FieldValue>, payload?: Uint8Array, opts?: EncodeOptions): Buffer {
    return this.slab.encode(this.dissector, values, payload, opts);
  }

  protected ignore(reason: string): void {
    countIgnored(this.stats, reason);
  }

  /**
   * Decodes one datagram; malformed headers and bad checksums are counted and yield null, so a
   * hostile or corrupted datagram can never throw out of a core.
   */
  protected decodeDatagram(bytes: Buffer, params?: Record<string, number>): Segment | null {
    let seg: Segment;
    try {
      seg = this.dissector.decode(bytes, 0, bytes.length, params ? { params } : {});
    } catch {
      this.ignore('malformed');
      return null;
    }
    if (seg.warnings.length > 0 && seg.warnings.some((w) => w !== 'trailing-bytes')) {
      this.ignore('malformed');
      return null;
    }
    if (seg.checksum === 'bad') {
      this.ignore('checksum');
      return null;
    }
    return seg;
  }
}
