/**
 * A rule's verdict on one run, with the evidence a student can open in Wireshark: frame
 * numbers, times (seconds from the first frame) and the values that decided it.
 */
export type Verdict = 'PASS' | 'FAIL' | 'N/A';

export interface Evidence {
  /** Frame number, or null for something the capture does not show (a dropped segment). */
  frame: number | null;
  time: number | null;
  note: string;
}

export interface RuleResult {
  id: string;
  title: string;
  verdict: Verdict;
  /** One line: why this verdict. */
  summary: string;
  evidence: Evidence[];
}

/**
 * @example ruleResult('window', 'in-flight never above the window', 'FAIL', '4 in flight > window 3', [{ frame: 31, time: 6.2, note: 'pos 12' }])
 */
export function ruleResult(id: string, title: string, verdict: Verdict, summary: string, evidence: Evidence[] = []): RuleResult {
  return { id, title, verdict, summary, evidence };
}

/** Seconds, shortest exact-enough text ("2.5", "0.125"). */
export function secs(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3).replace(/\.?0+$/, '') : String(x);
}
