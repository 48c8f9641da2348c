/**
 * A scripted sock352 Go-Back-N run (window 4, timeout 0.2 s, 6 packets of 64 bytes) whose ACK
 * of the last packet is lost: a correct sender resends packet 6 when its timer expires; the
 * broken one goes straight to FIN after the timeout without resending.
 */
import type { Dissector } from '../../src/codec/dissector.js';
import { ScriptedCapture } from './scripted_capture.js';

export const SOCK352_MESSAGE = Array.from({ length: 6 }, (_, i) => String.fromCharCode(0x61 + i).repeat(64)).join('');

export function sock352LostLastAck(d: Dissector, o: { resend: boolean }): ScriptedCapture {
  const cap = new ScriptedCapture(d, 'udp', ['10.0.0.1', 38911], ['10.0.0.2', 38912]);
  const h = (flags: number, seq: number, ack: number, len = 0) => ({ version: 1, flags, header_len: 40, sequence_no: seq, ack_no: ack, window: 4, payload_len: len });
  const data = (n: number) => cap.encode(h(0, n, 0, 64), Buffer.from(SOCK352_MESSAGE.slice((n - 1) * 64, n * 64)));
  cap.send(0, 'c', cap.encode(h(0x01, 0, 0))).send(0.001, 's', cap.encode(h(0x04, 0, 1))).send(0.002, 'c', cap.encode(h(0x04, 1, 1)));
  let t = 0.01;
  for (const n of [1, 2, 3, 4]) cap.send((t += 0.001), 'c', data(n));
  for (const a of [2, 3, 4, 5]) cap.send((t += 0.001), 's', cap.encode(h(0x04, 0, a)));
  for (const n of [5, 6]) cap.send((t += 0.001), 'c', data(n));
  cap.send((t += 0.001), 's', cap.encode(h(0x04, 0, 6))); // the ACK of 6 (ack_no 7) is lost
  const last = t - 0.001;
  t = last + 0.3;
  if (o.resend) {
    cap.send(last + 0.21, 'c', data(6)).send(last + 0.211, 's', cap.encode(h(0x04, 0, 7)));
  }
  cap.send(t, 'c', cap.encode(h(0x02, 7, 0))).send(t + 0.001, 's', cap.encode(h(0x04, 0, 8)))
    .send(t + 0.002, 's', cap.encode(h(0x02, 0, 0))).send(t + 0.003, 'c', cap.encode(h(0x04, 8, 1)));
  return cap;
}
