/**
 * `acktrace analyze`: a summary per connection (and direction), and with --frames a per-frame
 * timeline like Wireshark's packet list with its expert info; or one JSON document.
 */
import type { Command } from 'commander';
import { analyzeCapture } from '../analyze/analyze_capture.js';
import type { AnalyzeOptions } from '../analyze/analyze_options.js';
import type { ConnectionSummary, DirectionStats, TimelineEntry } from '../analyze/timeline.js';
import { openCapture } from '../capture/open_capture.js';
import { renderTable, TABLE_FORMATS, type Cell, type TableFormat } from '../report/table_format.js';
import { action, UsageError } from './cli_errors.js';
import { addDissectorOptions, bindingFrom, tableFormatFrom } from './cli_options.js';
import { OutputSink } from './output_sink.js';
import { printCaptureWarnings } from './capture_warnings.js';

interface AnalyzeCliOptions {
  dissector?: string;
  port?: number[];
  param?: Record<string, number>;
  format: string;
  json?: boolean;
  frames?: boolean;
  dissectors?: string[];
  dupAckThreshold?: string;
  oooThreshold?: string;
  fastRetransmitWindow?: string;
  handshakeRtt: boolean;
  minRto?: string;
}

const BLOCK = 1000;
const FRAME_COLUMNS = ['frame', 'time', 'conn', 'dir', 'kind', 'seq', 'ack', 'len', 'window', 'in-flight', 'flags'];

function num(name: string, v: string | undefined, scale = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} ${v}: expected a non-negative number`);
  return n * scale;
}

function thresholds(o: AnalyzeCliOptions): Partial<AnalyzeOptions> {
  const out: Partial<AnalyzeOptions> = { outOfOrderUsesHandshakeRtt: o.handshakeRtt };
  const dup = num('--dup-ack-threshold', o.dupAckThreshold);
  if (dup !== undefined) {
    if (!Number.isInteger(dup) || dup < 1) throw new UsageError(`--dup-ack-threshold ${o.dupAckThreshold}: expected a positive integer`);
    out.dupAckThreshold = dup;
  }
  const ooo = num('--ooo-threshold', o.oooThreshold, 1e-3);
  if (ooo !== undefined) out.outOfOrderThreshold = ooo;
  const frw = num('--fast-retransmit-window', o.fastRetransmitWindow, 1e-3);
  if (frw !== undefined) out.fastRetransmitWindow = frw;
  const minRto = num('--min-rto', o.minRto);
  if (minRto !== undefined) out.minRto = minRto;
  return out;
}

export function registerAnalyze(program: Command): void {
  addDissectorOptions(program
    .command('analyze')
    .description('rebuild each connection\'s seq/ACK/window timeline: retransmissions, gaps, dup ACKs, RTT, goodput')
    .argument('<capture>', 'capture file: pcap, pcapng, or a Wireshark -T json / -T ek export'))
    .option('--frames', 'also print the per-frame timeline with each frame\'s flags')
    .option('--format <fmt>', `output format: ${TABLE_FORMATS.join('|')}`, 'table')
    .option('--json', 'one JSON document {"connections":[...],"frames":[...]} (frames only with --frames)')
    .option('--dup-ack-threshold <n>', 'duplicate ACKs before a retransmission counts as fast (default 2, as tshark)')
    .option('--ooo-threshold <ms>', 'out-of-order vs retransmission time threshold when the handshake RTT is unknown (default 3)')
    .option('--no-handshake-rtt', 'always use --ooo-threshold, not the handshake RTT (tshark uses the RTT when known)')
    .option('--fast-retransmit-window <ms>', 'a fast retransmission follows the last dup ACK within this time (default 20)')
    .option('--min-rto <s>', 'lower clamp of the RFC 6298 RTO estimate (default 1)')
    .addHelpText('after', `
Examples:
  $ acktrace analyze lossy.pcap
  $ acktrace analyze run.pcap -d sock352 --port 9000 --frames
  $ acktrace analyze package.pcapng -d ariel-package --json --frames | jq '.frames[] | select(.flags | length > 0)'`)
    .action(action(async (capture: string, o: AnalyzeCliOptions) => {
      const format = tableFormatFrom(o);
      const options = thresholds(o);
      const { binding } = bindingFrom(o);
      const reader = openCapture(capture);
      const sink = new OutputSink();
      const frames = o.frames ? new FrameWriter(format, sink) : null;
      const result = analyzeCapture(reader, { binding, params: o.param, options, onEntry: frames ? (e) => frames.entry(e) : undefined });
      frames?.end(result.connections);
      if (!frames || format !== 'json') {
        if (format === 'json') sink.text(JSON.stringify({ connections: result.connections }, null, 2) + '\n');
        else sink.text(renderTable({ title: o.frames ? 'connections' : undefined, columns: SUMMARY_COLUMNS, rows: summaryRows(result.connections), numeric: [0, 6, 7, 8, 9, 10, 11] }, format));
      }
      sink.flush();
      printCaptureWarnings(capture, result.capture);
    }));
}

const SUMMARY_COLUMNS = ['conn', 'dissector', 'direction', 'handshake', 'teardown', 'duration s', 'packets', 'bytes', 'unique', 'retx pkts', 'dup acks', 'max in flight', 'rtt ms min/avg/max', 'rto s', 'goodput B/s', 'flags seen'];

function ms(v: number | null): string {
  return v === null ? '-' : (v * 1000).toFixed(3);
}

function directionRow(c: ConnectionSummary, d: DirectionStats, which: string): Cell[] {
  const seen = [
    d.gaps ? `gap ${d.gaps}` : '', d.outOfOrder ? `ooo ${d.outOfOrder}` : '', d.fastRetransmissions ? `fast ${d.fastRetransmissions}` : '',
    d.spuriousRetransmissions ? `spurious ${d.spuriousRetransmissions}` : '', d.zeroWindows ? `zero-window ${d.zeroWindows}` : '',
  ].filter(Boolean).join(', ');
  return [
    c.id, c.dissector, `${which} ${d.src} → ${d.dst}`, c.handshake, c.teardown, c.duration.toFixed(6), d.packets, d.bytes,
    `${d.uniqueUnits}${c.seqUnit === 'packets' ? ' pkts' : ''}`, d.retransmittedPackets, d.dupAcks, d.maxInFlight,
    d.rtt.samples ? `${ms(d.rtt.min)}/${ms(d.rtt.avg)}/${ms(d.rtt.max)} (${d.rtt.samples})` : '-',
    d.rtoEstimate === null ? '-' : d.rtoEstimate.toFixed(3), d.goodput === null ? '-' : Math.round(d.goodput), seen,
  ];
}

function summaryRows(cs: ConnectionSummary[]): Cell[][] {
  const rows: Cell[][] = [];
  for (const c of cs) rows.push(directionRow(c, c.forward, 'fwd'), directionRow(c, c.reverse, 'rev'));
  return rows;
}

/** The per-frame timeline: table blocks, CSV, or the "frames" array of the JSON document. */
class FrameWriter {
  private block: Cell[][] = [];
  private headerDone = false;
  private count = 0;

  constructor(private readonly format: TableFormat, private readonly sink: OutputSink) {
    if (format === 'json') sink.text('{"frames":[\n');
  }

  entry(e: TimelineEntry): void {
    if (this.format === 'json') {
      this.sink.text((this.count++ ? ',\n' : '') + JSON.stringify(entryJson(e)));
      return;
    }
    const flags = e.flags.map((f) => (f === 'dup-ack' ? `dup-ack#${e.dupAckCount}` : f === 'retransmission' && e.retransmitOf ? `retransmission(of ${e.retransmitOf})` : f));
    if (e.rtt !== null) flags.push(`rtt ${ms(e.rtt)}ms (${e.rttFrame})`);
    const ctl = [e.syn ? 'SYN' : '', e.fin ? 'FIN' : '', e.rst ? 'RST' : ''].filter(Boolean).join(',');
    this.block.push([e.frame, e.time.toFixed(6), e.connection, e.direction === 'forward' ? '→' : '←', e.kind ?? ctl, e.seq, e.ack, e.len, e.window, e.inFlight, flags.join(' ')]);
    if (this.block.length >= BLOCK) this.flush();
  }

  private flush(): void {
    if (!this.block.length) return;
    const out = renderTable({ columns: FRAME_COLUMNS, rows: this.block, numeric: [0, 2, 5, 6, 7, 8, 9] }, this.format);
    this.sink.text(this.format === 'csv' && this.headerDone ? out.slice(out.indexOf('\n') + 1) : out);
    this.headerDone = true;
    this.block = [];
  }

  end(connections: ConnectionSummary[]): void {
    if (this.format === 'json') {
      this.sink.text(`\n],\n"connections":${JSON.stringify(connections, null, 2)}}\n`);
      return;
    }
    this.flush();
    if (this.format === 'csv') this.sink.text('\n');
  }
}

/** A timeline entry as JSON: raw 64-bit numbers beyond 2^53 become strings. */
function entryJson(e: TimelineEntry): Record<string, unknown> {
  return { ...e, rawSeq: typeof e.rawSeq === 'bigint' ? e.rawSeq.toString() : e.rawSeq, rawAck: typeof e.rawAck === 'bigint' ? e.rawAck.toString() : e.rawAck };
}
