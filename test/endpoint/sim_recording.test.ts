/**
 * A sample of matrix runs, recorded and decoded back with the capture pipeline: every injected
 * drop shows in the recording where it was made (a commented frame whose decoded header is the
 * dropped segment), and every recording opens in tshark without errors.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openCapture } from '../../src/capture/open_capture.js';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { DissectorBinding } from '../../src/dissect/dissector_binding.js';
import { dissectCapture } from '../../src/dissect/segment_stream.js';
import type { EndpointProtocol } from '../../src/endpoint/core/protocol_cores.js';
import { simulateTransfer } from '../../src/endpoint/sim_transfer.js';
import { matrixRun } from './impairment_matrix.js';

const reg = new DissectorRegistry();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-simrec-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(['sock352', 'csee4119-tcp'] as EndpointProtocol[])('%s recordings', (protocol) => {
  test('drops are marked on the frame of the dropped segment; tshark reads the file', () => {
    const d = reg.get(protocol);
    let checked = 0;
    for (let i = 0; i < 600; i += 25) {
      const run = matrixRun(protocol, i);
      const file = path.join(dir, `${protocol}-${i}.pcapng`);
      const r = simulateTransfer({ dissector: d, data: run.data, config: run.config, impairments: run.impairments, record: file });
      expect(r.ok, run.label).toBe(true);
      const side = JSON.parse(fs.readFileSync(`${file}.drops.json`, 'utf8')) as { drops: Array<{ frame: number | null; cls: string; value: number | null; reason: string }> };
      expect(side.drops.length).toBe(r.drops.length);
      const byFrame = new Map<number, { seq: number | null; ack: number | null; isData: boolean; comments: string[] }>();
      const comments = new Map<number, string[]>();
      openCapture(file).forEach((f) => { if (f.comments) comments.set(f.index, [...f.comments]); });
      dissectCapture(openCapture(file), {
        binding: new DissectorBinding({ forced: d }),
        onSegment: (s) => byFrame.set(s.frame, { seq: s.segment.seq === null ? null : Number(s.segment.seq), ack: s.segment.ack === null ? null : Number(s.segment.ack), isData: s.segment.isData, comments: comments.get(s.frame) ?? [] }),
      });
      for (const drop of side.drops) {
        expect(drop.frame).not.toBeNull();
        const seg = byFrame.get(drop.frame!)!;
        expect(seg.comments.some((c) => c.startsWith('acktrace: dropped') && c.includes(drop.reason))).toBe(true);
        if (drop.cls === 'data') { expect(seg.isData).toBe(true); expect(seg.seq).toBe(drop.value); }
        if (drop.cls === 'ack') expect(seg.ack).toBe(drop.value);
        checked++;
      }
      if (i % 200 === 0) execFileSync('tshark', ['-r', file, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] }); // throws on a read error
    }
    expect(checked).toBeGreaterThan(20);
  });
});
