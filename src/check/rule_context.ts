/**
 * What the rules share: the transfer view, the policy's predictions for the injected drops, and
 * which retransmission answers which prediction (so each retransmission is judged by exactly
 * one rule: an injected drop's recovery by drops-retransmitted, a resend caused by a lost ACK by
 * lost-acks-covered, every other one by no-spurious-retransmissions).
 */
import { predictRecovery, type DropPrediction } from './recovery_prediction.js';
import { judgeRetransmission, type Judgement } from './retransmission_judge.js';
import type { TransferView } from './transfer_view.js';

export interface RuleContext {
  view: TransferView;
  predictions: DropPrediction[];
  /** For each prediction (same index): the indexes in view.txs of the retransmissions answering it. */
  answers: number[][];
  /** Retransmission indexes claimed by a prediction. */
  claimed: Set<number>;
  judge(index: number): Judgement;
}

/**
 * @example const ctx = ruleContext(transferView(trace, scenario)); ctx.predictions.length
 */
export function ruleContext(view: TransferView): RuleContext {
  const predictions = predictRecovery(view);
  const claimed = new Set<number>();
  const answers = predictions.map((p) => {
    const later: number[] = [];
    for (let i = p.txIndex + 1; i < view.txs.length; i++) if (view.txs[i].seq === p.seq) later.push(i);
    // A dropped segment is answered by its first copy that got through (with any dropped ones
    // before it); a lost ACK by every resend it caused.
    const through = later.findIndex((i) => !view.txs[i].dropped);
    const mine = p.what === 'data' ? later.slice(0, through < 0 ? later.length : through + 1) : later;
    for (const i of mine) claimed.add(i);
    return mine;
  });
  const cache = new Map<number, Judgement>();
  return {
    view, predictions, answers, claimed,
    judge(index: number): Judgement {
      let j = cache.get(index);
      if (!j) { j = judgeRetransmission(view, index); cache.set(index, j); }
      return j;
    },
  };
}
