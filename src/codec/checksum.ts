/**
 * Checksums used by transport headers. All take a byte range so callers never copy.
 */

/**
 * Ones'-complement sum of 16-bit big-endian words over `buf[off, off+len)`, folded to 16 bits
 * but not complemented. Odd length is padded with a zero byte. `initial` chains several ranges
 * (a pseudo-header, then the segment) without concatenating them.
 *
 * @example internetSum(Buffer.from([0x45, 0x00]), 0, 2) // 0x4500
 */
export function internetSum(buf: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  let i = off;
  const start = buf.byteOffset + off;
  if (len >= 64 && (start & 1) === 0) {
    // Summing native 16-bit words is byte-order independent (RFC 1071 §2(B)): sum the
    // little-endian words through a typed-array view and swap the folded result once.
    const words = wordsOf(buf.buffer);
    let s = 0;
    for (let k = start >>> 1, end = (start + len) >>> 1; k < end; k++) s += words[k];
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    sum += ((s & 0xff) << 8) | (s >>> 8);
    i = off + (len & ~1);
  }
  const end = off + len - 1;
  for (; i < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i === end) sum += buf[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

let lastBuffer: ArrayBufferLike | null = null;
let lastWords: Uint16Array<ArrayBufferLike> = new Uint16Array(0);

/** One 16-bit view per underlying buffer (readers reuse theirs), not one per checksum. */
function wordsOf(b: ArrayBufferLike): Uint16Array {
  if (b !== lastBuffer) {
    lastBuffer = b;
    lastWords = new Uint16Array(b, 0, b.byteLength >>> 1);
  }
  return lastWords;
}

/**
 * RFC 1071 Internet checksum: the complement of the ones'-complement sum.
 * A range that already contains its correct checksum sums to 0xffff, so this returns 0 for it.
 *
 * @example internetChecksum(header, 0, 20) === 0 // header checksum verifies
 */
export function internetChecksum(buf: Uint8Array, off: number, len: number, initial = 0): number {
  return ~internetSum(buf, off, len, initial) & 0xffff;
}

/**
 * Ones'-complement sum of the TCP/UDP pseudo-header (addresses, protocol, transport length).
 * `src`/`dst` are 4 bytes (IPv4) or 16 bytes (IPv6) at the given offsets.
 */
export function pseudoHeaderSum(
  buf: Uint8Array, srcOff: number, dstOff: number, addrLen: 4 | 16, protocol: number, l4Length: number,
): number {
  let sum = internetSum(buf, srcOff, addrLen) + internetSum(buf, dstOff, addrLen);
  if (addrLen === 4) sum += protocol + l4Length;
  else sum += (l4Length >>> 16) + (l4Length & 0xffff) + protocol;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

const CRC32_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/**
 * CRC-32 (IEEE 802.3, the one zlib.crc32 and Python's zlib.crc32 compute) of a byte range.
 *
 * @example crc32(Buffer.from('123456789'), 0, 9) // 0xcbf43926
 */
export function crc32(buf: Uint8Array, off: number, len: number, initial = 0): number {
  let c = ~initial;
  for (let i = off, end = off + len; i < end; i++) c = CRC32_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
