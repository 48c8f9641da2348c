/**
 * Vitest global setup: every test run gets its own temporary directory, removed when the run
 * ends. Tests (and the CLI processes they spawn) make their scratch files with
 * `mkdtempSync(path.join(os.tmpdir(), …))`; pointing TMPDIR here keeps a run from leaving
 * hundreds of directories in /tmp (about 600 after a day of runs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root; // the test workers are forked after this and inherit it
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
