/**
 * Ground truth about lost segments: what a recorder or fixture script wrote in the capture's
 * drops sidecar. The figures draw these as arrows ending in a cross, because a capture cannot
 * show what never reached the wire. Two sidecar shapes are read:
 * - the endpoint recorder's `<capture>.drops.json` (epoch `time`, `from`/`to` "ip:port",
 *   `cls` data|ack, `value` seq or ack, `frame` when a .pcapng shows the drop as a frame);
 * - the seed fixtures' `<name>.drops.json` (`from` client|server, raw `seq`, `afterFrame`).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Direction } from '../analyze/timeline.js';
import { InputError } from '../input_error.js';

/** One drop as the sidecar tells it, before it is placed on a connection. */
export interface RawDrop {
  /** 'client' | 'server' | an "ip:port". */
  from: string;
  /** Seconds since the epoch, when the sidecar gives it. */
  epochTime: number | null;
  /** The drop happened after this frame (seed fixtures). */
  afterFrame: number | null;
  /** A .pcapng frame that shows the dropped datagram itself. */
  frame: number | null;
  cls: 'data' | 'ack' | 'other';
  /** Seq (data) or ACK number as on the wire, as decimal text. */
  value: string | null;
  kind: string | null;
}

/** A drop placed on a connection's timeline. */
export interface DropMark {
  /** Seconds since the capture's first frame. */
  time: number;
  direction: Direction;
  cls: 'data' | 'ack' | 'other';
  /** Relative seq in the protocol's unit (data drops), or null. */
  seq: number | null;
  /** Raw value as on the wire, for labels. */
  value: string | null;
  kind: string | null;
  /** The frame the drop is drawn after (ladder order); frame number of a pcapng drop frame. */
  afterFrame: number;
  /** True when a .pcapng frame shows the dropped datagram (the figures restyle that frame). */
  inCapture: boolean;
}

/** Where a capture's sidecar may be: "run.pcap.drops.json" (recorder) or "run.drops.json" (fixtures). */
export function sidecarPaths(capture: string): string[] {
  return [`${capture}.drops.json`, capture.replace(/\.(pcapng|pcap|json|ek)$/i, '') + '.drops.json'];
}

function text(v: unknown): string | null {
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : typeof v === 'string' ? v : null;
}

/**
 * Parses a sidecar document (either shape).
 *
 * @example parseDrops({ drops: [{ from: 'client', seq: '4', kind: 'MSG', afterFrame: 10 }] }, 'x.drops.json')[0].afterFrame // 10
 */
export function parseDrops(doc: unknown, file: string): RawDrop[] {
  const list = (doc as { drops?: unknown })?.drops;
  if (!Array.isArray(list)) throw new InputError(file, 'drops: expected an array');
  return list.map((d: Record<string, unknown>, i) => {
    if (typeof d !== 'object' || d === null || typeof d.from !== 'string') throw new InputError(file, `drops[${i}].from: expected a string`);
    const cls = d.cls === 'ack' ? 'ack' : d.cls === undefined || d.cls === 'data' ? 'data' : 'other';
    return {
      from: d.from,
      epochTime: typeof d.time === 'number' ? d.time : null,
      afterFrame: typeof d.afterFrame === 'number' ? d.afterFrame : null,
      frame: typeof d.frame === 'number' ? d.frame : null,
      cls,
      value: text(d.value !== undefined ? d.value : d.seq),
      kind: typeof d.kind === 'string' ? d.kind : null,
    };
  });
}

/**
 * Reads the capture's sidecar, or returns [] when there is none.
 *
 * @example readDropSidecar('fixtures/seeds/sock352_gbn_drop3.pcap').length // 1
 */
export function readDropSidecar(capture: string): RawDrop[] {
  for (const p of sidecarPaths(capture)) {
    if (!existsSync(p)) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(p, 'utf8'));
    } catch (e) {
      throw new InputError(p, `not JSON: ${(e as Error).message}`);
    }
    return parseDrops(doc, p);
  }
  return [];
}

export interface DropContext {
  client: string;
  server: string;
  /** Epoch seconds of the capture's first frame. */
  t0: number;
  /** Relative time of a frame (for afterFrame), or undefined when unknown. */
  frameTime: (frame: number) => number | undefined;
  /** Raw seq − relative seq per direction, or null when unknown. */
  seqOffset: Record<Direction, bigint | null>;
  /** Frame after which a drop at `time` happened (the last frame at or before it). */
  frameBefore: (time: number) => number;
}

/**
 * Places sidecar drops on one connection; drops of other connections are left out.
 *
 * @example resolveDrops(raw, ctx).map((d) => d.seq) // [3]
 */
export function resolveDrops(raw: RawDrop[], ctx: DropContext): DropMark[] {
  const out: DropMark[] = [];
  for (const d of raw) {
    const direction: Direction | null = d.from === 'client' || d.from === ctx.client ? 'forward'
      : d.from === 'server' || d.from === ctx.server ? 'reverse' : null;
    if (direction === null) continue;
    let time: number | undefined;
    let after: number;
    if (d.epochTime !== null) {
      time = d.epochTime - ctx.t0;
      after = d.frame ?? ctx.frameBefore(time);
    } else if (d.afterFrame !== null) {
      after = d.afterFrame;
      // Halfway between the frame before and the frame after, for lack of a clock reading.
      const t1 = ctx.frameTime(after);
      const t2 = ctx.frameTime(after + 1);
      time = t1 === undefined ? t2 : t2 === undefined ? t1 : (t1 + t2) / 2;
    } else {
      continue;
    }
    if (time === undefined) continue;
    const off = ctx.seqOffset[direction];
    let seq: number | null = null;
    if (d.cls === 'data' && d.value !== null && off !== null && /^-?\d+$/.test(d.value)) seq = Number(BigInt(d.value) - off);
    out.push({ time, direction, cls: d.cls, seq, value: d.value, kind: d.kind, afterFrame: after, inCapture: d.frame !== null });
  }
  return out.sort((a, b) => a.time - b.time || a.afterFrame - b.afterFrame);
}
