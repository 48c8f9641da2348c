/**
 * What the figures read of a timeline entry, and a compact columnar store for it: a
 * million-segment capture keeps ~100 bytes per segment in typed arrays instead of a
 * ~400-byte object, so `acktrace report` on a big capture stays in memory and in seconds.
 */
import { ANALYSIS_FLAGS, type AnalysisFlag, type Direction, type TimelineEntry } from '../analyze/timeline.js';

export type PlotEntry = Pick<TimelineEntry,
  'frame' | 'time' | 'direction' | 'kind' | 'syn' | 'fin' | 'rst' | 'seq' | 'ack' | 'nextSeq' | 'len' | 'units'
  | 'window' | 'inFlight' | 'isData' | 'hasAck' | 'flags' | 'dupAckCount' | 'rtt' | 'retransmitOf'>;

const BIT = {
  reverse: 1, syn: 2, fin: 4, rst: 8, isData: 16, hasAck: 32,
} as const;
const FLAG_BIT = new Map<AnalysisFlag, number>(ANALYSIS_FLAGS.map((f, i) => [f, 1 << i]));

/**
 * The bit mask of a set of flags, for EntryColumns.hasMask.
 *
 * @example cols.hasMask(i, flagMask(['gap', 'retransmission']))
 */
export function flagMask(flags: readonly AnalysisFlag[]): number {
  let m = 0;
  for (const f of flags) m |= FLAG_BIT.get(f) ?? 0;
  return m;
}

/** NaN stands for null in the float columns. */
function n(v: number | null): number {
  return v === null ? NaN : v;
}
function back(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/**
 * Appends entries, reads them back as PlotEntry objects on demand.
 *
 * @example
 * const cols = new EntryColumns();
 * analyzeCapture(reader, { binding, onEntry: (e) => cols.push(e) });
 * cols.at(0).frame // 1
 */
export class EntryColumns {
  length = 0;
  private cap = 0;
  private f64: Record<'time' | 'seq' | 'ack' | 'nextSeq' | 'window' | 'rtt' | 'inFlight', Float64Array> = {
    time: new Float64Array(0), seq: new Float64Array(0), ack: new Float64Array(0), nextSeq: new Float64Array(0),
    window: new Float64Array(0), rtt: new Float64Array(0), inFlight: new Float64Array(0),
  };
  private u32: Record<'frame' | 'len' | 'units' | 'bits' | 'flags' | 'dup' | 'kind' | 'retx', Uint32Array> = {
    frame: new Uint32Array(0), len: new Uint32Array(0), units: new Uint32Array(0), bits: new Uint32Array(0),
    flags: new Uint32Array(0), dup: new Uint32Array(0), kind: new Uint32Array(0), retx: new Uint32Array(0),
  };
  private readonly kinds: Array<string | null> = [null];
  private readonly kindIndex = new Map<string, number>();

  private grow(): void {
    const cap = Math.max(256, this.cap * 2);
    for (const k of Object.keys(this.f64) as Array<keyof typeof this.f64>) {
      const a = new Float64Array(cap); a.set(this.f64[k]); this.f64[k] = a;
    }
    for (const k of Object.keys(this.u32) as Array<keyof typeof this.u32>) {
      const a = new Uint32Array(cap); a.set(this.u32[k]); this.u32[k] = a;
    }
    this.cap = cap;
  }

  push(e: PlotEntry): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    const f = this.f64, u = this.u32;
    f.time[i] = e.time; f.seq[i] = n(e.seq); f.ack[i] = n(e.ack); f.nextSeq[i] = n(e.nextSeq);
    f.window[i] = n(e.window); f.rtt[i] = n(e.rtt); f.inFlight[i] = e.inFlight;
    u.frame[i] = e.frame; u.len[i] = e.len; u.units[i] = e.units; u.dup[i] = e.dupAckCount;
    u.retx[i] = e.retransmitOf ?? 0;
    u.bits[i] = (e.direction === 'reverse' ? BIT.reverse : 0) | (e.syn ? BIT.syn : 0) | (e.fin ? BIT.fin : 0)
      | (e.rst ? BIT.rst : 0) | (e.isData ? BIT.isData : 0) | (e.hasAck ? BIT.hasAck : 0);
    let flags = 0;
    for (const fl of e.flags) flags |= FLAG_BIT.get(fl) ?? 0;
    u.flags[i] = flags;
    let k = 0;
    if (e.kind !== null) {
      k = this.kindIndex.get(e.kind) ?? 0;
      if (k === 0) { k = this.kinds.length; this.kinds.push(e.kind); this.kindIndex.set(e.kind, k); }
    }
    u.kind[i] = k;
  }

  time(i: number): number { return this.f64.time[i]; }
  /** Cheap single-field reads for whole-range passes (at() builds an object). */
  nextSeq(i: number): number | null { return back(this.f64.nextSeq[i]); }
  rtt(i: number): number | null { return back(this.f64.rtt[i]); }
  frame(i: number): number { return this.u32.frame[i]; }
  /** True when entry i carries any of the analysis flags given. */
  hasFlag(i: number, ...flags: AnalysisFlag[]): boolean {
    return (this.u32.flags[i] & flagMask(flags)) !== 0;
  }
  /** hasFlag for hot loops: the mask computed once with flagMask(). */
  hasMask(i: number, mask: number): boolean {
    return (this.u32.flags[i] & mask) !== 0;
  }
  direction(i: number): Direction { return this.u32.bits[i] & BIT.reverse ? 'reverse' : 'forward'; }
  isData(i: number): boolean { return (this.u32.bits[i] & BIT.isData) !== 0; }

  at(i: number): PlotEntry {
    const f = this.f64, u = this.u32, b = u.bits[i];
    const flags: AnalysisFlag[] = [];
    for (const [fl, bit] of FLAG_BIT) if (u.flags[i] & bit) flags.push(fl);
    return {
      frame: u.frame[i], time: f.time[i], direction: b & BIT.reverse ? 'reverse' : 'forward', kind: this.kinds[u.kind[i]],
      syn: (b & BIT.syn) !== 0, fin: (b & BIT.fin) !== 0, rst: (b & BIT.rst) !== 0,
      seq: back(f.seq[i]), ack: back(f.ack[i]), nextSeq: back(f.nextSeq[i]), len: u.len[i], units: u.units[i],
      window: back(f.window[i]), inFlight: f.inFlight[i], isData: (b & BIT.isData) !== 0, hasAck: (b & BIT.hasAck) !== 0,
      flags, dupAckCount: u.dup[i], rtt: back(f.rtt[i]), retransmitOf: u.retx[i] || null,
    };
  }

  /** Entries i in [from, to) as objects. */
  slice(from = 0, to = this.length): PlotEntry[] {
    const out: PlotEntry[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i));
    return out;
  }
}
