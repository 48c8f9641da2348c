/**
 * Reused address/port pairs: two runs in a row on the same 4-tuple are two connections, each with
 * its own id, key and clean timeline, and the second one's opening segment is flagged
 * `reused-ports` (tshark's tcp.analysis.reused_ports). The kernel-TCP fixture is also compared
 * with tshark live in tcp_vs_tshark.test.ts; here it is held to the oracle stored beside it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { PortReuseTracker, type ReuseView } from '../../src/dissect/port_reuse.js';
import { ScriptedCapture } from '../check/scripted_capture.js';
import { analyzeFile } from './analyze_file.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REUSE = path.join(ROOT, 'fixtures/reuse');
const registry = new DissectorRegistry();

const analyze = analyzeFile;

const RESENT = ['retransmission', 'spurious-retransmission', 'out-of-order', 'gap', 'dup-ack', 'ack-unseen'];

describe('reused ports', () => {
  test('kernel TCP twice on one 4-tuple: connections, reused-ports and window updates as in the stored tshark oracle', () => {
    const oracle = readFileSync(path.join(REUSE, 'tcp_reuse_lo.tshark.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const { entries, connections } = analyze(path.join(REUSE, 'tcp_reuse_lo.pcap'), 'tcp');
    expect(entries).toHaveLength(oracle.length);
    const byFrame = new Map(entries.map((e) => [e.frame, e]));
    for (const [frame, stream, reused, update] of oracle) {
      const e = byFrame.get(Number(frame))!;
      expect(e, `frame ${frame}`).toBeDefined();
      expect(e.connection, `frame ${frame} connection`).toBe(Number(stream) + 1);
      expect(e.flags.includes('reused-ports'), `frame ${frame} reused-ports`).toBe(reused === '1');
      expect(e.flags.includes('window-update'), `frame ${frame} window-update`).toBe(update === '1');
    }
    expect(new Set(oracle.map((r) => r[1])).size).toBe(2);
    expect(connections.map((c) => c.id)).toEqual([1, 2]);
    expect(connections[1].key).toBe(`${connections[0].key} #2`);
    for (const c of connections) {
      expect(c.handshake).toBe('complete');
      expect(c.teardown).toBe('closed');
      expect(c.forward.uniqueBytes).toBe(30000);
      expect(c.forward.retransmittedPackets).toBe(0);
    }
  });

  test('csee4119-tcp twice from one sender port (acktrace send/receive): two clean connections', () => {
    const { entries, connections } = analyze(path.join(REUSE, 'csee4119_reuse_lo.pcap'), 'csee4119-tcp');
    expect(connections).toHaveLength(2);
    const [a, b] = connections;
    expect(a.client).toBe(b.client);
    expect(a.server).toBe(b.server);
    expect(b.key).toBe(`${a.key} #2`);
    expect(b.firstFrame).toBeGreaterThan(a.lastFrame);
    for (const c of connections) {
      expect(c.handshake, `connection ${c.id}`).toBe('complete');
      expect(c.teardown, `connection ${c.id}`).toBe('closed');
      expect(c.forward.uniqueBytes).toBe(6000);
      expect(c.forward.retransmittedPackets).toBe(0);
      expect(c.forward.rtt.samples).toBeGreaterThan(0);
    }
    const second = entries.filter((e) => e.connection === 2);
    expect(second[0].syn && second[0].frame === b.firstFrame).toBe(true);
    expect(second[0].flags).toContain('reused-ports');
    expect(second[0].seq).toBe(0);
    expect(entries.filter((e) => e.flags.includes('reused-ports')).map((e) => e.frame)).toEqual([b.firstFrame]);
    // The second run's SYN at seq 0 and its data are no retransmissions of the first run.
    expect(entries.filter((e) => e.flags.some((f) => RESENT.includes(f)))).toEqual([]);
  });

  test('sock352: a new SYN after data starts a connection; SYN-marked data and a repeated SYN do not', () => {
    const d = registry.get('sock352');
    const cap = new ScriptedCapture(d, 'udp', ['10.0.0.1', 38911], ['10.0.0.2', 38912]);
    const h = (flags: number, seq: number, ack: number, len = 0) => ({ version: 1, flags, header_len: 40, sequence_no: seq, ack_no: ack, window: 4, payload_len: len });
    const data = (n: number) => cap.encode(h(0x01, n, 0, 8), Buffer.from('abcdefgh')); // student code marks data with SYN
    let t = 0;
    for (const run of [1, 2]) {
      cap.send((t += 0.001), 'c', cap.encode(h(0x01, 0, 0)));
      if (run === 2) cap.send((t += 0.001), 'c', cap.encode(h(0x01, 0, 0))); // the SYN again before an answer
      cap.send((t += 0.001), 's', cap.encode(h(0x04, 0, 1))).send((t += 0.001), 'c', cap.encode(h(0x04, 1, 1)));
      for (const n of [1, 2, 3]) cap.send((t += 0.001), 'c', data(n));
      for (const a of [2, 3, 4]) cap.send((t += 0.001), 's', cap.encode(h(0x04, 0, a)));
      if (run === 1) continue; // the first run ends without a FIN: data alone marks it used
      cap.send((t += 0.001), 'c', cap.encode(h(0x02, 4, 0))).send((t += 0.001), 's', cap.encode(h(0x04, 0, 5)));
    }
    const file = cap.write(path.join(mkdtempSync(path.join(tmpdir(), 'acktrace-reuse-')), 'sock352_twice.pcap'));
    const { entries, connections } = analyze(file, 'sock352');
    expect(connections.map((c) => [c.id, c.forward.dataPackets, c.forward.uniqueUnits])).toEqual([[1, 3, 3], [2, 3, 3]]);
    expect(entries.filter((e) => e.flags.includes('reused-ports')).map((e) => e.frame)).toEqual([10]);
    expect(entries.filter((e) => e.connection === 2).map((e) => e.frame)[0]).toBe(10);
    expect(entries.filter((e) => e.flags.includes('retransmission'))).toEqual([]);
  });

  test('acktrace analyze --json numbers the reused connection 2 in summaries and frames', () => {
    const r = spawnSync('node', [path.join(ROOT, 'dist/cli/main.js'), 'analyze', 'fixtures/reuse/csee4119_reuse_lo.pcap', '-d', 'csee4119-tcp', '--json', '--frames'], { encoding: 'utf8', cwd: ROOT, timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { connections: Array<{ id: number; key: string }>; frames: Array<{ frame: number; connection: number; flags: string[] }> };
    expect(doc.connections.map((c) => c.id)).toEqual([1, 2]);
    const firstOf2 = doc.frames.find((f) => f.connection === 2)!;
    expect(firstOf2.flags).toContain('reused-ports');
    expect(doc.frames.filter((f) => f.connection === 1).every((f) => f.frame < firstOf2.frame)).toBe(true);
  });
});

describe('PortReuseTracker', () => {
  const v = (o: Partial<ReuseView>): ReuseView => ({ syn: false, hasAck: false, fin: false, rst: false, data: false, seq: null, ack: null, ...o });
  const syn = (seq: number) => v({ syn: true, seq });

  test('TCP: a SYN with the ISN again is a retransmission, with another ISN a new conversation', () => {
    const t = new PortReuseTracker(true);
    t.note('c', 's', syn(100));
    expect(t.reopenedBy('c', syn(100))).toBe(false);
    expect(t.reopenedBy('c', syn(5000))).toBe(true);
    expect(t.reopenedBy('c', v({ syn: true, hasAck: true, seq: 5000 }))).toBe(false); // a SYN-ACK opens nothing
  });

  test('TCP: the base comes from the first segment or the peer\'s ACK when the SYN was not captured', () => {
    const t = new PortReuseTracker(true);
    t.note('s', 'c', v({ hasAck: true, seq: 700, ack: 101, data: true }));
    expect(t.reopenedBy('c', syn(100))).toBe(false); // ack 101 - 1: the ISN the client used
    expect(t.reopenedBy('c', syn(4000))).toBe(true);
  });

  test('a FIN closes; a RST before any data (a refused handshake retried) does not', () => {
    const t = new PortReuseTracker(true);
    t.note('c', 's', syn(100));
    t.note('s', 'c', v({ rst: true, hasAck: true, ack: 101 }));
    expect(t.reopenedBy('c', syn(100))).toBe(false);
    t.note('c', 's', v({ fin: true, hasAck: true, seq: 101 }));
    expect(t.reopenedBy('c', syn(100))).toBe(true);
  });

  test('course protocols: SYN at seq 0 every run; data decides, SYN-marked data never opens', () => {
    const t = new PortReuseTracker(false);
    t.note('c', 's', syn(0));
    expect(t.reopenedBy('c', syn(0))).toBe(false);
    t.note('c', 's', v({ syn: true, seq: 1, data: true }));
    expect(t.reopenedBy('c', v({ syn: true, seq: 2, data: true }))).toBe(false);
    expect(t.reopenedBy('c', syn(0))).toBe(true);
  });
});
