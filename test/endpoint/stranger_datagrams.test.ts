/**
 * A running receiver on a real socket is hit by datagrams from an unexpected source (another
 * port on 127.0.0.1, sending plausible headers and junk): they are counted and ignored, and the
 * transfer still delivers a byte-identical file.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { defaultConfig } from '../../src/endpoint/core/protocol_cores.js';
import { liveReceive, liveSend } from '../../src/endpoint/live_endpoint.js';

const reg = new DissectorRegistry();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-stranger-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each(['sock352', 'csee4119-tcp'] as const)('%s: strangers are counted and ignored, the copy is byte-identical', async (protocol) => {
  const d = reg.get(protocol);
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 13 + 5) & 0xff));
  const config = { ...defaultConfig(protocol), window: 16, timeout: 0.05, idleTimeout: 10 };
  const out = path.join(dir, `${protocol}.bin`);
  let port = 0;
  const received = liveReceive(0, out, { dissector: d, config, onListening: (p) => { port = p; } });
  while (port === 0) await new Promise((r) => setTimeout(r, 1));
  const stranger = dgram.createSocket('udp4');
  await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
  // A valid-looking data segment (right header, seq 1) and plain junk, every millisecond.
  const fake = protocol === 'sock352'
    ? d.encode({ version: 1, flags: 0, header_len: 40, sequence_no: 1, payload_len: 5 }, Buffer.from('EVIL!'))
    : d.encode({ seq: 1, ack: 1, data_offset: 0x50, flags: 0x10 }, Buffer.from('EVIL!'));
  let sent = 0;
  const blast = setInterval(() => { stranger.send(sent++ % 2 ? fake : Buffer.from('junk'), port, '127.0.0.1'); }, 1);
  // Let the stranger speak first, before the real sender exists: it must not become the peer either.
  await new Promise((r) => setTimeout(r, 20));
  const s = await liveSend(data, `127.0.0.1:${port}`, { dissector: d, config });
  const r = await received;
  clearInterval(blast);
  stranger.close();
  expect(s.ok).toBe(true);
  expect(r.ok).toBe(true);
  expect(fs.readFileSync(out).equals(data)).toBe(true);
  expect(sent).toBeGreaterThan(5);
  expect(r.ignored.stranger ?? 0).toBeGreaterThan(0);
}, 30_000);
