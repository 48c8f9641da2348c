import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openCapture } from '../../src/capture/open_capture.js';
import { InputError } from '../../src/input_error.js';
import { PcapngBuilder, fixturesDir, ipPacket, tempDir } from './capture_bytes.js';
import { editcap } from './tshark_fields.js';

/**
 * Hostile bytes: whatever arrives, reading either finishes (frames, maybe warnings) or throws
 * InputError; never a RangeError from a Buffer read, never a hang, never a huge allocation.
 */

const tmp = tempDir();
const file = path.join(tmp, 'fuzz.bin');

/** Small real files of each binary format to mutate (small so each run stays fast). */
function seeds(): Buffer[] {
  const pcap = path.join(tmp, 'seed.pcap');
  editcap(['-F', 'pcap', '-r', path.join(fixturesDir, 'udp_custom_lo.pcapng'), pcap, '1-6']);
  const nspcap = path.join(tmp, 'seed-ns.pcap');
  editcap(['-F', 'nsecpcap', '-r', path.join(fixturesDir, 'udp_custom_lo.pcapng'), nspcap, '1-6']);
  const ng = path.join(tmp, 'seed.pcapng');
  editcap(['-r', path.join(fixturesDir, 'tcp_veth_eth.pcapng'), ng, '1-5']);
  const b = new PcapngBuilder(false);
  const handmade = Buffer.concat([
    b.shb([b.comment('s')]), b.idb(1, { tsresol: 0x9e, tsoffset: -5n }), b.idb(101, { tsresol: 12 }),
    b.epb(1, 123456789012345n, ipPacket(5), { comments: ['c'] }), b.spb(Buffer.concat([Buffer.alloc(14), ipPacket(3)])),
    b.pb(0, 99n, Buffer.concat([Buffer.alloc(14), ipPacket(2)])), b.block(0xbad, Buffer.alloc(12)),
  ]);
  return [
    fs.readFileSync(pcap), fs.readFileSync(nspcap), fs.readFileSync(ng), handmade,
    fs.readFileSync(path.join(fixturesDir, 'synthetic_null_le.pcap')),
  ];
}

function readAll(bytes: Uint8Array, chunkSize: number): void {
  fs.writeFileSync(file, bytes);
  try {
    const reader = openCapture(file, { chunkSize });
    // Wireshark JSON has its own reader and tests; here only the binary formats are ours.
    if (reader.format === 'json' || reader.format === 'ek') return;
    let frames = 0;
    const summary = reader.forEach((f) => {
      frames++;
      expect(f.offset + f.capLen).toBeLessThanOrEqual(f.data.length);
      expect(f.tsNsec).toBeGreaterThanOrEqual(0);
      expect(f.tsNsec).toBeLessThan(1_000_000_000);
      expect(f.data.subarray(f.offset, f.offset + f.capLen).length).toBe(f.capLen);
    });
    expect(summary.frames).toBe(frames);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
}

/** A mutation: flip bytes, overwrite a 32-bit word with an extreme, truncate, or splice. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 11, 12, 13, 0x7fffffff, 0xffffffff, 0x40000, 0x1000000, 0x0a0d0d0a, 0x1a2b3c4d) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
);

function mutate(base: Buffer, muts: Array<{ kind: 'flip' | 'word' | 'cut'; at: number; value: number }>): Buffer {
  let out = Buffer.from(base);
  for (const m of muts) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'flip') out[at] = m.value;
    else if (m.kind === 'cut') out = out.subarray(0, at);
    else if (at + 4 <= out.length) out.writeUInt32LE(m.value >>> 0, at & ~3);
  }
  return out;
}

describe('fuzz: only InputError escapes, and every walk ends', () => {
  const bases = seeds();

  it('random bytes, also behind each real magic', () => {
    const magics = [[], [0xd4, 0xc3, 0xb2, 0xa1], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x0a, 0x0d, 0x0d, 0x0a], [0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a]];
    fc.assert(fc.property(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), fc.constantFrom(16, 64, 4096), (magic, rest, chunk) => {
      readAll(Buffer.concat([Buffer.from(magic), rest]), chunk);
    }), { numRuns: 1500 });
  });

  it('mutated real files (flipped bytes, extreme lengths, truncation)', () => {
    fc.assert(fc.property(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom(32, 333, 1 << 20), (base, muts, chunk) => {
      readAll(mutate(base, muts), chunk);
    }), { numRuns: 2500 });
  });
});
