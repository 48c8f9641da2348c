/**
 * The Ariel "Package" server (seed 004): answers GET_MAX with RETURN_MAX(N), then accepts MSG
 * packages in pos order only — out-of-order packages are held, each package that becomes in
 * order is ACKed (payload = its pos), duplicates are re-ACKed with the last in-order pos — ACKs
 * DONE once everything before it arrived, and answers CLOSE with DISCONNECT.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Segment } from '../../codec/segment.js';
import { CoreBase } from './core_base.js';
import type { CoreConfig } from './core_event.js';
import { RecordStream } from './record_stream.js';

/** Bound on held out-of-order packages, so a hostile client cannot grow memory without end. */
const MAX_HELD = 1 << 16;

export class PackageServer extends CoreBase {
  /** Parameters in force (N once learned), for whoever must decode this connection's records. */
  params: Record<string, number>;
  private readonly stream: RecordStream;
  private last = 0;
  /** pos → payload, or null for DONE. */
  private readonly held = new Map<number, Buffer | null>();
  private complete = false;
  private closing = false;

  /** @example const core = new PackageServer(reg.get('ariel-package'), { ...config, mss: 10 }); // N = 10 */
  constructor(dissector: Dissector, config: CoreConfig) {
    super(dissector, config);
    this.params = { ...dissector.defaultParams };
    this.stream = new RecordStream(dissector, () => this.params, (seg, buf, off) => this.onRecord(seg, buf, off), (why) => this.ignore(why));
  }

  private message(header: string, payload: string): Buffer {
    return this.encode({ header, payload, seq: 0, sent_time: this.now, ack: false, prev_seq: 0, pos: 0 }, undefined, { params: this.params });
  }

  protected onStart(): void {
    this.arm('idle', this.config.idleTimeout);
  }

  protected onTimer(id: string): void {
    if (id === 'linger') this.finish(true, 'transfer complete');
    else if (id === 'idle') this.finish(false, `peer silent for ${this.config.idleTimeout} s: transfer incomplete`);
  }

  protected override onClosed(): void {
    if (this.closing) this.finish(true, 'transfer complete');
    else super.onClosed();
  }

  protected onBytes(bytes: Buffer): void {
    if (!this.closing) this.arm('idle', this.config.idleTimeout);
    this.stream.push(bytes);
  }

  private onRecord(seg: Segment, buf: Buffer, off: number): void {
    switch (seg.kind) {
      case 'GET_MAX': {
        const n = this.config.mss;
        const reply = this.message('RETURN_MAX', String(n));
        this.params = { ...this.params, N: n }; // every record after GET_MAX uses N
        this.send(reply, this.stats.segmentsSent > 0);
        return;
      }
      case 'MSG':
      case 'DONE': {
        const pos = Number(seg.seq);
        if (!Number.isInteger(pos) || pos < 1) { this.ignore('malformed'); return; }
        const payload = seg.kind === 'DONE' ? null : Buffer.from(buf.subarray(off + seg.payloadOffset, off + seg.payloadOffset + seg.payloadLength));
        this.accept(pos, payload);
        return;
      }
      case 'CLOSE':
        if (!this.complete) { this.finish(false, `client closed after pos ${this.last} without a DONE: transfer incomplete`); return; }
        this.send(this.message('DISCONNECT', 'approving client disconnection'.slice(0, this.params.N)), this.closing);
        if (!this.closing) {
          this.closing = true;
          this.cancel('idle');
          this.arm('linger', 2 * this.config.timeout); // answer a CLOSE resent because DISCONNECT was lost
        }
        return;
      default:
        this.ignore('unexpected');
    }
  }

  private accept(pos: number, payload: Buffer | null): void {
    if (pos <= this.last) { this.ack(this.last, true); return; }
    if (pos > this.last + 1) {
      if (this.held.size < MAX_HELD && !this.complete) this.held.set(pos, payload);
      return;
    }
    let next: Buffer | null | undefined = payload;
    for (let p = pos; ; p++) {
      this.held.delete(p);
      this.last = p;
      if (next === null) { this.complete = true; this.held.clear(); this.ack(p, false); return; }
      this.deliver(next);
      this.ack(p, false);
      next = this.held.get(p + 1);
      if (next === undefined) return;
    }
  }

  private ack(pos: number, again: boolean): void {
    this.send(this.message('ACK', String(pos)), again);
  }
}
