/**
 * Rule acks-cumulative: the receiver's ACKs say what the policy says they say. Cumulative
 * policies: an ACK never acknowledges a segment the receiver has not received (nor anything
 * past a hole), and ACK numbers never go down (except the Package server's re-ACK of an old
 * duplicate). Selective repeat: each ACK names a segment the receiver has received.
 */
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';

const TITLE = 'ACKs cumulative and monotonic as the policy says';

/** @example acksRule(ctx).verdict // 'PASS' */
export function acksRule(ctx: RuleContext): RuleResult {
  const v = ctx.view;
  if (!v.acks.length) return ruleResult('acks-cumulative', TITLE, 'N/A', 'no ACKs in the capture');
  // Everything of the data direction the receiver got. Control messages too: their ACK names
  // the next number even where the analyzer gives SYN and FIN no sequence space (packet protocols).
  const dropped = new Set(v.txs.filter((t) => t.dropped && t.entry).map((t) => t.entry!));
  const received: Array<{ frame: number; seq: number; end: number }> = [];
  for (const e of v.trace.entries) {
    if (e.direction !== v.dataDirection || e.seq === null || e.dropped || dropped.has(e)) continue;
    const end = e.nextSeq !== null && e.nextSeq > e.seq ? e.nextSeq : e.syn || e.fin ? e.seq + 1 : null;
    if (end !== null) received.push({ frame: e.frame, seq: e.seq, end });
  }
  // Below the first seq the sender used there is nothing to receive (a SYN the analyzer could not number).
  const start = Math.min(...received.map((r) => r.seq), ...v.txs.map((t) => t.seq));
  const bad: Evidence[] = [];
  let highest = -Infinity;
  for (const a of v.acks) {
    const got = received.filter((r) => r.frame < a.frame);
    if (v.model.cumulative) {
      const next = contiguousEnd(got, start, a.ack);
      if (next < a.ack) bad.push({ frame: a.frame, time: a.time, note: `ACK ${a.ack} but ${next} was never received before it` });
      if (a.ack < highest && v.model.monotonicAcks) bad.push({ frame: a.frame, time: a.time, note: `ACK ${a.ack} after ACK ${highest}: went down` });
      if (a.ack < highest && !v.model.monotonicAcks) {
        const dup = got.filter((r) => r.end === a.ack);
        if (dup.length < 2) bad.push({ frame: a.frame, time: a.time, note: `ACK ${a.ack} after ACK ${highest}, and ${a.ack - 1} was not received twice (no duplicate to re-ACK)` });
      }
    } else if (!got.some((r) => r.end === a.ack)) {
      bad.push({ frame: a.frame, time: a.time, note: `ACK of ${a.ack - 1}, which the receiver had not received` });
    }
    highest = Math.max(highest, a.ack);
  }
  const summary = bad.length ? `${bad.length} ACKs break the ${v.model.name} ACK rule` : `${v.acks.length} ACKs, highest ${highest}`;
  return ruleResult('acks-cumulative', TITLE, bad.length ? 'FAIL' : 'PASS', summary, bad);
}

/** Where the received ranges, walked from `start`, first leave a hole (at most `upTo`). */
function contiguousEnd(got: Array<{ seq: number; end: number }>, start: number, upTo: number): number {
  const sorted = [...got].sort((a, b) => a.seq - b.seq);
  let next = start;
  for (const r of sorted) {
    if (r.seq > next) break;
    if (r.end > next) next = r.end;
    if (next >= upTo) break;
  }
  return next;
}
