import { describe, expect, test } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import type { EndpointProtocol } from '../../src/endpoint/core/protocol_cores.js';
import { simulateTransfer } from '../../src/endpoint/sim_transfer.js';
import { matrixRun } from './impairment_matrix.js';

const RUNS = 1000;
const reg = new DissectorRegistry();

describe.each(['sock352', 'csee4119-tcp', 'ariel-package'] as EndpointProtocol[])('%s over the simulated wire', (protocol) => {
  test(`${RUNS} seeded runs across the impairment matrix deliver byte-identical files`, () => {
    const d = reg.get(protocol);
    const failures: string[] = [];
    let dropped = 0, retransmitted = 0, corruptedIgnored = 0;
    for (let i = 0; i < RUNS; i++) {
      const run = matrixRun(protocol, i);
      const r = simulateTransfer({ dissector: d, data: run.data, config: run.config, impairments: run.impairments, maxEvents: 5_000_000 });
      if (!r.ok || !r.identical) failures.push(`${run.label}: ${r.reason}`);
      // Drop lists by sequence number: every listed data packet the sender had to send was dropped once.
      const spec = run.impairments;
      if (r.ok && spec.dropBy === 'seq' && spec.dropData) {
        const count = Math.ceil(run.data.length / run.config.mss);
        for (const v of spec.dropData) {
          const hits = r.drops.filter((e) => e.cls === 'data' && e.value === v && e.reason.startsWith('drop-list')).length;
          if (hits !== (v >= 1 && v <= count ? 1 : 0)) failures.push(`${run.label}: data ${v} dropped ${hits} times`);
        }
      }
      dropped += r.drops.length;
      retransmitted += r.senderStats.retransmissions;
      corruptedIgnored += (r.receiverStats.ignored.checksum ?? 0) + (r.senderStats.ignored.checksum ?? 0);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // The matrix must really impair: drops happened and were repaired by retransmission.
    expect(dropped).toBeGreaterThan(RUNS);
    expect(retransmitted).toBeGreaterThan(RUNS);
    if (protocol === 'csee4119-tcp') expect(corruptedIgnored).toBeGreaterThan(10);
  });
});
