import type { IpLayer } from './ip_layer.js';

const PROTO_AH = 51;
// Header words are read as bytes: Buffer.readUInt16BE validates its argument on every call,
// which showed in decode profiles; the length checks below keep every index in range.

/**
 * Parses the IPv4 header at `buf[off]` (captured bytes end at `end`) into `out`.
 * Returns false when the header contradicts itself or is not fully captured.
 * Options (IHL > 5) and an Authentication Header are skipped; a total length of 0 (TCP segmentation offload on the
 * capturing host) is taken to mean "as long as captured", as Wireshark does.
 *
 * @example parseIpv4(frame.data, frame.offset + 14, frame.offset + frame.capLen, layer) // true
 */
export function parseIpv4(buf: Buffer, off: number, end: number, out: IpLayer): boolean {
  if (end - off < 20) return false;
  const vihl = buf[off];
  if (vihl >> 4 !== 4) return false;
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20 || end - off < ihl) return false;
  let total = (buf[off + 2] << 8 | buf[off + 3]);
  if (total === 0) total = end - off;
  if (total < ihl) return false;
  const flagsFrag = (buf[off + 6] << 8 | buf[off + 7]);
  out.version = 4;
  out.offset = off;
  out.srcOffset = off + 12;
  out.dstOffset = off + 16;
  out.protocol = buf[off + 9];
  out.l4Offset = off + ihl;
  out.datagramEnd = off + total;
  out.truncated = off + total > end;
  out.capturedEnd = out.truncated ? end : off + total;
  out.fragOffset = (flagsFrag & 0x1fff) * 8;
  out.moreFragments = (flagsFrag & 0x2000) !== 0;
  out.isFragment = out.moreFragments || out.fragOffset !== 0;
  out.fragId = (buf[off + 4] << 8 | buf[off + 5]);
  out.fragHeaderOffset = -1;
  out.fragNextHeaderField = -1;
  // AH (RFC 4302) authenticates but does not hide the transport: step over it. Only in whole
  // datagrams or first fragments, where it is what follows the IP header.
  if (out.protocol === PROTO_AH && out.fragOffset === 0) {
    const p = out.l4Offset;
    if (out.capturedEnd - p < 2) return false;
    const len = (buf[p + 1] + 2) * 4;
    if (out.capturedEnd - p < len) return false;
    out.protocol = buf[p];
    out.l4Offset = p + len;
  }
  return true;
}
