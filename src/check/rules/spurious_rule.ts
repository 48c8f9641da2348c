/**
 * Rule no-spurious-retransmissions: retransmissions that no injected drop or lost ACK explains
 * must each have an allowed trigger and must not resend acknowledged data, beyond the
 * scenario's allowance.
 */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'no spurious retransmissions beyond the allowance';

/** @example spuriousRule(ctx).verdict // 'PASS' */
export function spuriousRule(ctx: RuleContext): RuleResult {
  const allowance = ctx.view.scenario.def.expect.spuriousRetransmissions;
  const spurious: Evidence[] = [];
  let others = 0;
  ctx.view.txs.forEach((t, i) => {
    if (t.copy < 2 || t.frame === null || ctx.claimed.has(i)) return;
    others++;
    const j = ctx.judge(i);
    if (!j.trigger) spurious.push({ frame: t.frame, time: t.time, note: `seq ${t.seq}: ${j.detail}` });
  });
  const summary = `${spurious.length} spurious of ${others} unexplained retransmissions (allowance ${allowance})`;
  if (spurious.length > allowance) return ruleResult('no-spurious-retransmissions', TITLE, 'FAIL', summary, spurious);
  return ruleResult('no-spurious-retransmissions', TITLE, 'PASS', summary, spurious);
}
