import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LINKTYPE_UNDECODED } from '../../src/capture/wireshark_json_reader.js';
import {
  exportCapture, FLAVOURS, fixturesDir, pcapBytes, rawFrames, readExport, tempDir, tsharkFields, type Flavour,
} from './wireshark_json_oracle.js';

const CAPTURES = ['udp_custom_lo.pcapng', 'tcp_veth_eth.pcapng', 'synthetic_edge.pcap', 'synthetic_null_le.pcap'];
const dir = tempDir();

interface Oracle {
  rows: string[][]; // frame.number, frame.time_epoch, frame.len, udp.payload, tcp.payload
  raw: Buffer[];
}
const oracles = new Map<string, Oracle>();

beforeAll(() => {
  for (const c of CAPTURES) {
    const file = path.join(fixturesDir, c);
    oracles.set(c, {
      rows: tsharkFields(file, ['frame.number', 'frame.time_epoch', 'frame.len', 'udp.payload', 'tcp.payload']),
      raw: rawFrames(dir, file),
    });
  }
});

/** What tshark says the frame's transport payload is, as hex without separators. */
function payloadHex(row: string[]): string | null {
  const v = row[3] !== '' ? row[3] : row[4];
  return v === '' ? null : v.replace(/:/g, '');
}

describe.each(CAPTURES)('%s', (capture) => {
  it.each(Object.keys(FLAVOURS) as Flavour[])('exported as %s: count, numbers, exact times, bytes', (flavour) => {
    const { rows, raw } = oracles.get(capture)!;
    const file = exportCapture(dir, path.join(fixturesDir, capture), flavour);
    const { frames, summary } = readExport(file, FLAVOURS[flavour].kind);
    expect(summary.warnings).toEqual([]);
    expect(summary.frames).toBe(rows.length);
    expect(frames.map((f) => String(f.index))).toEqual(rows.map((r) => r[0]));
    expect(frames.map((f) => f.time)).toEqual(rows.map((r) => r[1]));
    frames.forEach((f, i) => {
      const row = rows[i];
      if (flavour === 'jsonX' || flavour === 'ekX') {
        expect(f.bytes.equals(raw[i])).toBe(true);
        expect(String(f.origLen)).toBe(row[2]);
        expect(f.linkType).toBe(capture === 'synthetic_null_le.pcap' ? 0 : 1);
        return;
      }
      const want = payloadHex(row);
      if (f.linkType === LINKTYPE_UNDECODED) {
        // Only an IP fragment without its transport header may come out empty.
        expect(capture).toBe('synthetic_edge.pcap');
        expect(f.index).toBe(4);
        expect(f.bytes.length).toBe(0);
        return;
      }
      expect(f.linkType).toBe(101);
      const tail = f.bytes.subarray(f.bytes.length - (want ?? '').length / 2).toString('hex');
      expect(tail).toBe(want ?? '');
    });
  });
});

describe('the shared udp_custom_lo.json export', () => {
  it('yields every payload, also of the 3 frames claimed by heuristics (udp.payload only)', () => {
    const { rows } = oracles.get('udp_custom_lo.pcapng')!;
    const { frames, summary } = readExport(path.join(fixturesDir, 'udp_custom_lo.json'), 'json');
    expect(summary).toMatchObject({ format: 'json', frames: 402, snapTruncated: 0, warnings: [] });
    expect(frames.map((f) => f.time)).toEqual(rows.map((r) => r[1]));
    frames.forEach((f, i) => {
      expect(f.bytes.subarray(28).toString('hex')).toBe(payloadHex(rows[i]));
    });
  });
});

describe('rebuilt packets', () => {
  it.each(['tcp_veth_eth.pcapng', 'udp_custom_lo.pcapng', 'synthetic_edge.pcap'])(
    '%s: tshark reads the rebuilt raw-IP packets with the original headers and good checksums', (capture) => {
      const fields = ['ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'udp.srcport', 'udp.dstport', 'tcp.srcport', 'tcp.dstport',
        'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.window_size_value', 'tcp.options', 'udp.payload', 'tcp.payload'];
      const original = tsharkFields(path.join(fixturesDir, capture), fields, ['-d', 'ip.proto==4,ip']);
      const file = exportCapture(dir, path.join(fixturesDir, capture), 'json');
      const { frames } = readExport(file, 'json');
      const keep = frames.map((f, i) => i).filter((i) => frames[i].linkType === 101);
      const pcap = path.join(dir, `${capture}.rebuilt.pcap`);
      writeFileSync(pcap, pcapBytes(101, keep.map((i) => frames[i].bytes)));
      const check = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-d', 'ip.proto==4,ip'];
      const rebuilt = tsharkFields(pcap, [...fields, 'ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status'], check);
      expect(rebuilt).toHaveLength(keep.length);
      rebuilt.forEach((r, j) => {
        const o = original[keep[j]];
        // IP-in-IP: the rebuilt datagram is the inner one, so compare with tshark's last IP layer.
        const inner = capture === 'synthetic_edge.pcap' && keep[j] === 6;
        if (!inner) expect(r.slice(0, 4)).toEqual(o.slice(0, 4));
        expect(r.slice(4, fields.length)).toEqual(o.slice(4, fields.length));
        if (r[0] !== '') expect(r[fields.length]).toBe('1');
        expect(r[fields.length + 1] || r[fields.length + 2]).toBe('1');
      });
    });
});
