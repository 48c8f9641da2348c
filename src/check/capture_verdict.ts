/**
 * Checks one run against a scenario: every rule, a verdict for the capture and a score (the
 * share of applicable rules that pass, 0..100) for autograders.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CheckTrace } from './check_trace.js';
import { readCheckTrace } from './capture_trace.js';
import type { DropPrediction } from './recovery_prediction.js';
import { ruleContext } from './rule_context.js';
import type { RuleResult } from './rule_result.js';
import { acksRule } from './rules/acks_rule.js';
import { deliveryRule } from './rules/delivery_rule.js';
import { dropsRetransmittedRule } from './rules/drops_retransmitted_rule.js';
import { framingRule } from './rules/framing_rule.js';
import { handshakeRule } from './rules/handshake_rule.js';
import { lostAcksRule } from './rules/lost_acks_rule.js';
import { retransmissionCountRule } from './rules/retransmission_count_rule.js';
import { retriesRule } from './rules/retries_rule.js';
import { spuriousRule } from './rules/spurious_rule.js';
import { teardownRule } from './rules/teardown_rule.js';
import { windowRule } from './rules/window_rule.js';
import type { Scenario } from './scenario_file.js';
import { transferView, type ExtraDrops } from './transfer_view.js';

export interface CaptureVerdict {
  file: string;
  /** PASS: no rule failed; FAIL: at least one did; ERROR: the capture could not be read. */
  verdict: 'PASS' | 'FAIL' | 'ERROR';
  /** 100 × passed / (passed + failed); 0 on ERROR. */
  score: number;
  rules: RuleResult[];
  predictions: DropPrediction[];
  notes: string[];
  /** Capture damage the reader reported (the checked trace ends there). */
  warnings?: string[];
  error?: string;
}

/** Rules in the order they are reported. */
const RULES = [
  handshakeRule, dropsRetransmittedRule, spuriousRule, windowRule, acksRule, lostAcksRule,
  deliveryRule, teardownRule, retriesRule, framingRule, retransmissionCountRule,
];

/**
 * Pure: checks an already-read trace.
 *
 * @example checkTrace(trace, scenario).verdict // 'PASS'
 */
export function checkTrace(trace: CheckTrace, scenario: Scenario, extra?: ExtraDrops): CaptureVerdict {
  const view = transferView(trace, scenario, extra);
  const ctx = ruleContext(view);
  const rules = RULES.map((r) => r(ctx));
  const pass = rules.filter((r) => r.verdict === 'PASS').length;
  const fail = rules.filter((r) => r.verdict === 'FAIL').length;
  const notes = [...view.notes];
  if (!trace.entries.length) notes.push(`no ${scenario.dissector.name} segments decoded`);
  if (trace.otherConnections) notes.push(`${trace.otherConnections} other connection(s) not checked`);
  return {
    file: trace.file, verdict: fail ? 'FAIL' : 'PASS', score: pass + fail ? Math.round((1000 * pass) / (pass + fail)) / 10 : 0,
    rules, predictions: ctx.predictions, notes,
  };
}

/** The recorder's "<capture>.drops.json" sidecar, as relative data drops of the sending side. */
function sidecarDrops(file: string, trace: CheckTrace): ExtraDrops {
  const side = file.replace(/\.(pcapng|pcap|json|ek)$/i, '') + '.drops.json';
  const out: ExtraDrops = { data: [], acks: [] };
  if (!existsSync(side)) return out;
  let doc: { drops?: Array<{ from?: string; seq?: string | null; kind?: string | null }> };
  try {
    doc = JSON.parse(readFileSync(side, 'utf8'));
  } catch {
    return out;
  }
  const senderSide = trace.dataDirection === 'forward' ? 'client' : 'server';
  const isn = trace.isn[trace.dataDirection];
  for (const d of doc.drops ?? []) {
    if (d.from !== senderSide || d.seq === null || d.seq === undefined || isn === null) continue;
    out.data.push({ seq: Number(BigInt(d.seq) - isn), source: 'sidecar' });
  }
  return out;
}

/**
 * Reads and checks one capture. Input errors (unreadable capture) become an ERROR verdict so a
 * batch goes on; the caller decides the exit code.
 *
 * @example checkCaptureFile('runs/alice.pcap', loadScenario('scenario.json')).score // 100
 */
export function checkCaptureFile(file: string, scenario: Scenario): CaptureVerdict {
  const trace = readCheckTrace(file, scenario);
  const extra = scenario.def.impairments.sidecar ? sidecarDrops(file, trace) : undefined;
  const verdict = checkTrace(trace, scenario, extra);
  if (trace.captureWarnings?.length) verdict.warnings = trace.captureWarnings;
  return verdict;
}
