/**
 * The command line as a person meets it: help with an example for every command, one-line
 * errors with exit code 2 for bad input (never a stack trace), warnings for damaged captures.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectorJsonSchema } from '../../src/codec/dissector_schema.js';

const root = resolve(__dirname, '../..');
const cli = resolve(root, 'dist/cli/main.js');

export function acktrace(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function commandsOf(helpText: string): string[] {
  const section = helpText.split('Commands:')[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

describe('help', () => {
  it('lists the commands, and every command (and subcommand) has --help with an example', () => {
    const top = acktrace(['--help']);
    expect(top.code).toBe(0);
    const cmds = commandsOf(top.stdout);
    expect(cmds).toEqual(expect.arrayContaining(['decode', 'dissector']));
    const leaves: string[][] = [];
    for (const c of cmds) {
      const h = acktrace([c, '--help']);
      expect(h.code, c).toBe(0);
      const subs = commandsOf(h.stdout);
      if (subs.length) subs.forEach((s) => leaves.push([c, s]));
      else leaves.push([c]);
    }
    for (const leaf of leaves) {
      const h = acktrace([...leaf, '--help']);
      expect(h.code, leaf.join(' ')).toBe(0);
      expect(h.stdout, leaf.join(' ')).toMatch(/Example/);
    }
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(acktrace(['--version']).stdout.trim()).toBe(pkg.version);
  });
});

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acktrace-cli-'));

  it('a missing file: one line naming it, exit 2', () => {
    const r = acktrace(['decode', join(dir, 'nope.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nope\.pcap/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('garbage: one line naming the file and byte offset, exit 2', () => {
    const f = join(dir, 'garbage.bin');
    writeFileSync(f, Buffer.from('GIF89a this is not a capture at all'));
    const r = acktrace(['decode', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/garbage\.bin: byte 0: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a truncated capture: everything before the damage, then one warning with the offset', () => {
    const src = resolve(root, 'fixtures/seeds/sock352_gbn_drop3.pcap');
    const f = join(dir, 'cut.pcap');
    copyFileSync(src, f);
    truncateSync(f, statSync(src).size - 30);
    const whole = acktrace(['decode', src, '-d', 'sock352', '--json']);
    const cut = acktrace(['decode', f, '-d', 'sock352', '--json']);
    expect(cut.code).toBe(0);
    const w = whole.stdout.trim().split('\n');
    const c = cut.stdout.trim().split('\n');
    expect(c).toEqual(w.slice(0, w.length - 1));
    expect(cut.stderr.trim()).toMatch(/^acktrace: warning: .*cut\.pcap: .*truncated record at byte \d+/);
  });

  it('every capture-reading command: garbage is one line with exit 2, a truncated capture still works with a warning', () => {
    const garbage = join(dir, 'junk.pcapng');
    writeFileSync(garbage, Buffer.from('\x0a\x0d\x0d\x0a\xff\xff\xff\xff garbage after a pcapng magic', 'latin1'));
    const src = resolve(root, 'fixtures/seeds/csee4119_drop1500.pcap');
    const cut = join(dir, 'cut2.pcap');
    copyFileSync(src, cut);
    truncateSync(cut, statSync(src).size - 100);
    const scenario = resolve(root, 'fixtures/scenarios/seed-csee4119-drop1500.json');
    const commands: Array<(f: string) => string[]> = [
      (f) => ['analyze', f],
      (f) => ['check', f, '--scenario', scenario],
      (f) => ['report', f],
      (f) => ['plot', f, '--kind', 'seq', '--out', join(dir, 'p.svg')],
    ];
    for (const c of commands) {
      const bad = acktrace(c(garbage));
      expect(bad.code, c(garbage).join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n'), c(garbage).join(' ')).toHaveLength(1);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
      const ok = acktrace(c(cut));
      expect(ok.stderr, c(cut).join(' ')).toMatch(/truncated/);
      expect(ok.stderr).not.toMatch(/\n\s+at /);
      expect([0, 1], c(cut).join(' ')).toContain(ok.code); // check may fail a rule on the shortened run
    }
  });

  it('malformed Wireshark JSON: one line with the offset, exit 2', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '[\n  {"_source": {"layers": {"frame": {"frame.number": "1" ]]]');
    const r = acktrace(['decode', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/bad\.json: byte \d+/);
  });

  it('unknown dissector, bad --port and bad --format are usage errors (exit 2)', () => {
    const src = resolve(root, 'fixtures/seeds/sock352_gbn_drop3.pcap');
    expect(acktrace(['decode', src, '-d', 'no-such-thing']).code).toBe(2);
    expect(acktrace(['decode', src, '--port', '99999']).code).toBe(2);
    expect(acktrace(['decode', src, '--format', 'xml']).code).toBe(2);
    expect(acktrace(['frobnicate']).code).toBe(2);
  });
});

describe('dissector command', () => {
  it('list shows the shipped dissectors; show describes seed 004 with native alignment', () => {
    const list = acktrace(['dissector', 'list', '--json']);
    const names = JSON.parse(list.stdout).map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['sock352', 'csee4119-tcp', 'ariel-package', 'tcp']));
    const show = acktrace(['dissector', 'show', 'ariel-package', '--format', 'csv']);
    expect(show.stdout).toMatch(/^16,4,i32,little,seq,/m);
    expect(show.stdout).toMatch(/^24,8,f64,little,sent_time,/m);
  });

  it('new scaffolds a file that loads and decodes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acktrace-new-'));
    const r = acktrace(['dissector', 'new', '--struct', '!BBBBHHLLQQLL', '--fields', 'version,flags,opt_ptr,protocol,header_len,checksum,source_port,dest_port,sequence_no,ack_no,window,payload_len', '--name', 'mine']);
    expect(r.code).toBe(0);
    const spec = JSON.parse(r.stdout);
    expect(spec.roles).toMatchObject({ seq: 'sequence_no', ack: 'ack_no', window: 'window', payloadLength: 'payload_len', flags: 'flags' });
    const f = join(dir, 'mine.json');
    writeFileSync(f, r.stdout);
    const d = acktrace(['decode', resolve(root, 'fixtures/seeds/sock352_gbn_drop3.pcap'), '-d', f, '--json']);
    expect(d.code).toBe(0);
    const sock = acktrace(['decode', resolve(root, 'fixtures/seeds/sock352_gbn_drop3.pcap'), '-d', 'sock352', '--json']);
    const a = d.stdout.trim().split('\n').map((l) => JSON.parse(l).fields);
    const b = sock.stdout.trim().split('\n').map((l) => JSON.parse(l).fields);
    expect(a).toEqual(b);
    expect(acktrace(['dissector', 'new', '--struct', '!HH', '--fields', 'a']).code).toBe(2);
  });

  it('the published JSON Schema is the one the code defines', () => {
    const committed = JSON.parse(readFileSync(resolve(root, 'schema/dissector.schema.json'), 'utf8'));
    expect(committed).toEqual(dissectorJsonSchema());
  });
});
