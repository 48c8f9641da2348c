/**
 * Rule record-framing: on stream protocols (records cut from a TCP byte stream), every record
 * was cut whole. A record of the wrong size shifts every later cut: that is a framing failure of
 * the sender, reported at the frames where it shows, not decoded as garbage.
 */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'record framing intact (stream protocols)';
const FRAMING_WARNINGS = ['misframed', 'gap-in-record', 'partial-record'];

/** @example framingRule(ctx).verdict // 'N/A' for datagram protocols */
export function framingRule(ctx: RuleContext): RuleResult {
  const trace = ctx.view.trace;
  if (trace.framing !== 'fixed-records') return ruleResult('record-framing', TITLE, 'N/A', 'datagram protocol: one segment per datagram');
  const bad: Evidence[] = [];
  for (const e of trace.entries) {
    const w = e.warnings.filter((x) => FRAMING_WARNINGS.includes(x));
    if (w.length) bad.push({ frame: e.frame, time: e.time, note: `${e.direction === 'forward' ? 'client' : 'server'} stream: ${w.join(', ')} record` });
  }
  const records = trace.entries.length;
  if (bad.length) return ruleResult('record-framing', TITLE, 'FAIL', `${bad.length} records cut wrongly: a record of the wrong size in the stream (first at frame ${bad[0].frame})`, bad);
  return ruleResult('record-framing', TITLE, 'PASS', `${records} records, all whole`);
}
