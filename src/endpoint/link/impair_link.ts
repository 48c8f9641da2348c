/**
 * The impair wrapper: a Link around a Link that drops, duplicates, reorders, delays and
 * corrupts what passes, by an ImpairmentSpec, in the directions asked. Every drop is reported
 * (onDrop) so a recorder can note the ground truth. On a stream link (TCP) a "datagram" is one
 * message as the core sent it: drops and reordering act on whole records, delays keep order
 * (TCP cannot reorder), and corruption is off (the stream has no checksum to catch it).
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Clock } from '../clock.js';
import { ImpairmentChannel, classify, type Fate, type TrafficClass } from './impairment_channel.js';
import { isImpairing, type ImpairmentSpec } from './impairment_spec.js';
import type { Link } from './link.js';

export interface DropEvent {
  time: number;
  from: string;
  to: string;
  /** 'out': dropped as it left this end; 'in': dropped as it arrived. */
  direction: 'out' | 'in';
  cls: TrafficClass;
  /** Sequence number (data) or acknowledgement number (ACK), when known. */
  value: number | null;
  kind: string | null;
  /** 1-based index among the datagrams of its class in this direction (of the direction's datagrams, when no drop list is set). */
  index: number;
  reason: string;
  bytes: Buffer;
}

export interface ImpairOptions {
  spec: ImpairmentSpec;
  clock: Clock;
  /** Classifies data and ACKs for drop lists; without one, 'out' counts as data and 'in' as ACKs. */
  dissector?: Dissector | null;
  /** Parameters in force (learned ones such as N), read at each decision. */
  params?: () => Record<string, number> | undefined;
  directions?: 'out' | 'in' | 'both';
  /** Distinguishes the random streams of several wrappers sharing a seed. */
  salt?: number;
  onDrop?: (e: DropEvent) => void;
}

/**
 * @example
 * const link = impair(udpLink, { spec: { dropData: [4, 9, 10], loss: 0.05, seed: 7 }, clock, dissector });
 */
export function impair(inner: Link, o: ImpairOptions): Link {
  // Nothing to do: no wrapper, so a clean run pays nothing (classifying decodes every datagram).
  if (!isImpairing(o.spec)) return inner;
  return new ImpairedLink(inner, o);
}

class ImpairedLink implements Link {
  readonly kind: 'datagram' | 'stream';
  onReceive: (bytes: Buffer) => void = () => {};
  private readonly out: ImpairmentChannel | null;
  private readonly in: ImpairmentChannel | null;
  /** Stream order: nothing may leave before what was sent earlier. */
  private lastOutAt = 0;
  private held: Buffer | null = null;
  private readonly needsClass: boolean;

  constructor(private readonly inner: Link, private readonly o: ImpairOptions) {
    this.kind = inner.kind;
    this.needsClass = Boolean(o.spec.dropData?.length || o.spec.dropAcks?.length);
    const dirs = o.directions ?? 'out';
    const salt = (o.salt ?? 0) * 2;
    const corrupt = inner.kind === 'datagram';
    this.out = dirs !== 'in' ? new ImpairmentChannel(o.spec, salt, corrupt) : null;
    // Arriving stream chunks are not records: impair a stream only where records are sent.
    this.in = dirs !== 'out' && inner.kind === 'datagram' ? new ImpairmentChannel(o.spec, salt + 1, corrupt) : null;
    inner.onReceive = (bytes) => this.arrive(bytes);
  }

  get local(): string { return this.inner.local; }
  get remote(): string { return this.inner.remote; }

  private fate(ch: ImpairmentChannel, bytes: Buffer, direction: 'out' | 'in'): Fate {
    const fallback = direction === 'out' ? 'data' : 'ack';
    // Only drop lists need every datagram's class (they count and match per class); random
    // impairments need none, and decoding each datagram cost more than the protocol. Then a
    // drop is classified for its report alone, and its index counts the direction's datagrams.
    const fate = this.needsClass
      ? ch.decide(bytes, classify(this.o.dissector ?? null, bytes, fallback, this.o.params?.()))
      : ch.decide(bytes, { cls: fallback, value: null, kind: null });
    if (fate.dropped !== null && this.o.onDrop) {
      const c = this.needsClass ? fate.classified : classify(this.o.dissector ?? null, bytes, fallback, this.o.params?.());
      const [from, to] = direction === 'out' ? [this.local, this.remote] : [this.remote, this.local];
      this.o.onDrop({ time: this.o.clock.now(), from, to, direction, cls: c.cls, value: c.value, kind: c.kind, index: fate.index, reason: fate.dropped, bytes });
    }
    return fate;
  }

  send(bytes: Buffer): void {
    if (!this.out) { this.inner.send(bytes); return; }
    const fate = this.fate(this.out, bytes, 'out');
    if (this.kind === 'stream') { this.sendStream(fate); return; }
    for (const c of fate.copies) {
      if (c.delay === 0) this.inner.send(c.bytes);
      else this.o.clock.schedule(this.o.clock.now() + c.delay, () => this.inner.send(c.bytes));
    }
  }

  private sendStream(fate: Fate): void {
    for (const c of fate.copies) {
      if (c.reordered && this.held === null) {
        // Swapped with the next record; flushed alone if no record follows soon.
        this.held = c.bytes;
        const held = c.bytes;
        this.o.clock.schedule(this.o.clock.now() + c.delay, () => { if (this.held === held) { this.held = null; this.streamOut(held, 0); } });
        continue;
      }
      this.streamOut(c.bytes, c.delay);
      if (this.held) { const h = this.held; this.held = null; this.streamOut(h, c.delay); }
    }
  }

  private streamOut(bytes: Buffer, delay: number): void {
    const now = this.o.clock.now();
    const at = Math.max(now + delay, this.lastOutAt);
    this.lastOutAt = at;
    if (at <= now) this.inner.send(bytes);
    else this.o.clock.schedule(at, () => this.inner.send(bytes));
  }

  private arrive(bytes: Buffer): void {
    if (!this.in) { this.onReceive(bytes); return; }
    const fate = this.fate(this.in, bytes, 'in');
    for (const c of fate.copies) {
      if (c.delay === 0) this.onReceive(c.bytes);
      else this.o.clock.schedule(this.o.clock.now() + c.delay, () => this.onReceive(c.bytes));
    }
  }

  close(): void {
    if (this.held) { const h = this.held; this.held = null; this.inner.send(h); }
    this.inner.close();
  }
}
