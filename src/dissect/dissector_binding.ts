/**
 * Which dissector decodes which traffic: a forced choice (`-d NAME`, optionally only on the
 * ports given with `--port`, like Wireshark's Decode As), else each dissector's default ports,
 * else plain TCP for TCP traffic. UDP nobody claims is reported as unknown.
 */
import type { Dissector } from '../codec/dissector.js';

export interface BindingOptions {
  /** The dissector the user chose with -d, if any. */
  forced?: Dissector;
  /** Ports (either direction) the forced dissector is bound to; empty = all its transport's traffic. */
  ports?: number[];
  /** Dissectors whose default ports apply when nothing is forced for a packet. */
  available?: Dissector[];
  /** The plain-TCP dissector, used for TCP that no port binding claims (null: leave it unknown). */
  tcp?: Dissector | null;
}

/**
 * @example
 * const b = new DissectorBinding({ forced: reg.get('sock352'), ports: [9000] });
 * b.pick('udp', 40000, 9000) // sock352
 */
export class DissectorBinding {
  private readonly udp = new Map<number, Dissector>();
  private readonly tcpPorts = new Map<number, Dissector>();
  private readonly forcedAll: Dissector | null;
  private readonly plainTcp: Dissector | null;

  constructor(o: BindingOptions) {
    for (const d of o.available ?? []) this.bindDefaults(d);
    const ports = o.ports ?? [];
    if (o.forced) for (const p of ports) this.bind(o.forced, p);
    this.forcedAll = o.forced && ports.length === 0 ? o.forced : null;
    this.plainTcp = o.tcp === undefined ? null : o.tcp;
  }

  private bindDefaults(d: Dissector): void {
    if (d.def.binding.transport === 'ip') return;
    for (const p of d.def.binding.ports) {
      const m = d.def.binding.transport === 'udp' ? this.udp : this.tcpPorts;
      if (!m.has(p)) m.set(p, d);
    }
  }

  private bind(d: Dissector, port: number): void {
    if (d.def.binding.transport === 'udp') this.udp.set(port, d);
    else this.tcpPorts.set(port, d); // 'ip' (plain TCP) on a port still means TCP traffic
  }

  /** The dissector for a packet, or null for traffic nobody claims. */
  pick(transport: 'udp' | 'tcp', srcPort: number, dstPort: number): Dissector | null {
    const f = this.forcedAll;
    if (f) {
      const t = f.def.binding.transport;
      if ((t === 'udp' && transport === 'udp') || (t !== 'udp' && transport === 'tcp')) return f;
    }
    const m = transport === 'udp' ? this.udp : this.tcpPorts;
    const d = m.get(dstPort) ?? m.get(srcPort);
    if (d) return d;
    return transport === 'tcp' ? this.plainTcp : null;
  }
}
