/**
 * Expands the capture arguments of a batch: files, directories (their pcap, pcapng and JSON
 * captures, not recursing, sidecars left out) and simple globs (`runs/*.pcap`, `runs/alice-?.pcapng`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../input_error.js';

const CAPTURE = /\.(pcap|pcapng|cap|json|ek)$/i;

function isCapture(name: string): boolean {
  return CAPTURE.test(name) && !name.endsWith('.drops.json');
}

function globRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * @example expandCapturePaths(['runs/']) // ['runs/alice.pcap', 'runs/bob.pcap']
 */
export function expandCapturePaths(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (/[*?]/.test(basename(a))) {
      const dir = dirname(a);
      if (/[*?]/.test(dir)) throw new InputError(a, 'only the last path component may hold * or ?');
      const re = globRegex(basename(a));
      const hits = existsSync(dir) ? readdirSync(dir).filter((n) => re.test(n)).sort() : [];
      if (!hits.length) throw new InputError(a, 'no capture matches');
      out.push(...hits.map((n) => join(dir, n)));
    } else if (existsSync(a) && statSync(a).isDirectory()) {
      const hits = readdirSync(a).filter(isCapture).sort();
      if (!hits.length) throw new InputError(a, 'directory holds no .pcap, .pcapng or .json captures');
      out.push(...hits.map((n) => join(a, n)));
    } else {
      if (!existsSync(a)) throw new InputError(a, 'no such file');
      out.push(a);
    }
  }
  return out;
}
