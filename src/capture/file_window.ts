import fs from 'node:fs';
import { InputError } from '../input_error.js';

/** Default read size: big enough that syscalls vanish from profiles, small enough to never matter. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** Options shared by the capture readers. */
export interface ReaderOptions {
  /** Bytes per read (tests use tiny chunks so that every record straddles a boundary). */
  chunkSize?: number;
}

/**
 * A sliding window over a file, filled with `fs.readSync` in bounded chunks.
 *
 * Readers parse straight out of `buf` between `pos` and `end`. When a record does not fit,
 * `ensure(n)` moves the unread tail to the front and reads more, so a record that straddles a
 * chunk boundary is carried over instead of being reassembled in a new buffer. The buffer only
 * grows when a single record is larger than a chunk, and callers bound that size first.
 *
 * @example
 * const win = FileWindow.open('run.pcap');
 * try {
 *   if (win.ensure(24)) console.log(win.buf.readUInt32LE(win.pos).toString(16));
 * } finally {
 *   win.close();
 * }
 */
export class FileWindow {
  buf: Buffer;
  /** Cursor: index in `buf` of the next unparsed byte. */
  pos = 0;
  /** Index in `buf` one past the last byte read from the file. */
  end = 0;
  /** File offset of `buf[0]`. */
  base = 0;
  readonly size: number;
  private readonly fd: number;
  /** File offset of the next byte to read from disk. */
  private filePos = 0;

  private constructor(fd: number, size: number, chunkSize: number) {
    this.fd = fd;
    this.size = size;
    this.buf = Buffer.allocUnsafe(Math.max(16, chunkSize));
  }

  /**
   * Opens `file` for reading, turning "not found" and friends into an InputError.
   *
   * @example
   * const win = FileWindow.open('run.pcap', 64 * 1024);
   */
  static open(file: string, chunkSize: number = DEFAULT_CHUNK_SIZE): FileWindow {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      throw new InputError(file, describeOpenError(err));
    }
    try {
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) throw new InputError(file, 'is a directory, not a capture file');
      return new FileWindow(fd, st.size, chunkSize);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** File offset of the cursor. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes available in the window from the cursor on (not the whole rest of the file). */
  get available(): number {
    return this.end - this.pos;
  }

  /**
   * Makes `n` bytes available at `pos`. Returns false when the file ends first; then
   * `available` says how many bytes there were. May move data: re-read `buf` and `pos` after.
   */
  ensure(n: number): boolean {
    if (this.end - this.pos >= n) return true;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
    }
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(n);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    while (this.end < n) {
      const got = fs.readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePos);
      if (got === 0) break;
      this.end += got;
      this.filePos += got;
    }
    return this.end >= n;
  }

  /**
   * Moves the cursor `n` bytes on, without reading what lies beyond the window. Returns false
   * (cursor at end of file) when the file is shorter.
   */
  skip(n: number): boolean {
    if (this.end - this.pos >= n) {
      this.pos += n;
      return true;
    }
    const target = this.base + this.pos + n;
    const ok = target <= this.size;
    const to = ok ? target : this.size;
    this.base = to;
    this.pos = 0;
    this.end = 0;
    this.filePos = to;
    return ok;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a capture file';
  return `cannot open: ${(err as Error).message}`;
}
