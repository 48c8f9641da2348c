/**
 * Linear axis scales with "nice" round ticks (1, 2, 5 × 10^k), the way a person would label
 * a hand-drawn graph.
 */

export interface LinearScale {
  /** Data value → pixel. */
  (v: number): number;
  domain: [number, number];
  range: [number, number];
  ticks: number[];
  /** Tick label text, with as many decimals as the tick step needs. */
  format: (v: number) => string;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/**
 * A scale whose domain is widened to round tick values.
 *
 * @example const x = linearScale(0, 0.31, 60, 640); x.ticks // [0, 0.05, 0.1, ..., 0.35]
 */
export function linearScale(lo: number, hi: number, r0: number, r1: number, tickCount = 6, integer = false): LinearScale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (hi <= lo) hi = lo + (integer ? 1 : lo === 0 ? 1 : Math.abs(lo) * 0.1);
  let step = niceStep(hi - lo, tickCount);
  if (integer) step = Math.max(1, Math.round(step));
  const d0 = Math.floor(lo / step + 1e-9) * step;
  const d1 = Math.ceil(hi / step - 1e-9) * step;
  const decimals = integer ? 0 : Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: number[] = [];
  for (let i = 0; d0 + i * step <= d1 + step * 1e-9; i++) ticks.push(Number((d0 + i * step).toFixed(decimals + 2)));
  const span = d1 - d0 || 1;
  const f = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as LinearScale;
  f.domain = [d0, d1];
  f.range = [r0, r1];
  f.ticks = ticks;
  f.format = (v: number) => groupThousands(v.toFixed(decimals));
  return f;
}

/** "1234567" → "1 234 567": long sequence numbers stay legible on an axis. */
function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
  return frac === undefined ? g : `${g}.${frac}`;
}
