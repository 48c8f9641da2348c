/**
 * `acktrace receive`: a reference receiver of a course protocol. Writes the file only when
 * the transfer completed; a vanished peer ends in a timeout error (exit 1), never a hang.
 */
import type { Command } from 'commander';
import { liveReceive } from '../endpoint/live_endpoint.js';
import { action, UsageError } from './cli_errors.js';
import { collectStrings, registryFrom } from './cli_options.js';
import { addImpairmentOptions, addReceiverOptions, addTuningOptions, configFrom, impairmentsFrom, type ImpairmentFlags, type TuningFlags } from './endpoint_options.js';
import { progressBar, reportTransfer } from './transfer_report.js';

interface ReceiveOptions extends ImpairmentFlags, TuningFlags {
  protocol: string;
  port: string;
  out: string;
  bind?: string;
  record?: string;
  json?: boolean;
  dissectors?: string[];
}

export function registerReceive(program: Command): void {
  const c = program
    .command('receive')
    .description('receive one file with a reference receiver of a course protocol')
    .requiredOption('-p, --protocol <dissector>', 'protocol (dissector name or file)')
    .requiredOption('--port <n>', 'port to listen on (0: any; the chosen port is printed)')
    .requiredOption('--out <file>', 'where to write the file (only when the transfer completes)')
    .option('--bind <host>', 'address to listen on (default 127.0.0.1)')
    .option('--record <file>', 'record the run as .pcap or .pcapng (drops in <file>.drops.json)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--dissectors <dir>', 'also look for dissector files in DIR (repeatable)', collectStrings);
  addTuningOptions(c);
  addReceiverOptions(c);
  addImpairmentOptions(c);
  c.addHelpText('after', `
Examples:
  $ acktrace receive -p csee4119-tcp --port 41194 --out copy.bin
  $ acktrace receive -p sock352 --port 9000 --out big.bin --coalesce-acks
  $ acktrace receive -p ariel-package --port 55558 --out msg.txt --mss 4 --drop-acks 4,9,10`);
  c.action(action(async (o: ReceiveOptions) => {
    const d = registryFrom(o).get(o.protocol);
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${o.port}: not a port number`);
    const config = configFrom(d, o);
    const impairments = impairmentsFrom(o);
    if (config.coalesceAcks && impairments.dropAcks?.length && impairments.dropBy !== 'index') throw new UsageError('--coalesce-acks skips ACK numbers, so --drop-acks could name ACKs never sent: add --drop-by index, or ACK every packet');
    const bar = progressBar(0);
    let r;
    try {
      r = await liveReceive(port, o.out, {
        dissector: d, config, impairments, record: o.record, bind: o.bind, onProgress: bar.update,
        onListening: (p) => { if (!process.stderr.isTTY || port === 0) console.error(`acktrace: listening on ${o.bind ?? '127.0.0.1'}:${p}`); },
      });
    } catch (e) {
      bar.stop();
      const err = e as NodeJS.ErrnoException;
      if (err.code) throw new UsageError(`cannot listen on port ${port} or write ${o.out}: ${err.code}`);
      throw e;
    }
    bar.stop();
    reportTransfer(r, 'received', `receive failed, ${o.out} not written: `, o);
  }));
}
