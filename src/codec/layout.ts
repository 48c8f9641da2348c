/**
 * Turns a dissector's field list (or struct format plus names) into a fixed layout: every field
 * with its byte offset, size, type and byte order, for one set of parameter values.
 */
import type { DissectorDef, FieldSpec, FieldType } from './dissector_schema.js';
import { fillStructParams, parseStructFormat, StructFormatError } from './struct_format.js';

export interface LayoutField {
  name: string;
  type: FieldType;
  offset: number;
  /** Bytes on the wire; for `bits` fields the size of the byte run holding them. */
  size: number;
  byteOrder: 'big' | 'little';
  encoding: 'ascii' | 'utf8' | 'latin1';
  /** Named flag bits as [name, mask]. */
  flags: Array<[string, number]>;
  /** Value names, keyed by the value's decimal text (numbers) or the text itself (strings). */
  enumNames: Record<string, string> | null;
  /** For `bits`: start of the run, the bit offset from its most significant bit, and the width. */
  bitRunOffset: number;
  bitRunSize: number;
  bitOffset: number;
  bitWidth: number;
  description: string;
}

export interface Layout {
  fields: LayoutField[];
  /** Padding runs as [offset, length]: written as zeros, skipped on decode. */
  padding: Array<[number, number]>;
  size: number;
}

export class LayoutError extends Error {}

const FIXED_SIZE: Partial<Record<FieldType, number>> = {
  u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, u64: 8, i64: 8, f64: 8,
};

/** Parses "0x10" or 16 into a number. */
export function toInt(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

function resolveSize(size: number | string | undefined, params: Record<string, number>, what: string): number {
  if (size === undefined) throw new LayoutError(`${what} needs a size`);
  if (typeof size === 'number') return size;
  const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(size);
  const v = m ? params[m[1]] : Number(size);
  if (v === undefined || !Number.isInteger(v) || v < 0) throw new LayoutError(`${what}: size "${size}" is not a byte count (parameters: ${JSON.stringify(params)})`);
  return v;
}

function baseField(spec: FieldSpec, type: FieldType, offset: number, size: number, order: 'big' | 'little'): LayoutField {
  return {
    name: spec.name,
    type,
    offset,
    size,
    byteOrder: spec.byteOrder ?? order,
    encoding: spec.encoding ?? 'utf8',
    flags: Object.entries(spec.flags ?? {}).map(([n, m]) => [n, toInt(m)] as [string, number]),
    enumNames: spec.enum ?? null,
    bitRunOffset: 0, bitRunSize: 0, bitOffset: 0, bitWidth: 0,
    description: spec.description ?? '',
  };
}

function fromStruct(def: DissectorDef, params: Record<string, number>): Layout {
  let st;
  try {
    st = parseStructFormat(fillStructParams(def.struct!, params), def.nativeOrder ?? 'little');
  } catch (e) {
    if (e instanceof StructFormatError) throw new LayoutError(e.message);
    throw e;
  }
  const names = def.fields ?? [];
  if (names.length !== st.items.length) {
    throw new LayoutError(`struct "${def.struct}" has ${st.items.length} items but ${names.length} field names are given`);
  }
  const fields = st.items.map((item, k) => {
    const n = names[k];
    const spec: FieldSpec = typeof n === 'string' ? { name: n } : n;
    const type = spec.type ?? item.type;
    if ((type === 'bytes' || type === 'string') !== (item.type === 'bytes' || item.type === 'string')) {
      throw new LayoutError(`field ${spec.name}: type ${type} does not fit struct item '${item.code}'`);
    }
    return baseField(spec, type, item.offset, item.size, item.byteOrder);
  });
  return { fields, padding: st.padding, size: st.size };
}

function fromFields(def: DissectorDef, params: Record<string, number>): Layout {
  const order = def.byteOrder ?? 'big';
  const fields: LayoutField[] = [];
  const padding: Array<[number, number]> = [];
  let offset = 0;
  let bitRun: LayoutField[] = [];
  let bitPos = 0;
  const closeBitRun = () => {
    if (bitRun.length === 0) return;
    if (bitPos % 8 !== 0) throw new LayoutError(`bit fields ${bitRun.map((f) => f.name).join(', ')} cover ${bitPos} bits, not whole bytes`);
    const runSize = bitPos / 8;
    if (runSize > 6) throw new LayoutError(`a run of bit fields may span at most 6 bytes (${bitRun[0].name}…)`);
    for (const f of bitRun) { f.bitRunSize = runSize; f.size = runSize; }
    offset += runSize;
    bitRun = [];
    bitPos = 0;
  };
  for (const entry of def.fields ?? []) {
    if (typeof entry === 'string') throw new LayoutError(`field "${entry}" needs a type (or give a struct format)`);
    const type = entry.type;
    if (!type) throw new LayoutError(`field "${entry.name}" needs a type`);
    if (type === 'bits') {
      const width = resolveSize(entry.size, params, `bit field ${entry.name}`);
      if (width < 1 || width > 32) throw new LayoutError(`bit field ${entry.name}: width ${width} is not 1..32`);
      const f = baseField(entry, 'bits', offset, 0, order);
      f.bitRunOffset = offset;
      f.bitOffset = bitPos;
      f.bitWidth = width;
      bitPos += width;
      bitRun.push(f);
      fields.push(f);
      continue;
    }
    closeBitRun();
    const size = FIXED_SIZE[type] ?? resolveSize(entry.size, params, `field ${entry.name}`);
    if (type === 'pad') { padding.push([offset, size]); offset += size; continue; }
    fields.push(baseField(entry, type, offset, size, order));
    offset += size;
  }
  closeBitRun();
  return { fields, padding, size: offset };
}

/**
 * The layout of a dissector's header for the given parameter values.
 *
 * @example
 * layoutOf(packageDef, { N: 10 }).size // 44
 */
export function layoutOf(def: DissectorDef, params: Record<string, number>): Layout {
  const layout = def.struct ? fromStruct(def, params) : fromFields(def, params);
  for (const [name, o] of Object.entries(def.fieldOverrides ?? {})) {
    const f = layout.fields.find((x) => x.name === name);
    if (!f) throw new LayoutError(`fieldOverrides names "${name}", which is not a field`);
    if (o.flags) f.flags = Object.entries(o.flags).map(([n, m]) => [n, toInt(m)]);
    if (o.enum) f.enumNames = o.enum;
    if (o.byteOrder) f.byteOrder = o.byteOrder;
    if (o.encoding) f.encoding = o.encoding;
    if (o.description) f.description = o.description;
    if (o.type && o.type !== f.type) {
      const textual = (t: FieldType) => t === 'bytes' || t === 'string';
      if (!textual(o.type) || !textual(f.type)) throw new LayoutError(`fieldOverrides cannot change ${name} from ${f.type} to ${o.type}`);
      f.type = o.type;
    }
  }
  const seen = new Set<string>();
  for (const f of layout.fields) {
    if (seen.has(f.name)) throw new LayoutError(`field name "${f.name}" is used twice`);
    seen.add(f.name);
  }
  return layout;
}
