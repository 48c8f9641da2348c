/**
 * Hand-built capture bytes for tests: pcapng blocks in either byte order, byte-swapped pcap,
 * and the paths and temp files the capture tests share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');

/** A fresh temp directory for one test file. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-capture-'));
}

/** A UDP-in-IPv4 packet of `payload` bytes (content is irrelevant to the readers). */
export function ipPacket(payload: number, seed = 0): Buffer {
  const b = Buffer.alloc(28 + payload);
  b[0] = 0x45;
  b.writeUInt16BE(28 + payload, 2);
  b[8] = 64;
  b[9] = 17;
  b.writeUInt32BE(0x0a000001, 12);
  b.writeUInt32BE(0x0a000002, 16);
  b.writeUInt16BE(40001, 20);
  b.writeUInt16BE(40002, 22);
  b.writeUInt16BE(8 + payload, 24);
  for (let i = 0; i < payload; i++) b[28 + i] = (i * 7 + seed) & 0xff;
  return b;
}

/** Builds pcapng blocks in one byte order. */
export class PcapngBuilder {
  constructor(readonly le = true) {}

  private u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  }

  private u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  }

  option(code: number, value: Buffer): Buffer {
    const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
    return Buffer.concat([this.u16(code), this.u16(value.length), value, pad]);
  }

  comment(text: string): Buffer {
    return this.option(1, Buffer.from(text, 'utf8'));
  }

  options(opts: Buffer[]): Buffer {
    return opts.length === 0 ? Buffer.alloc(0) : Buffer.concat([...opts, this.option(0, Buffer.alloc(0))]);
  }

  block(type: number, body: Buffer): Buffer {
    const len = 12 + body.length;
    return Buffer.concat([this.u32(type), this.u32(len), body, this.u32(len)]);
  }

  shb(opts: Buffer[] = []): Buffer {
    const sectionLen = Buffer.alloc(8, 0xff);
    return this.block(0x0a0d0d0a, Buffer.concat([this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), sectionLen, this.options(opts)]));
  }

  idb(linkType: number, opts: { tsresol?: number; tsoffset?: bigint; snaplen?: number; comment?: string } = {}): Buffer {
    const o: Buffer[] = [];
    if (opts.comment !== undefined) o.push(this.comment(opts.comment));
    if (opts.tsresol !== undefined) o.push(this.option(9, Buffer.from([opts.tsresol])));
    if (opts.tsoffset !== undefined) {
      const v = Buffer.alloc(8);
      if (this.le) v.writeBigInt64LE(opts.tsoffset);
      else v.writeBigInt64BE(opts.tsoffset);
      o.push(this.option(14, v));
    }
    return this.block(1, Buffer.concat([this.u16(linkType), this.u16(0), this.u32(opts.snaplen ?? 0), this.options(o)]));
  }

  private padded(data: Buffer): Buffer {
    return Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
  }

  epb(ifId: number, ts: bigint, data: Buffer, opts: { origLen?: number; comments?: string[] } = {}): Buffer {
    const o = (opts.comments ?? []).map((c) => this.comment(c));
    return this.block(6, Buffer.concat([
      this.u32(ifId), this.u32(Number(ts >> 32n)), this.u32(Number(ts & 0xffffffffn)),
      this.u32(data.length), this.u32(opts.origLen ?? data.length), this.padded(data), this.options(o),
    ]));
  }

  pb(ifId: number, ts: bigint, data: Buffer, comments: string[] = []): Buffer {
    return this.block(2, Buffer.concat([
      this.u16(ifId), this.u16(0), this.u32(Number(ts >> 32n)), this.u32(Number(ts & 0xffffffffn)),
      this.u32(data.length), this.u32(data.length), this.padded(data), this.options(comments.map((c) => this.comment(c))),
    ]));
  }

  spb(data: Buffer, origLen = data.length): Buffer {
    return this.block(3, Buffer.concat([this.u32(origLen), this.padded(data)]));
  }
}

/**
 * Rewrites a little-endian classic pcap as big-endian (file header and record headers), the
 * byte order a SPARC or PowerPC capture host writes.
 */
export function toBigEndianPcap(le: Buffer): Buffer {
  const out = Buffer.from(le);
  const swap32 = (o: number): void => { out.writeUInt32BE(le.readUInt32LE(o), o); };
  const swap16 = (o: number): void => { out.writeUInt16BE(le.readUInt16LE(o), o); };
  swap32(0);
  swap16(4);
  swap16(6);
  for (const o of [8, 12, 16, 20]) swap32(o);
  for (let p = 24; p + 16 <= le.length;) {
    const capLen = le.readUInt32LE(p + 8);
    for (const o of [0, 4, 8, 12]) swap32(p + o);
    p += 16 + capLen;
  }
  return out;
}
