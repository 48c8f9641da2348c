/** `acktrace check` as a TA runs it: exit codes, NDJSON for the autograder, JUnit, batches on worker threads. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/check/scenario_file.js';
import { packageRun } from './package_runs.js';

const root = resolve(__dirname, '../..');
const cli = resolve(root, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'acktrace-check-cli-'));
const scenario = resolve(root, 'fixtures/scenarios/package-lost-data.json');
const MESSAGE = '"aaaaabbbbbccccccddddddeeeeffffffggggghhhhiiiijjjjkkkklllll"';

function acktrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sc = loadScenario(scenario);
const good = packageRun(sc.dissector, { message: MESSAGE, window: 3, timeout: 2, N: 4, dropData: [4, 9, 10] }).write(join(dir, 'good.pcap'));
const bad = packageRun(sc.dissector, { message: MESSAGE, window: 3, timeout: 2, N: 4, dropData: [4, 9, 10], overrunWindow: true }).write(join(dir, 'bad.pcap'));

describe('acktrace check', () => {
  it('exit 0 and a verdict table when the run passes', () => {
    const r = acktrace(['check', good, '--scenario', scenario]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('good.pcap: PASS (score 100)');
    expect(r.stdout).toMatch(/drops-retransmitted\s+│ PASS/);
  });

  it('exit 1 when a rule fails, with the failing frames under the table', () => {
    const r = acktrace(['check', bad, '--scenario', scenario, '--format', 'md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\| window \| FAIL \|/);
    expect(r.stdout).toMatch(/window: frame \d+: seq \d+: 4 in flight/);
  });

  it('--json: one autograder object per capture, --junit: a failure per failed rule', () => {
    const junit = join(dir, 'check.xml');
    const r = acktrace(['check', good, bad, '-s', scenario, '--json', '--junit', junit, '--jobs', '2']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.verdict])).toEqual([[good, 'PASS'], [bad, 'FAIL']]);
    expect(lines[0].score).toBe(100);
    expect(lines[1].score).toBeLessThan(100);
    expect(lines[1].rules.find((x: { id: string }) => x.id === 'window').frames.length).toBeGreaterThan(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<failure /g)?.length).toBe(1);
    expect(xml).toContain('name="window: in-flight never above the window"');
  });

  it('checks a directory of captures in parallel, same verdicts as one by one', () => {
    const batch = mkdtempSync(join(tmpdir(), 'acktrace-batch-'));
    for (let i = 0; i < 12; i++) copyFileSync(i % 3 ? good : bad, join(batch, `run-${String(i).padStart(2, '0')}.pcap`));
    writeFileSync(join(batch, 'notes.txt'), 'not a capture');
    const r = acktrace(['check', batch, '-s', scenario, '--json', '--jobs', '3']);
    expect(r.code).toBe(1);
    const v = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(v.length).toBe(12);
    expect(v.map((x) => x.verdict)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 3 ? 'PASS' : 'FAIL')));
    const glob = acktrace(['check', join(batch, 'run-0?.pcap'), '-s', scenario, '--json']);
    expect(glob.stdout.trim().split('\n').length).toBe(10);
  });

  for (const [what, args, message] of [
    ['a missing scenario', ['check', 'x.pcap', '-s', join(dir, 'none.json')], /cannot read scenario/],
    ['no --scenario', ['check', 'x.pcap'], /required option/],
    ['a missing capture', ['check', join(dir, 'none.pcap'), '-s', scenario], /no such file/],
    ['a bad --jobs', ['check', 'x.pcap', '-s', scenario, '--jobs', '0'], /--jobs 0/],
  ] as const) {
    it(`exit 2 for ${what}, one line, no stack trace`, () => {
      const r = acktrace([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('exit 2 for an unreadable capture in a batch, the others still checked', () => {
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, 'not a capture at all');
    const r = acktrace(['check', good, junk, '-s', scenario, '--json']);
    expect(r.code).toBe(2);
    const v = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(v.map((x) => x.verdict)).toEqual(['PASS', 'ERROR']);
    expect(r.stderr.trim().split('\n').length).toBe(1);
  });
});
