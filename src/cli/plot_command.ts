/**
 * `acktrace plot`: one figure of one connection as a standalone SVG (time-sequence graph,
 * ladder diagram, in-flight or RTT), for a frame or time range.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { drawFigure } from '../report/draw_figure.js';
import { FIGURE_KINDS, type FigureKind } from '../report/figure.js';
import { parseRangeBound, type PlotRange } from '../report/plot_range.js';
import { connectionView } from '../report/plot_trace.js';
import { readTraceFrom } from '../report/trace_source.js';
import { action, UsageError } from './cli_errors.js';
import { addDissectorOptions, registryFrom } from './cli_options.js';
import { printCaptureWarnings } from './capture_warnings.js';

export interface CaptureOptions {
  dissector?: string;
  port?: number[];
  param?: Record<string, number>;
  dissectors?: string[];
  connection?: string;
  from?: string;
  to?: string;
  window?: string;
}

/** The options `plot` and `report` share: which dissector, which connection, which range. */
export function addCaptureOptions(cmd: Command): Command {
  return addDissectorOptions(cmd)
    .option('--connection <id>', 'connection to show (default: the one that carried the most data)')
    .option('--from <frame|time>', 'first frame (an integer) or time in seconds ("0.2s" or "0.2")')
    .option('--to <frame|time>', 'last frame or time, inclusive')
    .option('--window <n>', 'sender window in the protocol\'s unit, drawn when segments carry none');
}

function bound(name: string, v: string | undefined) {
  if (v === undefined) return undefined;
  const b = parseRangeBound(v);
  if (!b) throw new UsageError(`--${name} ${v}: expected a frame number (120) or a time in seconds (0.25s)`);
  return b;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} ${v}: expected a positive integer`);
  return n;
}

/** Reads the capture and picks the connection the options name. */
export function viewFromOptions(capture: string, o: CaptureOptions, dissector?: string, ports?: number[], params?: Record<string, number>) {
  const trace = readTraceFrom(capture, {
    registry: registryFrom(o), dissector: o.dissector ?? dissector, ports: o.port ?? (o.dissector ? [] : ports ?? []), params: { ...params, ...o.param },
  });
  const view = connectionView(trace, positive('connection', o.connection));
  const range: PlotRange = { from: bound('from', o.from), to: bound('to', o.to) };
  return { trace, view, range: range.from || range.to ? range : undefined, window: positive('window', o.window) };
}

export function registerPlot(program: Command): void {
  const cmd = program
    .command('plot')
    .description('draw one figure of a connection as a standalone SVG: time-sequence graph, ladder diagram, in-flight or RTT')
    .argument('<capture>', 'capture file: pcap, pcapng, or a Wireshark -T json / -T ek export')
    .option('--kind <kind>', `figure: ${FIGURE_KINDS.join('|')}`, 'seq')
    .option('-o, --out <file.svg>', 'write the SVG here (default: standard output)')
    .option('--direction <dir>', 'for seq/inflight/rtt: forward (client → server) or reverse (default: the data direction)');
  addCaptureOptions(cmd)
    .addHelpText('after', `
Examples:
  $ acktrace plot run.pcap --kind seq --out seq.svg
  $ acktrace plot run.pcap -d sock352 --kind ladder --from 1 --to 40 --out ladder.svg
  $ acktrace plot package.pcapng --kind inflight --window 3 --out inflight.svg
  $ acktrace plot big.pcap --kind rtt --from 10s --to 20s > rtt.svg`)
    .action(action(async (capture: string, o: CaptureOptions & { kind: string; out?: string; direction?: string }) => {
      if (!FIGURE_KINDS.includes(o.kind as FigureKind)) throw new UsageError(`--kind ${o.kind}: expected one of ${FIGURE_KINDS.join(', ')}`);
      if (o.direction !== undefined && o.direction !== 'forward' && o.direction !== 'reverse') throw new UsageError(`--direction ${o.direction}: expected forward or reverse`);
      const { trace, view, range, window } = viewFromOptions(capture, o);
      const fig = drawFigure(o.kind as FigureKind, view, { range, window, direction: o.direction as 'forward' | 'reverse' | undefined });
      if (o.out) writeFileSync(o.out, fig.svg);
      else process.stdout.write(fig.svg);
      printCaptureWarnings(capture, trace.capture);
    }));
}
