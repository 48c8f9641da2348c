/**
 * Coalesced ACKs (CoreConfig.coalesceAcks): a batch of in-order arrivals is ACKed every few packets, while
 * anything out of order is still ACKed at once, so loss recovery by duplicate ACKs is intact;
 * and sock352's fast go-back under random loss recovers by duplicates, not by its timer.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { COALESCED_ACK_EVERY } from '../../src/endpoint/core/core_event.js';
import { defaultConfig, type EndpointProtocol } from '../../src/endpoint/core/protocol_cores.js';
import { runTransfer } from '../../src/endpoint/run_transfer.js';
import { simulateTransfer } from '../../src/endpoint/sim_transfer.js';

const reg = new DissectorRegistry();
const root = path.resolve(__dirname, '../..');
const data = Buffer.from(Array.from({ length: 200 * 1000 }, (_, i) => (i * 13 + (i >> 9)) & 0xff));
const protocols: EndpointProtocol[] = ['sock352', 'csee4119-tcp'];

describe.each(protocols)('%s receiver with coalesced ACKs', (protocol) => {
  const base = { ...defaultConfig(protocol), window: 16, mss: 1000, timeout: 2, fastGoBack: protocol === 'sock352', adaptiveRto: protocol === 'sock352' };

  test('a window arriving at one instant is ACKed every few packets, not each, and the file arrives intact', () => {
    const each = simulateTransfer({ dissector: reg.get(protocol), data, config: base });
    const once = simulateTransfer({ dissector: reg.get(protocol), data, config: { ...base, coalesceAcks: true } });
    expect(each.ok && once.ok).toBe(true);
    expect(once.received.equals(data)).toBe(true);
    const dataSegments = Math.ceil(data.length / 1000);
    expect(each.receiverStats.segmentsSent).toBeGreaterThanOrEqual(dataSegments);
    // One ACK per COALESCED_ACK_EVERY packets (a window of 16 arrives at one instant), plus the handshake's and the close's.
    expect(once.receiverStats.segmentsSent).toBeLessThanOrEqual(Math.ceil(dataSegments / COALESCED_ACK_EVERY) + 4);
    expect(once.receiverStats.segmentsSent).toBeGreaterThanOrEqual(Math.floor(dataSegments / COALESCED_ACK_EVERY));
  });

  test('a gap is still answered by duplicate ACKs at once: the loss is recovered long before the 2 s timer', () => {
    const r = simulateTransfer({ dissector: reg.get(protocol), data, config: { ...base, coalesceAcks: true }, impairments: { dropData: protocol === 'sock352' ? [50] : [1 + 49 * 1000] } });
    expect(r.ok).toBe(true);
    expect(r.drops.length).toBe(1);
    expect(r.senderStats.fastRecoveries).toBeGreaterThanOrEqual(1);
    expect(r.senderStats.timeouts).toBe(0);
    expect(r.seconds).toBeLessThan(1);
  });

  test('over real loopback sockets', async () => {
    const r = await runTransfer({ protocol, bytes: data, window: 32, mss: 1000, timeout: 0.2, coalesceAcks: true, over: 'loopback' });
    expect(r.ok).toBe(true);
    expect(r.received.equals(data)).toBe(true);
  });
});

describe('sock352 fast go-back under random loss', () => {
  test.each([1, 2, 3, 4])('seed %i: losses are recovered by duplicate ACKs, the timer almost never fires', (seed) => {
    const config = { ...defaultConfig('sock352'), window: 16, mss: 1000, timeout: 0.05, fastGoBack: true, adaptiveRto: true, coalesceAcks: seed % 2 === 0 };
    const r = simulateTransfer({ dissector: reg.get('sock352'), data: Buffer.concat([data, data]), config, impairments: { loss: 0.05, seed } });
    expect(r.ok).toBe(true);
    expect(r.drops.length).toBeGreaterThan(20);
    expect(r.senderStats.fastRecoveries).toBeGreaterThan(5 * Math.max(1, r.senderStats.timeouts));
  });
});

describe('coalesced ACKs and ACK drop lists', () => {
  test('the library refuses a drop list of ACK numbers that may never be sent', async () => {
    await expect(runTransfer({ protocol: 'sock352', bytes: data, coalesceAcks: true, impairments: { dropAcks: [4] } })).rejects.toThrow(/skip ACK numbers/);
    const byIndex = await runTransfer({ protocol: 'sock352', bytes: data, coalesceAcks: true, impairments: { dropAcks: [2], dropBy: 'index' } });
    expect(byIndex.ok).toBe(true);
    expect(byIndex.drops.length).toBeGreaterThanOrEqual(1); // each end's second ACK
    expect(byIndex.drops.every((d) => d.cls === 'ack' && d.index === 2)).toBe(true);
  });

  test('the CLI says so in one line with exit 2, and sender options are checked against the protocol', () => {
    const cli = path.join(root, 'dist/cli/main.js');
    const rec = spawnSync('node', [cli, 'receive', '-p', 'sock352', '--port', '0', '--out', '/dev/null', '--coalesce-acks', '--drop-acks', '4'], { encoding: 'utf8', timeout: 10000 });
    expect(rec.status).toBe(2);
    expect(rec.stderr.trim().split('\n')).toHaveLength(1);
    expect(rec.stderr).toMatch(/--coalesce-acks/);
    const snd = spawnSync('node', [cli, 'send', '-p', 'csee4119-tcp', path.join(root, 'package.json'), '--to', '127.0.0.1:9', '--fast-go-back'], { encoding: 'utf8', timeout: 10000 });
    expect(snd.status).toBe(2);
    expect(snd.stderr).toMatch(/sock352 option/);
  });
});
