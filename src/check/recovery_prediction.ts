/**
 * What the policy predicts for the injected drops: for each dropped data segment, that it must
 * be retransmitted, by which triggers and from when; for each lost ACK, whether a later
 * cumulative ACK covers it before any trigger fires (no resend) or not (a resend is required).
 * Pure: the prediction reads only the sender's sends and the ACKs that reached it.
 */
import type { Trigger } from './policy_model.js';
import { rtoAt } from './rto_estimate.js';
import { ackedBy, sentEndBefore, slack, type TransferView } from './transfer_view.js';

export interface TriggerTime {
  trigger: Trigger;
  /** Earliest time (seconds from the capture start) the trigger allows the resend. */
  at: number;
  /** Latest time it fires under any reading of the policy (timers restarted by ACKs). */
  latest: number;
}

export interface DropPrediction {
  what: 'data' | 'ack';
  seq: number;
  /** 'may-retransmit': the covering ACK came between the earliest and latest trigger time. */
  expect: 'retransmit' | 'no-retransmit' | 'may-retransmit';
  /** Triggers of the policy that fire for this segment, earliest first. */
  triggers: TriggerTime[];
  /** For a lost ACK: the first later ACK covering it (frame and time), or null. */
  coveredBy: { frame: number; time: number } | null;
  /** Index in view.txs of the transmission that was dropped (data) or acknowledged by the lost ACK. */
  txIndex: number;
  /**
   * Latest time a resend is still on time: the timer's latest expiry plus the tolerance on the
   * timeout (null when the policy or scenario has no timer). Later is a missed timer.
   */
  deadline: number | null;
}

/**
 * When each trigger of the policy would fire for the segment sent as view.txs[i], and the
 * deadline: the timer's latest expiry plus the tolerance on the timeout it ran for.
 */
function triggerTimes(view: TransferView, i: number): { triggers: TriggerTime[]; deadline: number | null } {
  const sc = view.scenario;
  const tx = view.txs[i];
  const out: TriggerTime[] = [];
  let deadline: number | null = null;
  for (const trig of view.model.triggers) {
    if (trig === 'timeout' && sc.timeout !== null) {
      // Per-segment timers expire T after the send; timers restarted by ACKs (Go-Back-N, TCP) T
      // after the segment became the oldest unACKed one. Between the two, either is correct.
      // A TCP-like RTO may have grown above the minimum with the RTT measured so far.
      const oldest = view.acks.find((a) => a.ack >= tx.seq && a.time >= tx.time);
      const since = oldest && oldest.ack === tx.seq ? oldest.time : tx.time;
      const rto = rtoAt(view, since);
      out.push({ trigger: 'timeout', at: tx.time + sc.timeout, latest: since + rto });
      deadline = since + rto + slack(sc, rto);
    }
    if (trig === 'dup-acks') {
      const dups = view.acks.filter((a) => a.ack === tx.seq && a.time >= tx.time && a.entry.flags.includes('dup-ack'));
      const nth = dups[sc.dupAckThreshold - 1];
      if (nth) out.push({ trigger: 'dup-acks', at: nth.time, latest: nth.time });
    }
    if (trig === 'window' && sc.window !== null) {
      // The sender's next send after this package became the oldest unACKed one with the
      // window full: that is when "pos > last ACKed + window" stops new data.
      for (let j = i + 1; j < view.txs.length; j++) {
        const una = ackedBy(view, view.txs[j - 1].time);
        if (una > tx.seq) break;
        if ((una === tx.seq || una === -Infinity) && sentEndBefore(view, j) - tx.seq >= sc.window) {
          out.push({ trigger: 'window', at: view.txs[j].time, latest: view.txs[j].time });
          break;
        }
      }
    }
  }
  return { triggers: out.sort((a, b) => a.at - b.at), deadline };
}

/**
 * @example predictRecovery(view) // [{ what: 'data', seq: 4, expect: 'retransmit', triggers: [{ trigger: 'window', at: 6.1 }, ...] }]
 */
export function predictRecovery(view: TransferView): DropPrediction[] {
  const out: DropPrediction[] = [];
  for (const d of view.dataDrops) {
    const i = view.txs.findIndex((t) => t.seq === d.seq && t.dropped);
    if (i < 0) continue;
    const { triggers, deadline } = triggerTimes(view, i);
    out.push({ what: 'data', seq: d.seq, expect: 'retransmit', triggers, coveredBy: null, txIndex: i, deadline });
  }
  for (const d of view.ackDrops) {
    const i = view.txs.findIndex((t) => t.seq === d.seq && !t.dropped);
    if (i < 0) continue;
    // An ACK answering a resend of the segment does not count as covering the lost one.
    const resend = view.txs.find((t, k) => k > i && t.seq === d.seq);
    const cover = view.acks.find((a) => a.ack > d.seq && a.time >= view.txs[i].time && (!resend || a.frame < (resend.frame ?? Infinity)));
    const { triggers, deadline } = triggerTimes(view, i);
    const first = triggers.length ? Math.min(...triggers.map((t) => t.at)) : Infinity;
    const last = triggers.length ? Math.min(...triggers.map((t) => t.latest)) : Infinity;
    const margin = view.scenario.def.expect.tolerance.absolute;
    let expect: DropPrediction['expect'] = 'retransmit';
    if (view.model.cumulative && cover !== undefined) {
      if (cover.time <= first + margin) expect = 'no-retransmit';
      else if (cover.time <= last + margin) expect = 'may-retransmit';
    }
    out.push({
      what: 'ack', seq: d.seq, expect, triggers,
      coveredBy: cover ? { frame: cover.frame, time: cover.time } : null, txIndex: i, deadline,
    });
  }
  return out;
}
