/**
 * The segments one direction sent that its peer has not acknowledged yet, in sequence order:
 * what RTT sampling (Karn's rule) and "retransmission of frame N" need. It holds outstanding
 * data only, so memory follows the window, not the capture; a peer that never ACKs is capped
 * at `limit` entries (oldest dropped), like tshark's TCP_MAX_UNACKED_SEGMENTS.
 */
export class UnackedSegments {
  // Parallel arrays with a moving head: appends and ACK pops allocate nothing per packet.
  private seq: number[] = [];
  private next: number[] = [];
  private time: number[] = [];
  private frame: number[] = [];
  private retx: boolean[] = [];
  private head = 0;

  constructor(private readonly limit = 100_000) {}

  get size(): number { return this.seq.length - this.head; }

  /**
   * Records a first transmission of [seq, next).
   *
   * @example q.add(0, 1460, 0.5, 7)
   */
  add(seq: number, next: number, time: number, frame: number): void {
    const n = this.seq.length;
    if (n > this.head && seq < this.seq[n - 1]) { this.insert(seq, next, time, frame); return; }
    this.seq.push(seq); this.next.push(next); this.time.push(time); this.frame.push(frame); this.retx.push(false);
    if (this.size > this.limit) this.head++;
    this.compact();
  }

  private insert(seq: number, next: number, time: number, frame: number): void {
    let i = this.seq.length;
    while (i > this.head && this.seq[i - 1] > seq) i--;
    this.seq.splice(i, 0, seq); this.next.splice(i, 0, next); this.time.splice(i, 0, time);
    this.frame.splice(i, 0, frame); this.retx.splice(i, 0, false);
  }

  /** True when some held segment covers relative seq `s`. */
  covers(s: number): boolean {
    return this.indexOf(s) >= 0;
  }

  private indexOf(s: number): number {
    // Binary search for the last segment starting at or before s.
    let lo = this.head, hi = this.seq.length - 1, at = -1;
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
    for (let i = at >= 0 ? at : this.head; i < this.seq.length && this.seq[i] < next; i++) {
      if (this.next[i] > seq) this.retx[i] = true;
    }
    return first;
  }

  /**
   * Drops what cumulative ACK `ack` covers. Returns the Karn-valid RTT sample (seconds) from the
   * newest fully acknowledged segment, or -1; its frame goes to `sampleFrame[0]`.
   */
  ack(ack: number, now: number, sampleFrame: number[]): number {
    let sample = -1;
    while (this.head < this.seq.length && this.next[this.head] <= ack) {
      const h = this.head;
      sample = this.retx[h] ? -1 : now - this.time[h];
      sampleFrame[0] = this.frame[h];
      this.head++;
    }
    if (this.head < this.seq.length && this.seq[this.head] < ack) this.seq[this.head] = ack; // partly acknowledged
    this.compact();
    return sample;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.seq.length) {
      this.seq = this.seq.slice(this.head); this.next = this.next.slice(this.head); this.time = this.time.slice(this.head);
      this.frame = this.frame.slice(this.head); this.retx = this.retx.slice(this.head);
      this.head = 0;
    }
  }
}
