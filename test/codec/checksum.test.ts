import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32, internetChecksum, internetSum } from '../../src/codec/checksum.js';
import { crc32 as zlibCrc32 } from 'node:zlib';

/** The textbook definition, byte by byte: the reference the fast paths must equal. */
function referenceSum(b: Uint8Array, off: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i += 2) s += (b[off + i] << 8) | (i + 1 < len ? b[off + i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

describe('checksums', () => {
  it('internetSum equals the byte-by-byte definition at any alignment and length', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.nat(7), (bytes, pad) => {
      const host = Buffer.alloc(bytes.length + pad);
      host.set(bytes, pad);
      expect(internetSum(host, pad, bytes.length)).toBe(referenceSum(host, pad, bytes.length));
    }), { numRuns: 500 });
  });

  it('a range carrying its own checksum verifies to 0 (RFC 1071)', () => {
    const ip = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    const ck = internetChecksum(ip, 0, 20);
    expect(ck).toBe(0xb861);
    ip.writeUInt16BE(ck, 10);
    expect(internetChecksum(ip, 0, 20)).toBe(0);
  });

  it('crc32 equals zlib', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (b) => {
      expect(crc32(b, 0, b.length)).toBe(zlibCrc32(b) >>> 0);
    }));
    expect(crc32(Buffer.from('123456789'), 0, 9)).toBe(0xcbf43926);
  });
});
