/**
 * Runs a sans-IO core over a Link and a Clock: feeds it arrivals and timer firings, carries
 * out its actions, and reports the end. The only place where a core meets I/O.
 */
import type { Clock, TimerHandle } from './clock.js';
import type { CoreAction, ProtocolCore } from './core/core_event.js';
import type { Link } from './link/link.js';

export interface DriverResult { ok: boolean; reason: string; at: number }

export interface DriverOptions {
  onDeliver?: (bytes: Buffer) => void;
  onDone?: (r: DriverResult) => void;
  /** After each event the core handled (progress, goodput timing). */
  onEvent?: () => void;
}

/**
 * @example
 * const d = new CoreDriver(core, link, clock, { onDeliver: (b) => out.write(b), onDone: (r) => console.log(r) });
 * d.start();
 */
export class CoreDriver {
  /**
   * One clock timer per core timer id, re-armed lazily: a core re-arms its retransmission
   * timer on nearly every ACK, and cancelling and scheduling a real timer each time cost more
   * than the protocol itself. A later deadline only moves `at`; the clock timer, when it fires
   * early, sleeps again until `at`.
   */
  private readonly timers = new Map<string, { at: number; due: number; handle: TimerHandle | null }>();
  result: DriverResult | null = null;
  private drainPending = false;

  constructor(readonly core: ProtocolCore, private readonly link: Link, private readonly clock: Clock, private readonly o: DriverOptions = {}) {
    link.onReceive = (bytes) => {
      if (this.result) return;
      this.apply(core.handle({ type: 'segment', bytes }, clock.now()));
      if (core.coalescing && !this.drainPending) {
        this.drainPending = true;
        clock.soon(this.drained);
      }
    };
  }

  private readonly drained = (): void => {
    this.drainPending = false;
    if (!this.result) this.apply(this.core.handle({ type: 'drained' }, this.clock.now()));
  };

  start(): void {
    this.apply(this.core.handle({ type: 'start' }, this.clock.now()));
  }

  /** The peer closed the stream. */
  closed(): void {
    if (!this.result) this.apply(this.core.handle({ type: 'closed' }, this.clock.now()));
  }

  /** Ends the run from outside (a socket error, Ctrl-C). */
  abort(reason: string): void {
    if (this.result) return;
    this.end({ ok: false, reason, at: this.clock.now() });
  }

  private arm(id: string, at: number): void {
    let t = this.timers.get(id);
    if (!t) { t = { at, due: at, handle: null }; this.timers.set(id, t); }
    t.at = at;
    if (t.handle && t.due <= at) return; // fires early and sleeps again until `at`
    if (t.handle) this.clock.cancel(t.handle);
    this.schedule(id, t);
  }

  private schedule(id: string, t: { at: number; due: number; handle: TimerHandle | null }): void {
    t.due = t.at;
    t.handle = this.clock.schedule(t.at, () => {
      t.handle = null;
      if (this.result || this.timers.get(id) !== t) return;
      if (this.clock.now() < t.at) { this.schedule(id, t); return; }
      this.timers.delete(id);
      this.apply(this.core.handle({ type: 'timer', id }, this.clock.now()));
    });
  }

  private disarm(id: string): void {
    const t = this.timers.get(id);
    if (!t) return;
    if (t.handle) this.clock.cancel(t.handle);
    this.timers.delete(id);
  }

  private apply(actions: CoreAction[]): void {
    for (const a of actions) {
      switch (a.type) {
        case 'send': this.link.send(a.bytes); break;
        case 'arm': this.arm(a.id, a.at); break;
        case 'cancel': this.disarm(a.id); break;
        case 'deliver': this.o.onDeliver?.(a.bytes); break;
        case 'done': this.end({ ok: a.ok, reason: a.reason, at: this.clock.now() }); break;
      }
    }
    this.o.onEvent?.();
  }

  private end(r: DriverResult): void {
    this.result = r;
    for (const t of this.timers.values()) if (t.handle) this.clock.cancel(t.handle);
    this.timers.clear();
    this.o.onDone?.(r);
  }
}
