/**
 * Rule delivery: what reached the receiver, put in sequence order with every segment taken
 * once, has no hole, repeats no copy with different bytes, and (when the scenario says what was
 * sent) equals it byte for byte. A mismatch points at the frame carrying the first wrong byte,
 * and at the earlier frame when those bytes were delivered before (a duplicated delivery).
 */
import { createHash } from 'node:crypto';
import type { RuleContext } from '../rule_context.js';
import { ruleResult, type Evidence, type RuleResult } from '../rule_result.js';
import type { Transmission } from '../transfer_view.js';

const TITLE = 'receiver delivered every byte exactly once and in order';

/** @example deliveryRule(ctx).summary // '60 bytes in 16 segments, SHA-256 matches' */
export function deliveryRule(ctx: RuleContext): RuleResult {
  const v = ctx.view;
  const arrived = v.txs.filter((t) => !t.dropped && t.entry?.payload);
  if (!arrived.length) return ruleResult('delivery', TITLE, v.scenario.sent?.length ? 'FAIL' : 'N/A', 'no data reached the receiver');
  const bySeq = new Map<number, Transmission>();
  const ev: Evidence[] = [];
  for (const t of arrived) {
    const first = bySeq.get(t.seq);
    if (!first) bySeq.set(t.seq, t);
    else if (!first.entry!.payload!.equals(t.entry!.payload!)) {
      ev.push({ frame: t.frame, time: t.time, note: `copy of seq ${t.seq} differs from frame ${first.frame}` });
    }
  }
  if (ev.length) return ruleResult('delivery', TITLE, 'FAIL', 'a retransmission carried different bytes', ev);
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const pieces: Array<{ t: Transmission; at: number; bytes: Buffer }> = [];
  let next = ordered[0].seq;
  let at = 0;
  for (const t of ordered) {
    if (t.seq > next) {
      return ruleResult('delivery', TITLE, 'FAIL', `seq ${next} never reached the receiver`, [{ frame: t.frame, time: t.time, note: `next data received: seq ${t.seq}` }]);
    }
    if (t.end <= next) continue; // wholly inside what was already delivered
    // A byte segment overlapping what was delivered contributes only its new bytes.
    const bytes = v.trace.seqUnit === 'bytes' ? t.entry!.payload!.subarray(next - t.seq) : t.entry!.payload!;
    pieces.push({ t, at, bytes });
    at += bytes.length;
    next = t.end;
  }
  const stream = Buffer.concat(pieces.map((p) => p.bytes));
  const sent = v.scenario.sent;
  const summary = `${stream.length} bytes in ${pieces.length} segments`;
  if (!sent) return ruleResult('delivery', TITLE, 'PASS', `${summary}, no gaps (nothing to compare with: give "sent")`);
  const sha = createHash('sha256').update(stream).digest('hex');
  if (sha === sent.sha256 && stream.length === sent.length) return ruleResult('delivery', TITLE, 'PASS', `${summary}, SHA-256 matches what was sent`);
  const out: Evidence[] = [];
  if (sent.bytes) {
    let i = 0;
    while (i < stream.length && i < sent.bytes.length && stream[i] === sent.bytes[i]) i++;
    const piece = [...pieces].reverse().find((p) => p.at <= i);
    if (piece) {
      const bytes = piece.bytes;
      const earlier = pieces.find((p) => p.at < piece.at && p.bytes.equals(bytes));
      out.push({ frame: piece.t.frame, time: piece.t.time, note: earlier
        ? `bytes ${piece.at}..${piece.at + bytes.length} repeat those of frame ${earlier.t.frame} (delivered twice)`
        : `first wrong byte at offset ${i} (seq ${piece.t.seq})` });
    } else {
      out.push({ frame: null, time: null, note: `delivery ends at byte ${stream.length}` });
    }
  }
  return ruleResult('delivery', TITLE, 'FAIL', `${summary}, expected ${sent.length} bytes with another SHA-256`, out);
}
