/**
 * csee4119-tcp's sender keeps within the window its receiver advertises: a receiver holds only
 * so much out of order, and a sender configured with a larger window than that used to see
 * nearly everything past a hole thrown away and resent (window 64 against a default receiver
 * at 5 % loss: 4 Mbit/s, every segment resent).
 */
import { expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import type { CoreAction } from '../../src/endpoint/core/core_event.js';
import { createSender, defaultConfig } from '../../src/endpoint/core/protocol_cores.js';
import { simulateTransfer } from '../../src/endpoint/sim_transfer.js';

const d = new DissectorRegistry().get('csee4119-tcp');
const mss = 100;
const flags = (...names: string[]): number => d.flagDefinitions.filter(([n]) => names.includes(n)).reduce((m, [, , bit]) => m | bit, 0);
const seg = (f: string[], seq: number, ack: number, window: number): Buffer =>
  d.encode({ src_port: 0, dst_port: 0, seq, ack, data_offset: 0x50, flags: flags(...f), window, urgent: 0 });
const dataSeqs = (acts: CoreAction[]): number[] => acts.flatMap((a) => {
  if (a.type !== 'send') return [];
  const s = d.decode(a.bytes, 0, a.bytes.length);
  return s.payloadLength > 0 ? [Number(s.seq)] : [];
});

test('the sender sends no further than the advertised window, and follows it as it changes', () => {
  const s = createSender(d, { ...defaultConfig('csee4119-tcp'), window: 16, mss }, Buffer.alloc(40 * mss, 1));
  s.handle({ type: 'start' }, 0);
  const first = dataSeqs(s.handle({ type: 'segment', bytes: seg(['SYN', 'ACK'], 500, 1, 3 * mss) }, 0.001));
  expect(first).toEqual([1, 1 + mss, 1 + 2 * mss]); // 3 segments advertised, though our window is 16
  const wider = dataSeqs(s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + mss, 5 * mss) }, 0.002));
  expect(wider).toEqual([1 + 3 * mss, 1 + 4 * mss, 1 + 5 * mss]); // una 100 + 500 bytes
  const closed = dataSeqs(s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + 2 * mss, 0) }, 0.003));
  expect(closed).toEqual([1 + 6 * mss]); // a zero window is taken as "no change": 5 past una 200
  const token = dataSeqs(s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + 3 * mss, mss - 1) }, 0.0035));
  expect(token).toEqual([1 + 7 * mss]); // so is less than one segment: 5 past una 300
  const capped = dataSeqs(s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + 6 * mss, 20 * mss) }, 0.004));
  expect(capped).toEqual(Array.from({ length: 14 }, (_, i) => 1 + (8 + i) * mss)); // our own window (16) caps it: una 600 + 1600
});

test('a sender window four times the receiver\'s, at 5 % loss: resends stay near the losses', () => {
  const data = Buffer.from(Array.from({ length: 1_000_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));
  const config = { ...defaultConfig('csee4119-tcp'), window: 64, mss: 1000, timeout: 1 };
  const r = simulateTransfer({ dissector: d, data, config, receiverConfig: { ...config, window: 8 }, impairments: { loss: 0.05, seed: 4 } });
  expect(r.ok && r.received.equals(data)).toBe(true);
  const dataDrops = r.drops.filter((x) => x.cls === 'data').length;
  expect(r.senderStats.retransmissions).toBeLessThan(2 * dataDrops + 20);
});
