/**
 * The differential oracle for TCP analysis: tshark's tcp.analysis.* flags and tcp.stream per
 * frame, our analyzer's flags and connection per frame, and the frames where they disagree,
 * each with a reason.
 */
import { execFileSync } from 'node:child_process';
import { openCapture } from '../../src/capture/open_capture.js';
import { DissectorBinding } from '../../src/dissect/dissector_binding.js';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { analyzeCapture } from '../../src/analyze/analyze_capture.js';
import type { AnalysisFlag, TimelineEntry } from '../../src/analyze/timeline.js';

/** The flags compared, with tshark's field for each. */
export const COMPARED: Array<[AnalysisFlag, string]> = [
  ['retransmission', 'tcp.analysis.retransmission'],
  ['fast-retransmission', 'tcp.analysis.fast_retransmission'],
  ['dup-ack', 'tcp.analysis.duplicate_ack'],
  ['gap', 'tcp.analysis.lost_segment'],
  ['out-of-order', 'tcp.analysis.out_of_order'],
  ['zero-window', 'tcp.analysis.zero_window'],
  // Beyond the acceptance list: the other judgements tshark names the same way.
  ['spurious-retransmission', 'tcp.analysis.spurious_retransmission'],
  ['ack-unseen', 'tcp.analysis.ack_lost_segment'],
  ['window-full', 'tcp.analysis.window_full'],
  ['keep-alive', 'tcp.analysis.keep_alive'],
  ['window-update', 'tcp.analysis.window_update'],
  ['reused-ports', 'tcp.analysis.reused_ports'],
];

export interface Disagreement {
  frame: number;
  flag: AnalysisFlag;
  ours: boolean;
  tshark: boolean;
  reason: string;
}

export interface Comparison {
  frames: number;
  /** Frames agreeing on every compared flag and on the connection (tcp.stream + 1). */
  agreeing: number;
  /** Flag comparisons made (frames × flags). */
  flagsCompared: number;
  /** Frames where our connection id is not tshark's tcp.stream + 1. */
  streamMismatches: number[];
  /** Distinct tcp.stream values seen. */
  streams: number;
  disagreements: Disagreement[];
  entries: Map<number, TimelineEntry>;
}

export interface TsharkFrame {
  flags: Set<AnalysisFlag>;
  stream: number;
}

/** tshark's flag sets and tcp.stream per TCP frame (frames without TCP are left out). */
export function tsharkFlags(file: string): Map<number, TsharkFrame> {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', '-Y', 'tcp', '-e', 'frame.number', '-e', 'tcp.stream'];
  for (const [, f] of COMPARED) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const m = new Map<number, TsharkFrame>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const set = new Set<AnalysisFlag>();
    COMPARED.forEach(([flag], i) => { if ((cols[i + 2] ?? '') !== '') set.add(flag); });
    m.set(Number(cols[0]), { flags: set, stream: Number(cols[1]) });
  }
  return m;
}

/**
 * Runs both analyses of a TCP capture and compares them frame by frame. `explain` names the
 * reason of a known, documented difference (or returns null for an unexplained one).
 */
export function compareWithTshark(file: string, explain: (d: Omit<Disagreement, 'reason'>, e: TimelineEntry) => string | null): Comparison {
  const theirs = tsharkFlags(file);
  const reg = new DissectorRegistry();
  const binding = new DissectorBinding({ available: [], tcp: reg.get('tcp') });
  const entries = new Map<number, TimelineEntry>();
  analyzeCapture(openCapture(file), { binding, onEntry: (e) => entries.set(e.frame, e) });
  const disagreements: Disagreement[] = [];
  let agreeing = 0;
  const streamMismatches: number[] = [];
  const streams = new Set<number>();
  for (const [frame, { flags: set, stream }] of theirs) {
    const e = entries.get(frame);
    streams.add(stream);
    let ok = e !== undefined && e.connection === stream + 1;
    if (!ok) streamMismatches.push(frame);
    for (const [flag] of COMPARED) {
      const ours = e ? e.flags.includes(flag) : false;
      const tshark = set.has(flag);
      if (ours === tshark) continue;
      ok = false;
      const d = { frame, flag, ours, tshark };
      disagreements.push({ ...d, reason: (e && explain(d, e)) ?? 'unexplained' });
    }
    if (ok) agreeing++;
  }
  return { frames: theirs.size, agreeing, flagsCompared: theirs.size * COMPARED.length, streamMismatches, streams: streams.size, disagreements, entries };
}
