/**
 * A virtual clock for deterministic simulation: events run in time order (ties in scheduling
 * order), and time jumps straight to the next event, so a 2 s timeout costs no real time.
 */
import type { Clock, TimerHandle } from './clock.js';

interface Entry { at: number; order: number; fn: () => void; handle: TimerHandle }

/** Start of simulated time: a fixed epoch, so recordings are reproducible byte for byte. */
export const SIM_EPOCH = 1_700_000_000;

export class VirtualClock implements Clock {
  private t: number;
  private order = 0;
  private readonly heap: Entry[] = [];

  /** @example const clock = new VirtualClock(); clock.schedule(clock.now() + 2, fire); clock.run(); */
  constructor(start = SIM_EPOCH) {
    this.t = start;
  }

  now(): number { return this.t; }

  schedule(at: number, fn: () => void): TimerHandle {
    const handle: TimerHandle = { cancelled: false };
    this.push({ at: Math.max(at, this.t), order: this.order++, fn, handle });
    return handle;
  }

  cancel(h: TimerHandle): void { h.cancelled = true; }

  /** After every event already due at this instant (ties run in scheduling order). */
  soon(fn: () => void): void { this.schedule(this.t, fn); }

  /**
   * Runs events until none is left, `stop()` says so, or `maxEvents` ran (a bound, so a
   * livelocked protocol fails a test instead of hanging it). Returns the number run.
   */
  run(stop: () => boolean = () => false, maxEvents = 10_000_000): number {
    let n = 0;
    while (this.heap.length > 0 && !stop()) {
      if (n >= maxEvents) throw new Error(`simulation did not settle after ${maxEvents} events`);
      const e = this.pop();
      if (e.handle.cancelled) continue;
      this.t = e.at;
      n++;
      e.fn();
    }
    return n;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
