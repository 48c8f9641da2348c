/**
 * What to do to traffic: exact drop lists (seed 004's PACKAGES_TO_LOSE / ACKS_TO_LOSE) and
 * seeded random loss, duplication, reordering, delay with jitter and single-bit corruption.
 * Plain data, parsed from command-line text here so the CLI and library agree.
 */

export interface ImpairmentSpec {
  /** Data segments to drop: by sequence number (each value once, as the seed) or by send index (1-based). */
  dropData?: number[];
  /** ACK segments to drop: by acknowledgement number (each value once) or by send index. */
  dropAcks?: number[];
  dropBy?: 'seq' | 'index';
  /** Probabilities 0..1, per datagram and direction. */
  loss?: number;
  dup?: number;
  reorder?: number;
  corrupt?: number;
  /** Added one-way delay and its ± jitter, seconds. */
  delay?: number;
  jitter?: number;
  seed?: number;
}

/**
 * "5%" or "0.05" → 0.05.
 *
 * @example parseRate('5%') // 0.05
 */
export function parseRate(text: string): number {
  const t = text.trim();
  const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!Number.isFinite(v) || v < 0 || v > 1 || t === '' || t === '%') throw new RangeError(`not a rate between 0 and 100%: ${JSON.stringify(text)}`);
  return v;
}

/**
 * "2s", "200ms", "0.2" (seconds) → seconds.
 *
 * @example parseDuration('20ms') // 0.02
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s)?\s*$/.exec(text);
  if (!m) throw new RangeError(`not a duration (like 2s, 200ms): ${JSON.stringify(text)}`);
  const v = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? v / 1000 : unit === 's' ? v : v / 1e6;
}

/**
 * "20ms±5ms" (or "20ms+-5ms", "20ms") → delay and jitter in seconds.
 *
 * @example parseDelay('20ms±5ms') // { delay: 0.02, jitter: 0.005 }
 */
export function parseDelay(text: string): { delay: number; jitter: number } {
  const [d, j] = text.split(/±|\+-|\+\/-/);
  return { delay: parseDuration(d), jitter: j === undefined ? 0 : parseDuration(j) };
}

/**
 * "4,9,10" or "4-6,9" → [4, 9, 10] / [4, 5, 6, 9].
 *
 * @example parseDropList('4-6,9') // [4, 5, 6, 9]
 */
export function parseDropList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new RangeError(`not a list of numbers (like 4,9,10 or 4-6): ${JSON.stringify(text)}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 100000) throw new RangeError(`bad range ${part.trim()}`);
    for (let v = a; v <= b; v++) out.push(v);
  }
  return out;
}

/** True when the spec changes anything at all. */
export function isImpairing(s: ImpairmentSpec): boolean {
  return Boolean(s.dropData?.length || s.dropAcks?.length || s.loss || s.dup || s.reorder || s.corrupt || s.delay || s.jitter);
}
