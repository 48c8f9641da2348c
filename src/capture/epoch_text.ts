/**
 * Exact timestamps from the text Wireshark exports print. Parsed digit by digit: a float cannot
 * hold epoch nanoseconds (1795311000.814878328 is not representable).
 */

/** Seconds and nanoseconds, filled in place so hot loops allocate nothing. */
export interface EpochTime {
  sec: number;
  nsec: number;
}

/**
 * Parses `frame.time_epoch` text at `src[start, end)` into `out`: decimal seconds
 * ("1795311000.814878328", "-1.5", more than 9 fraction digits are cut) or an ISO 8601 UTC date
 * ("2026-11-22T01:30:00.814878328Z", which some tshark versions print in -T ek).
 * Returns false (leaving `out` unspecified) when the text is neither.
 *
 * @example parseEpochText(Buffer.from('1.5'), 0, 3, t) // true, t = { sec: 1, nsec: 500000000 }
 */
export function parseEpochText(src: Uint8Array, start: number, end: number, out: EpochTime): boolean {
  if (end - start >= 20 && src[start + 4] === 0x2d && src[start + 10] === 0x54) return parseIsoText(src, start, end, out);
  let i = start;
  const negative = src[i] === 0x2d;
  if (negative) i++;
  const intStart = i;
  let sec = 0;
  while (i < end && isDigit(src[i])) sec = sec * 10 + (src[i++] - 0x30);
  if (i === intStart || i - intStart > 15) return false;
  const nsec = parseFraction(src, i, end);
  if (nsec < 0) return false;
  if (negative && nsec > 0) {
    out.sec = -sec - 1;
    out.nsec = 1_000_000_000 - nsec;
  } else {
    out.sec = negative ? -sec : sec;
    out.nsec = nsec;
  }
  return true;
}

/**
 * Parses integer epoch milliseconds (the `"timestamp"` of a -T ek record) into `out`.
 *
 * @example parseEpochMillisText(Buffer.from('1795311000814'), 0, 13, t) // t = { sec: 1795311000, nsec: 814000000 }
 */
export function parseEpochMillisText(src: Uint8Array, start: number, end: number, out: EpochTime): boolean {
  if (end <= start || end - start > 16) return false;
  let ms = 0;
  for (let i = start; i < end; i++) {
    if (!isDigit(src[i])) return false;
    ms = ms * 10 + (src[i] - 0x30);
  }
  out.sec = Math.floor(ms / 1000);
  out.nsec = (ms % 1000) * 1_000_000;
  return true;
}

/** ".ddd" at `src[i, end)` as nanoseconds (digits past the 9th ignored), 0 for none, -1 if bad. */
function parseFraction(src: Uint8Array, i: number, end: number): number {
  if (i === end) return 0;
  if (src[i] !== 0x2e || i + 1 === end) return -1;
  i++;
  let nsec = 0;
  let digits = 0;
  for (; i < end; i++) {
    if (!isDigit(src[i])) return -1;
    if (digits < 9) nsec = nsec * 10 + (src[i] - 0x30);
    digits++;
  }
  for (; digits < 9; digits++) nsec *= 10;
  return nsec;
}

function parseIsoText(src: Uint8Array, start: number, end: number, out: EpochTime): boolean {
  const year = digitsAt(src, start, 4);
  const month = digitsAt(src, start + 5, 2);
  const day = digitsAt(src, start + 8, 2);
  const hour = digitsAt(src, start + 11, 2);
  const minute = digitsAt(src, start + 14, 2);
  const second = digitsAt(src, start + 17, 2);
  if (src[start + 7] !== 0x2d || src[start + 13] !== 0x3a || src[start + 16] !== 0x3a || src[end - 1] !== 0x5a) return false;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  const nsec = parseFraction(src, start + 19, end - 1);
  if (nsec < 0) return false;
  out.sec = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  out.nsec = nsec;
  return true;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digitsAt(src: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    if (!isDigit(src[i])) return -1;
    v = v * 10 + (src[i] - 0x30);
  }
  return v;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
