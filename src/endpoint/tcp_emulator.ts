/**
 * The link emulator for protocols that ride on TCP (seed 004's Package protocol): accepts TCP
 * connections, opens one to the target for each, cuts both directions' byte streams into
 * records with the dissector's own framing (RecordCutter, as the analyzer and the endpoint
 * cores do), and passes each record through the impair wrapper's stream mode — so drop lists
 * (by decoded field or index), seeded loss, duplication and reordering act on whole records,
 * delays keep order, and nothing is corrupted (TCP has no checksum left to catch it).
 * `--record` wraps each leaving direction in the record wrapper, so the capture holds the
 * records as they left the emulator (synthesized TCP segments) and the sidecar the drops.
 *
 * Bytes the cutter cannot place in a known record (misframed) are forwarded as they are,
 * unimpaired, as soon as the next good record is cut (or when their direction ends): never
 * lost, though they may pass records the impairments are still holding back.
 */
import net from 'node:net';
import type { Dissector } from '../codec/dissector.js';
import type { Segment } from '../codec/segment.js';
import { RecordCutter, type CutRecord } from '../dissect/record_cutter.js';
import { RealClock, type Clock } from './clock.js';
import { formatEndpoint } from './link/endpoint_text.js';
import { impair, type DropEvent } from './link/impair_link.js';
import { longestHold } from './link/impairment_channel.js';
import type { ImpairmentSpec } from './link/impairment_spec.js';
import type { Link } from './link/link.js';
import { record } from './link/record_link.js';
import { RunRecorder } from './link/run_recorder.js';

/** Added to the longest hold before a closing direction gives up waiting: timers fire late under load. */
const TIMER_SLACK = 0.02;

/**
 * Bytes of one direction held while no good record is cut (a stream of garbage): past this
 * they are forwarded as they are, all but the last RESYNC_TAIL (where a record may be starting),
 * so memory stays bounded whatever a peer sends.
 */
const MAX_HELD = 1 << 20;
const RESYNC_TAIL = 64 << 10;

export interface TcpEmulatorOptions {
  listenPort: number;
  /** Listening address (default 127.0.0.1). */
  listenHost?: string;
  target: { host: string; port: number };
  impairments: ImpairmentSpec;
  /** A dissector bound to TCP with fixed-record framing (ariel-package). */
  dissector: Dissector;
  /** Capture file of the first connection; connection k > 1 goes to `<stem>.k<ext>`. */
  record?: string;
  /** One line per connection event (accepted, target unreachable, closed). */
  log?: (line: string) => void;
}

export interface TcpEmulatorStats {
  connections: number;
  /** Record copies that left toward the target, and toward the client. */
  forwarded: number;
  returned: number;
  dropped: number;
  /** Bytes forwarded outside any known record (misframed or cut short by a close). */
  unframedBytes: number;
}

/**
 * Whether `d` can drive the TCP emulator: it rides on TCP and its records are cut by size.
 *
 * @example ridesOnTcp(reg.get('ariel-package')) // true; ridesOnTcp(reg.get('sock352')) // false
 */
export function ridesOnTcp(d: Dissector): boolean {
  return d.def.binding.transport === 'tcp';
}

export class TcpEmulator {
  readonly stats: TcpEmulatorStats = { connections: 0, forwarded: 0, returned: 0, dropped: 0, unframedBytes: 0 };
  private readonly clock = new RealClock();
  private readonly relays = new Set<Relay>();
  private readonly learns: boolean;

  private constructor(private readonly o: TcpEmulatorOptions, private readonly server: net.Server) {
    // Decoding a record only to learn parameters costs nothing worth saving, but most dissectors learn none.
    this.learns = Object.values(o.dissector.def.params).some((p) => p.learn !== undefined);
    server.on('connection', (front) => this.accept(front));
  }

  /**
   * @example
   * const em = await TcpEmulator.start({ listenPort: 55558, target: { host: '127.0.0.1', port: 55559 }, dissector: reg.get('ariel-package'), impairments: { dropData: [4, 9, 10] } });
   * // ... em.close();
   */
  static async start(o: TcpEmulatorOptions): Promise<TcpEmulator> {
    if (!ridesOnTcp(o.dissector)) throw new RangeError(`dissector ${o.dissector.name} rides on ${o.dissector.def.binding.transport}, not TCP`);
    if (o.dissector.def.binding.framing !== 'fixed-records') throw new RangeError(`dissector ${o.dissector.name} has no record framing (binding.framing "fixed-records") to cut its TCP stream with`);
    if (o.impairments.corrupt) throw new RangeError('corruption is not emulated over TCP: its checksum would have caught the flipped bit, so no application ever sees one');
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.listenPort, o.listenHost ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
    return new TcpEmulator(o, server);
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }

  private accept(front: net.Socket): void {
    const n = ++this.stats.connections;
    const back = net.connect({ host: this.o.target.host, port: this.o.target.port, allowHalfOpen: true });
    const from = formatEndpoint(plainAddress(front.remoteAddress), front.remotePort ?? 0);
    front.on('error', () => { /* reported by 'close'; a reset peer ends its direction */ });
    let connected = false;
    back.once('error', (e: NodeJS.ErrnoException) => {
      if (!connected) {
        this.o.log?.(`connection ${n} from ${from}: target ${this.o.target.host}:${this.o.target.port} unreachable (${e.code ?? e.message})`);
        front.destroy();
      }
    });
    back.once('connect', () => {
      connected = true;
      const relay = new Relay(n, front, back, this.o, this.clock, this.stats, this.learns, () => {
        this.relays.delete(relay);
        this.noteRecordError(relay);
        this.o.log?.(`connection ${n} from ${from} closed`);
      });
      this.relays.add(relay);
      this.o.log?.(`connection ${n} from ${from} -> ${relay.server}`);
      front.resume();
    });
  }

  /** Stops listening and ends every connection at once (what is still queued is not waited for). */
  close(): void {
    this.server.close();
    for (const r of this.relays) { r.abort(); this.noteRecordError(r); }
    this.relays.clear();
  }

  /** The first recording that stopped early (a full disk…), as "file: reason", or null. */
  recordError: string | null = null;

  private noteRecordError(r: Relay): void {
    if (this.recordError === null && r.recorder?.error) this.recordError = `${r.recorder.file}: ${r.recorder.error}`;
  }
}

/** One accepted connection and its connection to the target. */
class Relay {
  readonly client: string;
  readonly server: string;
  private params: Record<string, number>;
  readonly recorder: RunRecorder | null;
  private readonly fwd: RecordPipe;
  private readonly rev: RecordPipe;
  private ended = false;

  constructor(n: number, private readonly front: net.Socket, private readonly back: net.Socket, o: TcpEmulatorOptions, private readonly clock: Clock, stats: TcpEmulatorStats, learns: boolean, private readonly onEnd: () => void) {
    front.setNoDelay(true);
    back.setNoDelay(true);
    this.server = formatEndpoint(plainAddress(back.remoteAddress), back.remotePort ?? 0);
    const client = formatEndpoint(plainAddress(front.remoteAddress), front.remotePort ?? 0);
    // A synthesized IP packet has one family: an IPv6 client of an IPv4 target is recorded as
    // the emulator's own end of the target connection.
    this.client = family(front.remoteAddress) === family(back.remoteAddress) ? client : formatEndpoint(plainAddress(back.localAddress), back.localPort ?? 0);
    this.recorder = o.record ? new RunRecorder(recordFile(o.record, n), 'tcp', this.client, this.server) : null;
    this.params = { ...o.dissector.defaultParams };
    const learn = learns ? (rec: Buffer) => this.learn(o.dissector, rec) : () => {};
    const common = { dissector: o.dissector, spec: o.impairments, clock, recorder: this.recorder, params: () => this.params, learn, stats };
    this.fwd = new RecordPipe({ ...common, from: this.client, to: this.server, out: back, salt: 2 * (n - 1), counted: 'forwarded', onDone: () => this.check() });
    this.rev = new RecordPipe({ ...common, from: this.server, to: this.client, out: front, salt: 2 * (n - 1) + 1, counted: 'returned', onDone: () => this.check() });
    front.on('data', (c: Buffer) => this.fwd.push(c));
    back.on('data', (c: Buffer) => this.rev.push(c));
    // 'end' is a half-close (the peer may still read); 'close' also covers a reset.
    front.on('end', () => this.fwd.finish());
    front.on('close', () => this.fwd.finish());
    back.on('end', () => this.rev.finish());
    back.on('close', () => this.rev.finish());
    back.on('error', () => { /* reported by 'close' */ });
  }

  /** A learned parameter (N from RETURN_MAX) changes the record size for both directions from the next record on. */
  private learn(d: Dissector, rec: Buffer): void {
    let seg: Segment;
    try {
      seg = d.decode(rec, 0, rec.length, { params: this.params });
    } catch {
      return;
    }
    const learned = d.learn(seg, this.params);
    if (learned) this.params = learned;
  }

  private check(): void {
    if (this.ended || !this.fwd.done || !this.rev.done) return;
    this.ended = true;
    this.front.destroy();
    this.back.destroy();
    this.recorder?.close(this.clock.now());
    this.onEnd();
  }

  abort(): void {
    if (this.ended) return;
    this.ended = true;
    this.fwd.abort();
    this.rev.abort();
    this.front.destroy();
    this.back.destroy();
    this.recorder?.close(this.clock.now());
  }
}

interface PipeOptions {
  dissector: Dissector;
  spec: ImpairmentSpec;
  clock: Clock;
  recorder: RunRecorder | null;
  params: () => Record<string, number>;
  learn: (record: Buffer) => void;
  stats: TcpEmulatorStats;
  from: string;
  to: string;
  out: net.Socket;
  salt: number;
  counted: 'forwarded' | 'returned';
  onDone: () => void;
}

/**
 * One direction: stream bytes in, records cut and impaired, out to the other socket. Keeps
 * the bytes not yet forwarded (`unsent`, from stream offset `sentTo`), so whatever the
 * cutter skips or leaves over is still forwarded, in its place in the stream.
 */
class RecordPipe {
  done = false;
  private readonly cutter: RecordCutter;
  private readonly wire: Link;
  private readonly out: Link;
  private unsent: Buffer = Buffer.alloc(0);
  private sentTo = 0;
  private received = 0;
  private finishing = false;
  /** Set when the cutter gave up on this stream (a record size beyond reason): the rest passes as is. */
  private opaque = false;
  private raw = false;

  constructor(private readonly o: PipeOptions) {
    const sock = o.out;
    const wire: Link = {
      kind: 'stream',
      local: o.from,
      remote: o.to,
      onReceive: () => {},
      send: (bytes) => {
        if (this.raw) o.stats.unframedBytes += bytes.length;
        else o.stats[o.counted]++;
        if (sock.writable) sock.write(bytes);
      },
      close: () => { if (sock.writable) sock.end(); },
    };
    this.wire = o.recorder ? record(wire, o.recorder, o.clock) : wire;
    this.out = impair(this.wire, {
      spec: o.spec,
      clock: o.clock,
      dissector: o.dissector,
      params: o.params,
      directions: 'out',
      salt: o.salt,
      onDrop: (e: DropEvent) => { o.stats.dropped++; o.recorder?.drop(e); },
    });
    this.cutter = new RecordCutter(o.dissector, o.params, (r) => this.cut(r));
  }

  push(chunk: Buffer): void {
    if (this.finishing) return;
    this.unsent = this.unsent.length === 0 ? chunk : Buffer.concat([this.unsent, chunk]);
    const at = this.received;
    this.received += chunk.length;
    if (this.opaque) { this.passRaw(this.received); return; }
    try {
      this.cutter.push(chunk, at, 0, 0);
    } catch {
      this.opaque = true;
      this.passRaw(this.received);
      return;
    }
    if (this.unsent.length > MAX_HELD) this.passRaw(this.received - RESYNC_TAIL);
  }

  private cut(r: CutRecord): void {
    // A misframed record's bytes stay unsent: the cutter resynchronises inside them, and they
    // leave as they are ahead of the next good record.
    if (r.warnings.length > 0) return;
    const end = r.streamOffset + r.length;
    if (end <= this.sentTo) return;
    if (r.streamOffset > this.sentTo) this.passRaw(r.streamOffset);
    const rec = this.take(end);
    this.o.learn(rec);
    this.out.send(rec);
  }

  /** Forwards the unsent bytes up to stream offset `upTo` unimpaired (recorded all the same). */
  private passRaw(upTo: number): void {
    if (upTo <= this.sentTo) return;
    this.raw = true;
    try {
      this.wire.send(this.take(upTo));
    } finally {
      this.raw = false;
    }
  }

  private take(upTo: number): Buffer {
    const n = upTo - this.sentTo;
    const b = this.unsent.subarray(0, n);
    this.unsent = this.unsent.subarray(n);
    this.sentTo = upTo;
    return b;
  }

  /**
   * The source closed its side: once the records the impairments hold back or delay have
   * left, forward what is left over, then close the other side.
   */
  finish(): void {
    if (this.finishing) return;
    this.finishing = true;
    this.o.clock.schedule(this.o.clock.now() + longestHold(this.o.spec) + TIMER_SLACK, () => {
      if (this.done) return;
      this.passRaw(this.received);
      this.out.close();
      this.done = true;
      this.o.onDone();
    });
  }

  abort(): void {
    this.finishing = true;
    this.done = true;
  }
}

/** Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d; captures want a.b.c.d. */
function plainAddress(a: string | undefined): string {
  if (!a) return '0.0.0.0';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

function family(a: string | undefined): 4 | 6 {
  return plainAddress(a).includes(':') ? 6 : 4;
}

/** run.pcapng → run.pcapng for connection 1, run.2.pcapng for connection 2. */
function recordFile(file: string, n: number): string {
  if (n === 1) return file;
  const m = /^(.*?)(\.pcapng|\.pcap)?$/i.exec(file)!;
  return `${m[1]}.${n}${m[2] ?? ''}`;
}
