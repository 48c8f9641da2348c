/**
 * Loads a scenario file: JSON, validated against the scenario schema, with its dissector found
 * and `sent.file` hashed. Every problem is an InputError naming the file and the JSON path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ZodError } from 'zod';
import type { Dissector } from '../codec/dissector.js';
import { DissectorRegistry } from '../codec/dissector_registry.js';
import { InputError } from '../input_error.js';
import { scenarioSpec, type PolicyName, type ScenarioDef } from './scenario_schema.js';

/** What was sent, reduced to what delivery is checked against. */
export interface SentData {
  sha256: string;
  length: number;
  /** The bytes themselves when known (message text or file): lets a mismatch point at a frame. */
  bytes: Buffer | null;
}

/** A validated scenario with everything it names resolved. */
export interface Scenario {
  file: string;
  def: ScenarioDef;
  dissector: Dissector;
  policy: PolicyName;
  /** Parameters in force: the scenario's, else the dissector's policy defaults. */
  window: number | null;
  timeout: number | null;
  maxRetries: number | null;
  dupAckThreshold: number;
  sent: SentData | null;
}

function zodMessage(e: ZodError): string {
  const issue = e.issues[0];
  const path = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
  return `${path}: ${issue.message}`;
}

function sentData(def: ScenarioDef, file: string): SentData | null {
  const s = def.sent;
  if (!s) return null;
  if ('message' in s) {
    const bytes = Buffer.from(s.message, 'utf8');
    return { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length, bytes };
  }
  if ('file' in s) {
    const path = resolve(dirname(file), s.file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new InputError(file, `sent.file: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length, bytes };
  }
  return { sha256: s.sha256.toLowerCase(), length: s.length, bytes: null };
}

/**
 * Resolves a parsed scenario object (from a file or built in code).
 *
 * @example scenarioFrom({ dissector: 'sock352', params: { window: 4, timeout: 0.2 } }, '<inline>')
 */
export function scenarioFrom(raw: unknown, file: string, registry: DissectorRegistry = new DissectorRegistry()): Scenario {
  let def: ScenarioDef;
  try {
    def = scenarioSpec.parse(raw);
  } catch (e) {
    if (e instanceof ZodError) throw new InputError(file, zodMessage(e));
    throw e;
  }
  const name = def.dissector;
  const looksLikeFile = name.includes('/') || name.endsWith('.json');
  const dissector = registry.get(looksLikeFile ? resolve(dirname(file), name) : name);
  const pol = dissector.def.policy;
  const policy = def.policy ?? pol.model;
  if (!policy) throw new InputError(file, `policy: dissector ${dissector.name} names no policy model; choose one`);
  return {
    file,
    def,
    dissector,
    policy,
    window: def.params.window ?? pol.window ?? null,
    timeout: def.params.timeout ?? pol.timeout ?? null,
    maxRetries: def.params.maxRetries ?? pol.maxRetries ?? null,
    dupAckThreshold: def.params.dupAckThreshold ?? pol.dupAckThreshold ?? 3,
    sent: sentData(def, file),
  };
}

/**
 * Reads and resolves a scenario file.
 *
 * @example const sc = loadScenario('fixtures/scenarios/package-lost-data.json'); sc.policy // 'package-threshold'
 */
export function loadScenario(file: string, registry?: DissectorRegistry): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read scenario (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not JSON: ${(e as Error).message}`);
  }
  return scenarioFrom(raw, resolve(file), registry);
}
