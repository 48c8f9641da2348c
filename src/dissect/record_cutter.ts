/**
 * Cuts fixed-size records out of one direction of a reassembled TCP stream, for protocols that
 * write whole structs into a TCP socket (seed 004). TCP may merge or split records at will;
 * the record size comes from the dissector (and may change with learned parameters). A record
 * whose kind is not one the dissector knows is reported as misframed, and cutting resumes at
 * the next offset where a known kind starts, instead of decoding garbage for the rest.
 */
import type { Dissector } from '../codec/dissector.js';

export interface CutRecord {
  buf: Buffer;
  offset: number;
  length: number;
  /** Frame whose arrival completed the record, and the frame that carried its first byte. */
  frame: number;
  firstFrame: number;
  /** Stream offset of the record's first byte. */
  streamOffset: number;
  warnings: string[];
}

const MAX_RECORD = 1 << 20;

export class RecordCutter {
  private pending = Buffer.alloc(256);
  private length = 0;
  /** Stream offset of pending[0]. */
  private start = 0;
  private firstFrame = 0;
  private resyncing = false;

  /**
   * @example
   * const cut = new RecordCutter(pkg, () => conn.params, (r) => decode(r));
   * reassembler = new TcpStreamReassembler({ onData: (c, at, f, src) => cut.push(c, at, f, src) });
   */
  constructor(
    private readonly dissector: Dissector,
    private readonly params: () => Record<string, number>,
    private readonly emit: (r: CutRecord) => void,
  ) {}

  /** Appends in-order stream bytes and emits every record they complete. */
  push(chunk: Buffer, streamOffset: number, frame: number, sourceFrame: number): void {
    if (this.length === 0) { this.start = streamOffset; this.firstFrame = sourceFrame; }
    this.append(chunk);
    this.cut(frame);
  }

  /** Bytes lost for good: what was pending cannot be completed; resynchronise after the hole. */
  gap(frame: number, streamOffset: number, missingBytes: number): void {
    if (this.length > 0) {
      this.emit({ buf: this.pending, offset: 0, length: this.length, frame, firstFrame: this.firstFrame, streamOffset: this.start, warnings: ['gap-in-record'] });
    }
    this.length = 0;
    this.start = streamOffset + missingBytes;
    this.resyncing = true;
  }

  /** At the end of the capture: a partial record left over is reported, not silently dropped. */
  finish(frame: number): void {
    if (this.length > 0) {
      this.emit({ buf: this.pending, offset: 0, length: this.length, frame, firstFrame: this.firstFrame, streamOffset: this.start, warnings: ['partial-record'] });
      this.length = 0;
    }
  }

  private append(chunk: Buffer): void {
    const need = this.length + chunk.length;
    if (need > this.pending.length) {
      const grown = Buffer.alloc(Math.max(need, this.pending.length * 2));
      this.pending.copy(grown, 0, 0, this.length);
      this.pending = grown;
    }
    chunk.copy(this.pending, this.length);
    this.length = need;
  }

  private knownKindAt(off: number): boolean {
    const kind = this.dissector.peekKind(this.pending, off, this.length - off, this.params());
    const enumNames = this.dissector.layout(this.params()).fields.find((f) => f.name === this.dissector.def.roles.kind)?.enumNames;
    return kind !== null && (!enumNames || Object.values(enumNames).includes(kind));
  }

  /**
   * Whether a record may start at `off` given the bytes seen so far: a known kind when the
   * whole kind field is here; for a text kind, a prefix of a known kind name when only part
   * of it is (so a record is emitted with the frame that completed it, as Wireshark does).
   */
  private plausibleStartAt(off: number): boolean {
    const name = this.dissector.def.roles.kind;
    const f = name ? this.dissector.layout(this.params()).fields.find((x) => x.name === name) : undefined;
    if (!f) return true;
    const avail = this.length - off;
    if (avail >= f.offset + f.size) return this.knownKindAt(off);
    if (f.type !== 'string' || !f.enumNames || avail <= f.offset) return true;
    const seen = this.pending.subarray(off + f.offset, off + avail);
    return Object.values(f.enumNames).some((k) => {
      const padded = Buffer.alloc(f.size);
      padded.write(k, 'latin1');
      return padded.subarray(0, seen.length).equals(seen);
    });
  }

  /** End of the kind field: how many bytes must be seen to tell whether a record starts here. */
  private kindEnd(): number {
    const name = this.dissector.def.roles.kind;
    const f = name ? this.dissector.layout(this.params()).fields.find((x) => x.name === name) : undefined;
    return f ? f.offset + f.size : 0;
  }

  /**
   * A record is trusted when it starts with a known kind AND the bytes after it (as far as
   * they have arrived) can start one too: a record of the wrong length still starts well, but
   * leaves the next one misaligned.
   */
  private cut(frame: number): void {
    let off = 0;
    const hasKind = this.dissector.def.roles.kind !== undefined;
    const kindEnd = hasKind ? this.kindEnd() : 0;
    while (off < this.length) {
      const avail = this.length - off;
      if (this.resyncing && hasKind) {
        if (avail < kindEnd) break;
        if (!this.knownKindAt(off)) { off++; continue; }
        this.resyncing = false;
      }
      const size = this.dissector.recordSize(this.pending, off, avail, this.params());
      if (size > MAX_RECORD) throw new RangeError(`record size ${size} exceeds ${MAX_RECORD}`);
      if (size < 0 || size > avail) break;
      let misframed = hasKind && !this.knownKindAt(off);
      if (!misframed && hasKind && avail > size) misframed = !this.plausibleStartAt(off + size);
      this.emit({ buf: this.pending, offset: off, length: size, frame, firstFrame: this.firstFrame, streamOffset: this.start + off, warnings: misframed ? ['misframed'] : [] });
      this.firstFrame = frame;
      if (misframed) {
        // Resynchronise from the byte after the bad record's start: the next real record may
        // begin inside the bytes the bad one claimed.
        off += 1;
        this.resyncing = true;
      } else {
        off += size;
      }
    }
    if (off > 0) {
      this.pending.copy(this.pending, 0, off, this.length);
      this.length -= off;
      this.start += off;
    }
  }
}
