/**
 * Everything a report holds, independent of how it is written out (HTML or Markdown): facts
 * about the capture, the tables, the four figures and the timeline around losses. Pure: built
 * from an already-read trace and, optionally, a scenario verdict.
 */
import { basename } from 'node:path';
import type { CaptureVerdict } from '../check/capture_verdict.js';
import type { Figure, FigureOptions } from './figure.js';
import { inflightPlot } from './inflight_plot.js';
import { ladderDiagram } from './ladder_diagram.js';
import { lossRegions } from './loss_regions.js';
import type { PlotRange } from './plot_range.js';
import type { ConnectionView, PlotTrace } from './plot_trace.js';
import { connectionTable, overviewTable, timelineTable, verdictTable } from './report_tables.js';
import { rttPlot } from './rtt_plot.js';
import { seqGraph } from './seq_graph.js';
import type { TableData } from './table_format.js';

export interface ReportModel {
  title: string;
  facts: Array<[string, string]>;
  overview: TableData;
  connections: TableData;
  verdict: TableData | null;
  verdictOutcome: CaptureVerdict['verdict'] | null;
  figures: Figure[];
  timeline: TableData;
  notes: string[];
}

export interface ReportOptions {
  verdict?: CaptureVerdict | null;
  scenarioName?: string | null;
  /** Sender window (protocol unit) for figures when segments carry none. */
  window?: number | null;
  range?: PlotRange;
  /** Rows of the loss timeline (default 200). */
  timelineRows?: number;
}

/**
 * @example
 * const trace = readPlotTrace('run.pcap', { binding });
 * const model = buildReport(trace, connectionView(trace), { verdict: checkCaptureFile('run.pcap', scenario) });
 */
export function buildReport(trace: PlotTrace, v: ConnectionView, o: ReportOptions = {}): ReportModel {
  const s = v.summary;
  const fo: FigureOptions = { window: o.window ?? null, range: o.range };
  const figures = [seqGraph(v, fo), ladderDiagram(v, fo), inflightPlot(v, fo), rttPlot(v, fo)];
  const facts: Array<[string, string]> = [
    ['capture', `${basename(trace.file)} (${trace.capture.format}, ${trace.capture.frames} frames)`],
    ['connection', `${s.id} of ${trace.connections.length}: ${s.client} → ${s.server} over ${s.transport}`],
    ['dissector', `${s.dissector} (sequence numbers count ${s.seqUnit})`],
    ['duration', `${s.duration.toFixed(3)} s, frames ${s.firstFrame}–${s.lastFrame}`],
  ];
  if (o.scenarioName) facts.push(['scenario', o.scenarioName]);
  if (v.drops.length || v.droppedFrames.size) facts.push(['recorded drops', `${v.drops.length + v.droppedFrames.size} (from the recording's drops sidecar or pcapng comments)`]);
  const notes: string[] = [...(o.verdict?.notes ?? [])];
  for (const w of trace.capture.warnings) notes.push(`capture: ${w.frame !== undefined ? `frame ${w.frame}: ` : ''}${w.message}`);
  if (o.verdict?.error) notes.push(`check: ${o.verdict.error}`);
  return {
    title: `acktrace report: ${basename(trace.file)}`,
    facts,
    overview: overviewTable(trace.connections),
    connections: connectionTable(trace.connections),
    verdict: o.verdict ? verdictTable(o.verdict) : null,
    verdictOutcome: o.verdict?.verdict ?? null,
    figures,
    timeline: timelineTable(lossRegions(v, 3, o.timelineRows ?? 200), s.seqUnit === 'bytes', v.ackShift),
    notes,
  };
}
