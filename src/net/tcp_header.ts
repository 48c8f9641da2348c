import type { TcpHeaderView } from './net_packet.js';

/**
 * A blank TcpHeaderView for parseTcpHeader to refill.
 *
 * @example const view = createTcpHeaderView(); parseTcpHeader(buf, l4Offset, view, []);
 */
export function createTcpHeaderView(): TcpHeaderView {
  return {
    seq: 0, ack: 0, flags: 0, window: 0, headerLength: 20, checksum: 0, urgent: 0,
    mss: -1, windowScale: -1, sackPermitted: false, sack: null, tsVal: -1, tsEcr: -1,
  };
}

/**
 * Reads the TCP header at `buf[off]` into `view`, options included. The caller has checked
 * that the whole header (data offset * 4 bytes, at least 20) is captured. SACK edges go into
 * `sackScratch`, which the caller reuses between packets (view.sack then points at it).
 * Malformed options end option parsing, as a receiving stack would ignore them.
 *
 * @example parseTcpHeader(pkt.buf, pkt.l4Offset, view, scratch); view.mss // 1460
 */
export function parseTcpHeader(buf: Buffer, off: number, view: TcpHeaderView, sackScratch: number[]): void {
  // Fixed header words as bytes (the caller checked the header is captured): Buffer's readers
  // validate per call, which showed in analysis profiles.
  view.seq = buf[off + 4] * 16777216 + ((buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]);
  view.ack = buf[off + 8] * 16777216 + ((buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]);
  const hl = (buf[off + 12] >> 4) * 4;
  view.headerLength = hl;
  view.flags = ((buf[off + 12] & 1) << 8) | buf[off + 13];
  view.window = (buf[off + 14] << 8) | buf[off + 15];
  view.checksum = (buf[off + 16] << 8) | buf[off + 17];
  view.urgent = (buf[off + 18] << 8) | buf[off + 19];
  view.mss = -1;
  view.windowScale = -1;
  view.sackPermitted = false;
  view.sack = null;
  view.tsVal = -1;
  view.tsEcr = -1;
  if (sackScratch.length !== 0) sackScratch.length = 0; // setting length costs even when it is 0
  const end = off + hl;
  let p = off + 20;
  while (p < end) {
    const kind = buf[p];
    if (kind === 0) break; // end of option list
    if (kind === 1) { p++; continue; } // NOP
    if (end - p < 2) break;
    const len = buf[p + 1];
    if (len < 2 || end - p < len) break;
    switch (kind) {
      case 2: if (len === 4) view.mss = buf.readUInt16BE(p + 2); break;
      case 3: if (len === 3) view.windowScale = buf[p + 2]; break;
      case 4: if (len === 2) view.sackPermitted = true; break;
      case 5:
        for (let q = p + 2; q + 8 <= p + len; q += 8) sackScratch.push(buf.readUInt32BE(q), buf.readUInt32BE(q + 4));
        if (sackScratch.length > 0) view.sack = sackScratch;
        break;
      case 8:
        if (len === 10) { view.tsVal = buf.readUInt32BE(p + 2); view.tsEcr = buf.readUInt32BE(p + 6); }
        break;
      default: break;
    }
    p += len;
  }
}
