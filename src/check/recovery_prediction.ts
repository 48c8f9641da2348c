/**
 * What the policy predicts for the injected drops: for each dropped data segment, that it must
 * be retransmitted, by which triggers and from when; for each lost ACK, whether a later
 * cumulative ACK covers it before any trigger fires (no resend) or not (a resend is required).
 * Pure: the prediction reads only the sender's sends and the ACKs that reached it.
 */
import type { Trigger } from './policy_model.js';
import { ackedBy, sentEndBefore, type TransferView } from './transfer_view.js';

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
}

/** When each trigger of the policy would fire for the segment sent as view.txs[i]. */
function triggerTimes(view: TransferView, i: number): TriggerTime[] {
  const sc = view.scenario;
  const tx = view.txs[i];
  const out: TriggerTime[] = [];
  for (const trig of view.model.triggers) {
    if (trig === 'timeout' && sc.timeout !== null) {
      // Per-segment timers expire T after the send; timers restarted by ACKs (Go-Back-N, TCP) T
      // after the segment became the oldest unACKed one. Between the two, either is correct.
      const oldest = view.acks.find((a) => a.ack >= tx.seq && a.time >= tx.time);
      const since = oldest && oldest.ack === tx.seq ? oldest.time : tx.time;
      out.push({ trigger: 'timeout', at: tx.time + sc.timeout, latest: since + sc.timeout });
    }
    if (trig === 'dup-acks') {
      const asking = view.acks.filter((a) => a.ack === tx.seq && a.time >= tx.time);
      const nth = asking[sc.dupAckThreshold];
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
  return out.sort((a, b) => a.at - b.at);
}

/**
 * @example predictRecovery(view) // [{ what: 'data', seq: 4, expect: 'retransmit', triggers: [{ trigger: 'window', at: 6.1 }, ...] }]
 */
export function predictRecovery(view: TransferView): DropPrediction[] {
  const out: DropPrediction[] = [];
  for (const d of view.dataDrops) {
    const i = view.txs.findIndex((t) => t.seq === d.seq && t.dropped);
    if (i < 0) continue;
    out.push({ what: 'data', seq: d.seq, expect: 'retransmit', triggers: triggerTimes(view, i), coveredBy: null, txIndex: i });
  }
  for (const d of view.ackDrops) {
    const i = view.txs.findIndex((t) => t.seq === d.seq && !t.dropped);
    if (i < 0) continue;
    // An ACK answering a resend of the segment does not count as covering the lost one.
    const resend = view.txs.find((t, k) => k > i && t.seq === d.seq);
    const cover = view.acks.find((a) => a.ack > d.seq && a.time >= view.txs[i].time && (!resend || a.frame < (resend.frame ?? Infinity)));
    const triggers = triggerTimes(view, i);
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
      coveredBy: cover ? { frame: cover.frame, time: cover.time } : null, txIndex: i,
    });
  }
  return out;
}
