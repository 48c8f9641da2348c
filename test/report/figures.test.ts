/**
 * What the figures draw, counted from the seed runs' known contents (one drop each, the
 * retransmissions the analyzer flags), and how ranges and sampling shape them.
 */
import { describe, expect, it } from 'vitest';
import { ladderDiagram, segmentLabel } from '../../src/report/ladder_diagram.js';
import { seqGraph } from '../../src/report/seq_graph.js';
import { inflightPlot } from '../../src/report/inflight_plot.js';
import { rttPlot } from '../../src/report/rtt_plot.js';
import { parseRangeBound, rangeIndexes, sampleIndexes } from '../../src/report/plot_range.js';
import { EntryColumns, type PlotEntry } from '../../src/report/plot_entry.js';
import { parseDrops, resolveDrops } from '../../src/report/drop_marks.js';
import { num } from '../../src/report/svg_writer.js';
import { seedView } from './seed_views.js';

function count(svg: string, re: RegExp): number {
  return (svg.match(re) ?? []).length;
}

describe('ladder diagram', () => {
  it('draws one arrow per segment and the recorded drop as a cross', () => {
    const v = seedView('sock352_gbn_drop3', 'sock352');
    const f = ladderDiagram(v);
    expect(f.counts.arrows).toBe(v.cols.length);
    expect(f.counts.drops).toBe(1);
    expect(count(f.svg, /class="arrow"|class="arrow retransmission"/g)).toBe(v.cols.length);
    expect(count(f.svg, /class="drop"/g)).toBe(1);
    expect(f.svg).toContain('data seq=3 lost');
    // Go-Back-N resends 3 and 4 after the timeout: two vermillion arrows, one timeout bracket.
    expect(f.counts.retransmissions).toBe(2);
    expect(f.counts.timeouts).toBe(1);
  });

  it('shows Package ACKs as the protocol writes them (last received)', () => {
    const f = ladderDiagram(seedView('ariel_package_drop4', 'ariel-package'));
    expect(f.svg).toContain('>ACK ack=1<');
    expect(f.svg).toContain('MSG seq=4 lost');
    expect(f.svg).toContain('MSG seq=4 (retx)');
  });

  it('a frame range keeps only those frames, and the caption says so', () => {
    const v = seedView('sock352_gbn_drop3', 'sock352');
    const f = ladderDiagram(v, { range: { from: { frame: 4 }, to: { frame: 11 } } });
    expect(f.counts.arrows).toBe(8);
    expect(f.counts.drops).toBe(1);
    expect(f.caption.join(' ')).toContain('frames 4–11 of 1–25');
  });

  it('labels name kind, seq, ack, length and judgement', () => {
    const e: PlotEntry = { frame: 1, time: 0, direction: 'forward', kind: null, syn: false, fin: false, rst: false, seq: 1501, ack: 1, nextSeq: 2001, len: 500, units: 500, window: 8192, inFlight: 500, isData: true, hasAck: true, flags: ['retransmission', 'fast-retransmission'], dupAckCount: 0, rtt: null, retransmitOf: null };
    expect(segmentLabel(e, true)).toBe('seq=1501 len=500 ack=1 (fast retx)');
    expect(segmentLabel({ ...e, isData: false, seq: 0, len: 0, flags: ['dup-ack'], dupAckCount: 2 }, true)).toBe('ACK ack=1 (dup #2)');
  });
});

describe('time-sequence graph', () => {
  it('marks every data segment, colours retransmissions and places the drop at its seq', () => {
    const v = seedView('csee4119_drop1500', 'csee4119-tcp');
    const f = seqGraph(v);
    const data = v.cols.slice().filter((e) => e.direction === 'forward' && e.isData);
    expect(f.counts.marks).toBe(data.length);
    expect(f.counts.retransmissions).toBe(data.filter((e) => e.flags.includes('retransmission')).length);
    expect(count(f.svg, /class="mark retransmission"/g)).toBe(f.counts.retransmissions);
    expect(f.svg).toContain('lost seq 1501');
    expect(f.svg).toContain('gap: 500 bytes missing');
    expect(f.svg).toContain('fast retransmission (dup ACKs)');
  });

  it('annotates the Go-Back-N timeout with the idle time', () => {
    const f = seqGraph(seedView('sock352_gbn_drop3', 'sock352'));
    expect(f.svg).toMatch(/timeout: resent after 0\.20\d s idle/);
  });

  it('without a window in the segments, draws the scenario window or says why not', () => {
    const v = seedView('ariel_package_drop4', 'ariel-package');
    expect(seqGraph(v).caption.join(' ')).toContain('No window line');
    expect(seqGraph(v, { window: 3 }).caption.join(' ')).not.toContain('No window line');
    expect(inflightPlot(v, { window: 3 }).svg).toContain('window 3 (scenario)');
  });
});

describe('RTT and in-flight plots', () => {
  it('one dot per Karn-valid sample', () => {
    const v = seedView('csee4119_drop1500', 'csee4119-tcp');
    const samples = v.cols.slice().filter((e) => e.direction === 'reverse' && e.rtt !== null).length;
    const f = rttPlot(v);
    expect(f.counts.samples).toBe(samples);
    expect(count(f.svg, /class="mark sample"/g)).toBe(samples);
  });

  it('in flight never drawn above what the analyzer measured', () => {
    const v = seedView('sock352_gbn_drop3', 'sock352');
    const f = inflightPlot(v);
    expect(f.counts.retransmissions).toBe(2);
    expect(f.svg).toContain('advertised window');
  });
});

describe('ranges, sampling and drops', () => {
  it('parses frame and time bounds', () => {
    expect(parseRangeBound('120')).toEqual({ frame: 120 });
    expect(parseRangeBound('0.25s')).toEqual({ time: 0.25 });
    expect(parseRangeBound('2s')).toEqual({ time: 2 });
    expect(parseRangeBound('1.5')).toEqual({ time: 1.5 });
    expect(parseRangeBound('abc')).toBeNull();
    expect(parseRangeBound('-3')).toBeNull();
  });

  it('samples a big timeline to the limit, keeping every notable entry', () => {
    const cols = new EntryColumns();
    const base: PlotEntry = { frame: 0, time: 0, direction: 'forward', kind: null, syn: false, fin: false, rst: false, seq: 0, ack: null, nextSeq: 1, len: 10, units: 1, window: null, inFlight: 1, isData: true, hasAck: false, flags: [], dupAckCount: 0, rtt: null, retransmitOf: null };
    for (let i = 0; i < 100_000; i++) cols.push({ ...base, frame: i + 1, time: i / 1000, seq: i, nextSeq: i + 1, flags: i % 997 === 0 ? ['retransmission'] : [] });
    const s = sampleIndexes(cols, 0, cols.length, 2000, (i) => cols.hasFlag(i, 'retransmission'));
    expect(s.indexes.length).toBeLessThanOrEqual(2000 + 101);
    expect(s.stride).toBeGreaterThan(1);
    for (let i = 0; i < cols.length; i += 997) expect(s.indexes).toContain(i);
    expect([...s.indexes].sort((a, b) => a - b)).toEqual(s.indexes);
    expect(rangeIndexes(cols, { from: { time: 10 }, to: { frame: 20_000 } })).toEqual([10_000, 20_000]);
    expect(cols.at(997).flags).toEqual(['retransmission']);
  });

  it('reads both sidecar shapes and places drops on the right direction', () => {
    const seed = parseDrops({ drops: [{ from: 'client', seq: '1004', kind: 'MSG', afterFrame: 2 }] }, 's.json');
    const rec = parseDrops({ drops: [{ time: 100.5, from: '10.0.0.2:9', to: '10.0.0.1:5', cls: 'ack', value: 7, kind: null, frame: null }] }, 'r.json');
    const ctx = { client: '10.0.0.1:5', server: '10.0.0.2:9', t0: 100, frameTime: (f: number) => f / 10, seqOffset: { forward: 1000n, reverse: null }, frameBefore: () => 3 };
    const [a] = resolveDrops(seed, ctx);
    expect(a).toMatchObject({ direction: 'forward', seq: 4, afterFrame: 2, time: 0.25 });
    const [b] = resolveDrops(rec, ctx);
    expect(b).toMatchObject({ direction: 'reverse', cls: 'ack', value: '7', afterFrame: 3, time: 0.5 });
    expect(() => parseDrops({ drops: 3 }, 'bad.json')).toThrow(/bad.json: drops: expected an array/);
  });

  it('formats numbers one way only', () => {
    expect(num(-0.001)).toBe('0');
    expect(num(12.345)).toBe('12.35');
    expect(num(3)).toBe('3');
  });
});
