import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEthernetFrame, buildIpPacket, parseIpText, type BuildIpPacket } from '../../src/net/packet_builder.js';

/** A minimal little-endian pcap: 24-byte header, then 16-byte record headers. */
function writePcap(file: string, linkType: number, packets: Buffer[]): void {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [head];
  packets.forEach((p, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(p.length, 8);
    rec.writeUInt32LE(p.length, 12);
    parts.push(rec, p);
  });
  writeFileSync(file, Buffer.concat(parts));
}

function tshark(file: string, fields: string[]): string[][] {
  const args = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE',
    '-r', file, '-T', 'fields', '-E', 'separator=/t'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
}

const payload = Buffer.from('hello, reliable world');
const samples: BuildIpPacket[] = [
  { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', srcPort: 40001, dstPort: 40002, payload },
  { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', srcPort: 1, dstPort: 2, payload: Buffer.alloc(0), ipId: 0x1234, ttl: 3 },
  { src: '192.168.1.9', dst: '8.8.8.8', protocol: 'tcp', srcPort: 5555, dstPort: 80, payload: payload.subarray(0, 7),
    tcp: { seq: 0xfffffff0, ack: 12345, flags: 0x18, window: 501 } },
  { src: '192.168.1.9', dst: '8.8.8.8', protocol: 'tcp', srcPort: 5555, dstPort: 80, payload: Buffer.alloc(0),
    tcp: { seq: 1, ack: 0, flags: 0x02, window: 64240, options: Buffer.from('020405b40402080a000000010000000001030307', 'hex') } },
  { src: 'fd00::1', dst: 'fd00::2', protocol: 'udp', srcPort: 40001, dstPort: 40002, payload },
  { src: '::ffff:10.1.2.3', dst: '2001:db8:0:0:1::9', protocol: 'tcp', srcPort: 48990, dstPort: 5004, payload: payload.subarray(0, 5),
    tcp: { seq: 7, ack: 9, flags: 0x11, window: 3, urgent: 0, options: Buffer.from([1, 1, 4, 2, 3]) }, hopLimit: 7 },
];

describe('buildIpPacket', () => {
  it('produces packets tshark reads with every checksum good', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'acktrace-pb-'));
    const raw = path.join(dir, 'raw.pcap');
    const eth = path.join(dir, 'eth.pcap');
    writePcap(raw, 101, samples.map(buildIpPacket));
    writePcap(eth, 1, samples.map(buildEthernetFrame));
    for (const file of [raw, eth]) {
      const rows = tshark(file, ['ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status',
        'ip.src', 'ipv6.src', 'ipv6.dst', 'udp.srcport', 'tcp.srcport', 'tcp.seq_raw', 'tcp.flags', 'tcp.options', 'udp.payload', 'tcp.payload', '_ws.malformed']);
      expect(rows).toHaveLength(samples.length);
      rows.forEach((r, i) => {
        const s = samples[i];
        if (!s.src.includes(':')) expect(r[0]).toBe('1');
        expect(s.protocol === 'udp' ? r[1] : r[2]).toBe('1');
        expect(r[13]).toBe('');
        if (s.src.includes(':')) expect(r[4]).toBe(s.src);
        const want = s.payload.length ? Buffer.from(s.payload).toString('hex') : '';
        expect((s.protocol === 'udp' ? r[11] : r[12]).replace(/:/g, '')).toBe(want);
        if (s.tcp) {
          expect(Number(r[8])).toBe(s.tcp.seq);
          expect(parseInt(r[9], 16)).toBe(s.tcp.flags);
        }
      });
      expect(rows[3][10].replace(/:/g, '')).toBe('020405b40402080a000000010000000001030307');
      expect(rows[5][10].replace(/:/g, '')).toBe('0101040203000000');
    }
  });

  it('makes a computed UDP checksum of 0 into 0xffff', () => {
    // Search a payload whose checksum is 0 when computed; 0 would mean "no checksum".
    for (let v = 0; v < 0x10000; v++) {
      const pl = Buffer.from([v >> 8, v & 0xff]);
      const pkt = buildIpPacket({ src: '1.2.3.4', dst: '5.6.7.8', protocol: 'udp', srcPort: 1, dstPort: 2, payload: pl });
      if (pkt.readUInt16BE(26) === 0xffff) return;
      expect(pkt.readUInt16BE(26)).not.toBe(0);
    }
    throw new Error('no payload hit the 0xffff case');
  });

  it('rejects bad input with RangeError', () => {
    const base = samples[0];
    expect(() => buildIpPacket({ ...base, src: '10.0.0.256' })).toThrow(RangeError);
    expect(() => buildIpPacket({ ...base, dst: 'fd00::1' })).toThrow(/mixed/);
    expect(() => buildIpPacket({ ...base, srcPort: 70000 })).toThrow(RangeError);
    expect(() => buildIpPacket({ ...samples[3], tcp: { seq: 0, ack: 0, flags: 2, window: 1, options: new Uint8Array(41) } })).toThrow(/40/);
  });
});

describe('parseIpText', () => {
  it('parses the usual spellings', () => {
    const out = new Uint8Array(16);
    expect(parseIpText('127.0.0.1', out)).toBe(4);
    expect([...out.subarray(0, 4)]).toEqual([127, 0, 0, 1]);
    expect(parseIpText('::', out)).toBe(16);
    expect(Buffer.from(out).toString('hex')).toBe('0'.repeat(32));
    expect(parseIpText('fe80::1%eth0', out)).toBe(16);
    expect(Buffer.from(out).toString('hex')).toBe('fe800000000000000000000000000001');
    expect(parseIpText('::ffff:1.2.3.4', out)).toBe(16);
    expect(Buffer.from(out).toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(parseIpText('1:2:3:4:5:6:7:8', out)).toBe(16);
    for (const bad of ['', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'x', '1.2.3.4::']) expect(parseIpText(bad, out)).toBe(0);
  });
});
