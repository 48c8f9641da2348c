/**
 * The retransmission timeout a sender may be running at a given moment. A fixed timer for every
 * policy but TCP-like, whose RTO (RFC 6298) grows above the scenario's minimum with the RTT the
 * analyzer measured (Karn's rule) from the data direction's ACKs before that moment.
 */
import { RttEstimator } from '../analyze/rtt_estimator.js';
import type { TransferView } from './transfer_view.js';

/**
 * @example rtoAt(view, 3.2) // 1 (the scenario's timeout), or more for a TCP-like sender on a slow path
 */
export function rtoAt(view: TransferView, time: number): number {
  const timeout = view.scenario.timeout ?? 0;
  if (!view.model.backoff) return timeout;
  const est = new RttEstimator({ initialRto: timeout, minRto: timeout, maxRto: Math.max(60, timeout) });
  for (const a of view.acks) {
    if (a.time > time) break;
    if (a.entry.rtt !== null) est.add(a.entry.rtt);
  }
  return est.rto() ?? timeout;
}
