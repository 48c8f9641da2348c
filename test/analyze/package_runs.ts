/**
 * Test-only recorder of seed 004's two documented runs of the Package protocol (window 3,
 * timeout 2 s, 12 packages of N = 10): run 1 loses data packages 4, 9, 10 (the client never
 * sends them; the server ACKs only in order, so nothing is ACKed behind a hole; the client
 * resends the oldest unACKed package when pos > last ACKed + window); run 2 loses the ACKs of
 * 4, 9, 10 (the server skips them; later cumulative ACKs cover them). Written with the codec,
 * synthesized TCP/IP headers and the pcap writer.
 */
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { buildIpPacket } from '../../src/net/packet_builder.js';
import { PcapWriter } from '../../src/capture/pcap_writer.js';

export interface PackageRun {
  /** Frame numbers of the first transmission of each MSG pos that was captured, and of its resends. */
  sent: Map<number, number[]>;
  /** Frames of the ACK records by acknowledged pos. */
  acks: Map<number, number>;
  /** Data packages the client "lost" (never sent). */
  lostData: number[];
  lostAcks: number[];
}

const CLIENT: [string, number] = ['127.0.0.1', 50200];
const SERVER: [string, number] = ['127.0.0.1', 55558];

/**
 * Writes one run to `file`.
 *
 * @example const run = writePackageRun('/tmp/run1.pcap', { lostData: [4, 9, 10], lostAcks: [] });
 */
export function writePackageRun(file: string, o: { lostData: number[]; lostAcks: number[] }): PackageRun {
  const d = new DissectorRegistry().get('ariel-package');
  const w = new PcapWriter(file, { resolution: 'ns' });
  let ms = 0;
  let frame = 0;
  const tcp = { c: { seq: 1000 }, s: { seq: 7000 } };
  const put = (from: 'c' | 's', payload: Buffer, flags = 0x18): number => {
    const [src, srcPort] = from === 'c' ? CLIENT : SERVER;
    const [dst, dstPort] = from === 'c' ? SERVER : CLIENT;
    const me = tcp[from], peer = tcp[from === 'c' ? 's' : 'c'];
    const bytes = buildIpPacket({ src, dst, protocol: 'tcp', srcPort, dstPort, payload, tcp: { seq: me.seq, ack: peer.seq, flags, window: 65535 } });
    me.seq = (me.seq + payload.length + (flags & 0x03 ? 1 : 0)) >>> 0;
    w.writeFrame(1795400000 + Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6), bytes);
    ms += 0.2; // loopback: a fifth of a millisecond between segments
    return ++frame;
  };
  const rec = (header: string, payload: string, pos: number, N: number): Buffer =>
    d.encode({ header, payload, seq: pos, sent_time: 1736219082 + ms / 1000, ack: false, prev_seq: pos, pos }, undefined, { params: { N } });
  put('c', Buffer.alloc(0), 0x02); put('s', Buffer.alloc(0), 0x12); put('c', Buffer.alloc(0), 0x10);
  put('c', rec('GET_MAX', '', 0, 4)); put('s', rec('RETURN_MAX', '10', 0, 4));
  const sent = new Map<number, number[]>();
  const acks = new Map<number, number>();
  const lost = new Set(o.lostData);
  const received = new Set<number>();
  let lastAcked = 0; // the client's view: highest pos it knows the server has
  let serverNext = 1;
  const window = 3, total = 12;
  const serverReceives = (pos: number): void => {
    received.add(pos);
    while (received.has(serverNext)) {
      if (!o.lostAcks.includes(serverNext)) acks.set(serverNext, put('s', rec('ACK', String(serverNext), 0, 10)));
      lastAcked = serverNext; // the client learns every in-order arrival through the next ACK it sees
      serverNext++;
    }
  };
  const send = (pos: number, resend: boolean): void => {
    if (!resend && lost.has(pos)) return; // "lost": the client skips sending it
    const f = put('c', rec('MSG', `package${String(pos).padStart(3, '0')}`, pos, 10));
    sent.set(pos, [...(sent.get(pos) ?? []), f]);
    serverReceives(pos);
  };
  for (let pos = 1; pos <= total; pos++) {
    // Seed 004's threshold rule: resend the oldest unACKed package while pos > last ACKed + window.
    while (pos > lastAcked + window) { ms += 5; send(lastAcked + 1, true); }
    send(pos, false);
  }
  while (lastAcked < total) { ms += 2000; send(lastAcked + 1, true); } // timeout: 2 s
  put('c', rec('DONE', 'EOMsg', total + 1, 10)); put('s', rec('ACK', String(total + 1), 0, 10));
  put('c', rec('CLOSE', 'request', total + 2, 10)); put('s', rec('DISCONNECT', 'approving', 0, 10));
  put('c', Buffer.alloc(0), 0x11); put('s', Buffer.alloc(0), 0x11); put('c', Buffer.alloc(0), 0x10);
  w.close();
  return { sent, acks, lostData: o.lostData, lostAcks: o.lostAcks };
}
