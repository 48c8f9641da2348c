/**
 * The decisions of one direction of an impaired path (smoltcp's FaultInjector): for each
 * datagram, whether it is dropped (and why), and otherwise which copies leave when, possibly
 * with one bit flipped. Pure apart from its seeded random state; the impair wrapper and the
 * emulator proxy both use it.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { ImpairmentSpec } from './impairment_spec.js';
import { seededRandom } from './seeded_random.js';

export type TrafficClass = 'data' | 'ack' | 'control';

export interface Classified { cls: TrafficClass; value: number | null; kind: string | null }

export interface Fate {
  /** Why the datagram is dropped ('drop-list data seq 4', 'random loss'), or null. */
  dropped: string | null;
  classified: Classified;
  /** 1-based index of this datagram among its class in this direction. */
  index: number;
  copies: Array<{ bytes: Buffer; delay: number; corrupted: boolean; reordered: boolean }>;
}

/**
 * What a datagram is, as far as drop lists care. With no dissector, every datagram of the
 * forward direction counts as data and of the reverse as ACKs (newudpl-style by index).
 *
 * @example classify(sock352, bytes, 'data') // { cls: 'data', value: 4, kind: null }
 */
export function classify(d: Dissector | null, bytes: Buffer, fallback: TrafficClass, params?: Record<string, number>): Classified {
  if (!d) return { cls: fallback, value: null, kind: null };
  try {
    const seg = d.decode(bytes, 0, bytes.length, params ? { params } : {});
    if (seg.isData) return { cls: 'data', value: seg.seq === null ? null : Number(seg.seq), kind: seg.kind };
    if (seg.hasAck && !seg.syn && !seg.fin) return { cls: 'ack', value: seg.ack === null ? null : Number(seg.ack), kind: seg.kind };
    return { cls: 'control', value: null, kind: seg.kind };
  } catch {
    return { cls: fallback, value: null, kind: null };
  }
}

export class ImpairmentChannel {
  private readonly rnd: () => number;
  private readonly dataLeft: Set<number>;
  private readonly acksLeft: Set<number>;
  private readonly counts: Record<TrafficClass, number> = { data: 0, ack: 0, control: 0 };

  /**
   * @example
   * const ch = new ImpairmentChannel({ dropData: [4, 9, 10], seed: 1 }, 0);
   * ch.decide(bytes, classify(sock352, bytes, 'data'));
   */
  constructor(private readonly spec: ImpairmentSpec, salt: number, private readonly allowCorrupt = true) {
    this.rnd = seededRandom(((spec.seed ?? 1) * 7919 + salt * 104729) >>> 0);
    this.dataLeft = new Set(spec.dropData ?? []);
    this.acksLeft = new Set(spec.dropAcks ?? []);
  }

  decide(bytes: Buffer, c: Classified): Fate {
    const s = this.spec;
    const index = ++this.counts[c.cls];
    const fate: Fate = { dropped: null, classified: c, index, copies: [] };
    const byIndex = s.dropBy === 'index';
    const list = c.cls === 'data' ? this.dataLeft : c.cls === 'ack' ? this.acksLeft : null;
    const key = byIndex ? index : c.value;
    if (list && key !== null && list.has(key)) {
      if (!byIndex) list.delete(key); // like the seed: the resend of a dropped package goes through
      fate.dropped = `drop-list ${c.cls} ${byIndex ? 'index' : c.cls === 'ack' ? 'ack' : 'seq'} ${key}`;
      return fate;
    }
    // Draw every random number for every datagram, so changing one rate keeps the others' choices.
    const rLoss = this.rnd(), rDup = this.rnd(), rReorder = this.rnd(), rCorrupt = this.rnd(), rJitter = this.rnd(), rBit = this.rnd();
    if (s.loss && rLoss < s.loss) { fate.dropped = 'random loss'; return fate; }
    const n = s.dup && rDup < s.dup ? 2 : 1;
    for (let i = 0; i < n; i++) {
      let delay = (s.delay ?? 0) + (s.jitter ?? 0) * (2 * (i === 0 ? rJitter : this.rnd()) - 1);
      const reordered = i === 0 && Boolean(s.reorder && rReorder < s.reorder);
      if (reordered) delay += reorderHold(s); // held back so later datagrams pass it
      let out = bytes;
      const corrupted = i === 0 && this.allowCorrupt && Boolean(s.corrupt && rCorrupt < s.corrupt) && bytes.length > 0;
      if (corrupted) {
        out = Buffer.from(bytes);
        const bit = Math.floor(rBit * bytes.length * 8);
        out[bit >> 3] ^= 1 << (bit & 7); // one bit: the hardest error for a checksum to miss
      }
      fate.copies.push({ bytes: out, delay: Math.max(0, delay), corrupted, reordered });
    }
    return fate;
  }
}

/** How long a reordered datagram is held back so that later ones pass it. */
function reorderHold(s: ImpairmentSpec): number {
  return Math.max(2 * (s.delay ?? 0), 0.002);
}

/**
 * The longest any copy can be held back under `s` (delay, jitter and the reorder hold): a
 * stream proxy closing its side waits this long so that nothing held is cut off.
 *
 * @example longestHold({ delay: 0.02, jitter: 0.005, reorder: 0.05 }) // 0.065
 */
export function longestHold(s: ImpairmentSpec): number {
  return (s.delay ?? 0) + (s.jitter ?? 0) + (s.reorder ? reorderHold(s) : 0);
}
