/** Rule teardown: both sides sent their closing message (FIN, DONE/CLOSE → DISCONNECT), and the last one was acknowledged where the protocol ACKs it. */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type RuleResult } from '../rule_result.js';

const TITLE = 'teardown completed';

/** @example teardownRule(ctx).verdict // 'PASS' */
export function teardownRule(ctx: RuleContext): RuleResult {
  if (!ctx.view.scenario.def.expect.teardown) return ruleResult('teardown', TITLE, 'N/A', 'the scenario expects no teardown');
  const entries = ctx.view.trace.entries;
  const fin = entries.find((e) => e.fin);
  if (!fin) return ruleResult('teardown', TITLE, 'FAIL', 'no FIN (closing message) in the capture');
  const peerFin = entries.find((e) => e.fin && e.direction !== fin.direction && e.frame >= fin.frame);
  if (!peerFin) return ruleResult('teardown', TITLE, 'FAIL', 'the peer never closed its side', [{ frame: fin.frame, time: fin.time, note: `FIN ${fin.kind ?? ''}`.trim() }]);
  const ev = [{ frame: fin.frame, time: fin.time, note: fin.kind ?? 'FIN' }, { frame: peerFin.frame, time: peerFin.time, note: peerFin.kind ?? 'FIN' }];
  const lastFin = [...entries].reverse().find((e) => e.fin)!;
  const closer = lastFin.direction === 'forward' ? 'reverse' : 'forward';
  const closerAcks = entries.some((e) => e.direction === closer && e.hasAck && !e.fin && !e.syn);
  if (closerAcks && lastFin.seq !== null) {
    // An ACK past the FIN's own number (the analyzer gives packet protocols' FIN no sequence space).
    const ack = entries.find((e) => e.frame > lastFin.frame && e.direction === closer && e.ack !== null && e.ack > lastFin.seq!);
    if (!ack) return ruleResult('teardown', TITLE, 'FAIL', `the last FIN (frame ${lastFin.frame}) was never acknowledged`, ev);
    ev.push({ frame: ack.frame, time: ack.time, note: 'ACK of the last FIN' });
  }
  return ruleResult('teardown', TITLE, 'PASS', `frames ${ev.map((e) => e.frame).join(', ')}`, ev);
}
