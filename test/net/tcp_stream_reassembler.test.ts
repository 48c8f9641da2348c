import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpStreamReassembler } from '../../src/net/tcp_stream_reassembler.js';

interface Seg { seq: number; start: number; len: number; frame: number }

/** Collects what a reassembler delivers, checking offsets are contiguous. */
function collector() {
  const chunks: Buffer[] = [];
  const gaps: [number, number][] = [];
  let next = 0;
  const sink = {
    onData(chunk: Buffer, at: number, _frame: number) {
      expect(at).toBe(next);
      next += chunk.length;
      chunks.push(Buffer.from(chunk));
    },
    onGap(missing: number, _frame: number, at: number) {
      expect(at).toBe(next);
      expect(missing).toBeGreaterThan(0);
      next += missing;
      gaps.push([at, missing]);
    },
  };
  return { sink, chunks, gaps, data: () => Buffer.concat(chunks) };
}

const streamArb = fc.record({
  data: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
  isn: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xffffff00, max: 0xffffffff })),
  cuts: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }),
  extra: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 600 })), { maxLength: 30 }),
  order: fc.array(fc.nat(), { maxLength: 200 }),
  withSyn: fc.boolean(),
});

describe('TcpStreamReassembler', () => {
  it('delivers the original bytes exactly once, whatever the order, duplication, overlap or wrap', () => {
    fc.assert(fc.property(streamArb, ({ data, isn, cuts, extra, order, withSyn }) => {
      const bytes = Buffer.from(data);
      const first = withSyn ? 1 : 0;
      const segs: Seg[] = [];
      // a tiling of the stream ...
      let pos = 0;
      for (let i = 0; pos < bytes.length; i++) {
        const len = Math.min(cuts[i % cuts.length], bytes.length - pos);
        segs.push({ seq: 0, start: pos, len, frame: 0 });
        pos += len;
      }
      // ... plus retransmissions/overlaps of arbitrary ranges
      for (const [s, l] of extra) {
        const start = s % bytes.length;
        segs.push({ seq: 0, start, len: Math.min(l, bytes.length - start), frame: 0 });
      }
      // shuffle, but keep the first segment first when there is no SYN (it fixes the stream start)
      const rest = segs.slice(withSyn ? 0 : 1);
      for (let i = rest.length - 1; i > 0; i--) {
        const j = (order[i % Math.max(order.length, 1)] ?? i) % (i + 1);
        [rest[i], rest[j]] = [rest[j], rest[i]];
      }
      const feed = withSyn ? rest : [segs[0], ...rest];
      const c = collector();
      const r = new TcpStreamReassembler(c.sink);
      if (withSyn) r.push(isn, Buffer.alloc(0), 0, 0, 0, true);
      feed.forEach((s, i) => {
        // each segment arrives in a reused buffer, as frames do
        const frameBuf = Buffer.alloc(s.len + 10, 0xaa);
        bytes.copy(frameBuf, 5, s.start, s.start + s.len);
        r.push((isn + first + s.start) >>> 0, frameBuf, 5, s.len, i + 1);
        frameBuf.fill(0x55);
      });
      expect(c.gaps).toEqual([]);
      expect(c.data().equals(bytes)).toBe(true);
      expect(r.bufferedBytes).toBe(0);
      expect(r.streamOffset).toBe(bytes.length);
    }), { numRuns: 300 });
  });

  it('tags chunks with the completing frame and the carrying frame', () => {
    const got: [string, number, number, number][] = [];
    const r = new TcpStreamReassembler({ onData: (c, at, frame, src) => got.push([c.toString(), at, frame, src]) });
    r.push(100, Buffer.from('SYN'), 0, 0, 1, true);
    r.push(105, Buffer.from('world'), 0, 5, 2); // early
    r.push(101, Buffer.from('hel'), 0, 3, 3);   // leaves offset 3 missing
    r.push(102, Buffer.from('ellO'), 0, 4, 4);  // fills it; its last byte overlaps 'w', the first copy wins
    expect(got).toEqual([['hel', 0, 3, 3], ['l', 3, 4, 4], ['world', 4, 4, 2]]);
  });

  it('ignores pure ACKs and keepalives before data; wraps past 2^32', () => {
    const c = collector();
    const r = new TcpStreamReassembler(c.sink);
    r.push(0xfffffffd, Buffer.alloc(0), 0, 0, 1);
    r.push(0xfffffffe, Buffer.from('abcd'), 0, 4, 2);
    r.push(2, Buffer.from('ef'), 0, 2, 3);
    r.push(0xfffffffe, Buffer.from('abcdef'), 0, 6, 4);
    expect(c.data().toString()).toBe('abcdef');
  });

  it('bounds memory behind a permanent hole and reports the gap', () => {
    const c = collector();
    const limit = 64 * 1024;
    const r = new TcpStreamReassembler(c.sink, { maxBufferedBytes: limit });
    const isn = 0xffff0000;
    const seg = Buffer.alloc(1000, 7);
    r.push(isn, seg, 0, 1000, 1);
    // bytes 1000..1999 never arrive
    let maxHeld = 0;
    for (let i = 2; i < 300; i++) {
      r.push((isn + i * 1000) >>> 0, seg, 0, 1000, i);
      maxHeld = Math.max(maxHeld, r.bufferedBytes);
    }
    expect(maxHeld).toBeLessThanOrEqual(limit + 1000);
    expect(c.gaps).toEqual([[1000, 1000]]);
    expect(r.gapBytes).toBe(1000);
    expect(c.data().length).toBe(299 * 1000);
    expect(r.bufferedBytes).toBe(0);
  });

  it('flushGap skips holes on demand, one at a time', () => {
    const c = collector();
    const r = new TcpStreamReassembler(c.sink);
    r.push(0, Buffer.from('aa'), 0, 2, 1);
    r.push(5, Buffer.from('bb'), 0, 2, 2);
    r.push(10, Buffer.from('cc'), 0, 2, 3);
    expect(r.flushGap()).toBe(3);
    expect(r.flushGap(9)).toBe(3);
    expect(r.flushGap()).toBe(0);
    expect(c.data().toString()).toBe('aabbcc');
    expect(c.gaps).toEqual([[2, 3], [7, 3]]);
  });

  it('keeps memory bounded under random segments far ahead of a hole', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: 1, max: 3000 })), { maxLength: 200 }), (segs) => {
      const r = new TcpStreamReassembler({ onData: () => {} }, { maxBufferedBytes: 32 * 1024 });
      r.push(0, Buffer.alloc(1), 0, 1, 0);
      const payload = Buffer.alloc(3000);
      segs.forEach(([s, l], i) => {
        r.push(s + 1, payload, 0, l, i + 1);
        expect(r.bufferedBytes).toBeLessThanOrEqual(32 * 1024);
      });
    }), { numRuns: 50 });
  });
});
