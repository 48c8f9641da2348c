import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UnackedSegments } from '../../src/analyze/unacked_segments.js';

/**
 * The reference: the analyzer's previous implementation (plain arrays, splice, slice), whose
 * behaviour the typed-array one must keep, including its quirks with overlapping segments. One
 * change: the limit is applied before every add (it used to skip out-of-order inserts).
 */
class Model {
  seq: number[] = []; next: number[] = []; time: number[] = []; frame: number[] = []; retx: boolean[] = [];
  head = 0;
  constructor(private readonly limit: number) {}
  get size(): number { return this.seq.length - this.head; }
  add(seq: number, next: number, time: number, frame: number): void {
    if (this.size >= this.limit) this.head++;
    let i = this.seq.length;
    while (i > this.head && this.seq[i - 1] > seq) i--;
    this.seq.splice(i, 0, seq); this.next.splice(i, 0, next); this.time.splice(i, 0, time);
    this.frame.splice(i, 0, frame); this.retx.splice(i, 0, false);
  }
  indexOf(s: number): number {
    let lo = this.head, hi = this.seq.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq[mid] <= s) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at >= 0 && s < this.next[at] ? at : -1;
  }
  mark(seq: number, next: number): number {
    const at = this.indexOf(seq);
    const first = at >= 0 ? this.frame[at] : 0;
    for (let i = at >= 0 ? at : this.head; i < this.seq.length && this.seq[i] < next; i++) if (this.next[i] > seq) this.retx[i] = true;
    return first;
  }
  ack(ack: number, now: number, sampleFrame: number[]): number {
    let sample = -1;
    while (this.head < this.seq.length && this.next[this.head] <= ack) {
      sample = this.retx[this.head] ? -1 : now - this.time[this.head];
      sampleFrame[0] = this.frame[this.head];
      this.head++;
    }
    if (this.head < this.seq.length && this.seq[this.head] < ack) this.seq[this.head] = ack;
    return sample;
  }
}

const op = fc.oneof(
  // Mostly new data at the top, as the analyzer adds it; sometimes a hole filled late.
  fc.record({ kind: fc.constant('add' as const), back: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -30, max: -1 })), len: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('ack' as const), back: fc.integer({ min: -40, max: 2 }), len: fc.constant(0) }),
  fc.record({ kind: fc.constant('mark' as const), back: fc.integer({ min: -40, max: 0 }), len: fc.integer({ min: 1, max: 8 }) }),
);

describe('UnackedSegments', () => {
  it('behaves like the previous array-based list: adds in and out of order, ACKs, retransmissions, the limit', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 400, size: 'max' }), fc.integer({ min: 1, max: 200 }), (ops, limit) => {
      const q = new UnackedSegments(limit);
      const m = new Model(limit);
      let top = 0;
      const fa = [0], fb = [0];
      ops.forEach((o, k) => {
        const seq = Math.max(0, top + o.back);
        if (o.kind === 'add') { q.add(seq, seq + o.len, k / 10, k + 1); m.add(seq, seq + o.len, k / 10, k + 1); top = Math.max(top, seq + o.len); }
        else if (o.kind === 'ack') expect(q.ack(seq, k / 10, fa)).toBe(m.ack(seq, k / 10, fb));
        else expect(q.markRetransmitted(seq, seq + o.len)).toBe(m.mark(seq, seq + o.len));
        expect(q.size).toBe(m.size);
        expect(q.covers(seq)).toBe(m.indexOf(seq) >= 0);
        expect(fa[0]).toBe(fb[0]);
      });
    }), { numRuns: 150 });
  });

  it('holds at most its limit when no ACK comes, and keeps the newest', () => {
    const q = new UnackedSegments(1000);
    for (let i = 0; i < 50_000; i++) q.add(i * 10, i * 10 + 10, i, i + 1);
    expect(q.size).toBe(1000);
    expect(q.covers(49_000 * 10)).toBe(true);
    expect(q.covers(48_999 * 10)).toBe(false);
    expect(q.markRetransmitted(49_999 * 10, 50_000 * 10)).toBe(50_000);
  });
});
