/**
 * Reads one capture into a CheckTrace with the scenario's dissector, through the analyzer. The
 * I/O edge of checking: everything after this is pure.
 */
import { openCapture } from '../capture/open_capture.js';
import type { CaptureReader } from '../capture/frame.js';
import { DissectorBinding } from '../dissect/dissector_binding.js';
import { dissectCapture } from '../dissect/segment_stream.js';
import { CheckTraceBuilder, type CheckTrace } from './check_trace.js';
import type { Scenario } from './scenario_file.js';

/** pcapng comments the recorder writes on frames the impairment dropped ("dropped by impair ..."). */
const DROPPED_COMMENT = /^dropped\b/i;

/**
 * @example const trace = readCheckTrace('run.pcap', loadScenario('scenario.json'));
 */
export function readCheckTrace(file: string, scenario: Scenario): CheckTrace {
  const reader = openCapture(file);
  const d = scenario.dissector;
  const binding = new DissectorBinding({ forced: d, ports: scenario.def.ports ?? d.def.binding.ports });
  // The scenario's duplicate-ACK threshold is the analyzer's (both count duplicates, not ACKs).
  const builder = new CheckTraceBuilder(file, { dupAckThreshold: scenario.dupAckThreshold });
  const dropped = new Set<number>();
  // Frame comments and the time origin are seen here, before the dissector (which does not keep them).
  const noting: CaptureReader = {
    file: reader.file,
    format: reader.format,
    forEach: (cb) => reader.forEach((f) => {
      builder.origin(f.tsSec, f.tsNsec);
      if (f.comments?.some((c) => DROPPED_COMMENT.test(c))) dropped.add(f.index);
      cb(f);
    }),
  };
  const params = scenario.def.params.N !== undefined ? { N: scenario.def.params.N } : undefined;
  const summary = dissectCapture(noting, { binding, params, onSegment: (s) => builder.add(s, dropped.has(s.frame)) });
  const trace = builder.finish();
  // A damaged capture is still checked on what it holds; the damage is reported, not hidden.
  trace.captureWarnings = summary.warnings.map((w) => `${w.frame !== undefined ? `frame ${w.frame}: ` : w.offset !== undefined ? `byte ${w.offset}: ` : ''}${w.message}`);
  return trace;
}
