/**
 * A receiver that cannot write (a full disk, here a file-size limit) fails the transfer with
 * one line and a non-zero exit, and leaves neither the output nor its temporary file.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';

const cli = path.resolve(import.meta.dirname, '../../dist/cli/main.js');

function run(cmd: string, args: string[]): { stderr: () => string; done: Promise<number> } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return { stderr: () => err, done: new Promise((resolve) => child.on('close', (code) => { clearTimeout(timer); resolve(code ?? -1); })) };
}

test('a write that fails (EFBIG under a 256 KB file-size limit) ends the receive in one line, exit 1, nothing left behind', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-efbig-'));
  const file = path.join(dir, 'file.bin');
  fs.writeFileSync(file, crypto.randomBytes(3 << 20));
  const out = path.join(dir, 'out', 'copy.bin');
  fs.mkdirSync(path.dirname(out));
  // ulimit -f counts 1024-byte blocks; Node gets EFBIG from the write (it ignores SIGXFSZ).
  const rec = run('bash', ['-c', `ulimit -f 256; exec "${process.execPath}" "${cli}" receive -p sock352 --port 0 --out "${out}"`]);
  let port = 0;
  for (let i = 0; i < 200 && port === 0; i++) {
    const m = /listening on [^\n]*:(\d+)/.exec(rec.stderr());
    if (m) port = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 25));
  }
  expect(port).toBeGreaterThan(0);
  const snd = run(process.execPath, [cli, 'send', '-p', 'sock352', file, '--to', `127.0.0.1:${port}`, '--timeout', '20ms']);
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
  const rec = run(process.execPath, [cli, 'receive', '-p', 'sock352', '--port', '0', '--out', out, '--record', '/dev/full']);
  let port = 0;
  for (let i = 0; i < 200 && port === 0; i++) {
    const m = /listening on [^\n]*:(\d+)/.exec(rec.stderr());
    if (m) port = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 25));
  }
  const snd = run(process.execPath, [cli, 'send', '-p', 'sock352', file, '--to', `127.0.0.1:${port}`]);
  expect(await snd.done).toBe(0);
  expect(await rec.done).toBe(1);
  expect(rec.stderr()).toMatch(/recording \/dev\/full is incomplete: ENOSPC/);
  expect(rec.stderr()).not.toMatch(/\n\s+at /);
  expect(fs.readFileSync(out).equals(data)).toBe(true);
  fs.rmSync(dir, { recursive: true, force: true });
}, 40_000);
