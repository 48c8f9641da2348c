/**
 * One side of a transfer over real sockets, as the `send` and `receive` commands run it: the
 * sender connects to HOST:PORT, the receiver listens (127.0.0.1 by default) and writes to a
 * temporary file in the destination directory, renamed into place only when the transfer
 * completed; on failure the temporary file is removed and the reason returned.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Dissector } from '../codec/dissector.js';
import { RealClock } from './clock.js';
import { CoreDriver, type DriverResult } from './core_driver.js';
import type { CoreConfig, ProtocolCore } from './core/core_event.js';
import { createReceiver, createSender, endpointProtocolOf } from './core/protocol_cores.js';
import { FileSink } from './file_sink.js';
import { impair, type DropEvent } from './link/impair_link.js';
import { isImpairing, type ImpairmentSpec } from './link/impairment_spec.js';
import { splitEndpoint, type Link } from './link/link.js';
import { record } from './link/record_link.js';
import { RunRecorder } from './link/run_recorder.js';
import { TcpLink } from './link/tcp_link.js';
import { UdpLink } from './link/udp_link.js';

export interface LiveOptions {
  dissector: Dissector;
  config: CoreConfig;
  impairments?: ImpairmentSpec;
  record?: string;
  /** Called with bytes acknowledged (sender) or delivered (receiver) so far. */
  onProgress?: (bytes: number) => void;
}

export interface LiveResult {
  ok: boolean;
  reason: string;
  bytes: number;
  seconds: number;
  retransmissions: number;
  ignored: Record<string, number>;
  drops: DropEvent[];
  /** Why `--record` stopped early (the transfer itself went on), or null. */
  recordError: string | null;
}

/** Sends `data` to `to` ("host:port"). @example await liveSend(data, '127.0.0.1:41194', { dissector, config }); */
export async function liveSend(data: Buffer, to: string, o: LiveOptions & { bind?: string }): Promise<LiveResult> {
  const { host, port } = splitEndpoint(to);
  const core = createSender(o.dissector, o.config, data);
  const stream = endpointProtocolOf(o.dissector) === 'ariel-package';
  if (stream && o.impairments?.dropAcks?.length) throw new RangeError('over TCP, ACKs can only be dropped where they are sent: use --drop-acks on `acktrace receive`');
  const link: Link = stream ? await TcpLink.connect(host, port) : await UdpLink.open({ host: o.bind ?? (host.includes(':') ? '::1' : '127.0.0.1'), peer: { host, port } });
  return drive(core, link, o, 'sender', null);
}

/**
 * Receives one transfer on `port` into `out`.
 *
 * @example await liveReceive(41194, 'copy.bin', { dissector, config, onListening: (p) => console.log(p) });
 */
export async function liveReceive(port: number, out: string, o: LiveOptions & { bind?: string; onListening?: (port: number) => void }): Promise<LiveResult> {
  const core = createReceiver(o.dissector, o.config);
  const stream = endpointProtocolOf(o.dissector) === 'ariel-package';
  const host = o.bind ?? '127.0.0.1';
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.part`);
  const fd = fs.openSync(tmp, 'w');
  let strangers = 0;
  try {
    let link: Link;
    if (stream) {
      link = await TcpLink.accept(host, port, (p) => o.onListening?.(p), () => { strangers++; });
    } else {
      const u = await UdpLink.open({ host, port, opens: (b) => opensTransfer(o.dissector, b) });
      o.onListening?.(u.port);
      link = u;
    }
    const r = await drive(core, link, o, 'receiver', fd);
    if (link instanceof UdpLink) strangers += link.strangers;
    if (strangers) r.ignored.stranger = strangers;
    fs.closeSync(fd);
    if (r.ok) fs.renameSync(tmp, out);
    else fs.rmSync(tmp, { force: true });
    return r;
  } catch (e) {
    try { fs.closeSync(fd); } catch { /* already closed */ }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A datagram that may start a transfer: it decodes, its checksum holds, and it is a SYN. */
function opensTransfer(d: Dissector, b: Buffer): boolean {
  try {
    const seg = d.decode(b, 0, b.length);
    return seg.syn && seg.checksum !== 'bad' && seg.warnings.every((w) => w === 'trailing-bytes');
  } catch {
    return false;
  }
}

async function drive(core: ProtocolCore, link: Link, o: LiveOptions, side: 'sender' | 'receiver', fd: number | null): Promise<LiveResult> {
  const clock = new RealClock();
  const drops: DropEvent[] = [];
  const recorder = o.record ? new RunRecorder(o.record, link.kind === 'stream' ? 'tcp' : 'udp', side === 'sender' ? link.local : link.remote, side === 'sender' ? link.remote : link.local) : null;
  const onDrop = (e: DropEvent) => { drops.push(e); recorder?.drop(e); };
  let l: Link = recorder ? record(link, recorder, clock) : link;
  if (o.impairments && isImpairing(o.impairments)) {
    l = impair(l, { spec: o.impairments, clock, dissector: o.dissector, params: () => core.params, directions: 'both', salt: side === 'sender' ? 1 : 2, onDrop });
  }
  let start = clock.now();
  let last = start;
  let delivered = 0;
  let acked = 0;
  const sink = fd !== null ? new FileSink(fd) : null;
  let writeFailed = false;
  const progress = setInterval(() => o.onProgress?.(side === 'sender' ? core.stats.bytes : delivered), 200);
  let result = await new Promise<DriverResult>((resolve) => {
    const d = new CoreDriver(core, l, clock, {
      onDeliver: (b) => {
        if (writeFailed) return;
        try {
          sink?.write(b);
        } catch (e) {
          // A full disk or a file-size limit: the transfer fails cleanly (no partial file is kept).
          writeFailed = true;
          d.abort(`cannot write the received file: ${(e as Error).message}`);
          return;
        }
        if (delivered === 0 && side === 'receiver') start = clock.now(); // goodput counts from the first byte, not from listening
        delivered += b.length;
        last = clock.now();
      },
      onDone: resolve,
      onEvent: () => { if (side === 'sender' && core.stats.bytes !== acked) { acked = core.stats.bytes; last = clock.now(); } },
    });
    if (link instanceof TcpLink) link.onClose = (err) => { if (err) d.abort(`connection failed: ${err}`); else d.closed(); };
    d.start();
  });
  clearInterval(progress);
  try {
    if (!writeFailed) sink?.flush();
  } catch (e) {
    result = { ok: false, reason: `cannot write the received file: ${(e as Error).message}`, at: clock.now() };
  }
  o.onProgress?.(side === 'sender' ? core.stats.bytes : delivered);
  recorder?.close(clock.now());
  l.close();
  return {
    ok: result.ok, reason: result.reason, bytes: side === 'sender' ? core.stats.bytes : delivered,
    seconds: last - start, retransmissions: core.stats.retransmissions,
    ignored: { ...core.stats.ignored }, drops, recordError: recorder?.error ?? null,
  };
}
