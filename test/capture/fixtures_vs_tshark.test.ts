import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapReader } from '../../src/capture/pcap_reader.js';
import { PcapngReader } from '../../src/capture/pcapng_reader.js';
import type { CaptureReader } from '../../src/capture/frame.js';
import { fixturesDir, tempDir, toBigEndianPcap } from './capture_bytes.js';
import { editcap, readerRows, tsharkRows } from './tshark_fields.js';

const fixtures = fs.readdirSync(fixturesDir).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
const tmp = tempDir();

function readerFor(file: string, chunkSize?: number): CaptureReader {
  return file.endsWith('.pcapng') ? new PcapngReader(file, { chunkSize }) : new PcapReader(file, { chunkSize });
}

describe('shared fixtures read exactly as tshark reads them', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
  });

  for (const name of fixtures) {
    const file = path.join(fixturesDir, name);
    it(`${name}: numbers, times (ns), lengths, link types`, () => {
      const expected = tsharkRows(file);
      const { rows, summary } = readerRows(readerFor(file));
      expect(rows).toEqual(expected);
      expect(summary.frames).toBe(expected.length);
      expect(summary.warnings).toEqual([]);
      expect(summary.snapTruncated).toBe(expected.filter((r) => r.len !== r.capLen).length);
    });

    it(`${name}: tiny chunks (every record straddles a boundary) give the same frames and bytes`, () => {
      const collect = (r: CaptureReader): string[] => {
        const out: string[] = [];
        r.forEach((f) => out.push(`${f.index} ${f.fileOffset} ${f.data.toString('hex', f.offset, f.offset + f.capLen)}`));
        return out;
      };
      expect(collect(readerFor(file, 61))).toEqual(collect(readerFor(file)));
    });
  }
});

describe('editcap variants of the fixtures', () => {
  const source = path.join(fixturesDir, 'udp_custom_lo.pcapng');
  const expected = tsharkRows(source);

  const variants: Array<[string, string[]]> = [
    ['us.pcap', ['-F', 'pcap']],
    ['ns.pcap', ['-F', 'nsecpcap']],
    ['snap60.pcapng', ['-s', '60']],
    ['snap60.pcap', ['-F', 'pcap', '-s', '60']],
  ];
  for (const [name, args] of variants) {
    it(`editcap ${args.join(' ')}`, () => {
      const out = path.join(tmp, name);
      editcap([...args, source, out]);
      const oracle = tsharkRows(out);
      const { rows, summary } = readerRows(readerFor(out));
      expect(rows).toEqual(oracle);
      expect(rows.length).toBe(expected.length);
      const cut = oracle.filter((r) => r.len !== r.capLen).length;
      expect(summary.snapTruncated).toBe(cut);
      if (args.includes('-s')) expect(cut).toBeGreaterThan(100);
    });
  }

  it('big-endian pcap (µs and ns) reads the same as its little-endian twin', () => {
    for (const fmt of ['pcap', 'nsecpcap']) {
      const le = path.join(tmp, `le-${fmt}.pcap`);
      editcap(['-F', fmt, source, le]);
      const be = path.join(tmp, `be-${fmt}.pcap`);
      fs.writeFileSync(be, toBigEndianPcap(fs.readFileSync(le)));
      expect(fs.readFileSync(be).readUInt32BE(0)).toBe(fmt === 'pcap' ? 0xa1b2c3d4 : 0xa1b23c4d);
      const { rows } = readerRows(readerFor(be));
      expect(rows).toEqual(tsharkRows(be));
      expect(rows).toEqual(readerRows(readerFor(le)).rows);
    }
  });

  it('two pcapng files concatenated are two sections, read in order', () => {
    const a = path.join(fixturesDir, 'udp_custom_lo.pcapng');
    const b = path.join(fixturesDir, 'tcp_veth_eth.pcapng');
    const both = path.join(tmp, 'two-sections.pcapng');
    fs.writeFileSync(both, Buffer.concat([fs.readFileSync(a), fs.readFileSync(b)]));
    const { rows, summary } = readerRows(readerFor(both));
    expect(rows).toEqual(tsharkRows(both));
    expect(summary.frames).toBe(tsharkRows(a).length + tsharkRows(b).length);
  });
});
