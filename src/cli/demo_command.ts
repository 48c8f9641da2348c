/**
 * `acktrace demo`: the whole product in one command. A live transfer of a bundled text file
 * over loopback with seed 004's scenario (data segments 4, 9 and 10 dropped, window 3),
 * recorded to a pcap with its drops sidecar, checked against the scenario (verdict table on
 * stdout) and written up as report.html. Everything it made stays in --out, with the scenario
 * file, so each step can be rerun by hand.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { checkCaptureFile } from '../check/capture_verdict.js';
import { loadScenario } from '../check/scenario_file.js';
import { verdictTable } from '../check/verdict_report.js';
import { DissectorRegistry } from '../codec/dissector_registry.js';
import { runTransfer } from '../endpoint/run_transfer.js';
import { action, UsageError } from './cli_errors.js';
import { reportFor, writeReport } from './report_command.js';

const PROTOCOLS = ['ariel-package', 'sock352', 'csee4119-tcp'] as const;
type DemoProtocol = (typeof PROTOCOLS)[number];

/** The bundled file (in the repository's fixtures/demo). */
const MESSAGE = fileURLToPath(new URL('../../fixtures/demo/message.txt', import.meta.url));

/** Seed 004's drops: packages 4, 9, 10. Packet protocols name them by seq; byte protocols by send order. */
const DROPS = [4, 9, 10];
const WINDOW = 3;

function scenarioDoc(p: DemoProtocol, mss: number, port: number | null) {
  const bytes = p === 'csee4119-tcp';
  return {
    name: `acktrace demo: ${p}, data segments ${DROPS.join(', ')} dropped, window ${WINDOW} (seed 004)`,
    dissector: p,
    // Loopback ports are the kernel's choice, not the protocol's default: bind the dissector to them.
    ...(port !== null ? { ports: [port] } : {}),
    params: { window: WINDOW, ...(p === 'ariel-package' ? { N: mss } : { mss }) },
    impairments: { data: bytes ? { sendIndex: DROPS } : { seq: DROPS } },
    sent: { file: 'message.txt' },
  };
}

/** The receiving port of the recording, from the recorder's sidecar ("server": "127.0.0.1:PORT"). */
function serverPort(capture: string): number | null {
  try {
    const doc = JSON.parse(readFileSync(`${capture}.drops.json`, 'utf8')) as { server?: string };
    const m = /:(\d+)$/.exec(doc.server ?? '');
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('live loopback transfer with seed 004\'s losses, recorded, analyzed, checked and written up as report.html')
    .option('--protocol <name>', `protocol: ${PROTOCOLS.join('|')}`, 'ariel-package')
    .option('-o, --out <dir>', 'directory for the capture, scenario and report', './acktrace-demo')
    .option('--timeout <s>', 'sender retransmission timeout in seconds (default: the protocol\'s)')
    .addHelpText('after', `
Examples:
  $ acktrace demo
  $ acktrace demo --protocol sock352 --out /tmp/demo
Then open acktrace-demo/report.html, or rerun a step:
  $ acktrace report acktrace-demo/run.pcap --scenario acktrace-demo/scenario.json --out report.md`)
    .action(action(async (o: { protocol: string; out: string; timeout?: string }) => {
      if (!(PROTOCOLS as readonly string[]).includes(o.protocol)) throw new UsageError(`--protocol ${o.protocol}: expected one of ${PROTOCOLS.join(', ')}`);
      const p = o.protocol as DemoProtocol;
      let timeout: number | undefined;
      if (o.timeout !== undefined) {
        timeout = Number(o.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 60) throw new UsageError(`--timeout ${o.timeout}: expected seconds between 0 and 60`);
      }
      const dir = resolve(o.out);
      mkdirSync(dir, { recursive: true });
      const mss = p === 'ariel-package' ? 10 : 12;
      copyFileSync(MESSAGE, join(dir, 'message.txt'));
      const capture = join(dir, 'run.pcap');
      const started = Date.now();
      const dissector = new DissectorRegistry().get(p);
      const run = await runTransfer({
        protocol: dissector, file: MESSAGE, window: WINDOW, mss, timeout, record: capture, over: 'loopback',
        impairments: p === 'csee4119-tcp' ? { dropData: DROPS, dropBy: 'index' } : { dropData: DROPS },
      });
      console.log(`transfer: ${p} over 127.0.0.1, ${run.bytes} bytes, ${run.drops.length} dropped (${run.drops.map((d) => d.value).join(', ')}), ${run.retransmissions} retransmitted, ${run.ok ? 'delivered intact' : `FAILED: ${run.reason}`} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      console.log(`recorded: ${capture} (+ drops sidecar)\n`);
      const scenarioFile = join(dir, 'scenario.json');
      writeFileSync(scenarioFile, JSON.stringify(scenarioDoc(p, mss, serverPort(capture)), null, 2) + '\n');
      const verdict = checkCaptureFile(capture, loadScenario(scenarioFile));
      process.stdout.write(verdictTable(verdict, 'table'));
      const { model } = reportFor(capture, { scenario: scenarioFile });
      const [html] = writeReport(model, join(dir, 'report.html'));
      console.log(`\nreport: ${html}`);
      if (!run.ok || verdict.verdict !== 'PASS') process.exitCode = 1;
    }));
}
