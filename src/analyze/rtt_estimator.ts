/**
 * RTT samples of one direction: min/avg/max/stdev (Welford's running variance, O(1) memory)
 * and the RFC 6298 retransmission timeout estimate after the last sample.
 */
import type { RttStats } from './timeline.js';

export interface RtoLimits {
  initialRto: number;
  minRto: number;
  maxRto: number;
}

export class RttEstimator {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private srtt = 0;
  private rttvar = 0;

  constructor(private readonly limits: RtoLimits) {}

  /**
   * Adds one Karn-valid sample (seconds).
   *
   * @example const e = new RttEstimator({ initialRto: 1, minRto: 0, maxRto: 60 }); e.add(0.1); e.rto() // 0.3
   */
  add(r: number): void {
    this.n++;
    const d = r - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (r - this.mean);
    if (r < this.min) this.min = r;
    if (r > this.max) this.max = r;
    // RFC 6298 section 2: alpha = 1/8, beta = 1/4, RTTVAR updated before SRTT.
    if (this.n === 1) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
  }

  /** RFC 6298 RTO = SRTT + 4 RTTVAR clamped to [minRto, maxRto]; null before any sample. */
  rto(): number | null {
    if (this.n === 0) return null;
    const v = this.srtt + 4 * this.rttvar;
    return Math.min(this.limits.maxRto, Math.max(this.limits.minRto, v));
  }

  stats(): RttStats {
    if (this.n === 0) return { samples: 0, min: null, avg: null, max: null, stdev: null };
    return { samples: this.n, min: this.min, avg: this.mean, max: this.max, stdev: this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0 };
  }
}
