/**
 * Finds and loads dissector files: the shipped ones in `dissectors/`, directories named in
 * ACKTRACE_DISSECTORS (separated by the platform's path delimiter), and any file a user names.
 * `extends` merges a variant onto its base before validation, so a variant is a few lines.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZodError } from 'zod';
import { InputError } from '../input_error.js';
import { Dissector } from './dissector.js';
import { dissectorSpec, type DissectorDef } from './dissector_schema.js';
import { LayoutError } from './layout.js';
import { RoleError } from './roles.js';

let shippedDir: string | null = null;

/**
 * The `dissectors/` folder shipped with the package: beside the nearest package.json above
 * this module, so it is found from src/, dist/ and any other build folder alike.
 */
export function shippedDissectorDir(): string {
  if (shippedDir) return shippedDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dissectors'))) return (shippedDir = join(dir, 'dissectors'));
    const up = dirname(dir);
    if (up === dir) return (shippedDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../dissectors'));
    dir = up;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars of the variant replace the base's. */
function mergeOnto(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: { [k: string]: Json } = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeOnto(out[k], v) : v;
  return out;
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read dissector: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new InputError(file, `not valid JSON: ${(e as Error).message.split('\n')[0]}`, m ? { offset: Number(m[1]) } : {});
  }
}

function zodMessage(e: ZodError): string {
  const issue = e.issues[0];
  const path = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
  return `${path}: ${issue.message}`;
}

export class DissectorRegistry {
  private readonly dirs: string[];
  private readonly cache = new Map<string, Dissector>();

  /**
   * @example
   * const reg = new DissectorRegistry();          // shipped + $ACKTRACE_DISSECTORS
   * reg.get('sock352').decode(buf, 0, buf.length);
   */
  constructor(extraDirs: string[] = []) {
    const env = process.env.ACKTRACE_DISSECTORS;
    this.dirs = [...extraDirs, ...(env ? env.split(delimiter).filter(Boolean) : []), shippedDissectorDir()];
  }

  /** Every dissector file found on the search path, by name (the first found wins). */
  files(): Map<string, string> {
    const out = new Map<string, string>();
    for (const dir of this.dirs) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.json')) continue;
        const name = f.slice(0, -'.json'.length);
        if (!out.has(name)) out.set(name, join(dir, f));
      }
    }
    return out;
  }

  /** All dissectors on the search path, loaded. A broken user file throws its InputError. */
  list(): Dissector[] {
    return [...this.files().values()].map((f) => this.load(f));
  }

  /** A dissector by name, or by file path (anything containing a slash or ending in .json). */
  get(nameOrFile: string): Dissector {
    const looksLikeFile = nameOrFile.includes('/') || nameOrFile.includes('\\') || nameOrFile.endsWith('.json');
    if (looksLikeFile) return this.load(resolve(nameOrFile));
    const file = this.files().get(nameOrFile);
    if (!file) {
      const known = [...this.files().keys()].join(', ');
      throw new InputError(nameOrFile, `no such dissector (known: ${known}; or give a file path)`);
    }
    return this.load(file);
  }

  /** Loads, merges `extends`, validates and compiles one file. */
  load(file: string): Dissector {
    const hit = this.cache.get(file);
    if (hit) return hit;
    const def = this.resolveDef(file, new Set());
    let d: Dissector;
    try {
      d = new Dissector(def, file);
    } catch (e) {
      if (e instanceof LayoutError || e instanceof RoleError) throw new InputError(file, e.message);
      throw e;
    }
    this.cache.set(file, d);
    return d;
  }

  private rawMerged(file: string, seen: Set<string>): Json {
    if (seen.has(file)) throw new InputError(file, '"extends" forms a cycle');
    seen.add(file);
    const raw = readJson(file);
    if (!isObject(raw)) throw new InputError(file, 'a dissector file is a JSON object');
    const ext = raw.extends;
    if (ext === undefined) return raw;
    if (typeof ext !== 'string') throw new InputError(file, 'extends: expected a dissector name or path');
    const baseFile = ext.includes('/') || ext.endsWith('.json') ? resolve(dirname(file), ext) : this.files().get(ext);
    if (!baseFile || !existsSync(baseFile) || !statSync(baseFile).isFile()) throw new InputError(file, `extends: no dissector "${ext}"`);
    const base = this.rawMerged(baseFile, seen);
    const { extends: _drop, ...rest } = raw;
    const merged = mergeOnto(base, rest) as { [k: string]: Json };
    delete merged.$schema;
    return merged;
  }

  private resolveDef(file: string, seen: Set<string>): DissectorDef {
    const merged = this.rawMerged(file, seen);
    try {
      return dissectorSpec.parse(merged);
    } catch (e) {
      if (e instanceof ZodError) throw new InputError(file, zodMessage(e));
      throw e;
    }
  }
}

/**
 * Compiles a dissector from a plain object (tests, the scaffolder, library users).
 *
 * @example compileDissector({ name: 'x', struct: '!HH', fields: ['a', 'b'], binding: { transport: 'udp' } })
 */
export function compileDissector(spec: unknown, source = '<inline>'): Dissector {
  try {
    return new Dissector(dissectorSpec.parse(spec), source);
  } catch (e) {
    if (e instanceof ZodError) throw new InputError(source, zodMessage(e));
    if (e instanceof LayoutError || e instanceof RoleError) throw new InputError(source, e.message);
    throw e;
  }
}
