/**
 * `acktrace decode`: one row per decoded segment, like Wireshark's packet list for any
 * dissector, as a table, CSV, Markdown or NDJSON.
 */
import type { Command } from 'commander';
import { openCapture } from '../capture/open_capture.js';
import type { Dissector } from '../codec/dissector.js';
import { epochString, jsonValue, otherJson, segmentJson } from '../dissect/segment_json.js';
import { dissectCapture, type DissectedSegment, type OtherFrame } from '../dissect/segment_stream.js';
import { renderTable, TABLE_FORMATS, type Cell, type TableFormat } from '../report/table_format.js';
import { action } from './cli_errors.js';
import { addDissectorOptions, bindingFrom, tableFormatFrom } from './cli_options.js';
import { OutputSink } from './output_sink.js';
import { printCaptureWarnings } from './capture_warnings.js';

interface DecodeOptions {
  dissector?: string;
  port?: number[];
  param?: Record<string, number>;
  format: string;
  json?: boolean;
  unknown: boolean;
  dissectors?: string[];
}

/** Rows per block in terminal/Markdown tables: a big capture streams as a series of tables. */
const BLOCK = 1000;

export function registerDecode(program: Command): void {
  addDissectorOptions(program
    .command('decode')
    .description('decode every segment of a capture (pcap, pcapng, Wireshark JSON) with a dissector')
    .argument('<capture>', 'capture file: pcap, pcapng, or a Wireshark -T json / -T ek export'))
    .option('--format <fmt>', `output format: ${TABLE_FORMATS.join('|')}`, 'table')
    .option('--json', 'NDJSON, one object per segment (same as --format json)')
    .option('--no-unknown', 'leave out frames no dissector decoded')
    .addHelpText('after', `
Examples:
  $ acktrace decode run.pcap -d sock352 --port 9000
  $ acktrace decode package.pcapng -d ariel-package --json | jq .fields.header
  $ acktrace decode export.json -d ./my-proto.json --format csv > segments.csv`)
    .action(action(async (capture: string, o: DecodeOptions) => {
      const format = tableFormatFrom(o);
      const { binding, forced } = bindingFrom(o);
      const reader = openCapture(capture);
      const sink = new OutputSink();
      const rows = new RowWriter(format, sink, forced ?? null);
      const summary = dissectCapture(reader, {
        binding,
        params: o.param,
        onSegment: (s) => rows.segment(s),
        onOther: o.unknown ? (x) => rows.other(x) : undefined,
      });
      rows.end();
      sink.flush();
      printCaptureWarnings(capture, summary);
    }));
}

/** Formats rows for one output format, streaming in blocks. */
class RowWriter {
  private block: Cell[][] = [];
  private columns: string[];
  private t0: number | null = null;
  private headerDone = false;

  constructor(private readonly format: TableFormat, private readonly sink: OutputSink, private readonly only: Dissector | null) {
    // With one dissector each field gets a column, and flag/enum fields show their names in it.
    this.columns = only
      ? ['frame', 'time', 'src', 'dst', ...only.fieldNames(), 'len', 'checksum', 'warnings']
      : ['frame', 'time', 'src', 'dst', 'dissector', 'fields', 'flags', 'len', 'checksum', 'warnings'];
  }

  private time(sec: number, nsec: number): string {
    if (this.format === 'csv') return epochString(sec, nsec);
    const t = sec + nsec / 1e9;
    if (this.t0 === null) this.t0 = t;
    return (t - this.t0).toFixed(6);
  }

  segment(s: DissectedSegment): void {
    if (this.format === 'json') { this.sink.line(JSON.stringify(segmentJson(s))); return; }
    const seg = s.segment;
    const head = [s.frame, this.time(s.tsSec, s.tsNsec), s.src, s.dst];
    const tail = [seg.payloadLength, seg.checksum, s.warnings.join(',')];
    if (this.only) {
      const layout = this.only.layout(seg.params);
      const cells = layout.fields.map((f) => fieldCell(jsonValue(seg.fields[f.name]), f.flags, f.enumNames));
      this.push([...head, ...cells, ...tail]);
    } else {
      const fields = Object.entries(seg.fields).map(([k, v]) => `${k}=${jsonValue(v)}`).join(' ');
      this.push([...head, s.dissector.name, fields, seg.flags.join(','), ...tail]);
    }
  }

  other(o: OtherFrame): void {
    if (this.format === 'json') { this.sink.line(JSON.stringify(otherJson(o))); return; }
    const row: Cell[] = [o.frame, this.time(o.tsSec, o.tsNsec), o.src ?? '', o.dst ?? ''];
    while (row.length < this.columns.length - 3) row.push('');
    this.push([...row, 0, 'none', o.reason]);
  }

  private push(row: Cell[]): void {
    this.block.push(row);
    if (this.block.length >= BLOCK) this.flushBlock();
  }

  private flushBlock(): void {
    if (this.block.length === 0) return;
    if (this.format === 'csv') {
      const out = renderTable({ columns: this.columns, rows: this.block }, 'csv');
      this.sink.text(this.headerDone ? out.slice(out.indexOf('\n') + 1) : out);
    } else {
      this.sink.text(renderTable({ columns: this.columns, rows: this.block, numeric: [0] }, this.format));
    }
    this.headerDone = true;
    this.block = [];
  }

  end(): void {
    this.flushBlock();
  }
}

/** A field cell: the value, plus flag names ("0x05 SYN,ACK") or the enum name ("1 DATA"). */
function fieldCell(v: string | number | boolean | null, flags: Array<[string, number]>, enumNames: Record<string, string> | null): string {
  if (v === null) return '';
  if (flags.length && typeof v === 'number') {
    const set = flags.filter(([, m]) => (v & m) === m).map(([n]) => n);
    return `0x${v.toString(16).padStart(2, '0')}${set.length ? ` ${set.join(',')}` : ''}`;
  }
  if (enumNames && typeof v === 'number' && enumNames[String(v)]) return `${v} ${enumNames[String(v)]}`;
  return String(v);
}
