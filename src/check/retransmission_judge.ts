/**
 * Judges one retransmission against the policy: which allowed trigger explains it (timeout,
 * duplicate ACKs, the Package window threshold, a Go-Back-N burst), or why none does (too early,
 * already acknowledged). Pure, over a TransferView.
 */
import type { Trigger } from './policy_model.js';
import { ackedBy, sentEndBefore, slack, type TransferView } from './transfer_view.js';

export interface Judgement {
  trigger: Trigger | null;
  /** Why it is allowed, or why not ("sent 0.80 s after the previous copy; timeout 2 s ..."). */
  detail: string;
}

/** A resend (the analyzer saw higher data first) whose first copy the capture lacks and the scenario does not list. */
export const UNDECLARED = 'resent, but its first copy is neither in the capture nor listed as dropped (an undeclared loss)';

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3).replace(/\.?0+$/, '') : String(x);
}

/**
 * @example judgeRetransmission(view, 12) // { trigger: 'window', detail: 'oldest unACKed ...' }
 */
export function judgeRetransmission(view: TransferView, index: number): Judgement {
  const x = view.txs[index];
  const sc = view.scenario;
  const model = view.model;
  // The previous copy: the last send covering this seq (a resend may be cut differently).
  if (!x.resend) return { trigger: null, detail: 'not a retransmission' };
  const prevIdx = findLastIndex(view, index, (t) => t.seq <= x.seq && x.seq < t.end);
  if (prevIdx < 0) return { trigger: null, detail: UNDECLARED };
  const prev = view.txs[prevIdx];
  const margin = sc.def.expect.tolerance.absolute;
  const acked = ackedBy(view, x.time, margin);
  if (acked >= x.end) return { trigger: null, detail: `seq ${x.seq} was already acknowledged (ACK ${acked} before t=${fmt(x.time)})` };
  const reasons: string[] = [];
  const gap = x.time - prev.time;
  for (const trig of model.triggers) {
    if (trig === 'timeout' && sc.timeout !== null) {
      let timeouts = 0;
      if (model.backoff && sc.def.params.rtoBackoff) {
        for (let i = 0; i < index; i++) if (view.txs[i].seq === x.seq && view.txs[i].resend && judgeKind(view, i) === 'timeout') timeouts++;
      }
      const need = sc.timeout * 2 ** timeouts;
      if (gap >= need - slack(sc, need)) return { trigger: 'timeout', detail: `${fmt(gap)} s after the previous copy${prev.frame === null ? ' (dropped, time bounded from below)' : ''}; timeout ${fmt(need)} s` };
      reasons.push(`only ${fmt(gap)} s after the previous copy (timeout ${fmt(need)} s, tolerance ${fmt(slack(sc, need))} s)`);
    }
    if (trig === 'dup-acks') {
      // The analyzer's dup-ack judgement, counting only ACKs that reached the sender.
      const dups = view.acks.filter((a) => a.ack === x.seq && a.time <= x.time && a.entry.flags.includes('dup-ack')).length;
      const firstResend = !view.txs.some((t, i) => i < index && t.seq === x.seq && t.resend);
      if (dups >= sc.dupAckThreshold && firstResend) return { trigger: 'dup-acks', detail: `${dups} duplicate ACKs for ${x.seq}` };
      reasons.push(`${dups} duplicate ACKs (need ${sc.dupAckThreshold})`);
    }
    if (trig === 'window' && sc.window !== null) {
      const una = ackedBy(view, x.time);
      const sent = sentEndBefore(view, index);
      const oldest = una === -Infinity ? Math.min(...view.txs.map((t) => t.seq)) : una;
      if (oldest === x.seq && sent - una >= sc.window) return { trigger: 'window', detail: `oldest unACKed; ${sent - una} in flight = window ${sc.window}` };
      reasons.push(oldest !== x.seq ? `not the oldest unACKed (${oldest})` : `window not full (${sent - una} in flight < ${sc.window})`);
    }
    if (trig === 'go-back-n' && index > 0) {
      const before = view.txs[index - 1];
      if (before.resend && before.end === x.seq) return { trigger: 'go-back-n', detail: `follows the retransmission of ${before.seq} in one Go-Back-N burst` };
    }
  }
  return { trigger: null, detail: reasons.join('; ') || 'no trigger of this policy applies' };
}

/** The trigger alone (used for the backoff count of earlier retransmissions). */
function judgeKind(view: TransferView, index: number): Trigger | null {
  return judgeRetransmission(view, index).trigger;
}

function findLastIndex(view: TransferView, before: number, pred: (t: TransferView['txs'][number]) => boolean): number {
  for (let i = before - 1; i >= 0; i--) if (pred(view.txs[i])) return i;
  return -1;
}
