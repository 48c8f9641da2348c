import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetDecoder } from '../../src/net/net_decoder.js';
import type { Frame } from '../../src/capture/frame.js';
import { checkAgainstTshark } from './tshark_oracle.js';
import { writePcap } from './capture_fixture.js';
import {
  ah, ether, ext8, frag6, ip4, ip6, ipv4, ipv6, l4, nullHeader, sll, sll2, tcpOptions,
} from './frame_builder.js';

const A4 = ip4('192.0.2.1');
const B4 = ip4('198.51.100.7');
const A6 = ip6('2001:db8::1');
const B6 = ip6('2001:db8:0:0:1:0:0:2');
const payload = (n: number, seed = 1): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255));

/** IP datagrams (each with its version) covering the header features, in capture order. */
function datagrams(): { v: 4 | 6; ip: Buffer }[] {
  const out: { v: 4 | 6; ip: Buffer }[] = [];
  out.push({ v: 4, ip: ipv4(A4, B4, 17, l4(17, A4, B4, 40001, 40002, payload(45))) });
  out.push({ v: 4, ip: ipv4(A4, B4, 6, l4(6, A4, B4, 5003, 80, Buffer.alloc(0), { seq: 0xfffffff0, flags: 0x02, window: 64240, options: tcpOptions({ mss: 1460, sackPerm: true, ts: [123456, 0], ws: 7 }) })) });
  out.push({ v: 4, ip: ipv4(A4, B4, 6, l4(6, A4, B4, 5003, 80, payload(100), { seq: 5, ack: 77, flags: 0x10, options: tcpOptions({ sack: [1000, 2000, 3000, 4000, 0xfffffff0, 0x10] }) }), { options: Buffer.from([0x94, 4, 0, 0, 1, 1, 1, 0]) }) });
  // IPv4 with AH before UDP
  const ahBytes = ah().bytes;
  ahBytes[0] = 17;
  out.push({ v: 4, ip: ipv4(A4, B4, 51, Buffer.concat([ahBytes, l4(17, A4, B4, 4500, 4500, payload(12))])) });
  // IPv6: hop-by-hop, destination options, routing, AH, then TCP with SACK
  out.push({ v: 6, ip: ipv6(A6, B6, 6, l4(6, A6, B6, 5004, 443, payload(33), { seq: 99, ack: 12, options: tcpOptions({ sack: [50, 60], ts: [1, 2] }) }), [ext8(0), ext8(60), ext8(43), ah()]) });
  out.push({ v: 6, ip: ipv6(A6, B6, 17, l4(17, A6, B6, 1, 2, payload(3))) });
  // IPv6 fragments of one UDP datagram, out of order: 2nd, 3rd (last), 1st
  const seg6 = l4(17, A6, B6, 40001, 40002, payload(300, 9));
  const f6 = [[0, 128], [128, 256], [256, seg6.length]] as const;
  const mk6 = (k: number): Buffer => ipv6(A6, B6, 17, seg6.subarray(f6[k][0], f6[k][1]), [ext8(0), frag6(f6[k][0], k < 2, 0xabcdef)]);
  out.push({ v: 6, ip: mk6(1) }, { v: 6, ip: mk6(2) }, { v: 6, ip: mk6(0) });
  // IPv4 fragments, out of order: last, first
  const seg4 = l4(17, A4, B4, 40001, 40002, payload(200, 3));
  out.push({ v: 4, ip: ipv4(A4, B4, 17, seg4.subarray(104), { id: 77, fragOffset: 104 }) });
  out.push({ v: 4, ip: ipv4(A4, B4, 17, seg4.subarray(0, 104), { id: 77, mf: true }) });
  // 6in4 and 4in6 tunnels
  out.push({ v: 4, ip: ipv4(A4, B4, 41, ipv6(A6, B6, 17, l4(17, A6, B6, 7, 8, payload(20)))) });
  out.push({ v: 6, ip: ipv6(A6, B6, 4, ipv4(A4, B4, 6, l4(6, A4, B4, 9, 10, payload(10), { flags: 0x11 }))) });
  // not transport: ICMP echo; IPv6 no next header
  out.push({ v: 4, ip: ipv4(A4, B4, 1, Buffer.from('0800f7ff00000000', 'hex')) });
  out.push({ v: 6, ip: ipv6(A6, B6, 59, Buffer.alloc(0)) });
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), 'acktrace-net-'));

function check(name: string, linkType: number, wrap: (d: { v: 4 | 6; ip: Buffer }) => Buffer): void {
  const file = path.join(dir, `${name}.pcap`);
  writePcap(file, linkType, datagrams().map((d) => ({ bytes: wrap(d) })));
  const { packets, skipped } = checkAgainstTshark(file);
  expect(packets).toBe(10);
  expect([...skipped.values()]).toEqual(['fragment', 'fragment', 'fragment', 'not-transport', 'not-transport']);
}

describe('NetDecoder link types and IP features, against tshark', () => {
  it('EN10MB with padding', () => check('eth', 1, (d) => ether(d.v === 4 ? 0x0800 : 0x86dd, d.ip)));
  it('EN10MB with 802.1Q, QinQ 0x88a8 and 0x9100 tags', () => check('vlan', 1, (d) => ether(d.v === 4 ? 0x0800 : 0x86dd, d.ip, d.v === 4 ? [0x88a8, 0x8100] : [0x9100, 0x8100])));
  it('NULL little-endian, AF_INET6 = 30 (macOS)', () => check('null_le', 0, (d) => nullHeader(d.v === 4 ? 2 : 30, true, d.ip)));
  it('NULL big-endian, AF_INET6 = 24 (OpenBSD)', () => check('null_be', 0, (d) => nullHeader(d.v === 4 ? 2 : 24, false, d.ip)));
  it('NULL little-endian, AF_INET6 = 28 (FreeBSD)', () => check('null_fbsd', 0, (d) => nullHeader(d.v === 4 ? 2 : 28, true, d.ip)));
  it('LOOP (network order AF)', () => check('loop', 108, (d) => nullHeader(d.v === 4 ? 2 : 24, false, d.ip)));
  it('RAW 101', () => check('raw', 101, (d) => d.ip));
  it('RAW 14 (OpenBSD DLT_RAW)', () => check('raw14', 14, (d) => d.ip));
  it('IPV4 228 / IPV6 229', () => {
    // One link type per file: split by version.
    const dec = new NetDecoder();
    const frame = (linkType: number, b: Buffer, index: number): Frame => ({ index, tsSec: 0, tsNsec: 0, linkType, data: b, offset: 0, capLen: b.length, origLen: b.length, interfaceId: 0, fileOffset: 0, comments: null });
    const ok = datagrams().map((d, i) => dec.decode(frame(d.v === 4 ? 228 : 229, d.ip, i + 1)) !== null);
    expect(ok.filter(Boolean).length).toBe(10);
  });
  it('Linux SLL', () => check('sll', 113, (d) => sll(d.v === 4 ? 0x0800 : 0x86dd, d.ip)));
  it('Linux SLL2', () => check('sll2', 276, (d) => sll2(d.v === 4 ? 0x0800 : 0x86dd, d.ip)));
});

describe('NetDecoder details', () => {
  const frame = (linkType: number, b: Buffer, index = 1, capLen = b.length): Frame => ({ index, tsSec: 0, tsNsec: 0, linkType, data: b, offset: 0, capLen, origLen: b.length, interfaceId: 0, fileOffset: 0, comments: null });

  it('skips ARP as not-ip and unknown link types as unsupported-link', () => {
    const dec = new NetDecoder();
    expect(dec.decode(frame(1, ether(0x0806, Buffer.alloc(28))))).toBeNull();
    expect(dec.skipReason).toBe('not-ip');
    expect(dec.decode(frame(147, Buffer.alloc(40)))).toBeNull();
    expect(dec.skipReason).toBe('unsupported-link');
  });

  it('parses TCP options into the reused view and reports checksums', () => {
    const dec = new NetDecoder();
    const ip = ipv4(A4, B4, 6, l4(6, A4, B4, 1, 2, payload(10), { flags: 0x02, options: tcpOptions({ mss: 1300, ws: 3, sackPerm: true, ts: [7, 8] }) }));
    const p = dec.decode(frame(101, ip));
    expect(p?.tcp).toMatchObject({ mss: 1300, windowScale: 3, sackPermitted: true, tsVal: 7, tsEcr: 8, sack: null, flags: 0x02 });
    expect(p?.l4Checksum).toBe('ok');
    ip[ip.length - 1] ^= 1;
    expect(dec.decode(frame(101, ip))?.l4Checksum).toBe('bad');
    const q = dec.decode(frame(101, ipv4(A4, B4, 17, l4(17, A4, B4, 1, 2, payload(10)))));
    expect(q).toBe(p); // one reused object
    expect(q?.tcp).toBeNull();
  });

  it('UDP over IPv4 with checksum 0 is "none"; truncated is "none" with wire length kept', () => {
    const dec = new NetDecoder();
    const ip = ipv4(A4, B4, 17, l4(17, A4, B4, 1, 2, payload(100)));
    ip.writeUInt16BE(0, 26);
    expect(dec.decode(frame(101, ip))?.l4Checksum).toBe('none');
    const p = dec.decode(frame(101, ip, 2, 60));
    expect(p).toMatchObject({ truncated: true, l4Checksum: 'none', payloadLength: 32, payloadWireLength: 100 });
  });

  it('holds at most maxDatagrams incomplete datagrams and expires old ones', () => {
    const dec = new NetDecoder({ fragments: { maxDatagrams: 4, maxAgeFrames: 100 } });
    const seg = l4(17, A4, B4, 1, 2, payload(64));
    for (let id = 0; id < 50; id++) {
      expect(dec.decode(frame(101, ipv4(A4, B4, 17, seg.subarray(0, 32), { id, mf: true }), id + 1))).toBeNull();
      expect(dec.skipReason).toBe('fragment');
    }
    // ids 0..45 were evicted: their last fragment cannot complete anything
    expect(dec.decode(frame(101, ipv4(A4, B4, 17, seg.subarray(32), { id: 3, fragOffset: 32 }), 51))).toBeNull();
    expect(dec.decode(frame(101, ipv4(A4, B4, 17, seg.subarray(32), { id: 49, fragOffset: 32 }), 52))?.fragmentFrames).toEqual([50, 52]);
    // age: a fragment from 101+ frames ago is gone
    expect(dec.decode(frame(101, ipv4(A4, B4, 17, seg.subarray(32), { id: 48, fragOffset: 32 }), 500))).toBeNull();
  });

  it('drops fragments that would make a datagram longer than 65535 bytes', () => {
    const dec = new NetDecoder();
    const body = payload(1480);
    let last = null;
    for (let o = 0; o <= 65528; o += 1480) {
      last = dec.decode(frame(101, ipv4(A4, B4, 17, body, { id: 5, fragOffset: o, mf: o + 1480 <= 65528 }), o / 1480 + 1));
    }
    expect(last).toBeNull();
  });

  it('rejects a datagram whose fragments exceed maxDatagramBytes', () => {
    const dec = new NetDecoder({ fragments: { maxDatagramBytes: 1000 } });
    const seg = l4(17, A4, B4, 1, 2, payload(1600));
    const frags = [0, 800].map((o) => ipv4(A4, B4, 17, seg.subarray(o, o + 800), { id: 9, fragOffset: o, mf: true }));
    frags.push(ipv4(A4, B4, 17, seg.subarray(1600), { id: 9, fragOffset: 1600 }));
    expect(frags.map((f, i) => dec.decode(frame(101, f, i + 1)))).toEqual([null, null, null]);
  });
});
