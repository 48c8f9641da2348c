/**
 * A receiver that cannot write (a full disk, here a file-size limit) fails the transfer with
 * one line and a non-zero exit, and leaves neither the output nor its temporary file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { CLI as cli, portFrom, runCli, runCommand } from '../support/cli_process.js';

test('a write that fails (EFBIG under a 256 KB file-size limit) ends the receive in one line, exit 1, nothing left behind', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-efbig-'));
  const file = path.join(dir, 'file.bin');
  fs.writeFileSync(file, crypto.randomBytes(3 << 20));
  const out = path.join(dir, 'out', 'copy.bin');
  fs.mkdirSync(path.dirname(out));
  // ulimit -f counts 1024-byte blocks; Node gets EFBIG from the write (it ignores SIGXFSZ).
  const rec = runCommand('bash', ['-c', `ulimit -f 256; exec "${process.execPath}" "${cli}" receive -p sock352 --port 0 --out "${out}"`], dir, 30_000);
  const port = await portFrom(rec, /listening on [^\n]*:(\d+)/);
  const snd = runCli(['send', '-p', 'sock352', file, '--to', `127.0.0.1:${port}`, '--timeout', '20ms'], dir, 30_000);
  expect(await rec.done).toBe(1);
  await snd.done; // the sender gives up on its own (its peer went silent)
  const lines = rec.stderr().trim().split('\n');
  expect(lines.filter((l) => /cannot write the received file: EFBIG/.test(l))).toHaveLength(1);
  expect(rec.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  expect(fs.readdirSync(path.dirname(out))).toEqual([]); // no copy.bin, no .part
  fs.rmSync(dir, { recursive: true, force: true });
}, 40_000);

test('a recording that cannot be written (--record /dev/full) is reported, exit 1, and the transfer itself completes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-enospc-'));
  const file = path.join(dir, 'file.bin');
  const data = crypto.randomBytes(300_000);
  fs.writeFileSync(file, data);
  const out = path.join(dir, 'copy.bin');
  const rec = runCli(['receive', '-p', 'sock352', '--port', '0', '--out', out, '--record', '/dev/full'], dir, 30_000);
  const port = await portFrom(rec, /listening on [^\n]*:(\d+)/);
  const snd = runCli(['send', '-p', 'sock352', file, '--to', `127.0.0.1:${port}`], dir, 30_000);
  expect(await snd.done).toBe(0);
  expect(await rec.done).toBe(1);
  expect(rec.stderr()).toMatch(/recording \/dev\/full is incomplete: ENOSPC/);
  expect(rec.stderr()).not.toMatch(/\n\s+at /);
  expect(fs.readFileSync(out).equals(data)).toBe(true);
  fs.rmSync(dir, { recursive: true, force: true });
}, 40_000);
