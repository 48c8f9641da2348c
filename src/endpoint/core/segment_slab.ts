/**
 * Memory for outgoing segments, carved from large slabs: a sender encodes tens of thousands of
 * segments a second, and a zeroed allocation each (Buffer.alloc) cost more than the encoding.
 * A carved segment is never written again (a slab is only ever filled forward, then dropped to
 * the garbage collector), so a link may keep it as long as it likes: an asynchronous UDP send,
 * a delayed impairment, a recording.
 */
import type { Dissector, EncodeOptions } from '../../codec/dissector.js';
import type { FieldValue } from '../../codec/field_io.js';

const EMPTY = new Uint8Array(0);

export class SegmentSlab {
  private slab: Buffer;
  private used = 0;

  /** @example const slab = new SegmentSlab(); const seg = slab.encode(sock352, { flags: 4, ack_no: 2 }); */
  constructor(private readonly size = 256 * 1024) {
    this.slab = Buffer.allocUnsafeSlow(size);
  }

  /** `dissector.encode(values, payload, opts)`, into fresh slab memory. */
  encode(dissector: Dissector, values: Record<string, FieldValue>, payload: Uint8Array = EMPTY, opts: EncodeOptions = {}): Buffer {
    const n = dissector.encodedLength(values, payload, opts);
    if (n > this.size) return dissector.encode(values, payload, opts); // larger than a slab: its own buffer
    if (this.used + n > this.size) { this.slab = Buffer.allocUnsafeSlow(this.size); this.used = 0; }
    const at = this.used;
    dissector.encodeInto(this.slab, at, values, payload, opts);
    this.used = at + n;
    return this.slab.subarray(at, at + n);
  }
}
