/**
 * Time for the endpoint drivers: the real clock (epoch seconds, setTimeout) or a virtual one
 * (simulation). Cores never read either; drivers pass `now` in.
 */

export interface TimerHandle { cancelled: boolean }

export interface Clock {
  /** Seconds since the Unix epoch (fractional). */
  now(): number;
  /** Runs `fn` at time `at` (or as soon as possible if `at` has passed). */
  schedule(at: number, fn: () => void): TimerHandle;
  cancel(h: TimerHandle): void;
  /**
   * Runs `fn` once the arrivals already waiting have been handled: after the event loop's
   * I/O phase on the real clock, after the events due now on a virtual one.
   */
  soon(fn: () => void): void;
}

/**
 * The wall clock.
 *
 * @example const clock = new RealClock(); clock.schedule(clock.now() + 0.2, () => resend());
 */
export class RealClock implements Clock {
  private readonly timers = new Map<TimerHandle, NodeJS.Timeout>();

  now(): number {
    return (performance.timeOrigin + performance.now()) / 1000;
  }

  schedule(at: number, fn: () => void): TimerHandle {
    const h: TimerHandle = { cancelled: false };
    const t = setTimeout(() => { this.timers.delete(h); if (!h.cancelled) fn(); }, Math.max(0, (at - this.now()) * 1000));
    this.timers.set(h, t);
    return h;
  }

  soon(fn: () => void): void {
    setImmediate(fn); // the check phase follows the poll phase that read the datagrams
  }

  cancel(h: TimerHandle): void {
    h.cancelled = true;
    const t = this.timers.get(h);
    if (t) { clearTimeout(t); this.timers.delete(h); }
  }
}
