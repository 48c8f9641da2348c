/**
 * Option parsers shared by commands: repeatable --port, --param k=v, and the dissector
 * registry (shipped dissectors + --dissectors DIR + $ACKTRACE_DISSECTORS).
 */
import { DissectorRegistry } from '../codec/dissector_registry.js';
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
