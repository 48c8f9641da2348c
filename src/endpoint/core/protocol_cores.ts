/**
 * Picks the sender and receiver cores for a dissector by its policy model, so a user's variant
 * dissector (other flag bits, same protocol) drives the same state machines.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { CoreConfig, ProtocolCore } from './core_event.js';
import { Csee4119Receiver } from './csee4119_receiver.js';
import { Csee4119Sender } from './csee4119_sender.js';
import { PackageClient } from './package_client.js';
import { PackageServer } from './package_server.js';
import { Sock352Receiver } from './sock352_receiver.js';
import { Sock352Sender } from './sock352_sender.js';

export type EndpointProtocol = 'sock352' | 'csee4119-tcp' | 'ariel-package';

/**
 * Which endpoint protocol a dissector speaks, or null when there is no core for it.
 *
 * @example endpointProtocolOf(reg.get('sock352')) // 'sock352'
 */
export function endpointProtocolOf(d: Dissector): EndpointProtocol | null {
  const model = d.def.policy?.model;
  if (model === 'go-back-n' && d.def.binding.transport === 'udp') return 'sock352';
  if (model === 'tcp-like' && d.def.binding.transport === 'udp') return 'csee4119-tcp';
  if (model === 'package-threshold' && d.def.binding.transport === 'tcp') return 'ariel-package';
  return null;
}

/** The transport a protocol rides: datagrams (UDP) or one byte stream (TCP). */
export function linkKindOf(p: EndpointProtocol): 'datagram' | 'stream' {
  return p === 'ariel-package' ? 'stream' : 'datagram';
}

/**
 * Sensible defaults per protocol: the assignment's window and timeout.
 *
 * @example defaultConfig('sock352') // { window: 20, timeout: 0.2, mss: 1024, ... }
 */
export function defaultConfig(p: EndpointProtocol): CoreConfig {
  switch (p) {
    case 'sock352': return { window: 20, timeout: 0.2, mss: 1024, maxRetries: 30, idleTimeout: 10 };
    case 'csee4119-tcp': return { window: 20, timeout: 1, mss: 1024, maxRetries: 30, idleTimeout: 30 };
    case 'ariel-package': return { window: 3, timeout: 2, mss: 4, maxRetries: 30, idleTimeout: 60 };
  }
}

/**
 * A new sender core carrying `data`. Throws RangeError for data the protocol cannot carry
 * (ariel-package: NUL bytes).
 *
 * @example const core = createSender(reg.get('csee4119-tcp'), defaultConfig('csee4119-tcp'), bytes);
 */
export function createSender(d: Dissector, config: CoreConfig, data: Buffer): ProtocolCore {
  switch (requireProtocol(d)) {
    case 'sock352': return new Sock352Sender(d, config, data);
    case 'csee4119-tcp': return new Csee4119Sender(d, config, data);
    case 'ariel-package': return new PackageClient(d, config, data);
  }
}

/** A new receiver core. @example const core = createReceiver(reg.get('sock352'), defaultConfig('sock352')); */
export function createReceiver(d: Dissector, config: CoreConfig): ProtocolCore {
  switch (requireProtocol(d)) {
    case 'sock352': return new Sock352Receiver(d, config);
    case 'csee4119-tcp': return new Csee4119Receiver(d, config);
    case 'ariel-package': return new PackageServer(d, config);
  }
}

function requireProtocol(d: Dissector): EndpointProtocol {
  const p = endpointProtocolOf(d);
  if (!p) throw new RangeError(`dissector ${d.name} has no endpoint (policy ${d.def.policy?.model ?? 'none'}); endpoints exist for go-back-n and tcp-like over UDP, package-threshold over TCP`);
  return p;
}
