/**
 * Rule no-spurious-retransmissions: retransmissions that no injected drop or lost ACK explains
 * must each have an allowed trigger and must not resend acknowledged data, beyond the
 * scenario's allowance.
 */
import type { RuleContext } from '../rule_context.js';
import { UNDECLARED } from '../retransmission_judge.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'no spurious retransmissions beyond the allowance';

/** @example spuriousRule(ctx).verdict // 'PASS' */
export function spuriousRule(ctx: RuleContext): RuleResult {
  const allowance = ctx.view.scenario.def.expect.spuriousRetransmissions;
  // Under seeded random loss without a drops sidecar, losses the scenario does not list are expected.
  const randomLoss = ctx.view.scenario.def.impairments.random !== undefined;
  const spurious: Evidence[] = [];
  let others = 0;
  let undeclared = 0;
  ctx.view.txs.forEach((t, i) => {
    if (!t.resend || t.frame === null || ctx.claimed.has(i)) return;
    others++;
    const j = ctx.judge(i);
    if (j.detail === UNDECLARED && randomLoss) undeclared++;
    else if (!j.trigger) spurious.push({ frame: t.frame, time: t.time, note: `seq ${t.seq}: ${j.detail}` });
  });
  const summary = `${spurious.length} spurious of ${others} unexplained retransmissions (allowance ${allowance})`
    + (undeclared ? `; ${undeclared} after unlisted random losses` : '');
  if (spurious.length > allowance) return ruleResult('no-spurious-retransmissions', TITLE, 'FAIL', summary, spurious);
  return ruleResult('no-spurious-retransmissions', TITLE, 'PASS', summary, spurious);
}
