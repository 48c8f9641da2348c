/**
 * Compiles the role references and matchers of a dissector into small functions over decoded
 * fields, so "is this a SYN?" or "what is the ACK number?" means the same thing for every
 * protocol: a TCP flag bit, a sock352 flag, or seed 004's header name "ACK".
 */
import type { Matcher, RoleRef } from './dissector_schema.js';
import type { FieldValue } from './field_io.js';
import { toInt, type Layout } from './layout.js';
import type { SeqNumber } from './segment.js';

export type RoleReader = (fields: Record<string, FieldValue>) => SeqNumber | null;
export type SegmentPredicate = (fields: Record<string, FieldValue>, kind: string | null, payloadLength: number) => boolean;

/** Where each named flag bit lives: flag name → [field name, mask]. */
export type FlagTable = Map<string, [string, number]>;

/** True when every bit of the flag's mask is set in the decoded fields. */
export function flagIsSet(fields: Record<string, FieldValue>, at: [string, number]): boolean {
  return (Number(fields[at[0]]) & at[1]) === at[1];
}

export class RoleError extends Error {}

function numberOf(v: FieldValue | undefined, asciiDecimal: boolean): SeqNumber | null {
  if (v === undefined) return null;
  if (asciiDecimal) {
    const text = typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('latin1').replace(/\0.*$/s, '') : String(v);
    const t = text.trim();
    if (!/^-?\d+$/.test(t)) return null;
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : BigInt(t);
  }
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/**
 * A function reading a role's number from decoded fields.
 *
 * @example compileRole({ field: 'payload', encoding: 'ascii-decimal' }, layout)({ payload: '10' }) // 10
 */
export function compileRole(ref: RoleRef | undefined, layout: Layout, role: string): RoleReader | null {
  if (ref === undefined) return null;
  const r = typeof ref === 'string' ? { field: ref } : ref;
  const f = layout.fields.find((x) => x.name === r.field);
  if (!f) throw new RoleError(`role ${role} names field "${r.field}", which does not exist`);
  const ascii = 'encoding' in r && r.encoding === 'ascii-decimal';
  const mask = 'mask' in r && r.mask !== undefined ? toInt(r.mask) : undefined;
  const shift = ('shift' in r && r.shift) || 0;
  const scale = ('scale' in r && r.scale) || 1;
  const add = ('offset' in r && r.offset) || 0;
  const name = r.field;
  if (mask === undefined && shift === 0 && scale === 1 && add === 0) {
    if (ascii) return (fields) => numberOf(fields[name], true);
    return (fields) => { const v = fields[name]; return typeof v === 'number' ? v : numberOf(v, false); };
  }
  return (fields) => {
    const v = numberOf(fields[name], ascii);
    if (v === null) return null;
    let n = Number(v);
    if (mask !== undefined) n = Number(BigInt(n) & BigInt(mask));
    if (shift) n = Math.floor(n / 2 ** shift);
    return n * scale + add;
  };
}

const asList = (x: string | string[] | undefined): string[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/**
 * A predicate for a matcher ("always", {flag: "SYN"}, {kind: ["DONE"]}, {field, equals}).
 *
 * @example compileMatcher({ flag: 'SYN', notFlag: 'ACK' }, flagTable, 'semantics.syn')
 */
export function compileMatcher(m: Matcher | undefined, flagTable: FlagTable, what: string): SegmentPredicate | null {
  if (m === undefined) return null;
  if (m === 'always') return () => true;
  if (m === 'never') return () => false;
  const need = asList(m.flag);
  const not = asList(m.notFlag);
  const at = (f: string): [string, number] => {
    const loc = flagTable.get(f);
    if (!loc) throw new RoleError(`${what} names flag "${f}", which no field declares`);
    return loc;
  };
  const needAt = need.map(at);
  const notAt = not.map(at);
  const kinds = asList(m.kind);
  const field = m.field;
  const equals = (m.equals === undefined ? [] : Array.isArray(m.equals) ? m.equals : [m.equals]).map(String);
  const hasPayload = m.hasPayload;
  // Each condition becomes one small closure; the common single-condition matchers are
  // returned as is, so "is this a SYN?" costs one property load and a mask per segment.
  const checks: SegmentPredicate[] = [];
  for (const [fname, mask] of needAt) checks.push((fields) => (Number(fields[fname]) & mask) === mask);
  for (const [fname, mask] of notAt) checks.push((fields) => (Number(fields[fname]) & mask) !== mask);
  if (kinds.length === 1) { const k = kinds[0]; checks.push((_f, kind) => kind === k); }
  else if (kinds.length > 1) checks.push((_f, kind) => kind !== null && kinds.includes(kind));
  if (field !== undefined) checks.push((fields) => equals.includes(String(fields[field])));
  if (hasPayload !== undefined) checks.push((_f, _k, len) => (len > 0) === hasPayload);
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0];
  return (fields, kind, len) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i](fields, kind, len)) return false;
    return true;
  };
}

/**
 * How generated decoders name things: the local holding each field's value, the locals holding
 * the kind and payload length, and a pool for constants the source cannot spell inline.
 */
export interface SourceScope {
  /** The JS expression (a local) holding a field's value, or undefined for a field the layout lacks. */
  local(field: string): string | undefined;
  kind: string;
  payloadLength: string;
  /** Adds a constant to the pool; returns the expression that reads it back. */
  constant(v: unknown): string;
}

const INT32_TYPES = new Set(['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'bits']);
const NUMBER_TYPES = new Set([...INT32_TYPES, 'f32', 'f64']);

/**
 * The JS expression compileRole's reader would compute, over field locals instead of a fields
 * object, or null when the role needs the general reader (ASCII decimal, 64-bit masks).
 * The expression yields a number, a bigint or null, exactly as the reader does.
 *
 * @example roleSource('seq', layout, scope) // 'v2' (the local holding field seq)
 */
export function roleSource(ref: RoleRef | undefined, layout: Layout, scope: SourceScope): string | null {
  if (ref === undefined) return 'null';
  const r = typeof ref === 'string' ? { field: ref } : ref;
  const f = layout.fields.find((x) => x.name === r.field);
  const v = scope.local(r.field);
  if (!f || v === undefined) return null;
  if ('encoding' in r && r.encoding === 'ascii-decimal') return null;
  const mask = 'mask' in r && r.mask !== undefined ? toInt(r.mask) : undefined;
  const shift = ('shift' in r && r.shift) || 0;
  const scale = ('scale' in r && r.scale) || 1;
  const add = ('offset' in r && r.offset) || 0;
  if (mask === undefined && shift === 0 && scale === 1 && add === 0) {
    if (NUMBER_TYPES.has(f.type) || f.type === 'u64' || f.type === 'i64') return v;
    if (f.type === 'bool') return `(${v} ? 1 : 0)`;
    return 'null'; // text and bytes carry no binary number
  }
  // Inline only what int32 arithmetic computes exactly like the reader's BigInt mask.
  if (!INT32_TYPES.has(f.type) || (mask !== undefined && (mask < 0 || mask > 0xffffffff))) return null;
  let n = mask === undefined ? v : `((${v} & ${mask}) >>> 0)`;
  if (shift) n = `Math.floor(${n} / ${2 ** shift})`;
  return `(${n} * ${scale} + ${add})`;
}

/**
 * The JS expression compileMatcher's predicate computes, over field locals, or 'undefined'
 * source when `m` is undefined (the caller picks the default).
 *
 * @example matcherSource({ flag: 'SYN' }, flagTable, scope, 'semantics.syn') // '((v5 & 2) === 2)'
 */
export function matcherSource(m: Matcher | undefined, flagTable: FlagTable, layout: Layout, scope: SourceScope, what: string): string | null {
  if (m === undefined) return null;
  if (m === 'always') return 'true';
  if (m === 'never') return 'false';
  const at = (f: string): [string, number] => {
    const loc = flagTable.get(f);
    if (!loc) throw new RoleError(`${what} names flag "${f}", which no field declares`);
    return loc;
  };
  const bits = (fname: string, mask: number, set: boolean): string => {
    const f = layout.fields.find((x) => x.name === fname);
    const v = scope.local(fname) ?? 'undefined';
    const n = f && INT32_TYPES.has(f.type) ? v : `Number(${v})`;
    return `((${n} & ${mask}) ${set ? '===' : '!=='} ${mask})`;
  };
  const checks: string[] = [];
  for (const [fname, mask] of asList(m.flag).map(at)) checks.push(bits(fname, mask, true));
  for (const [fname, mask] of asList(m.notFlag).map(at)) checks.push(bits(fname, mask, false));
  const kinds = asList(m.kind);
  if (kinds.length === 1) checks.push(`${scope.kind} === ${JSON.stringify(kinds[0])}`);
  else if (kinds.length > 1) checks.push(`(${scope.kind} !== null && ${scope.constant(kinds)}.includes(${scope.kind}))`);
  if (m.field !== undefined) {
    const equals = (m.equals === undefined ? [] : Array.isArray(m.equals) ? m.equals : [m.equals]).map(String);
    checks.push(`${scope.constant(equals)}.includes(String(${scope.local(m.field) ?? 'undefined'}))`);
  }
  if (m.hasPayload !== undefined) checks.push(`((${scope.payloadLength} > 0) === ${m.hasPayload})`);
  if (checks.length === 0) return 'true';
  return `(${checks.join(' && ')})`;
}
