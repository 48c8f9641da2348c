/**
 * The machine-readable form of a decoded segment, one JSON object per line in `decode --json`.
 * Times stay exact (epoch seconds as a decimal string with nanoseconds); 64-bit values beyond
 * 2^53 become decimal strings; bytes become hex.
 */
import type { FieldValue } from '../codec/field_io.js';
import type { DissectedSegment, OtherFrame } from './segment_stream.js';

/** "1795311000.814878328": what tshark prints as frame.time_epoch. */
export function epochString(tsSec: number, tsNsec: number): string {
  return `${tsSec}.${String(tsNsec).padStart(9, '0')}`;
}

/** A field value as JSON can carry it without losing precision. */
export function jsonValue(v: FieldValue | null | undefined): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

export interface SegmentJson {
  frame: number;
  time: string;
  src: string;
  dst: string;
  dissector: string | null;
  kind?: string | null;
  fields?: Record<string, string | number | boolean | null>;
  flags: string[];
  seq?: string | number | null;
  ack?: string | number | null;
  window?: number | null;
  payloadLength: number;
  checksum: 'ok' | 'bad' | 'none';
  warnings: string[];
}

/** @example JSON.stringify(segmentJson(s)) // {"frame":1,"time":"1795311000.814878328",...} */
export function segmentJson(s: DissectedSegment): SegmentJson {
  const seg = s.segment;
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(seg.fields)) fields[k] = jsonValue(v);
  return {
    frame: s.frame,
    time: epochString(s.tsSec, s.tsNsec),
    src: s.src,
    dst: s.dst,
    dissector: s.dissector.name,
    kind: seg.kind,
    fields,
    flags: seg.flags,
    seq: jsonValue(seg.seq) as string | number | null,
    ack: jsonValue(seg.ack) as string | number | null,
    window: seg.window,
    payloadLength: seg.payloadLength,
    checksum: seg.checksum,
    warnings: s.warnings,
  };
}

/** A frame no dissector decoded, listed so frame numbers stay complete. */
export function otherJson(o: OtherFrame): SegmentJson {
  return {
    frame: o.frame, time: epochString(o.tsSec, o.tsNsec), src: o.src ?? '', dst: o.dst ?? '', dissector: null,
    flags: [], payloadLength: 0, checksum: 'none', warnings: [o.reason],
  };
}
