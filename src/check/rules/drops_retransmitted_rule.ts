/**
 * Rule drops-retransmitted: every injected data drop (and every lost ACK no cumulative ACK
 * covered in time) was retransmitted, by a trigger the policy allows, not before its timer
 * (minus the tolerance) unless another trigger allowed it, and not after its timer expired
 * (plus the tolerance: timeout × (1 + relative) + absolute).
 */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, secs, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'every injected drop retransmitted by an allowed trigger';

/** @example dropsRetransmittedRule(ctx).summary // '3 drops, each retransmitted: 4 by window, 9 by window, 10 by window' */
export function dropsRetransmittedRule(ctx: RuleContext): RuleResult {
  const required = ctx.predictions.map((p, i) => ({ p, i })).filter(({ p }) => p.expect === 'retransmit');
  if (!required.length) return ruleResult('drops-retransmitted', TITLE, 'N/A', 'no injected drop requires a retransmission');
  const ev: Evidence[] = [];
  const failures: string[] = [];
  const done: string[] = [];
  for (const { p, i } of required) {
    const label = p.what === 'data' ? `data ${p.seq}` : `lost ACK of ${p.seq}`;
    const first = p.triggers[0];
    const predicted = first ? `${first.trigger} from t=${secs(first.at)}` : 'no trigger';
    const answer = ctx.answers[i].find((k) => !ctx.view.txs[k].dropped);
    if (answer === undefined) {
      failures.push(`${label} never retransmitted`);
      const tx = ctx.view.txs[p.txIndex];
      ev.push({ frame: tx.frame, time: tx.time, note: `${label}: never retransmitted (predicted: ${predicted})` });
      continue;
    }
    const tx = ctx.view.txs[answer];
    const j = ctx.judge(answer);
    // Lateness is measured from the drop's own timer, so only for the first copy after it.
    const late = p.deadline !== null && answer === ctx.answers[i][0] && tx.time > p.deadline;
    if (!j.trigger) {
      failures.push(`${label} resent too early (frame ${tx.frame})`);
      ev.push({ frame: tx.frame, time: tx.time, note: `${label}: no allowed trigger: ${j.detail} (predicted: ${predicted})` });
    } else if (late) {
      const timer = p.triggers.find((t) => t.trigger === 'timeout')!;
      failures.push(`${label} resent too late (frame ${tx.frame})`);
      ev.push({ frame: tx.frame, time: tx.time, note: `${label}: resent at t=${secs(tx.time)}, after its timer expired at t=${secs(timer.latest)} at the latest (deadline with tolerance t=${secs(p.deadline!)})` });
    } else {
      done.push(`${p.seq} by ${j.trigger}`);
      ev.push({ frame: tx.frame, time: tx.time, note: `${label}: resent by ${j.trigger} (${j.detail})` });
    }
  }
  if (failures.length) return ruleResult('drops-retransmitted', TITLE, 'FAIL', failures.join('; '), ev);
  return ruleResult('drops-retransmitted', TITLE, 'PASS', `${required.length} retransmitted: ${done.join(', ')}`, ev);
}
