/**
 * Options shared by `send`, `receive` and `emulate`: tuning (--window, --timeout, --mss),
 * impairments (--drop-data, --drop-acks, --loss, --dup, --reorder, --delay, --corrupt, --seed)
 * and --record, parsed into the endpoint library's plain structs.
 */
import type { Command } from 'commander';
import type { Dissector } from '../codec/dissector.js';
import type { CoreConfig } from '../endpoint/core/core_event.js';
import { defaultConfig, endpointProtocolOf } from '../endpoint/core/protocol_cores.js';
import { parseDelay, parseDropList, parseDuration, parseRate, type ImpairmentSpec } from '../endpoint/link/impairment_spec.js';
import { UsageError } from './cli_errors.js';

export interface ImpairmentFlags {
  dropData?: string;
  dropAcks?: string;
  dropBy?: string;
  loss?: string;
  dup?: string;
  reorder?: string;
  delay?: string;
  corrupt?: string;
  seed?: string;
}

export interface TuningFlags {
  window?: string; timeout?: string; mss?: string; idleTimeout?: string;
  /** Sender options (sock352). */
  adaptiveRto?: boolean; fastGoBack?: boolean;
  /** Receiver option (sock352, csee4119-tcp). */
  coalesceAcks?: boolean;
}

/** Adds the impairment options to a command. */
export function addImpairmentOptions(c: Command): Command {
  return c
    .option('--drop-data <list>', 'drop these data segments once each, e.g. 4,9,10 (by sequence number; see --drop-by)')
    .option('--drop-acks <list>', 'drop these ACKs once each, e.g. 4,9,10 (by acknowledgement number; see --drop-by)')
    .option('--drop-by <how>', 'drop lists name "seq" numbers (default) or send "index" (1-based, counting resends)')
    .option('--loss <rate>', 'random loss per datagram and direction, e.g. 5%')
    .option('--dup <rate>', 'random duplication, e.g. 1%')
    .option('--reorder <rate>', 'random reordering (a datagram held back behind later ones), e.g. 2%')
    .option('--delay <d>', 'added one-way delay with jitter, e.g. 20ms±5ms')
    .option('--corrupt <rate>', 'random single-bit corruption, e.g. 1%')
    .option('--seed <n>', 'seed of the random impairments (same seed, same choices)');
}

/** Adds --window, --timeout, --mss. */
export function addTuningOptions(c: Command): Command {
  return c
    .option('--window <n>', 'window in segments (default: the protocol\'s)')
    .option('--timeout <d>', 'retransmission timeout, e.g. 2s or 200ms (csee4119-tcp: the initial RTO)')
    .option('--mss <n>', 'payload bytes per segment (ariel-package: N, announced by the receiver)')
    .option('--idle-timeout <d>', 'give up after this long without hearing from the peer');
}

/** Adds the sender's loss-recovery options (`acktrace send`): --adaptive-rto, --fast-go-back. */
export function addSenderOptions(c: Command): Command {
  return c
    .option('--adaptive-rto', 'sock352: the retransmission timer follows the measured RTT (RFC 6298 estimator, from --timeout)')
    .option('--fast-go-back', 'sock352: resend the window on the third duplicate ACK instead of waiting for the timer (still Go-Back-N)');
}

/** Adds the receiver's ACK option (`acktrace receive`): --coalesce-acks. */
export function addReceiverOptions(c: Command): Command {
  return c.option('--coalesce-acks', 'sock352, csee4119-tcp: one cumulative ACK per batch of in-order arrivals (gaps are still ACKed at once); ACK numbers then skip values');
}

function wrap<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * The impairment spec the flags describe.
 *
 * @example impairmentsFrom({ dropData: '4,9,10', loss: '5%' }) // { dropData: [4, 9, 10], loss: 0.05, seed: 1 }
 */
export function impairmentsFrom(f: ImpairmentFlags): ImpairmentSpec {
  const s: ImpairmentSpec = { seed: 1 };
  if (f.dropData !== undefined) s.dropData = wrap('--drop-data', () => parseDropList(f.dropData!));
  if (f.dropAcks !== undefined) s.dropAcks = wrap('--drop-acks', () => parseDropList(f.dropAcks!));
  if (f.dropBy !== undefined) {
    if (f.dropBy !== 'seq' && f.dropBy !== 'index') throw new UsageError(`--drop-by ${f.dropBy}: expected seq or index`);
    s.dropBy = f.dropBy;
  }
  if (f.loss !== undefined) s.loss = wrap('--loss', () => parseRate(f.loss!));
  if (f.dup !== undefined) s.dup = wrap('--dup', () => parseRate(f.dup!));
  if (f.reorder !== undefined) s.reorder = wrap('--reorder', () => parseRate(f.reorder!));
  if (f.corrupt !== undefined) s.corrupt = wrap('--corrupt', () => parseRate(f.corrupt!));
  if (f.delay !== undefined) Object.assign(s, wrap('--delay', () => parseDelay(f.delay!)));
  if (f.seed !== undefined) {
    const n = Number(f.seed);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seed ${f.seed}: expected a non-negative integer`);
    s.seed = n;
  }
  return s;
}

/** The core configuration: the protocol's defaults with the flags applied. */
export function configFrom(d: Dissector, f: TuningFlags): CoreConfig {
  const p = endpointProtocolOf(d);
  if (!p) throw new UsageError(`dissector ${d.name} has no endpoint: use sock352, csee4119-tcp or ariel-package (or a variant with the same policy)`);
  const c = { ...defaultConfig(p) };
  const int = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} ${v}: expected an integer from ${min} to ${max}`);
    return n;
  };
  if (f.window !== undefined) c.window = int('window', f.window, 1, 1_000_000);
  if (f.mss !== undefined) c.mss = int('mss', f.mss, 1, p === 'ariel-package' ? 65000 : 65000);
  if (f.timeout !== undefined) c.timeout = wrap('--timeout', () => parseDuration(f.timeout!));
  if (f.idleTimeout !== undefined) c.idleTimeout = wrap('--idle-timeout', () => parseDuration(f.idleTimeout!));
  if (!(c.timeout > 0)) throw new UsageError('--timeout must be above 0');
  if ((f.adaptiveRto || f.fastGoBack) && p !== 'sock352') throw new UsageError(`--${f.adaptiveRto ? 'adaptive-rto' : 'fast-go-back'} is a sock352 option (${p} ${p === 'csee4119-tcp' ? 'always estimates the RTT and retransmits fast' : 'has no such mode'})`);
  if (f.coalesceAcks && p === 'ariel-package') throw new UsageError('--coalesce-acks: ariel-package has no per-packet ACKs to coalesce');
  if (f.adaptiveRto) c.adaptiveRto = true;
  if (f.fastGoBack) c.fastGoBack = true;
  if (f.coalesceAcks) c.coalesceAcks = true;
  return c;
}
