/**
 * What the analyzer remembers about one direction of a connection: the sequence space (base,
 * highest next seq), the last ACK/window it sent (for duplicate-ACK and window rules), its
 * outstanding segments and its running statistics. Field names follow tshark's
 * tcp_analyze_seq_info (nextseq, maxseqtobeacked, lastack, dupacknum) so the rules in
 * RULES.md read against packet-tcp.c line by line.
 */
import type { RtoLimits } from './rtt_estimator.js';
import { RttEstimator } from './rtt_estimator.js';
import { SeqUnwrapper } from './seq_unwrap.js';
import type { DirectionStats } from './timeline.js';
import { UnackedSegments } from './unacked_segments.js';

/** Window scale state, as tshark's win_scale: -1 unknown (no SYN seen), -2 not used, else the shift. */
export const WS_UNKNOWN = -1;
export const WS_NONE = -2;

export class DirectionState {
  readonly seq: SeqUnwrapper;
  readonly unacked: UnackedSegments;
  readonly rtt: RttEstimator;

  /** Highest relative next seq sent (tshark nextseq), when hasNext; and when/where it was set. */
  hasNext = false;
  next = 0;
  nextTime = 0;
  nextFrame = 0;
  /** Highest contiguous next seq that the peer may acknowledge (tshark maxseqtobeacked). */
  hasMaxToAck = false;
  maxToAck = 0;
  /** One past the highest seq of a control message that occupies no sequence space (packet protocols). */
  controlNext = -Infinity;
  /** First relative seq of this direction's sequence space (0 after a SYN, else 1). */
  firstSeq = 1;

  /** Last window advertised (scaled), null before any; whether a non-zero one was ever seen. */
  window: number | null = null;
  windowMeaningful = false;
  winScale = WS_UNKNOWN;
  /** Last ACK sent (relative to the peer's space, as next expected), when hasLastAck. */
  hasLastAck = false;
  lastAck = 0;
  /** Highest ACK sent: the peer's data acknowledged so far. */
  highestAck = 0;
  /** Time of the last segment sent in this direction (tshark lastacktime). */
  lastTime = 0;
  dupAckNum = 0;
  lastNonDupAck = 0;
  /** The previous segment was a keep-alive / zero-window probe (tshark lastsegmentflags). */
  lastKeepAlive = false;
  lastZeroWindowProbe = false;

  // Statistics.
  packets = 0;
  bytes = 0;
  dataPackets = 0;
  uniqueUnits = 0;
  uniqueBytes = 0;
  retransmittedPackets = 0;
  retransmittedBytes = 0;
  fastRetransmissions = 0;
  spuriousRetransmissions = 0;
  outOfOrder = 0;
  gaps = 0;
  dupAcks = 0;
  zeroWindows = 0;
  maxInFlight = 0;
  inFlightSum = 0;
  firstFrame = 0;
  lastFrame = 0;
  firstTime = 0;
  lastSegTime = 0;
  firstDataTime = -1;
  lastDataTime = -1;
  finNext = -1;
  finFrame = 0;

  constructor(readonly src: string, readonly dst: string, seqBits: number, limits: RtoLimits) {
    this.seq = new SeqUnwrapper(seqBits);
    this.unacked = new UnackedSegments();
    this.rtt = new RttEstimator(limits);
  }

  /** Counts one segment in the per-direction statistics. */
  count(frame: number, time: number, bytes: number): void {
    if (this.packets === 0) { this.firstFrame = frame; this.firstTime = time; }
    this.packets++;
    this.bytes += bytes;
    this.lastFrame = frame;
    this.lastSegTime = time;
  }

  /**
   * The statistics record of this direction.
   *
   * @example conn.forward.stats().retransmittedPackets
   */
  stats(): DirectionStats {
    const span = this.lastDataTime - this.firstDataTime;
    return {
      src: this.src,
      dst: this.dst,
      packets: this.packets,
      bytes: this.bytes,
      dataPackets: this.dataPackets,
      uniqueUnits: this.uniqueUnits,
      uniqueBytes: this.uniqueBytes,
      retransmittedPackets: this.retransmittedPackets,
      retransmittedBytes: this.retransmittedBytes,
      fastRetransmissions: this.fastRetransmissions,
      spuriousRetransmissions: this.spuriousRetransmissions,
      outOfOrder: this.outOfOrder,
      gaps: this.gaps,
      dupAcks: this.dupAcks,
      zeroWindows: this.zeroWindows,
      rtt: this.rtt.stats(),
      rtoEstimate: this.rtt.rto(),
      maxInFlight: this.maxInFlight,
      avgInFlight: this.dataPackets ? this.inFlightSum / this.dataPackets : 0,
      goodput: this.dataPackets > 0 && span > 0 ? this.uniqueBytes / span : null,
      duration: this.packets ? this.lastSegTime - this.firstTime : 0,
      firstFrame: this.firstFrame,
      lastFrame: this.lastFrame,
      windowScale: this.winScale >= 0 ? this.winScale : null,
    };
  }
}
