/**
 * The report's tables as plain TableData (so each prints as a terminal table, Markdown, CSV or
 * JSON with the same columns): per-direction connection summary, scenario verdicts, and the
 * per-frame timeline.
 */
import type { ConnectionSummary, DirectionStats } from '../analyze/timeline.js';
import type { CaptureVerdict } from '../check/capture_verdict.js';
import type { Cell, TableData } from './table_format.js';
import { segmentLabel } from './ladder_diagram.js';
import type { PlotEntry } from './plot_entry.js';

function ms(x: number | null): string {
  return x === null ? '' : (x * 1000).toFixed(2);
}

function dirRow(c: ConnectionSummary, d: DirectionStats, name: string): Cell[] {
  return [
    c.id, name, d.src, d.dst, d.packets, d.dataPackets, d.bytes, d.uniqueUnits, d.retransmittedPackets,
    d.fastRetransmissions, d.dupAcks, d.gaps, d.rtt.samples, ms(d.rtt.min), ms(d.rtt.avg), ms(d.rtt.max), d.maxInFlight,
    d.goodput === null ? '' : Math.round(d.goodput),
  ];
}

/**
 * One row per direction of each connection.
 *
 * @example renderTable(connectionTable(result.connections), 'md')
 */
export function connectionTable(cs: ConnectionSummary[]): TableData {
  const rows: Cell[][] = [];
  for (const c of cs) {
    rows.push(dirRow(c, c.forward, 'client → server'));
    rows.push(dirRow(c, c.reverse, 'server → client'));
  }
  return {
    title: 'Connections',
    columns: ['conn', 'direction', 'from', 'to', 'packets', 'data packets', 'bytes', 'unique units', 'retransmitted', 'fast retx', 'dup ACKs', 'gaps', 'RTT samples', 'RTT min (ms)', 'RTT avg (ms)', 'RTT max (ms)', 'max in flight', 'goodput (B/s)'],
    rows,
    numeric: [0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  };
}

/**
 * One row per connection: what it was and how it opened and closed.
 *
 * @example overviewTable(result.connections).rows[0][1] // 'sock352'
 */
export function overviewTable(cs: ConnectionSummary[]): TableData {
  return {
    title: 'Overview',
    columns: ['conn', 'dissector', 'transport', 'client', 'server', 'seq unit', 'handshake', 'teardown', 'frames', 'duration (s)'],
    rows: cs.map((c) => [c.id, c.dissector, c.transport, c.client, c.server, c.seqUnit, c.handshake, c.teardown, `${c.firstFrame}–${c.lastFrame}`, c.duration.toFixed(3)]),
    numeric: [0, 9],
  };
}

/**
 * One row per scenario rule.
 *
 * @example verdictTable(checkCaptureFile('run.pcap', scenario)).rows.map((r) => r[1]) // ['PASS', 'FAIL', ...]
 */
export function verdictTable(v: CaptureVerdict): TableData {
  return {
    title: `Scenario verdict: ${v.verdict} (score ${v.score})`,
    // The columns of `acktrace check`'s table, with the rule's title added for readers of a report.
    columns: ['rule', 'title', 'verdict', 'why', 'frames'],
    rows: v.rules.map((r) => {
      const frames = [...new Set(r.evidence.map((e) => e.frame).filter((f): f is number => f !== null))];
      return [r.id, r.title, r.verdict, r.summary, frames.length > 12 ? `${frames.slice(0, 12).join(', ')}, …` : frames.join(', ')];
    }),
  };
}

/** A timeline row, or a separator between two non-adjacent stretches. */
export type TimelineRow = { entry: PlotEntry } | { skipped: number } | { drop: string; time: number };

/**
 * The per-frame timeline of the chosen rows.
 *
 * @example timelineTable([{ entry }], false, 0).columns[0] // 'frame'
 */
export function timelineTable(rows: TimelineRow[], bytes: boolean, ackShift: number, title = 'Timeline around losses'): TableData {
  const out: Cell[][] = rows.map((r) => {
    if ('skipped' in r) return ['…', '', '', `(${r.skipped} segment${r.skipped === 1 ? "" : "s"} not shown)`, '', '', '', '', '', ''];
    if ('drop' in r) return ['', r.time.toFixed(6), '→ ✗', r.drop, '', '', '', '', '', 'lost (recorded drop)'];
    const e = r.entry;
    return [
      e.frame, e.time.toFixed(6), e.direction === 'forward' ? 'client → server' : 'server → client', segmentLabel(e, bytes, ackShift),
      e.seq ?? '', e.ack === null ? '' : e.ack - ackShift, e.len, e.window ?? '', e.inFlight, e.flags.join(', '),
    ];
  });
  return { title, columns: ['frame', 'time (s)', 'direction', 'segment', 'seq', 'ack', 'len', 'window', 'in flight', 'analysis'], rows: out, numeric: [0, 4, 5, 6, 7, 8] };
}
