/**
 * Real sockets on 127.0.0.1 through the built CLI: send → emulate (5 % loss, reordering) →
 * receive for the UDP protocols, send → receive with impairments at both ends for
 * ariel-package (its run through emulate's TCP mode is in tcp_emulate.test.ts); every copy byte-identical, every recording
 * readable by tshark; a vanished peer ends with exit 1 and no output file.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI as cli, portFrom, runCli, type Running } from '../support/cli_process.js';
import { afterAll, describe, expect, test } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-loopback-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], timeoutMs = 60_000): Running => runCli(args, dir, timeoutMs);

function tsharkReads(file: string): void {
  const out = execFileSync('tshark', ['-r', file, '-q'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  expect(out).toBe('');
  const count = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' }).trim().split('\n').length;
  expect(count).toBeGreaterThan(10);
}

function makeFile(name: string, size: number, text: boolean): string {
  const bytes = crypto.randomBytes(size);
  if (text) for (let i = 0; i < size; i++) bytes[i] = 0x21 + (bytes[i] % 90);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe.each(['sock352', 'csee4119-tcp'])('%s: send → emulate → receive on loopback', (protocol) => {
  test('byte-identical copy through 5 % loss and reordering; recordings open in tshark', async () => {
    const src = makeFile(`${protocol}.bin`, 200_000, false);
    const out = path.join(dir, `${protocol}.copy`);
    const recv = run(['receive', '-p', protocol, '--port', '0', '--out', out, '--timeout', '100ms', '--record', `${protocol}-recv.pcap`]);
    const rport = await portFrom(recv, /listening on 127\.0\.0\.1:(\d+)/);
    const emu = run(['emulate', '--listen', '0', '--to', `127.0.0.1:${rport}`, '--loss', '5%', '--reorder', '5%', '--seed', '3', '--record', `${protocol}-emu.pcapng`, '--duration', '50s']);
    const eport = await portFrom(emu, /emulating 127\.0\.0\.1:(\d+)/);
    const send = run(['send', '-p', protocol, src, '--to', `127.0.0.1:${eport}`, '--timeout', '100ms', '--window', '32', '--record', `${protocol}-send.pcapng`]);
    expect(await send.done, send.stderr()).toBe(0);
    expect(await recv.done, recv.stderr()).toBe(0);
    emu.child.kill('SIGINT');
    expect(await emu.done).toBe(0);
    expect(fs.readFileSync(out).equals(fs.readFileSync(src))).toBe(true);
    expect(send.stderr()).toMatch(/sent 200000 bytes in [\d.]+ s, goodput .*, \d+ retransmissions/);
    expect(emu.stderr()).toMatch(/dropped [1-9]\d* datagrams/);
    for (const f of [`${protocol}-recv.pcap`, `${protocol}-emu.pcapng`, `${protocol}-send.pcapng`]) tsharkReads(path.join(dir, f));
    expect(fs.existsSync(path.join(dir, `${protocol}-emu.pcapng.drops.json`))).toBe(true);
  });
});

describe('ariel-package: send → receive over one TCP connection', () => {
  test('byte-identical copy with loss and reordering at both ends; the recording reassembles', async () => {
    const src = makeFile('msg.txt', 30_000, true);
    const out = path.join(dir, 'msg.copy');
    const recv = run(['receive', '-p', 'ariel-package', '--port', '0', '--out', out, '--mss', '100', '--timeout', '200ms', '--loss', '5%', '--seed', '4']);
    const rport = await portFrom(recv, /listening on 127\.0\.0\.1:(\d+)/);
    const send = run(['send', '-p', 'ariel-package', src, '--to', `127.0.0.1:${rport}`, '--window', '8', '--timeout', '200ms', '--loss', '5%', '--reorder', '5%', '--record', 'ariel.pcapng']);
    expect(await send.done, send.stderr()).toBe(0);
    expect(await recv.done, recv.stderr()).toBe(0);
    expect(fs.readFileSync(out).equals(fs.readFileSync(src))).toBe(true);
    tsharkReads(path.join(dir, 'ariel.pcapng'));
    const decoded = execFileSync(process.execPath, [cli, 'decode', path.join(dir, 'ariel.pcapng'), '-d', 'ariel-package', '--json'], { encoding: 'utf8' });
    const kinds = decoded.trim().split('\n').map((l) => (JSON.parse(l) as { fields?: { header?: string } }).fields?.header);
    expect(kinds.filter((k) => k === 'MSG').length).toBeGreaterThanOrEqual(300);
    expect(kinds).toContain('DISCONNECT');
  });
});

describe('failures end cleanly', () => {
  test('a receiver whose peer never comes exits 1 after its idle timeout and writes nothing', async () => {
    const out = path.join(dir, 'never.bin');
    const recv = run(['receive', '-p', 'csee4119-tcp', '--port', '0', '--out', out, '--idle-timeout', '500ms'], 20_000);
    expect(await recv.done).toBe(1);
    expect(recv.stderr()).toMatch(/receive failed, .* not written: peer silent/);
    expect(fs.readdirSync(dir).filter((f) => f.includes('never.bin'))).toEqual([]);
  });

  test('a sender whose receiver vanished exits 1 with a clear reason', async () => {
    const src = makeFile('lonely.bin', 1000, false);
    const send = run(['send', '-p', 'sock352', src, '--to', '127.0.0.1:9', '--timeout', '20ms'], 20_000);
    expect(await send.done).toBe(1);
    expect(send.stderr()).toMatch(/send failed: peer vanished/);
  });

  test('bad options are one line and exit 2', async () => {
    const r = run(['send', '-p', 'sock352', 'nope.bin', '--to', '127.0.0.1:9']);
    expect(await r.done).toBe(2);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
    const r2 = run(['receive', '-p', 'sock352', '--port', '0', '--out', 'x', '--loss', '200%']);
    expect(await r2.done).toBe(2);
    expect(r2.stderr()).toMatch(/--loss/);
  });
});
