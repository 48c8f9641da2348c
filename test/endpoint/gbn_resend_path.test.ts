/**
 * The Go-Back-N resend path's shortcuts change no bytes and no answers: the sender resends a
 * window exactly as first sent (kept encoded, not rebuilt), and the receiver answers an
 * out-of-order packet, judged from its header alone, with the same duplicate ACK a full decode
 * gave, while a truncated one is still rejected as malformed.
 */
import { expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import type { CoreAction, ProtocolCore } from '../../src/endpoint/core/core_event.js';
import { createReceiver, createSender, defaultConfig } from '../../src/endpoint/core/protocol_cores.js';

const d = new DissectorRegistry().get('sock352');
const config = { ...defaultConfig('sock352'), window: 4, timeout: 0.05, mss: 100 };
const sent = (acts: CoreAction[]): Buffer[] => acts.flatMap((a) => (a.type === 'send' ? [Buffer.from(a.bytes)] : []));
const ack = (n: number): Buffer => d.encode({ version: 1, flags: 0x04, header_len: 40, sequence_no: 0, ack_no: n, window: 0, payload_len: 0 });
const data = (seq: number, payload: Buffer): Buffer => d.encode({ version: 1, flags: 0, header_len: 40, sequence_no: seq, ack_no: 0, window: 4, payload_len: payload.length }, payload);

test('a timed-out window is resent byte for byte as first sent', () => {
  const file = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff));
  const s: ProtocolCore = createSender(d, config, file);
  s.handle({ type: 'start' }, 0);
  const first = sent(s.handle({ type: 'segment', bytes: ack(1) }, 0.001)); // handshake ACK, then packets 1..4
  expect(first.length).toBe(5);
  const window = first.slice(1);
  expect(window.map((b) => Number(d.decode(b, 0, b.length).seq))).toEqual([1, 2, 3, 4]);
  // Packet 2 moves the base: 5 goes out; then the timer resends 2..5 (no adaptive RTO: the whole window).
  const after = sent(s.handle({ type: 'segment', bytes: ack(2) }, 0.002));
  expect(after.map((b) => Number(d.decode(b, 0, b.length).seq))).toEqual([5]);
  const resent = sent(s.handle({ type: 'timer', id: 'rto' }, 1));
  expect(resent.map((b) => Number(d.decode(b, 0, b.length).seq))).toEqual([2, 3, 4, 5]);
  expect(resent.slice(0, 3)).toEqual(window.slice(1));
  expect(resent[3]).toEqual(after[0]);
  for (const b of resent) {
    const seg = d.decode(b, 0, b.length);
    const i = Number(seg.seq) - 1;
    expect(b.subarray(seg.payloadOffset, seg.payloadOffset + seg.payloadLength)).toEqual(file.subarray(i * 100, (i + 1) * 100));
  }
});

test('an out-of-order packet gets a duplicate ACK, a truncated one is counted as malformed', () => {
  const r: ProtocolCore = createReceiver(d, config);
  r.handle({ type: 'start' }, 0);
  const synAck = sent(r.handle({ type: 'segment', bytes: d.encode({ version: 1, flags: 0x01, header_len: 40, sequence_no: 0, payload_len: 0 }) }, 0.001));
  expect(Number(d.decode(synAck[0]!, 0, synAck[0]!.length).ack)).toBe(1);
  const inOrder = r.handle({ type: 'segment', bytes: data(1, Buffer.from('hello')) }, 0.002);
  expect(inOrder.some((a) => a.type === 'deliver')).toBe(true);
  const gap = r.handle({ type: 'segment', bytes: data(3, Buffer.from('later')) }, 0.003);
  expect(gap.some((a) => a.type === 'deliver')).toBe(false);
  const dup = sent(gap);
  expect(dup.length).toBe(1);
  expect(Number(d.decode(dup[0]!, 0, dup[0]!.length).ack)).toBe(2);
  expect(gap.some((a) => a.type === 'arm' && a.id === 'idle')).toBe(true);
  const truncated = data(4, Buffer.from('cut short')).subarray(0, 44);
  const t = r.handle({ type: 'segment', bytes: truncated }, 0.004);
  expect(sent(t).length).toBe(0);
  expect(r.stats.ignored.malformed).toBe(1);
});
