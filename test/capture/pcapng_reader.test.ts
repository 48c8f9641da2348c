import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PcapngReader } from '../../src/capture/pcapng_reader.js';
import { setTimestamp, timeScale } from '../../src/capture/pcapng_time.js';
import { PcapngBuilder, ipPacket, tempDir } from './capture_bytes.js';
import { readerRows, tsharkCheck, tsharkRows } from './tshark_fields.js';

const tmp = tempDir();
let n = 0;
function write(bytes: Buffer): string {
  const file = path.join(tmp, `t${n++}.pcapng`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Timestamps that probe carries, wraps and the 2^53 boundary for every resolution. */
function probeTimestamps(resol: number): bigint[] {
  const exp = resol & 0x7f;
  const units = resol & 0x80 ? 1n << BigInt(Math.min(exp, 63)) : 10n ** BigInt(Math.min(exp, 19));
  const max = (1n << 64n) - 1n;
  const picks = [0n, 1n, units - 1n, units, units + 1n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n,
    1795311000n * units + 987654321n, 1700000000n * units - 1n, (1n << 63n) + 12345n, max - 1n, max,
    0x18ea39d7e0ebfe78n, 1884000000000000000n, 17953110008148783281n, 999999999999n];
  // Seconds past 2^53 (year 285 million and later) do not fit Frame.tsSec, a JS number.
  return picks.filter((t) => t >= 0n && t <= max && t / units <= BigInt(Number.MAX_SAFE_INTEGER));
}

describe('pcapng timestamps equal tshark frame.time_epoch for every resolution', () => {
  const resolutions = [0, 1, 3, 4, 6, 9, 10, 12, 15, 19, 20, 0x80, 0x81, 0x94, 0x9e, 0xa0, 0xa3, 0xbf, 0xc0];
  for (const resol of resolutions) {
    it(`if_tsresol 0x${resol.toString(16)}`, () => {
      const b = new PcapngBuilder();
      const stamps = probeTimestamps(resol);
      const file = write(Buffer.concat([b.shb(), b.idb(101, { tsresol: resol }), ...stamps.map((t, i) => b.epb(0, t, ipPacket(i)))]));
      const expected = tsharkRows(file);
      expect(expected.length).toBe(stamps.length);
      expect(readerRows(new PcapngReader(file)).rows).toEqual(expected);
    });
  }

  it('if_tsoffset (negative and positive seconds) and the default 10^-6', () => {
    const b = new PcapngBuilder();
    const file = write(Buffer.concat([
      b.shb(),
      b.idb(101, { tsoffset: -1000n }),
      b.idb(101, { tsresol: 9, tsoffset: 1700000000n }),
      b.epb(0, 5n, ipPacket(1)),
      b.epb(1, 123456789n, ipPacket(2)),
      b.epb(0, 1795311000814878n, ipPacket(3)),
    ]));
    const { rows } = readerRows(new PcapngReader(file));
    expect(rows).toEqual(tsharkRows(file));
    expect(rows.map((r) => r.time)).toEqual(['-1000.000005000', '1700000000.123456789', '1795310000.814878000']);
  });

  it('fast path agrees with exact BigInt arithmetic for 10^0..10^9 (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (exp, ts) => {
      const units = 10n ** BigInt(exp);
      if (ts / units > BigInt(Number.MAX_SAFE_INTEGER)) return;
      const out = { tsSec: 0, tsNsec: 0 };
      setTimestamp(out, timeScale(exp, 0), Number(ts >> 32n), Number(ts & 0xffffffffn));
      expect(BigInt(out.tsSec)).toBe(ts / units);
      expect(BigInt(out.tsNsec)).toBe(((ts % units) * 1_000_000_000n) / units);
    }), { numRuns: 20000 });
  });
});

describe('pcapng blocks', () => {
  it('EPB, SPB and PB, several interfaces with their own link types, comments everywhere', () => {
    const b = new PcapngBuilder();
    const file = write(Buffer.concat([
      b.shb([b.comment('section one')]),
      b.idb(1, { tsresol: 9, comment: 'eth side' }),
      b.idb(101, { tsresol: 6 }),
      b.block(4, Buffer.alloc(8)), // name resolution block: skipped
      b.epb(1, 1700000000123456n, ipPacket(4), { comments: ['dropped by impair', 'second note'] }),
      b.spb(Buffer.concat([Buffer.alloc(14), ipPacket(5)])),
      b.pb(1, 1700000000000001n, ipPacket(6), ['old style']),
      b.block(0x0bad, Buffer.alloc(20)), // custom block: skipped, but Wireshark gives it frame number 4
      b.block(5, Buffer.alloc(20)), // interface statistics: skipped, no number
      b.epb(0, 1700000000123456789n, Buffer.concat([Buffer.alloc(14), ipPacket(7)]), { origLen: 2000 }),
    ]));
    expect(tsharkCheck(file)).toEqual({ status: 0, problems: [] });
    const reader = new PcapngReader(file);
    const { rows, summary } = readerRows(reader, (i) => i === 2);
    const oracle = tsharkRows(file);
    expect(oracle[3]!.encap).toBe('');
    expect(rows).toEqual(oracle.filter((r) => r.encap !== ''));
    expect(summary.frames).toBe(4);
    expect(summary.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^1 non-packet record/)]);
    expect(summary.comments).toEqual(['section one', 'eth side']);
    expect(summary.snapTruncated).toBe(1);
    const seen: Array<[number, number, number, number]> = [];
    reader.forEach((f) => seen.push([f.interfaceId, f.linkType, f.tsSec, f.tsNsec]));
    expect(seen).toEqual([[1, 101, 1700000000, 123456000], [0, 1, 0, 0], [1, 101, 1700000000, 1000], [0, 1, 1700000000, 123456789]]);
  });

  it('sections with different byte orders each reset the interfaces', () => {
    const le = new PcapngBuilder(true);
    const be = new PcapngBuilder(false);
    const file = write(Buffer.concat([
      le.shb(), le.idb(1, { tsresol: 9 }), le.idb(101), le.epb(1, 1n, ipPacket(1)),
      be.shb([be.comment('big endian section')]), be.idb(101, { tsresol: 3 }), be.epb(0, 1700000000123n, ipPacket(2), { comments: ['be'] }),
      be.spb(ipPacket(3)),
      le.shb(), le.idb(0), le.epb(0, 3n, Buffer.from([2, 0, 0, 0, ...ipPacket(4)])),
    ]));
    const { rows, summary } = readerRows(new PcapngReader(file), (i) => i === 3);
    expect(rows).toEqual(tsharkRows(file));
    expect(summary.comments).toEqual(['big endian section']);
    expect(summary.warnings).toEqual([]);
  });

  it('an EPB naming an interface the section does not have stops with a warning', () => {
    const b = new PcapngBuilder();
    const bad = b.epb(2, 1n, ipPacket(1));
    const head = Buffer.concat([b.shb(), b.idb(1), b.epb(0, 1n, ipPacket(0))]);
    const file = write(Buffer.concat([head, bad, b.epb(0, 2n, ipPacket(2))]));
    const summary = new PcapngReader(file).forEach(() => {});
    expect(summary.frames).toBe(1);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]!.offset).toBe(head.length);
    expect(summary.warnings[0]!.message).toMatch(/interface 2/);
  });

  it('frames carry their file offsets and data views into the chunk buffer', () => {
    const b = new PcapngBuilder();
    const shb = b.shb();
    const idb = b.idb(101);
    const p1 = b.epb(0, 1n, ipPacket(10, 1));
    const p2 = b.epb(0, 2n, ipPacket(11, 2));
    const file = write(Buffer.concat([shb, idb, p1, p2]));
    const got: Array<[number, string]> = [];
    new PcapngReader(file, { chunkSize: 16 }).forEach((f) => got.push([f.fileOffset, f.data.toString('hex', f.offset, f.offset + f.capLen)]));
    expect(got).toEqual([
      [shb.length + idb.length, ipPacket(10, 1).toString('hex')],
      [shb.length + idb.length + p1.length, ipPacket(11, 2).toString('hex')],
    ]);
  });
});
