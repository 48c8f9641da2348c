/**
 * Test-only capture plumbing: walk a capture with the project's reader, write small pcaps for
 * tshark to judge, and ask tshark for fields.
 */
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../src/capture/frame.js';
import { openCapture } from '../../src/capture/open_capture.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', '../shared/fixtures');

/** Calls `onFrame` for every frame of a capture (the Frame is reused: copy what you keep). */
export function forEachFrame(file: string, onFrame: (frame: Frame) => void): void {
  openCapture(file).forEach(onFrame);
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
