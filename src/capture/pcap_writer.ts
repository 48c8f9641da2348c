import fs from 'node:fs';

/**
 * Writers for classic pcap and a minimal pcapng (one section, one interface, nanosecond
 * timestamps, comments), buffered and flushed with fs.writeSync. The recorder uses pcapng when
 * it must note injected drops next to the packets; pcap otherwise, since every tool reads it.
 */

/** LINKTYPE_RAW: frames start with the IPv4/IPv6 header (what a UDP/TCP recorder has). */
export const LINKTYPE_RAW = 101;
/** LINKTYPE_ETHERNET. */
export const LINKTYPE_EN10MB = 1;
const DEFAULT_SNAPLEN = 262144;
const BUFFER_SIZE = 1024 * 1024;

export interface PcapWriterOptions {
  /** LINKTYPE_* of every frame (default 101, raw IP). */
  linkType?: number;
  /** Timestamp resolution of the file (default 'us', which every reader understands). */
  resolution?: 'us' | 'ns';
  /** Snapshot length recorded in the header (default 262144). */
  snaplen?: number;
}

export interface PcapngWriterOptions {
  linkType?: number;
  snaplen?: number;
  /** A comment for the whole section (shown by `capinfos` as the capture comment). */
  sectionComment?: string;
}

/** A write-only file with a bounded buffer; both writers share it. */
class BufferedFile {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(BUFFER_SIZE);
  private used = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** Room for `n` more bytes at `at()`, flushing first if needed; false if `n` is over the buffer size. */
  reserve(n: number): boolean {
    if (this.used + n > this.buf.length) this.flush();
    return n <= this.buf.length;
  }

  /** The buffer and the offset where the next reserved bytes go. */
  get target(): Buffer { return this.buf; }
  get at(): number { return this.used; }
  advance(n: number): void { this.used += n; }

  /** Writes bytes too large for the buffer straight to the file (after what is buffered). */
  writeDirect(bytes: Uint8Array): void {
    this.flush();
    writeAll(this.fd, bytes);
  }

  flush(): void {
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/**
 * Writes a classic pcap file (little-endian, µs or ns magic).
 *
 * @example
 * const w = new PcapWriter('out.pcap', { linkType: LINKTYPE_RAW, resolution: 'ns' });
 * w.writeFrame(1700000000, 123456789, ipPacketBytes);
 * w.close();
 */
export class PcapWriter {
  private readonly out: BufferedFile;
  private readonly nanosecond: boolean;
  private readonly snaplen: number;
  private closed = false;

  constructor(file: string, options: PcapWriterOptions = {}) {
    this.out = new BufferedFile(file);
    this.nanosecond = options.resolution === 'ns';
    this.snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
    const b = this.out.target;
    this.out.reserve(24);
    const o = this.out.at;
    b.writeUInt32LE(this.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, o);
    b.writeUInt16LE(2, o + 4);
    b.writeUInt16LE(4, o + 6);
    b.writeInt32LE(0, o + 8);
    b.writeUInt32LE(0, o + 12);
    b.writeUInt32LE(this.snaplen, o + 16);
    b.writeUInt32LE(options.linkType ?? LINKTYPE_RAW, o + 20);
    this.out.advance(24);
  }

  /**
   * Appends one frame. `bytes` beyond the snaplen are cut (and origLen keeps the real size).
   * A µs file truncates the nanoseconds.
   */
  writeFrame(tsSec: number, tsNsec: number, bytes: Uint8Array, origLen: number = bytes.length): void {
    if (this.closed) throw new Error('PcapWriter: write after close');
    const capLen = Math.min(bytes.length, this.snaplen);
    const frac = this.nanosecond ? tsNsec : Math.floor(tsNsec / 1000);
    const out = this.out;
    const fits = out.reserve(16 + capLen);
    const b = out.target;
    const o = out.at;
    b.writeUInt32LE(tsSec >>> 0, o);
    b.writeUInt32LE(frac >>> 0, o + 4);
    b.writeUInt32LE(capLen, o + 8);
    b.writeUInt32LE(Math.max(origLen, capLen), o + 12);
    out.advance(16);
    if (fits) {
      b.set(bytes.subarray(0, capLen), out.at);
      out.advance(capLen);
    } else {
      out.writeDirect(bytes.subarray(0, capLen));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.close();
  }
}

/**
 * Writes a pcapng file: one little-endian section (with an optional comment), one interface
 * with nanosecond timestamps, and Enhanced Packet Blocks with optional per-packet comments.
 *
 * @example
 * const w = new PcapngWriter('run.pcapng', { sectionComment: 'acktrace impair: drop data 4' });
 * w.writeFrame(1700000000, 5000, bytes, bytes.length, ['dropped by impair (rule data 4)']);
 * w.close();
 */
export class PcapngWriter {
  private readonly out: BufferedFile;
  private readonly snaplen: number;
  private closed = false;

  constructor(file: string, options: PcapngWriterOptions = {}) {
    this.out = new BufferedFile(file);
    this.snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
    const shbOptions = options.sectionComment !== undefined ? [encodeComment(options.sectionComment)] : [];
    this.block(0x0a0d0d0a, 16, shbOptions, (b, o) => {
      b.writeUInt32LE(0x1a2b3c4d, o);
      b.writeUInt16LE(1, o + 4);
      b.writeUInt16LE(0, o + 6);
      b.writeBigInt64LE(-1n, o + 8); // section length not known in advance
    });
    // if_tsresol = 9: nanoseconds, so recorded times keep the simulator's full precision.
    const tsresol = Buffer.from([9, 0, 1, 0, 9, 0, 0, 0]);
    this.block(1, 8, [tsresol], (b, o) => {
      b.writeUInt16LE(options.linkType ?? LINKTYPE_RAW, o);
      b.writeUInt16LE(0, o + 2);
      b.writeUInt32LE(this.snaplen, o + 4);
    });
  }

  /** Appends one frame on interface 0, with its comments (opt_comment) if any. */
  writeFrame(tsSec: number, tsNsec: number, bytes: Uint8Array, origLen: number = bytes.length, comments: readonly string[] = []): void {
    if (this.closed) throw new Error('PcapngWriter: write after close');
    if (!(tsSec >= 0) || !(tsNsec >= 0)) throw new RangeError(`PcapngWriter: negative timestamp ${tsSec}.${tsNsec}`);
    const capLen = Math.min(bytes.length, this.snaplen);
    const { hi, lo } = nanosecondWords(tsSec, tsNsec);
    const padded = (capLen + 3) & ~3;
    this.block(6, 20 + padded, comments.map(encodeComment), (b, o) => {
      b.writeUInt32LE(0, o);
      b.writeUInt32LE(hi, o + 4);
      b.writeUInt32LE(lo, o + 8);
      b.writeUInt32LE(capLen, o + 12);
      b.writeUInt32LE(Math.max(origLen, capLen), o + 16);
      b.set(bytes.subarray(0, capLen), o + 20);
      b.fill(0, o + 20 + capLen, o + 20 + padded);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.close();
  }

  /** Writes `type, length, fixed body, options, opt_endofopt, length`. */
  private block(type: number, fixedLen: number, options: Buffer[], fill: (b: Buffer, o: number) => void): void {
    const optLen = options.length > 0 ? options.reduce((n, x) => n + x.length, 0) + 4 : 0;
    const total = 12 + fixedLen + optLen;
    const one = this.out.reserve(total) ? null : Buffer.alloc(total);
    const b = one ?? this.out.target;
    const start = one ? 0 : this.out.at;
    b.writeUInt32LE(type, start);
    b.writeUInt32LE(total, start + 4);
    fill(b, start + 8);
    let o = start + 8 + fixedLen;
    for (const opt of options) o += opt.copy(b, o);
    if (optLen > 0) {
      b.writeUInt32LE(0, o); // opt_endofopt
      o += 4;
    }
    b.writeUInt32LE(total, o);
    if (one) this.out.writeDirect(one);
    else this.out.advance(total);
  }
}

/** One opt_comment option, padded to 4 bytes. Comments longer than 65535 bytes are cut. */
function encodeComment(text: string): Buffer {
  let value = Buffer.from(text, 'utf8');
  if (value.length > 0xffff) value = value.subarray(0, 0xffff);
  const opt = Buffer.alloc(4 + ((value.length + 3) & ~3));
  opt.writeUInt16LE(1, 0);
  opt.writeUInt16LE(value.length, 2);
  value.copy(opt, 4);
  return opt;
}

/**
 * Splits `tsSec * 1e9 + tsNsec` into its high and low 32-bit words with exact number math
 * (the product passes 2^53 for any date after 1970-04).
 *
 * @example
 * nanosecondWords(1795311000, 814878328); // { hi: 0x18ea39d7, lo: 0xe0ebfe78 }
 */
export function nanosecondWords(tsSec: number, tsNsec: number): { hi: number; lo: number } {
  // tsSec * 1e9 = (sh * 2^16 + sl) * 1e9; both partial products stay below 2^53.
  const sh = Math.floor(tsSec / 65536);
  const sl = tsSec - sh * 65536;
  const x = sh * 1e9; // weight 2^16
  const y = sl * 1e9 + tsNsec; // weight 1
  const xh = Math.floor(x / 65536);
  const z = (x - xh * 65536) * 65536 + y; // < 2^32 + 2^47
  const carry = Math.floor(z / 4294967296);
  return { hi: xh + carry, lo: z - carry * 4294967296 };
}
