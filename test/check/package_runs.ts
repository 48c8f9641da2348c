/**
 * Seed 004's Package protocol, simulated on a virtual clock as the seed's client and server
 * behave (client: one attempt every `pace` s; resend the oldest unACKed package when pos >
 * last ACKed + window or when its timer expired; server: ACK in order, buffer out-of-order,
 * re-ACK duplicates), with drops that never reach the wire, and knobs that break it on purpose.
 */
import type { Dissector } from '../../src/codec/dissector.js';
import { ScriptedCapture } from './scripted_capture.js';

export interface PackageRunOptions {
  message: string;
  window: number;
  timeout: number;
  N: number;
  dropData?: number[];
  dropAcks?: number[];
  /** Broken on purpose: resend this pos right after the next new package, before any trigger. */
  earlyResend?: number;
  /** Broken on purpose: keep sending new packages one beyond the window. */
  overrunWindow?: boolean;
  /** Broken on purpose: send this pos's chunk again as a new package before DONE. */
  duplicateChunk?: number;
  /** Broken on purpose: the server writes the ACK of this pos with the wrong record size, merged with the next ACK. */
  badAckRecord?: number;
  /** Broken on purpose: hold back the resend of this pos (window full or timer expired) until 2.5 timeouts after its send. */
  lateResend?: number;
}

const PACE = 0.3;
const DELAY = 0.02;

export function packageRun(d: Dissector, o: PackageRunOptions): ScriptedCapture {
  const cap = new ScriptedCapture(d, 'tcp', ['127.0.0.1', 50123], ['127.0.0.1', 55558]);
  const N = o.N;
  const chunks: string[] = [];
  for (let i = 0; i < o.message.length; i += N) chunks.push(o.message.slice(i, i + N));
  if (o.duplicateChunk) chunks.push(chunks[o.duplicateChunk - 1]);
  const n = chunks.length;
  const pkg = (header: string, payload: string, pos: number, t: number, params = { N }) =>
    cap.encode({ header, payload, seq: pos, sent_time: 1736219082 + t, ack: false, prev_seq: pos, pos }, undefined, params);
  const ack = (pos: number, t: number, params = { N }) => cap.encode({ header: 'ACK', payload: String(pos), seq: 0, sent_time: 1736219082 + t, ack: false, prev_seq: 0, pos: 0 }, undefined, params);

  let t = 0;
  cap.control(t, 'c', 0x02).control(t + 0.001, 's', 0x12).control(t + 0.002, 'c', 0x10);
  t = 0.01;
  cap.send(t, 'c', pkg('GET_MAX', '', 0, t, { N: 4 }));
  cap.send(t + DELAY, 's', pkg('RETURN_MAX', String(N), 0, t, { N: 4 }));
  t += 0.1;

  const dropData = new Set(o.dropData ?? []);
  const dropAcks = new Set(o.dropAcks ?? []);
  const sentTime = new Map<number, number>();
  const acked = new Set<number>();
  const ackQueue: Array<{ at: number; pos: number }> = [];
  let lastAcked = 0;
  let expected = 1;
  const buffered = new Set<number>();
  let nextPos = 1;
  let early: number | null = null;
  let earlyAfter = o.earlyResend;

  const serverGets = (pos: number, at: number) => {
    const out: number[] = [];
    if (pos === expected) {
      out.push(pos);
      expected++;
      while (buffered.has(expected)) { buffered.delete(expected); out.push(expected); expected++; }
    } else if (pos > expected) buffered.add(pos);
    else out.push(pos); // duplicate: re-ACK it
    let k = 0;
    const records: Buffer[] = [];
    for (const p of out) {
      if (dropAcks.has(p)) { dropAcks.delete(p); continue; }
      const when = at + 0.05 + 0.001 * k++;
      ackQueue.push({ at: when + DELAY, pos: p });
      if (o.badAckRecord === p) {
        // Written with N + 12: a record 8 bytes too long, merged by TCP with the next ACK.
        records.push(ack(p, when, { N: N + 12 }));
        continue;
      }
      if (records.length) { records.push(ack(p, when)); cap.send(when, 's', ...records); records.length = 0; }
      else cap.send(when, 's', ack(p, when));
    }
    if (records.length) cap.send(at + 0.06, 's', ...records);
  };
  const send = (pos: number) => {
    sentTime.set(pos, t);
    if (dropData.has(pos)) { dropData.delete(pos); return; }
    cap.send(t, 'c', pkg('MSG', chunks[pos - 1], pos, t));
    serverGets(pos, t + DELAY);
  };
  const takeAcks = () => {
    ackQueue.sort((a, b) => a.at - b.at);
    while (ackQueue.length && ackQueue[0].at <= t) {
      const a = ackQueue.shift()!;
      // A later ACK means the server has everything before it (it ACKs in order only).
      for (let p = lastAcked + 1; p <= a.pos; p++) acked.add(p);
      lastAcked = Math.max(lastAcked, a.pos);
    }
  };

  for (let step = 0; step < 10_000; step++) {
    takeAcks();
    let oldest: number | null = null;
    for (let p = 1; p < nextPos; p++) if (!acked.has(p)) { oldest = p; break; }
    const limit = lastAcked + o.window + (o.overrunWindow ? 1 : 0);
    const expired = oldest !== null && t >= sentTime.get(oldest)! + o.timeout;
    const blocked = nextPos <= n && nextPos > limit;
    const holding = oldest !== null && oldest === o.lateResend && t < sentTime.get(oldest)! + 2.5 * o.timeout;
    if (early !== null) { send(early); early = null; }
    else if (oldest !== null && (expired || blocked) && !holding) send(oldest);
    else if (nextPos <= n && !blocked) {
      send(nextPos++);
      if (earlyAfter !== undefined && nextPos - 1 === earlyAfter + 1) { early = earlyAfter; earlyAfter = undefined; }
    } else if (oldest === null) break;
    t += PACE;
  }
  // Teardown: DONE until ACKed, then CLOSE → DISCONNECT.
  cap.send(t, 'c', pkg('DONE', 'EOMs', n + 1, t));
  cap.send(t + 0.05, 's', ack(n + 1, t + 0.05));
  t += PACE;
  cap.send(t, 'c', pkg('CLOSE', 'requ', n + 2, t));
  cap.send(t + 0.05, 's', pkg('DISCONNECT', 'appr', 0, t + 0.05));
  cap.control(t + 0.1, 'c', 0x11).control(t + 0.101, 's', 0x11).control(t + 0.102, 'c', 0x10);
  return cap;
}
