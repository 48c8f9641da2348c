import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import type { Dissector } from '../../src/codec/dissector.js';
import type { FieldValue } from '../../src/codec/field_io.js';
import type { LayoutField } from '../../src/codec/layout.js';
import { InputError } from '../../src/input_error.js';

const registry = new DissectorRegistry([resolve(__dirname, '../../fixtures/dissectors')]);
const all = registry.list();

function arbField(f: LayoutField): fc.Arbitrary<FieldValue> {
  switch (f.type) {
    case 'u8': return fc.integer({ min: 0, max: 0xff });
    case 'i8': return fc.integer({ min: -0x80, max: 0x7f });
    case 'u16': return fc.integer({ min: 0, max: 0xffff });
    case 'i16': return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'u32': return fc.integer({ min: 0, max: 0xffffffff });
    case 'i32': return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64': return fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }).map((v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v));
    case 'i64': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v));
    case 'f32': return fc.float({ noNaN: true }).map((x) => Math.fround(x));
    case 'f64': return fc.double({ noNaN: true });
    case 'bool': return fc.boolean();
    case 'bytes': return fc.uint8Array({ minLength: f.size, maxLength: f.size });
    case 'string': return fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: f.size });
    case 'bits': return fc.integer({ min: 0, max: 2 ** f.bitWidth - 1 });
    case 'pad': return fc.constant(0);
  }
}

/** Valid values for a dissector: lengths and header lengths consistent with the payload. */
function arbSegment(d: Dissector) {
  const layout = d.layout();
  const rec: Record<string, fc.Arbitrary<FieldValue>> = {};
  for (const f of layout.fields) rec[f.name] = arbField(f);
  const inHeader = d.def.roles.payload !== undefined;
  return fc.tuple(fc.record(rec), fc.uint8Array({ maxLength: inHeader ? 0 : 64 })).map(([v, payload]) => {
    const values: Record<string, FieldValue> = { ...v };
    const pl = d.def.roles.payloadLength;
    if (typeof pl === 'string') values[pl] = payload.length;
    const hl = d.def.roles.headerLength;
    if (hl && typeof hl !== 'string') values[hl.field] = ((Number(values[hl.field]) & 0x0f) | ((layout.size / 4) << 4));
    if (d.def.roles.kind && layout.fields.find((f) => f.name === d.def.roles.kind)?.enumNames && d.def.variants.length) {
      values[d.def.roles.kind] = 'MSG'; // variants change the layout; a fixed kind keeps the arbitrary's sizes valid
    }
    return { values, payload };
  });
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  return a === b;
}

describe('shipped dissectors', () => {
  it('are all found and compile', () => {
    const names = all.map((d) => d.name).sort();
    for (const n of ['ariel-package', 'csee4119-tcp', 'sock352', 'tcp', 'udp-custom', 'csee4119-variant']) expect(names).toContain(n);
  });

  for (const d of all) {
    it(`${d.name}: decode(encode(v)) == v and encode(decode(bytes)) == bytes`, () => {
      fc.assert(fc.property(arbSegment(d), ({ values, payload }) => {
        const bytes = d.encode(values, payload, { checksum: 'keep' });
        const seg = d.decode(bytes, 0, bytes.length);
        for (const [k, v] of Object.entries(values)) expect(sameValue(seg.fields[k], v), `${k}: ${String(seg.fields[k])} vs ${String(v)}`).toBe(true);
        expect(seg.warnings.filter((w) => w !== 'unknown-kind')).toEqual([]);
        const again = d.encode(seg.fields, bytes.subarray(seg.payloadOffset + (d.def.roles.payload ? 0 : 0), d.def.roles.payload ? seg.payloadOffset : undefined), { checksum: 'keep', options: seg.options });
        expect(Buffer.compare(again, bytes)).toBe(0);
      }), { numRuns: 300 });
    });
  }
});

describe('wire formats against CPython struct', () => {
  it('sock352 bytes equal struct.pack("!BBBBHHLLQQLL", ...)', () => {
    const d = registry.get('sock352');
    const values = { version: 1, flags: 5, opt_ptr: 0, protocol: 0, header_len: 40, checksum: 0, source_port: 0, dest_port: 7, sequence_no: 2 ** 40 + 3, ack_no: 18446744073709551615n, window: 20, payload_len: 3 };
    const py = execFileSync('python3', ['-c', "import struct,sys; sys.stdout.buffer.write(struct.pack('!BBBBHHLLQQLL',1,5,0,0,40,0,0,7,2**40+3,2**64-1,20,3)+b'abc')"]);
    const ours = d.encode(values, Buffer.from('abc'));
    expect(ours.toString('hex')).toBe(py.toString('hex'));
    const seg = d.decode(py, 0, py.length);
    expect(seg.fields.ack_no).toBe(18446744073709551615n);
    expect(seg.seq).toBe(2 ** 40 + 3);
    expect(seg.flags).toEqual(['SYN', 'ACK']);
    expect(seg.payloadLength).toBe(3);
  });

  it('ariel-package uses native alignment and learned N, like the seed', () => {
    const d = registry.get('ariel-package');
    const py = (n: number, header: string, payload: string, pos: number) => execFileSync('python3', ['-c',
      `import struct,sys; sys.stdout.buffer.write(struct.pack('10s${n}s i d ? i i', b'${header}', b'${payload}', ${pos}, 1736219093.7312121, False, ${pos}, ${pos}))`]);
    const getMax = py(4, 'RETURN_MAX', '10', 0);
    expect(getMax.length).toBe(44);
    const rm = d.decode(getMax, 0, getMax.length);
    expect(rm.kind).toBe('RETURN_MAX');
    const learned = d.learn(rm, d.defaultParams);
    expect(learned).toEqual({ N: 10 });
    const msg = py(10, 'MSG', 'hhhhhhhhhh', 10);
    const seg = d.decode(msg, 0, msg.length, { params: learned! });
    expect(seg.fields.payload).toBe('hhhhhhhhhh');
    expect(seg.fields.sent_time).toBe(1736219093.7312121);
    expect(seg.seq).toBe(10);
    expect(seg.isData).toBe(true);
    const ours = d.encode({ header: 'MSG', payload: 'hhhhhhhhhh', seq: 10, sent_time: 1736219093.7312121, ack: false, prev_seq: 10, pos: 10 }, undefined, { params: { N: 10 } });
    expect(ours.toString('hex')).toBe(msg.toString('hex'));
    const ack = py(10, 'ACK', '17', 0);
    const a = d.decode(ack, 0, ack.length, { params: { N: 10 } });
    expect(a.hasAck).toBe(true);
    expect(a.ack).toBe(17);
    expect(a.isData).toBe(false);
    // GET_MAX is always encoded with N = 4, whatever N is in force.
    expect(d.recordSize(py(4, 'GET_MAX', '', 0), 0, 44, { N: 14 })).toBe(44);
    expect(d.recordSize(msg, 0, 10, { N: 14 })).toBe(52);
  });
});

describe('checksums', () => {
  it('csee4119-tcp computes the Internet checksum without pseudo-header and detects a flipped bit', () => {
    const d = registry.get('csee4119-tcp');
    const bytes = d.encode({ src_port: 1, dst_port: 2, seq: 100, ack: 0, data_offset: 0x50, flags: 0x02, window: 1000 }, Buffer.from('hello'));
    expect(d.decode(bytes, 0, bytes.length).checksum).toBe('ok');
    fc.assert(fc.property(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), (bit) => {
      const b = Buffer.from(bytes);
      b[bit >> 3] ^= 1 << (bit & 7);
      expect(d.decode(b, 0, b.length).checksum).toBe('bad');
    }));
  });

  it('udp-custom checks the CRC-32 of the payload', () => {
    const d = registry.get('udp-custom');
    const bytes = d.encode({ version: 1, msg_type: 1, hdr_len: 40, seq: 1000, payload_len: 3 }, Buffer.from('abc'));
    expect(bytes.readUInt32BE(36)).toBe(0x352441c2);
    const seg = d.decode(bytes, 0, bytes.length);
    expect(seg.checksum).toBe('ok');
    expect(seg.kind).toBe('DATA');
  });
});

describe('extends and user files', () => {
  it('a variant changes flag bits in a few lines', () => {
    const v = registry.get('csee4119-variant');
    const bytes = v.encode({ data_offset: 0x50, flags: 0x04 }, Buffer.alloc(0));
    const seg = v.decode(bytes, 0, bytes.length);
    expect(seg.flags).toEqual(['SYN']);
    expect(seg.syn).toBe(true);
    expect(v.def.binding.ports).toEqual([41192, 41194]);
  });

  it('reports a broken file as one line naming the file and the JSON path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acktrace-'));
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ name: 'bad', struct: '!HH', fields: ['a'], binding: { transport: 'udp' } }));
    expect(() => new DissectorRegistry().get(f)).toThrow(InputError);
    expect(() => new DissectorRegistry().get(f)).toThrow(/bad\.json: struct "!HH" has 2 items but 1 field names/);
    writeFileSync(f, JSON.stringify({ name: 'bad', struct: '!HH', fields: ['a', 'b'], binding: { transport: 'smtp' } }));
    expect(() => new DissectorRegistry().get(f)).toThrow(/binding\.transport/);
    writeFileSync(f, '{"name": ');
    expect(() => new DissectorRegistry().get(f)).toThrow(/not valid JSON/);
  });
});

describe('compiled decoder', () => {
  it('reads every field exactly as the reference readField does, on random bytes', async () => {
    const { readField } = await import('../../src/codec/field_io.js');
    for (const d of all) {
      const layout = d.layout();
      fc.assert(fc.property(fc.uint8Array({ minLength: layout.size, maxLength: layout.size + 8 }), (bytes) => {
        const b = Buffer.from(bytes);
        const seg = d.decode(b, 0, b.length);
        for (const f of layout.fields) {
          const ref = readField(b, 0, f);
          expect(sameValue(seg.fields[f.name], ref), `${d.name}.${f.name}`).toBe(true);
        }
      }), { numRuns: 200 });
    }
  });
});
