/** The receiver's batched file writes: every byte, in order, whatever the chunk sizes. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { dropWritten, FileSink } from '../../src/endpoint/file_sink.js';

test('chunks of every size arrive in the file in order, held until a batch fills or flush', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-sink-'));
  const file = path.join(dir, 'out.bin');
  const fd = fs.openSync(file, 'w');
  const sink = new FileSink(fd);
  const chunks: Buffer[] = [];
  let n = 0;
  for (let i = 0; n < 3_000_000; i++) {
    const c = Buffer.alloc((i * 7919) % 2048, i & 0xff); // includes empty chunks
    chunks.push(c);
    n += c.length;
    sink.write(c);
  }
  expect(fs.fstatSync(fd).size).toBeGreaterThan(0); // whole batches went out on the way
  expect(fs.fstatSync(fd).size).toBeLessThan(n); // the last batch is held
  sink.flush();
  fs.closeSync(fd);
  expect(fs.readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
  fs.rmSync(dir, { recursive: true });
});

test('a short write leaves the unwritten rest, split inside a chunk when it must be', () => {
  const parts = [Buffer.from('ab'), Buffer.from('cde'), Buffer.from('f')];
  expect(dropWritten(parts, 0).map(String)).toEqual(['ab', 'cde', 'f']);
  expect(dropWritten(parts, 2).map(String)).toEqual(['cde', 'f']);
  expect(dropWritten(parts, 3).map(String)).toEqual(['de', 'f']);
  expect(dropWritten(parts, 6)).toEqual([]);
});
