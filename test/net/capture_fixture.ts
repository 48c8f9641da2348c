/**
 * Test-only capture reading/writing, just enough for the shared fixtures (classic pcap
 * little-endian, pcapng SHB/IDB/EPB) while src/capture is being written elsewhere.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../src/capture/frame.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', '../shared/fixtures');

/**
 * Calls `onFrame` for every frame of a pcap/pcapng file, like CaptureReader.forEach
 * (src/capture/open_capture.ts) will: swap this for `openCapture(file).forEach` once it builds.
 */
export function forEachFrame(file: string, onFrame: (frame: Frame) => void): void {
  readFrames(file).forEach(onFrame);
}

function readFrames(file: string): Frame[] {
  const b = readFileSync(file);
  const frames: Frame[] = [];
  const push = (linkType: number, offset: number, capLen: number, origLen: number, fileOffset: number): void => {
    frames.push({ index: frames.length + 1, tsSec: 0, tsNsec: 0, linkType, data: b, offset, capLen, origLen,
      interfaceId: 0, fileOffset, comments: null });
  };
  if (b.readUInt32LE(0) === 0xa1b2c3d4) {
    const linkType = b.readUInt32LE(20);
    for (let p = 24; p + 16 <= b.length; p += 16 + b.readUInt32LE(p + 8)) push(linkType, p + 16, b.readUInt32LE(p + 8), b.readUInt32LE(p + 12), p);
    return frames;
  }
  const links: number[] = [];
  for (let p = 0; p + 12 <= b.length; p += b.readUInt32LE(p + 4)) {
    const type = b.readUInt32LE(p);
    if (type === 0x0a0d0d0a) links.length = 0;
    else if (type === 1) links.push(b.readUInt16LE(p + 8));
    else if (type === 6) push(links[b.readUInt32LE(p + 8)], p + 28, b.readUInt32LE(p + 20), b.readUInt32LE(p + 24), p);
  }
  return frames;
}

/** Writes frames as a classic little-endian pcap of one link type (for tshark to judge). */
export function writePcap(file: string, linkType: number, frames: { bytes: Buffer; origLen?: number }[]): void {
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0); gh.writeUInt16LE(2, 4); gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16); gh.writeUInt32LE(linkType, 20);
  parts.push(gh);
  frames.forEach((f, i) => {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(i, 0); rh.writeUInt32LE(f.bytes.length, 8); rh.writeUInt32LE(f.origLen ?? f.bytes.length, 12);
    parts.push(rh, f.bytes);
  });
  writeFileSync(file, Buffer.concat(parts));
}

/** tshark -T fields rows, one array of column strings per frame. */
export function tsharkFields(file: string, fields: string[], prefs: string[] = []): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=,'];
  for (const p of prefs) args.push('-o', p);
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}
