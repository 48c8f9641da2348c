/**
 * Builds IPv4/IPv6 datagrams carrying a UDP or TCP segment, with every checksum valid.
 *
 * Used wherever we must produce wire bytes from a description: frames synthesized from a
 * Wireshark JSON export that has no raw bytes, the pcap writer, the live endpoint.
 */
import { internetChecksum, pseudoHeaderSum } from '../codec/checksum.js';

export interface BuildIpPacket {
  /** IPv4 dotted or IPv6 text; both the same family. */
  src: string;
  dst: string;
  protocol: 'udp' | 'tcp';
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  tcp?: { seq: number; ack: number; flags: number; window: number; urgent?: number; options?: Uint8Array };
  ipId?: number;
  ttl?: number;
  hopLimit?: number;
}

const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
const UDP_HEADER = 8;
const TCP_HEADER = 20;
const ETHERNET_HEADER = 14;

/** Scratch for address parsing: one parse at a time, so a module-level buffer avoids allocation. */
const srcScratch = new Uint8Array(16);
const dstScratch = new Uint8Array(16);

/**
 * Byte length of the datagram `writeIpPacket` produces for `p` (no validation).
 *
 * @example ipPacketLength({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', srcPort: 1, dstPort: 2, payload: new Uint8Array(5) }) // 33
 */
export function ipPacketLength(p: BuildIpPacket): number {
  const ipHeader = p.src.includes(':') ? IPV6_HEADER : IPV4_HEADER;
  return ipHeader + transportHeaderLength(p) + p.payload.length;
}

/**
 * Writes the datagram into `out` at `off` (no allocation, for per-frame hot paths) and returns
 * its length. Throws RangeError for an unparsable address, mixed families, a port or field out
 * of range, TCP options longer than 40 bytes, or too little room in `out`.
 *
 * @example
 * const n = writeIpPacket({ src: '::1', dst: '::1', protocol: 'udp', srcPort: 5, dstPort: 6, payload }, buf, 0);
 */
export function writeIpPacket(p: BuildIpPacket, out: Uint8Array, off: number): number {
  const srcLen = parseIpTextCached(p.src, srcScratch);
  const dstLen = parseIpTextCached(p.dst, dstScratch);
  if (srcLen === 0) throw new RangeError(`not an IP address: ${JSON.stringify(p.src)}`);
  if (dstLen === 0) throw new RangeError(`not an IP address: ${JSON.stringify(p.dst)}`);
  if (srcLen !== dstLen) throw new RangeError(`mixed address families: ${p.src} → ${p.dst}`);
  checkUint(p.srcPort, 0xffff, 'srcPort');
  checkUint(p.dstPort, 0xffff, 'dstPort');
  const l4Header = transportHeaderLength(p);
  const l4Length = l4Header + p.payload.length;
  const ipHeader = srcLen === 4 ? IPV4_HEADER : IPV6_HEADER;
  const total = ipHeader + l4Length;
  if (off + total > out.length) throw new RangeError(`packet of ${total} bytes does not fit`);
  if (srcLen === 4 && total > 0xffff) throw new RangeError(`IPv4 datagram of ${total} bytes exceeds 65535`);
  if (srcLen === 16 && l4Length > 0xffff) throw new RangeError(`IPv6 payload of ${l4Length} bytes needs a jumbogram`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const proto = p.protocol === 'udp' ? 17 : 6;
  const srcOff = off + (srcLen === 4 ? 12 : 8);
  const dstOff = srcOff + srcLen;
  if (srcLen === 4) {
    view.setUint32(off, 0x45000000 | total);
    view.setUint16(off + 4, (p.ipId ?? 0) & 0xffff);
    view.setUint16(off + 6, 0x4000); // DF, as Linux sends
    out[off + 8] = p.ttl ?? 64;
    out[off + 9] = proto;
    view.setUint16(off + 10, 0);
  } else {
    view.setUint32(off, 0x60000000);
    view.setUint16(off + 4, l4Length);
    out[off + 6] = proto;
    out[off + 7] = p.hopLimit ?? p.ttl ?? 64;
  }
  out.set(srcScratch.subarray(0, srcLen), srcOff);
  out.set(dstScratch.subarray(0, dstLen), dstOff);
  if (srcLen === 4) view.setUint16(off + 10, internetChecksum(out, off, IPV4_HEADER));

  const l4 = off + ipHeader;
  view.setUint16(l4, p.srcPort);
  view.setUint16(l4 + 2, p.dstPort);
  let checksumAt: number;
  if (p.protocol === 'udp') {
    view.setUint16(l4 + 4, l4Length);
    checksumAt = l4 + 6;
  } else {
    writeTcpHeader(p, view, out, l4, l4Header);
    checksumAt = l4 + 16;
  }
  view.setUint16(checksumAt, 0);
  out.set(p.payload, l4 + l4Header);
  const pseudo = pseudoHeaderSum(out, srcOff, dstOff, srcLen as 4 | 16, proto, l4Length);
  let sum = internetChecksum(out, l4, l4Length, pseudo);
  // UDP sends 0 as "no checksum", so a computed 0 is sent as its ones'-complement twin.
  if (sum === 0 && p.protocol === 'udp') sum = 0xffff;
  view.setUint16(checksumAt, sum);
  return total;
}

/**
 * An IPv4 or IPv6 datagram with a UDP or TCP header, every checksum valid (tshark reads it cleanly).
 *
 * @example
 * buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', srcPort: 40000, dstPort: 80,
 *   payload: Buffer.from('hi'), tcp: { seq: 1, ack: 0, flags: 0x02, window: 65535 } });
 */
export function buildIpPacket(p: BuildIpPacket): Buffer {
  const out = Buffer.alloc(ipPacketLength(p));
  writeIpPacket(p, out, 0);
  return out;
}

/**
 * The same wrapped in an Ethernet II header with zero MACs (LINKTYPE_ETHERNET).
 *
 * @example buildEthernetFrame({ src: '::1', dst: '::1', protocol: 'udp', srcPort: 1, dstPort: 2, payload }) // 14 + 48 + n bytes
 */
export function buildEthernetFrame(p: BuildIpPacket): Buffer {
  const out = Buffer.alloc(ETHERNET_HEADER + ipPacketLength(p));
  writeIpPacket(p, out, ETHERNET_HEADER);
  out.writeUInt16BE(p.src.includes(':') ? 0x86dd : 0x0800, 12);
  return out;
}

function transportHeaderLength(p: BuildIpPacket): number {
  if (p.protocol === 'udp') return UDP_HEADER;
  const opt = p.tcp?.options?.length ?? 0;
  return TCP_HEADER + ((opt + 3) & ~3);
}

function writeTcpHeader(p: BuildIpPacket, view: DataView, out: Uint8Array, at: number, headerLength: number): void {
  const t = p.tcp ?? { seq: 0, ack: 0, flags: 0, window: 0 };
  if (headerLength > 60) throw new RangeError(`TCP options of ${headerLength - TCP_HEADER} bytes exceed 40`);
  checkUint(t.flags, 0xfff, 'tcp.flags');
  checkUint(t.window, 0xffff, 'tcp.window');
  checkUint(t.urgent ?? 0, 0xffff, 'tcp.urgent');
  view.setUint32(at + 4, t.seq >>> 0);
  view.setUint32(at + 8, t.ack >>> 0);
  // Data offset in the top nibble; the low 12 bits hold reserved, AE/NS and the 8 classic flags.
  view.setUint16(at + 12, ((headerLength / 4) << 12) | t.flags);
  view.setUint16(at + 14, t.window);
  view.setUint16(at + 18, t.urgent ?? 0);
  const opt = t.options;
  if (opt !== undefined) {
    out.set(opt, at + TCP_HEADER);
    // Pad with EOL (0) so the option list ends cleanly on a word boundary.
    out.fill(0, at + TCP_HEADER + opt.length, at + headerLength);
  }
}

/** Recently parsed addresses: a capture has few distinct ones, and parsing text is the slow part. */
const addressCache = new Map<string, Uint8Array>();

function parseIpTextCached(text: string, out: Uint8Array): 0 | 4 | 16 {
  let bytes = addressCache.get(text);
  if (bytes === undefined) {
    const len = parseIpText(text, out);
    if (len === 0) return 0;
    if (addressCache.size >= 256) addressCache.clear();
    bytes = out.slice(0, len);
    addressCache.set(text, bytes);
  }
  out.set(bytes);
  return bytes.length as 4 | 16;
}

function checkUint(v: number, max: number, name: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} ${v} is not in 0..${max}`);
}

/**
 * Parses IPv4 dotted-quad or IPv6 text (with `::`, an embedded IPv4 tail, an optional `%zone`)
 * into `out`; returns 4, 16, or 0 when the text is not an address.
 *
 * @example parseIpText('fd00::1', out) // 16, out = fd 00 00 .. 00 01
 */
export function parseIpText(text: string, out: Uint8Array): 0 | 4 | 16 {
  if (!text.includes(':')) return parseIpv4(text, out, 0) ? 4 : 0;
  const zone = text.indexOf('%');
  const s = zone >= 0 ? text.slice(0, zone) : text;
  const gap = s.indexOf('::');
  if (gap >= 0 && s.indexOf('::', gap + 1) >= 0) return 0;
  const head = parseGroups(gap >= 0 ? s.slice(0, gap) : s, gap < 0);
  const tail = gap >= 0 ? parseGroups(s.slice(gap + 2), true) : [];
  if (head === null || tail === null) return 0;
  const n = head.length + tail.length;
  if (gap < 0 ? n !== 8 : n > 7) return 0;
  const words = [...head, ...new Array<number>(8 - n).fill(0), ...tail];
  for (let i = 0; i < 8; i++) {
    out[i * 2] = words[i] >> 8;
    out[i * 2 + 1] = words[i] & 0xff;
  }
  return 16;
}

/** 16-bit groups of one side of `::`; an IPv4 tail (two groups) only where the text may end. */
function parseGroups(text: string, mayEndWithIpv4: boolean): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const w = parts[i];
    if (mayEndWithIpv4 && i === parts.length - 1 && w.includes('.')) {
      const v4 = new Uint8Array(4);
      if (!parseIpv4(w, v4, 0)) return null;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(w)) {
      groups.push(parseInt(w, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv4(text: string, out: Uint8Array, off: number): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return false;
    const v = Number(parts[i]);
    if (v > 255) return false;
    out[off + i] = v;
  }
  return true;
}
