/**
 * `acktrace report`: what a student pastes into a lab report: connection summary, scenario
 * verdicts, the four figures and the per-frame timeline around losses, as one self-contained
 * HTML file or as Markdown with SVG files beside it. Without --out, the tables go to stdout in
 * the chosen --format.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { checkCaptureFile } from '../check/capture_verdict.js';
import { loadScenario, type Scenario } from '../check/scenario_file.js';
import { htmlReport } from '../report/html_report.js';
import { markdownReport } from '../report/markdown_report.js';
import { buildReport, type ReportModel } from '../report/report_model.js';
import { renderTable, TABLE_FORMATS } from '../report/table_format.js';
import { action, UsageError } from './cli_errors.js';
import { tableFormatFrom } from './cli_options.js';
import { OutputSink } from './output_sink.js';
import { printCaptureWarnings } from './capture_warnings.js';
import { addCaptureOptions, viewFromOptions, type CaptureOptions } from './plot_command.js';

interface ReportOptions extends CaptureOptions {
  scenario?: string;
  out?: string;
  format: string;
}

/**
 * Reads, analyzes and (with a scenario) checks one capture into a report model.
 *
 * @example const { model } = reportFor('run.pcap', { scenario: 'hw3.json' });
 */
export function reportFor(capture: string, o: ReportOptions | (CaptureOptions & { scenario?: string })) {
  const scenario: Scenario | null = o.scenario ? loadScenario(o.scenario) : null;
  const { trace, view, range, window } = viewFromOptions(capture, o, scenario?.dissector.name, scenario?.def.ports, scenario?.def.params.N !== undefined ? { N: scenario.def.params.N } : undefined);
  const verdict = scenario ? checkCaptureFile(capture, scenario) : null;
  const model = buildReport(trace, view, {
    verdict, scenarioName: scenario ? `${scenario.def.name ?? basename(scenario.file)} (${basename(scenario.file)})` : null,
    window: window ?? scenario?.window ?? null, range,
  });
  return { trace, model };
}

/** Writes the report where `out` says: .html (one file) or .md (plus one SVG per figure). */
export function writeReport(model: ReportModel, out: string): string[] {
  const ext = extname(out).toLowerCase();
  if (ext !== '.html' && ext !== '.htm' && ext !== '.md') throw new UsageError(`--out ${out}: expected a .html or .md file`);
  mkdirSync(dirname(out) || '.', { recursive: true });
  if (ext === '.md') {
    const stem = basename(out, extname(out));
    const md = markdownReport(model, stem);
    writeFileSync(out, md.text);
    for (const f of md.files) writeFileSync(join(dirname(out), f.name), f.svg);
    return [out, ...md.files.map((f) => join(dirname(out), f.name))];
  }
  writeFileSync(out, htmlReport(model));
  return [out];
}

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('write a lab-report-ready summary of a capture: connections, scenario verdicts, figures, timeline around losses')
    .argument('<capture>', 'capture file: pcap, pcapng, or a Wireshark -T json / -T ek export')
    .option('-s, --scenario <file>', 'check the run against this scenario and show the verdicts')
    .option('-o, --out <file>', 'report.html (one self-contained file) or report.md (plus report-*.svg beside it)')
    .option('--format <fmt>', `without --out: print the tables as ${TABLE_FORMATS.join('|')}`, 'table');
  addCaptureOptions(cmd)
    .addHelpText('after', `
Examples:
  $ acktrace report run.pcap --out report.html
  $ acktrace report run.pcapng --scenario fixtures/scenarios/seed-package-drop4.json --out report.md
  $ acktrace report run.pcap -d sock352 --format csv > tables.csv`)
    .action(action(async (capture: string, o: ReportOptions) => {
      const format = tableFormatFrom({ format: o.format });
      if (o.out) {
        const ext = extname(o.out).toLowerCase();
        if (ext !== '.html' && ext !== '.htm' && ext !== '.md') throw new UsageError(`--out ${o.out}: expected a .html or .md file`);
      }
      const { trace, model } = reportFor(capture, o);
      if (o.out) {
        const files = writeReport(model, o.out);
        console.error(`acktrace: wrote ${files.join(', ')}`);
      } else {
        const sink = new OutputSink();
        const tables = [model.overview, model.connections, ...(model.verdict ? [model.verdict] : []), model.timeline];
        if (format === 'json') {
          sink.text(JSON.stringify(Object.fromEntries(tables.map((t) => [t.title ?? '', JSON.parse(renderTable(t, 'json'))])), null, 2) + '\n');
        } else {
          for (const t of tables) sink.text(renderTable(t, format) + "\n");
        }
        sink.flush();
      }
      printCaptureWarnings(capture, trace.capture);
    }));
}
