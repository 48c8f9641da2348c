/**
 * The transfer as the rules see it: the sender's data transmissions (including the ones the
 * impairment dropped, placed where they must have been when the capture does not show them),
 * the receiver's ACKs, and the injected drops resolved to relative sequence numbers.
 * Pure: built from a CheckTrace and a Scenario.
 */
import type { AnalysisFlag, Direction } from '../analyze/timeline.js';
import type { CheckEntry, CheckTrace } from './check_trace.js';
import { policyModel, type PolicyModel } from './policy_model.js';
import type { Scenario } from './scenario_file.js';

export interface Transmission {
  seq: number;
  end: number;
  time: number;
  /** Capture frame, or null for a dropped transmission the capture does not show (time is then a lower bound). */
  frame: number | null;
  entry: CheckEntry | null;
  /** It never reached the receiver. */
  dropped: boolean;
  /** 1 for the first transmission of this seq, 2 for the second, ... (dropped ones counted). */
  copy: number;
  /**
   * A retransmission: the analyzer flagged it (retransmission, or out-of-order: below the
   * highest seq the sender had sent), or an earlier copy of it was dropped before the capture
   * point, which only the scenario knows.
   */
  resend: boolean;
}

/**
 * The analyzer's flags that make a data segment a resend. Out-of-order counts: the sender sent
 * a seq below its highest, which at the sender is a resend whatever the network did after.
 */
const RESENT: ReadonlySet<AnalysisFlag> = new Set<AnalysisFlag>(['retransmission', 'out-of-order']);

export interface AckEvent {
  frame: number;
  time: number;
  /** Next expected seq (relative). */
  ack: number;
  entry: CheckEntry;
}

export interface InjectedDrop {
  /** Relative seq of the dropped data segment, or of the data segment the lost ACK acknowledged. */
  seq: number;
  /** Where the drop was declared: 'scenario', 'sidecar', 'comment'. */
  source: string;
}

export interface TransferView {
  trace: CheckTrace;
  scenario: Scenario;
  model: PolicyModel;
  dataDirection: Direction;
  /** Data transmissions of the sender, in time order. */
  txs: Transmission[];
  /** ACKs that reached the sender, in capture order. */
  acks: AckEvent[];
  /** ACK entries the impairment dropped but the capture shows (before-impairment captures). */
  droppedAcks: CheckEntry[];
  dataDrops: InjectedDrop[];
  ackDrops: InjectedDrop[];
  /** Things the checker had to assume, shown with the verdicts. */
  notes: string[];
}

/** Drops declared outside the scenario (the recorder's sidecar), as relative data seqs. */
export interface ExtraDrops {
  data: InjectedDrop[];
  acks: InjectedDrop[];
}

/**
 * Slack for a time check over an interval of `interval` seconds (absolute + relative part).
 *
 * @example slack(sc, 2) // 0.05 + 0.1 * 2 = 0.25 with the default tolerance
 */
export function slack(scenario: Scenario, interval: number): number {
  const t = scenario.def.expect.tolerance;
  return t.absolute + t.relative * Math.max(0, interval);
}

function uniqueSeqs(list: InjectedDrop[]): InjectedDrop[] {
  const seen = new Set<number>();
  return list.filter((d) => (seen.has(d.seq) ? false : (seen.add(d.seq), true)));
}

/**
 * @example const view = transferView(readCheckTrace('run.pcap', sc), sc);
 */
export function transferView(trace: CheckTrace, scenario: Scenario, extra: ExtraDrops = { data: [], acks: [] }): TransferView {
  const dir = trace.dataDirection;
  const imp = scenario.def.impairments;
  const after = imp.capturedAt === 'after-impairment';
  const notes: string[] = [];
  const data = trace.entries.filter((e) => e.direction === dir && e.isData && e.seq !== null);
  const ackEntries = trace.entries.filter((e) => e.direction !== dir && e.hasAck && e.ack !== null);

  const dataDrops: InjectedDrop[] = [
    ...(imp.data?.seq ?? []).map((seq) => ({ seq, source: 'scenario' })),
    ...extra.data,
  ];
  const ackDrops: InjectedDrop[] = [...(imp.acks?.seq ?? []).map((seq) => ({ seq, source: 'scenario' })), ...extra.acks];

  // Visible transmissions first; dropped ones are then marked or inserted.
  const txs: Transmission[] = data.map((e) => ({ seq: e.seq!, end: e.seq! + e.units, time: e.time, frame: e.frame, entry: e, dropped: e.dropped, copy: 0, resend: false }));
  for (const t of txs) if (t.dropped) dataDrops.push({ seq: t.seq, source: 'comment' });

  const sendIndex = new Set(imp.data?.sendIndex ?? []);
  if (after) {
    if (sendIndex.size) {
      // The n-th transmission was dropped before the capture point: assume it carried new data.
      const out: Transmission[] = [];
      let count = 0;
      let maxEnd = 0;
      const unit = trace.seqUnit === 'bytes' ? (scenario.def.params.mss ?? Math.max(1, ...data.map((e) => e.units))) : 1;
      for (const t of txs) {
        while (sendIndex.has(count + 1)) {
          count++;
          out.push({ seq: maxEnd, end: maxEnd + unit, time: out.length ? out[out.length - 1].time : t.time, frame: null, entry: null, dropped: true, copy: 0, resend: false });
          dataDrops.push({ seq: maxEnd, source: 'scenario' });
          maxEnd += unit;
        }
        count++;
        out.push(t);
        maxEnd = Math.max(maxEnd, t.end);
      }
      txs.splice(0, txs.length, ...out);
      notes.push('data drops by send index: each dropped transmission is assumed to have carried new data');
    }
    for (const d of uniqueSeqs(dataDrops)) {
      if (d.source === 'comment' || txs.some((t) => t.frame === null && t.seq === d.seq)) continue;
      const firstIdx = txs.findIndex((t) => t.seq === d.seq);
      const limit = firstIdx < 0 ? txs.length : firstIdx;
      // New data goes out in order: the dropped original followed the first sending of every
      // smaller seq and preceded that of every larger one.
      let lower = 0;
      let at = 0;
      for (let i = 0; i < limit; i++) {
        const isFirst = txs.findIndex((u) => u.seq === txs[i].seq) === i;
        if (isFirst && txs[i].seq < d.seq) { lower = Math.max(lower, txs[i].time); at = i + 1; }
      }
      const units = firstIdx >= 0 ? txs[firstIdx].end - txs[firstIdx].seq : trace.seqUnit === 'bytes' ? (scenario.def.params.mss ?? 1) : 1;
      const ghost: Transmission = { seq: d.seq, end: d.seq + units, time: lower, frame: null, entry: null, dropped: true, copy: 0, resend: false };
      txs.splice(at, 0, ghost);
    }
  } else {
    let count = 0;
    for (const t of txs) if (sendIndex.has(++count)) { t.dropped = true; dataDrops.push({ seq: t.seq, source: 'scenario' }); }
    for (const d of dataDrops) {
      if (d.source !== 'scenario' && d.source !== 'sidecar') continue;
      const first = txs.find((t) => t.seq === d.seq);
      if (first) first.dropped = true;
    }
  }
  const copies = new Map<number, number>();
  const ghosts = new Set<number>();
  for (const t of txs) {
    const n = (copies.get(t.seq) ?? 0) + 1;
    copies.set(t.seq, n);
    t.copy = n;
    // The analyzer judges what the capture shows; a copy dropped before the capture point it never saw.
    t.resend = t.entry ? t.entry.flags.some((f) => RESENT.has(f)) || ghosts.has(t.seq) : n > 1;
    if (!t.entry) ghosts.add(t.seq);
  }

  // ACKs: in a before-impairment capture the dropped ones are visible and must be set aside.
  const droppedAcks: CheckEntry[] = ackEntries.filter((e) => e.dropped);
  if (!after) {
    const ackIndex = new Set(imp.acks?.sendIndex ?? []);
    ackEntries.forEach((e, i) => { if (ackIndex.has(i + 1)) droppedAcks.push(e); });
    for (const d of ackDrops) {
      const first = ackEntries.find((e) => e.ack! > d.seq && !droppedAcks.includes(e));
      if (first) droppedAcks.push(first);
    }
  } else if (imp.acks?.sendIndex?.length) {
    notes.push('ACK drops by send index cannot be placed in an after-impairment capture; list them by seq');
  }
  for (const e of ackEntries) if (e.dropped && !ackDrops.some((d) => d.seq === e.ack! - 1)) ackDrops.push({ seq: e.ack! - 1, source: 'comment' });
  const acks: AckEvent[] = ackEntries.filter((e) => !droppedAcks.includes(e)).map((e) => ({ frame: e.frame, time: e.time, ack: e.ack!, entry: e }));

  if (imp.random && !imp.sidecar) notes.push('random loss: without a drops sidecar, only the listed drops are known');
  return {
    trace, scenario, model: policyModel(scenario.policy), dataDirection: dir, txs, acks, droppedAcks,
    dataDrops: uniqueSeqs(dataDrops).sort((a, b) => a.seq - b.seq),
    ackDrops: uniqueSeqs(ackDrops).sort((a, b) => a.seq - b.seq),
    notes,
  };
}

/**
 * Highest next-expected ACK the sender had received by `time` (ACKs within `margin` seconds
 * before it may still be on their way to the sender, and do not count).
 *
 * @example ackedBy(view, 3.2) // 9: everything below seq 9 was acknowledged
 */
export function ackedBy(view: TransferView, time: number, margin = 0): number {
  let best = -Infinity;
  for (const a of view.acks) {
    if (a.time > time - margin) break;
    if (a.ack > best) best = a.ack;
  }
  return best;
}

/**
 * Data in flight after a captured transmission, in the protocol's unit: the analyzer's in-flight
 * (highest seq sent minus the highest ACK in the capture), raised where the capture shows ACKs
 * the impairment dropped after the capture point (the sender never got them).
 *
 * @example inFlightAt(view, view.txs[12]) // 3
 */
export function inFlightAt(view: TransferView, t: Transmission): number {
  const e = t.entry!;
  if (!view.droppedAcks.length) return e.inFlight;
  let seen = -Infinity;
  for (const a of view.droppedAcks) if (a.frame < e.frame && a.ack! > seen) seen = a.ack!;
  let got = -Infinity;
  for (const a of view.acks) if (a.frame < e.frame && a.ack > got) got = a.ack;
  if (seen <= got) return e.inFlight;
  const base = got === -Infinity ? Math.min(...view.txs.map((x) => x.seq)) : got;
  return e.inFlight + seen - base;
}

/** Highest end of data sent strictly before transmission `index` (dropped ones included). */
export function sentEndBefore(view: TransferView, index: number): number {
  let end = -Infinity;
  for (let i = 0; i < index; i++) end = Math.max(end, view.txs[i].end);
  return end;
}
