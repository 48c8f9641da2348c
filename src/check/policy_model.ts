/**
 * The sender policies a scenario can hold a run to, as data: which events may trigger a
 * retransmission and what the receiver's ACKs mean. `predictRecovery` (recovery_prediction.ts)
 * turns a model plus the injected drops into what must (and must not) happen.
 */
import type { PolicyName } from './scenario_schema.js';

/**
 * Why a sender may send a segment again:
 * - timeout: the segment's timer (RTO, with backoff for TCP-like) expired;
 * - dup-acks: the receiver sent ≥ dupAckThreshold duplicate ACKs asking for it (fast retransmit);
 * - window: the Package rule: it is the oldest unACKed package and the next pos would exceed
 *   last ACKed + window;
 * - go-back-n: it follows, in the same burst, a justified retransmission of the segment before it.
 */
export type Trigger = 'timeout' | 'dup-acks' | 'window' | 'go-back-n';

export interface PolicyModel {
  name: PolicyName;
  triggers: readonly Trigger[];
  /** ACKs are cumulative: a later ACK covers a lost one, so a lost ACK need not cause a resend. */
  cumulative: boolean;
  /** ACK numbers never go down (the Package server re-ACKs an old duplicate with its own pos). */
  monotonicAcks: boolean;
  /** Each further timeout of the same segment waits twice as long (RFC 6298 backoff). */
  backoff: boolean;
  /** The receiver keeps out-of-order segments (SR, TCP, Package) rather than discarding them (GBN). */
  buffersOutOfOrder: boolean;
}

const MODELS: Record<PolicyName, PolicyModel> = {
  'stop-and-wait': { name: 'stop-and-wait', triggers: ['timeout'], cumulative: true, monotonicAcks: true, backoff: false, buffersOutOfOrder: false },
  'go-back-n': { name: 'go-back-n', triggers: ['timeout', 'go-back-n'], cumulative: true, monotonicAcks: true, backoff: false, buffersOutOfOrder: false },
  'selective-repeat': { name: 'selective-repeat', triggers: ['timeout'], cumulative: false, monotonicAcks: false, backoff: false, buffersOutOfOrder: true },
  'tcp-like': { name: 'tcp-like', triggers: ['timeout', 'dup-acks'], cumulative: true, monotonicAcks: true, backoff: true, buffersOutOfOrder: true },
  'package-threshold': { name: 'package-threshold', triggers: ['timeout', 'window'], cumulative: true, monotonicAcks: false, backoff: false, buffersOutOfOrder: true },
};

/**
 * @example policyModel('tcp-like').triggers // ['timeout', 'dup-acks']
 */
export function policyModel(name: PolicyName): PolicyModel {
  return MODELS[name];
}
