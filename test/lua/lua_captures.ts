/**
 * Small captures for the Lua differential tests, built from the dissectors' own encoders:
 * UDP datagrams, and TCP connections whose records TCP merges and splits at will.
 */
import { buildIpPacket } from '../../src/net/packet_builder.js';
import { PcapWriter } from '../../src/capture/pcap_writer.js';

export interface Datagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  /** IPv4 or IPv6 addresses; default 127.0.0.1 → 127.0.0.2. */
  src?: string;
  dst?: string;
}

/** One UDP datagram per frame, 10 ms apart, raw-IP pcap. */
export function writeUdpCapture(file: string, datagrams: Datagram[]): void {
  const w = new PcapWriter(file);
  datagrams.forEach((g, i) => {
    w.writeFrame(1_700_000_000, i * 10_000_000, buildIpPacket({ src: g.src ?? '127.0.0.1', dst: g.dst ?? '127.0.0.2', protocol: 'udp', srcPort: g.srcPort, dstPort: g.dstPort, payload: g.payload }));
  });
  w.close();
}

export interface TcpConnection {
  clientPort: number;
  serverPort: number;
  /** TCP segment payloads in capture order, each from one side. */
  segments: Array<{ from: 'client' | 'server'; bytes: Uint8Array }>;
}

/**
 * Handshake, then the given segments with consistent seq/ack numbers, then FIN/ACK teardown.
 * Connections are written one after the other.
 */
export function writeTcpCapture(file: string, conns: TcpConnection[]): void {
  const w = new PcapWriter(file);
  let t = 0;
  const frame = (c: TcpConnection, fromClient: boolean, seq: number, ack: number, flags: number, payload: Uint8Array) => {
    const [src, dst, sp, dp] = fromClient ? ['127.0.0.1', '127.0.0.2', c.clientPort, c.serverPort] : ['127.0.0.2', '127.0.0.1', c.serverPort, c.clientPort];
    w.writeFrame(1_700_000_000, (t++) * 1_000_000, buildIpPacket({ src, dst, protocol: 'tcp', srcPort: sp, dstPort: dp, payload, tcp: { seq: seq >>> 0, ack: ack >>> 0, flags, window: 65535 } }));
  };
  const none = new Uint8Array(0);
  for (const c of conns) {
    let cs = 1000;
    let ss = 50_000;
    frame(c, true, cs, 0, 0x02, none);
    frame(c, false, ss, cs + 1, 0x12, none);
    cs++; ss++;
    frame(c, true, cs, ss, 0x10, none);
    for (const s of c.segments) {
      const fromClient = s.from === 'client';
      frame(c, fromClient, fromClient ? cs : ss, fromClient ? ss : cs, 0x18, s.bytes);
      if (fromClient) cs += s.bytes.length; else ss += s.bytes.length;
    }
    frame(c, true, cs, ss, 0x11, none);
    frame(c, false, ss, cs + 1, 0x11, none);
    frame(c, true, cs + 1, ss + 1, 0x10, none);
  }
  w.close();
}

/** Cuts a byte stream into segments of the given sizes (the last takes the rest). */
export function cutStream(from: 'client' | 'server', stream: Buffer, sizes: number[]): TcpConnection['segments'] {
  const out: TcpConnection['segments'] = [];
  let off = 0;
  for (const n of sizes) {
    if (off >= stream.length) break;
    out.push({ from, bytes: stream.subarray(off, Math.min(off + n, stream.length)) });
    off += n;
  }
  if (off < stream.length) out.push({ from, bytes: stream.subarray(off) });
  return out;
}
