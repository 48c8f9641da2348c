/**
 * Writes a scripted run to a pcap: segments encoded with a dissector, wrapped in UDP or in one
 * TCP connection (records written into the stream, optionally merged into one TCP segment), at
 * exact times. Broken runs need frame-exact control, which a scripted timeline gives.
 */
import type { Dissector } from '../../src/codec/dissector.js';
import type { FieldValue } from '../../src/codec/field_io.js';
import { PcapWriter } from '../../src/capture/pcap_writer.js';
import { buildIpPacket } from '../../src/net/packet_builder.js';

const T0 = 1795400000;
type Side = 'c' | 's';

export class ScriptedCapture {
  private frames: Array<{ t: number; bytes: Buffer }> = [];
  private readonly tcp = { c: { seq: 1000 }, s: { seq: 7000 } };
  private readonly ends: Record<Side, [string, number]>;

  constructor(readonly d: Dissector, readonly transport: 'udp' | 'tcp', client: [string, number], server: [string, number]) {
    this.ends = { c: client, s: server };
  }

  private ip(from: Side, payload: Uint8Array, tcp?: { seq: number; ack: number; flags: number; window: number }): Buffer {
    const to: Side = from === 'c' ? 's' : 'c';
    const [src, srcPort] = this.ends[from];
    const [dst, dstPort] = this.ends[to];
    return buildIpPacket({ src, dst, protocol: this.transport, srcPort, dstPort, payload, tcp });
  }

  encode(values: Record<string, FieldValue>, payload?: Uint8Array, params?: Record<string, number>): Buffer {
    return this.d.encode(values, payload, { params });
  }

  /** One message at time t: a UDP datagram, or records in one TCP segment. */
  send(t: number, from: Side, ...records: Buffer[]): this {
    if (this.transport === 'udp') {
      for (const r of records) this.frames.push({ t, bytes: this.ip(from, r) });
      return this;
    }
    const chunk = Buffer.concat(records);
    const me = this.tcp[from];
    const peer = this.tcp[from === 'c' ? 's' : 'c'];
    this.frames.push({ t, bytes: this.ip(from, chunk, { seq: me.seq, ack: peer.seq, flags: 0x18, window: 512 }) });
    me.seq = (me.seq + chunk.length) >>> 0;
    return this;
  }

  /** TCP control segment (SYN 0x02, SYN-ACK 0x12, ACK 0x10, FIN-ACK 0x11). */
  control(t: number, from: Side, flags: number): this {
    const me = this.tcp[from];
    const peer = this.tcp[from === 'c' ? 's' : 'c'];
    this.frames.push({ t, bytes: this.ip(from, Buffer.alloc(0), { seq: me.seq, ack: flags & 0x10 ? peer.seq : 0, flags, window: 512 }) });
    if (flags & 0x03) me.seq = (me.seq + 1) >>> 0;
    return this;
  }

  write(file: string): string {
    const w = new PcapWriter(file, { resolution: 'ns' });
    const sorted = this.frames.map((f, i) => ({ ...f, i })).sort((a, b) => a.t - b.t || a.i - b.i);
    for (const f of sorted) {
      const ns = Math.round(f.t * 1e9);
      w.writeFrame(T0 + Math.floor(ns / 1e9), ns % 1e9, f.bytes);
    }
    w.close();
    return file;
  }
}
