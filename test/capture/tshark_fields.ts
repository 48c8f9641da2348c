/**
 * tshark as the oracle: what it says about every frame of a file, and helpers to put our
 * reader's view in the same shape.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { CaptureReader, CaptureSummary } from '../../src/capture/frame.js';

export interface FrameRow {
  number: string;
  time: string;
  len: string;
  capLen: string;
  encap: string;
  comment: string;
}

/** Wiretap encapsulation numbers (what frame.encap_type prints) for the LINKTYPEs we use. */
const WTAP_ENCAP: Record<number, number> = { 1: 1, 0: 15, 101: 7, 113: 25, 108: 15 };

export function tsharkRows(file: string): FrameRow[] {
  const out = execFileSync('tshark', [
    '-r', file, '-T', 'fields', '-E', 'separator=\t', '-E', 'aggregator=|',
    '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len',
    '-e', 'frame.encap_type', '-e', 'frame.comment',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  return out.split('\n').filter((l) => l.length > 0).map((l) => {
    const [number = '', time = '', len = '', capLen = '', encap = '', comment = ''] = l.split('\t');
    return { number, time, len, capLen, encap, comment };
  });
}

/** tshark's stderr noise that is not about the file. */
const BENIGN = /Running as user "root"/;

/** Runs `tshark -r file`; returns exit status and the stderr lines that are about the file. */
export function tsharkCheck(file: string): { status: number | null; problems: string[] } {
  const r = spawnSync('tshark', ['-r', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const problems = r.stderr.split('\n').filter((l) => l.trim().length > 0 && !BENIGN.test(l));
  return { status: r.status, problems };
}

/** `${sec}.${nsec padded to 9}`, the way tshark prints frame.time_epoch (also for negative seconds). */
export function epochString(tsSec: number, tsNsec: number): string {
  return `${tsSec}.${String(tsNsec).padStart(9, '0')}`;
}

/** Our reader's frames in tshark's shape; SPB frames have no timestamp, which tshark prints as ''. */
export function readerRows(reader: CaptureReader, noTimestamp: (index: number) => boolean = () => false): { rows: FrameRow[]; summary: CaptureSummary } {
  const rows: FrameRow[] = [];
  const summary = reader.forEach((f) => {
    rows.push({
      number: String(f.index),
      time: noTimestamp(f.index) ? '' : epochString(f.tsSec, f.tsNsec),
      len: String(f.origLen),
      capLen: String(f.capLen),
      encap: String(WTAP_ENCAP[f.linkType] ?? `linktype ${f.linkType}`),
      comment: f.comments ? f.comments.join('|') : '',
    });
  });
  return { rows, summary };
}

export function editcap(args: string[]): void {
  execFileSync('editcap', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
