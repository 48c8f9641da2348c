/**
 * Streaming reader of Wireshark JSON exports: `tshark -T json` (with or without
 * `--no-duplicate-keys`, `-x`, `-e field`) and `tshark -T ek` (NDJSON), as Frames.
 *
 * The file is read in bounded chunks and scanned byte by byte (see wireshark_json_scanner.ts);
 * memory stays at a few chunks whatever the file size. A frame is:
 * - the export's raw bytes when it has them (`-x`: `frame_raw`), with the link type mapped
 *   from `frame.encap_type` (a WTAP_ENCAP number) to LINKTYPE_*;
 * - otherwise a raw IP datagram (LINKTYPE_RAW, 101) rebuilt from the dissected fields of the
 *   innermost IP layer and its UDP/TCP layer, payload from `udp.payload`/`tcp.payload`, else
 *   `data.data`; its origLen equals its capLen (the link header is gone);
 * - otherwise (not IP+UDP/TCP, no raw bytes) an empty frame with linkType LINKTYPE_UNDECODED
 *   (-1) and capLen 0, delivered anyway so frame numbers stay those tshark shows.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../input_error.js';
import { writeIpPacket, type BuildIpPacket } from '../net/packet_builder.js';
import { parseEpochMillisText, parseEpochText, type EpochTime } from './epoch_text.js';
import type { CaptureReader, CaptureSummary, Frame } from './frame.js';
import { decodeHexText, hexTextLength } from './hex_text.js';
import {
  buildKeyTables, F_ACK, F_CAPLEN, F_DATA, F_DPORT, F_DST, F_ENCAP, F_EPOCH, F_FLAGS, F_IPID, F_L4_PAYLOAD, F_LEN,
  F_NUMBER, F_OPTIONS, F_RAW, F_SEQ, F_SPORT, F_SRC, F_TS_MS, F_TTL, F_URGENT, F_WINDOW,
} from './wireshark_json_fields.js';
import { NEED_MORE, WiresharkJsonScanner } from './wireshark_json_scanner.js';
import { linkTypeFromWtapEncap } from './wtap_encap.js';

/** Frame.linkType of a frame the export gave no usable bytes for (capLen is 0). */
export const LINKTYPE_UNDECODED = -1;
const LINKTYPE_RAW = 101;

/** Read size: large enough that syscalls are negligible, small enough to keep RSS flat. */
const CHUNK = 8 << 20;
/** A single packet object larger than this is refused, so a hostile file cannot exhaust memory. */
export const MAX_PACKET_JSON = 64 << 20;
/** Individual warnings kept; the rest are counted in one closing warning. */
const MAX_WARNINGS = 20;

// Outer framing states.
const O_START = 0; // json: before '['
const O_FIRST = 1; // json: after '[', a packet or ']'
const O_NEXT = 2; // json: after a packet, ',' or ']'
const O_ELEM = 3; // json: after ',', a packet
const O_DONE = 4; // json: after ']', only whitespace
const O_EK = 5; // ek: objects separated by whitespace

/**
 * Opens a Wireshark JSON (`kind` 'json', file starts with '[') or EK (`kind` 'ek', starts with
 * '{') export for one sequential pass. Nothing is read until forEach.
 *
 * @example
 * const summary = openWiresharkJson('run.json', 'json').forEach((f) => console.log(f.index, f.capLen));
 */
export function openWiresharkJson(file: string, kind: 'json' | 'ek'): CaptureReader {
  return new WiresharkJsonReader(file, kind);
}

class WiresharkJsonReader implements CaptureReader {
  constructor(readonly file: string, readonly format: 'json' | 'ek') {}

  forEach(onFrame: (frame: Frame) => void): CaptureSummary {
    const fd = openSync(this.file, 'r');
    try {
      return new JsonWalk(this.file, this.format, fd, onFrame).run();
    } finally {
      closeSync(fd);
    }
  }
}

/** The state of one pass over a file. */
class JsonWalk {
  private buf = Buffer.allocUnsafe(CHUNK);
  /** File offset of buf[0], valid bytes in buf, whether the file is exhausted. */
  private base = 0;
  private end = 0;
  private eof = false;
  private filePos = 0;

  private readonly scanner: WiresharkJsonScanner;
  private readonly summary: CaptureSummary;
  private extraWarnings = 0;
  private readonly frame: Frame;
  private out = Buffer.allocUnsafe(1 << 16);
  private payload = Buffer.allocUnsafe(1 << 16);
  private readonly options = Buffer.allocUnsafe(64);
  private readonly time: EpochTime = { sec: 0, nsec: 0 };
  private readonly tcp = { seq: 0, ack: 0, flags: 0, window: 0, urgent: 0, options: undefined as Uint8Array | undefined };
  private readonly pkt: BuildIpPacket = { src: '', dst: '', protocol: 'udp', srcPort: 0, dstPort: 0, payload: new Uint8Array(0) };

  constructor(
    private readonly file: string,
    private readonly kind: 'json' | 'ek',
    private readonly fd: number,
    private readonly onFrame: (frame: Frame) => void,
  ) {
    this.scanner = new WiresharkJsonScanner(file, buildKeyTables(kind));
    this.summary = { format: kind, frames: 0, snapTruncated: 0, warnings: [], comments: [] };
    this.frame = {
      index: 0, tsSec: 0, tsNsec: 0, linkType: LINKTYPE_UNDECODED, data: this.out, offset: 0, capLen: 0, origLen: 0,
      interfaceId: 0, fileOffset: 0, comments: null,
    };
  }

  run(): CaptureSummary {
    let state = this.kind === 'json' ? O_START : O_EK;
    let p = 0;
    while (true) {
      if (p >= this.end) {
        if (!this.refill(this.end)) break;
        p = 0;
        continue;
      }
      const c = this.buf[p];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        p++;
        continue;
      }
      if (c === 0x7b && (state === O_FIRST || state === O_ELEM || state === O_EK)) {
        const after = this.scanner.scanObject(this.buf, p, this.end, this.base);
        if (after === NEED_MORE) {
          if (this.eof) {
            this.warn(`export truncated: it ends inside the packet that starts at byte ${this.base + p}`, this.base + p);
            return this.finish();
          }
          if (this.end - p >= MAX_PACKET_JSON) {
            throw new InputError(this.file, `one packet's JSON exceeds ${MAX_PACKET_JSON >> 20} MiB`, { offset: this.base + p });
          }
          this.refill(p);
          p = 0;
          continue;
        }
        if (this.scanner.hasLayers) this.deliver(this.base + p);
        p = after;
        if (state !== O_EK) state = O_NEXT;
        continue;
      }
      if (state === O_START && c === 0x5b) state = O_FIRST;
      else if (state === O_NEXT && c === 0x2c) state = O_ELEM;
      else if ((state === O_NEXT || state === O_FIRST) && c === 0x5d) state = O_DONE;
      else throw new InputError(this.file, `malformed ${this.kind === 'json' ? 'JSON' : 'EK'} export: unexpected ${describe(c)} ${whereExpected(state)}`, { offset: this.base + p });
      p++;
    }
    if (state === O_START) throw new InputError(this.file, 'empty file: no JSON array', { offset: 0 });
    if (state !== O_DONE && state !== O_EK) {
      this.warn(`export truncated: it ends before the closing ']' (byte ${this.base + this.end})`, this.base + this.end);
    }
    return this.finish();
  }

  private finish(): CaptureSummary {
    if (this.extraWarnings > 0) this.summary.warnings.push({ message: `${this.extraWarnings} more warnings like the above` });
    return this.summary;
  }

  /**
   * Keeps buf[keepFrom, end) (moved to the front) and reads more after it, growing the buffer
   * when the kept part fills it. Returns false at end of file.
   */
  private refill(keepFrom: number): boolean {
    const keep = this.end - keepFrom;
    if (keep > 0 && keepFrom > 0) this.buf.copyWithin(0, keepFrom, this.end);
    this.base += keepFrom;
    this.end = keep;
    if (keep === this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, MAX_PACKET_JSON + CHUNK));
      this.buf.copy(bigger, 0, 0, keep);
      this.buf = bigger;
    }
    if (this.eof) return false;
    let got = 0;
    while (this.end < this.buf.length) {
      const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePos);
      if (n === 0) {
        this.eof = true;
        break;
      }
      this.end += n;
      this.filePos += n;
      got += n;
    }
    return got > 0;
  }

  /** Turns the scanned packet object (which started at file offset `fileOffset`) into a Frame. */
  private deliver(fileOffset: number): void {
    const sc = this.scanner;
    const fs = sc.fieldStart;
    const fe = sc.fieldEnd;
    const buf = this.buf;
    const f = this.frame;
    this.summary.frames++;
    const number = fs[F_NUMBER] >= 0 ? parseNumberText(buf, fs[F_NUMBER], fe[F_NUMBER]) : -1;
    f.index = number > 0 ? number : this.summary.frames;
    f.fileOffset = fileOffset;
    const t = this.time;
    if (fs[F_EPOCH] >= 0 && parseEpochText(buf, fs[F_EPOCH], fe[F_EPOCH], t)) {
      // exact seconds and nanoseconds
    } else if (fs[F_TS_MS] >= 0 && parseEpochMillisText(buf, fs[F_TS_MS], fe[F_TS_MS], t)) {
      // EK's millisecond timestamp, when frame.time_epoch is missing
    } else {
      t.sec = 0;
      t.nsec = 0;
      this.warn(`frame ${f.index}: no readable frame.time_epoch; time set to 0`, fileOffset, f.index);
    }
    f.tsSec = t.sec;
    f.tsNsec = t.nsec;
    const len = fs[F_LEN] >= 0 ? parseNumberText(buf, fs[F_LEN], fe[F_LEN]) : -1;
    const capLen = fs[F_CAPLEN] >= 0 ? parseNumberText(buf, fs[F_CAPLEN], fe[F_CAPLEN]) : -1;
    if (len >= 0 && capLen >= 0 && capLen < len) this.summary.snapTruncated++;
    const encap = fs[F_ENCAP] >= 0 ? parseNumberText(buf, fs[F_ENCAP], fe[F_ENCAP]) : -1;
    const linkType = encap >= 0 ? linkTypeFromWtapEncap(encap) : -1;
    f.data = this.out;
    f.offset = 0;
    if (fs[F_RAW] >= 0 && linkType >= 0 && this.decodeRaw(fs[F_RAW], fe[F_RAW])) {
      f.linkType = linkType;
      f.origLen = len >= 0 ? len : f.capLen;
    } else if (!this.synthesize()) {
      f.linkType = LINKTYPE_UNDECODED;
      f.capLen = 0;
      f.origLen = len >= 0 ? len : 0;
    }
    this.onFrame(f);
  }

  private decodeRaw(start: number, end: number): boolean {
    const n = hexTextLength(this.buf, start, end);
    if (n < 0) return false;
    if (n > this.out.length) this.out = Buffer.allocUnsafe(Math.max(n, this.out.length * 2));
    this.frame.data = this.out;
    if (decodeHexText(this.buf, start, end, this.out, 0) < 0) {
      this.warn(`frame ${this.frame.index}: frame_raw is not hex; rebuilt from the dissected fields`, this.frame.fileOffset, this.frame.index);
      return false;
    }
    this.frame.capLen = n;
    return true;
  }

  /** Rebuilds a raw IP datagram from the dissected fields; false when they do not describe one. */
  private synthesize(): boolean {
    const sc = this.scanner;
    const fs = sc.fieldStart;
    const fe = sc.fieldEnd;
    const buf = this.buf;
    if (sc.ipVersion === 0 || sc.transport === 0) return false;
    if (fs[F_SRC] < 0 || fs[F_DST] < 0 || fs[F_SPORT] < 0 || fs[F_DPORT] < 0) return false;
    const p = this.pkt;
    p.src = buf.toString('latin1', fs[F_SRC], fe[F_SRC]);
    p.dst = buf.toString('latin1', fs[F_DST], fe[F_DST]);
    p.protocol = sc.transport === 17 ? 'udp' : 'tcp';
    p.srcPort = parseNumberText(buf, fs[F_SPORT], fe[F_SPORT]);
    p.dstPort = parseNumberText(buf, fs[F_DPORT], fe[F_DPORT]);
    const ttl = fs[F_TTL] >= 0 ? parseNumberText(buf, fs[F_TTL], fe[F_TTL]) : -1;
    p.ttl = p.hopLimit = ttl >= 0 && ttl <= 255 ? ttl : undefined;
    const id = fs[F_IPID] >= 0 ? parseNumberText(buf, fs[F_IPID], fe[F_IPID]) : -1;
    p.ipId = id >= 0 && id <= 0xffff ? id : undefined;
    const pl = fs[F_L4_PAYLOAD] >= 0 ? F_L4_PAYLOAD : fs[F_DATA] >= 0 ? F_DATA : -1;
    let plLen = 0;
    if (pl >= 0) {
      plLen = hexTextLength(buf, fs[pl], fe[pl]);
      if (plLen > this.payload.length) this.payload = Buffer.allocUnsafe(Math.max(plLen, this.payload.length * 2));
      if (plLen < 0 || decodeHexText(buf, fs[pl], fe[pl], this.payload, 0) < 0) return this.refuse('payload is not hex');
    }
    p.payload = this.payload.subarray(0, plLen);
    if (p.protocol === 'tcp') {
      const t = this.tcp;
      t.seq = numberOr0(buf, fs[F_SEQ], fe[F_SEQ]);
      t.ack = numberOr0(buf, fs[F_ACK], fe[F_ACK]);
      t.flags = numberOr0(buf, fs[F_FLAGS], fe[F_FLAGS]) & 0xfff;
      t.window = numberOr0(buf, fs[F_WINDOW], fe[F_WINDOW]);
      t.urgent = numberOr0(buf, fs[F_URGENT], fe[F_URGENT]);
      t.options = undefined;
      if (fs[F_OPTIONS] >= 0) {
        const n = hexTextLength(buf, fs[F_OPTIONS], fe[F_OPTIONS]);
        if (n < 0 || n > 40 || decodeHexText(buf, fs[F_OPTIONS], fe[F_OPTIONS], this.options, 0) < 0) {
          return this.refuse('tcp.options is not up to 40 hex bytes');
        }
        t.options = this.options.subarray(0, n);
      }
      p.tcp = t;
    } else {
      p.tcp = undefined;
    }
    const need = 60 + 60 + plLen;
    if (need > this.out.length) this.out = Buffer.allocUnsafe(Math.max(need, this.out.length * 2));
    try {
      this.frame.capLen = writeIpPacket(p, this.out, 0);
    } catch (e) {
      if (e instanceof RangeError) return this.refuse(e.message);
      throw e;
    }
    this.frame.data = this.out;
    this.frame.linkType = LINKTYPE_RAW;
    this.frame.origLen = this.frame.capLen;
    return true;
  }

  private refuse(why: string): false {
    this.warn(`frame ${this.frame.index}: cannot rebuild the packet (${why}); delivered empty`, this.frame.fileOffset, this.frame.index);
    return false;
  }

  private warn(message: string, offset?: number, frame?: number): void {
    if (this.summary.warnings.length >= MAX_WARNINGS) {
      this.extraWarnings++;
      return;
    }
    this.summary.warnings.push({ message, offset, frame });
  }
}

/** Decimal or 0x-hex text ("1795", "0x0018") as a number; -1 when it is neither or too long. */
function parseNumberText(buf: Uint8Array, start: number, end: number): number {
  if (end - start >= 3 && buf[start] === 0x30 && (buf[start + 1] | 0x20) === 0x78) {
    if (end - start > 15) return -1;
    let v = 0;
    for (let i = start + 2; i < end; i++) {
      const c = buf[i] | 0x20;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }
  if (end <= start || end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function numberOr0(buf: Uint8Array, start: number, end: number): number {
  if (start < 0) return 0;
  const v = parseNumberText(buf, start, end);
  return v < 0 ? 0 : v;
}

function describe(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function whereExpected(state: number): string {
  switch (state) {
    case O_START: return "(expected '[')";
    case O_FIRST: return "(expected a packet object or ']')";
    case O_NEXT: return "(expected ',' or ']')";
    case O_ELEM: return '(expected a packet object)';
    case O_DONE: return "after the closing ']'";
    default: return '(expected a JSON object per line)';
  }
}
