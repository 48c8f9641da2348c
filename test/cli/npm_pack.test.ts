/**
 * The published package works without the source tree: `npm pack`, install the tarball into
 * an empty folder, run the installed `acktrace` (version, and a decode that needs the shipped
 * dissector files).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

describe('npm pack', () => {
  it('installs elsewhere and runs', () => {
    const out = mkdtempSync(join(tmpdir(), 'acktrace-pack-'));
    execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(out, 'app');
    execFileSync('npm', ['init', '-y'], { cwd: out, stdio: 'ignore', env: { ...process.env, npm_config_init_module: '' } });
    execFileSync('npm', ['install', '--prefix', app, join(out, tarball!), '--no-audit', '--no-fund', '--prefer-offline', '--silent'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const bin = join(app, 'node_modules', '.bin', 'acktrace');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', cwd: out });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const decode = spawnSync(bin, ['decode', resolve(root, 'fixtures/seeds/ariel_package_drop4.pcap'), '--json'], { encoding: 'utf8', cwd: out });
    expect(decode.status).toBe(0);
    expect(decode.stdout).toMatch(/"dissector":"ariel-package"/);
    // the README's first command works from an installed copy too (bundled file, live loopback run)
    const demo = spawnSync(bin, ['demo', '--protocol', 'sock352', '--out', join(out, 'demo')], { encoding: 'utf8', cwd: out, timeout: 60_000 });
    expect(demo.status, demo.stderr).toBe(0);
    expect(readdirSync(join(out, 'demo'))).toContain('report.html');
    // the installed package carries no sources or tests
    expect(readdirSync(join(app, 'node_modules', 'acktrace')).sort()).toEqual(['README.md', 'dissectors', 'dist', 'fixtures', 'package.json', 'schema'].sort());
    expect(readdirSync(join(app, 'node_modules', 'acktrace', 'fixtures'))).toContain('demo');
  }, 180_000);
});
