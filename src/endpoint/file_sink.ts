/**
 * Where a receiver's delivered bytes go: a file descriptor, written in batches. Delivered
 * chunks are whole datagram payloads (about 1 KB); writing each with its own system call cost
 * the receiver more than the protocol did (16 % of its time at 100 MB), so chunks are held
 * (not copied: arrivals are ours to keep) and written together with writev.
 */
import fs from 'node:fs';

/** Bytes held before a write: big enough to amortise the call, small next to the file. */
const BATCH_BYTES = 1 << 20;
/** writev takes at most IOV_MAX (1024 on Linux) buffers per call. */
const BATCH_CHUNKS = 1024;

export class FileSink {
  private held: Buffer[] = [];
  private heldBytes = 0;

  /** @example const sink = new FileSink(fs.openSync('copy.part', 'w')); sink.write(chunk); sink.flush(); */
  constructor(private readonly fd: number) {}

  write(chunk: Buffer): void {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= BATCH_BYTES || this.held.length >= BATCH_CHUNKS) this.flush();
  }

  /** Writes everything held (before the file is closed and renamed). */
  flush(): void {
    let chunks = this.held;
    this.held = [];
    this.heldBytes = 0;
    while (chunks.length > 0) {
      const written = fs.writevSync(this.fd, chunks);
      chunks = dropWritten(chunks, written);
    }
  }
}

/**
 * What is left of `chunks` after `n` bytes were written (writev may write less than asked).
 *
 * @example dropWritten([Buffer.from('ab'), Buffer.from('cd')], 3) // [Buffer.from('d')]
 */
export function dropWritten(chunks: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < chunks.length && n >= chunks[i]!.length) n -= chunks[i++]!.length;
  const rest = chunks.slice(i);
  if (n > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(n);
  return rest;
}
