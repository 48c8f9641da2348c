/**
 * `acktrace emulate`: a newudpl-like proxy to put between a student's sender and receiver —
 * of datagrams for UDP protocols, of records cut from each TCP connection for protocols that
 * ride on TCP (-p ariel-package). Runs until interrupted (Ctrl-C) or for --duration, then
 * prints what it did.
 */
import type { Command } from 'commander';
import { splitEndpoint } from '../endpoint/link/link.js';
import { parseDuration } from '../endpoint/link/impairment_spec.js';
import { ridesOnTcp, TcpEmulator } from '../endpoint/tcp_emulator.js';
import { UdpEmulator } from '../endpoint/udp_emulator.js';
import { action, UsageError } from './cli_errors.js';
import { collectStrings, registryFrom } from './cli_options.js';
import { addImpairmentOptions, impairmentsFrom, type ImpairmentFlags } from './endpoint_options.js';

interface EmulateOptions extends ImpairmentFlags {
  listen: string;
  to: string;
  bind?: string;
  protocol?: string;
  record?: string;
  duration?: string;
  dissectors?: string[];
}

export function registerEmulate(program: Command): void {
  const c = program
    .command('emulate')
    .description('link emulator (like newudpl): forward between a sender and a receiver, impairing both directions (UDP datagrams, or whole records of a protocol that rides on TCP)')
    .option('--listen <port>', 'port to listen on for the sender', '41192')
    .option('--to <host:port>', 'where to forward (the receiver)', '127.0.0.1:41194')
    .option('--bind <host>', 'address to listen on (default 127.0.0.1)')
    .option('-p, --protocol <dissector>', 'decode headers so drop lists name sequence/ACK numbers (default: datagram index); a protocol that rides on TCP (ariel-package) makes this a TCP proxy')
    .option('--record <file>', 'record what passed and what was dropped (.pcap or .pcapng)')
    .option('--duration <d>', 'stop after this long (default: run until Ctrl-C)')
    .option('--dissectors <dir>', 'also look for dissector files in DIR (repeatable)', collectStrings);
  addImpairmentOptions(c);
  c.addHelpText('after', `
Examples:
  $ acktrace emulate --listen 41192 --to 127.0.0.1:41194 --loss 5% --reorder 2% --delay 20ms±5ms
  $ acktrace emulate -p csee4119-tcp --drop-data 1025 --drop-acks 2049 --record lab.pcapng
  $ acktrace emulate -p ariel-package --listen 55558 --to 127.0.0.1:55559 --drop-data 4,9,10 --record run.pcapng`);
  c.action(action(async (o: EmulateOptions) => {
    const listenPort = Number(o.listen);
    if (!Number.isInteger(listenPort) || listenPort < 0 || listenPort > 65535) throw new UsageError(`--listen ${o.listen}: not a port number`);
    let target;
    try { target = splitEndpoint(o.to); } catch (e) { throw new UsageError(`--to: ${(e as Error).message}`); }
    const dissector = o.protocol ? registryFrom(o).get(o.protocol) : null;
    const impairments = impairmentsFrom(o);
    const duration = o.duration !== undefined ? parseDuration(o.duration) : null;
    const tcp = dissector !== null && ridesOnTcp(dissector);
    if (tcp && impairments.corrupt) throw new UsageError(`--corrupt: ${dissector.name} rides on TCP, whose checksum would have caught a flipped bit (corruption is for UDP protocols)`);
    let em: UdpEmulator | TcpEmulator;
    try {
      em = tcp
        ? await TcpEmulator.start({ listenPort, listenHost: o.bind, target, impairments, dissector, record: o.record, log: (line) => console.error(`acktrace: ${line}`) })
        : await UdpEmulator.start({ listenPort, listenHost: o.bind, target, impairments, dissector, record: o.record });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`-p ${o.protocol}: ${e.message}`);
      throw new UsageError(`cannot listen on port ${listenPort}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    console.error(`acktrace: emulating ${o.bind ?? '127.0.0.1'}:${em.port} -> ${o.to}${tcp ? ` (TCP, records of ${dissector.name})` : ''}`);
    await new Promise<void>((resolve) => {
      const timer = duration !== null ? setTimeout(() => stop(), duration * 1000) : null;
      const stop = () => {
        if (timer) clearTimeout(timer);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    em.close();
    if (em instanceof TcpEmulator) {
      const s = em.stats;
      const unframed = s.unframedBytes ? `; ${s.unframedBytes} bytes outside known records passed as they were` : '';
      console.error(`acktrace: emulator forwarded ${s.forwarded}, returned ${s.returned}, dropped ${s.dropped} records over ${s.connections} TCP connection${s.connections === 1 ? '' : 's'}${unframed}`);
    } else {
      const s = em.stats;
      console.error(`acktrace: emulator forwarded ${s.forwarded}, returned ${s.returned}, dropped ${s.dropped} datagrams`);
    }
    if (em.recordError !== null) {
      console.error(`acktrace: recording ${em.recordError} (it is incomplete)`);
      process.exitCode = 1;
    }
  }));
}
