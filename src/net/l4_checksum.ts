import { internetSum, pseudoHeaderSum } from '../codec/checksum.js';

/**
 * Whether the TCP/UDP checksum of the segment at `buf[l4Off, l4Off + l4Len)` verifies against
 * the pseudo-header of its IP datagram. The segment must be fully captured. A segment carrying
 * its correct checksum sums (with the pseudo-header) to 0xffff.
 *
 * @example transportChecksumOk(pkt.buf, 4, pkt.srcOffset, pkt.dstOffset, 6, pkt.l4Offset, 40) // true
 */
export function transportChecksumOk(
  buf: Buffer, ipVersion: 4 | 6, srcOff: number, dstOff: number, protocol: number, l4Off: number, l4Len: number,
): boolean {
  const pseudo = pseudoHeaderSum(buf, srcOff, dstOff, ipVersion === 4 ? 4 : 16, protocol, l4Len);
  return internetSum(buf, l4Off, l4Len, pseudo) === 0xffff;
}
