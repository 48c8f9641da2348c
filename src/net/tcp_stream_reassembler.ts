/** Where a TcpStreamReassembler delivers the stream. */
export interface TcpStreamSink {
  /**
   * In-order bytes, each byte exactly once. `streamOffset` counts bytes from the first byte of
   * the stream (the byte after the SYN, or the first byte seen when the SYN was not captured).
   * `frame` is the frame whose arrival made the chunk deliverable; `sourceFrame` the frame that
   * carried these bytes (earlier than `frame` for data that waited out of order).
   * `chunk` may be a view of the caller's (reused) frame buffer: copy what you keep.
   */
  onData(chunk: Buffer, streamOffset: number, frame: number, sourceFrame: number): void;
  /** `missingBytes` bytes at `streamOffset` will never be delivered (never captured, or dropped to bound memory). */
  onGap?(missingBytes: number, frame: number, streamOffset: number): void;
}

export interface TcpStreamLimits {
  /** Out-of-order bytes held before giving up on the hole in front of them. Default 8 MiB. */
  maxBufferedBytes: number;
}

interface Held {
  start: number;
  data: Buffer;
  frame: number;
}

/**
 * Reassembles ONE direction of a TCP connection into an in-order byte stream: retransmitted and
 * overlapping bytes are delivered once (the first copy wins), out-of-order segments wait in a
 * bounded buffer, sequence numbers wrap at 2^32. When the held bytes exceed the bound, the hole
 * in front of them is declared a gap (onGap) and delivery resumes after it; `flushGap` does the
 * same on demand (e.g. at the end of a capture).
 *
 * Stream offsets are plain numbers (exact up to 2^53 bytes), so consumers never see wrapping.
 *
 * @example
 * const r = new TcpStreamReassembler({ onData: (chunk, at, frame) => records.feed(chunk, at, frame) });
 * r.push(tcp.seq, pkt.buf, pkt.payloadOffset, pkt.payloadLength, frame.index, (tcp.flags & 0x02) !== 0);
 */
export class TcpStreamReassembler {
  private readonly sink: TcpStreamSink;
  private readonly maxBuffered: number;
  private started = false;
  /** 32-bit sequence number of the next byte to deliver, and its stream offset. */
  private nextSeq = 0;
  private nextOffset = 0;
  /** Held out-of-order bytes: sorted by start, never overlapping each other. */
  private held: Held[] = [];
  private heldBytes = 0;
  private lastFrame = 0;
  private gaps = 0;

  constructor(sink: TcpStreamSink, limits: Partial<TcpStreamLimits> = {}) {
    this.sink = sink;
    this.maxBuffered = limits.maxBufferedBytes ?? 8 * 1024 * 1024;
  }

  /** Stream offset of the next byte to deliver (= bytes delivered + bytes declared missing). */
  get streamOffset(): number {
    return this.nextOffset;
  }

  /** Out-of-order bytes currently held. */
  get bufferedBytes(): number {
    return this.heldBytes;
  }

  /** Bytes declared missing so far. */
  get gapBytes(): number {
    return this.gaps;
  }

  /**
   * Feeds one segment: `len` payload bytes at `data[off]` with sequence number `seq` (raw
   * 32-bit), seen in frame `frame`. Pass `synFlag` for a SYN, which occupies one sequence
   * number before the data. Segments without data and before any SYN are ignored (a keepalive
   * carries seq - 1 and must not fix the stream start).
   *
   * @example r.push(0xfffffff0, payload, 0, 100, 7) // wraps past 2^32 without fuss
   */
  push(seq: number, data: Uint8Array, off: number, len: number, frame: number, synFlag = false): void {
    this.lastFrame = frame;
    if (synFlag) seq = (seq + 1) >>> 0;
    if (!this.started) {
      if (len <= 0 && !synFlag) return;
      this.started = true;
      this.nextSeq = seq >>> 0;
    }
    if (len <= 0) return;
    let start = this.nextOffset + ((seq - this.nextSeq) | 0);
    if (start + len <= this.nextOffset) return; // all old: a retransmission
    if (start < this.nextOffset) {
      const d = this.nextOffset - start;
      off += d;
      len -= d;
      start = this.nextOffset;
    }
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const held = this.held;
    if (start === this.nextOffset && (held.length === 0 || held[0].start >= start + len)) {
      // The common case: in order and touching nothing held, so no copy.
      this.deliver(buf.subarray(off, off + len), frame, frame);
      this.drain(frame);
      return;
    }
    // Overlaps held bytes (or is ahead): keep only the bytes nobody sent before, then drain.
    this.hold(start, buf, off, len, frame);
    this.drain(frame);
    while (this.heldBytes > this.maxBuffered) this.skipToHeld(frame);
  }

  /**
   * Gives up on the hole in front of the held bytes: reports it through onGap and delivers what
   * was held up to the next hole. Returns the missing byte count (0 when nothing was held).
   *
   * @example at end of capture: while (r.flushGap() > 0);
   */
  flushGap(frame = this.lastFrame): number {
    if (this.held.length === 0) return 0;
    return this.skipToHeld(frame);
  }

  private skipToHeld(frame: number): number {
    const missing = this.held[0].start - this.nextOffset;
    this.sink.onGap?.(missing, frame, this.nextOffset);
    this.gaps += missing;
    this.advance(missing);
    this.drain(frame);
    return missing;
  }

  private advance(n: number): void {
    this.nextOffset += n;
    this.nextSeq = (this.nextSeq + n) >>> 0;
  }

  private deliver(chunk: Buffer, frame: number, sourceFrame: number): void {
    const at = this.nextOffset;
    this.advance(chunk.length);
    this.sink.onData(chunk, at, frame, sourceFrame);
  }

  /** Delivers held bytes that have become contiguous with the stream. */
  private drain(frame: number): void {
    const held = this.held;
    let i = 0;
    for (; i < held.length && held[i].start <= this.nextOffset; i++) {
      const h = held[i];
      this.heldBytes -= h.data.length;
      const skip = this.nextOffset - h.start;
      if (skip < h.data.length) this.deliver(h.data.subarray(skip), frame, h.frame);
    }
    if (i > 0) held.splice(0, i);
  }

  /** Copies the bytes of [start, start+len) that no held segment has yet (first copy wins). */
  private hold(start: number, buf: Buffer, off: number, len: number, frame: number): void {
    const held = this.held;
    const end = start + len;
    // First held segment ending after `start` (binary search: the list can be long).
    let lo = 0;
    let hi = held.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (held[mid].start + held[mid].data.length <= start) lo = mid + 1;
      else hi = mid;
    }
    let cursor = start;
    let i = lo;
    while (cursor < end) {
      const next = i < held.length ? held[i] : null;
      const pieceEnd = next === null ? end : Math.min(end, next.start);
      if (pieceEnd > cursor) {
        const data = Buffer.from(buf.subarray(off + cursor - start, off + pieceEnd - start));
        held.splice(i, 0, { start: cursor, data, frame });
        this.heldBytes += data.length;
        i++;
      }
      if (next === null) break;
      cursor = Math.max(cursor, next.start + next.data.length);
      i++;
    }
  }
}
