/**
 * Loss recovery without waiting for the timer, seen in the recordings as a TA would: the
 * csee4119-tcp sender's fast retransmit (the analyzer flags it `fast-retransmission`) and its
 * probe after a lost retransmission, and sock352's optional go-back on the third duplicate ACK,
 * which stays Go-Back-N (the whole window is resent) but comes long before the timeout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/analyze/analyze_capture.js';
import type { TimelineEntry } from '../../src/analyze/timeline.js';
import { openCapture } from '../../src/capture/open_capture.js';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { DissectorBinding } from '../../src/dissect/dissector_binding.js';
import { defaultConfig } from '../../src/endpoint/core/protocol_cores.js';
import { simulateTransfer } from '../../src/endpoint/sim_transfer.js';

const reg = new DissectorRegistry();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-fastrec-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function entriesOf(file: string, dissector: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  // A fixed 3 ms out-of-order threshold: the handshake RTT of a 20 ms wire would call every resend out-of-order.
  analyzeCapture(openCapture(file), { binding: new DissectorBinding({ forced: reg.get(dissector) }), options: { outOfOrderUsesHandshakeRtt: false }, onEntry: (e) => out.push(e) });
  return out;
}

const data = Buffer.from(Array.from({ length: 40 * 1000 }, (_, i) => (i * 7) & 0xff));

describe('csee4119-tcp', () => {
  test('a dropped segment is fast-retransmitted after three duplicate ACKs, long before the RTO', () => {
    const file = path.join(dir, 'csee-fast.pcapng');
    // Window 4: the window is full when the third duplicate ACK arrives, so the resend follows a pause of one RTT.
    const config = { ...defaultConfig('csee4119-tcp'), window: 4, mss: 1000, timeout: 1 };
    const dropped = 1 + 10 * 1000; // the 11th data segment, by byte sequence number
    // A 20 ms wire: the analyzer calls a resend within 3 ms of the last segment out-of-order, as Wireshark does.
    const r = simulateTransfer({ dissector: reg.get('csee4119-tcp'), data, config, impairments: { dropData: [dropped] }, record: file, wireDelay: 0.02 });
    expect(r.ok).toBe(true);
    expect(r.drops.map((d) => d.value)).toEqual([dropped]);
    const entries = entriesOf(file, 'csee4119-tcp');
    const resends = entries.filter((e) => e.flags.includes('retransmission') || e.flags.includes('fast-retransmission'));
    expect(resends.length).toBe(1);
    expect(resends[0].flags).toContain('fast-retransmission');
    const dupAcks = entries.filter((e) => e.frame < resends[0].frame && e.flags.includes('dup-ack'));
    expect(dupAcks.length).toBeGreaterThanOrEqual(3);
    // No timer involved: the retransmission leaves one RTT (40 ms) after the drop's successors, not after the 1 s initial RTO.
    const dropFrame = entries.find((e) => e.isData && e.seq === dropped)!;
    expect(resends[0].time - dropFrame.time).toBeLessThan(0.2);
  });

  test('a lost fast retransmission is probed again after about two RTTs, not after a backed-off RTO', () => {
    const file = path.join(dir, 'csee-probe.pcapng');
    const config = { ...defaultConfig('csee4119-tcp'), window: 16, mss: 1000, timeout: 1 };
    // By send index: the 11th data datagram, and the 1st retransmission of it (which follows 16 first sends).
    const r = simulateTransfer({ dissector: reg.get('csee4119-tcp'), data, config, impairments: { dropData: [11, 27], dropBy: 'index' }, record: file });
    expect(r.ok).toBe(true);
    expect(r.drops.map((d) => d.value)).toEqual([10001, 10001]);
    expect(r.senderStats.retransmissions).toBe(2);
    expect(r.seconds).toBeLessThan(0.5);
  });
});

describe('sock352 with fastGoBack', () => {
  test('the window is resent on the third duplicate ACK, not after the timeout, and the run stays Go-Back-N', () => {
    const file = path.join(dir, 'sock352-fast.pcapng');
    const config = { ...defaultConfig('sock352'), window: 8, mss: 1000, timeout: 2, fastGoBack: true, adaptiveRto: true };
    const r = simulateTransfer({ dissector: reg.get('sock352'), data, config, impairments: { dropData: [5] }, record: file });
    expect(r.ok).toBe(true);
    const entries = entriesOf(file, 'sock352');
    const data5 = entries.filter((e) => e.direction === 'forward' && e.isData && e.seq === 5);
    expect(data5.length).toBe(2); // the dropped send (recorded, with its drop comment) and the resend
    const firstResend = entries.find((e) => e.flags.includes('retransmission'))!;
    expect(firstResend.seq).toBe(5);
    expect(firstResend.flags).toContain('fast-retransmission');
    // Go-Back-N: every packet sent after 5 before the resend is sent again.
    const before = entries.filter((e) => e.frame < firstResend.frame && e.direction === 'forward' && e.isData).map((e) => e.seq!);
    const again = entries.filter((e) => e.frame >= firstResend.frame && e.direction === 'forward' && e.isData).map((e) => e.seq!);
    for (const s of before.filter((x) => x > 5)) expect(again).toContain(s);
    expect(r.seconds).toBeLessThan(0.5); // the 2 s timer never fired
    // Without the option the same drop waits for the 2 s timer.
    const slow = simulateTransfer({ dissector: reg.get('sock352'), data, config: { ...config, fastGoBack: false, adaptiveRto: false }, impairments: { dropData: [5] } });
    expect(slow.ok).toBe(true);
    expect(slow.seconds).toBeGreaterThan(2);
  });
});
