/**
 * Rule window: data in flight (the analyzer's in-flight after each captured send, see
 * `inFlightAt`) never exceeds the window, in segments or bytes as the scenario says.
 */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';
import { inFlightAt } from '../transfer_view.js';

const TITLE = 'in-flight never above the window';

/** @example windowRule(ctx).summary // 'max 3 in flight, window 3 segments' */
export function windowRule(ctx: RuleContext): RuleResult {
  const v = ctx.view;
  const sc = v.scenario;
  if (sc.window === null) return ruleResult('window', TITLE, 'N/A', 'no window given');
  if (!v.txs.length) return ruleResult('window', TITLE, 'N/A', 'no data sent');
  let limit = sc.window;
  let unit = 'segments';
  if (v.trace.seqUnit === 'bytes') {
    if (sc.def.params.windowUnit === 'bytes') unit = 'bytes';
    else {
      const mss = sc.def.params.mss ?? Math.max(0, ...v.txs.map((t) => t.end - t.seq));
      limit = sc.window * mss;
      unit = `bytes (${sc.window} × ${mss})`;
    }
  }
  let maxEnd = -Infinity;
  let max = 0;
  const over: Evidence[] = [];
  for (const t of v.txs) {
    maxEnd = Math.max(maxEnd, t.end);
    if (t.frame === null) continue; // a send the capture does not show: counted in the next one's
    const inFlight = inFlightAt(v, t);
    if (inFlight > max) max = inFlight;
    if (inFlight > limit) over.push({ frame: t.frame, time: t.time, note: `seq ${t.seq}: ${inFlight} in flight (acknowledged up to ${maxEnd - inFlight}) > ${limit}` });
  }
  const summary = `max ${max} in flight, window ${limit} ${unit}`;
  return ruleResult('window', TITLE, over.length ? 'FAIL' : 'PASS', summary, over);
}
