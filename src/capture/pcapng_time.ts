/**
 * pcapng timestamps: a 64-bit count of `if_tsresol` units since the epoch, plus `if_tsoffset`
 * seconds, turned into whole seconds and nanoseconds exactly as Wireshark 4.x does it.
 *
 * Wireshark computes `secs = ts / units` and `nsecs = ((ts % units) * 1e9) / units` in unsigned
 * 64-bit arithmetic: the fraction is truncated, not rounded, and for resolutions finer than
 * 1e-9 s the product wraps modulo 2^64 (so e.g. 10^-12 files show odd nanoseconds in tshark;
 * we reproduce them so that frame times always equal tshark's `frame.time_epoch`). Resolutions
 * it cannot represent (10^-n with n > 19, 2^-n with n > 63) become units = 2^64 - 1.
 */

/** How one interface's timestamps scale: set up once per IDB. */
export interface TimeScale {
  /** Units per second when it is 10^0..10^9 (the exact-number fast path), else 0. */
  readonly divisor: number;
  /** Nanoseconds per unit for the fast path (10^(9-n)). */
  readonly nsPerUnit: number;
  /** Units per second as a BigInt for the rare resolutions the fast path does not cover. */
  readonly bigUnits: bigint;
  /** if_tsoffset, whole seconds added to every timestamp. */
  readonly offsetSec: number;
}

const TWO32 = 4294967296;
const MASK64 = (1n << 64n) - 1n;
const NS = 1_000_000_000n;

/**
 * Builds the scale of an interface from its `if_tsresol` byte (undefined: the default 10^-6)
 * and `if_tsoffset` seconds.
 *
 * @example
 * timeScale(9, 0);    // nanoseconds
 * timeScale(0x9e, 0); // 2^-30 s units
 */
export function timeScale(tsresol: number | undefined, offsetSec: number): TimeScale {
  const r = tsresol ?? 6;
  const exp = r & 0x7f;
  let bigUnits: bigint;
  if (r & 0x80) bigUnits = exp < 64 ? 1n << BigInt(exp) : MASK64;
  else bigUnits = exp < 20 ? 10n ** BigInt(exp) : MASK64;
  const fast = (r & 0x80) === 0 && exp <= 9;
  return {
    divisor: fast ? 10 ** exp : 0,
    nsPerUnit: fast ? 10 ** (9 - exp) : 0,
    bigUnits,
    offsetSec,
  };
}

/**
 * Converts the timestamp words `hi`, `lo` (unsigned 32-bit) into `out.tsSec`/`out.tsNsec`.
 * Plain number arithmetic for 10^0..10^9 units (long division in 16-bit digits keeps every
 * intermediate below 2^53); BigInt only for other resolutions.
 *
 * @example
 * const out = { tsSec: 0, tsNsec: 0 };
 * setTimestamp(out, timeScale(9, 0), 0x18ea39d7, 0xe0ebfe78); // out = { tsSec: 1795311000, tsNsec: 814878328 }
 */
export function setTimestamp(out: { tsSec: number; tsNsec: number }, scale: TimeScale, hi: number, lo: number): void {
  const d = scale.divisor;
  if (d === 0 || (d < 2048 && hi >= 0x200000)) {
    setTimestampBig(out, scale, hi, lo);
    return;
  }
  let sec: number;
  let rem: number;
  if (hi < 0x200000) {
    // The whole count is below 2^53: one division, corrected if the float quotient rounded up.
    const ts = hi * TWO32 + lo;
    sec = Math.floor(ts / d);
    rem = ts - sec * d;
    if (rem < 0) { sec--; rem += d; }
  } else {
    // Long division of the digits [hi, lo >>> 16, lo & 0xffff] by d (< 2^30): every partial
    // dividend stays below 2^46, every quotient digit and remainder is exact.
    let q1 = Math.floor(hi / d);
    rem = hi - q1 * d;
    if (rem < 0) { q1--; rem += d; }
    let x = rem * 65536 + (lo >>> 16);
    let q2 = Math.floor(x / d);
    rem = x - q2 * d;
    if (rem < 0) { q2--; rem += d; }
    x = rem * 65536 + (lo & 0xffff);
    let q3 = Math.floor(x / d);
    rem = x - q3 * d;
    if (rem < 0) { q3--; rem += d; }
    sec = (q1 * 65536 + q2) * 65536 + q3;
  }
  out.tsSec = sec + scale.offsetSec;
  out.tsNsec = rem * scale.nsPerUnit;
}

function setTimestampBig(out: { tsSec: number; tsNsec: number }, scale: TimeScale, hi: number, lo: number): void {
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  const units = scale.bigUnits;
  out.tsSec = Number(ts / units) + scale.offsetSec;
  // Wireshark's uint64 product wraps for units finer than 1 ns; mirror it (see file comment).
  out.tsNsec = Number((((ts % units) * NS) & MASK64) / units);
}
