/** Rule bounded-retries: no segment (data, SYN or FIN) was sent more than 1 + maxRetries times. */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'bounded retries';

/** @example retriesRule(ctx).summary // 'at most 2 sends of one segment (limit 8)' */
export function retriesRule(ctx: RuleContext): RuleResult {
  const v = ctx.view;
  const max = v.scenario.maxRetries;
  if (max === null) return ruleResult('bounded-retries', TITLE, 'N/A', 'no maxRetries given');
  const counts = new Map<string, { n: number; frames: number[] }>();
  for (const e of v.trace.entries) {
    // Data, and the control messages that are resent until answered (SYN, FIN). A SYN sent before
    // the analyzer could number its direction is told apart by its wire seq.
    if (!(e.units > 0 || e.syn || e.fin) || (e.seq === null && e.rawSeq === null)) continue;
    const key = `${e.direction} ${e.kind ?? ''} ${e.seq ?? `wire ${e.rawSeq}`}`;
    const c = counts.get(key) ?? { n: 0, frames: [] };
    c.n++;
    c.frames.push(e.frame);
    counts.set(key, c);
  }
  // Dropped transmissions the capture does not show were sends too.
  for (const t of v.txs) if (t.frame === null) {
    const key = `${v.dataDirection} ${v.txs.find((x) => x.seq === t.seq && x.entry)?.entry?.kind ?? ''} ${t.seq}`;
    const c = counts.get(key) ?? { n: 0, frames: [] };
    c.n++;
    counts.set(key, c);
  }
  let most = 0;
  const bad: Evidence[] = [];
  for (const [key, c] of counts) {
    most = Math.max(most, c.n);
    if (c.n > max + 1) bad.push({ frame: c.frames[c.frames.length - 1] ?? null, time: null, note: `${key.split(' ').slice(1).join(' ').trim()} sent ${c.n} times (frames ${c.frames.join(', ')})` });
  }
  const summary = `at most ${most} sends of one segment (limit ${max + 1})`;
  return ruleResult('bounded-retries', TITLE, bad.length ? 'FAIL' : 'PASS', summary, bad);
}
