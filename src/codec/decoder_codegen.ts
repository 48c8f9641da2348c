/**
 * Compiles a layout into one straight-line function that reads every field into an object
 * literal. Every segment then gets an object of the same hidden class and no interpretation
 * loop runs per field: this is what makes a million segments a second possible.
 * The generated code must agree with readField (field_io.ts); a property test checks that.
 */
import type { DissectorDef } from './dissector_schema.js';
import type { Layout, LayoutField } from './layout.js';
import { i64From, readPaddedString, u64From, type FieldValue } from './field_io.js';
import { matcherSource, roleSource, type FlagTable, type RoleReader, type SourceScope } from './roles.js';
import type { ChecksumStatus, Segment } from './segment.js';

export type FieldsDecoder = (b: Buffer, base: number) => Record<string, FieldValue>;

/**
 * Multi-byte integers are read through a DataView of the buffer: TurboFan inlines its getters
 * into single loads, about half the cost of assembling the value from bytes (each byte index
 * is bounds-checked), and Buffer's own readUInt32BE & co validate their arguments per call.
 * The view of the last buffer is cached across all decoders: a capture reader hands out the
 * same window buffer for thousands of packets, so a view is made once per chunk, not per packet.
 */
const viewCache: { buf: Uint8Array | null; view: DataView | null } = { buf: null, view: null };

/** Generated prologue that binds `dv` to a view of `b`. */
const VIEW_PROLOGUE = 'let dv = V.view; if (b !== V.buf) { V.buf = b; dv = V.view = new DataView(b.buffer, b.byteOffset, b.byteLength); }';

/**
 * u64From with the common case first: a high half of 0 yields the low half as is, a small
 * integer V8 stores unboxed, where `0 * 2^32 + lo` would be a heap-allocated double.
 */
function u64Fast(hi: number, lo: number): number | bigint {
  return hi === 0 ? lo : u64From(hi, lo);
}

function readExpr(f: LayoutField, baseName = 'base'): string {
  const o = `${baseName} + ${f.offset}`;
  const little = f.byteOrder === 'little';
  const get = (what: string, at: string) => `dv.get${what}(${at}, ${little})`;
  const hi = `${baseName} + ${f.offset + (little ? 4 : 0)}`;
  const lo = `${baseName} + ${f.offset + (little ? 0 : 4)}`;
  switch (f.type) {
    case 'u8': return `b[${o}]`;
    case 'i8': return `(b[${o}] << 24 >> 24)`;
    case 'bool': return `b[${o}] !== 0`;
    case 'u16': return get('Uint16', o);
    case 'i16': return get('Int16', o);
    case 'u32': return get('Uint32', o);
    case 'i32': return get('Int32', o);
    case 'u64': return `u64Fast(${get('Uint32', hi)}, ${get('Uint32', lo)})`;
    case 'i64': return `i64From(${get('Int32', hi)}, ${get('Uint32', lo)})`;
    case 'f32': return get('Float32', o);
    case 'f64': return get('Float64', o);
    case 'string': return `readPaddedString(b, ${o}, ${f.size}, ${JSON.stringify(f.encoding === 'ascii' ? 'latin1' : f.encoding)})`;
    case 'bytes': return `slice.call(b, ${o}, ${o} + ${f.size})`;
    case 'bits': {
      let run = '';
      for (let i = 0; i < f.bitRunSize; i++) run = i === 0 ? `b[${baseName} + ${f.bitRunOffset}]` : `(${run}) * 256 + b[${baseName} + ${f.bitRunOffset + i}]`;
      const shift = f.bitRunSize * 8 - f.bitOffset - f.bitWidth;
      return `Math.floor((${run}) / ${2 ** shift}) % ${2 ** f.bitWidth}`;
    }
    case 'pad': return '0';
  }
}

/**
 * Builds the decoder for a layout. The caller guarantees `base + layout.size <= b.length`.
 *
 * @example
 * const dec = compileFieldsDecoder(layoutOf(def, {}));
 * dec(buf, 0).sequence_no
 */
export function compileFieldsDecoder(layout: Layout): FieldsDecoder {
  const props = layout.fields.map((f) => `${JSON.stringify(f.name)}: ${readExpr(f)}`).join(',\n    ');
  const body = `return function decodeFields(b, base) {\n  ${VIEW_PROLOGUE}\n  return {\n    ${props}\n  };\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('V', 'u64Fast', 'i64From', 'readPaddedString', 'slice', body) as (...a: unknown[]) => FieldsDecoder;
  return make(viewCache, u64Fast, i64From, readPaddedString, Uint8Array.prototype.slice);
}

/** Decodes a complete header (len ≥ layout.size) at `off` into a Segment. */
export type SegmentDecoder = (b: Buffer, off: number, len: number, params: Record<string, number>, pseudoSum: number | undefined) => Segment;

/** What a dissector knows about one compiled layout, for compileSegmentDecoder. */
export interface SegmentPlan {
  layout: Layout;
  def: DissectorDef;
  flagTable: FlagTable;
  /** [flag, field, mask] in declaration order: the order of Segment.flags. */
  flagList: ReadonlyArray<[string, string, number]>;
  /** The general role readers, for roles the generated code cannot inline (ASCII decimal). */
  readers: { seq: RoleReader | null; ack: RoleReader | null; window: RoleReader | null; payloadLength: RoleReader | null; headerLength: RoleReader | null };
  kindField: LayoutField | undefined;
  payloadField: LayoutField | undefined;
  /** Kind text of a kind field value, and whether that value has no enum name. */
  kindText: (v: FieldValue) => string;
  unknownKind: (v: FieldValue) => boolean;
  /** Checksum verification, or null when the dissector has none. */
  verifyChecksum: ((b: Buffer, off: number, headerLength: number, payloadOffset: number, payloadLength: number, pseudoSum: number | undefined, stored: number) => ChecksumStatus) | null;
  /** The field holding the stored checksum (its local is handed to verifyChecksum). */
  checksumField: LayoutField | undefined;
  /** The shared empty list (no warnings, no flags). */
  none: string[];
}

/**
 * Builds ONE function per compiled layout that reads every field into a local, builds the
 * fields object from them and computes the roles (seq, ack, window, lengths, flags, syn/fin/rst,
 * hasAck, isData) from the same locals: no closure per role, no lookups by field name, and no
 * allocation beyond the Segment, its fields object and (rarely) warnings. It must agree with
 * Dissector.decode's general path; the codec tests compare both on every fixture.
 *
 * @example
 * const dec = compileSegmentDecoder(plan);
 * dec(buf, 0, buf.length, params, undefined).seq
 */
export function compileSegmentDecoder(p: SegmentPlan): SegmentDecoder {
  const { layout, def } = p;
  const K: unknown[] = [];
  const locals = new Map(layout.fields.map((f, i) => [f.name, `v${i}`]));
  const scope: SourceScope = {
    local: (name) => locals.get(name),
    kind: 'kind',
    payloadLength: 'payloadLength',
    constant: (v) => { K.push(v); return `K[${K.length - 1}]`; },
  };
  const role = (which: keyof SegmentPlan['readers']): string => {
    const src = roleSource(def.roles[which], layout, scope);
    if (src !== null) return src;
    return `${scope.constant(p.readers[which])}(fields)`;
  };
  const size = layout.size;
  const lines: string[] = [VIEW_PROLOGUE];
  layout.fields.forEach((f, i) => lines.push(`const v${i} = ${readExpr(f, 'off')};`));
  lines.push(`const fields = { ${layout.fields.map((f, i) => `${JSON.stringify(f.name)}: v${i}`).join(', ')} };`);
  lines.push('let warnings = NONE;', `let headerLength = ${size};`);
  if (def.roles.headerLength !== undefined) {
    lines.push(`{ const h = Number(${role('headerLength')});`,
      `  if (!Number.isInteger(h) || h < ${size}) warnings = W(warnings, 'bad-header-length');`,
      `  else if (h > len) warnings = W(warnings, 'truncated');`,
      '  else headerLength = h; }');
  }
  lines.push(`const options = headerLength > ${size} ? slice.call(b, off + ${size}, off + headerLength) : null;`);
  lines.push('let payloadOffset = off + headerLength;', 'let payloadLength = len - headerLength;');
  const pf = p.payloadField;
  if (pf !== undefined) {
    lines.push(`payloadOffset = off + ${pf.offset};`, 'payloadLength = 0;',
      `while (payloadLength < ${pf.size} && b[payloadOffset + payloadLength] !== 0) payloadLength++;`);
  } else if (def.roles.payloadLength !== undefined) {
    lines.push(`{ const p = Number(${role('payloadLength')});`,
      `  if (!Number.isInteger(p) || p < 0) warnings = W(warnings, 'bad-payload-length');`,
      `  else if (p > payloadLength) warnings = W(warnings, 'truncated');`,
      `  else { if (p < payloadLength) warnings = W(warnings, 'trailing-bytes'); payloadLength = p; } }`);
  }
  lines.push('let kind = null;');
  const kf = p.kindField;
  if (kf !== undefined) {
    const v = locals.get(kf.name)!;
    lines.push(`kind = kindText(${v});`, `if (unknownKind(${v})) warnings = W(warnings, 'unknown-kind');`);
  }
  lines.push(...flagLines(p, scope));
  const s = def.semantics;
  const hasAckRole = def.roles.ack !== undefined;
  const m = (x: Parameters<typeof matcherSource>[0], what: string, dflt: string) => matcherSource(x, p.flagTable, layout, scope, what) ?? dflt;
  lines.push(`const hasAck = ${hasAckRole ? m(s.ack, 'semantics.ack', 'true') : 'false'};`);
  const stored = p.checksumField ? locals.get(p.checksumField.name) : undefined;
  const ck = p.verifyChecksum && stored ? `${scope.constant(p.verifyChecksum)}(b, off, headerLength, payloadOffset, payloadLength, pseudoSum, Number(${stored}))` : "'none'";
  lines.push('return {',
    '  fields, headerLength, options, payloadOffset: payloadOffset - off, payloadLength, flags, kind,',
    `  seq: ${role('seq')},`,
    `  ack: hasAck ? ${role('ack')} : null,`,
    `  window: numberOrNull(${role('window')}),`,
    `  syn: ${m(s.syn, 'semantics.syn', 'false')},`,
    `  fin: ${m(s.fin, 'semantics.fin', 'false')},`,
    `  rst: ${m(s.rst, 'semantics.rst', 'false')},`,
    '  hasAck,',
    `  isData: ${m(s.data, 'semantics.data', '(payloadLength > 0)')},`,
    `  checksum: ${ck},`,
    '  warnings, params,',
    '};');
  const body = `return function decodeSegment(b, off, len, params, pseudoSum) {\n  ${lines.join('\n  ')}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('V', 'K', 'NONE', 'W', 'numberOrNull', 'kindText', 'unknownKind', 'flagSet', 'u64Fast', 'i64From', 'readPaddedString', 'slice', body) as (...a: unknown[]) => SegmentDecoder;
  return make(viewCache, K, p.none, withWarning(p.none), numberOrNull, p.kindText, p.unknownKind, flagSets(p.flagList, p.none), u64Fast, i64From, readPaddedString, Uint8Array.prototype.slice);
}

/** Flag tests as one bit mask, then one shared list per combination (see flagSets). */
function flagLines(p: SegmentPlan, scope: SourceScope): string[] {
  const fl = p.flagList;
  if (fl.length === 0) return ['const flags = NONE;'];
  const out = ['let bits = 0;'];
  fl.forEach(([flag], i) => {
    out.push(`if (${matcherSource({ flag }, p.flagTable, p.layout, scope, 'flags')}) bits += ${2 ** i};`);
  });
  out.push('const flags = flagSet(bits);');
  return out;
}

/**
 * Segment.flags for a combination of set flags (bit i = flagList[i]). Up to 12 flags the lists
 * are frozen and shared (at most 4096, made on first use): most captures use a handful of
 * combinations, so flags cost no allocation. Beyond that each segment gets its own list.
 */
function flagSets(fl: ReadonlyArray<[string, string, number]>, none: string[]): (bits: number) => string[] {
  const make = (bits: number): string[] => fl.filter((_, i) => Math.floor(bits / 2 ** i) % 2 === 1).map(([f]) => f);
  if (fl.length > 12) return (bits) => (bits === 0 ? none : make(bits));
  const cache: Array<string[] | undefined> = new Array(2 ** fl.length);
  cache[0] = none;
  return (bits) => cache[bits] ?? (cache[bits] = Object.freeze(make(bits)) as string[]);
}

function withWarning(none: string[]): (list: string[], w: string) => string[] {
  return (list, w) => {
    if (list === none) return [w];
    list.push(w);
    return list;
  };
}

function numberOrNull(v: number | bigint | null): number | null {
  return v === null ? null : typeof v === 'number' ? v : Number(v);
}
