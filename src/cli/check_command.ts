/**
 * `acktrace check`: holds recorded runs to a scenario (the drops injected, the policy, what was
 * sent) and prints a verdict per rule with the frames that prove it. Exit 0 when every capture
 * passes, 1 when a rule fails, 2 for bad usage or input (an unreadable capture included).
 */
import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { checkCaptures } from '../check/batch_check.js';
import { expandCapturePaths } from '../check/capture_paths.js';
import { junitXml } from '../check/junit_report.js';
import { loadScenario } from '../check/scenario_file.js';
import { summaryTable, verdictJson, verdictTable } from '../check/verdict_report.js';
import { TABLE_FORMATS } from '../report/table_format.js';
import { action, UsageError } from './cli_errors.js';
import { tableFormatFrom } from './cli_options.js';
import { OutputSink } from './output_sink.js';

interface CheckOptions {
  scenario?: string;
  json?: boolean;
  junit?: string;
  jobs?: string;
  format: string;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check recorded runs against a scenario: a verdict per rule with the frames that prove it')
    .argument('<capture...>', 'capture files, directories of captures, or globs (runs/*.pcap)')
    .option('-s, --scenario <file>', 'scenario file, required (see fixtures/scenarios/ and schema/scenario.schema.json)')
    .option('--json', 'NDJSON: one object per capture with per-rule results and a score (for autograders)')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('-j, --jobs <n>', 'worker threads for many captures (default: one per core)')
    .option('--format <fmt>', `table format: ${TABLE_FORMATS.join('|')}`, 'table')
    .addHelpText('after', `
Exit status: 0 every capture passes, 1 a rule failed, 2 bad usage or input.

Examples:
  $ acktrace check run.pcap --scenario fixtures/scenarios/package-lost-data.json
  $ acktrace check submissions/ --scenario hw3.json --json > grades.ndjson
  $ acktrace check 'runs/*.pcapng' -s hw3.json --junit check.xml --jobs 8`)
    .action(action(async (captures: string[], o: CheckOptions) => {
      // Checked here rather than by commander, whose own exit code for it would be 1, not 2.
      if (!o.scenario) throw new UsageError("required option '-s, --scenario <file>' not specified");
      const scenarioFile = o.scenario;
      const format = tableFormatFrom({ format: o.format });
      let jobs: number | undefined;
      if (o.jobs !== undefined) {
        jobs = Number(o.jobs);
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024) throw new UsageError(`--jobs ${o.jobs}: expected a whole number from 1 to 1024`);
      }
      loadScenario(scenarioFile);
      const files = expandCapturePaths(captures);
      const bar = files.length > 1 && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'checking {bar} {value}/{total} captures', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(files.length, 0);
      const verdicts = await checkCaptures(files, scenarioFile, { jobs, onVerdict: (_v, done) => bar?.update(done) });
      bar?.stop();
      const sink = new OutputSink();
      if (o.json) for (const v of verdicts) sink.line(JSON.stringify(verdictJson(v)));
      else {
        for (const v of verdicts) sink.text(verdictTable(v, format) + '\n');
        if (verdicts.length > 1) sink.text(summaryTable(verdicts, format));
      }
      sink.flush();
      if (o.junit) writeFileSync(o.junit, junitXml(verdicts));
      for (const v of verdicts) for (const w of v.warnings ?? []) console.error(`acktrace: warning: ${v.file}: ${w}`);
      const errors = verdicts.filter((v) => v.verdict === 'ERROR');
      for (const v of errors) console.error(`acktrace: ${v.error}`);
      process.exitCode = errors.length ? 2 : verdicts.some((v) => v.verdict === 'FAIL') ? 1 : 0;
    }));
}
