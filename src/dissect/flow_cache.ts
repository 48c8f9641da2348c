/**
 * What each IPv4 flow (one direction of a connection) resolved to, so packets skip endpoint
 * naming, dissector binding and connection lookup. A direct-mapped table of 4096 slots, indexed
 * by a hash of addresses, ports and protocol, answers with a few integer comparisons even when
 * many connections interleave. Every flow is also kept in a map keyed by exact numbers (an
 * address and port fit in 48 bits), which answers when two flows share a slot and puts the
 * flow found back in its slot, so busy flows stay there. Bounded: a scan of many flows clears
 * the map, which only costs recomputing what it held.
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

const SLOTS = 4096;
const MAX_FLOWS = 1 << 16;

function ipv4At(b: Buffer, o: number): number {
  return b[o] * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

function slotOf(s: number, d: number, sp: number, dp: number, proto: number): number {
  let h = Math.imul(s | 0, 0x9e3779b1) ^ Math.imul(d | 0, 0x85ebca77) ^ Math.imul((sp << 16) | dp, 0xc2b2ae3d) ^ proto;
  h ^= h >>> 15;
  return h & (SLOTS - 1);
}

export class FlowCache<T> {
  private readonly slots: Array<FlowEntry<T> | null> = new Array<FlowEntry<T> | null>(SLOTS).fill(null);
  /** (srcIp, srcPort) → (dstIp, dstPort) → entries (one per IP protocol, usually one). */
  private readonly bySrc = new Map<number, Map<number, Array<FlowEntry<T>>>>();
  private size = 0;

  /** @example const hit = cache.get(p); if (hit === undefined) cache.set(p, compute(p)); */
  get(p: NetPacket): T | undefined {
    if (p.ipVersion !== 4) return undefined;
    const s = ipv4At(p.buf, p.srcOffset);
    const d = ipv4At(p.buf, p.dstOffset);
    const slot = slotOf(s, d, p.srcPort, p.dstPort, p.protocol);
    const e = this.slots[slot];
    if (e !== null && e.srcIp === s && e.dstIp === d && e.srcPort === p.srcPort && e.dstPort === p.dstPort && e.protocol === p.protocol) return e.value;
    const list = this.bySrc.get(s * 65536 + p.srcPort)?.get(d * 65536 + p.dstPort);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      if (list[i].protocol === p.protocol) {
        this.slots[slot] = list[i];
        return list[i].value;
      }
    }
    return undefined;
  }

  set(p: NetPacket, value: T): void {
    if (p.ipVersion !== 4) return;
    const e: FlowEntry<T> = { protocol: p.protocol, srcIp: ipv4At(p.buf, p.srcOffset), dstIp: ipv4At(p.buf, p.dstOffset), srcPort: p.srcPort, dstPort: p.dstPort, value };
    this.slots[slotOf(e.srcIp, e.dstIp, e.srcPort, e.dstPort, e.protocol)] = e;
    if (this.size >= MAX_FLOWS) { this.bySrc.clear(); this.size = 0; }
    const srcKey = e.srcIp * 65536 + e.srcPort;
    let byDst = this.bySrc.get(srcKey);
    if (byDst === undefined) this.bySrc.set(srcKey, (byDst = new Map()));
    const dstKey = e.dstIp * 65536 + e.dstPort;
    const list = byDst.get(dstKey);
    if (list === undefined) byDst.set(dstKey, [e]);
    else list.push(e);
    this.size++;
  }
}
