/**
 * The analyzer's output vocabulary: one TimelineEntry per decoded segment (streamed), one
 * ConnectionSummary per connection (at the end). Sequence and ACK numbers are relative to each
 * direction's initial sequence number and counted in the protocol's unit (bytes or packets), so
 * the same checks read TCP, sock352, CSEE4119 and the Package protocol alike.
 * The rules behind each flag are in RULES.md; the options and their defaults in analyze_options.ts.
 */
import type { SeqNumber } from '../codec/segment.js';

/**
 * The named judgements about one segment (after Wireshark's tcp.analysis.*):
 * - retransmission: data the sender already sent (a sequence range below its highest seq).
 * - fast-retransmission: a retransmission after ≥ dupAckThreshold duplicate ACKs asking for it.
 * - spurious-retransmission: a retransmission of data the receiver had already acknowledged.
 * - out-of-order: data below the highest seq sent, arriving soon after it (ooo threshold).
 * - gap: data starting above the next expected seq: the segment(s) before it were not captured.
 * - dup-ack: same ACK, window and no data as the previous segment in that direction.
 * - ack-unseen: an ACK beyond any data seen from the peer.
 * - window-full: this data fills the peer's advertised window exactly.
 * - zero-window: the segment advertises a window of zero.
 * - checksum-bad: the dissector's checksum does not verify.
 * - keep-alive: a 0/1-byte segment at next seq - 1 (TCP keep-alive probe).
 * - window-update: no data, same seq and ACK as the sender's previous segment, a new non-zero window.
 * - reused-ports: opens a new connection on the address/port pair of an earlier one.
 */
export type AnalysisFlag =
  | 'retransmission'
  | 'fast-retransmission'
  | 'spurious-retransmission'
  | 'out-of-order'
  | 'gap'
  | 'dup-ack'
  | 'ack-unseen'
  | 'window-full'
  | 'zero-window'
  | 'checksum-bad'
  | 'keep-alive'
  | 'window-update'
  | 'reused-ports';

export const ANALYSIS_FLAGS: readonly AnalysisFlag[] = [
  'retransmission', 'fast-retransmission', 'spurious-retransmission', 'out-of-order', 'gap',
  'dup-ack', 'ack-unseen', 'window-full', 'zero-window', 'checksum-bad', 'keep-alive', 'window-update',
  'reused-ports',
];

/**
 * 'forward': sent by the side that opened the connection (sent the first SYN, or, without a
 * SYN, the first data); 'reverse': sent by its peer.
 */
export type Direction = 'forward' | 'reverse';

/** One decoded segment, placed on its connection's timeline. */
export interface TimelineEntry {
  /** Wireshark frame number (1-based). For stream records, the frame that completed the record. */
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Seconds since the first frame of the capture. */
  time: number;
  /**
   * Connection id (1, 2, ... in order of first appearance). A conversation that reuses an earlier
   * one's address/port pair is a connection of its own (tshark's tcp.stream does the same).
   */
  connection: number;
  direction: Direction;
  /** "ip:port" of sender and receiver. */
  src: string;
  dst: string;
  /** The message kind (kind role, e.g. "MSG", "ACK", "GET_MAX"), or null. */
  kind: string | null;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  /** Seq relative to this direction's initial seq, in the protocol's unit; null without a seq role. */
  seq: number | null;
  /**
   * ACK as the next expected seq of the peer's direction, relative to the peer's initial seq
   * (a "last-received" ACK n is shown as n + 1); null when the segment carries no ACK.
   */
  ack: number | null;
  /** Seq and ACK exactly as on the wire. */
  rawSeq: SeqNumber | null;
  rawAck: SeqNumber | null;
  /** Relative seq after this segment (seq + units, SYN/FIN counted where they consume seq). */
  nextSeq: number | null;
  /** Payload bytes. */
  len: number;
  /** Sequence units this segment occupies: len for byte protocols, 1 per data segment for packet protocols. */
  units: number;
  /** Advertised window (scaled for TCP once both SYNs carried window scale), or null. */
  window: number | null;
  /** Data sent in this direction and not yet acknowledged by the peer, after this segment (protocol unit). */
  inFlight: number;
  isData: boolean;
  hasAck: boolean;
  flags: AnalysisFlag[];
  /** For a dup-ack: 1 for the first duplicate, 2 for the second, ...; else 0. */
  dupAckCount: number;
  /** For a dup-ack: the frame of the original ACK it repeats; else null. */
  dupAckOf: number | null;
  /** For a retransmission: frame of the first transmission of this seq, when captured; else null. */
  retransmitOf: number | null;
  /** For an ACK yielding a Karn-valid RTT sample: seconds since the acknowledged segment; else null. */
  rtt: number | null;
  /** For that sample: the frame of the acknowledged segment; else null. */
  rttFrame: number | null;
  /** SACK blocks as relative [left, right) pairs of the peer's seq space (TCP), or null. */
  sack: number[] | null;
  checksum: 'ok' | 'bad' | 'none';
  /** Decoder warnings ('truncated', 'misframed', 'snaplen', ...). */
  warnings: string[];
}

/** 'complete' SYN → SYN-ACK → ACK seen; 'syn-only', 'syn-ack' partial; 'reset' refused; 'not-seen' (capture started mid-connection). */
export type HandshakeOutcome = 'complete' | 'syn-only' | 'syn-ack' | 'reset' | 'not-seen';
/** 'closed' both FINs acknowledged; 'fin-both' both FINs, last not acked; 'half-closed' one FIN; 'reset'; 'open' (none). */
export type TeardownOutcome = 'closed' | 'fin-both' | 'half-closed' | 'reset' | 'open';

export interface RttStats {
  samples: number;
  /** Seconds; null when there are no samples. */
  min: number | null;
  avg: number | null;
  max: number | null;
  stdev: number | null;
}

/** What one side of a connection sent, and what the other side made of it. */
export interface DirectionStats {
  /** Sender and receiver "ip:port". */
  src: string;
  dst: string;
  /** Segments sent in this direction (data, control and ACKs). */
  packets: number;
  /** Payload bytes sent, retransmissions included. */
  bytes: number;
  /** Segments carrying data. */
  dataPackets: number;
  /** Distinct sequence units carried (bytes for byte protocols, packets for packet protocols). */
  uniqueUnits: number;
  /** Payload bytes of first transmissions (equal to uniqueUnits for byte protocols). */
  uniqueBytes: number;
  retransmittedPackets: number;
  retransmittedBytes: number;
  fastRetransmissions: number;
  spuriousRetransmissions: number;
  outOfOrder: number;
  gaps: number;
  /** Duplicate ACKs sent in this direction (they ask the peer for data). */
  dupAcks: number;
  zeroWindows: number;
  /** RTT of data sent in this direction, measured by the peer's ACKs (Karn's rule). */
  rtt: RttStats;
  /** RFC 6298 RTO after the last sample (seconds, clamped to [minRto, maxRto]); null without samples. */
  rtoEstimate: number | null;
  /** In flight (protocol unit): maximum, and mean over this direction's data segments. */
  maxInFlight: number;
  avgInFlight: number;
  /** Unique payload bytes per second between this direction's first and last data segment. */
  goodput: number | null;
  /** Seconds between this direction's first and last segment. */
  duration: number;
  /** Frame numbers of this direction's first and last segment (0 when it sent nothing). */
  firstFrame: number;
  lastFrame: number;
  /** Window scale shift in force (TCP), or null. */
  windowScale: number | null;
}

export interface ConnectionSummary {
  id: number;
  /**
   * The decode pipeline's connection key: "udp 10.0.0.1:5000 10.0.0.2:6000" (sorted ends), then
   * " #2", " #3"… for later conversations on the same pair (reused ports).
   */
  key: string;
  transport: 'udp' | 'tcp';
  dissector: string;
  seqUnit: 'bytes' | 'packets';
  /** Opening side (sent the first SYN or, without one, the first data) and its peer. */
  client: string;
  server: string;
  handshake: HandshakeOutcome;
  teardown: TeardownOutcome;
  firstFrame: number;
  lastFrame: number;
  /** Seconds between the connection's first and last segment. */
  duration: number;
  forward: DirectionStats;
  reverse: DirectionStats;
}
