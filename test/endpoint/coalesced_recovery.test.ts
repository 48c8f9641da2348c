/**
 * The fast path at 5 % loss, event by event on the sans-IO cores: coalescing receivers still
 * ACK often enough that one lost ACK cannot hang a window, csee4119-tcp's receiver caps the
 * duplicates of one ACK, and csee4119-tcp's sender probes again (at doubling delays) when a
 * retransmission or its ACK is lost, instead of idling a whole RTO.
 */
import { describe, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { COALESCED_ACK_EVERY, COALESCED_DUPLICATES, type CoreAction, type ProtocolCore } from '../../src/endpoint/core/core_event.js';
import { createReceiver, createSender, defaultConfig } from '../../src/endpoint/core/protocol_cores.js';

const reg = new DissectorRegistry();
const sends = (acts: CoreAction[]): Buffer[] => acts.flatMap((a) => (a.type === 'send' ? [Buffer.from(a.bytes)] : []));
const rtoAt = (acts: CoreAction[]): number | undefined => {
  const arms = acts.flatMap((a) => (a.type === 'arm' && a.id === 'rto' ? [a.at] : []));
  return arms[arms.length - 1];
};

describe('sock352 receiver with coalesced ACKs', () => {
  const d = reg.get('sock352');
  const config = { ...defaultConfig('sock352'), coalesceAcks: true };
  const data = (seq: number): Buffer => d.encode({ version: 1, flags: 0, header_len: 40, sequence_no: seq, ack_no: 0, window: 20, payload_len: 10 }, Buffer.alloc(10, seq));
  const acks = (r: ProtocolCore, bytes: Buffer, t: number): number[] => sends(r.handle({ type: 'segment', bytes }, t)).map((b) => Number(d.decode(b, 0, b.length).ack));

  test(`ten in-order packets in one batch: an ACK after every ${COALESCED_ACK_EVERY} and one when the batch ends`, () => {
    const r = createReceiver(d, config);
    r.handle({ type: 'start' }, 0);
    sends(r.handle({ type: 'segment', bytes: d.encode({ version: 1, flags: 0x01, header_len: 40, sequence_no: 0, payload_len: 0 }) }, 0));
    const seen: number[] = [];
    for (let seq = 1; seq <= 10; seq++) seen.push(...acks(r, data(seq), 0.001));
    const atEnd = sends(r.handle({ type: 'drained' }, 0.001)).map((b) => Number(d.decode(b, 0, b.length).ack));
    expect(seen).toEqual([1 + COALESCED_ACK_EVERY, 1 + 2 * COALESCED_ACK_EVERY]);
    expect(atEnd).toEqual([11]);
    // Out of order is still answered at once, every time (the Go-Back-N sender counts them).
    expect([12, 13, 14, 15, 16].flatMap((s) => acks(r, data(s), 0.002))).toEqual([11, 11, 11, 11, 11]);
  });
});

describe('csee4119-tcp with coalesced ACKs', () => {
  const d = reg.get('csee4119-tcp');
  const mss = 100;
  const config = { ...defaultConfig('csee4119-tcp'), window: 8, mss, timeout: 1, coalesceAcks: true };
  const flags = (...names: string[]): number => d.flagDefinitions.filter(([n]) => names.includes(n)).reduce((m, [, , bit]) => m | bit, 0);
  const seg = (f: string[], seq: number, ack: number, payload?: Buffer): Buffer =>
    d.encode({ src_port: 0, dst_port: 0, seq, ack, data_offset: 0x50, flags: flags(...f), window: 65535, urgent: 0 }, payload);
  const ackOf = (b: Buffer): number => Number(d.decode(b, 0, b.length).ack);
  const seqOf = (b: Buffer): number => Number(d.decode(b, 0, b.length).seq);

  test(`a gap behind twelve segments: ${COALESCED_DUPLICATES} duplicates at once, then one per batch`, () => {
    const r = createReceiver(d, config);
    r.handle({ type: 'start' }, 0);
    sends(r.handle({ type: 'segment', bytes: seg(['SYN'], 0, 0) }, 0));
    const first = sends(r.handle({ type: 'segment', bytes: seg(['ACK'], 1, 1, Buffer.alloc(mss, 1)) }, 0.001));
    expect(first).toEqual([]); // in order: waits for the batch
    expect(sends(r.handle({ type: 'drained' }, 0.001)).map(ackOf)).toEqual([1 + mss]);
    // Segment 2 (bytes 101..200) is lost; 3..14 arrive in one batch.
    const answers: number[] = [];
    for (let i = 2; i < 14; i++) answers.push(...sends(r.handle({ type: 'segment', bytes: seg(['ACK'], 1 + i * mss, 1, Buffer.alloc(mss, i)) }, 0.002)).map(ackOf));
    expect(answers).toEqual(Array(COALESCED_DUPLICATES).fill(1 + mss));
    expect(sends(r.handle({ type: 'drained' }, 0.002)).map(ackOf)).toEqual([1 + mss]);
    // The hole filled: everything held is delivered and ACKed at once.
    const fill = r.handle({ type: 'segment', bytes: seg(['ACK'], 1 + mss, 1, Buffer.alloc(mss, 1)) }, 0.003);
    expect(sends(fill).map(ackOf)).toEqual([1 + 14 * mss]);
    expect(fill.filter((a) => a.type === 'deliver').length).toBe(13);
  });

  /** A sender past its handshake with one RTT sample of 1 ms: returns the core and its first window. */
  function established(file: Buffer): { s: ProtocolCore; window: Buffer[] } {
    const s = createSender(d, config, file);
    s.handle({ type: 'start' }, 0);
    const window = sends(s.handle({ type: 'segment', bytes: seg(['SYN', 'ACK'], 500, 1) }, 0.001)).slice(1); // our handshake ACK, then data
    return { s, window };
  }

  test('a lost retransmission is probed again at 2, 4, 8·SRTT… before the RTO takes over', () => {
    const file = Buffer.alloc(40 * mss, 7);
    const { s, window } = established(file);
    expect(window.map(seqOf)).toEqual(Array.from({ length: 8 }, (_, i) => 1 + i * mss));
    // The first segment ACKed after 1 ms (an RTT sample), the second is lost: three duplicates.
    let t = 0.002;
    sends(s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + mss) }, t));
    let acts: CoreAction[] = [];
    for (let i = 0; i < 3; i++) acts = s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + mss) }, t);
    expect(sends(acts).map(seqOf)).toEqual([1 + mss]); // fast retransmit
    const srtt = 0.001;
    let delay = rtoAt(acts)! - t;
    expect(delay).toBeCloseTo(2 * srtt, 6);
    // The retransmission and every probe are lost: each probe resends the hole, at double the delay.
    const delays: number[] = [];
    for (let i = 0; i < 6 && delay < 0.01; i++) {
      t += delay;
      acts = s.handle({ type: 'timer', id: 'rto' }, t);
      expect(sends(acts).map(seqOf)).toEqual([1 + mss]);
      delay = rtoAt(acts)! - t;
      delays.push(Number(delay.toFixed(6)));
    }
    expect(delays.slice(0, 2)).toEqual([4 * srtt, 8 * srtt]);
    expect(delays.at(-1)).toBeGreaterThanOrEqual(0.01); // the RTO (its 10 ms floor)
    expect(s.stats.timeouts).toBe(0);
    expect(s.stats.probes).toBe(delays.length);
  });

  test('two duplicates and a shut window: a probe in 2·SRTT, not an RTO', () => {
    const { s } = established(Buffer.alloc(8 * mss, 7)); // the whole file is one window
    const t = 0.002;
    sends(s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + mss) }, t));
    const first = s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + mss) }, t);
    expect(rtoAt(first)! - t).toBeCloseTo(0.002, 6);
    const probe = s.handle({ type: 'timer', id: 'rto' }, t + 0.002);
    expect(sends(probe).map(seqOf)).toEqual([1 + mss]);
    expect(s.stats.timeouts).toBe(0);
    // Its answer ends the stall.
    const moved = s.handle({ type: 'segment', bytes: seg(['ACK'], 501, 1 + 8 * mss) }, t + 0.003);
    expect(sends(moved).length).toBe(1); // the FIN
  });
});
