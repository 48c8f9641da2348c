/**
 * Link layers: where the network-layer packet starts inside a frame, for the link types that
 * captures of course protocols come in (Ethernet with VLAN tags, BSD/macOS loopback, raw IP,
 * Linux cooked captures).
 */

/** What `locateNetworkLayer` found. Reused between frames by its owner: no allocation per frame. */
export interface LinkLocation {
  /** Offset of the network-layer header in the buffer. */
  offset: number;
  /** 4 or 6 when the link layer names IPv4/IPv6, 0 when it does not say (raw IP: read the nibble). */
  ipVersion: 0 | 4 | 6;
}

/** Outcome of `locateNetworkLayer`. */
export type LinkStatus = 'ip' | 'not-ip' | 'malformed' | 'unsupported-link';

// Ethertypes are read as two bytes, after the length checks (Buffer.readUInt16BE validates per call).
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

/**
 * Finds the IP header in a frame of link type `linkType` occupying `buf[off, end)`.
 * Fills `out` and returns 'ip', or says why there is no IP packet.
 *
 * @example
 * const loc = { offset: 0, ipVersion: 0 as 0 | 4 | 6 };
 * locateNetworkLayer(1, frame.data, frame.offset, frame.offset + frame.capLen, loc); // 'ip', loc.offset = offset + 14
 */
export function locateNetworkLayer(linkType: number, buf: Buffer, off: number, end: number, out: LinkLocation): LinkStatus {
  switch (linkType) {
    case 1: // EN10MB
      if (end - off < 14) return 'malformed';
      return fromEthertype(buf, (buf[off + 12] << 8 | buf[off + 13]), off + 14, end, out);
    case 0: // NULL: AF in the capturing host's byte order
    case 108: { // LOOP: AF in network order
      if (end - off < 4) return 'malformed';
      let af = linkType === 108 ? buf.readUInt32BE(off) : buf.readUInt32LE(off);
      // A big-endian host wrote the NULL header: the small AF value sits in the last bytes.
      if (linkType === 0 && af > 0xffff) af = buf.readUInt32BE(off);
      return fromAddressFamily(af, off + 4, out);
    }
    case 101: // RAW (and its old DLT numbers below): the IP version nibble decides
    case 12:
    case 14:
      return setIp(out, off, 0);
    case 228:
      return setIp(out, off, 4);
    case 229:
      return setIp(out, off, 6);
    case 113: // Linux SLL: protocol type at 14, header 16 bytes
      if (end - off < 16) return 'malformed';
      return fromEthertype(buf, (buf[off + 14] << 8 | buf[off + 15]), off + 16, end, out);
    case 276: // Linux SLL2: protocol type at 0, header 20 bytes
      if (end - off < 20) return 'malformed';
      return fromEthertype(buf, (buf[off] << 8 | buf[off + 1]), off + 20, end, out);
    default:
      return 'unsupported-link';
  }
}

function setIp(out: LinkLocation, offset: number, version: 0 | 4 | 6): LinkStatus {
  out.offset = offset;
  out.ipVersion = version;
  return 'ip';
}

/** BSD AF_INET is 2 everywhere; AF_INET6 differs: 10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS. */
function fromAddressFamily(af: number, offset: number, out: LinkLocation): LinkStatus {
  if (af === 2) return setIp(out, offset, 4);
  if (af === 10 || af === 24 || af === 28 || af === 30) return setIp(out, offset, 6);
  return 'not-ip';
}

/** Follows an ethertype to IP, skipping any stack of 802.1Q / 802.1ad / old QinQ (0x9100) tags. */
function fromEthertype(buf: Buffer, type: number, payloadOff: number, end: number, out: LinkLocation): LinkStatus {
  // Bounded: each tag consumes 4 bytes, so the loop ends with the frame.
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    if (end - payloadOff < 4) return 'malformed';
    type = (buf[payloadOff + 2] << 8 | buf[payloadOff + 3]);
    payloadOff += 4;
  }
  if (type === ETHERTYPE_IPV4) return setIp(out, payloadOff, 4);
  if (type === ETHERTYPE_IPV6) return setIp(out, payloadOff, 6);
  // 802.3 length field with LLC/SNAP (AA AA 03, OUI 000000): the real ethertype follows.
  if (type <= 1500 && end - payloadOff >= 8 && buf[payloadOff] === 0xaa && buf[payloadOff + 1] === 0xaa
    && buf[payloadOff + 2] === 0x03 && buf[payloadOff + 3] === 0 && buf[payloadOff + 4] === 0 && buf[payloadOff + 5] === 0) {
    return fromEthertype(buf, (buf[payloadOff + 6] << 8 | buf[payloadOff + 7]), payloadOff + 8, end, out);
  }
  return 'not-ip';
}
