/**
 * The last two IPv4 flows seen (one per direction of the busiest connection), so consecutive
 * packets of a transfer skip endpoint naming, dissector binding and connection lookup: four
 * integer comparisons instead of map lookups keyed by 48-bit numbers.
 */
import type { NetPacket } from '../net/net_packet.js';

export interface FlowEntry<T> {
  protocol: number;
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  value: T;
}

function ipv4At(b: Buffer, o: number): number {
  return b[o] * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

export class FlowCache<T> {
  private a: FlowEntry<T> | null = null;
  private b: FlowEntry<T> | null = null;

  /** @example const hit = cache.get(p); if (hit === undefined) cache.set(p, compute(p)); */
  get(p: NetPacket): T | undefined {
    if (p.ipVersion !== 4) return undefined;
    const s = ipv4At(p.buf, p.srcOffset);
    const d = ipv4At(p.buf, p.dstOffset);
    for (const e of [this.a, this.b]) {
      if (e !== null && e.srcIp === s && e.dstIp === d && e.srcPort === p.srcPort && e.dstPort === p.dstPort && e.protocol === p.protocol) return e.value;
    }
    return undefined;
  }

  set(p: NetPacket, value: T): void {
    if (p.ipVersion !== 4) return;
    this.b = this.a;
    this.a = { protocol: p.protocol, srcIp: ipv4At(p.buf, p.srcOffset), dstIp: ipv4At(p.buf, p.dstOffset), srcPort: p.srcPort, dstPort: p.dstPort, value };
  }
}
