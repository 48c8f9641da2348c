/**
 * The segments one direction sent that its peer has not acknowledged yet, in sequence order:
 * what RTT sampling (Karn's rule) and "retransmission of frame N" need. It holds outstanding
 * data only, so memory follows the window, not the capture; a peer whose ACKs are not captured
 * (one-way captures, asymmetric routes) caps it at `limit` entries, oldest dropped. The default
 * is tshark's TCP_MAX_UNACKED_SEGMENTS (10 000); tshark stops adding instead, which only
 * differs for RTT samples and "retransmission of" frames once 10 000 segments are unacknowledged.
 */

const INITIAL_CAPACITY = 64;

export class UnackedSegments {
  // Parallel typed arrays used as [head, tail): appends and ACK pops allocate nothing, the
  // storage grows by doubling up to the limit and is reused once ACKs free its front, so a
  // long capture holds no more than its largest unacknowledged window.
  private seq = new Float64Array(INITIAL_CAPACITY);
  private next = new Float64Array(INITIAL_CAPACITY);
  private time = new Float64Array(INITIAL_CAPACITY);
  private frame = new Float64Array(INITIAL_CAPACITY);
  private retx = new Uint8Array(INITIAL_CAPACITY);
  private head = 0;
  private tail = 0;

  constructor(private readonly limit = 10_000) {}

  get size(): number { return this.tail - this.head; }

  /**
   * Records a first transmission of [seq, next).
   *
   * @example q.add(0, 1460, 0.5, 7)
   */
  add(seq: number, next: number, time: number, frame: number): void {
    if (this.tail - this.head >= this.limit) this.head++; // the oldest goes (see above)
    if (this.tail === this.seq.length) this.makeRoom();
    let i = this.tail;
    if (i > this.head && seq < this.seq[i - 1]) {
      // Out of order (a hole filled late): keep the list sorted by seq.
      while (i > this.head && this.seq[i - 1] > seq) i--;
      this.shiftRight(i);
    }
    this.seq[i] = seq; this.next[i] = next; this.time[i] = time; this.frame[i] = frame; this.retx[i] = 0;
    this.tail++;
  }

  /**
   * Frees a slot at the end: moves the live part to the front when it fills at most half the
   * storage (so at least half the storage was appended since the last move: O(1) amortised),
   * else doubles the storage. Live entries never exceed the limit, so neither does the
   * storage exceed four times the limit.
   */
  private makeRoom(): void {
    const live = this.tail - this.head;
    const cap = this.seq.length;
    if (live <= cap / 2) {
      for (const a of [this.seq, this.next, this.time, this.frame, this.retx]) a.copyWithin(0, this.head, this.tail);
    } else {
      const grow = <A extends Float64Array | Uint8Array>(a: A, b: A): A => { b.set(a.subarray(this.head, this.tail)); return b; };
      this.seq = grow(this.seq, new Float64Array(cap * 2));
      this.next = grow(this.next, new Float64Array(cap * 2));
      this.time = grow(this.time, new Float64Array(cap * 2));
      this.frame = grow(this.frame, new Float64Array(cap * 2));
      this.retx = grow(this.retx, new Uint8Array(cap * 2));
    }
    this.head = 0;
    this.tail = live;
  }

  /** Opens slot i by moving [i, tail) one to the right (the caller made room for one more). */
  private shiftRight(i: number): void {
    for (const a of [this.seq, this.next, this.time, this.frame, this.retx]) a.copyWithin(i + 1, i, this.tail);
  }

  /** True when some held segment covers relative seq `s`. */
  covers(s: number): boolean {
    return this.indexOf(s) >= 0;
  }

  private indexOf(s: number): number {
    // Binary search for the last segment starting at or before s.
    let lo = this.head, hi = this.tail - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq[mid] <= s) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at >= 0 && s < this.next[at] ? at : -1;
  }

  /**
   * Marks every held segment overlapping [seq, next) as retransmitted (no RTT sample from it,
   * Karn's rule) and returns the frame of the first transmission of `seq`, or 0 when unknown.
   */
  markRetransmitted(seq: number, next: number): number {
    const at = this.indexOf(seq);
    const first = at >= 0 ? this.frame[at] : 0;
    for (let i = at >= 0 ? at : this.head; i < this.tail && this.seq[i] < next; i++) {
      if (this.next[i] > seq) this.retx[i] = 1;
    }
    return first;
  }

  /**
   * Drops what cumulative ACK `ack` covers. Returns the Karn-valid RTT sample (seconds) from the
   * newest fully acknowledged segment, or -1; its frame goes to `sampleFrame[0]`.
   */
  ack(ack: number, now: number, sampleFrame: number[]): number {
    let sample = -1;
    while (this.head < this.tail && this.next[this.head] <= ack) {
      const h = this.head;
      sample = this.retx[h] === 1 ? -1 : now - this.time[h];
      sampleFrame[0] = this.frame[h];
      this.head++;
    }
    if (this.head === this.tail) { this.head = 0; this.tail = 0; } // empty: start over at the front
    else if (this.seq[this.head] < ack) this.seq[this.head] = ack; // partly acknowledged
    return sample;
  }
}
