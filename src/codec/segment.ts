/**
 * A decoded segment: the dissector's fields plus what its roles mean (seq, ack, window,
 * control flags), which is all analysis and the endpoint need to know about any protocol.
 */
import type { FieldValue } from './field_io.js';

export type ChecksumStatus = 'ok' | 'bad' | 'none';

/** Sequence-like numbers: numbers while exact, bigint beyond 2^53 (64-bit sock352). */
export type SeqNumber = number | bigint;

export interface Segment {
  /** Field values by the dissector's field names. */
  fields: Record<string, FieldValue>;
  /** Header bytes (fixed header plus options when a headerLength role says so). */
  headerLength: number;
  /** Bytes between the fixed header and headerLength (TCP options), or null. */
  options: Uint8Array | null;
  /** Payload position relative to the decoded buffer range, and its length. */
  payloadOffset: number;
  payloadLength: number;
  /** Names of the flag bits that are set, over every field that declares flags. */
  flags: string[];
  /** The message kind (kind role: enum name or text), or null. */
  kind: string | null;
  seq: SeqNumber | null;
  ack: SeqNumber | null;
  window: number | null;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  /** The ack role is meaningful in this segment. */
  hasAck: boolean;
  /** The segment carries application data. */
  isData: boolean;
  checksum: ChecksumStatus;
  /** 'truncated', 'trailing-bytes', 'unknown-kind', 'misframed', 'bad-header-length', ... */
  warnings: string[];
  /** Parameter values the segment was decoded with (e.g. {N: 10}). */
  params: Record<string, number>;
}
