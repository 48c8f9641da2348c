/**
 * `acktrace analyze` end to end: the built CLI on recorded captures, its JSON document and
 * its handling of bad input (one line, exit 2).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = (...args: string[]) => spawnSync('node', [path.join(ROOT, 'dist/cli/main.js'), 'analyze', ...args], { encoding: 'utf8', cwd: ROOT, timeout: 30_000 });

describe('acktrace analyze', () => {
  test('--json --frames: one document with connections and per-frame flags', () => {
    const r = cli('fixtures/seeds/sock352_gbn_drop3.pcap', '-d', 'sock352', '--json', '--frames');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { connections: Array<{ forward: { retransmittedPackets: number } }>; frames: Array<{ frame: number; connection: number; flags: string[] }> };
    expect(doc.connections).toHaveLength(1);
    expect(doc.connections[0].forward.retransmittedPackets).toBe(2);
    expect(doc.frames.filter((f) => f.flags.includes('retransmission'))).toHaveLength(2);
    expect(doc.frames.every((f) => f.connection === 1)).toBe(true);
  });

  test('--json without --frames has no frames', () => {
    const r = cli('fixtures/tcp/lossy_v4_loss3.pcap', '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['connections']);
  });

  test('summary table and --frames table (csv) name the flags', () => {
    const r = cli('fixtures/tcp/lossy_v6_jitter.pcap', '--frames', '--format', 'csv');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('frame,time,conn,dir,kind,seq,ack,len,window,in-flight,flags');
    expect(r.stdout).toMatch(/fast-retransmission/);
    expect(r.stdout).toMatch(/dup-ack#\d/);
    const t = cli('fixtures/tcp/lossy_v6_jitter.pcap');
    expect(t.stdout).toMatch(/complete/);
  });

  test('thresholds change the verdicts: a huge dup-ack threshold leaves no fast retransmission', () => {
    const r = cli('fixtures/tcp/lossy_v4_loss3.pcap', '--frames', '--format', 'csv', '--dup-ack-threshold', '1000');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/fast-retransmission/);
  });

  test('bad input: one line on stderr, exit 2', () => {
    for (const args of [['/nonexistent.pcap'], ['fixtures/README.md'], ['fixtures/tcp/lossy_v4_loss3.pcap', '--dup-ack-threshold', 'x'], ['fixtures/tcp/lossy_v4_loss3.pcap', '--format', 'xml']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.js/);
    }
  });
});
