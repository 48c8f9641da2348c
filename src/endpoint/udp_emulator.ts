/**
 * A UDP link emulator in the spirit of newudpl: listens on one port, forwards every datagram
 * to the target, and forwards the target's answers back to the last client, impairing both
 * directions (exact drop lists by datagram index, or by a decoded header field when a
 * dissector is given; seeded loss, duplication, reordering, delay, bit errors), optionally
 * recording what it let through and what it dropped.
 */
import dgram from 'node:dgram';
import type { Dissector } from '../codec/dissector.js';
import { RealClock } from './clock.js';
import { ImpairmentChannel, classify, type Fate } from './link/impairment_channel.js';
import type { ImpairmentSpec } from './link/impairment_spec.js';
import { formatEndpoint } from './link/endpoint_text.js';
import { RunRecorder } from './link/run_recorder.js';

export interface EmulatorOptions {
  listenPort: number;
  /** Listening address (default 127.0.0.1). */
  listenHost?: string;
  target: { host: string; port: number };
  impairments: ImpairmentSpec;
  dissector?: Dissector | null;
  record?: string;
}

export interface EmulatorStats { forwarded: number; returned: number; dropped: number }

export class UdpEmulator {
  readonly stats: EmulatorStats = { forwarded: 0, returned: 0, dropped: 0 };
  private client: { host: string; port: number } | null = null;
  private recorder: RunRecorder | null = null;

  /** The recording stopped early (a full disk…), as "file: reason", or null. */
  get recordError(): string | null {
    return this.recorder?.error ? `${this.recorder.file}: ${this.recorder.error}` : null;
  }
  private readonly clock = new RealClock();
  private readonly fwd: ImpairmentChannel;
  private readonly rev: ImpairmentChannel;

  private constructor(private readonly o: EmulatorOptions, private readonly front: dgram.Socket, private readonly back: dgram.Socket) {
    const spec = { ...o.impairments, dropBy: o.dissector ? o.impairments.dropBy : 'index' as const };
    this.fwd = new ImpairmentChannel(spec, 1);
    this.rev = new ImpairmentChannel(spec, 2);
    front.on('message', (m, r) => {
      this.client = { host: r.address, port: r.port };
      this.pass(m, 'fwd');
    });
    back.on('message', (m, r) => {
      if (r.port !== o.target.port || !this.client) return; // only the target answers through us
      this.pass(m, 'rev');
    });
    for (const s of [front, back]) s.on('error', () => { /* unreachable peer: keep forwarding */ });
  }

  /**
   * @example
   * const em = await UdpEmulator.start({ listenPort: 41192, target: { host: '127.0.0.1', port: 41194 }, impairments: { loss: 0.05 } });
   * // ... em.close();
   */
  static async start(o: EmulatorOptions): Promise<UdpEmulator> {
    const host = o.listenHost ?? '127.0.0.1';
    const type = host.includes(':') ? 'udp6' : 'udp4';
    const bind = (s: dgram.Socket, port: number, h: string) => new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, h, () => { s.off('error', reject); resolve(); });
    });
    const front = dgram.createSocket({ type, recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
    const back = dgram.createSocket({ type: o.target.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
    await bind(front, o.listenPort, host);
    await bind(back, 0, o.target.host.includes(':') ? '::1' : '127.0.0.1');
    return new UdpEmulator(o, front, back);
  }

  get port(): number { return this.front.address().port; }

  private endpoints(dir: 'fwd' | 'rev'): [string, string] {
    const c = formatEndpoint(this.client!.host, this.client!.port);
    const t = formatEndpoint(this.o.target.host, this.o.target.port);
    return dir === 'fwd' ? [c, t] : [t, c];
  }

  private pass(m: Buffer, dir: 'fwd' | 'rev'): void {
    const ch = dir === 'fwd' ? this.fwd : this.rev;
    const fate: Fate = ch.decide(m, classify(this.o.dissector ?? null, m, dir === 'fwd' ? 'data' : 'ack'));
    const [from, to] = this.endpoints(dir);
    if (this.o.record && !this.recorder) this.recorder = new RunRecorder(this.o.record, 'udp', ...this.endpoints('fwd'));
    if (fate.dropped !== null) {
      this.stats.dropped++;
      const c = fate.classified;
      this.recorder?.drop({ time: this.clock.now(), from, to, direction: 'out', cls: c.cls, value: c.value, kind: c.kind, index: fate.index, reason: fate.dropped, bytes: m });
      return;
    }
    for (const copy of fate.copies) {
      const go = () => {
        this.recorder?.frame(from, to, this.clock.now(), copy.bytes);
        if (dir === 'fwd') { this.stats.forwarded++; this.back.send(copy.bytes, this.o.target.port, this.o.target.host); }
        else if (this.client) { this.stats.returned++; this.front.send(copy.bytes, this.client.port, this.client.host); }
      };
      if (copy.delay === 0) go();
      else this.clock.schedule(this.clock.now() + copy.delay, go);
    }
  }

  close(): void {
    this.recorder?.close();
    this.front.close();
    this.back.close();
  }
}
