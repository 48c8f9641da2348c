/**
 * Verdicts for people and for autograders: a rule table per capture and a summary table (any of
 * the four table formats), and one JSON object per capture.
 */
import { renderTable, type TableFormat } from '../report/table_format.js';
import type { CaptureVerdict } from './capture_verdict.js';
import type { RuleResult } from './rule_result.js';

function framesOf(r: RuleResult): string {
  const frames = [...new Set(r.evidence.map((e) => e.frame).filter((f): f is number => f !== null))];
  return frames.length > 12 ? `${frames.slice(0, 12).join(', ')}, …` : frames.join(', ');
}

/**
 * @example verdictTable(v, 'md') // '**run.pcap: FAIL (score 87.5)**\n\n| rule | verdict | ...'
 */
export function verdictTable(v: CaptureVerdict, format: TableFormat): string {
  const title = `${v.file}: ${v.verdict}${v.verdict === 'ERROR' ? ` (${v.error})` : ` (score ${v.score})`}`;
  if (v.verdict === 'ERROR') return `${title}\n`;
  const rows = v.rules.map((r) => [r.id, r.verdict, r.summary, framesOf(r)]);
  let out = renderTable({ title, columns: ['rule', 'verdict', 'why', 'frames'], rows }, format);
  const failing = v.rules.filter((r) => r.verdict === 'FAIL');
  if (format !== 'csv' && format !== 'json') {
    for (const r of failing) for (const e of r.evidence) out += `  ${r.id}: ${e.frame === null ? '(not captured)' : `frame ${e.frame}`}: ${e.note}\n`;
    for (const n of v.notes) out += `  note: ${n}\n`;
  }
  return out;
}

/** @example summaryTable(verdicts, 'table') */
export function summaryTable(verdicts: CaptureVerdict[], format: TableFormat): string {
  const rows = verdicts.map((v) => {
    const count = (x: string) => v.rules.filter((r) => r.verdict === x).length;
    const failed = v.rules.filter((r) => r.verdict === 'FAIL').map((r) => r.id).join(', ');
    return [v.file, v.verdict, v.score, count('PASS'), count('FAIL'), count('N/A'), v.verdict === 'ERROR' ? v.error : failed];
  });
  const pass = verdicts.filter((v) => v.verdict === 'PASS').length;
  return renderTable({ title: `${pass} of ${verdicts.length} captures pass`, columns: ['capture', 'verdict', 'score', 'pass', 'fail', 'n/a', 'failed rules'], rows, numeric: [2, 3, 4, 5] }, format);
}

/**
 * One autograder object per capture: verdict, score, and each rule with its evidence.
 *
 * @example JSON.stringify(verdictJson(v)) // {"file":"run.pcap","verdict":"PASS","score":100,"rules":[...]}
 */
export function verdictJson(v: CaptureVerdict): object {
  return {
    file: v.file, verdict: v.verdict, score: v.score,
    ...(v.error ? { error: v.error } : {}),
    rules: v.rules.map((r) => ({ id: r.id, title: r.title, verdict: r.verdict, summary: r.summary, frames: [...new Set(r.evidence.map((e) => e.frame).filter((f) => f !== null))], evidence: r.evidence })),
    predictions: v.predictions.map((p) => ({ what: p.what, seq: p.seq, expect: p.expect, triggers: p.triggers, deadline: p.deadline, coveredBy: p.coveredBy })),
    notes: v.notes,
    warnings: v.warnings ?? [],
  };
}
