import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LINKTYPE_EN10MB, PcapWriter, PcapngWriter, nanosecondWords } from '../../src/capture/pcap_writer.js';
import { PcapReader } from '../../src/capture/pcap_reader.js';
import { PcapngReader } from '../../src/capture/pcapng_reader.js';
import type { CaptureReader } from '../../src/capture/frame.js';
import { fixturesDir, ipPacket, tempDir } from './capture_bytes.js';
import { epochString, tsharkCheck, tsharkRows } from './tshark_fields.js';

const tmp = tempDir();

interface Kept { sec: number; nsec: number; bytes: string; orig: number; link: number; comments: string[] | null }

function keep(reader: CaptureReader): Kept[] {
  const out: Kept[] = [];
  reader.forEach((f) => out.push({
    sec: f.tsSec, nsec: f.tsNsec, bytes: f.data.toString('hex', f.offset, f.offset + f.capLen),
    orig: f.origLen, link: f.linkType, comments: f.comments,
  }));
  return out;
}

describe('PcapWriter', () => {
  it('round-trips a whole fixture (ns), and tshark reads the result cleanly', () => {
    const source = keep(new PcapngReader(path.join(fixturesDir, 'tcp_veth_eth.pcapng')));
    const file = path.join(tmp, 'copy.pcap');
    const w = new PcapWriter(file, { linkType: LINKTYPE_EN10MB, resolution: 'ns' });
    for (const f of source) w.writeFrame(f.sec, f.nsec, Buffer.from(f.bytes, 'hex'), f.orig);
    w.close();
    expect(tsharkCheck(file)).toEqual({ status: 0, problems: [] });
    expect(keep(new PcapReader(file))).toEqual(source);
    expect(tsharkRows(file).map((r) => r.time)).toEqual(source.map((f) => epochString(f.sec, f.nsec)));
  });

  it('µs resolution truncates nanoseconds; default link type is raw IP; snaplen cuts', () => {
    const file = path.join(tmp, 'us.pcap');
    const w = new PcapWriter(file, { snaplen: 40 });
    w.writeFrame(1700000000, 123456789, ipPacket(0));
    w.writeFrame(1700000001, 999, ipPacket(100));
    w.close();
    expect(tsharkCheck(file)).toEqual({ status: 0, problems: [] });
    const rows = tsharkRows(file);
    expect(rows.map((r) => [r.time, r.len, r.capLen, r.encap])).toEqual([
      ['1700000000.123456000', '28', '28', '7'],
      ['1700000001.000000000', '128', '40', '7'],
    ]);
  });
});

describe('PcapngWriter', () => {
  it('writes section and packet comments that tshark and our reader both see', () => {
    const file = path.join(tmp, 'notes.pcapng');
    const w = new PcapngWriter(file, { sectionComment: 'acktrace impair: drop data 4, 9' });
    w.writeFrame(1795311000, 814878328, ipPacket(1));
    w.writeFrame(1795311000, 914878328, ipPacket(2), 30, ['dropped by impair (data 4)', 'ünïcode ✓']);
    w.writeFrame(1795311001, 0, ipPacket(3));
    w.close();
    expect(tsharkCheck(file)).toEqual({ status: 0, problems: [] });
    const rows = tsharkRows(file);
    expect(rows.map((r) => [r.time, r.comment])).toEqual([
      ['1795311000.814878328', ''],
      ['1795311000.914878328', 'dropped by impair (data 4)|ünïcode ✓'],
      ['1795311001.000000000', ''],
    ]);
    const summary = new PcapngReader(file).forEach(() => {});
    expect(summary.comments).toEqual(['acktrace impair: drop data 4, 9']);
    expect(keep(new PcapngReader(file))[1]!.comments).toEqual(['dropped by impair (data 4)', 'ünïcode ✓']);
  });

  it('many frames across the write buffer boundary', () => {
    const file = path.join(tmp, 'many.pcapng');
    const w = new PcapngWriter(file, { linkType: 101 });
    for (let i = 0; i < 5000; i++) w.writeFrame(1700000000 + Math.floor(i / 10), (i % 10) * 100_000_000 + i, ipPacket(i % 400, i));
    w.close();
    expect(tsharkCheck(file)).toEqual({ status: 0, problems: [] });
    const got = keep(new PcapngReader(file));
    expect(got).toHaveLength(5000);
    expect(got[4321]!.bytes).toBe(ipPacket(4321 % 400, 4321).toString('hex'));
    expect(epochString(got[4321]!.sec, got[4321]!.nsec)).toBe(tsharkRows(file)[4321]!.time);
  });

  it('nanosecondWords is exact (property against BigInt)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 34 }), fc.integer({ min: 0, max: 999_999_999 }), (sec, nsec) => {
      const t = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      expect(nanosecondWords(sec, nsec)).toEqual({ hi: Number(t >> 32n), lo: Number(t & 0xffffffffn) });
    }), { numRuns: 20000 });
  });
});
