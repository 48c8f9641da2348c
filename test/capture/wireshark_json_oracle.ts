/**
 * Oracle for the Wireshark JSON reader tests: exports of the shared fixtures in every flavour
 * (made once per test file by tshark), tshark's own view of the frames, and the raw frame bytes
 * of a capture (via `tshark -F pcap` and a tiny pcap walk, independent of any JSON).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaptureSummary, Frame } from '../../src/capture/frame.js';
import { openWiresharkJson } from '../../src/capture/wireshark_json_reader.js';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');

export const FLAVOURS = {
  json: { kind: 'json', args: ['-T', 'json'] },
  jsonNoDup: { kind: 'json', args: ['-T', 'json', '--no-duplicate-keys'] },
  jsonX: { kind: 'json', args: ['-T', 'json', '-x'] },
  ek: { kind: 'ek', args: ['-T', 'ek'] },
  ekX: { kind: 'ek', args: ['-T', 'ek', '-x'] },
} as const;
export type Flavour = keyof typeof FLAVOURS;

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'acktrace-wsjson-'));
}

/** Runs tshark with stdout into `out` (exports are too large for execFileSync's buffer). */
export function tsharkTo(out: string, args: string[]): void {
  const fd = openSync(out, 'w');
  try {
    execFileSync('tshark', args, { stdio: ['ignore', fd, 'ignore'] });
  } finally {
    closeSync(fd);
  }
}

export function exportCapture(dir: string, capture: string, flavour: Flavour): string {
  const out = path.join(dir, `${path.basename(capture)}.${flavour}`);
  tsharkTo(out, ['-r', capture, ...FLAVOURS[flavour].args]);
  return out;
}

/** tshark -T fields, one row of strings per frame. */
export function tsharkFields(capture: string, fields: string[], extra: string[] = []): string[][] {
  const args = [...extra, '-r', capture, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  return out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
}

/** Every frame's bytes, from the capture converted to pcap by tshark. */
export function rawFrames(dir: string, capture: string): Buffer[] {
  const pcap = path.join(dir, `${path.basename(capture)}.raw.pcap`);
  execFileSync('tshark', ['-r', capture, '-F', 'pcap', '-w', pcap], { stdio: 'ignore' });
  const b = readFileSync(pcap);
  const frames: Buffer[] = [];
  for (let p = 24; p + 16 <= b.length;) {
    const capLen = b.readUInt32LE(p + 8);
    frames.push(b.subarray(p + 16, p + 16 + capLen));
    p += 16 + capLen;
  }
  return frames;
}

export interface ReadFrame {
  index: number;
  time: string;
  linkType: number;
  origLen: number;
  bytes: Buffer;
}

/** Reads a whole export, copying each reused Frame. */
export function readExport(file: string, kind: 'json' | 'ek'): { frames: ReadFrame[]; summary: CaptureSummary } {
  const frames: ReadFrame[] = [];
  const summary = openWiresharkJson(file, kind).forEach((f: Frame) => {
    frames.push({
      index: f.index, time: `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`, linkType: f.linkType, origLen: f.origLen,
      bytes: Buffer.from(f.data.subarray(f.offset, f.offset + f.capLen)),
    });
  });
  return { frames, summary };
}

/** A little-endian pcap of `packets` with one link type. */
export function pcapBytes(linkType: number, packets: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [head];
  for (const p of packets) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(p.length, 8);
    rec.writeUInt32LE(p.length, 12);
    parts.push(rec, p);
  }
  return Buffer.concat(parts);
}
