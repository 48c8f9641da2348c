/**
 * "ip:port" strings for packet endpoints, made once per endpoint rather than once per packet.
 * The same string object comes back every time, so maps keyed by it hash it only once.
 */
import { endpointString } from '../net/ip_address.js';
import type { NetPacket } from '../net/net_packet.js';

const MAX_CACHED = 1 << 16;

export class EndpointNames {
  private readonly v4 = new Map<number, string>();
  private readonly v6 = new Map<string, string>();

  /** @example names.of(packet, 'src') // "10.0.0.1:40001" */
  of(p: NetPacket, which: 'src' | 'dst'): string {
    if (p.ipVersion !== 4) {
      const s = endpointString(p, which);
      const hit = this.v6.get(s);
      if (hit) return hit;
      if (this.v6.size >= MAX_CACHED) this.v6.clear();
      this.v6.set(s, s);
      return s;
    }
    const b = p.buf;
    const o = which === 'src' ? p.srcOffset : p.dstOffset;
    // An IPv4 address and port fit in 48 bits: an exact number key, no string built.
    const key = (b[o] * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3])) * 65536 + (which === 'src' ? p.srcPort : p.dstPort);
    let s = this.v4.get(key);
    if (s === undefined) {
      if (this.v4.size >= MAX_CACHED) this.v4.clear(); // hostile captures (scans) must not grow it without bound
      s = endpointString(p, which);
      this.v4.set(key, s);
    }
    return s;
  }
}
