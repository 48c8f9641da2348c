/** A capture analyzed with one dissector forced on every flow: its timeline entries and connection summaries. */
import { analyzeCapture } from '../../src/analyze/analyze_capture.js';
import type { ConnectionSummary, TimelineEntry } from '../../src/analyze/timeline.js';
import { openCapture } from '../../src/capture/open_capture.js';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { DissectorBinding } from '../../src/dissect/dissector_binding.js';

const registry = new DissectorRegistry();

/** @example const { entries, connections } = analyzeFile('fixtures/seeds/sock352_gbn_drop3.pcap', 'sock352'); */
export function analyzeFile(file: string, dissector: string): { entries: TimelineEntry[]; connections: ConnectionSummary[] } {
  const entries: TimelineEntry[] = [];
  const binding = new DissectorBinding({ forced: registry.get(dissector) });
  const { connections } = analyzeCapture(openCapture(file), { binding, onEntry: (e) => entries.push(e) });
  return { entries, connections };
}
