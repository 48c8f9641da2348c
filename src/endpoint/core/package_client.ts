/**
 * The Ariel "Package" client (seed 004) over one TCP connection: GET_MAX → RETURN_MAX (learns
 * N), MSG packages pos = 1, 2, 3… with the threshold rule — resend the oldest unACKed package
 * when the next pos would pass last ACKed + window (seq threshold) or when its sent_time +
 * timeout has passed (time threshold) — then DONE until ACKed, then CLOSE → DISCONNECT.
 *
 * Where the seed slept 0.3–0.5 s per message, this core sends as fast as the window allows,
 * and waits a short, measured grace (RTO-like, never more than the timeout) before the seq
 * threshold resends, so ACKs still in flight do not cause spurious resends.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Segment } from '../../codec/segment.js';
import { CoreBase } from './core_base.js';
import type { CoreConfig } from './core_event.js';
import { RecordStream } from './record_stream.js';
import { RttEstimator } from './rtt_estimator.js';

type State = 'get-max' | 'data' | 'done' | 'close';

export class PackageClient extends CoreBase {
  private state: State = 'get-max';
  /** Parameters in force (N once learned), for whoever must decode this connection's records. */
  params: Record<string, number>;
  private readonly stream: RecordStream;
  private count = 0;
  private lastAcked = 0;
  private nextPos = 1;
  private readonly sentAt: number[] = [];
  private readonly resent = new Set<number>();
  private retries = 0;
  private readonly rtt: RttEstimator;
  private checkAt = -1;

  /** @example const core = new PackageClient(reg.get('ariel-package'), config, textBytes); */
  constructor(dissector: Dissector, config: CoreConfig, private readonly data: Buffer) {
    super(dissector, config);
    const nul = data.indexOf(0);
    if (nul >= 0) throw new RangeError(`ariel-package carries NUL-padded text: byte ${nul} is NUL`);
    this.params = { ...dissector.defaultParams };
    this.stream = new RecordStream(dissector, () => this.params, (seg) => this.onRecord(seg), (why) => this.ignore(why));
    this.rtt = new RttEstimator(config.timeout, 0.005, config.timeout);
  }

  private get n(): number { return this.params.N; }

  private message(header: string, pos: number, payload: Buffer | string): Buffer {
    return this.encode({ header, payload, seq: pos, sent_time: this.now, ack: false, prev_seq: pos, pos }, undefined, { params: this.params });
  }

  private chunk(pos: number): Buffer {
    return this.data.subarray((pos - 1) * this.n, Math.min(this.data.length, pos * this.n));
  }

  private sendPos(pos: number, again: boolean): void {
    this.sentAt[pos] = this.now;
    if (again) this.resent.add(pos);
    if (pos <= this.count) this.send(this.message('MSG', pos, this.chunk(pos)), again);
    else if (pos === this.count + 1) this.send(this.message('DONE', pos, 'EOMsg'.slice(0, this.n)), again);
    else this.send(this.message('CLOSE', pos, 'request to close connection'.slice(0, this.n)), again);
  }

  protected onStart(): void {
    this.send(this.message('GET_MAX', 0, ''));
    this.arm('control', this.config.timeout);
  }

  protected override onClosed(): void {
    if (this.state === 'close') this.finish(true, 'transfer complete (server closed after CLOSE)');
    else super.onClosed();
  }

  protected onBytes(bytes: Buffer): void {
    this.stream.push(bytes);
  }

  protected onTimer(id: string): void {
    if (id === 'control') {
      if (++this.retries > this.config.maxRetries) {
        if (this.state === 'close') this.finish(true, 'transfer complete (no DISCONNECT)');
        else this.finish(false, `peer vanished: no answer after ${this.config.maxRetries} retries (${this.state})`);
        return;
      }
      if (this.state === 'get-max') this.send(this.message('GET_MAX', 0, ''), true);
      else this.sendPos(this.state === 'done' ? this.count + 1 : this.count + 2, true);
      this.arm('control', this.config.timeout);
    } else if (id === 'threshold') {
      this.checkAt = -1;
      this.threshold();
    }
  }

  private onRecord(seg: Segment): void {
    if (this.state === 'get-max' && seg.kind === 'RETURN_MAX') {
      const learned = this.dissector.learn(seg, this.params);
      if (!learned || !(learned.N >= 1)) { this.ignore('malformed'); return; }
      this.params = learned;
      this.count = Math.ceil(this.data.length / this.n);
      if (String(this.count + 2).length > this.n) {
        this.finish(false, `N = ${this.n} is too small: an ACK of pos ${this.count + 2} does not fit in the payload`);
        return;
      }
      this.cancel('control');
      this.retries = 0;
      this.state = 'data';
      this.pump();
    } else if (seg.kind === 'ACK' && seg.ack !== null && this.state !== 'get-max') {
      this.onAck(Number(seg.ack));
    } else if (seg.kind === 'DISCONNECT' && this.state === 'close') {
      this.finish(true, 'transfer complete');
    } else {
      this.ignore('unexpected');
    }
  }

  private onAck(pos: number): void {
    if (!Number.isInteger(pos) || pos <= this.lastAcked || pos >= this.nextPos) return;
    if (!this.resent.has(pos) && this.sentAt[pos] !== undefined) this.rtt.sample(this.now - this.sentAt[pos]);
    this.lastAcked = pos; // cumulative: the server ACKs in order only, so every pos before is in too
    this.stats.bytes = Math.min(this.data.length, pos * this.n);
    this.retries = 0;
    if (this.state === 'done' && pos >= this.count + 1) {
      this.state = 'close';
      this.cancel('threshold');
      this.checkAt = -1;
      this.nextPos = this.count + 3;
      this.sendPos(this.count + 2, false);
      this.arm('control', this.config.timeout);
      return;
    }
    this.pump();
  }

  private pump(): void {
    const last = this.count + 1; // DONE rides the same window, as in the seed
    while (this.nextPos <= last && this.nextPos <= this.lastAcked + this.config.window) {
      this.sendPos(this.nextPos, false);
      if (this.nextPos === last) this.state = 'done';
      this.nextPos++;
    }
    this.schedule();
  }

  /** When the oldest unACKed package passes a threshold, if ever. */
  private schedule(): void {
    const oldest = this.lastAcked + 1;
    if (oldest >= this.nextPos) { if (this.checkAt >= 0) { this.cancel('threshold'); this.checkAt = -1; } return; }
    const sent = this.sentAt[oldest];
    let at = sent + this.config.timeout;
    if (this.windowBlocked()) at = Math.min(at, sent + this.seqGrace());
    if (at !== this.checkAt) {
      this.checkAt = at;
      this.arm('threshold', Math.max(0, at - this.now));
    }
  }

  /** How long a blocked window waits for ACKs in flight before the seq threshold resends. */
  private seqGrace(): number {
    const srtt = this.rtt.srtt ?? this.config.timeout;
    return Math.min(this.config.timeout, Math.max(this.rtt.rto, 2 * srtt));
  }

  private windowBlocked(): boolean {
    return this.nextPos <= this.count + 1 && this.nextPos > this.lastAcked + this.config.window;
  }

  private threshold(): void {
    const oldest = this.lastAcked + 1;
    if (oldest >= this.nextPos) return;
    if (++this.retries > this.config.maxRetries) {
      this.finish(false, `peer vanished: package ${oldest} unACKed after ${this.config.maxRetries} resends`);
      return;
    }
    if (this.now >= this.sentAt[oldest] + this.config.timeout) this.rtt.timedOut();
    this.sendPos(oldest, true);
    this.schedule();
  }
}
