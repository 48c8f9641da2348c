/**
 * One call for a whole transfer, for the demo command, the scenario checker and the reports:
 * a protocol, a file, window/timeout, impairments, optionally a recording; over the simulated
 * wire (virtual time, deterministic) or over real sockets on loopback.
 */
import fs from 'node:fs';
import { DissectorRegistry } from '../codec/dissector_registry.js';
import type { Dissector } from '../codec/dissector.js';
import type { CoreConfig } from './core/core_event.js';
import { defaultConfig, endpointProtocolOf } from './core/protocol_cores.js';
import type { DropEvent } from './link/impair_link.js';
import type { ImpairmentSpec } from './link/impairment_spec.js';
import { loopbackTransfer } from './loopback_transfer.js';
import { simulateTransfer } from './sim_transfer.js';

export interface RunTransferOptions {
  /** Dissector name ('sock352', 'csee4119-tcp', 'ariel-package'), file path, or a loaded Dissector. */
  protocol: string | Dissector;
  /** The file to send, or its bytes. */
  file?: string;
  bytes?: Buffer;
  window?: number;
  /** Seconds. */
  timeout?: number;
  /** Payload bytes per segment (N for ariel-package). */
  mss?: number;
  /** sock352: RTO from the measured RTT instead of the fixed timeout (see CoreConfig). */
  adaptiveRto?: boolean;
  /** sock352: resend the window on the third duplicate ACK (see CoreConfig). */
  fastGoBack?: boolean;
  /** sock352 and csee4119-tcp receivers: one cumulative ACK per batch of in-order arrivals (see CoreConfig). */
  coalesceAcks?: boolean;
  impairments?: ImpairmentSpec;
  /** Capture to write (.pcap or .pcapng), plus `<record>.drops.json`. */
  record?: string;
  over?: 'sim' | 'loopback';
  /** Simulated one-way wire delay, seconds (sim only; default 1 ms). */
  wireDelay?: number;
  /** Extra dissector directories. */
  dissectorDirs?: string[];
}

export interface TransferResult {
  ok: boolean;
  reason: string;
  bytes: number;
  /** Seconds until the last byte was delivered (virtual seconds over 'sim'). */
  seconds: number;
  retransmissions: number;
  /** The sender's retransmission timeouts and its recoveries started by duplicate ACKs (see CoreStats). */
  timeouts: number;
  fastRecoveries: number;
  /** Of the timeouts, those proved spurious afterwards (see CoreStats). */
  spuriousTimeouts: number;
  /** Tail-loss probes the sender sent (see CoreStats). */
  probes: number;
  recordPath: string | null;
  drops: DropEvent[];
  /** Datagrams or records the receiver ignored, by reason. */
  ignored: Record<string, number>;
  received: Buffer;
}

/**
 * @example
 * const r = await runTransfer({ protocol: 'ariel-package', bytes: Buffer.from('aaaabbbbcccc'), window: 3, timeout: 2,
 *   impairments: { dropData: [4, 9, 10] }, record: 'seed004.pcapng', over: 'sim' });
 * r.ok; r.retransmissions; r.drops.map((d) => d.value); // [4, 9, 10]
 */
export async function runTransfer(o: RunTransferOptions): Promise<TransferResult> {
  const dissector = typeof o.protocol === 'string' ? new DissectorRegistry(o.dissectorDirs).get(o.protocol) : o.protocol;
  const protocol = endpointProtocolOf(dissector);
  if (!protocol) throw new RangeError(`dissector ${dissector.name} has no endpoint`);
  const data = o.bytes ?? (o.file !== undefined ? fs.readFileSync(o.file) : Buffer.alloc(0));
  const base = defaultConfig(protocol);
  const config: CoreConfig = { ...base, window: o.window ?? base.window, timeout: o.timeout ?? base.timeout, mss: o.mss ?? base.mss };
  if (o.adaptiveRto) config.adaptiveRto = true;
  if (o.fastGoBack) config.fastGoBack = true;
  if (o.coalesceAcks) {
    if (o.impairments?.dropAcks?.length && o.impairments.dropBy !== 'index') throw new RangeError('coalesced ACKs skip ACK numbers: drop ACKs by send index (dropBy "index") or ACK every packet');
    config.coalesceAcks = true;
  }
  if (o.over === 'loopback') {
    return loopbackTransfer({ dissector, data, config, impairments: o.impairments, record: o.record });
  }
  const r = simulateTransfer({ dissector, data, config, impairments: o.impairments, record: o.record, wireDelay: o.wireDelay });
  return {
    ok: r.ok, reason: r.reason, bytes: r.received.length, seconds: r.seconds,
    retransmissions: r.senderStats.retransmissions + r.receiverStats.retransmissions,
    timeouts: r.senderStats.timeouts, fastRecoveries: r.senderStats.fastRecoveries, spuriousTimeouts: r.senderStats.spuriousTimeouts, probes: r.senderStats.probes,
    recordPath: r.recordPath, drops: r.drops, ignored: { ...r.receiverStats.ignored }, received: r.received,
  };
}
