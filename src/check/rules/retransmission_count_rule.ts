/** Rule retransmission-count: the number of data retransmissions is within the scenario's bounds. */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type RuleResult } from '../rule_result.js';

const TITLE = 'retransmission count within bounds';

/** @example retransmissionCountRule(ctx).summary // '3 retransmissions (allowed 3..4)' */
export function retransmissionCountRule(ctx: RuleContext): RuleResult {
  const bounds = ctx.view.scenario.def.expect.retransmissions;
  if (!bounds || (bounds.min === undefined && bounds.max === undefined)) return ruleResult('retransmission-count', TITLE, 'N/A', 'no bounds given');
  const resent = ctx.view.txs.filter((t) => t.resend && t.frame !== null);
  const n = resent.length;
  const min = bounds.min ?? 0;
  const max = bounds.max ?? Infinity;
  const summary = `${n} retransmissions (allowed ${min}..${Number.isFinite(max) ? max : '∞'})`;
  const ev = resent.map((t) => ({ frame: t.frame, time: t.time, note: `seq ${t.seq}` }));
  return ruleResult('retransmission-count', TITLE, n < min || n > max ? 'FAIL' : 'PASS', summary, ev);
}
