import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { NetDecoder } from '../../src/net/net_decoder.js';
import { endpointString } from '../../src/net/ip_address.js';
import { FIXTURES, forEachFrame } from './capture_fixture.js';

const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147];

function frameOf(linkType: number, data: Buffer, index: number, capLen = data.length): Frame {
  return { index, tsSec: 0, tsNsec: 0, linkType, data, offset: 0, capLen, origLen: data.length, interfaceId: 0, fileOffset: 0, comments: null };
}

/** Touches everything a consumer may read, so a bad offset shows up as a throw or a wrong range. */
function consume(dec: NetDecoder, f: Frame): void {
  const p = dec.decode(f);
  if (!p) return;
  expect(p.payloadOffset + p.payloadLength).toBeLessThanOrEqual(p.buf.length);
  expect(p.payloadLength).toBeGreaterThanOrEqual(0);
  expect(p.payloadWireLength).toBeGreaterThanOrEqual(p.payloadLength);
  endpointString(p, 'src');
  endpointString(p, 'dst');
}

describe('NetDecoder fuzz: hostile bytes never throw', () => {
  it('random frames on every link type', () => {
    fc.assert(fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 200 }), (lt, bytes) => {
      const dec = new NetDecoder();
      consume(dec, frameOf(lt, Buffer.from(bytes), 1));
    }), { numRuns: 3000 });
  });

  it('mutated real frames (bit flips, byte overwrites, cut lengths), fragments state carried across', () => {
    const frames: { lt: number; bytes: Buffer }[] = [];
    for (const name of ['synthetic_edge.pcap', 'synthetic_null_le.pcap', 'tcp_veth_eth.pcapng']) {
      forEachFrame(path.join(FIXTURES, name), (f) => {
        if (f.index <= 60) frames.push({ lt: f.linkType, bytes: Buffer.from(f.data.subarray(f.offset, f.offset + f.capLen)) });
      });
    }
    const dec = new NetDecoder({ fragments: { maxDatagrams: 8 } });
    let index = 0;
    fc.assert(fc.property(
      fc.nat({ max: frames.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.nat(),
      (which, edits, cut) => {
        const { lt, bytes } = frames[which];
        const b = Buffer.from(bytes);
        for (const [pos, val] of edits) b[pos % b.length] = val;
        consume(dec, frameOf(lt, b, ++index, cut % (b.length + 1)));
      },
    ), { numRuns: 5000 });
  });
});
