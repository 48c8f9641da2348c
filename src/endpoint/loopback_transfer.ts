/**
 * A transfer between a sender and a receiver core over real sockets on 127.0.0.1 (UDP, or one
 * TCP connection for ariel-package), in this process: the same wiring as the simulation, with
 * the real clock.
 */
import type { Dissector } from '../codec/dissector.js';
import { RealClock } from './clock.js';
import { CoreDriver, type DriverResult } from './core_driver.js';
import type { CoreConfig } from './core/core_event.js';
import { createReceiver, createSender, endpointProtocolOf } from './core/protocol_cores.js';
import { impair, type DropEvent } from './link/impair_link.js';
import type { ImpairmentSpec } from './link/impairment_spec.js';
import type { Link } from './link/link.js';
import { record } from './link/record_link.js';
import { RunRecorder } from './link/run_recorder.js';
import { TcpLink } from './link/tcp_link.js';
import { UdpLink } from './link/udp_link.js';
import type { TransferResult } from './run_transfer.js';

export interface LoopbackTransferOptions {
  dissector: Dissector;
  data: Buffer;
  config: CoreConfig;
  impairments?: ImpairmentSpec;
  record?: string;
}

/**
 * @example const r = await loopbackTransfer({ dissector, data, config: defaultConfig('sock352') });
 */
export async function loopbackTransfer(o: LoopbackTransferOptions): Promise<TransferResult> {
  const protocol = endpointProtocolOf(o.dissector);
  const clock = new RealClock();
  const sender = createSender(o.dissector, o.config, o.data);
  const receiver = createReceiver(o.dissector, o.config);
  let senderLink: Link;
  let receiverLink: Link;
  if (protocol === 'ariel-package') {
    let port = 0;
    const accepted = TcpLink.accept('127.0.0.1', 0, (p) => { port = p; });
    await new Promise((r) => setImmediate(r));
    while (port === 0) await new Promise((r) => setTimeout(r, 1));
    senderLink = await TcpLink.connect('127.0.0.1', port);
    receiverLink = await accepted;
  } else {
    const r = await UdpLink.open();
    receiverLink = r;
    senderLink = await UdpLink.open({ peer: { host: '127.0.0.1', port: r.port } });
  }
  const spec = o.impairments ?? {};
  const drops: DropEvent[] = [];
  const recorder = o.record ? new RunRecorder(o.record, protocol === 'ariel-package' ? 'tcp' : 'udp', senderLink.local, senderLink.remote) : null;
  const onDrop = (e: DropEvent) => { drops.push(e); recorder?.drop(e); };
  const sLink = impair(recorder ? record(senderLink, recorder, clock) : senderLink, { spec, clock, dissector: o.dissector, params: () => sender.params, salt: 1, onDrop });
  const rLink = impair(receiverLink, { spec, clock, dissector: o.dissector, params: () => receiver.params, salt: 2, onDrop });
  const chunks: Buffer[] = [];
  const start = clock.now();
  let lastDelivery = start;
  const results = await new Promise<[DriverResult, DriverResult]>((resolve) => {
    let rr: DriverResult | null = null, sr: DriverResult | null = null;
    const check = () => { if (rr && sr) resolve([sr, rr]); };
    const rd = new CoreDriver(receiver, rLink, clock, { onDeliver: (b) => { chunks.push(b); lastDelivery = clock.now(); }, onDone: (r) => { rr = r; check(); } });
    const sd = new CoreDriver(sender, sLink, clock, { onDone: (r) => { sr = r; check(); } });
    for (const [link, d] of [[receiverLink, rd], [senderLink, sd]] as const) {
      if (link instanceof TcpLink) link.onClose = (err) => { if (err) d.abort(`connection failed: ${err}`); else d.closed(); };
    }
    rd.start();
    sd.start();
  });
  recorder?.close(clock.now());
  sLink.close();
  rLink.close();
  const received = Buffer.concat(chunks);
  const identical = received.equals(o.data);
  const [sr, rr] = results;
  const ok = rr.ok && identical;
  return {
    ok, reason: !rr.ok ? rr.reason : !identical ? 'received bytes differ from the file' : sr.reason,
    bytes: received.length, seconds: lastDelivery - start,
    retransmissions: sender.stats.retransmissions + receiver.stats.retransmissions,
    timeouts: sender.stats.timeouts, fastRecoveries: sender.stats.fastRecoveries, spuriousTimeouts: sender.stats.spuriousTimeouts, probes: sender.stats.probes,
    recordPath: o.record ?? null, drops, ignored: { ...receiver.stats.ignored }, received,
  };
}
