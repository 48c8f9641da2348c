/**
 * `acktrace send`: a reference sender of a course protocol, over real sockets, with optional
 * impairments and a recording of the run.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { liveSend } from '../endpoint/live_endpoint.js';
import { InputError } from '../input_error.js';
import { action, UsageError } from './cli_errors.js';
import { collectStrings, registryFrom } from './cli_options.js';
import { addImpairmentOptions, addSenderOptions, addTuningOptions, configFrom, impairmentsFrom, type ImpairmentFlags, type TuningFlags } from './endpoint_options.js';
import { progressBar, reportTransfer } from './transfer_report.js';

interface SendOptions extends ImpairmentFlags, TuningFlags {
  protocol: string;
  to: string;
  bind?: string;
  record?: string;
  json?: boolean;
  dissectors?: string[];
}

export function registerSend(program: Command): void {
  const c = program
    .command('send')
    .description('send a file with a reference sender of a course protocol (sock352, csee4119-tcp, ariel-package)')
    .argument('<file>', 'the file to send')
    .requiredOption('-p, --protocol <dissector>', 'protocol (dissector name or file)')
    .requiredOption('--to <host:port>', 'the receiver, e.g. 127.0.0.1:41194')
    .option('--bind <host>', 'local address (default 127.0.0.1)')
    .option('--record <file>', 'record the run as .pcap or .pcapng (drops in <file>.drops.json)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--dissectors <dir>', 'also look for dissector files in DIR (repeatable)', collectStrings);
  addTuningOptions(c);
  addSenderOptions(c);
  addImpairmentOptions(c);
  c.addHelpText('after', `
Examples:
  $ acktrace receive -p sock352 --port 9000 --out copy.bin &
  $ acktrace send -p sock352 file.bin --to 127.0.0.1:9000 --loss 5% --record run.pcap
  $ acktrace send -p sock352 big.bin --to 127.0.0.1:9000 --window 24 --timeout 50ms --adaptive-rto --fast-go-back
  $ acktrace send -p ariel-package msg.txt --to 127.0.0.1:55558 --drop-data 4,9,10 --window 3 --timeout 2s`);
  c.action(action(async (file: string, o: SendOptions) => {
    const d = registryFrom(o).get(o.protocol);
    const config = configFrom(d, o);
    const impairments = impairmentsFrom(o);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      throw new InputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const bar = progressBar(data.length);
    let r;
    try {
      r = await liveSend(data, o.to, { dissector: d, config, impairments, record: o.record, bind: o.bind, onProgress: bar.update });
    } catch (e) {
      bar.stop();
      const err = e as NodeJS.ErrnoException;
      if (err.code) throw new UsageError(`cannot reach ${o.to}: ${err.code}`);
      if (e instanceof RangeError) throw e.message.includes('NUL') ? new InputError(file, e.message) : new UsageError(e.message);
      throw e;
    }
    bar.stop();
    reportTransfer(r, 'sent', 'send failed: ', o);
  }));
}
