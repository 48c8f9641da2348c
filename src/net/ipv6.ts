import type { IpLayer } from './ip_layer.js';

/** Extension headers laid out as (next header, length in 8-octet units minus one, ...). */
function isGenericExtension(nh: number): boolean {
  // hop-by-hop, routing, destination options, mobility, HIP, shim6
  return nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140;
}

/** Cap on extension headers walked, so a hostile chain cannot spin (each is >= 8 bytes anyway). */
const MAX_EXTENSIONS = 32;

/**
 * Parses the IPv6 header at `buf[off]` and walks its extension headers (hop-by-hop, routing,
 * destination options, fragment, AH) to the upper-layer protocol. Stops at a real fragment:
 * what follows its Fragment header is only part of a datagram. Returns false when a header is
 * malformed or not fully captured. A payload length of 0 (jumbogram, or offload) means "as
 * long as captured".
 *
 * @example parseIpv6(frame.data, frame.offset + 14, frame.offset + frame.capLen, layer) // true
 */
export function parseIpv6(buf: Buffer, off: number, end: number, out: IpLayer): boolean {
  if (end - off < 40 || buf[off] >> 4 !== 6) return false;
  let plen = buf.readUInt16BE(off + 4);
  if (plen === 0) plen = end - off - 40;
  out.version = 6;
  out.offset = off;
  out.srcOffset = off + 8;
  out.dstOffset = off + 24;
  out.datagramEnd = off + 40 + plen;
  out.truncated = out.datagramEnd > end;
  out.capturedEnd = out.truncated ? end : out.datagramEnd;
  out.isFragment = false;
  out.fragOffset = 0;
  out.moreFragments = false;
  out.fragId = 0;
  out.fragHeaderOffset = -1;
  out.fragNextHeaderField = -1;
  const limit = out.capturedEnd;
  let nh = buf[off + 6];
  let nhField = off + 6;
  let p = off + 40;
  for (let n = 0; n < MAX_EXTENSIONS; n++) {
    let len: number;
    if (isGenericExtension(nh)) {
      if (limit - p < 2) return false;
      len = (buf[p + 1] + 1) * 8;
    } else if (nh === 51) { // AH: length in 4-octet units minus two
      if (limit - p < 2) return false;
      len = (buf[p + 1] + 2) * 4;
    } else if (nh === 44) {
      if (limit - p < 8) return false;
      const fo = buf.readUInt16BE(p + 2);
      out.fragOffset = fo & 0xfff8;
      out.moreFragments = (fo & 1) !== 0;
      out.fragId = buf.readUInt32BE(p + 4);
      out.fragHeaderOffset = p;
      out.fragNextHeaderField = nhField;
      if (out.fragOffset !== 0 || out.moreFragments) {
        out.isFragment = true;
        out.protocol = buf[p];
        out.l4Offset = p + 8;
        return true;
      }
      len = 8; // atomic fragment (RFC 6946): a whole datagram, keep walking
    } else {
      break;
    }
    if (limit - p < len) return false;
    nhField = p;
    nh = buf[p];
    p += len;
  }
  out.protocol = nh;
  out.l4Offset = p;
  return true;
}
