import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileDissector, DissectorRegistry } from '../../src/codec/dissector_registry.js';

// The generated whole-segment decoder (decoder_codegen.ts) against the general, interpreting
// decode it replaced: every shipped and example dissector, plus one that uses every role and
// matcher form, on random bytes of every length (short, exact, with options and payload).
const registry = new DissectorRegistry([resolve(__dirname, '../../fixtures/dissectors')]);

const everyForm = compileDissector({
  name: 'every-form',
  byteOrder: 'little',
  fields: [
    { name: 'kind', type: 'u8', enum: { '1': 'DATA', '2': 'ACK', '3': 'FIN' } },
    { name: 'flags', type: 'u8', flags: { A: '0x01', B: '0x02', C: '0x06', HIGH: '0x80' } },
    { name: 'hi', type: 'bits', size: 4 },
    { name: 'lo', type: 'bits', size: 12 },
    { name: 'seq64', type: 'u64' },
    { name: 'ackText', type: 'string', size: 6, encoding: 'ascii' },
    { name: 'win', type: 'i16' },
    { name: 'more', type: 'bool' },
    { name: 'plen', type: 'u32' },
    { name: 'mask32', type: 'u32', flags: { TOP: '0x80000000' } },
  ],
  roles: {
    kind: 'kind', flags: 'flags', seq: 'seq64', ack: { field: 'ackText', encoding: 'ascii-decimal' },
    window: { field: 'win', mask: '0xfff0', shift: 4, scale: 2, offset: 1 },
    headerLength: { field: 'hi', scale: 4, offset: 24 }, payloadLength: 'plen',
  },
  semantics: {
    seqUnit: 'packets', ackMeaning: 'last-received',
    syn: { flag: ['A', 'B'], notFlag: 'HIGH' }, fin: { kind: ['FIN', 'ACK'] }, rst: { field: 'more', equals: ['true'] },
    ack: { kind: 'ACK', hasPayload: false }, data: { flag: 'TOP' },
  },
  binding: { transport: 'udp', ports: [] },
});

const dissectors = [...registry.list(), everyForm];

describe('generated segment decoder', () => {
  for (const d of dissectors) {
    it(`${d.name}: decodes every byte string exactly like the general decoder`, () => {
      const size = d.headerSize();
      fc.assert(fc.property(
        // fast-check favours short arrays: draw the length apart so full headers are common.
        fc.uint8Array({ minLength: size + 48, maxLength: size + 48 }),
        fc.integer({ min: 0, max: size + 48 }),
        fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 16 }),
        (all, n, pseudoSum, lead, p) => {
          const bytes = all.subarray(0, n);
          const buf = Buffer.alloc(lead + bytes.length);
          buf.set(bytes, lead);
          // Every parameter (Package's N) at a random size: layouts move with it.
          const params = Object.fromEntries(Object.keys(d.defaultParams).map((k) => [k, p]));
          const ctx = { pseudoSum, params };
          expect(d.decode(buf, lead, bytes.length, ctx)).toEqual(d.decodeReference(buf, lead, bytes.length, ctx));
        },
      ), { numRuns: 400 });
    });
  }

  it('shares one frozen flag list per combination, so a decode allocates none', () => {
    const sock352 = registry.get('sock352');
    const a = sock352.encode({ version: 1, flags: 0x05, header_len: 40 });
    const first = sock352.decode(a, 0, a.length);
    const second = sock352.decode(a, 0, a.length);
    expect(first.flags).toEqual(['SYN', 'ACK']);
    expect(second.flags).toBe(first.flags);
    expect(Object.isFrozen(first.flags)).toBe(true);
  });
});
