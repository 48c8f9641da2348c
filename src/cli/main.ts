#!/usr/bin/env node
/**
 * The acktrace command line: a thin client of the library (src/index.ts). Each command
 * parses options, calls the library and prints; none of the library imports this folder.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './cli_errors.js';
import { registerAnalyze } from './analyze_command.js';
import { registerCheck } from './check_command.js';
import { registerDecode } from './decode_command.js';
import { registerDemo } from './demo_command.js';
import { registerDissector } from './dissector_command.js';
import { registerEmulate } from './emulate_command.js';
import { registerPlot } from './plot_command.js';
import { registerReceive } from './receive_command.js';
import { registerReport } from './report_command.js';
import { registerSend } from './send_command.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// `acktrace decode big.pcap | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// Failures inside socket and timer callbacks (a full disk under --record, say) never reach a
// command's try/catch: they still end in one line and an exit code, not a stack trace.
process.on('uncaughtException', (e) => { process.exit(reportError(e)); });
process.on('unhandledRejection', (e) => { process.exit(reportError(e)); });

const program = new Command();
program
  .name('acktrace')
  .description('Dissect, analyze, check and plot reliable-transport protocols from pcap, pcapng and Wireshark JSON.')
  .version(pkg.version)
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (s, write) => write(s) });

registerDecode(program);
registerAnalyze(program);
registerCheck(program);
registerDissector(program);
registerSend(program);
registerReceive(program);
registerEmulate(program);
registerReport(program);
registerPlot(program);
registerDemo(program);

program.exitOverride((err) => {
  // commander's own usage errors: exit 2 like every other bad input (help/version exit 0).
  process.exit(err.exitCode === 0 ? 0 : 2);
});

program.parseAsync(process.argv).catch((e: unknown) => {
  process.exitCode = reportError(e);
});
