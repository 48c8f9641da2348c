import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointString, formatAddress } from '../../src/net/ip_address.js';
import type { NetPacket } from '../../src/net/net_packet.js';
import { tsharkFields, writePcap } from './capture_fixture.js';
import { ipv6 } from './frame_builder.js';

/** Addresses rich in zero groups (where RFC 5952 and inet_ntop have rules to get right). */
const EDGE = [
  '::', '::1', '1::', '::ffff:1.2.3.4', '::1.2.3.4', '::ffff:0:0', '::ffff:0:1', '0:0:1::', '1:0:0:2::3',
  '1:0:0:2:0:0:0:3', '1:2:3:4:5:6:7:8', '1:0:2:0:3:0:4:0', '0:0:0:0:0:1:0:0', '::2:0:0:1', '2001:db8:0:0:1:0:0:1',
  'fe80::1:ff:fe00:0', '::0:1:0:0:0:0', '0:0:0:0:0:0:1:1', '0:0:0:0:0:0:0:1', '::5efe:1.2.3.4', '64:ff9b::1.2.3.4',
];

function fromGroups(words: number[]): Buffer {
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(w, 2 * i));
  return b;
}

function parse(a: string): Buffer {
  // test-only parser good enough for EDGE (dotted tail allowed)
  const dotted = a.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  let text = a;
  if (dotted) {
    const [x, y, z, w] = dotted.slice(1).map(Number);
    text = a.slice(0, dotted.index) + `${((x << 8) | y).toString(16)}:${((z << 8) | w).toString(16)}`;
  }
  const [h, t] = text.includes('::') ? text.split('::') : [text, null];
  const hs = h ? h.split(':') : [];
  const ts = t ? t.split(':') : [];
  const words = t === null ? hs : [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts];
  return fromGroups(words.map((g) => parseInt(g, 16)));
}

describe('formatAddress', () => {
  it('prints IPv4 dotted', () => {
    expect(formatAddress(Buffer.from([0, 10, 0, 0, 255]), 1, 4)).toBe('10.0.0.255');
  });

  it('prints IPv6 exactly as tshark does (edge cases and random zero-rich addresses)', () => {
    const addrs = EDGE.map(parse);
    const rnd = fc.sample(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), { numRuns: 400, seed: 42 });
    addrs.push(...rnd.map(fromGroups));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'acktrace-addr-')), 'addr.pcap');
    const frames = [];
    for (let i = 0; i < addrs.length; i += 2) frames.push({ bytes: ipv6(addrs[i], addrs[i + 1] ?? addrs[0], 59, Buffer.alloc(0)) });
    writePcap(file, 101, frames);
    const rows = tsharkFields(file, ['ipv6.src', 'ipv6.dst']);
    const ours = frames.map((f) => [formatAddress(f.bytes, 8, 6), formatAddress(f.bytes, 24, 6)]);
    expect(ours).toEqual(rows);
    expect(rows[1][1]).toBe('::ffff:1.2.3.4');
    expect(EDGE.map((a) => formatAddress(parse(a), 0, 6))).toEqual(rows.flat().slice(0, EDGE.length));
  });

  it('endpointString brackets IPv6', () => {
    const buf = Buffer.concat([Buffer.from([10, 0, 0, 1]), parse('fd00::2')]);
    const pkt = { ipVersion: 4, buf, srcOffset: 0, dstOffset: 4, srcPort: 1, dstPort: 40002 } as NetPacket;
    expect(endpointString(pkt, 'src')).toBe('10.0.0.1:1');
    expect(endpointString({ ...pkt, ipVersion: 6 }, 'dst')).toBe('[fd00::2]:40002');
  });
});
