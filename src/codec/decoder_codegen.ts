/**
 * Compiles a layout into one straight-line function that reads every field into an object
 * literal. Every segment then gets an object of the same hidden class and no interpretation
 * loop runs per field: this is what makes a million segments a second possible.
 * The generated code must agree with readField (field_io.ts); a property test checks that.
 */
import type { Layout, LayoutField } from './layout.js';
import { i64From, readPaddedString, u64From, type FieldValue } from './field_io.js';

export type FieldsDecoder = (b: Buffer, base: number) => Record<string, FieldValue>;

/** Big-endian byte expressions: plain indexing avoids Buffer's per-call bounds validators. */
function be(o: string, n: number): string {
  const byte = (k: number) => `b[${o} + ${k}]`;
  if (n === 2) return `(${byte(0)} << 8 | ${byte(1)})`;
  return `(${byte(0)} * 16777216 + (${byte(1)} << 16 | ${byte(2)} << 8 | ${byte(3)}))`;
}

function le(o: string, n: number): string {
  const byte = (k: number) => `b[${o} + ${k}]`;
  if (n === 2) return `(${byte(1)} << 8 | ${byte(0)})`;
  return `(${byte(3)} * 16777216 + (${byte(2)} << 16 | ${byte(1)} << 8 | ${byte(0)}))`;
}

function readExpr(f: LayoutField): string {
  const o = `base + ${f.offset}`;
  const little = f.byteOrder === 'little';
  const E = little ? 'LE' : 'BE';
  const u = (n: number, at = o) => (little ? le(at, n) : be(at, n));
  switch (f.type) {
    case 'u8': return `b[${o}]`;
    case 'i8': return `(b[${o}] << 24 >> 24)`;
    case 'bool': return `b[${o}] !== 0`;
    case 'u16': return u(2);
    case 'i16': return `(${u(2)} << 16 >> 16)`;
    case 'u32': return u(4);
    case 'i32': return `(${u(4)} | 0)`;
    case 'u64': return little ? `u64From(${u(4, `${o} + 4`)}, ${u(4)})` : `u64From(${u(4)}, ${u(4, `${o} + 4`)})`;
    case 'i64': return little ? `i64From(${u(4, `${o} + 4`)} | 0, ${u(4)})` : `i64From(${u(4)} | 0, ${u(4, `${o} + 4`)})`;
    case 'f32': return `b.readFloat${E}(${o})`;
    case 'f64': return `b.readDouble${E}(${o})`;
    case 'string': return `readPaddedString(b, ${o}, ${f.size}, ${JSON.stringify(f.encoding === 'ascii' ? 'latin1' : f.encoding)})`;
    case 'bytes': return `slice.call(b, ${o}, ${o} + ${f.size})`;
    case 'bits': {
      let run = '';
      for (let i = 0; i < f.bitRunSize; i++) run = i === 0 ? `b[base + ${f.bitRunOffset}]` : `(${run}) * 256 + b[base + ${f.bitRunOffset + i}]`;
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
  const body = `return function decodeFields(b, base) {\n  return {\n    ${props}\n  };\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('u64From', 'i64From', 'readPaddedString', 'slice', body) as (...a: unknown[]) => FieldsDecoder;
  return make(u64From, i64From, readPaddedString, Uint8Array.prototype.slice);
}
