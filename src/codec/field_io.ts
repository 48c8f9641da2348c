/**
 * Reading and writing one field of a layout at a byte offset. The decoder compiles the read
 * side into straight-line code (see decoder_codegen.ts); these functions are the reference it
 * must agree with, and what encode and truncated segments use.
 */
import type { LayoutField } from './layout.js';

/** A decoded field value. 64-bit integers are numbers while |v| ≤ 2^53 − 1, else bigint. */
export type FieldValue = number | bigint | boolean | string | Uint8Array;

const TWO32 = 4294967296;

/** Combines two 32-bit halves into a number when exact, else a bigint. */
export function u64From(hi: number, lo: number): number | bigint {
  return hi < 0x200000 ? hi * TWO32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Same for a signed 64-bit value whose high half is given as a signed 32-bit number. */
export function i64From(hi: number, lo: number): number | bigint {
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) + BigInt(lo);
}

/** Text of a NUL-padded string field: everything before the first NUL. */
export function readPaddedString(b: Buffer, off: number, size: number, encoding: BufferEncoding): string {
  let end = off;
  const stop = off + size;
  while (end < stop && b[end] !== 0) end++;
  return b.toString(encoding, off, end);
}

function readBits(b: Buffer, f: LayoutField, base: number): number {
  let run = 0;
  for (let i = 0; i < f.bitRunSize; i++) run = run * 256 + b[base + f.bitRunOffset + i];
  const shift = f.bitRunSize * 8 - f.bitOffset - f.bitWidth;
  return Math.floor(run / 2 ** shift) % 2 ** f.bitWidth;
}

/** Reads field `f` of the structure that starts at `base`. */
export function readField(b: Buffer, base: number, f: LayoutField): FieldValue {
  const o = base + f.offset;
  const le = f.byteOrder === 'little';
  switch (f.type) {
    case 'u8': return b[o];
    case 'i8': return b.readInt8(o);
    case 'bool': return b[o] !== 0;
    case 'u16': return le ? b.readUInt16LE(o) : b.readUInt16BE(o);
    case 'i16': return le ? b.readInt16LE(o) : b.readInt16BE(o);
    case 'u32': return le ? b.readUInt32LE(o) : b.readUInt32BE(o);
    case 'i32': return le ? b.readInt32LE(o) : b.readInt32BE(o);
    case 'u64': return le ? u64From(b.readUInt32LE(o + 4), b.readUInt32LE(o)) : u64From(b.readUInt32BE(o), b.readUInt32BE(o + 4));
    case 'i64': return le ? i64From(b.readInt32LE(o + 4), b.readUInt32LE(o)) : i64From(b.readInt32BE(o), b.readUInt32BE(o + 4));
    case 'f32': return le ? b.readFloatLE(o) : b.readFloatBE(o);
    case 'f64': return le ? b.readDoubleLE(o) : b.readDoubleBE(o);
    case 'string': return readPaddedString(b, o, f.size, f.encoding === 'ascii' ? 'latin1' : f.encoding);
    case 'bytes': return Uint8Array.prototype.slice.call(b, o, o + f.size);
    case 'bits': return readBits(b, f, base);
    case 'pad': return 0;
  }
}

export class EncodeError extends Error {}

function toBig(v: FieldValue, f: LayoutField): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new EncodeError(`field ${f.name}: ${String(v)} is not an integer`);
}

function intValue(v: FieldValue, f: LayoutField, min: number, max: number): number {
  const n = typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new EncodeError(`field ${f.name}: ${String(v)} does not fit ${f.type}${f.type === 'bits' ? `(${f.bitWidth})` : ''}`);
  }
  return n;
}

/** Writes value `v` of field `f` into the structure that starts at `base`. */
export function writeField(b: Buffer, base: number, f: LayoutField, v: FieldValue): void {
  const o = base + f.offset;
  const le = f.byteOrder === 'little';
  switch (f.type) {
    case 'u8': b[o] = intValue(v, f, 0, 0xff); return;
    case 'i8': b.writeInt8(intValue(v, f, -0x80, 0x7f), o); return;
    case 'bool': b[o] = v === true || v === 1 ? 1 : intValue(v, f, 0, 0xff); return;
    case 'u16': { const n = intValue(v, f, 0, 0xffff); if (le) b.writeUInt16LE(n, o); else b.writeUInt16BE(n, o); return; }
    case 'i16': { const n = intValue(v, f, -0x8000, 0x7fff); if (le) b.writeInt16LE(n, o); else b.writeInt16BE(n, o); return; }
    case 'u32': { const n = intValue(v, f, 0, 0xffffffff); if (le) b.writeUInt32LE(n, o); else b.writeUInt32BE(n, o); return; }
    case 'i32': { const n = intValue(v, f, -0x80000000, 0x7fffffff); if (le) b.writeInt32LE(n, o); else b.writeInt32BE(n, o); return; }
    case 'u64': {
      const n = toBig(v, f);
      if (n < 0n || n > 0xffffffffffffffffn) throw new EncodeError(`field ${f.name}: ${n} does not fit u64`);
      if (le) b.writeBigUInt64LE(n, o); else b.writeBigUInt64BE(n, o);
      return;
    }
    case 'i64': {
      const n = toBig(v, f);
      if (n < -0x8000000000000000n || n > 0x7fffffffffffffffn) throw new EncodeError(`field ${f.name}: ${n} does not fit i64`);
      if (le) b.writeBigInt64LE(n, o); else b.writeBigInt64BE(n, o);
      return;
    }
    case 'f32': if (le) b.writeFloatLE(Number(v), o); else b.writeFloatBE(Number(v), o); return;
    case 'f64': if (le) b.writeDoubleLE(Number(v), o); else b.writeDoubleBE(Number(v), o); return;
    case 'string': {
      const enc: BufferEncoding = f.encoding === 'ascii' ? 'latin1' : f.encoding;
      const bytes = typeof v === 'string' ? Buffer.from(v, enc) : v instanceof Uint8Array ? v : Buffer.from(String(v), enc);
      if (bytes.length > f.size) throw new EncodeError(`field ${f.name}: ${bytes.length} bytes do not fit ${f.size}`);
      b.fill(0, o, o + f.size);
      b.set(bytes, o);
      return;
    }
    case 'bytes': {
      if (!(v instanceof Uint8Array)) throw new EncodeError(`field ${f.name}: expected bytes`);
      if (v.length > f.size) throw new EncodeError(`field ${f.name}: ${v.length} bytes do not fit ${f.size}`);
      b.fill(0, o, o + f.size);
      b.set(v, o);
      return;
    }
    case 'bits': {
      const n = intValue(v, f, 0, 2 ** f.bitWidth - 1);
      const start = base + f.bitRunOffset;
      let run = 0;
      for (let i = 0; i < f.bitRunSize; i++) run = run * 256 + b[start + i];
      const shift = 2 ** (f.bitRunSize * 8 - f.bitOffset - f.bitWidth);
      const old = Math.floor(run / shift) % 2 ** f.bitWidth;
      run += (n - old) * shift;
      for (let i = f.bitRunSize - 1; i >= 0; i--) { b[start + i] = run % 256; run = Math.floor(run / 256); }
      return;
    }
    case 'pad': return;
  }
}
