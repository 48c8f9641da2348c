/**
 * Seed 004's two documented runs, reproduced on the simulated wire (virtual time, so the 2 s
 * timeout costs nothing) and checked from the recording alone, as a TA would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openCapture } from '../../src/capture/open_capture.js';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { DissectorBinding } from '../../src/dissect/dissector_binding.js';
import { dissectCapture } from '../../src/dissect/segment_stream.js';
import { runTransfer } from '../../src/endpoint/run_transfer.js';

const MESSAGE = 'aaaaabbbbcccccdddddeeeeeffffggggghhhiiiijjjjkkkklllll'; // the seed's first run
const reg = new DissectorRegistry();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-seed004-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Rec { frame: number; t: number; kind: string | null; pos: number; ack: number | null; comments: string[] }

function decodeRun(file: string): Rec[] {
  const comments = new Map<number, string[]>();
  openCapture(file).forEach((f) => { if (f.comments) comments.set(f.index, [...f.comments]); });
  const out: Rec[] = [];
  const binding = new DissectorBinding({ available: [reg.get('ariel-package')], tcp: reg.get('tcp') });
  dissectCapture(openCapture(file), {
    binding,
    onSegment: (s) => {
      if (s.dissector.name !== 'ariel-package') return;
      out.push({ frame: s.frame, t: s.tsSec + s.tsNsec / 1e9, kind: s.segment.kind, pos: Number(s.segment.fields.pos), ack: s.segment.ack === null ? null : Number(s.segment.ack), comments: [] });
    },
  });
  const commentFrames = [...comments.keys()];
  for (const r of out) r.comments = comments.get(r.frame) ?? [];
  expect(commentFrames.every((f) => out.some((r) => r.frame === f) || f <= 3)).toBe(true);
  return out;
}

describe('seed 004, run 1: --drop-data 4,9,10 --window 3 --timeout 2s', () => {
  test('4, 9 and 10 are resent by the seq threshold, each once, and the file arrives', async () => {
    const record = path.join(dir, 'drop-data.pcapng');
    const r = await runTransfer({ protocol: 'ariel-package', bytes: Buffer.from(MESSAGE), mss: 4, window: 3, timeout: 2, impairments: { dropData: [4, 9, 10] }, record, over: 'sim' });
    expect(r.ok).toBe(true);
    expect(r.received.toString()).toBe(MESSAGE);
    expect(r.drops.map((d) => [d.cls, d.value])).toEqual([['data', 4], ['data', 9], ['data', 10]]);
    const side = JSON.parse(fs.readFileSync(`${record}.drops.json`, 'utf8')) as { drops: Array<{ value: number }> };
    expect(side.drops.map((d) => d.value)).toEqual([4, 9, 10]);

    const recs = decodeRun(record);
    const msgs = recs.filter((x) => x.kind === 'MSG');
    const count = Math.ceil(MESSAGE.length / 4);
    // Every package crossed the wire exactly once: the first sends of 4, 9, 10 never did.
    expect(msgs.map((m) => m.pos).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const lost of [4, 9, 10]) {
      const i = recs.findIndex((x) => x.kind === 'MSG' && x.pos === lost);
      const before = recs.slice(0, i);
      const lastAck = Math.max(0, ...before.filter((x) => x.kind === 'ACK').map((x) => x.ack ?? 0));
      const highest = Math.max(...before.filter((x) => x.kind === 'MSG').map((x) => x.pos));
      // The threshold rule: the next pos would pass last ACKed + window, and the package is the oldest unACKed.
      expect(lastAck).toBe(lost - 1);
      expect(highest + 1).toBeGreaterThan(lastAck + 3);
      // Well before the 2 s time threshold: this is the seq threshold at work.
      const firstAfterAck = before.filter((x) => x.kind === 'MSG' && x.pos === highest)[0];
      expect(recs[i].t - firstAfterAck.t).toBeLessThan(2);
      // The injected drop is marked in the recording before the resend.
      expect(before.some((x) => x.comments.some((c) => c.includes('dropped') && c.includes(`seq ${lost}`)))).toBe(true);
    }
    expect(r.retransmissions).toBe(3);
  });
});

describe('seed 004, run 2: --drop-acks 4,9,10', () => {
  test('lost ACKs covered by a later ACK cause no resend', async () => {
    const record = path.join(dir, 'drop-acks.pcapng');
    const message = 'aaaaabbbbbccccccddddddeeeeffffffggggghhhhiiiijjjjkkkklllll';
    const r = await runTransfer({ protocol: 'ariel-package', bytes: Buffer.from(message), mss: 4, window: 3, timeout: 2, impairments: { dropAcks: [4, 9, 10] }, record, over: 'sim' });
    expect(r.ok).toBe(true);
    expect(r.drops.map((d) => [d.cls, d.value])).toEqual([['ack', 4], ['ack', 9], ['ack', 10]]);
    expect(r.retransmissions).toBe(0);
    const recs = decodeRun(record);
    const msgPos = recs.filter((x) => x.kind === 'MSG').map((x) => x.pos);
    expect(new Set(msgPos).size).toBe(msgPos.length); // nothing sent twice
    const acks = recs.filter((x) => x.kind === 'ACK').map((x) => x.ack);
    expect(acks).not.toContain(4);
    expect(acks).toContain(5);
    expect(acks).toContain(11);
    // Package 12 left before any ACK of 9 or 10: the client took ACK 11 as covering them.
    const i12 = recs.findIndex((x) => x.kind === 'MSG' && x.pos === 12);
    expect(recs.slice(0, i12).some((x) => x.kind === 'ACK' && x.ack === 11)).toBe(true);
    expect(recs.some((x) => x.comments.some((c) => c.includes('dropped') && c.includes('ack 9')))).toBe(true);
  });
});
