/**
 * One transfer between a sender and a receiver core over the simulated wire with a virtual
 * clock: deterministic for a given seed, instant in real time, optionally recorded. This is
 * what the impairment matrix tests run thousands of times.
 */
import type { Dissector } from '../codec/dissector.js';
import { CoreDriver, type DriverResult } from './core_driver.js';
import type { CoreConfig, CoreStats } from './core/core_event.js';
import { createReceiver, createSender, endpointProtocolOf, linkKindOf } from './core/protocol_cores.js';
import { impair, type DropEvent } from './link/impair_link.js';
import type { ImpairmentSpec } from './link/impairment_spec.js';
import type { Link } from './link/link.js';
import { record } from './link/record_link.js';
import { RunRecorder } from './link/run_recorder.js';
import { SimWire } from './link/sim_wire.js';
import { VirtualClock } from './virtual_clock.js';

export interface SimTransferOptions {
  dissector: Dissector;
  data: Buffer;
  config: CoreConfig;
  /** Receiver's configuration (N for ariel-package is the receiver's mss); default: `config`. */
  receiverConfig?: CoreConfig;
  impairments?: ImpairmentSpec;
  /** One-way propagation delay of the wire, seconds (default 1 ms). */
  wireDelay?: number;
  /** Capture file to write (.pcap or .pcapng), with `<file>.drops.json`. */
  record?: string;
  /** Bound on simulated events (a livelock fails instead of hanging). */
  maxEvents?: number;
}

export interface SimTransferResult {
  ok: boolean;
  /** Why it ended: the receiver's reason when it failed, else the sender's. */
  reason: string;
  sender: DriverResult | null;
  receiver: DriverResult | null;
  received: Buffer;
  identical: boolean;
  /** Virtual seconds from the start to the last byte delivered (to the receiver's end if it failed). */
  seconds: number;
  senderStats: CoreStats;
  receiverStats: CoreStats;
  drops: DropEvent[];
  recordPath: string | null;
}

/** Ports the recordings use, so `acktrace decode` finds each protocol by its default binding. */
function simEndpoints(d: Dissector): { a: string; b: string } {
  const port = d.def.binding.ports[d.def.binding.ports.length - 1] ?? 35200;
  return { a: '10.0.0.1:50000', b: `10.0.0.2:${port}` };
}

/**
 * @example
 * const r = simulateTransfer({ dissector: reg.get('sock352'), data, config: defaultConfig('sock352'),
 *   impairments: { dropData: [4, 9, 10], loss: 0.1, seed: 3 } });
 * r.identical // true
 */
export function simulateTransfer(o: SimTransferOptions): SimTransferResult {
  const protocol = endpointProtocolOf(o.dissector);
  if (!protocol) throw new RangeError(`no endpoint for dissector ${o.dissector.name}`);
  const clock = new VirtualClock();
  const start = clock.now();
  const spec = o.impairments ?? {};
  const ends = simEndpoints(o.dissector);
  const wire = new SimWire(clock, { kind: linkKindOf(protocol), delay: o.wireDelay, seed: spec.seed, ...ends });
  const sender = createSender(o.dissector, o.config, o.data);
  const receiver = createReceiver(o.dissector, o.receiverConfig ?? o.config);
  const drops: DropEvent[] = [];
  const recorder = o.record ? new RunRecorder(o.record, protocol === 'ariel-package' ? 'tcp' : 'udp', ends.a, ends.b) : null;
  const onDrop = (e: DropEvent) => { drops.push(e); recorder?.drop(e); };
  const senderBase: Link = recorder ? record(wire.a, recorder, clock) : wire.a;
  const senderLink = impair(senderBase, { spec, clock, dissector: o.dissector, params: () => sender.params, salt: 1, onDrop });
  const receiverLink = impair(wire.b, { spec, clock, dissector: o.dissector, params: () => receiver.params, salt: 2, onDrop });
  const chunks: Buffer[] = [];
  let lastDelivery = start;
  const rd = new CoreDriver(receiver, receiverLink, clock, { onDeliver: (b) => { chunks.push(b); lastDelivery = clock.now(); } });
  const sd = new CoreDriver(sender, senderLink, clock);
  rd.start();
  sd.start();
  try {
    clock.run(() => rd.result !== null && sd.result !== null, o.maxEvents);
  } finally {
    recorder?.close(clock.now());
  }
  const received = Buffer.concat(chunks);
  const identical = received.equals(o.data);
  const ok = Boolean(rd.result?.ok && identical);
  const reason = !rd.result ? 'receiver never finished' : !rd.result.ok ? rd.result.reason : !identical ? 'received bytes differ from the file' : sd.result?.reason ?? 'sender never finished';
  return {
    ok, reason, sender: sd.result, receiver: rd.result, received, identical,
    seconds: (ok ? lastDelivery : rd.result?.at ?? clock.now()) - start,
    senderStats: sender.stats, receiverStats: receiver.stats, drops, recordPath: o.record ?? null,
  };
}
