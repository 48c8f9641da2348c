/**
 * Rule lost-acks-covered: under a cumulative policy, an ACK lost on the way back that a later
 * ACK covered before any trigger fired must not cause a resend.
 */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, secs, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'lost ACKs covered by a later cumulative ACK caused no resend';

/** @example lostAcksRule(ctx).summary // '2 lost ACKs covered in time, no resend' */
export function lostAcksRule(ctx: RuleContext): RuleResult {
  const lost = ctx.predictions.map((p, i) => ({ p, i })).filter(({ p }) => p.what === 'ack');
  if (!lost.length) return ruleResult('lost-acks-covered', TITLE, 'N/A', 'no ACK drops injected');
  if (!ctx.view.model.cumulative) return ruleResult('lost-acks-covered', TITLE, 'N/A', `${ctx.view.model.name} ACKs are not cumulative: every lost ACK needs a resend`);
  const ev: Evidence[] = [];
  const bad: string[] = [];
  let covered = 0;
  for (const { p, i } of lost) {
    const cover = p.coveredBy;
    if (p.expect === 'no-retransmit') {
      covered++;
      const resends = ctx.answers[i].map((k) => ctx.view.txs[k]).filter((t) => t.frame !== null);
      if (resends.length) {
        bad.push(`${p.seq} resent though ACK in frame ${cover!.frame} covered it`);
        for (const t of resends) ev.push({ frame: t.frame, time: t.time, note: `resend of ${p.seq}: its lost ACK was covered by frame ${cover!.frame} at t=${secs(cover!.time)}, before any trigger (${p.triggers.map((x) => `${x.trigger} at ${secs(x.at)}`).join(', ')})` });
      } else {
        ev.push({ frame: cover!.frame, time: cover!.time, note: `lost ACK of ${p.seq} covered here; no resend` });
      }
    } else {
      ev.push({ frame: cover?.frame ?? null, time: cover?.time ?? null, note: `lost ACK of ${p.seq} not covered before its trigger: a resend ${p.expect === 'retransmit' ? 'is required' : 'is allowed'}` });
    }
  }
  if (bad.length) return ruleResult('lost-acks-covered', TITLE, 'FAIL', bad.join('; '), ev);
  return ruleResult('lost-acks-covered', TITLE, 'PASS', `${covered} of ${lost.length} lost ACKs covered in time, none resent`, ev);
}
