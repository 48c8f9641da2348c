/**
 * Reads a capture for the report and the plots with the dissector chosen the way `decode`
 * chooses it: `-d NAME` (optionally only on `--port`s), else by each dissector's default
 * ports, else plain TCP.
 */
import type { AnalyzeOptions } from '../analyze/analyze_options.js';
import type { Dissector } from '../codec/dissector.js';
import type { DissectorRegistry } from '../codec/dissector_registry.js';
import { DissectorBinding } from '../dissect/dissector_binding.js';
import { readPlotTrace, type PlotTrace } from './plot_trace.js';

export interface TraceSource {
  registry: DissectorRegistry;
  /** A dissector name or file, or an already-loaded dissector. */
  dissector?: string | Dissector;
  ports?: number[];
  params?: Record<string, number>;
  options?: Partial<AnalyzeOptions>;
}

/**
 * @example readTraceFrom('run.pcap', { registry: new DissectorRegistry(), dissector: 'sock352' })
 */
export function readTraceFrom(file: string, s: TraceSource): PlotTrace {
  const forced = typeof s.dissector === 'string' ? s.registry.get(s.dissector) : s.dissector;
  const available = forced ? [] : s.registry.list();
  const tcp = forced ? null : s.registry.get('tcp');
  const binding = new DissectorBinding({ forced, ports: s.ports ?? [], available, tcp });
  return readPlotTrace(file, { binding, params: s.params, options: s.options, dissectors: forced ? [forced] : [...available, ...(tcp ? [tcp] : [])] });
}
