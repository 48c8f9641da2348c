import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapReader } from '../../src/capture/pcap_reader.js';
import { PcapngReader } from '../../src/capture/pcapng_reader.js';
import type { CaptureReader, CaptureSummary } from '../../src/capture/frame.js';
import { InputError } from '../../src/input_error.js';
import { PcapngBuilder, fixturesDir, ipPacket, tempDir } from './capture_bytes.js';
import { editcap } from './tshark_fields.js';

const tmp = tempDir();
let n = 0;
function write(bytes: Buffer, ext: string): string {
  const file = path.join(tmp, `b${n++}.${ext}`);
  fs.writeFileSync(file, bytes);
  return file;
}

function run(reader: CaptureReader): { offsets: number[]; summary: CaptureSummary } {
  const offsets: number[] = [];
  const summary = reader.forEach((f) => offsets.push(f.fileOffset));
  return { offsets, summary };
}

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

/** Start offsets of the pcapng blocks of a little-endian file, and which are EPBs. */
function pcapngBlocks(bytes: Buffer): Array<{ start: number; end: number; packet: boolean }> {
  const out = [];
  for (let p = 0; p < bytes.length;) {
    const type = bytes.readUInt32LE(p);
    const len = bytes.readUInt32LE(p + 4);
    out.push({ start: p, end: p + len, packet: type === 6 || type === 3 || type === 2 });
    p += len;
  }
  return out;
}

describe('truncated files: every frame before the cut, one warning naming the offset, no throw', () => {
  it('pcap cut at every offset after the file header', () => {
    const source = path.join(tmp, 'edge-src.pcap');
    editcap(['-F', 'pcap', '-r', path.join(fixturesDir, 'udp_custom_lo.pcapng'), source, '1-12']);
    const bytes = fs.readFileSync(source);
    const full = run(new PcapReader(source));
    const records: Array<{ start: number; end: number }> = [];
    new PcapReader(source).forEach((f) => records.push({ start: f.fileOffset, end: f.fileOffset + 16 + f.capLen }));
    expect(records.length).toBe(12);
    expect(full.offsets).toEqual(records.map((r) => r.start));
    for (let cut = 24; cut <= bytes.length; cut++) {
      const file = write(bytes.subarray(0, cut), 'pcap');
      const { offsets, summary } = run(new PcapReader(file, { chunkSize: 37 }));
      const complete = records.filter((r) => r.end <= cut);
      expect(offsets).toEqual(complete.map((r) => r.start));
      const broken = records.find((r) => r.start < cut && r.end > cut);
      if (broken === undefined) {
        expect(summary.warnings).toEqual([]);
      } else {
        expect(summary.warnings).toHaveLength(1);
        const w = summary.warnings[0]!;
        expect(w.offset).toBe(broken.start);
        const have = cut - broken.start;
        const need = have < 16 ? 16 : broken.end - broken.start;
        expect(w.message).toBe(`truncated record at byte ${broken.start}: ${have} of ${need} bytes`);
      }
      fs.unlinkSync(file);
    }
  });

  it('pcap cut inside the file header is an InputError at byte 0', () => {
    const bytes = fs.readFileSync(path.join(fixturesDir, 'synthetic_edge.pcap'));
    for (const cut of [1, 3, 4, 10, 23]) {
      const e = thrown(() => new PcapReader(write(bytes.subarray(0, cut), 'pcap')).forEach(() => {}));
      expect(e.offset).toBe(0);
    }
  });

  it('pcapng cut at block boundaries, next to them and at a stride of offsets', () => {
    const bytes = fs.readFileSync(path.join(fixturesDir, 'udp_custom_lo.pcapng')).subarray(0, 16 * 1024);
    const blocks = pcapngBlocks(fs.readFileSync(path.join(fixturesDir, 'udp_custom_lo.pcapng'))).filter((b) => b.start < bytes.length);
    const first = blocks[0]!;
    const cuts = new Set<number>();
    for (const b of blocks) for (const d of [-1, 0, 1, 4, 8, 11, 12, 13]) cuts.add(b.start + d);
    for (let c = first.end; c < bytes.length; c += 13) cuts.add(c);
    for (const cut of [...cuts].filter((c) => c >= first.end && c <= bytes.length).sort((a, b) => a - b)) {
      const file = write(bytes.subarray(0, cut), 'pcapng');
      const { offsets, summary } = run(new PcapngReader(file, { chunkSize: 101 }));
      expect(offsets).toEqual(blocks.filter((b) => b.packet && b.end <= cut).map((b) => b.start));
      const broken = blocks.find((b) => b.start < cut && b.end > cut);
      if (broken === undefined) {
        expect(summary.warnings).toEqual([]);
      } else {
        expect(summary.warnings).toHaveLength(1);
        expect(summary.warnings[0]!.offset).toBe(broken.start);
        expect(summary.warnings[0]!.message).toMatch(new RegExp(`^truncated block at byte ${broken.start}: ${cut - broken.start} of \\d+ bytes$`));
      }
      fs.unlinkSync(file);
    }
  });

  it('pcapng cut inside the first section header is an InputError', () => {
    const bytes = fs.readFileSync(path.join(fixturesDir, 'udp_custom_lo.pcapng'));
    for (const cut of [4, 11, 12, 30]) {
      expect(thrown(() => new PcapngReader(write(bytes.subarray(0, cut), 'pcapng')).forEach(() => {})).offset).toBe(0);
    }
  });
});

describe('damaged lengths stop fast, without big allocations', () => {
  function pcapWithCaplens(caplens: number[]): Buffer {
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(65535, 16);
    h.writeUInt32LE(101, 20);
    const parts: Buffer[] = [h];
    for (const c of caplens) {
      const r = Buffer.alloc(16);
      r.writeUInt32LE(c, 8);
      r.writeUInt32LE(c, 12);
      parts.push(r, ipPacket(Math.max(0, Math.min(c, 64) - 28)).subarray(0, Math.min(c, 64)));
    }
    return Buffer.concat(parts);
  }

  it('a huge first record length is an InputError at its offset', () => {
    const before = process.memoryUsage().arrayBuffers;
    const e = thrown(() => new PcapReader(write(pcapWithCaplens([0xfffffff0]), 'pcap')).forEach(() => {}));
    expect(e.offset).toBe(24);
    expect(e.message).toMatch(/record caplen 4294967280 exceeds the limit/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a huge later record length ends the walk with a warning', () => {
    const file = write(pcapWithCaplens([60, 60, 300000, 60]), 'pcap');
    const { offsets, summary } = run(new PcapReader(file));
    expect(offsets).toEqual([24, 100]);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]!.offset).toBe(176);
    // Bigger than the snaplen + slack, but below 256 KiB: also damage.
    expect(run(new PcapReader(write(pcapWithCaplens([60, 140000]), 'pcap'))).summary.warnings[0]!.offset).toBe(100);
  });

  const b = new PcapngBuilder();
  const head = Buffer.concat([b.shb(), b.idb(101)]);
  const pkt = b.epb(0, 1n, ipPacket(10));

  function withLength(block: Buffer, len: number): Buffer {
    const out = Buffer.from(block);
    out.writeUInt32LE(len, 4);
    return out;
  }

  it('pcapng block length not a multiple of 4, or below 12', () => {
    for (const len of [pkt.length + 1, pkt.length - 2, 8, 0]) {
      const file = write(Buffer.concat([head, pkt, withLength(pkt, len), pkt]), 'pcapng');
      const { offsets, summary } = run(new PcapngReader(file));
      expect(offsets).toEqual([head.length]);
      expect(summary.warnings).toHaveLength(1);
      expect(summary.warnings[0]!.offset).toBe(head.length + pkt.length);
      expect(summary.warnings[0]!.message).toMatch(/block length/);
    }
    const first = thrown(() => new PcapngReader(write(Buffer.concat([withLength(b.shb(), 30), head]), 'pcapng')).forEach(() => {}));
    expect(first.offset).toBe(0);
    expect(first.message).toMatch(/not a multiple of 4/);
  });

  it('pcapng packet block length over the limit, and a huge skippable block in a short file', () => {
    const huge = write(Buffer.concat([head, pkt, withLength(pkt, 0x7ffffffc)]), 'pcapng');
    const r1 = run(new PcapngReader(huge));
    expect(r1.offsets).toEqual([head.length]);
    expect(r1.summary.warnings[0]!.message).toMatch(/exceeds the limit/);
    const nrb = withLength(b.block(4, Buffer.alloc(16)), 15 * 1024 * 1024);
    const r2 = run(new PcapngReader(write(Buffer.concat([head, pkt, nrb]), 'pcapng')));
    expect(r2.offsets).toEqual([head.length]);
    expect(r2.summary.warnings[0]!.message).toMatch(/^truncated block at byte \d+: 28 of 15728640 bytes$/);
  });

  it('pcapng trailing length mismatch stops with a warning', () => {
    const bad = Buffer.from(pkt);
    bad.writeUInt32LE(pkt.length + 4, pkt.length - 4);
    const { offsets, summary } = run(new PcapngReader(write(Buffer.concat([head, pkt, bad, pkt]), 'pcapng')));
    expect(offsets).toEqual([head.length]);
    expect(summary.warnings).toEqual([expect.objectContaining({ offset: head.length + pkt.length, message: expect.stringMatching(/length mismatch/) })]);
  });

  it('pcapng whose first block is not a section header is not pcapng', () => {
    const e = thrown(() => new PcapngReader(write(Buffer.concat([b.idb(1), pkt]), 'pcapng')).forEach(() => {}));
    expect(e.message).toMatch(/not a pcap\/pcapng\/Wireshark JSON file \(magic 0x01000000\)/);
  });
});
