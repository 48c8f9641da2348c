/**
 * The seed fixtures (codec-written runs with one recorded drop each) read for the figures,
 * shared by the golden, figure and browser tests.
 */
import path from 'node:path';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { connectionView, type ConnectionView } from '../../src/report/plot_trace.js';
import { readTraceFrom } from '../../src/report/trace_source.js';

export const REPO = path.resolve(import.meta.dirname, '../..');

export const SEEDS = [
  { name: 'sock352_gbn_drop3', dissector: 'sock352', window: null, scenario: 'seed-sock352-gbn-drop3.json' },
  { name: 'csee4119_drop1500', dissector: 'csee4119-tcp', window: null, scenario: 'seed-csee4119-drop1500.json' },
  { name: 'ariel_package_drop4', dissector: 'ariel-package', window: 3, scenario: 'seed-package-drop4.json' },
] as const;

export function seedView(name: string, dissector: string, ext = 'pcap'): ConnectionView {
  const registry = new DissectorRegistry();
  const trace = readTraceFrom(path.join(REPO, 'fixtures/seeds', `${name}.${ext}`), { registry, dissector });
  return connectionView(trace);
}
