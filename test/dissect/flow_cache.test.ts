import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlowCache } from '../../src/dissect/flow_cache.js';
import type { NetPacket } from '../../src/net/net_packet.js';

/** A NetPacket with just what the cache reads: IPv4 addresses at 0 and 4, ports, protocol. */
function packet(src: number, dst: number, srcPort: number, dstPort: number, protocol: number): NetPacket {
  const buf = Buffer.alloc(8);
  buf.writeUInt32BE(src, 0);
  buf.writeUInt32BE(dst, 4);
  return {
    ipVersion: 4, buf, ipOffset: 0, srcOffset: 0, dstOffset: 4, protocol, srcPort, dstPort, l4Offset: 8,
    payloadOffset: 8, payloadLength: 0, payloadWireLength: 0, truncated: false, l4Checksum: 'none', tcp: null, fragmentFrames: null,
  };
}

describe('FlowCache', () => {
  it('answers every flow with what was set for it, however many flows share slots', () => {
    const flow = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(6, 17));
    fc.assert(fc.property(fc.array(flow, { minLength: 5000, maxLength: 6000 }), fc.array(fc.nat(), { maxLength: 300 }), (flows, probes) => {
      const cache = new FlowCache<string>();
      const model = new Map<string, string>();
      const key = (f: typeof flows[number]) => f.join(',');
      for (const f of flows) {
        const p = packet(f[0], f[1], f[2], f[3], f[4]);
        const want = model.get(key(f));
        expect(cache.get(p)).toBe(want);
        if (want === undefined) { cache.set(p, key(f)); model.set(key(f), key(f)); }
      }
      for (const i of probes) {
        const f = flows[i % flows.length];
        expect(cache.get(packet(f[0], f[1], f[2], f[3], f[4]))).toBe(key(f));
      }
    }), { numRuns: 20 });
  });

  it('does not confuse the directions or the transports of one connection', () => {
    const cache = new FlowCache<string>();
    cache.set(packet(0x0a000001, 0x0a000002, 4000, 5000, 17), 'udp fwd');
    expect(cache.get(packet(0x0a000002, 0x0a000001, 5000, 4000, 17))).toBeUndefined();
    expect(cache.get(packet(0x0a000001, 0x0a000002, 4000, 5000, 6))).toBeUndefined();
    expect(cache.get(packet(0x0a000001, 0x0a000002, 4000, 5000, 17))).toBe('udp fwd');
  });
});
