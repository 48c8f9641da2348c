import { describe, expect, it } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { TimelineAnalyzer } from '../../src/analyze/timeline_analyzer.js';
import type { DissectedSegment } from '../../src/dissect/segment_stream.js';

describe('stream framing damage', () => {
  it('a misframed record is counted but does not move the sequence state', () => {
    const d = new DissectorRegistry().get('ariel-package');
    const rec = (pos: number, warnings: string[] = []): DissectedSegment => {
      const b = d.encode({ header: 'MSG', payload: 'x', pos, seq: pos, sent_time: 0, ack: false, prev_seq: 0 }, undefined, { params: { N: 10 } });
      return {
        frame: pos, tsSec: 1, tsNsec: pos * 1000, src: '10.0.0.1:1', dst: '10.0.0.2:55558', transport: 'tcp',
        connection: 'tcp 10.0.0.1:1 10.0.0.2:55558', dissector: d, segment: d.decode(b, 0, b.length, { params: { N: 10 } }),
        buf: b, offset: 0, length: b.length, tcp: null, warnings, firstFrame: pos,
      };
    };
    const a = new TimelineAnalyzer();
    a.push(rec(1));
    a.push(rec(2));
    const bad = a.push(rec(900, ['misframed']));
    const next = a.push(rec(3));
    expect(bad.flags).toEqual([]);
    expect(next.flags).toEqual([]); // no gap up to 900 before it, so no retransmission below it
    expect(next.seq).toBe(3);
    expect(a.summaries()[0].forward.packets).toBe(4);
  });
});
