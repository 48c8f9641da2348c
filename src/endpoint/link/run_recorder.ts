/**
 * Records a run as a capture: every datagram (or stream chunk) as it crossed the wire, wrapped
 * in synthesized IPv4/UDP or IPv4/TCP headers with valid checksums (packet_builder), so any
 * tool opens it. A TCP recording starts with a three-way handshake and carries consistent
 * seq/ack numbers, so `acktrace decode` reassembles the records. Injected drops are ground
 * truth: always listed in `<file>.drops.json`; in a .pcapng also shown in place — a dropped
 * datagram as a frame with a comment "acktrace: dropped …" (a stream drop, which never reached
 * the stream, as a comment on the next frame).
 */
import fs from 'node:fs';
import { PcapWriter, PcapngWriter } from '../../capture/pcap_writer.js';
import { buildIpPacket } from '../../net/packet_builder.js';
import type { DropEvent } from './impair_link.js';
import { splitEndpoint } from './link.js';

export interface DropRecord {
  time: number;
  from: string;
  to: string;
  direction: 'out' | 'in';
  cls: string;
  value: number | null;
  kind: string | null;
  index: number;
  reason: string;
  /** Frame number of the commented frame in a .pcapng (1-based), or null. */
  frame: number | null;
}

interface Pending { from: string; to: string; time: number; bytes: Buffer; comments: string[]; flags?: number }

const TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_PSH = 0x08, TCP_ACK = 0x10;
/** Largest TCP payload one synthesized IPv4 frame can hold. */
const MAX_TCP_CHUNK = 65000;

export class RunRecorder {
  readonly drops: DropRecord[] = [];
  private readonly pcapng: boolean;
  private readonly writer: PcapWriter | PcapngWriter;
  private pending: Pending | null = null;
  private frames = 0;
  private commentsForNext: string[] = [];
  private readonly tcpSeq = new Map<string, number>();
  private started = false;
  private closed = false;
  /**
   * Why recording stopped early (a full disk, a file-size limit), or null. A recorder never
   * throws into the transfer it watches: the run goes on, and its caller reports this.
   */
  error: string | null = null;

  /**
   * @example
   * const rec = new RunRecorder('run.pcapng', 'udp', '10.0.0.1:50000', '10.0.0.2:50001');
   * rec.frame('10.0.0.1:50000', '10.0.0.2:50001', clock.now(), bytes);
   * rec.close();
   */
  constructor(readonly file: string, private readonly transport: 'udp' | 'tcp', private readonly client: string, private readonly server: string) {
    this.pcapng = file.toLowerCase().endsWith('.pcapng');
    this.writer = this.pcapng
      ? new PcapngWriter(file, { sectionComment: `acktrace endpoint run (${transport} ${client} -> ${server}); drops in ${file}.drops.json` })
      : new PcapWriter(file, { resolution: 'ns' });
  }

  /** Records bytes that crossed the wire from `from` to `to` at `time` (epoch seconds). */
  frame(from: string, to: string, time: number, bytes: Buffer): void {
    if (this.closed) return;
    if (this.transport === 'tcp' && !this.started) this.handshake(time);
    if (this.transport === 'tcp' && bytes.length > MAX_TCP_CHUNK) {
      for (let o = 0; o < bytes.length; o += MAX_TCP_CHUNK) this.frame(from, to, time, bytes.subarray(o, o + MAX_TCP_CHUNK));
      return;
    }
    this.queue({ from, to, time, bytes: Buffer.from(bytes), comments: [] });
  }

  /** Notes an injected drop (ground truth). */
  drop(e: DropEvent): void {
    if (this.closed) return;
    const what = `${e.cls}${e.kind ? ` ${e.kind}` : ''}${e.value !== null ? ` ${e.cls === 'ack' ? 'ack' : 'seq'} ${e.value}` : ''} (#${e.index} ${e.direction === 'out' ? 'sent' : 'received'})`;
    const comment = `acktrace: dropped ${what}: ${e.reason}`;
    const rec: DropRecord = { time: e.time, from: e.from, to: e.to, direction: e.direction, cls: e.cls, value: e.value, kind: e.kind, index: e.index, reason: e.reason, frame: null };
    this.drops.push(rec);
    if (!this.pcapng) return;
    if (e.direction === 'in' && this.pending && this.pending.bytes.equals(e.bytes)) {
      this.pending.comments.push(comment); // it did cross the wire, and was dropped on arrival
      rec.frame = this.frames + 1;
    } else if (this.transport === 'udp') {
      this.queue({ from: e.from, to: e.to, time: e.time, bytes: Buffer.from(e.bytes), comments: [comment] });
      rec.frame = this.frames + 1;
    } else {
      this.commentsForNext.push(comment); // a dropped record never entered the TCP stream
    }
  }

  private handshake(time: number): void {
    this.started = true;
    this.tcpSeq.set(this.client, 1000);
    this.tcpSeq.set(this.server, 5000);
    this.queue({ from: this.client, to: this.server, time, bytes: Buffer.alloc(0), comments: [], flags: TCP_SYN });
    this.queue({ from: this.server, to: this.client, time, bytes: Buffer.alloc(0), comments: [], flags: TCP_SYN | TCP_ACK });
    this.queue({ from: this.client, to: this.server, time, bytes: Buffer.alloc(0), comments: [], flags: TCP_ACK });
  }

  private queue(p: Pending): void {
    if (this.pending) this.write(this.pending);
    if (this.commentsForNext.length) { p.comments.push(...this.commentsForNext); this.commentsForNext = []; }
    this.pending = p;
  }

  private write(p: Pending): void {
    const { host: src, port: srcPort } = splitEndpoint(p.from);
    const { host: dst, port: dstPort } = splitEndpoint(p.to);
    let tcp;
    if (this.transport === 'tcp') {
      const flags = p.flags ?? (TCP_PSH | TCP_ACK);
      const seq = this.tcpSeq.get(p.from) ?? 0;
      const ack = this.tcpSeq.get(p.to) ?? 0;
      const isn = (flags & TCP_SYN) !== 0;
      tcp = { seq: (isn ? seq - 1 : seq) >>> 0, ack: (flags & TCP_ACK) !== 0 ? ack >>> 0 : 0, flags, window: 65535 };
      if (!isn) this.tcpSeq.set(p.from, seq + p.bytes.length + ((flags & TCP_FIN) !== 0 ? 1 : 0));
    }
    const pkt = buildIpPacket({ src, dst, protocol: this.transport, srcPort, dstPort, payload: p.bytes, tcp, ipId: this.frames & 0xffff });
    const sec = Math.floor(p.time);
    const nsec = Math.min(999_999_999, Math.round((p.time - sec) * 1e9));
    this.frames++;
    this.guard(() => {
      if (this.writer instanceof PcapngWriter) this.writer.writeFrame(sec, nsec, pkt, pkt.length, p.comments);
      else this.writer.writeFrame(sec, nsec, pkt);
    });
  }

  /** Runs a write; the first failure stops the recording (see `error`). */
  private guard(write: () => void): void {
    if (this.error !== null) return;
    try {
      write();
    } catch (e) {
      this.error = (e as Error).message;
      try { this.writer.close(); } catch { /* already failing */ }
    }
  }

  /** Closes the TCP stream (FINs), flushes the capture and writes the drops sidecar. */
  close(time?: number): void {
    if (this.closed) return;
    if (this.transport === 'tcp' && this.started && time !== undefined) {
      this.queue({ from: this.client, to: this.server, time, bytes: Buffer.alloc(0), comments: [], flags: TCP_FIN | TCP_ACK });
      this.queue({ from: this.server, to: this.client, time, bytes: Buffer.alloc(0), comments: [], flags: TCP_FIN | TCP_ACK });
      this.queue({ from: this.client, to: this.server, time, bytes: Buffer.alloc(0), comments: [], flags: TCP_ACK });
    }
    if (this.pending) this.write(this.pending);
    this.pending = null;
    this.closed = true;
    this.guard(() => this.writer.close());
    this.guard(() => fs.writeFileSync(`${this.file}.drops.json`, `${JSON.stringify({ file: this.file, transport: this.transport, client: this.client, server: this.server, drops: this.drops }, null, 1)}\n`));
  }
}
