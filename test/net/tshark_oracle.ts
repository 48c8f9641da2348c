/**
 * Compares NetDecoder's view of every frame of a capture with tshark's, field by field.
 */
import { expect } from 'vitest';
import { NetDecoder } from '../../src/net/net_decoder.js';
import { formatAddress } from '../../src/net/ip_address.js';
import { forEachFrame, tsharkFields } from './capture_fixture.js';

const FIELDS = [
  'frame.number', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'udp.srcport', 'udp.dstport', 'tcp.srcport', 'tcp.dstport',
  'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.window_size_value', 'tcp.hdr_len', 'tcp.options.mss_val',
  'tcp.options.wscale.shift', 'tcp.options.sack_le', 'tcp.options.sack_re', 'tcp.options.timestamp.tsval',
  'tcp.options.timestamp.tsecr', 'tcp.len', 'udp.length', 'udp.payload', 'tcp.checksum.status', 'udp.checksum.status',
] as const;
type Field = (typeof FIELDS)[number];

const PREFS = ['tcp.relative_sequence_numbers:FALSE', 'tcp.check_checksum:TRUE', 'udp.check_checksum:TRUE', 'tcp.analyze_sequence_numbers:FALSE'];

/** tshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present. */
const STATUS: Record<string, string> = { '0': 'bad', '1': 'ok', '2': 'none', '3': 'none' };

const last = (v: string): string => v.split(',').at(-1) ?? '';
const num = (v: string): number => Number(last(v));
const opt = (v: string): number => (v === '' ? -1 : Number(v));

/**
 * Decodes every frame of `file` and checks it against tshark. Returns how many frames became
 * packets, and the skip reasons of the rest by frame number.
 */
export function checkAgainstTshark(file: string): { packets: number; skipped: Map<number, string> } {
  const rows = tsharkFields(file, [...FIELDS], PREFS);
  const dec = new NetDecoder();
  let packets = 0;
  const skipped = new Map<number, string>();
  let i = 0;
  forEachFrame(file, (frame) => {
    expect(i, `${file}: tshark saw fewer frames`).toBeLessThan(rows.length);
    const r = Object.fromEntries(FIELDS.map((f, j) => [f, rows[i][j] ?? ''])) as Record<Field, string>;
    i++;
    const where = `${file} frame ${frame.index}`;
    const pkt = dec.decode(frame);
    const isUdp = r['udp.srcport'] !== '';
    const isTcp = r['tcp.srcport'] !== '';
    if (!isUdp && !isTcp) {
      expect(pkt, where).toBeNull();
      skipped.set(frame.index, dec.skipReason);
      return;
    }
    expect(pkt, `${where} (${dec.skipReason})`).not.toBeNull();
    if (!pkt) return;
    packets++;
    const v6 = r['ipv6.src'] !== '' && (r['ip.src'] === '' || pkt.ipVersion === 6);
    expect(pkt.ipVersion, where).toBe(v6 ? 6 : 4);
    expect(formatAddress(pkt.buf, pkt.srcOffset, pkt.ipVersion), where).toBe(last(v6 ? r['ipv6.src'] : r['ip.src']));
    expect(formatAddress(pkt.buf, pkt.dstOffset, pkt.ipVersion), where).toBe(last(v6 ? r['ipv6.dst'] : r['ip.dst']));
    expect(STATUS[last(isTcp ? r['tcp.checksum.status'] : r['udp.checksum.status'])], `${where} checksum`).toBe(pkt.l4Checksum);
    if (isUdp) {
      expect(pkt.protocol).toBe(17);
      expect([pkt.srcPort, pkt.dstPort], where).toEqual([num(r['udp.srcport']), num(r['udp.dstport'])]);
      expect(pkt.payloadWireLength, where).toBe(num(r['udp.length']) - 8);
      const payload = pkt.buf.toString('hex', pkt.payloadOffset, pkt.payloadOffset + pkt.payloadLength);
      expect(payload, where).toBe(last(r['udp.payload']));
      return;
    }
    const t = pkt.tcp;
    expect(t, where).not.toBeNull();
    if (!t) return;
    expect(pkt.protocol).toBe(6);
    expect([pkt.srcPort, pkt.dstPort], where).toEqual([num(r['tcp.srcport']), num(r['tcp.dstport'])]);
    expect([t.seq, t.ack, t.flags, t.window, t.headerLength], where).toEqual([
      num(r['tcp.seq_raw']), num(r['tcp.ack_raw']), Number.parseInt(r['tcp.flags'], 16), num(r['tcp.window_size_value']), num(r['tcp.hdr_len']),
    ]);
    expect([t.mss, t.windowScale, t.tsVal, t.tsEcr], where).toEqual([
      opt(r['tcp.options.mss_val']), opt(r['tcp.options.wscale.shift']), opt(r['tcp.options.timestamp.tsval']), opt(r['tcp.options.timestamp.tsecr']),
    ]);
    const le = r['tcp.options.sack_le'] === '' ? [] : r['tcp.options.sack_le'].split(',').map(Number);
    const re = r['tcp.options.sack_re'] === '' ? [] : r['tcp.options.sack_re'].split(',').map(Number);
    expect(t.sack === null ? [] : [...t.sack], where).toEqual(le.flatMap((l, k) => [l, re[k]]));
    expect(pkt.payloadWireLength, where).toBe(num(r['tcp.len']));
  });
  expect(i).toBe(rows.length);
  return { packets, skipped };
}
