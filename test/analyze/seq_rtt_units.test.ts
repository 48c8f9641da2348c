/**
 * The two numeric building blocks of the analyzer, against independent definitions:
 * sequence unwrapping at 32 and 64 bits (values past 2^53 arrive as bigint from the codec),
 * and RFC 6298's estimator plus running statistics.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeqUnwrapper } from '../../src/analyze/seq_unwrap.js';
import { RttEstimator } from '../../src/analyze/rtt_estimator.js';

/** What the codec hands out for a u64: a number while exact, else a bigint. */
function asCodecValue(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

describe('SeqUnwrapper', () => {
  for (const bits of [8, 16, 32, 64]) {
    it(`${bits}-bit sequence numbers unwrap to the distance travelled, across the wrap`, () => {
      const mod = 1n << BigInt(bits);
      const maxStep = bits === 8 ? 100 : bits === 16 ? 20000 : 1_000_000;
      fc.assert(fc.property(
        fc.bigInt({ min: 0n, max: mod - 1n }),
        fc.array(fc.integer({ min: 0, max: maxStep }), { minLength: 1, maxLength: 60 }),
        (isn, steps) => {
          const u = new SeqUnwrapper(bits);
          u.setBase(asCodecValue(isn), 0);
          let travelled = 0;
          for (const s of steps) {
            travelled += s;
            const raw = (isn + BigInt(travelled)) % mod;
            expect(u.advance(asCodecValue(raw))).toBe(travelled);
          }
          // A value slightly behind the newest (a retransmission) is placed behind it, not a lap ahead.
          const back = Math.min(travelled, maxStep);
          expect(u.relative(asCodecValue((isn + BigInt(travelled - back)) % mod))).toBe(travelled - back);
        },
      ), { numRuns: 300 });
    });
  }

  it('a 64-bit sock352 sequence number near 2^64 wraps to 0 without losing precision', () => {
    const u = new SeqUnwrapper(64);
    u.setBase(18446744073709551610n, 0);
    expect(u.advance(18446744073709551615n)).toBe(5);
    expect(u.advance(3)).toBe(9);
  });
});

describe('RttEstimator', () => {
  it('follows RFC 6298 (section 2) exactly and keeps exact running statistics', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0.0001, max: 5, noNaN: true }), { minLength: 1, maxLength: 50 }), (samples) => {
      const limits = { initialRto: 1, minRto: 0.2, maxRto: 60 };
      const e = new RttEstimator(limits);
      let srtt = 0;
      let rttvar = 0;
      samples.forEach((r, i) => {
        e.add(r);
        if (i === 0) { srtt = r; rttvar = r / 2; } else { rttvar = (1 - 1 / 4) * rttvar + (1 / 4) * Math.abs(srtt - r); srtt = (1 - 1 / 8) * srtt + (1 / 8) * r; }
        const rto = Math.min(60, Math.max(0.2, srtt + 4 * rttvar));
        expect(e.rto()).toBeCloseTo(rto, 9);
      });
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      const sd = samples.length > 1 ? Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1)) : 0;
      const st = e.stats();
      expect(st.samples).toBe(samples.length);
      expect(st.avg!).toBeCloseTo(mean, 9);
      expect(st.stdev!).toBeCloseTo(sd, 9);
      expect(st.min).toBe(Math.min(...samples));
      expect(st.max).toBe(Math.max(...samples));
    }));
    expect(new RttEstimator({ initialRto: 1, minRto: 0, maxRto: 60 }).rto()).toBeNull();
  });
});
