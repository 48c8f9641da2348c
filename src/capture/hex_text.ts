/**
 * Hex text as Wireshark prints bytes ("0a1b2c" in *_raw fields, "0a:1b:2c" in payload fields),
 * decoded straight from the bytes of a file buffer so no intermediate string is made.
 */

/** Value of each ASCII hex digit, -1 for any other byte. */
const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) t[0x41 + i] = t[0x61 + i] = 10 + i;
  return t;
})();

/**
 * Number of bytes the hex text at `src[start, end)` decodes to, or -1 when its length cannot be
 * hex ("abc", "ab:c"). Colon-separated text is recognised by a ':' after the first pair.
 *
 * @example hexTextLength(Buffer.from('01:02:03'), 0, 8) // 3
 */
export function hexTextLength(src: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n >= 3 && src[start + 2] === 0x3a) return (n + 1) % 3 === 0 ? (n + 1) / 3 : -1;
  return n % 2 === 0 ? n / 2 : -1;
}

/**
 * Decodes the hex text at `src[start, end)` into `out` at `outOff` and returns the byte count,
 * or -1 when a character is not a hex digit (or a separator is misplaced). `out` must have room
 * for `hexTextLength(...)` bytes.
 *
 * @example decodeHexText(Buffer.from('0a:ff'), 0, 5, out, 0) // 2, out = 0a ff
 */
export function decodeHexText(src: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number): number {
  const n = hexTextLength(src, start, end);
  if (n < 0) return -1;
  const step = n > 1 && src[start + 2] === 0x3a ? 3 : 2;
  let o = outOff;
  let bad = 0;
  for (let i = start; i < end; i += step) {
    const hi = HEX_VALUE[src[i]];
    const lo = HEX_VALUE[src[i + 1]];
    bad |= hi | lo;
    out[o++] = (hi << 4) | lo;
  }
  if (bad < 0) return -1;
  if (step === 3) for (let i = start + 2; i < end; i += 3) if (src[i] !== 0x3a) return -1;
  return n;
}
