/**
 * RFC 6298 round-trip estimation, as csee4119-tcp asks: SRTT and RTTVAR with α = 1/8 and
 * β = 1/4, RTO = SRTT + 4·RTTVAR, doubled on every timeout (backoff) until a new sample.
 */
export class RttEstimator {
  srtt: number | null = null;
  rttvar = 0;
  /** The smallest sample seen: no answer to a resend can come sooner. */
  minRtt = Infinity;
  private backoff = 1;

  /**
   * @example
   * const rtt = new RttEstimator(1, 0.01, 60); rtt.sample(0.1); rtt.rto // 0.3
   */
  constructor(private readonly initial: number, private min: number, private readonly max: number) {}

  /** The RTO's lower bound now (it may have been raised). */
  get floor(): number { return this.min; }

  /**
   * A timeout proved spurious (Eifel, RFC 3522): the path is slower to answer than the floor
   * allows at times (a paused event loop), so the floor doubles, up to `cap`.
   */
  raiseFloor(cap: number): void {
    this.min = Math.min(Math.max(cap, this.min), this.min * 2);
  }

  /** A fresh measurement (only from segments never retransmitted: Karn's rule). */
  sample(r: number): void {
    if (r < this.minRtt) this.minRtt = r;
    if (this.srtt === null) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.backoff = 1;
  }

  /** New data was acknowledged: the path works again, so the backoff ends even without a sample. */
  progressed(): void {
    this.backoff = 1;
  }

  /** Called when the retransmission timer fires. */
  timedOut(): void {
    this.backoff = Math.min(this.backoff * 2, 1 << 16);
  }

  get rto(): number {
    const base = this.srtt === null ? this.initial : this.srtt + 4 * this.rttvar;
    return Math.min(this.max, Math.max(this.min, base) * this.backoff);
  }
}
