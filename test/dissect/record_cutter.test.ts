import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { RecordCutter, type CutRecord } from '../../src/dissect/record_cutter.js';

const pkg = new DissectorRegistry().get('ariel-package');
const rec = (header: string, payload: string, pos: number, N = 10) =>
  pkg.encode({ header, payload, seq: pos, sent_time: 1.5, ack: false, prev_seq: pos, pos }, undefined, { params: { N } });

function cutAll(stream: Buffer, pieces: number[], params: Record<string, number>): Array<{ kind: string | null; pos: unknown; warnings: string[]; frame: number }> {
  const out: Array<{ kind: string | null; pos: unknown; warnings: string[]; frame: number }> = [];
  const cutter = new RecordCutter(pkg, () => params, (r: CutRecord) => {
    const seg = pkg.decode(r.buf, r.offset, r.length, { params });
    out.push({ kind: seg.kind, pos: seg.fields.pos, warnings: r.warnings, frame: r.frame });
  });
  let at = 0;
  let frame = 1;
  for (const n of [...pieces, stream.length]) {
    const end = Math.min(n, stream.length);
    if (end > at) cutter.push(stream.subarray(at, end), at, frame, frame);
    at = Math.max(at, end);
    frame++;
  }
  cutter.finish(frame);
  return out;
}

describe('RecordCutter', () => {
  const records = [rec('MSG', 'aaaaaaaaaa', 1), rec('MSG', 'bbbbbbbbbb', 2), rec('MSG', 'cccccccccc', 3), rec('DONE', 'EOMsg', 4)];
  const stream = Buffer.concat(records);

  it('cuts the same records however TCP splits or merges the stream', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
      const got = cutAll(stream, [...cuts].sort((a, b) => a - b), { N: 10 });
      expect(got.map((g) => [g.kind, g.pos, g.warnings])).toEqual([['MSG', 1, []], ['MSG', 2, []], ['MSG', 3, []], ['DONE', 4, []]]);
    }));
  });

  it('reports a record of the wrong size as misframed and resynchronises on the next known kind', () => {
    // The sender's framing bug: one record packed with N = 4 while N = 14 is in force (52-byte records).
    const big = (h: string, p: string, pos: number) => rec(h, p, pos, 14);
    const bad = Buffer.concat([big('MSG', 'aaaaaaaaaaaaaa', 1), rec('MSG', 'bbbb', 2, 4), big('MSG', 'cccccccccccccc', 3), big('DONE', 'EOMsg', 4)]);
    const got = cutAll(bad, [], { N: 14 });
    expect(got[0]).toMatchObject({ kind: 'MSG', pos: 1, warnings: [] });
    expect(got.some((g) => g.warnings.includes('misframed'))).toBe(true);
    expect(got.at(-1)).toMatchObject({ kind: 'DONE', pos: 4, warnings: [] });
    expect(got.filter((g) => g.warnings.length === 0).map((g) => g.pos)).toContain(3);
  });

  it('reports a partial record left at the end instead of dropping it silently', () => {
    const got = cutAll(stream.subarray(0, stream.length - 5), [], { N: 10 });
    expect(got.at(-1)!.warnings).toEqual(['partial-record']);
  });
});
