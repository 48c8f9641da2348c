/**
 * sock352's tail-loss probe (adaptiveRto): when the last ACKs of a full window are lost, the
 * Go-Back-N sender has nothing new it may send. Without the probe it idles a whole RTO (the
 * 10 ms floor on loopback, where the RTT is a fraction of a millisecond); with it, the base is
 * resent once after about 2·SRTT and the receiver's cumulative re-ACK moves the window.
 * Deterministic: the simulated wire and a virtual clock.
 */
import { describe, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import type { CoreConfig } from '../../src/endpoint/core/core_event.js';
import { defaultConfig } from '../../src/endpoint/core/protocol_cores.js';
import { simulateTransfer } from '../../src/endpoint/sim_transfer.js';

const reg = new DissectorRegistry();
const data = Buffer.from(Array.from({ length: 40 * 1000 }, (_, i) => (i * 13 + (i >> 8)) & 0xff));
/** 0.25 ms one way: an SRTT of about 0.5 ms, far below the 10 ms RTO floor. */
const wireDelay = 0.00025;
const config: CoreConfig = { ...defaultConfig('sock352'), window: 8, mss: 1000, timeout: 0.2, adaptiveRto: true, fastGoBack: true };
/** Every ACK of packets 12..19 (ACK n names the next packet expected): the whole window in flight after the base 12 goes unanswered. */
const lastAcksOfAWindow = [13, 14, 15, 16, 17, 18, 19, 20];

describe('sock352 tail-loss probe', () => {
  test('a window whose ACKs were all dropped moves again after about 2·SRTT, not after an RTO', () => {
    const clean = simulateTransfer({ dissector: reg.get('sock352'), data, config, wireDelay });
    expect(clean.ok).toBe(true);
    expect(clean.senderStats.retransmissions).toBe(0);

    const r = simulateTransfer({ dissector: reg.get('sock352'), data, config, wireDelay, impairments: { dropAcks: lastAcksOfAWindow } });
    expect(r.ok).toBe(true);
    expect(r.drops.map((d) => d.value)).toEqual(lastAcksOfAWindow);
    // One probe and nothing else: the receiver had the data, its re-ACK (20) moved the window.
    expect(r.senderStats.probes).toBe(1);
    expect(r.senderStats.timeouts).toBe(0);
    expect(r.senderStats.retransmissions).toBe(1);
    // The stall cost about 2·SRTT (≈ 1 ms, the probe's floor), well under the 10 ms RTO floor.
    const stall = r.seconds - clean.seconds;
    expect(stall).toBeGreaterThan(0);
    expect(stall).toBeLessThan(0.005);
  });

  test('without adaptiveRto (the course default) the same drops wait for the plain 0.2 s timer and resend the window', () => {
    const plain = { ...config, adaptiveRto: false, fastGoBack: false };
    const clean = simulateTransfer({ dissector: reg.get('sock352'), data, config: plain, wireDelay });
    const r = simulateTransfer({ dissector: reg.get('sock352'), data, config: plain, wireDelay, impairments: { dropAcks: lastAcksOfAWindow } });
    expect(r.ok).toBe(true);
    expect(r.senderStats.probes).toBe(0);
    expect(r.senderStats.timeouts).toBe(1);
    expect(r.senderStats.retransmissions).toBe(8);
    expect(r.seconds - clean.seconds).toBeGreaterThan(0.19);
  });

});
