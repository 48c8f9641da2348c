/** The check API is reachable from the library's entry point and works from there. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as acktrace from '../../src/index.js';

const root = resolve(__dirname, '../..');

describe('src/index.ts exports the check API', () => {
  it('loads a scenario, checks a seed run and renders it for an autograder', () => {
    const sc = acktrace.loadScenario(join(root, 'fixtures/scenarios/seed-package-drop4.json'));
    const v = acktrace.checkCaptureFile(join(root, 'fixtures/seeds/ariel_package_drop4.pcap'), sc);
    expect(v.verdict).toBe('PASS');
    const json = acktrace.verdictJson(v) as { rules: Array<{ id: string; verdict: string }> };
    expect(json.rules.find((r) => r.id === 'drops-retransmitted')?.verdict).toBe('PASS');
    expect(acktrace.junitXml([v])).toContain('<testsuites name="acktrace check"');
  });

  it('the same run held to a scenario that lists no drop fails on the unexplained resend', () => {
    const sc = acktrace.scenarioFrom({ dissector: 'ariel-package', policy: 'package-threshold', params: { window: 3, timeout: 2 } }, '<inline>');
    const v = acktrace.checkCaptureFile(join(root, 'fixtures/seeds/ariel_package_drop4.pcap'), sc);
    expect(v.rules.filter((r) => r.verdict === 'FAIL').map((r) => r.id)).toEqual(['no-spurious-retransmissions']);
  });
});
