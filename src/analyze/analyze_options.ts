/**
 * The analyzer's thresholds. Each one is an option because course labs run with delays far from
 * real TCP's (a 2 s timeout over loopback, a 0.2 s Go-Back-N timer); the defaults are
 * Wireshark's (tshark 4.0 packet-tcp.c) so plain TCP reads the same in both tools.
 */
export interface AnalyzeOptions {
  /**
   * Duplicate ACKs that make the next retransmission "fast" (Wireshark: ≥ 2 dup ACKs seen,
   * i.e. 3 identical ACKs; RFC 5681: 3 duplicates). A retransmission is fast when the peer
   * sent at least this many duplicate ACKs asking for exactly its seq. Default 2, as tshark.
   */
  dupAckThreshold: number;
  /**
   * Fast retransmission also needs the retransmission to follow the last dup ACK within this
   * many seconds (Wireshark: 20 ms). Labs with slow senders may raise it.
   */
  fastRetransmitWindow: number;
  /**
   * A segment below the highest seq sent is "out-of-order" rather than a retransmission when it
   * arrives within this many seconds of the highest one and before one RTT elapsed
   * (Wireshark: 3 ms). Lab emulators with large jitter may raise it.
   */
  outOfOrderThreshold: number;
  /**
   * Like tshark, use the connection's handshake RTT (last SYN to the first ACK without SYN)
   * as the out-of-order threshold once it is known; false: always outOfOrderThreshold.
   */
  outOfOrderUsesHandshakeRtt: boolean;
  /** RFC 6298: initial RTO, lower and upper clamp (seconds). */
  initialRto: number;
  minRto: number;
  maxRto: number;
}

/** Wireshark's defaults (and RFC 6298's 1 s minimum RTO). */
export const DEFAULT_ANALYZE_OPTIONS: Readonly<AnalyzeOptions> = Object.freeze({
  dupAckThreshold: 2,
  fastRetransmitWindow: 0.02,
  outOfOrderThreshold: 0.003,
  outOfOrderUsesHandshakeRtt: true,
  initialRto: 1,
  minRto: 1,
  maxRto: 60,
});

/**
 * Fills in defaults and rejects nonsense.
 *
 * @example analyzeOptions({ outOfOrderThreshold: 0.05 }).dupAckThreshold // 2
 */
export function analyzeOptions(o: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  const out = { ...DEFAULT_ANALYZE_OPTIONS, ...o };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'boolean') continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`analyze option ${k}: ${v} is not a non-negative number`);
  }
  if (!Number.isInteger(out.dupAckThreshold) || out.dupAckThreshold < 1) throw new RangeError(`analyze option dupAckThreshold: ${out.dupAckThreshold} is not a positive integer`);
  return out;
}
