import type { NetPacket } from './net_packet.js';

/**
 * Text form of an IP address stored in a buffer: IPv4 dotted quad, IPv6 in RFC 5952 form
 * (lowercase, no leading zeros, the longest run of two or more zero groups shortened to `::`,
 * the leftmost on a tie). IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d)
 * addresses keep the dotted tail, because that is what tshark (glibc's inet_ntop) prints and
 * users compare our output with tshark's.
 *
 * @example formatAddress(Buffer.from([10, 0, 0, 1]), 0, 4) // "10.0.0.1"
 * @example formatAddress(ipv6Bytes, 0, 6) // "fd00::1"
 */
export function formatAddress(buf: Uint8Array, off: number, version: 4 | 6): string {
  if (version === 4) return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  for (let i = 0; i < 8; i++) {
    const zero = buf[off + 2 * i] === 0 && buf[off + 2 * i + 1] === 0;
    if (zero) {
      if (curBase < 0) curBase = i;
      const len = i - curBase + 1;
      if (len > bestLen) { bestBase = curBase; bestLen = len; }
    } else {
      curBase = -1;
    }
  }
  if (bestLen < 2) bestBase = -1;
  const word = (i: number): number => (buf[off + 2 * i] << 8) | buf[off + 2 * i + 1];
  // glibc's rule for an embedded IPv4 tail: first 6 words zero (::a.b.c.d), or 5 zero words then ffff.
  const embedded = bestBase === 0 && (bestLen === 6 || (bestLen === 5 && word(5) === 0xffff));
  const groups = embedded ? 6 : 8;
  let s = '';
  for (let i = 0; i < groups; i++) {
    if (i === bestBase) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && !s.endsWith(':')) s += ':';
    s += word(i).toString(16);
  }
  if (embedded) {
    if (!s.endsWith(':')) s += ':';
    s += formatAddress(buf, off + 12, 4);
  }
  return s;
}

/**
 * "ip:port" for one end of a decoded packet; IPv6 addresses are bracketed as in URLs.
 *
 * @example endpointString(packet, 'src') // "10.0.0.1:40001" or "[fd00::1]:40001"
 */
export function endpointString(packet: NetPacket, which: 'src' | 'dst'): string {
  const off = which === 'src' ? packet.srcOffset : packet.dstOffset;
  const port = which === 'src' ? packet.srcPort : packet.dstPort;
  const addr = formatAddress(packet.buf, off, packet.ipVersion);
  return packet.ipVersion === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
}
