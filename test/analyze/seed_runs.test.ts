/**
 * Recorded runs of the seed protocols with known drops: every injected loss must show as a
 * `gap` or a `retransmission` at the right frames, and ACK-only losses must not show data
 * retransmissions when a later cumulative ACK covers them (seed 004's second run).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { writePackageRun } from './package_runs.js';
import { analyzeFile } from './analyze_file.js';

const SEEDS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/seeds');

const analyze = analyzeFile;

interface Drop { from: 'client' | 'server'; seq: string; afterFrame: number }

describe("foundation's recorded seed runs (fixtures/seeds)", () => {
  for (const [name, dissector] of [['sock352_gbn_drop3', 'sock352'], ['csee4119_drop1500', 'csee4119-tcp'], ['ariel_package_drop4', 'ariel-package']]) {
    for (const ext of ['pcap', 'pcapng', 'json']) {
      test(`${name}.${ext}: each drop is a gap at the next data frame and its resend a retransmission`, () => {
        const { drops } = JSON.parse(readFileSync(path.join(SEEDS, `${name}.drops.json`), 'utf8')) as { drops: Drop[] };
        const { entries, connections } = analyze(path.join(SEEDS, `${name}.${ext}`), dissector);
        expect(connections).toHaveLength(1);
        const dir = (d: Drop) => (d.from === 'client' ? 'forward' : 'reverse');
        for (const d of drops) {
          const data = entries.filter((e) => e.direction === dir(d) && e.units > 0);
          const next = data.find((e) => e.frame > d.afterFrame)!;
          expect(next.flags, `frame ${next.frame}`).toContain('gap');
          const resend = data.find((e) => e.frame > d.afterFrame && String(e.rawSeq) === d.seq)!;
          expect(resend, `resend of ${d.seq}`).toBeDefined();
          expect(resend.flags, `frame ${resend.frame}`).toContain('retransmission');
        }
        // Nothing else is called a gap.
        expect(entries.filter((e) => e.flags.includes('gap')).length).toBe(drops.length);
        const c = connections[0];
        expect(c.handshake).toBe('complete');
        expect(c.teardown).toBe('closed');
      });
    }
  }

  test('sock352 Go-Back-N: the timeout resends the window; its new packets are not retransmissions', () => {
    const { entries, connections } = analyze(path.join(SEEDS, 'sock352_gbn_drop3.pcap'), 'sock352');
    const data = entries.filter((e) => e.direction === 'forward' && e.units > 0);
    const retx = data.filter((e) => e.flags.includes('retransmission')).map((e) => e.rawSeq);
    expect(retx).toEqual([3, 4]); // 3 was lost (not captured), 4 was captured and resent
    expect(data.find((e) => e.rawSeq === 4 && e.flags.includes('retransmission'))!.retransmitOf).toBe(data.find((e) => e.rawSeq === 4)!.frame);
    const s = connections[0].forward;
    expect(s.uniqueUnits).toBe(8);
    expect(s.retransmittedPackets).toBe(2);
    expect(connections[0].reverse.dupAcks).toBe(1);
  });

  test('csee4119: duplicate ACKs ask for 1501, and the resend follows them', () => {
    const { entries } = analyze(path.join(SEEDS, 'csee4119_drop1500.pcap'), 'csee4119-tcp');
    const dups = entries.filter((e) => e.flags.includes('dup-ack'));
    expect(dups.map((e) => e.dupAckCount)).toEqual([1, 2]);
    expect(dups.every((e) => e.ack === 1501)).toBe(true);
  });
});

describe("seed 004's two runs (window 3, timeout 2 s)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acktrace-package-'));

  test('run 1: data 4, 9, 10 lost: gaps where they are missing, retransmissions when resent', () => {
    const file = path.join(dir, 'run1.pcap');
    const run = writePackageRun(file, { lostData: [4, 9, 10], lostAcks: [] });
    const { entries, connections } = analyze(file, 'ariel-package');
    const byFrame = new Map(entries.map((e) => [e.frame, e]));
    // The first data after each hole is a gap: 5 after 4, 11 after 9-10.
    expect(byFrame.get(run.sent.get(5)![0])!.flags).toContain('gap');
    expect(byFrame.get(run.sent.get(11)![0])!.flags).toContain('gap');
    for (const pos of [4, 9, 10]) {
      const frames = run.sent.get(pos)!;
      expect(frames, `pos ${pos} sent once, late`).toHaveLength(1);
      const e = byFrame.get(frames[0])!;
      expect(e.flags, `resend of ${pos}`).toContain('retransmission');
      expect(e.seq).toBe(pos);
    }
    const retx = entries.filter((e) => e.flags.includes('retransmission')).map((e) => e.seq);
    expect(retx).toEqual([4, 9, 10]);
    expect(entries.filter((e) => e.flags.includes('gap')).map((e) => e.seq)).toEqual([5, 11]);
    const c = connections[0];
    expect(c.seqUnit).toBe('packets');
    expect(c.forward.uniqueUnits).toBe(12);
    expect(c.handshake).toBe('complete');
    expect(c.teardown).toBe('closed');
  });

  test('run 2: ACKs of 4, 9, 10 lost: no data retransmission, ACK-unseen nowhere, later ACKs cover them', () => {
    const file = path.join(dir, 'run2.pcap');
    const run = writePackageRun(file, { lostData: [], lostAcks: [4, 9, 10] });
    const { entries, connections } = analyze(file, 'ariel-package');
    expect(entries.filter((e) => e.flags.includes('retransmission'))).toEqual([]);
    expect(entries.filter((e) => e.flags.includes('gap'))).toEqual([]);
    // The ACK after a lost one jumps by two (5 covers 4) and is no "ACK of unseen data".
    const ack5 = entries.find((e) => e.frame === run.acks.get(5))!;
    expect(ack5.ack).toBe(6); // last-received 5 = next expected 6
    expect(ack5.flags).not.toContain('ack-unseen');
    expect(connections[0].forward.retransmittedPackets).toBe(0);
    expect(connections[0].forward.rtt.samples).toBeGreaterThan(0);
  });
});
