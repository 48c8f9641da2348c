/**
 * JUnit XML for CI dashboards: one testsuite per capture, one testcase per rule (FAIL →
 * <failure> with the evidence, N/A → <skipped>, ERROR → an <error> case for the capture).
 */
import type { CaptureVerdict } from './capture_verdict.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * @example writeFileSync('check.xml', junitXml(verdicts))
 */
export function junitXml(verdicts: CaptureVerdict[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = verdicts.reduce((n, v) => n + v.rules.filter((r) => r.verdict === 'FAIL').length, 0);
  const errors = verdicts.filter((v) => v.verdict === 'ERROR').length;
  const tests = verdicts.reduce((n, v) => n + Math.max(1, v.rules.length), 0);
  lines.push(`<testsuites name="acktrace check" tests="${tests}" failures="${failures}" errors="${errors}">`);
  for (const v of verdicts) {
    const f = v.rules.filter((r) => r.verdict === 'FAIL').length;
    const s = v.rules.filter((r) => r.verdict === 'N/A').length;
    lines.push(`  <testsuite name="${esc(v.file)}" tests="${Math.max(1, v.rules.length)}" failures="${f}" errors="${v.verdict === 'ERROR' ? 1 : 0}" skipped="${s}">`);
    if (v.verdict === 'ERROR') lines.push(`    <testcase classname="${esc(v.file)}" name="read capture"><error message="${esc(v.error ?? '')}"/></testcase>`);
    for (const r of v.rules) {
      const open = `    <testcase classname="${esc(v.file)}" name="${esc(`${r.id}: ${r.title}`)}">`;
      if (r.verdict === 'PASS') lines.push(`${open}</testcase>`);
      else if (r.verdict === 'N/A') lines.push(`${open}<skipped message="${esc(r.summary)}"/></testcase>`);
      else {
        const body = r.evidence.map((e) => `${e.frame === null ? '(not captured)' : `frame ${e.frame}`}: ${e.note}`).join('\n');
        lines.push(`${open}<failure message="${esc(r.summary)}">${esc(body)}</failure></testcase>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
