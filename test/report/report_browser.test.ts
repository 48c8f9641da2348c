/**
 * The report as a reader sees it: headless Chromium (Debian's, driven by playwright-core)
 * opens a generated report.html from disk with the network off, and every figure and table
 * must have rendered with the number of arrows and marks the report says it drew. A
 * screenshot goes to test-output/report/ for a person to look at.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './seed_views.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(REPO, 'test-output/report');
const profile = mkdtempSync(path.join(tmpdir(), 'acktrace-chromium-'));
afterAll(() => rmSync(profile, { recursive: true, force: true }));

function makeReport(capture: string, scenario: string, out: string): void {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli/main.js'), 'report', capture, '--scenario', scenario, '--out', out], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
}

describe('report.html in headless Chromium', () => {
  it('renders every figure and table, offline, with the counted arrows and marks', async () => {
    // CI installs chromium (.ci/run); a machine without it fails here rather than skipping silently.
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install chromium`).toBe(true);
    mkdirSync(OUT, { recursive: true });
    const html = path.join(OUT, 'sock352_gbn_drop3.html');
    makeReport('fixtures/seeds/sock352_gbn_drop3.pcap', 'fixtures/scenarios/seed-sock352-gbn-drop3.json', html);
    expect(readFileSync(html, 'utf8')).not.toMatch(/(src|href)="https?:/);

    // A fresh profile directory (playwright passes it as --user-data-dir).
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 30_000, offline: true, viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      await page.goto(pathToFileURL(html).href, { timeout: 30_000 });
      const figures = await page.$$eval('figure.figure', (fs) => fs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const d = (f as unknown as { dataset: Record<string, string | undefined> }).dataset;
        return {
          kind: d.kind, width: box?.width ?? 0, height: box?.height ?? 0,
          arrows: f.querySelectorAll('.arrow:not(.dropped)').length, drops: f.querySelectorAll('.drop').length,
          marks: f.querySelectorAll('.mark.data, .mark.retransmission').length, samples: f.querySelectorAll('.mark.sample').length,
          said: { arrows: Number(d.arrows), drops: Number(d.drops), marks: Number(d.marks), samples: Number(d.samples) },
        };
      }));
      expect(figures.map((f) => f.kind)).toEqual(['seq', 'ladder', 'inflight', 'rtt']);
      for (const f of figures) {
        expect(f.width, f.kind).toBeGreaterThan(300);
        expect(f.height, f.kind).toBeGreaterThan(200);
      }
      const [seq, ladder, , rtt] = figures;
      // The capture has 25 segments (one arrow each) and one recorded drop; 9 data segments, 2 resent.
      expect(ladder.arrows).toBe(25);
      expect(ladder.said.arrows).toBe(25);
      expect(ladder.drops).toBe(1);
      expect(seq.marks).toBe(9);
      expect(seq.said.marks).toBe(9);
      expect(seq.drops).toBe(1);
      expect(rtt.samples).toBe(rtt.said.samples);
      expect(rtt.samples).toBeGreaterThan(0);
      const tables = await page.$$eval('table', (ts) => ts.map((t) => ({ cls: t.className, rows: t.querySelectorAll('tbody tr').length, said: Number((t as unknown as { dataset: Record<string, string | undefined> }).dataset.rows) })));
      expect(tables.map((t) => t.cls)).toEqual(['verdicts', 'overview', 'connections', 'timeline']);
      for (const t of tables) {
        expect(t.rows, t.cls).toBeGreaterThan(0);
        expect(t.rows, t.cls).toBe(t.said);
      }
      expect(await page.textContent('.verdict')).toMatch(/PASS|FAIL/);
      expect(requests).toEqual([]);
      await page.screenshot({ path: path.join(OUT, 'sock352_gbn_drop3.png'), fullPage: true });
      expect(existsSync(path.join(OUT, 'sock352_gbn_drop3.png'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
