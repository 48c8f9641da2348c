/**
 * Python `struct` format strings, with their real semantics: byte order and size/alignment
 * mode from the first character, native mode (`@` or no prefix) aligning each item to its
 * size as the C compiler would on x86-64/ARM64 Linux, and counts (`4B` = four items, `10s` =
 * one 10-byte string). `{NAME}` placeholders are filled from parameters first, so seed 004's
 * f-string `f"10s{N}s i d ? i i"` is accepted as written.
 */
import type { FieldType } from './dissector_schema.js';

export interface StructItem {
  type: FieldType;
  /** Byte size of the item (string/bytes length, or the number's width). */
  size: number;
  /** Byte offset of the item in the packed structure. */
  offset: number;
  byteOrder: 'big' | 'little';
  /** The struct character it came from (for messages and the Lua generator). */
  code: string;
}

export interface StructLayout {
  items: StructItem[];
  /** Padding runs ('x' items and alignment gaps) as [offset, length] pairs. */
  padding: Array<[number, number]>;
  size: number;
}

interface CodeInfo { type: FieldType; std: number; native: number }

// Sizes from the Python docs' table; native sizes are those of LP64 (Linux/macOS x86-64, ARM64).
const CODES: Record<string, CodeInfo> = {
  x: { type: 'pad', std: 1, native: 1 },
  c: { type: 'bytes', std: 1, native: 1 },
  b: { type: 'i8', std: 1, native: 1 },
  B: { type: 'u8', std: 1, native: 1 },
  '?': { type: 'bool', std: 1, native: 1 },
  h: { type: 'i16', std: 2, native: 2 },
  H: { type: 'u16', std: 2, native: 2 },
  i: { type: 'i32', std: 4, native: 4 },
  I: { type: 'u32', std: 4, native: 4 },
  l: { type: 'i32', std: 4, native: 8 },
  L: { type: 'u32', std: 4, native: 8 },
  q: { type: 'i64', std: 8, native: 8 },
  Q: { type: 'u64', std: 8, native: 8 },
  n: { type: 'i64', std: -1, native: 8 },
  N: { type: 'u64', std: -1, native: 8 },
  P: { type: 'u64', std: -1, native: 8 },
  f: { type: 'f32', std: 4, native: 4 },
  d: { type: 'f64', std: 8, native: 8 },
  s: { type: 'string', std: 1, native: 1 },
  p: { type: 'bytes', std: 1, native: 1 },
};

const WIDTH_TYPE: Record<string, Record<number, FieldType>> = {
  signed: { 1: 'i8', 2: 'i16', 4: 'i32', 8: 'i64' },
  unsigned: { 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' },
};

export class StructFormatError extends Error {}

/** Replaces `{NAME}` placeholders with parameter values. */
export function fillStructParams(format: string, params: Record<string, number>): string {
  return format.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new StructFormatError(`struct format uses {${name}} but no parameter ${name} is set`);
    if (!Number.isInteger(v) || v < 0) throw new StructFormatError(`parameter ${name}=${v} is not a byte count`);
    return String(v);
  });
}

/** The parameter names a struct format refers to. */
export function structParamNames(format: string): string[] {
  return [...format.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]);
}

/**
 * Lays out a struct format exactly as Python's `struct.calcsize`/`unpack` does.
 *
 * @example
 * parseStructFormat('10s4s i d ? i i').size   // 44: native alignment pads after 's' and '?'
 * parseStructFormat('!BBBBHHLLQQLL').size     // 40
 */
export function parseStructFormat(format: string, nativeOrder: 'big' | 'little' = 'little'): StructLayout {
  let i = 0;
  let order: 'big' | 'little' = nativeOrder;
  let native = true;
  const first = format[0];
  if (first === '@') { i = 1; }
  else if (first === '=') { native = false; i = 1; }
  else if (first === '<') { native = false; order = 'little'; i = 1; }
  else if (first === '>' || first === '!') { native = false; order = 'big'; i = 1; }

  const items: StructItem[] = [];
  const padding: Array<[number, number]> = [];
  let offset = 0;
  while (i < format.length) {
    const ch = format[i];
    if (/\s/.test(ch)) { i++; continue; }
    let count = 1;
    let hasCount = false;
    if (ch >= '0' && ch <= '9') {
      let j = i;
      while (j < format.length && format[j] >= '0' && format[j] <= '9') j++;
      count = Number(format.slice(i, j));
      hasCount = true;
      i = j;
      if (i >= format.length) throw new StructFormatError(`repeat count without a format character in "${format}"`);
    }
    const code = format[i];
    const info = CODES[code];
    if (!info) throw new StructFormatError(`bad char '${code}' in struct format "${format}"`);
    if (code === 'e') throw new StructFormatError('half floats (e) are not supported');
    const size = native ? info.native : info.std;
    if (size < 0) throw new StructFormatError(`'${code}' is only allowed in native mode (@ or no prefix)`);
    i++;
    if (code === 's' || code === 'p') {
      // A count is the string's length, not a repetition; '0s' is an empty string.
      items.push({ type: info.type, size: hasCount ? count : 1, offset, byteOrder: order, code });
      offset += hasCount ? count : 1;
      continue;
    }
    if (code === 'x') {
      padding.push([offset, count]);
      offset += count;
      continue;
    }
    for (let k = 0; k < count; k++) {
      if (native && size > 1 && offset % size !== 0) {
        const gap = size - (offset % size);
        padding.push([offset, gap]);
        offset += gap;
      }
      let type = info.type;
      if (native && (code === 'l' || code === 'L')) type = WIDTH_TYPE[code === 'l' ? 'signed' : 'unsigned'][size];
      items.push({ type, size, offset, byteOrder: order, code });
      offset += size;
    }
  }
  // Python never pads the end of a struct (unlike C's sizeof): '?i' is 8, 'i?' is 5.
  return { items, padding, size: offset };
}
