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
  private readonly timers = new Map<string, TimerHandle>();
  result: DriverResult | null = null;

  constructor(readonly core: ProtocolCore, private readonly link: Link, private readonly clock: Clock, private readonly o: DriverOptions = {}) {
    link.onReceive = (bytes) => { if (!this.result) this.apply(core.handle({ type: 'segment', bytes }, clock.now())); };
  }

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

  private apply(actions: CoreAction[]): void {
    for (const a of actions) {
      switch (a.type) {
        case 'send': this.link.send(a.bytes); break;
        case 'arm': {
          const old = this.timers.get(a.id);
          if (old) this.clock.cancel(old);
          const id = a.id;
          this.timers.set(id, this.clock.schedule(a.at, () => {
            this.timers.delete(id);
            if (!this.result) this.apply(this.core.handle({ type: 'timer', id }, this.clock.now()));
          }));
          break;
        }
        case 'cancel': {
          const old = this.timers.get(a.id);
          if (old) { this.clock.cancel(old); this.timers.delete(a.id); }
          break;
        }
        case 'deliver': this.o.onDeliver?.(a.bytes); break;
        case 'done': this.end({ ok: a.ok, reason: a.reason, at: this.clock.now() }); break;
      }
    }
    this.o.onEvent?.();
  }

  private end(r: DriverResult): void {
    this.result = r;
    for (const h of this.timers.values()) this.clock.cancel(h);
    this.timers.clear();
    this.o.onDone?.(r);
  }
}
