/**
 * One captured frame, handed to a reader's callback.
 *
 * The object and its `data` buffer are reused by the reader: they are valid only during the
 * callback. Copy (`data.subarray(offset, offset + capLen)` plus `Buffer.from`) what you keep.
 * This is what lets a reader walk a million frames a second without allocating per frame.
 */
export interface Frame {
  /** 1-based frame number across the whole file, as Wireshark numbers frames. */
  index: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0..999_999_999 (exact: a JS number cannot hold epoch ns). */
  tsNsec: number;
  /** LINKTYPE_* of the frame's interface (1 EN10MB, 0 NULL, 101 RAW, 113 SLL, 276 SLL2, ...). */
  linkType: number;
  /** Buffer holding the frame bytes at [offset, offset + capLen). May hold other frames too. */
  data: Buffer;
  offset: number;
  /** Bytes captured (may be less than origLen when a snaplen cut the frame). */
  capLen: number;
  /** Length of the frame on the wire. */
  origLen: number;
  /** pcapng interface id (0 for pcap and JSON). */
  interfaceId: number;
  /** Byte offset of this frame's record in the file (for error messages). */
  fileOffset: number;
  /** pcapng opt_comment values of this frame, or null. */
  comments: string[] | null;
}

export type CaptureFormat = 'pcap' | 'pcapng' | 'json' | 'ek';

export interface CaptureWarning {
  /** Byte offset in the file the warning is about, when known. */
  offset?: number;
  /** Frame number the warning is about, when known. */
  frame?: number;
  message: string;
}

/** What a reader reports after walking a whole file. */
export interface CaptureSummary {
  format: CaptureFormat;
  frames: number;
  /** Frames whose capLen < origLen (cut by a snaplen). */
  snapTruncated: number;
  /** Non-fatal problems: a truncated tail (with its byte offset), skipped blocks, ... */
  warnings: CaptureWarning[];
  /** pcapng section/file comments and similar metadata worth showing. */
  comments: string[];
}

/** A capture file opened for one sequential pass. */
export interface CaptureReader {
  readonly file: string;
  readonly format: CaptureFormat;
  /**
   * Calls `onFrame` for every frame in file order, synchronously, streaming the file in
   * bounded chunks. Throws InputError for damage that stops reading before any frame
   * (unknown magic, bad header); damage later ends the walk with a warning instead.
   */
  forEach(onFrame: (frame: Frame) => void): CaptureSummary;
}
