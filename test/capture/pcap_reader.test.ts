import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PcapReader, walkPcapRecords } from '../../src/capture/pcap_reader.js';
import { InputError } from '../../src/input_error.js';
import { fixturesDir, ipPacket, tempDir, toBigEndianPcap } from './capture_bytes.js';
import { editcap, epochString, tsharkRows } from './tshark_fields.js';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as {
  parse(input: NodeJS.ReadableStream): NodeJS.EventEmitter;
};

interface ParsedPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}

/** Every packet pcap-parser (an independent µs-pcap reader) finds in `file`. */
function pcapParserPackets(file: string): Promise<ParsedPacket[]> {
  return new Promise((resolve, reject) => {
    const out: ParsedPacket[] = [];
    const parser = pcapParser.parse(fs.createReadStream(file));
    parser.on('packet', (p: ParsedPacket) => out.push({ header: { ...p.header }, data: Buffer.from(p.data) }));
    parser.on('error', reject);
    parser.on('end', () => resolve(out));
  });
}

const tmp = tempDir();

/** A little-endian pcap built byte by byte: header fields as given, then the records. */
function pcapBytes(opts: { magic?: number; snaplen?: number; linkField?: number }, records: Array<{ sec: number; frac: number; data: Buffer; orig?: number }>): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(opts.magic ?? 0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(opts.snaplen ?? 65535, 16);
  h.writeUInt32LE(opts.linkField ?? 101, 20);
  const parts: Buffer[] = [h];
  for (const r of records) {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(r.sec, 0);
    rh.writeUInt32LE(r.frac, 4);
    rh.writeUInt32LE(r.data.length, 8);
    rh.writeUInt32LE(r.orig ?? r.data.length, 12);
    parts.push(rh, r.data);
  }
  return Buffer.concat(parts);
}

describe('pcap reader against pcap-parser (an independent reader) on µs pcap', () => {
  for (const name of ['udp_custom_lo.pcapng', 'tcp_veth_eth.pcapng']) {
    it(`${name} converted with editcap -F pcap: same frames, bytes and times`, async () => {
      const file = path.join(tmp, `${name}.us.pcap`);
      editcap(['-F', 'pcap', path.join(fixturesDir, name), file]);
      const oracle = await pcapParserPackets(file);
      const ours: ParsedPacket[] = [];
      const summary = new PcapReader(file, { chunkSize: 4093 }).forEach((f) => {
        expect(f.tsNsec % 1000).toBe(0);
        ours.push({
          header: { timestampSeconds: f.tsSec, timestampMicroseconds: f.tsNsec / 1000, capturedLength: f.capLen, originalLength: f.origLen },
          data: Buffer.from(f.data.subarray(f.offset, f.offset + f.capLen)),
        });
      });
      expect(ours.length).toBeGreaterThan(400);
      expect(ours).toEqual(oracle);
      expect(summary.frames).toBe(oracle.length);
      expect(walkPcapRecords(file)).toEqual({ records: oracle.length, bytes: oracle.reduce((n, p) => n + p.data.length, 0) });
    });
  }
});

describe('pcap header', () => {
  it('reads the four magics: µs/ns in both byte orders', () => {
    const recs = [{ sec: 1700000000, frac: 999999, data: ipPacket(3) }, { sec: 1700000001, frac: 5, data: ipPacket(20), orig: 200 }];
    for (const magic of [0xa1b2c3d4, 0xa1b23c4d]) {
      const le = pcapBytes({ magic }, recs);
      for (const bytes of [le, toBigEndianPcap(le)]) {
        const file = path.join(tmp, `magic-${magic.toString(16)}-${bytes === le ? 'le' : 'be'}.pcap`);
        fs.writeFileSync(file, bytes);
        const times: string[] = [];
        const summary = new PcapReader(file).forEach((f) => times.push(epochString(f.tsSec, f.tsNsec)));
        expect(times).toEqual(tsharkRows(file).map((r) => r.time));
        expect(times).toEqual(magic === 0xa1b2c3d4 ? ['1700000000.999999000', '1700000001.000005000'] : ['1700000000.000999999', '1700000001.000000005']);
        expect(summary.snapTruncated).toBe(1);
      }
    }
  });

  it('takes the link type from the low 16 bits (FCS flag and length bits dropped)', () => {
    const file = path.join(tmp, 'fcs.pcap');
    // FCS present (bit 28), FCS length 2 (bits 29-31 = 1), link type 1.
    fs.writeFileSync(file, pcapBytes({ linkField: 0x10000001 | (1 << 29) }, [{ sec: 1, frac: 0, data: Buffer.alloc(60) }]));
    const types: number[] = [];
    new PcapReader(file).forEach((f) => types.push(f.linkType));
    expect(types).toEqual([1]);
  });

  it('the fixtures NULL and Ethernet link types', () => {
    for (const [name, type] of [['synthetic_null_le.pcap', 0], ['synthetic_edge.pcap', 1]] as const) {
      const types = new Set<number>();
      new PcapReader(path.join(fixturesDir, name)).forEach((f) => types.add(f.linkType));
      expect([...types]).toEqual([type]);
    }
  });

  it('unknown magic is an InputError at byte 0 naming the magic', () => {
    const file = path.join(tmp, 'gif.pcap');
    fs.writeFileSync(file, Buffer.from('GIF89a and more bytes than a header needs'));
    expect(() => new PcapReader(file).forEach(() => {})).toThrowError(InputError);
    try {
      new PcapReader(file).forEach(() => {});
    } catch (e) {
      expect((e as InputError).offset).toBe(0);
      expect((e as InputError).message).toBe(`${file}: byte 0: not a pcap/pcapng/Wireshark JSON file (magic 0x47494638)`);
    }
  });
});
