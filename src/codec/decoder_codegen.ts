/**
 * Compiles a layout into one straight-line function that reads every field into an object
 * literal. Every segment then gets an object of the same hidden class and no interpretation
 * loop runs per field: this is what makes a million segments a second possible.
 * The generated code must agree with readField (field_io.ts); a property test checks that.
 */
import type { Layout, LayoutField } from './layout.js';
import { i64From, readPaddedString, u64From, type FieldValue } from './field_io.js';

export type FieldsDecoder = (b: Buffer, base: number) => Record<string, FieldValue>;

function readExpr(f: LayoutField): string {
  const o = `base + ${f.offset}`;
  const E = f.byteOrder === 'little' ? 'LE' : 'BE';
  switch (f.type) {
    case 'u8': return `b[${o}]`;
    case 'i8': return `b.readInt8(${o})`;
    case 'bool': return `b[${o}] !== 0`;
    case 'u16': return `b.readUInt16${E}(${o})`;
    case 'i16': return `b.readInt16${E}(${o})`;
    case 'u32': return `b.readUInt32${E}(${o})`;
    case 'i32': return `b.readInt32${E}(${o})`;
    case 'u64': return E === 'LE' ? `u64From(b.readUInt32LE(${o} + 4), b.readUInt32LE(${o}))` : `u64From(b.readUInt32BE(${o}), b.readUInt32BE(${o} + 4))`;
    case 'i64': return E === 'LE' ? `i64From(b.readInt32LE(${o} + 4), b.readUInt32LE(${o}))` : `i64From(b.readInt32BE(${o}), b.readUInt32BE(${o} + 4))`;
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
