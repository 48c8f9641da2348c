/**
 * A simulated wire between two Links on a virtual clock: datagrams arrive after a fixed
 * propagation delay; a stream delivers bytes in order but merges and splits them at seeded
 * random points, as TCP does, so record framing is exercised on every run.
 */
import type { Clock } from '../clock.js';
import type { Link } from './link.js';
import { seededRandom } from './seeded_random.js';

export interface SimWireOptions {
  kind: 'datagram' | 'stream';
  /** One-way propagation delay, seconds (default 1 ms). */
  delay?: number;
  /** Seed for stream split points. */
  seed?: number;
  /** Endpoint names for recordings (default 10.0.0.1:50000 and 10.0.0.2:50001). */
  a?: string;
  b?: string;
}

class WireEnd implements Link {
  onReceive: (bytes: Buffer) => void = () => {};
  peer!: WireEnd;
  private queue: Buffer[] = [];
  private queued = 0;
  private deliveryArmed = false;
  closed = false;

  constructor(readonly kind: 'datagram' | 'stream', readonly local: string, readonly remote: string, private readonly clock: Clock, private readonly delay: number, private readonly rnd: () => number) {}

  send(bytes: Buffer): void {
    if (this.closed) return;
    const peer = this.peer;
    const copy = Buffer.from(bytes); // the sender may reuse its buffer
    if (this.kind === 'datagram') {
      this.clock.schedule(this.clock.now() + this.delay, () => { if (!peer.closed) peer.onReceive(copy); });
      return;
    }
    this.clock.schedule(this.clock.now() + this.delay, () => peer.enqueue(copy));
  }

  /** Stream side: bytes that reached this end, delivered merged with anything already waiting. */
  private enqueue(b: Buffer): void {
    this.queue.push(b);
    this.queued += b.length;
    if (!this.deliveryArmed) {
      this.deliveryArmed = true;
      this.clock.schedule(this.clock.now(), () => this.deliver());
    }
  }

  private deliver(): void {
    this.deliveryArmed = false;
    if (this.closed || this.queued === 0) return;
    let all = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue, this.queued);
    this.queue = [];
    this.queued = 0;
    if (all.length > 1 && this.rnd() < 0.3) {
      const cut = 1 + Math.floor(this.rnd() * (all.length - 1));
      const rest = all.subarray(cut);
      all = all.subarray(0, cut);
      this.queue.push(rest);
      this.queued = rest.length;
      this.deliveryArmed = true;
      this.clock.schedule(this.clock.now() + 1e-6, () => this.deliver());
    }
    this.onReceive(all);
  }

  close(): void { this.closed = true; }
}

/**
 * @example
 * const wire = new SimWire(clock, { kind: 'datagram', delay: 0.005 });
 * senderLink = wire.a; receiverLink = wire.b;
 */
export class SimWire {
  readonly a: Link;
  readonly b: Link;

  constructor(clock: Clock, o: SimWireOptions) {
    const delay = o.delay ?? 0.001;
    const rnd = seededRandom(o.seed ?? 1);
    const an = o.a ?? '10.0.0.1:50000';
    const bn = o.b ?? '10.0.0.2:50001';
    const a = new WireEnd(o.kind, an, bn, clock, delay, rnd);
    const b = new WireEnd(o.kind, bn, an, clock, delay, rnd);
    a.peer = b;
    b.peer = a;
    this.a = a;
    this.b = b;
  }
}
