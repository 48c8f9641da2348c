import type { CaptureReader, CaptureSummary, CaptureWarning, Frame } from './frame.js';
import { DEFAULT_CHUNK_SIZE, FileWindow, type ReaderOptions } from './file_window.js';
import { MAX_RECORD_CAPLEN, magicHex } from './pcap_reader.js';
import { setTimestamp, timeScale, type TimeScale } from './pcapng_time.js';
import { InputError } from '../input_error.js';

/**
 * pcapng files (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/): a sequence of
 * blocks `type, length, body, length`. Each Section Header Block starts a section with its
 * own byte order and its own list of interfaces; packets name their interface by index.
 */

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 1;
export const BLOCK_PB = 2;
export const BLOCK_SPB = 3;
export const BLOCK_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/**
 * Blocks that are not packets but that Wireshark lists as frames (custom blocks, systemd
 * journal entries). We skip them yet let them take their frame number, so that "frame 57"
 * means the same frame here and in Wireshark.
 */
const NUMBERED_NON_PACKET = new Set([0x00000bad, 0x40000bad, 9]);
const OPT_END = 0;
const OPT_COMMENT = 1;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
/** Packet blocks: the largest frame Wireshark accepts plus room for the header and options. */
const MAX_PACKET_BLOCK = MAX_RECORD_CAPLEN + 65536;
/** Any other block: generous (name tables, systemd journal exports), but still bounded. */
const MAX_OTHER_BLOCK = 16 * 1024 * 1024;

interface Interface {
  linkType: number;
  snaplen: number;
  scale: TimeScale;
}

/**
 * Streams a pcapng file in bounded chunks: every section and interface, Enhanced, Simple and
 * obsolete Packet Blocks, packet comments into `Frame.comments`, section and interface
 * comments into the summary. Unknown blocks are skipped.
 *
 * @example
 * const summary = new PcapngReader('run.pcapng').forEach((f) => {
 *   if (f.comments) console.log(f.index, f.comments.join('; '));
 * });
 */
export class PcapngReader implements CaptureReader {
  readonly format = 'pcapng' as const;
  readonly file: string;
  private readonly chunkSize: number;

  constructor(file: string, options: ReaderOptions = {}) {
    this.file = file;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  forEach(onFrame: (frame: Frame) => void): CaptureSummary {
    const win = FileWindow.open(this.file, this.chunkSize);
    try {
      return new BlockWalk(win, this.file, onFrame).run();
    } finally {
      win.close();
    }
  }
}

/** The state of one pass: the current section's byte order and interfaces. */
class BlockWalk {
  private le = true;
  private interfaces: Interface[] = [];
  private blocks = 0;
  private frames = 0;
  /** Frame numbers used so far: delivered frames plus numbered non-packet blocks. */
  private numbered = 0;
  private skippedRecords = 0;
  private snapTruncated = 0;
  private readonly warnings: CaptureWarning[] = [];
  private readonly comments: string[] = [];
  private readonly frame: Frame;

  constructor(
    private readonly win: FileWindow,
    private readonly file: string,
    private readonly onFrame: (frame: Frame) => void,
  ) {
    this.frame = {
      index: 0, tsSec: 0, tsNsec: 0, linkType: 0, data: win.buf, offset: 0,
      capLen: 0, origLen: 0, interfaceId: 0, fileOffset: 0, comments: null,
    };
  }

  run(): CaptureSummary {
    while (this.nextBlock()) this.blocks++;
    if (this.skippedRecords > 0) {
      this.warnings.push({
        message: `${this.skippedRecords} non-packet record(s) (custom or journal blocks) skipped; they keep their frame numbers, as in Wireshark`,
      });
    }
    return {
      format: 'pcapng', frames: this.frames, snapTruncated: this.snapTruncated,
      warnings: this.warnings, comments: this.comments,
    };
  }

  /**
   * Damage: before the first block is understood nothing says this is pcapng at all, so it is
   * an error; later, everything read so far is good and the walk ends with a warning.
   */
  private damaged(offset: number, detail: string): false {
    if (this.blocks === 0) throw new InputError(this.file, detail, { offset });
    this.warnings.push({ offset, frame: this.numbered + 1, message: `${detail}; reading stopped at byte ${offset}` });
    return false;
  }

  private truncated(offset: number, have: number, need: number): false {
    const detail = `truncated block at byte ${offset}: ${have} of ${need} bytes`;
    if (this.blocks === 0) throw new InputError(this.file, detail, { offset });
    this.warnings.push({ offset, frame: this.numbered + 1, message: detail });
    return false;
  }

  /** Reads one block; false at the end of the file or at damage. */
  private nextBlock(): boolean {
    const win = this.win;
    if (win.end - win.pos < 12 && !win.ensure(12)) {
      if (win.available === 0) {
        if (this.blocks === 0) throw new InputError(this.file, 'empty file', { offset: 0 });
        return false;
      }
      if (this.blocks === 0 && win.buf.readUInt32LE(win.pos) !== BLOCK_SHB) return this.notPcapng();
      return this.truncated(win.offset, win.available, 12);
    }
    const start = win.offset;
    let buf = win.buf;
    let p = win.pos;
    // The SHB type reads the same in both byte orders; its byte-order magic sets the section's.
    if (buf.readUInt32LE(p) === BLOCK_SHB) {
      const bom = buf.readUInt32LE(p + 8);
      if (bom === BYTE_ORDER_MAGIC) this.le = true;
      else if (bom === 0x4d3c2b1a) this.le = false;
      else return this.damaged(start, `section header with bad byte-order magic 0x${buf.toString('hex', p + 8, p + 12)}`);
    } else if (this.blocks === 0) {
      return this.notPcapng();
    }
    const le = this.le;
    const type = le ? buf.readUInt32LE(p) : buf.readUInt32BE(p);
    const len = le ? buf.readUInt32LE(p + 4) : buf.readUInt32BE(p + 4);
    const isPacket = type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PB;
    if (len < 12 || len % 4 !== 0) return this.damaged(start, `block length ${len} (type ${type}) is ${len < 12 ? 'below 12' : 'not a multiple of 4'}`);
    const max = isPacket ? MAX_PACKET_BLOCK : MAX_OTHER_BLOCK;
    if (len > max) return this.damaged(start, `block length ${len} (type ${type}) exceeds the limit ${max}`);

    if (!isPacket && type !== BLOCK_SHB && type !== BLOCK_IDB) {
      // Name resolution, statistics, custom blocks...: skip without reading, check the trailer.
      if (!win.skip(len - 4) || !win.ensure(4)) return this.truncated(start, Math.min(win.size - start, len - 1), len);
      const trailer = le ? win.buf.readUInt32LE(win.pos) : win.buf.readUInt32BE(win.pos);
      if (trailer !== len) return this.damaged(start, `block length mismatch: header ${len}, trailer ${trailer}`);
      win.pos += 4;
      if (NUMBERED_NON_PACKET.has(type)) {
        this.numbered++;
        this.skippedRecords++;
      }
      return true;
    }
    if (len > win.end - p) {
      // A length running past the end of the file is a cut file: say so without buffering it.
      if (start + len > win.size) return this.truncated(start, win.size - start, len);
      if (!win.ensure(len)) return this.truncated(start, win.available, len);
      buf = win.buf;
      p = win.pos;
    }
    const trailer = le ? buf.readUInt32LE(p + len - 4) : buf.readUInt32BE(p + len - 4);
    if (trailer !== len) return this.damaged(start, `block length mismatch: header ${len}, trailer ${trailer}`);
    const ok = isPacket ? this.packetBlock(type, buf, p, len, start)
      : type === BLOCK_SHB ? this.sectionHeader(buf, p, len, start)
        : this.interfaceDescription(buf, p, len, start);
    if (ok) win.pos = p + len;
    return ok;
  }

  private notPcapng(): false {
    throw new InputError(this.file, `not a pcap/pcapng/Wireshark JSON file (magic ${magicHex(this.win.buf, this.win.available)})`, { offset: 0 });
  }

  private sectionHeader(buf: Buffer, p: number, len: number, start: number): boolean {
    if (len < 28) return this.damaged(start, `section header block too short (${len} bytes)`);
    const major = this.le ? buf.readUInt16LE(p + 12) : buf.readUInt16BE(p + 12);
    if (major !== 1) return this.damaged(start, `unsupported pcapng version ${major}`);
    this.interfaces = [];
    this.collectComments(buf, p + 24, p + len - 4);
    return true;
  }

  private interfaceDescription(buf: Buffer, p: number, len: number, start: number): boolean {
    if (len < 20) return this.damaged(start, `interface description block too short (${len} bytes)`);
    const le = this.le;
    const linkType = le ? buf.readUInt16LE(p + 8) : buf.readUInt16BE(p + 8);
    const snaplen = le ? buf.readUInt32LE(p + 12) : buf.readUInt32BE(p + 12);
    let tsresol: number | undefined;
    let tsoffset = 0;
    const end = p + len - 4;
    for (let o = p + 16; o + 4 <= end;) {
      const code = le ? buf.readUInt16LE(o) : buf.readUInt16BE(o);
      const olen = le ? buf.readUInt16LE(o + 2) : buf.readUInt16BE(o + 2);
      const v = o + 4;
      if (code === OPT_END || v + olen > end) break;
      if (code === OPT_IF_TSRESOL && olen >= 1) tsresol = buf[v];
      else if (code === OPT_IF_TSOFFSET && olen === 8) tsoffset = Number(le ? buf.readBigInt64LE(v) : buf.readBigInt64BE(v));
      else if (code === OPT_COMMENT) this.comments.push(buf.toString('utf8', v, v + olen));
      o = v + ((olen + 3) & ~3);
    }
    this.interfaces.push({ linkType, snaplen, scale: timeScale(tsresol, tsoffset) });
    return true;
  }

  private collectComments(buf: Buffer, start: number, end: number): void {
    const found = readComments(buf, start, end, this.le);
    if (found) this.comments.push(...found);
  }

  /** EPB, SPB and PB: fill the one Frame and hand it over. */
  private packetBlock(type: number, buf: Buffer, p: number, len: number, start: number): boolean {
    const le = this.le;
    const f = this.frame;
    let ifId: number;
    let dataAt: number;
    let capLen: number;
    let origLen: number;
    let comments: string[] | null = null;
    if (type === BLOCK_SPB) {
      if (len < 16) return this.damaged(start, `simple packet block too short (${len} bytes)`);
      ifId = 0;
      origLen = le ? buf.readUInt32LE(p + 8) : buf.readUInt32BE(p + 8);
      dataAt = p + 12;
      // An SPB has no caplen: the spec derives it from the snaplen and the block's size.
      capLen = Math.min(origLen, len - 16);
    } else {
      if (len < 32) return this.damaged(start, `packet block too short (${len} bytes)`);
      ifId = type === BLOCK_EPB ? (le ? buf.readUInt32LE(p + 8) : buf.readUInt32BE(p + 8)) : (le ? buf.readUInt16LE(p + 8) : buf.readUInt16BE(p + 8));
      capLen = le ? buf.readUInt32LE(p + 20) : buf.readUInt32BE(p + 20);
      origLen = le ? buf.readUInt32LE(p + 24) : buf.readUInt32BE(p + 24);
      dataAt = p + 28;
      const optAt = dataAt + ((capLen + 3) & ~3);
      if (capLen > len - 32 || optAt > p + len - 4) return this.damaged(start, `packet block: caplen ${capLen} does not fit its block length ${len}`);
      if (optAt + 4 <= p + len - 4) comments = readComments(buf, optAt, p + len - 4, le);
    }
    const iface = this.interfaces[ifId];
    if (iface === undefined) return this.damaged(start, `packet block names interface ${ifId}, but the section describes ${this.interfaces.length}`);
    if (type === BLOCK_SPB) {
      if (iface.snaplen !== 0 && capLen > iface.snaplen) capLen = iface.snaplen;
      f.tsSec = 0;
      f.tsNsec = 0;
    } else {
      const hi = le ? buf.readUInt32LE(p + 12) : buf.readUInt32BE(p + 12);
      const lo = le ? buf.readUInt32LE(p + 16) : buf.readUInt32BE(p + 16);
      setTimestamp(f, iface.scale, hi, lo);
    }
    this.frames++;
    if (capLen < origLen) this.snapTruncated++;
    f.index = ++this.numbered;
    f.linkType = iface.linkType;
    f.data = buf;
    f.offset = dataAt;
    f.capLen = capLen;
    f.origLen = origLen;
    f.interfaceId = ifId;
    f.fileOffset = start;
    f.comments = comments;
    this.onFrame(f);
    return true;
  }
}

/**
 * The opt_comment values among the options in `buf[start, end)`, or null: allocates only when
 * a comment is there. A malformed option ends the list, as it would for Wireshark.
 *
 * @example
 * readComments(block, optionsStart, blockEnd - 4, true); // ['dropped by impair: data 4']
 */
export function readComments(buf: Buffer, start: number, end: number, le: boolean): string[] | null {
  let out: string[] | null = null;
  for (let o = start; o + 4 <= end;) {
    const code = le ? buf.readUInt16LE(o) : buf.readUInt16BE(o);
    const olen = le ? buf.readUInt16LE(o + 2) : buf.readUInt16BE(o + 2);
    const v = o + 4;
    if (code === OPT_END || v + olen > end) break;
    if (code === OPT_COMMENT) (out ??= []).push(buf.toString('utf8', v, v + olen));
    o = v + ((olen + 3) & ~3);
  }
  return out;
}
