/**
 * `acktrace emulate` for a protocol that rides on TCP (ariel-package), on real sockets on
 * 127.0.0.1: send → emulate → receive through the built CLI, byte-identical, with a recording
 * tshark reads and `acktrace decode` cuts into records; seed 004's exact drop list; and, on
 * the library, the stream guarantees (misframed bytes pass untouched, half-closes are kept).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CLI as cli, portFrom, runCli, type Running } from '../support/cli_process.js';
import { afterAll, describe, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { TcpEmulator } from '../../src/endpoint/tcp_emulator.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-tcp-emulate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const pkg = new DissectorRegistry().get('ariel-package');

const run = (args: string[], timeoutMs = 30_000): Running => runCli(args, dir, timeoutMs);

function textFile(name: string, size: number): string {
  const bytes = crypto.randomBytes(size);
  for (let i = 0; i < size; i++) bytes[i] = 0x21 + (bytes[i] % 90); // printable, no NUL: the protocol pads with NUL
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

interface Record { kind: string; pos: number; ack: number | null }

function decodeRecords(file: string): Record[] {
  const out = execFileSync(process.execPath, [cli, 'decode', file, '-d', 'ariel-package', '--json'], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l) as { fields?: { header?: string; pos?: number; payload?: string } })
    .filter((j) => j.fields?.header !== undefined)
    .map((j) => ({ kind: j.fields!.header!, pos: Number(j.fields!.pos), ack: j.fields!.header === 'ACK' ? Number(j.fields!.payload) : null }));
}

function tsharkReads(file: string): number {
  const out = execFileSync('tshark', ['-r', file, '-q'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  expect(out).toBe('');
  return execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' }).trim().split('\n').length;
}

/** receive ← emulate ← send through the built CLI; resolves when all three have ended. */
async function transfer(name: string, src: string, impair: string[]): Promise<{ out: string; emu: Running; record: string }> {
  const out = path.join(dir, `${name}.copy`);
  const record = path.join(dir, `${name}.pcapng`);
  const recv = run(['receive', '-p', 'ariel-package', '--port', '0', '--out', out, '--timeout', '300ms']);
  const rport = await portFrom(recv, /listening on 127\.0\.0\.1:(\d+)/);
  const emu = run(['emulate', '-p', 'ariel-package', '--listen', '0', '--to', `127.0.0.1:${rport}`, ...impair, '--record', record, '--duration', '25s']);
  const eport = await portFrom(emu, /emulating 127\.0\.0\.1:(\d+)/);
  const send = run(['send', '-p', 'ariel-package', src, '--to', `127.0.0.1:${eport}`, '--timeout', '300ms']);
  expect(await send.done, send.stderr()).toBe(0);
  expect(await recv.done, recv.stderr()).toBe(0);
  // The emulator closes the recording when the connection has closed on both sides.
  for (let i = 0; i < 100 && !/connection 1 from .* closed/.test(emu.stderr()); i++) await new Promise((res) => setTimeout(res, 20));
  emu.child.kill('SIGINT');
  expect(await emu.done, emu.stderr()).toBe(0);
  return { out, emu, record };
}

describe('ariel-package: send → emulate (TCP) → receive on loopback', () => {
  test('byte-identical through 5 % loss and reordering of whole records; the recording opens in tshark and decodes', async () => {
    const src = textFile('msg.txt', 2000);
    const { out, emu, record } = await transfer('random', src, ['--loss', '5%', '--reorder', '5%', '--seed', '7']);
    expect(fs.readFileSync(out).equals(fs.readFileSync(src))).toBe(true);
    const m = /forwarded (\d+), returned (\d+), dropped (\d+) records over 1 TCP connection/.exec(emu.stderr());
    expect(m, emu.stderr()).not.toBeNull();
    const [forwarded, returned, dropped] = m!.slice(1).map(Number);
    expect(dropped).toBeGreaterThan(0);

    expect(tsharkReads(record)).toBeGreaterThan(500);
    const recs = decodeRecords(record);
    // Every record that left the emulator is in the recording, cut where it was sent.
    expect(recs.length).toBe(forwarded + returned);
    const msgs = recs.filter((r) => r.kind === 'MSG');
    expect(new Set(msgs.map((r) => r.pos))).toEqual(new Set(Array.from({ length: 500 }, (_, i) => i + 1)));
    expect(recs.map((r) => r.kind)).toContain('DISCONNECT');
    const side = JSON.parse(fs.readFileSync(`${record}.drops.json`, 'utf8')) as { transport: string; drops: Array<{ reason: string }> };
    expect(side.transport).toBe('tcp');
    expect(side.drops.length).toBe(dropped);
    expect(side.drops.every((d) => d.reason === 'random loss')).toBe(true);
  }, 40_000);

  test('seed 004\'s run: --drop-data 4,9,10 drops those packages once, and their resends are recorded', async () => {
    const src = textFile('seed004.txt', 200);
    const { out, record } = await transfer('drop-data', src, ['--drop-data', '4,9,10']);
    expect(fs.readFileSync(out).equals(fs.readFileSync(src))).toBe(true);
    const side = JSON.parse(fs.readFileSync(`${record}.drops.json`, 'utf8')) as { drops: Array<{ cls: string; value: number; kind: string; reason: string }> };
    expect(side.drops.map((d) => [d.cls, d.kind, d.value])).toEqual([['data', 'MSG', 4], ['data', 'MSG', 9], ['data', 'MSG', 10]]);
    expect(side.drops.map((d) => d.reason)).toEqual(['drop-list data seq 4', 'drop-list data seq 9', 'drop-list data seq 10']);

    const recs = decodeRecords(record);
    const msgs = recs.filter((r) => r.kind === 'MSG');
    for (const lost of [4, 9, 10]) {
      const first = msgs.findIndex((r) => r.pos === lost);
      expect(first, `pos ${lost} resent`).toBeGreaterThanOrEqual(0);
      // The first send never left the emulator: a later package crossed before the resend.
      expect(msgs.slice(0, first).some((r) => r.pos > lost), `pos ${lost} came late`).toBe(true);
    }
    const comments = execFileSync('tshark', ['-r', record, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8' });
    for (const lost of [4, 9, 10]) expect(comments).toContain(`acktrace: dropped data MSG seq ${lost}`);
  }, 40_000);

  test('--corrupt is refused for a protocol on TCP: one line, exit 2', async () => {
    const r = run(['emulate', '-p', 'ariel-package', '--listen', '0', '--corrupt', '1%']);
    expect(await r.done).toBe(2);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
    expect(r.stderr()).toMatch(/--corrupt: ariel-package rides on TCP/);
  });
});

/** A target that keeps everything it reads and, once the client has half-closed, answers and closes. */
async function echoTarget(answer: Buffer): Promise<{ port: number; got: Promise<Buffer>; server: net.Server }> {
  const server = net.createServer({ allowHalfOpen: true });
  const got = new Promise<Buffer>((resolve) => {
    server.once('connection', (s) => {
      const parts: Buffer[] = [];
      s.on('data', (c) => parts.push(c));
      s.on('end', () => { s.end(answer); resolve(Buffer.concat(parts)); });
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { port: (server.address() as net.AddressInfo).port, got, server };
}

function clientThrough(port: number, chunks: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, async () => {
      for (const c of chunks) { s.write(c); await new Promise((res) => setTimeout(res, 5)); }
      s.end();
    });
    const parts: Buffer[] = [];
    s.on('data', (c) => parts.push(c));
    s.on('end', () => { resolve(Buffer.concat(parts)); s.destroy(); });
    s.on('close', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });
}

function msg(pos: number, text: string): Buffer {
  return pkg.encode({ header: 'MSG', payload: text, seq: pos, sent_time: 0, ack: false, prev_seq: pos, pos }, undefined, { params: { N: 4 } });
}

describe('TcpEmulator: the byte stream', () => {
  test('misframed bytes pass untouched and in place; a dropped record is the only thing missing', async () => {
    const garbage = Buffer.from('not a record at all, 31 bytes!!');
    const [m1, m2, m3] = [msg(1, 'abcd'), msg(2, 'efgh'), msg(3, 'ijkl')];
    const answer = Buffer.concat([Buffer.from('XY'), msg(0, 'zz')]);
    const target = await echoTarget(answer);
    const em = await TcpEmulator.start({ listenPort: 0, target: { host: '127.0.0.1', port: target.port }, dissector: pkg, impairments: { dropData: [2], seed: 1 } });
    try {
      // m2 split across writes, garbage between records and at the very end (never completed).
      const back = await clientThrough(em.port, [m1, garbage, m2.subarray(0, 10), m2.subarray(10), m3, Buffer.from('MS')]);
      const got = await target.got;
      expect(got.equals(Buffer.concat([m1, garbage, m3, Buffer.from('MS')]))).toBe(true);
      // The answer after the client's half-close still reaches it, unframed prefix included.
      expect(back.equals(answer)).toBe(true);
      expect(em.stats.dropped).toBe(1);
      // The garbage and both unfinished tails pass unframed. When m1 and the garbage arrive in
      // one read (a loaded machine), m1 passes unframed too: the cutter trusts a record only
      // when the bytes after it can start one. Either way no byte is lost or changed.
      expect([garbage.length + 2 + 2, garbage.length + 2 + 2 + m1.length]).toContain(em.stats.unframedBytes);
    } finally {
      em.close();
      target.server.close();
    }
  }, 10_000);

  test('a stream of nothing but garbage is forwarded while it flows, not held until the close', async () => {
    const garbage = Buffer.alloc(3 << 20, 0x7e); // '~': no record starts with it
    let seen = 0;
    let reached: () => void;
    const mostArrived = new Promise<void>((res) => { reached = res; });
    const server = net.createServer((s) => s.on('data', (c) => { seen += c.length; if (seen >= garbage.length - (1 << 20)) reached(); }));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const em = await TcpEmulator.start({ listenPort: 0, target: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, dissector: pkg, impairments: {} });
    const client = net.connect({ host: '127.0.0.1', port: em.port });
    try {
      await new Promise<void>((res) => client.once('connect', () => res()));
      client.write(garbage); // and the connection stays open
      await mostArrived; // would hang (and time out) if the emulator held everything until the close
      expect(seen).toBeGreaterThanOrEqual(garbage.length - (1 << 20));
    } finally {
      client.destroy();
      em.close();
      server.close();
    }
  }, 10_000);

  test('each connection is relayed to a target connection of its own and recorded in its own file', async () => {
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      const parts: Buffer[] = [];
      s.on('data', (c) => parts.push(c));
      s.on('end', () => s.end(Buffer.concat(parts))); // echo, so each client sees its own bytes
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const record = path.join(dir, 'two.pcapng');
    const em = await TcpEmulator.start({ listenPort: 0, target: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, dissector: pkg, impairments: {}, record });
    try {
      const [a, b] = await Promise.all([clientThrough(em.port, [msg(1, 'aaaa'), msg(2, 'bbbb')]), clientThrough(em.port, [msg(7, 'cccc')])]);
      expect(a.equals(Buffer.concat([msg(1, 'aaaa'), msg(2, 'bbbb')]))).toBe(true);
      expect(b.equals(msg(7, 'cccc'))).toBe(true);
      for (let i = 0; i < 100 && !fs.existsSync(path.join(dir, 'two.2.pcapng.drops.json')); i++) await new Promise((res) => setTimeout(res, 20));
      const pos = [record, path.join(dir, 'two.2.pcapng')].map((f) => decodeRecords(f).map((r) => r.pos).sort().join(','));
      expect(pos.sort()).toEqual(['1,1,2,2', '7,7']); // each record there and back
    } finally {
      em.close();
      server.close();
    }
  }, 10_000);

  test('an unreachable target closes the client\'s connection and says so', async () => {
    const closed = await new Promise<net.Server>((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => res(s)); });
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((res) => closed.close(() => res()));
    const lines: string[] = [];
    const em = await TcpEmulator.start({ listenPort: 0, target: { host: '127.0.0.1', port: deadPort }, dissector: pkg, impairments: {}, log: (l) => lines.push(l) });
    try {
      const back = await clientThrough(em.port, [msg(1, 'abcd')]).catch(() => Buffer.alloc(0));
      expect(back.length).toBe(0);
      expect(lines.join('\n')).toMatch(/unreachable \(ECONNREFUSED\)/);
    } finally {
      em.close();
    }
  }, 10_000);

  test('a protocol that does not ride on TCP is refused', async () => {
    await expect(TcpEmulator.start({ listenPort: 0, target: { host: '127.0.0.1', port: 9 }, dissector: new DissectorRegistry().get('sock352'), impairments: {} })).rejects.toThrow(/rides on udp, not TCP/);
  });
});
