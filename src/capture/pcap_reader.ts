import fs from 'node:fs';
import type { CaptureReader, CaptureSummary, CaptureWarning, Frame } from './frame.js';
import { DEFAULT_CHUNK_SIZE, FileWindow, type ReaderOptions } from './file_window.js';
import { InputError } from '../input_error.js';
import {
  MODIFIED_MAGIC_VARIANTS, PCAP_RECORD_HEADER_LEN, STANDARD_MAGIC_VARIANTS, guessPcapVariant,
  type PcapVariant, type ReadAt,
} from './pcap_variant.js';

/**
 * Classic libpcap files (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/):
 * a 24-byte file header, then records of a 16-byte header plus the captured bytes. The old
 * variants with longer record headers (modified pcap, RedHat 6.1, SuSE 6.3, Nokia; see
 * pcap_variant.ts) differ only in that length, which the walk takes from the header.
 */

const FILE_HEADER_LEN = 24;
/** Wireshark's own limit for any link type (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_RECORD_CAPLEN = 256 * 1024;
/**
 * How far a record may exceed the header's snaplen before we call it garbage. Writers do
 * record more than their snaplen (TSO/GRO super-frames, tools that leave the default 65535
 * while writing 9000-byte jumbo frames); Wireshark reads such files, so only a gross excess
 * counts as damage.
 */
const SNAPLEN_SLACK = 65536;

/** What the 24-byte file header says. */
export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  snaplen: number;
  /** LINKTYPE_* (low 16 bits of the header's link type field; the FCS bits are dropped). */
  linkType: number;
  /** Largest caplen accepted before the walk stops as damaged. */
  maxCapLen: number;
  /** Record layout: 'pcap' for any file written since 1999. */
  variant: PcapVariant;
  /** Bytes before each record's data: 16, or 20/24/28 for the old variants. */
  recordHeaderLen: number;
}

/**
 * Reads the pcap file header at the window's start, or throws InputError.
 *
 * @example
 * const h = readPcapHeader(win, 'run.pcap'); // { littleEndian: true, nanosecond: false, linkType: 1, ... }
 */
export function readPcapHeader(win: FileWindow, file: string): PcapHeader {
  if (!win.ensure(FILE_HEADER_LEN)) {
    if (win.available === 0) throw new InputError(file, 'empty file', { offset: 0 });
    if (win.available >= 4 && pcapMagic(win.buf.readUInt32LE(0)) !== null) {
      throw new InputError(file, `truncated pcap file header: ${win.available} of ${FILE_HEADER_LEN} bytes`, { offset: 0 });
    }
  }
  const magic = win.available >= 4 ? pcapMagic(win.buf.readUInt32LE(0)) : null;
  if (magic === null) throw new InputError(file, `not a pcap/pcapng/Wireshark JSON file (magic ${magicHex(win.buf, win.available)})`, { offset: 0 });
  const le = magic.littleEndian;
  const b = win.buf;
  const major = le ? b.readUInt16LE(4) : b.readUInt16BE(4);
  const minor = le ? b.readUInt16LE(6) : b.readUInt16BE(6);
  const snaplen = le ? b.readUInt32LE(16) : b.readUInt32BE(16);
  const rawLink = le ? b.readUInt32LE(20) : b.readUInt32BE(20);
  win.pos = FILE_HEADER_LEN;
  const maxCapLen = snaplen === 0 ? MAX_RECORD_CAPLEN : Math.min(MAX_RECORD_CAPLEN, snaplen + SNAPLEN_SLACK);
  const candidates = magic.modified ? MODIFIED_MAGIC_VARIANTS
    // The variants date from format 2.4; older versions (and DG/UX's 543) are plain pcap.
    : !magic.nanosecond && !(major === 2 && minor < 4) && major !== 543 ? STANDARD_MAGIC_VARIANTS
    : null;
  const variant = candidates === null ? 'pcap' : guessPcapVariant(
    candidates,
    { littleEndian: le, snaplen, maxCapLen: MAX_RECORD_CAPLEN, size: win.size, firstRecord: FILE_HEADER_LEN },
    windowReadAt(win, file),
  );
  return {
    littleEndian: le, nanosecond: magic.nanosecond, snaplen, linkType: rawLink & 0xffff, maxCapLen,
    variant, recordHeaderLen: PCAP_RECORD_HEADER_LEN[variant],
  };
}

/**
 * Reads for the variant guess without moving the window: from the bytes already read when they
 * are there (always, for a normal chunk size and normal records), else from the file itself.
 */
function windowReadAt(win: FileWindow, file: string): ReadAt {
  return (offset, len) => {
    const start = offset - win.base;
    if (start >= 0 && start + len <= win.end) return win.buf.subarray(start, start + len);
    const out = Buffer.alloc(len);
    const fd = fs.openSync(file, 'r');
    try {
      return out.subarray(0, fs.readSync(fd, out, 0, len, offset));
    } finally {
      fs.closeSync(fd);
    }
  };
}

/**
 * Recognises the six pcap magics (µs, ns, and the 1999 "modified" one, each in both byte
 * orders), read as a little-endian uint32 from byte 0.
 *
 * @example
 * pcapMagic(0xa1b23c4d); // { littleEndian: true, nanosecond: true, modified: false }
 */
export function pcapMagic(le32: number): { littleEndian: boolean; nanosecond: boolean; modified: boolean } | null {
  switch (le32) {
    case 0xa1b2c3d4: return { littleEndian: true, nanosecond: false, modified: false };
    case 0xd4c3b2a1: return { littleEndian: false, nanosecond: false, modified: false };
    case 0xa1b23c4d: return { littleEndian: true, nanosecond: true, modified: false };
    case 0x4d3cb2a1: return { littleEndian: false, nanosecond: true, modified: false };
    case 0xa1b2cd34: return { littleEndian: true, nanosecond: false, modified: true };
    case 0x34cdb2a1: return { littleEndian: false, nanosecond: false, modified: true };
    default: return null;
  }
}

/**
 * The first (up to) four bytes of a file as hex, in file order, for "unknown magic" messages.
 *
 * @example
 * magicHex(Buffer.from('GIF89a'), 6); // '0x47494638'
 */
export function magicHex(buf: Buffer, available: number): string {
  return '0x' + buf.subarray(0, Math.min(4, available)).toString('hex');
}

/**
 * Streams a classic pcap file (µs or ns, either byte order, any of the old record layouts) in
 * bounded chunks.
 *
 * @example
 * const summary = new PcapReader('run.pcap').forEach((f) => console.log(f.index, f.capLen));
 * console.log(summary.frames, summary.warnings);
 */
export class PcapReader implements CaptureReader {
  readonly format = 'pcap' as const;
  readonly file: string;
  private readonly chunkSize: number;

  constructor(file: string, options: ReaderOptions = {}) {
    this.file = file;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  forEach(onFrame: (frame: Frame) => void): CaptureSummary {
    const win = FileWindow.open(this.file, this.chunkSize);
    try {
      return walkFrames(win, this.file, onFrame);
    } finally {
      win.close();
    }
  }
}

function walkFrames(win: FileWindow, file: string, onFrame: (frame: Frame) => void): CaptureSummary {
  const h = readPcapHeader(win, file);
  const le = h.littleEndian;
  const hdrLen = h.recordHeaderLen;
  const nsMul = h.nanosecond ? 1 : 1000;
  const warnings: CaptureWarning[] = [];
  // One Frame for the whole walk: the callback must copy what it keeps (see Frame).
  const frame: Frame = {
    index: 0, tsSec: 0, tsNsec: 0, linkType: h.linkType, data: win.buf, offset: 0,
    capLen: 0, origLen: 0, interfaceId: 0, fileOffset: 0, comments: null,
  };
  let frames = 0;
  let snapTruncated = 0;
  for (;;) {
    if (win.end - win.pos < hdrLen && !win.ensure(hdrLen)) {
      if (win.available > 0) warnings.push(truncated(win.offset, win.available, hdrLen, frames + 1));
      break;
    }
    let buf = win.buf;
    let p = win.pos;
    const tsSec = le ? u32le(buf, p) : u32be(buf, p);
    const tsFrac = le ? u32le(buf, p + 4) : u32be(buf, p + 4);
    const capLen = le ? u32le(buf, p + 8) : u32be(buf, p + 8);
    const origLen = le ? u32le(buf, p + 12) : u32be(buf, p + 12);
    if (capLen > h.maxCapLen) {
      const detail = `record caplen ${capLen} exceeds the limit ${h.maxCapLen} (snaplen ${h.snaplen}): damaged file`;
      if (frames === 0) throw new InputError(file, detail, { offset: win.offset });
      warnings.push({ offset: win.offset, frame: frames + 1, message: `${detail}; reading stopped at byte ${win.offset}` });
      break;
    }
    const recLen = hdrLen + capLen;
    if (win.end - p < recLen) {
      if (!win.ensure(recLen)) {
        warnings.push(truncated(win.offset, win.available, recLen, frames + 1));
        break;
      }
      buf = win.buf;
      p = win.pos;
    }
    frames++;
    let nsec = tsFrac * nsMul;
    let sec = tsSec;
    // A fraction field of a second or more is damage; carrying it keeps tsNsec in range.
    if (nsec >= 1_000_000_000) {
      sec += Math.floor(nsec / 1_000_000_000);
      nsec %= 1_000_000_000;
    }
    if (capLen < origLen) snapTruncated++;
    frame.index = frames;
    frame.tsSec = sec;
    frame.tsNsec = nsec;
    frame.data = buf;
    frame.offset = p + hdrLen;
    frame.capLen = capLen;
    frame.origLen = origLen;
    frame.fileOffset = win.base + p;
    onFrame(frame);
    win.pos = p + recLen;
  }
  return { format: 'pcap', frames, snapTruncated, warnings, comments: [] };
}

// Record headers are read as bytes: Buffer.readUInt32LE validates its offset on every call,
// a measurable share of a walk that does little else. The window holds the 16 bytes.
function u32le(b: Buffer, o: number): number {
  return b[o + 3] * 16777216 + ((b[o + 2] << 16) | (b[o + 1] << 8) | b[o]);
}

function u32be(b: Buffer, o: number): number {
  return b[o] * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

function truncated(offset: number, have: number, need: number, frame: number): CaptureWarning {
  return { offset, frame, message: `truncated record at byte ${offset}: ${have} of ${need} bytes` };
}

/**
 * The bare record walk: reads each record header and skips its bytes, with the same chunking
 * as PcapReader, and does nothing else. Benchmarks use it as the floor a decoder is measured
 * against. `bytes` is the sum of the records' captured lengths. Stops silently at damage.
 *
 * @example
 * const { records, bytes } = walkPcapRecords('run.pcap'); // { records: 983, bytes: 1150000 }
 */
export function walkPcapRecords(file: string, options: ReaderOptions = {}): { records: number; bytes: number } {
  const win = FileWindow.open(file, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  try {
    const h = readPcapHeader(win, file);
    const le = h.littleEndian;
    const hdrLen = h.recordHeaderLen;
    let records = 0;
    let bytes = 0;
    for (;;) {
      if (win.end - win.pos < hdrLen && !win.ensure(hdrLen)) break;
      const capLen = le ? u32le(win.buf, win.pos + 8) : u32be(win.buf, win.pos + 8);
      if (capLen > h.maxCapLen) break;
      const recLen = hdrLen + capLen;
      if (win.end - win.pos < recLen && !win.ensure(recLen)) break;
      win.pos += recLen;
      records++;
      bytes += capLen;
    }
    return { records, bytes };
  } finally {
    win.close();
  }
}
