/**
 * One parsed IP header (v4 or v6, after its extension headers), as offsets into a buffer.
 * A NetDecoder owns one and refills it for each header it walks, so parsing allocates nothing.
 */
export interface IpLayer {
  version: 4 | 6;
  /** Offset of this IP header. */
  offset: number;
  srcOffset: number;
  dstOffset: number;
  /** Upper-layer protocol after all extension headers (for a fragment: of the fragmented payload). */
  protocol: number;
  /** Offset of the upper-layer header (for a fragment: of its fragment data). */
  l4Offset: number;
  /** End of the datagram as its length field declares it (may lie beyond the captured bytes). */
  datagramEnd: number;
  /** min(datagramEnd, end of captured bytes). */
  capturedEnd: number;
  /** The capture cut this datagram before `datagramEnd`. */
  truncated: boolean;
  /** True for a real fragment (offset > 0 or more-fragments set); atomic fragments are not. */
  isFragment: boolean;
  /** Fragment offset in bytes, more-fragments flag and identification. */
  fragOffset: number;
  moreFragments: boolean;
  fragId: number;
  /** IPv6: offset of the Fragment header, and of the byte that names it (to unlink it after reassembly). */
  fragHeaderOffset: number;
  fragNextHeaderField: number;
}

/**
 * A blank IpLayer to be refilled by parseIpv4 / parseIpv6.
 *
 * @example const layer = createIpLayer(); parseIpv4(buf, 14, buf.length, layer);
 */
export function createIpLayer(): IpLayer {
  return {
    version: 4, offset: 0, srcOffset: 0, dstOffset: 0, protocol: 0, l4Offset: 0, datagramEnd: 0,
    capturedEnd: 0, truncated: false, isFragment: false, fragOffset: 0, moreFragments: false, fragId: 0,
    fragHeaderOffset: -1, fragNextHeaderField: -1,
  };
}
