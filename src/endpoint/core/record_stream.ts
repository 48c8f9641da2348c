/**
 * Turns stream chunks (TCP may merge or split records at will) into decoded records, with the
 * dissector's own framing (`recordSize`, which follows learned parameters such as N). This is
 * the fix for the seed's Package code, which read one recv() as one record.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Segment } from '../../codec/segment.js';
import { RecordCutter } from '../../dissect/record_cutter.js';

export class RecordStream {
  private readonly cutter: RecordCutter;
  private offset = 0;

  /**
   * @example
   * const rs = new RecordStream(pkg, () => params, (seg, buf, off) => handle(seg), (why) => count(why));
   * rs.push(chunk);
   */
  constructor(
    private readonly dissector: Dissector,
    private readonly params: () => Record<string, number>,
    onRecord: (seg: Segment, buf: Buffer, off: number) => void,
    onBad: (reason: string) => void,
  ) {
    this.cutter = new RecordCutter(dissector, params, (r) => {
      if (r.warnings.length > 0) { onBad('malformed'); return; }
      let seg: Segment;
      try {
        seg = this.dissector.decode(r.buf, r.offset, r.length, { params: this.params() });
      } catch {
        onBad('malformed');
        return;
      }
      if (seg.warnings.some((w) => w !== 'trailing-bytes')) { onBad('malformed'); return; }
      onRecord(seg, r.buf, r.offset);
    });
  }

  /** Appends the next in-order chunk of the stream. */
  push(chunk: Buffer): void {
    this.cutter.push(chunk, this.offset, 0, 0);
    this.offset += chunk.length;
  }
}
