/**
 * Option parsers shared by commands: repeatable --port, --param k=v, and the dissector
 * registry (shipped dissectors + --dissectors DIR + $ACKTRACE_DISSECTORS).
 */
import type { Command } from 'commander';
import type { Dissector } from '../codec/dissector.js';
import { DissectorRegistry } from '../codec/dissector_registry.js';
import { DissectorBinding } from '../dissect/dissector_binding.js';
import { TABLE_FORMATS, type TableFormat } from '../report/table_format.js';
import { UsageError } from './cli_errors.js';

/** commander collector for a repeatable `--port N` (also accepts "N,M"). */
export function collectPorts(value: string, previous: number[] = []): number[] {
  const out = [...previous];
  for (const part of value.split(',')) {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${value}: not a port number`);
    out.push(n);
  }
  return out;
}

/** commander collector for a repeatable `--param k=v` with a numeric value. */
export function collectParams(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(-?\d+(?:\.\d+)?)$/.exec(value);
  if (!m) throw new UsageError(`--param ${value}: expected NAME=NUMBER, e.g. --param N=10`);
  return { ...previous, [m[1]]: Number(m[2]) };
}

/** The registry for this invocation. */
export function registryFrom(opts: { dissectors?: string[] }): DissectorRegistry {
  return new DissectorRegistry(opts.dissectors ?? []);
}

export function collectStrings(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The output format of a command with `--format` and `--json` (which wins). */
export function tableFormatFrom(o: { format: string; json?: boolean }): TableFormat {
  const f = (o.json ? 'json' : o.format) as TableFormat;
  if (!TABLE_FORMATS.includes(f)) throw new UsageError(`--format ${o.format}: expected one of ${TABLE_FORMATS.join(', ')}`);
  return f;
}

export interface DissectorChoice {
  dissector?: string;
  port?: number[];
  dissectors?: string[];
}

/**
 * Which dissector decodes what, from `-d`, `--port` and `--dissectors`: the forced one (on the
 * given ports, or on all its transport's traffic), else every dissector's default ports, and
 * plain TCP for the rest of TCP.
 */
export function bindingFrom(o: DissectorChoice): { binding: DissectorBinding; forced: Dissector | undefined; registry: DissectorRegistry } {
  const registry = registryFrom(o);
  const forced = o.dissector ? registry.get(o.dissector) : undefined;
  const binding = new DissectorBinding({
    forced, ports: o.port ?? [], available: forced ? [] : registry.list(), tcp: forced ? null : registry.get('tcp'),
  });
  return { binding, forced, registry };
}

/** The options every capture-reading command shares: -d, --port, --param, --dissectors. */
export function addDissectorOptions(cmd: Command): Command {
  return cmd
    .option('-d, --dissector <name|file>', 'dissector to use (default: chosen by port; plain TCP for other TCP)')
    .option('--port <n>', 'bind the dissector to this UDP/TCP port, either direction (repeatable)', collectPorts)
    .option('--param <k=v>', 'dissector parameter, e.g. N=10 (repeatable; learned values override)', collectParams)
    .option('--dissectors <dir>', 'also look for dissector files in DIR (repeatable)', collectStrings);
}
