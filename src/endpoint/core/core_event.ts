/**
 * The sans-IO contract every protocol core follows (after smoltcp's sockets): a core is a plain
 * state machine that consumes events and returns actions. It never touches a socket, a file or
 * the clock: time comes in as `now` (seconds), so the same core runs over real sockets and over
 * the simulated wire with a virtual clock.
 */

export type CoreEvent =
  /** The transfer begins (the sender opens; the receiver starts listening). */
  | { type: 'start' }
  /** Bytes from the link: one datagram (UDP), or a chunk of the byte stream (TCP). Handed over: the core may keep them, no link reuses them. */
  | { type: 'segment'; bytes: Buffer }
  /** A timer armed earlier by this core fired. */
  | { type: 'timer'; id: string }
  /** The peer closed the stream (TCP links only). */
  | { type: 'closed' }
  /**
   * Every arrival that was waiting has been handed over (the event loop drained the socket):
   * what a core deferred to the end of a batch, such as one cumulative ACK, goes out now.
   * Sent only to cores whose `coalescing` is true.
   */
  | { type: 'drained' };

export type CoreAction =
  | { type: 'send'; bytes: Buffer }
  | { type: 'arm'; id: string; at: number }
  | { type: 'cancel'; id: string }
  /** Application bytes delivered in order (receivers only). */
  | { type: 'deliver'; bytes: Buffer }
  | { type: 'done'; ok: boolean; reason: string };

export interface CoreStats {
  /** Segments sent, including retransmissions. */
  segmentsSent: number;
  /** Segments sent again (data, handshake or teardown). */
  retransmissions: number;
  /** Application bytes delivered (receiver) or acknowledged (sender). */
  bytes: number;
  /** Arrivals ignored, by reason: 'checksum', 'malformed', 'unexpected' (wrong state or kind). */
  ignored: Record<string, number>;
  /** Retransmission timer expiries that resent something (senders): each one is time spent idle. */
  timeouts: number;
  /** Recoveries started by duplicate ACKs instead of the timer: fast retransmits, fast go-backs, probes. */
  fastRecoveries: number;
  /** Timeouts proved spurious afterwards (the ACKs of the originals arrived right after the resend: Eifel). */
  spuriousTimeouts: number;
  /** Tail-loss probes sent (sock352 with adaptiveRto): one packet resent after about 2·SRTT of silence instead of an RTO. */
  probes: number;
}

export interface ProtocolCore {
  /**
   * Feeds one event at time `now` (seconds) and returns what to do.
   *
   * @example
   * for (const a of core.handle({ type: 'start' }, clock.now())) run(a);
   */
  handle(event: CoreEvent, now: number): CoreAction[];
  readonly stats: CoreStats;
  /** True once the core returned a `done` action. */
  readonly finished: boolean;
  /** True when the core defers work to the end of a batch of arrivals and wants 'drained' events. */
  readonly coalescing?: boolean;
  /** Dissector parameters in force, when the protocol learns them (ariel-package's N). */
  readonly params?: Record<string, number>;
}

/** Parameters shared by the cores (a plain struct, separate from their mutable state). */
export interface CoreConfig {
  /** Window in segments (packets). */
  window: number;
  /** Retransmission timeout in seconds (the initial RTO for csee4119-tcp). */
  timeout: number;
  /** Payload bytes per segment (N for ariel-package). */
  mss: number;
  /** Consecutive timeouts without progress before giving up. */
  maxRetries: number;
  /** Seconds of silence from the peer after which the receiver gives up. */
  idleTimeout: number;
  /**
   * sock352 only (csee4119-tcp always estimates): the RTO follows the measured RTT (α 1/8,
   * β 1/4, Karn's rule, backoff) starting from `timeout`, instead of the fixed `timeout`.
   */
  adaptiveRto?: boolean;
  /**
   * sock352 only: resend the whole window on the third duplicate ACK instead of waiting for the
   * timer (still Go-Back-N: the receiver re-ACKs every out-of-order packet and keeps none).
   */
  fastGoBack?: boolean;
  /**
   * sock352 and csee4119-tcp receivers: in-order data that arrives in one batch (one turn of
   * the event loop) is ACKed cumulatively when the batch ends and after every
   * `COALESCED_ACK_EVERY` packets, instead of once per packet (delayed-ACK style; both
   * protocols' ACKs are cumulative). Anything out of order, old or filling a gap is still ACKed
   * at once, so duplicate ACKs signal loss as before (csee4119-tcp: the first
   * `COALESCED_DUPLICATES` duplicates of an ACK at once, then one per batch).
   * ACK numbers then skip values: a drop list of ACK numbers may name ACKs never sent.
   */
  coalesceAcks?: boolean;
}

/**
 * With coalesceAcks, in-order data is ACKed at least this often. One ACK per batch was tried:
 * a whole window then hangs on one ACK, and at 5 % loss one window in twenty stalled until the
 * sender's probe (sock352, window 12: 26 % of the run idle; with 4, 3 %).
 */
export const COALESCED_ACK_EVERY = 4;

/**
 * With coalesceAcks, csee4119-tcp sends this many duplicates of one ACK at once (enough for a
 * fast retransmit), then one per batch: a gap behind a window of 32 cost some 30 ACKs, three
 * quarters of all the receiver sent. (sock352 keeps one per packet: its sender counts them to
 * tell the old flight's duplicates from new evidence.)
 */
export const COALESCED_DUPLICATES = 3;

/** Fresh, zeroed statistics. */
export function emptyStats(): CoreStats {
  return { segmentsSent: 0, retransmissions: 0, bytes: 0, ignored: {}, timeouts: 0, fastRecoveries: 0, spuriousTimeouts: 0, probes: 0 };
}

/** Counts one ignored arrival under `reason`. */
export function countIgnored(stats: CoreStats, reason: string): void {
  stats.ignored[reason] = (stats.ignored[reason] ?? 0) + 1;
}
