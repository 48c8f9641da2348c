/**
 * Every frame of every shared fixture (every link type) comes out of `acktrace decode --json`
 * exactly once, in order, with its time equal to tshark's frame.time_epoch to the nanosecond;
 * and a `tshark -T json -x` export of a capture decodes exactly like the capture itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const shared = resolve(root, '../shared/fixtures');
const cli = resolve(root, 'dist/cli/main.js');

function decodeJson(file: string, extra: string[] = []): Array<Record<string, unknown>> {
  const r = spawnSync(process.execPath, [cli, 'decode', file, '--json', ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function tsharkTimes(file: string): Array<[number, string]> {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim().split('\n').map((l) => { const [n, t] = l.split('\t'); return [Number(n), t]; });
}

const captures = readdirSync(shared).filter((f) => /\.(pcap|pcapng)$/.test(f));

describe('every frame of every shared fixture', () => {
  it('finds the shared fixtures', () => expect(captures.length).toBeGreaterThanOrEqual(4));
  for (const f of captures) {
    it(f, () => {
      const file = join(shared, f);
      const ours = decodeJson(file);
      const theirs = tsharkTimes(file);
      expect(ours.map((o) => [o.frame, o.time])).toEqual(theirs);
    });
  }
});

describe('tshark -T json -x exports decode like the capture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acktrace-x-'));
  for (const [f, args] of [['udp_custom_lo.pcapng', ['-d', resolve(root, 'fixtures/dissectors/udp-custom.json')]], ['tcp_veth_eth.pcapng', []]] as const) {
    it(f, () => {
      const file = join(shared, f);
      const x = join(dir, `${f}.x.json`);
      writeFileSync(x, execFileSync('tshark', ['-r', file, '-T', 'json', '-x'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }));
      const a = decodeJson(file, [...args]);
      const b = decodeJson(x, [...args]);
      expect(b).toEqual(a);
      expect(a.filter((s) => s.dissector !== null).length).toBeGreaterThan(300);
    });
  }
});
