/** Rule handshake: the opening side's SYN is answered by its peer (and confirmed, where the opener ACKs). */
import type { CheckEntry } from '../check_trace.js';
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type RuleResult } from '../rule_result.js';

const TITLE = 'handshake completed';

/** @example handshakeRule(ctx).verdict // 'PASS' */
export function handshakeRule(ctx: RuleContext): RuleResult {
  if (!ctx.view.scenario.def.expect.handshake) return ruleResult('handshake', TITLE, 'N/A', 'the scenario expects no handshake');
  const entries = ctx.view.trace.entries;
  const syn = entries.find((e) => e.syn);
  if (!syn) return ruleResult('handshake', TITLE, 'FAIL', 'no SYN (opening message) in the capture');
  const ev = (e: CheckEntry, note: string) => ({ frame: e.frame, time: e.time, note });
  const reply = entries.find((e) => e.frame > syn.frame && e.direction !== syn.direction && (e.syn || e.hasAck));
  if (!reply) return ruleResult('handshake', TITLE, 'FAIL', 'the SYN was never answered', [ev(syn, `SYN ${syn.kind ?? ''}`.trim())]);
  const openerAcks = entries.some((e) => e.direction === syn.direction && e.hasAck && !e.syn);
  if (reply.syn && openerAcks) {
    const confirm = entries.find((e) => e.frame > reply.frame && e.direction === syn.direction && (e.hasAck || e.syn));
    if (!confirm) return ruleResult('handshake', TITLE, 'FAIL', "the peer's SYN was never acknowledged", [ev(syn, 'SYN'), ev(reply, 'SYN reply')]);
    return ruleResult('handshake', TITLE, 'PASS', `frames ${syn.frame}, ${reply.frame}, ${confirm.frame}`, [ev(syn, 'SYN'), ev(reply, 'reply'), ev(confirm, 'confirm')]);
  }
  if (!reply.syn && openerAcks) {
    // sock352: SYN → ACK → ACK.
    const confirm = entries.find((e) => e.frame > reply.frame && e.direction === syn.direction && (e.hasAck || e.syn));
    if (!confirm) return ruleResult('handshake', TITLE, 'FAIL', 'the opener never confirmed the reply', [ev(syn, 'SYN'), ev(reply, 'reply')]);
    return ruleResult('handshake', TITLE, 'PASS', `frames ${syn.frame}, ${reply.frame}, ${confirm.frame}`, [ev(syn, 'SYN'), ev(reply, 'reply'), ev(confirm, 'confirm')]);
  }
  return ruleResult('handshake', TITLE, 'PASS', `frames ${syn.frame}, ${reply.frame}`, [ev(syn, syn.kind ?? 'SYN'), ev(reply, reply.kind ?? 'reply')]);
}
