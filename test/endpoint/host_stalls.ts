/**
 * A busy host for the simulated wire: seeded pauses during which one endpoint's event loop does
 * not run (garbage collection, a neighbour's process on a shared machine). While it is paused,
 * its timers cannot fire and arriving datagrams wait in the socket; when it resumes, the overdue
 * timers run first and the waiting datagrams after them, in order (Node's timers phase precedes
 * its poll phase). That order is what makes a pause longer than the RTO look like a loss: the
 * retransmission timer fires before the ACKs that were on time are read.
 */
import type { Clock, TimerHandle } from '../../src/endpoint/clock.js';
import type { Link } from '../../src/endpoint/link/link.js';
import { seededRandom } from '../../src/endpoint/link/seeded_random.js';

export interface StallSpec {
  /** Mean seconds between the starts of two pauses. */
  every: number;
  /** Longest pause, seconds (each lasts between half of it and all of it). */
  longest: number;
  /** CPU seconds the host spends on each datagram it sends: the queue that makes loopback's RTT grow with the window. */
  perDatagram?: number;
  seed: number;
}

/** The pause schedule of one host: when a moment falls inside a pause, the time it ends. */
export class HostStalls {
  private readonly rnd: () => number;
  /** Pauses generated so far, in time order, as [start, end] pairs (times far ahead are asked for: an idle timer). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Pauses the run actually went through (for the test's bound). */
  private latest = 0;

  /** @example const stalls = new HostStalls(clock.now(), { every: 0.05, longest: 0.02, seed: 1 }); */
  constructor(private readonly from: number, private readonly spec: StallSpec) {
    this.rnd = seededRandom(spec.seed);
  }

  /** Pauses begun up to the latest moment the host was asked about. */
  get count(): number {
    let n = 0;
    while (n < this.starts.length && this.starts[n] <= this.latest) n++;
    return n;
  }

  /** The pause that `t` falls in (its last instant included), or -1. */
  private pauseAt(t: number): number {
    while (this.ends.length === 0 || this.ends[this.ends.length - 1] < t) {
      const start = (this.ends.length ? this.ends[this.ends.length - 1] : this.from) + this.spec.every * (0.5 + this.rnd());
      this.starts.push(start);
      this.ends.push(start + this.spec.longest * (0.5 + this.rnd() / 2));
    }
    let lo = 0, hi = this.ends.length - 1; // the first pause ending at or after t
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.ends[mid] >= t) hi = mid; else lo = mid + 1; }
    return t >= this.starts[lo] ? lo : -1;
  }

  /** When the host can act on something due at `t`: `t`, or the end of the pause around it. */
  resume(t: number): number {
    const i = this.pauseAt(t);
    return i < 0 ? t : this.ends[i];
  }

  /** True when the host is paused at `t` (at a pause's last instant too: what waited is read first). */
  paused(t: number): boolean {
    return this.pauseAt(t) >= 0;
  }

  /** The host's clock: timers due inside a pause fire when it ends. */
  clock(inner: Clock): Clock {
    return {
      now: () => inner.now(),
      schedule: (at: number, fn: () => void): TimerHandle => inner.schedule(this.resume(Math.max(at, inner.now())), fn),
      cancel: (h: TimerHandle) => inner.cancel(h),
      soon: (fn: () => void) => inner.schedule(this.resume(inner.now()), fn),
    };
  }

  /**
   * The host's end of a link: datagrams arriving inside a pause are read when it ends, after the
   * overdue timers; datagrams sent leave one `perDatagram` apart, never inside a pause.
   */
  link(inner: Link, clock: Clock): Link {
    const cost = this.spec.perDatagram ?? 0;
    let free = clock.now();
    const outer: Link = {
      kind: inner.kind,
      get local() { return inner.local; },
      get remote() { return inner.remote; },
      send: (bytes) => {
        if (cost === 0) { inner.send(bytes); return; }
        free = this.resume(Math.max(free, clock.now())) + cost;
        clock.schedule(free, () => inner.send(bytes));
      },
      onReceive: () => {},
      close: () => inner.close(),
    };
    inner.onReceive = (bytes) => {
      this.latest = clock.now();
      // Inside a pause, and at its end, arrivals queue behind what waited (scheduled later, read later).
      if (!this.paused(clock.now())) outer.onReceive(bytes);
      else clock.schedule(this.resume(clock.now()), () => outer.onReceive(bytes));
    };
    return outer;
  }
}
