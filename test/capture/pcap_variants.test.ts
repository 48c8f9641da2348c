import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileWindow } from '../../src/capture/file_window.js';
import type { Frame } from '../../src/capture/frame.js';
import { openCapture } from '../../src/capture/open_capture.js';
import { PcapReader, readPcapHeader, walkPcapRecords } from '../../src/capture/pcap_reader.js';
import { PCAP_RECORD_HEADER_LEN, type PcapVariant } from '../../src/capture/pcap_variant.js';
import { InputError } from '../../src/input_error.js';
import { fixturesDir, repoRoot, tempDir } from './capture_bytes.js';
import { epochString, tsharkRows } from './tshark_fields.js';

/**
 * The old pcap layouts tshark reads (fixtures/pcap-variants, made by make_variants.sh with
 * `editcap -F <variant>`): every frame as in the source capture and as tshark reads it.
 */

const dir = path.join(repoRoot, 'fixtures/pcap-variants');
const cli = path.join(repoRoot, 'dist/cli/main.js');
const tmp = tempDir();

/** File suffix → the layout editcap wrote. */
const LAYOUTS: Array<[string, PcapVariant]> = [
  ['modpcap', 'ss991029'], ['be.modpcap', 'ss991029'],
  ['suse6_3pcap', 'ss990915'], ['be.suse6_3pcap', 'ss990915'],
  ['rh6_1pcap', 'ss990417'], ['be.rh6_1pcap', 'ss990417'],
  ['nokiapcap', 'nokia'],
];
const SOURCES: Array<{ name: string; decodeArgs: string[] }> = [
  { name: 'v6', decodeArgs: [] },
  { name: 'sock352', decodeArgs: ['-d', 'sock352'] },
];

interface Rec { sec: number; nsec: number; capLen: number; origLen: number; hex: string }

function frames(file: string, chunkSize?: number): Rec[] {
  const out: Rec[] = [];
  new PcapReader(file, { chunkSize }).forEach((f: Frame) => out.push({
    sec: f.tsSec, nsec: f.tsNsec, capLen: f.capLen, origLen: f.origLen,
    hex: f.data.toString('hex', f.offset, f.offset + f.capLen),
  }));
  return out;
}

function layoutOf(file: string): PcapVariant {
  const win = FileWindow.open(file, 4096);
  try {
    return readPcapHeader(win, file).variant;
  } finally {
    win.close();
  }
}

/** tshark's view: epoch time, frame.len, frame.cap_len. */
function tsharkTimes(file: string): string[] {
  return tsharkRows(file).map((r) => `${r.time} ${r.len} ${r.capLen}`);
}

/** What `acktrace decode` prints, stdout and stderr (its notes name the file: that part is cut). */
function decode(file: string, args: string[]): string {
  const r = spawnSync('node', [cli, 'decode', file, ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(0);
  return `${r.stdout}\n--- stderr\n${r.stderr.split(file).join('<file>')}`;
}

describe('old pcap layouts read as the source capture and as tshark reads them', () => {
  for (const src of SOURCES) {
    const source = path.join(dir, `${src.name}.pcap`);
    const expected = frames(source);

    it(`${src.name}.pcap is plain pcap and has frames to compare`, () => {
      expect(layoutOf(source)).toBe('pcap');
      expect(expected.length).toBeGreaterThanOrEqual(25);
      // v6 has a 128-byte snaplen and real µs times: lengths and fractions are exercised.
      if (src.name === 'v6') {
        expect(expected.some((f) => f.capLen < f.origLen)).toBe(true);
        expect(expected.some((f) => f.nsec % 1_000_000 !== 0)).toBe(true);
      }
    });

    for (const [suffix, layout] of LAYOUTS) {
      const file = path.join(dir, `${src.name}.${suffix}`);
      it(`${src.name}.${suffix}: layout ${layout} (${PCAP_RECORD_HEADER_LEN[layout]}-byte records), same frames, same as tshark`, () => {
        expect(openCapture(file).format).toBe('pcap');
        expect(layoutOf(file)).toBe(layout);
        const got = frames(file);
        expect(got).toEqual(expected);
        expect(got.map((f) => `${epochString(f.sec, f.nsec)} ${f.origLen} ${f.capLen}`)).toEqual(tsharkTimes(file));
        expect(frames(file, 61)).toEqual(expected); // every record straddles a chunk boundary
        const summary = new PcapReader(file).forEach(() => {});
        expect(summary.warnings).toEqual([]);
        expect(summary.snapTruncated).toBe(expected.filter((f) => f.capLen < f.origLen).length);
        expect(walkPcapRecords(file)).toEqual({ records: expected.length, bytes: expected.reduce((n, f) => n + f.capLen, 0) });
        expect(walkPcapRecords(file, { chunkSize: 61 })).toEqual(walkPcapRecords(source));
      });
    }

    it(`acktrace decode prints the same rows for every layout of ${src.name}`, () => {
      const want = decode(source, src.decodeArgs);
      expect(want.split('\n').length).toBeGreaterThan(expected.length);
      for (const [suffix] of LAYOUTS) expect(decode(path.join(dir, `${src.name}.${suffix}`), src.decodeArgs)).toBe(want);
    });
  }

  it('Nokia records whose extra word looks like the ones seen in the wild are Nokia to us and to tshark', () => {
    const bytes = Buffer.from(fs.readFileSync(path.join(dir, 'v6.nokiapcap')));
    for (let p = 24, i = 0; p < bytes.length; i++) {
      bytes.writeUInt32LE(i % 2 === 0 ? 0x9fbfb601 : 0xbfbfd902, p + 16);
      p += 20 + bytes.readUInt32LE(p + 8);
    }
    const file = path.join(tmp, 'nokia-words.pcap');
    fs.writeFileSync(file, bytes);
    expect(layoutOf(file)).toBe('nokia');
    expect(frames(file)).toEqual(frames(path.join(dir, 'v6.pcap')));
    expect(frames(file).map((f) => `${epochString(f.sec, f.nsec)} ${f.origLen} ${f.capLen}`)).toEqual(tsharkTimes(file));
  });
});

describe('damaged old-layout files', () => {
  for (const suffix of ['modpcap', 'be.suse6_3pcap', 'rh6_1pcap']) {
    it(`${suffix} cut at every offset: the frames before the cut, one warning at the cut record`, () => {
      const source = path.join(dir, `sock352.${suffix}`);
      const bytes = fs.readFileSync(source);
      const hdrLen = PCAP_RECORD_HEADER_LEN[layoutOf(source)];
      const records: Array<{ start: number; end: number }> = [];
      new PcapReader(source).forEach((f) => records.push({ start: f.fileOffset, end: f.offset + f.capLen }));
      expect(records.length).toBe(25);
      const all = frames(source);
      // Two whole records are what the guess needs to pick a layout other than its candidates'
      // first (plain pcap for the standard magic, modpcap's for the modified one).
      const from = suffix === 'modpcap' ? 24 : records[1]!.end + 1;
      for (let cut = from; cut <= bytes.length; cut++) {
        const file = path.join(tmp, `cut.${suffix}`);
        fs.writeFileSync(file, bytes.subarray(0, cut));
        const got: Rec[] = [];
        const summary = new PcapReader(file, { chunkSize: 37 }).forEach((f) => got.push({
          sec: f.tsSec, nsec: f.tsNsec, capLen: f.capLen, origLen: f.origLen,
          hex: f.data.toString('hex', f.offset, f.offset + f.capLen),
        }));
        const complete = records.filter((r) => r.end <= cut).length;
        expect(got).toEqual(all.slice(0, complete));
        const broken = records.find((r) => r.start < cut && r.end > cut);
        if (broken === undefined) {
          expect(summary.warnings).toEqual([]);
        } else {
          expect(summary.warnings).toHaveLength(1);
          const have = cut - broken.start;
          const need = have < hdrLen ? hdrLen : broken.end - broken.start;
          expect(summary.warnings[0]!.offset).toBe(broken.start);
          expect(summary.warnings[0]!.message).toBe(`truncated record at byte ${broken.start}: ${have} of ${need} bytes`);
        }
      }
    });
  }

  it('a plain pcap cut after its first record stays plain pcap (tshark would guess RedHat 6.1)', () => {
    const bytes = fs.readFileSync(path.join(dir, 'v6.pcap'));
    const first = 24 + 16 + bytes.readUInt32LE(24 + 8);
    for (let cut = first; cut < first + 16 + 40; cut++) {
      const file = path.join(tmp, 'cut-plain.pcap');
      fs.writeFileSync(file, bytes.subarray(0, cut));
      expect(layoutOf(file)).toBe('pcap');
      const summary = new PcapReader(file).forEach(() => {});
      expect(summary.frames).toBe(1);
      expect(summary.warnings.length).toBe(cut === first ? 0 : 1);
    }
  });

  it('every plain pcap among the shared and project fixtures keeps the 16-byte layout', () => {
    const found: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.pcap$/.test(e.name)) found.push(p);
      }
    };
    walk(fixturesDir);
    walk(path.join(repoRoot, 'fixtures'));
    expect(found.length).toBeGreaterThan(5);
    for (const f of found) {
      const h = (() => { try { return layoutOf(f); } catch (e) { if (e instanceof InputError) return null; throw e; } })();
      if (h !== null) expect([f, h]).toEqual([f, 'pcap']);
    }
  });

  it('fuzz: mutated old-layout files end in frames and warnings or an InputError, nothing else', () => {
    const bases = ['modpcap', 'suse6_3pcap', 'rh6_1pcap', 'nokiapcap'].map((s) => fs.readFileSync(path.join(dir, `sock352.${s}`)));
    const file = path.join(tmp, 'fuzz-variant.pcap');
    fc.assert(fc.property(
      fc.constantFrom(...bases),
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }), { minLength: 1, maxLength: 5 }),
      fc.constantFrom(29, 4096),
      (base, muts, chunk) => {
        let b = Buffer.from(base);
        for (const m of muts) {
          const at = m.at % b.length;
          if (m.cut) b = b.subarray(0, Math.max(at, 1));
          else b[at] = m.value;
        }
        fs.writeFileSync(file, b);
        try {
          let n = 0;
          const s = openCapture(file, { chunkSize: chunk }).forEach((f) => {
            n++;
            expect(f.offset + f.capLen).toBeLessThanOrEqual(f.data.length);
            expect(f.tsNsec).toBeLessThan(1_000_000_000);
          });
          expect(s.frames).toBe(n);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
        }
      },
    ), { numRuns: 400 });
  });
});
