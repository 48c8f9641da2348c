/**
 * Test-only frame construction (src/net/packet_builder.ts belongs to someone else): IPv4/IPv6
 * with UDP/TCP and correct checksums, extension headers, fragments, and link-layer wrappers.
 */
import { internetChecksum, pseudoHeaderSum } from '../../src/codec/checksum.js';

export function ip4(a: string): Buffer {
  return Buffer.from(a.split('.').map(Number));
}

export function ip6(a: string): Buffer {
  const [head, tail = ''] = a.includes('::') ? a.split('::') : [a, undefined as unknown as string];
  const h = head ? head.split(':') : [];
  const t = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), 2 * i));
  return b;
}

export interface TcpOpts {
  seq?: number; ack?: number; flags?: number; window?: number; options?: Buffer;
}

export function tcpOptions(o: { mss?: number; ws?: number; sackPerm?: boolean; ts?: [number, number]; sack?: number[] }): Buffer {
  const parts: number[] = [];
  if (o.mss !== undefined) parts.push(2, 4, o.mss >> 8, o.mss & 255);
  if (o.sackPerm) parts.push(4, 2);
  if (o.ts) { const b = Buffer.alloc(10); b[0] = 8; b[1] = 10; b.writeUInt32BE(o.ts[0], 2); b.writeUInt32BE(o.ts[1], 6); parts.push(1, 1, ...b); }
  if (o.ws !== undefined) parts.push(1, 3, 3, o.ws);
  if (o.sack) {
    const b = Buffer.alloc(2 + 4 * o.sack.length); b[0] = 5; b[1] = b.length;
    o.sack.forEach((e, i) => b.writeUInt32BE(e >>> 0, 2 + 4 * i));
    parts.push(1, 1, ...b);
  }
  while (parts.length % 4) parts.push(0);
  return Buffer.from(parts);
}

/** Transport segment with its checksum computed over the given addresses. */
export function l4(proto: 6 | 17, src: Buffer, dst: Buffer, sport: number, dport: number, payload: Buffer, t: TcpOpts = {}): Buffer {
  let seg: Buffer;
  if (proto === 17) {
    seg = Buffer.concat([Buffer.alloc(8), payload]);
    seg.writeUInt16BE(seg.length, 4);
  } else {
    const opts = t.options ?? Buffer.alloc(0);
    seg = Buffer.concat([Buffer.alloc(20), opts, payload]);
    seg.writeUInt32BE((t.seq ?? 1000) >>> 0, 4);
    seg.writeUInt32BE((t.ack ?? 0) >>> 0, 8);
    seg[12] = ((20 + opts.length) / 4) << 4 | ((t.flags ?? 0x18) >> 8);
    seg[13] = (t.flags ?? 0x18) & 255;
    seg.writeUInt16BE(t.window ?? 512, 14);
  }
  seg.writeUInt16BE(sport, 0);
  seg.writeUInt16BE(dport, 2);
  const both = Buffer.concat([src, dst]);
  const ps = pseudoHeaderSum(both, 0, src.length, src.length as 4 | 16, proto, seg.length);
  let c = internetChecksum(seg, 0, seg.length, ps);
  if (proto === 17 && c === 0) c = 0xffff;
  seg.writeUInt16BE(c, proto === 17 ? 6 : 16);
  return seg;
}

export function ipv4(src: Buffer, dst: Buffer, proto: number, body: Buffer, o: { id?: number; mf?: boolean; fragOffset?: number; options?: Buffer } = {}): Buffer {
  const opts = o.options ?? Buffer.alloc(0);
  const h = Buffer.alloc(20 + opts.length);
  h[0] = 0x40 | (h.length / 4);
  h.writeUInt16BE(h.length + body.length, 2);
  h.writeUInt16BE(o.id ?? 1, 4);
  h.writeUInt16BE((o.mf ? 0x2000 : 0) | ((o.fragOffset ?? 0) / 8), 6);
  h[8] = 64; h[9] = proto;
  src.copy(h, 12); dst.copy(h, 16); opts.copy(h, 20);
  h.writeUInt16BE(internetChecksum(h, 0, h.length), 10);
  return Buffer.concat([h, body]);
}

/** IPv6 header + extension headers given as [type, bytes] (bytes include their own next-header byte slot). */
export function ipv6(src: Buffer, dst: Buffer, proto: number, body: Buffer, ext: { type: number; bytes: Buffer }[] = []): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  const chain = ext.map((e) => Buffer.from(e.bytes));
  chain.forEach((c, i) => { c[0] = i + 1 < ext.length ? ext[i + 1].type : proto; });
  const extLen = chain.reduce((s, c) => s + c.length, 0);
  h.writeUInt16BE(extLen + body.length, 4);
  h[6] = ext.length ? ext[0].type : proto;
  h[7] = 64;
  src.copy(h, 8); dst.copy(h, 24);
  return Buffer.concat([h, ...chain, body]);
}

/** Generic 8-byte extension (hop-by-hop 0, routing 43, destination options 60) with PadN. */
export function ext8(type: number): { type: number; bytes: Buffer } {
  const b = Buffer.alloc(8);
  if (type === 43) { b[2] = 0; b[3] = 0; } else { b[2] = 1; b[3] = 4; }
  return { type, bytes: b };
}

export function ah(): { type: number; bytes: Buffer } {
  const b = Buffer.alloc(24); b[1] = 4; // (4 + 2) * 4 = 24 bytes
  b.writeUInt32BE(0x1234, 4);
  return { type: 51, bytes: b };
}

export function frag6(offset: number, more: boolean, id: number): { type: number; bytes: Buffer } {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(offset | (more ? 1 : 0), 2);
  b.writeUInt32BE(id, 4);
  return { type: 44, bytes: b };
}

export function ether(type: number, payload: Buffer, tags: number[] = []): Buffer {
  const head = Buffer.from('020000000002020000000001', 'hex');
  const tagBytes = tags.map((tpid, i) => { const b = Buffer.alloc(4); b.writeUInt16BE(tpid); b.writeUInt16BE(100 + i, 2); return b; });
  const t = Buffer.alloc(2); t.writeUInt16BE(type);
  // Tags sit between source MAC and the ethertype: TPID, TCI, ..., ethertype.
  let f = Buffer.concat([head, ...tagBytes, t, payload]);
  if (f.length < 60) f = Buffer.concat([f, Buffer.alloc(60 - f.length, 0xee)]); // padding the decoder must ignore
  return f;
}

export function nullHeader(af: number, littleEndian: boolean, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  if (littleEndian) h.writeUInt32LE(af); else h.writeUInt32BE(af);
  return Buffer.concat([h, payload]);
}

export function sll(proto: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0); h.writeUInt16BE(1, 2); h.writeUInt16BE(6, 4);
  Buffer.from('020000000001', 'hex').copy(h, 6);
  h.writeUInt16BE(proto, 14);
  return Buffer.concat([h, payload]);
}

export function sll2(proto: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(proto, 0); h.writeUInt32BE(2, 4); h.writeUInt16BE(1, 8); h[10] = 0; h[11] = 6;
  Buffer.from('020000000001', 'hex').copy(h, 12);
  return Buffer.concat([h, payload]);
}
