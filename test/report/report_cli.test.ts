/**
 * `acktrace plot`, `acktrace report` and `acktrace demo` from the command line: files written,
 * formats, and bad input as one line with exit 2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './seed_views.js';

function acktrace(args: string[], timeout = 60_000) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli/main.js'), ...args], { cwd: REPO, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(path.join(tmpdir(), 'acktrace-report-'));
const GOLDEN = path.join(REPO, 'test/report/golden');

describe('acktrace plot', () => {
  it('writes the same SVG as the library (golden) for each kind', () => {
    const dir = tmp();
    for (const kind of ['seq', 'ladder', 'inflight', 'rtt']) {
      const out = path.join(dir, `${kind}.svg`);
      const r = acktrace(['plot', 'fixtures/seeds/sock352_gbn_drop3.pcap', '-d', 'sock352', '--kind', kind, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(GOLDEN, `sock352_gbn_drop3.${kind}.svg`), 'utf8'));
    }
  });

  it('prints to stdout and honours --from/--to', () => {
    const r = acktrace(['plot', 'fixtures/seeds/ariel_package_drop4.pcapng', '--kind', 'ladder', '--from', '6', '--to', '13']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('<svg')).toBe(true);
    expect(r.stdout).toContain('frames 6–13 of 4–23');
    expect((r.stdout.match(/class="arrow( retransmission)?"/g) ?? []).length).toBe(9);
  });

  it('bad input: one line, exit 2', () => {
    for (const args of [
      ['plot', 'fixtures/seeds/sock352_gbn_drop3.pcap', '--kind', 'pie'],
      ['plot', 'fixtures/seeds/sock352_gbn_drop3.pcap', '--from', 'yesterday'],
      ['plot', 'fixtures/seeds/sock352_gbn_drop3.pcap', '-d', 'sock352', '--connection', '9'],
      ['plot', 'no/such.pcap'],
      ['report', 'fixtures/seeds/sock352_gbn_drop3.pcap', '--out', 'x.pdf'],
      ['report', 'fixtures/seeds/sock352_gbn_drop3.pcap', '--scenario', 'README.md'],
    ]) {
      const r = acktrace(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^acktrace: /);
    }
  });

  it('a file that is not a capture is an input error', () => {
    const f = path.join(tmp(), 'junk.pcap');
    writeFileSync(f, 'not a capture at all');
    const r = acktrace(['report', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^acktrace: .*junk\.pcap/);
  });
});

describe('acktrace report', () => {
  it('HTML is one self-contained file with verdicts, figures and the loss timeline', () => {
    const out = path.join(tmp(), 'r.html');
    const r = acktrace(['report', 'fixtures/seeds/ariel_package_drop4.pcap', '--scenario', 'fixtures/scenarios/seed-package-drop4.json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBe(4);
    expect(html).toContain('Scenario verdict');
    expect(html).toContain('MSG seq=4 lost');
    expect(html).not.toMatch(/<script|<link|(src|href)="https?:/);
  });

  it('Markdown with SVG files beside it', () => {
    const dir = tmp();
    const r = acktrace(['report', 'fixtures/seeds/csee4119_drop1500.pcap', '-d', 'csee4119-tcp', '--out', path.join(dir, 'lab.md')]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(path.join(dir, 'lab.md'), 'utf8');
    for (const k of ['seq', 'ladder', 'inflight', 'rtt']) {
      expect(md).toContain(`](lab-${k}.svg)`);
      expect(existsSync(path.join(dir, `lab-${k}.svg`))).toBe(true);
    }
    expect(md).toMatch(/\| frame \| time \(s\) \| direction \|/);
  });

  it('tables in every format, same columns', () => {
    const cols: string[][] = [];
    for (const f of ['table', 'md', 'csv', 'json']) {
      const r = acktrace(['report', 'fixtures/seeds/sock352_gbn_drop3.pcap', '-d', 'sock352', '--format', f]);
      expect(r.code, r.stderr).toBe(0);
      if (f === 'csv') cols.push(r.stdout.split('\n')[0].split(','));
      if (f === 'json') cols.push(Object.keys(JSON.parse(r.stdout).Overview[0]));
      if (f === 'md') cols.push(r.stdout.split('\n').find((l) => l.startsWith('| conn | dissector'))!.split('|').map((s) => s.trim()).filter(Boolean));
    }
    expect(cols[1]).toEqual(cols[0]);
    expect(cols[2]).toEqual(cols[0]);
  });
});

describe('acktrace demo', () => {
  it('transfers over loopback with drops 4, 9, 10, prints the verdicts and writes report.html, within seconds', () => {
    const dir = tmp();
    const t = Date.now();
    const r = acktrace(['demo', '--protocol', 'sock352', '--out', dir], 30_000);
    expect(Date.now() - t).toBeLessThan(15_000);
    expect([0, 1], r.stderr).toContain(r.code); // 1 when a rule fails: the verdict is the checker's
    expect(r.stdout).toMatch(/3 dropped \(4, 9, 10\)/);
    expect(r.stdout).toContain('delivered intact');
    expect(r.stdout).toMatch(/drops-retransmitted\s+│ PASS/);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect((html.match(/class="drop"/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(existsSync(path.join(dir, 'run.pcap'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8')).impairments.data.seq).toEqual([4, 9, 10]);
  });
});
