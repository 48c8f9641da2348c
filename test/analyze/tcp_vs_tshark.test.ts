/**
 * Differential test: per-frame retransmission, fast-retransmission, dup-ack, gap
 * (lost_segment), out-of-order, zero-window, window-update and reused-ports against tshark's
 * tcp.analysis.*, and each frame's connection against tcp.stream, run live, on the shared veth
 * capture, the lossy captures recorded by fixtures/tcp/make_lossy_tcp.sh and the reused-ports
 * capture of fixtures/reuse/make_reuse_fixtures.sh.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { compareWithTshark, type Disagreement } from './tshark_analysis.js';
import type { TimelineEntry } from '../../src/analyze/timeline.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = path.resolve(ROOT, '../shared/fixtures');

const CAPTURES = [
  path.join(SHARED, 'tcp_veth_eth.pcapng'),
  path.join(ROOT, 'fixtures/tcp/lossy_v4_loss3.pcap'),
  path.join(ROOT, 'fixtures/tcp/lossy_v6_jitter.pcap'),
  path.join(ROOT, 'fixtures/reuse/tcp_reuse_lo.pcap'),
];

/** Known, documented reasons for a difference (RULES.md "Where we differ from tshark"). */
function explain(d: Omit<Disagreement, 'reason'>, e: TimelineEntry): string | null {
  if ((d.flag === 'zero-window') && e.window === 0) return 'zero window before any non-zero window from that side: we do not trust a window role that was never non-zero';
  return null;
}

describe('TCP analysis agrees with tshark', () => {
  for (const file of CAPTURES) {
    test(path.basename(file), () => {
      const c = compareWithTshark(file, explain);
      const pct = (100 * c.agreeing) / c.frames;
      console.log(`${path.basename(file)}: ${c.agreeing}/${c.frames} frames agree with tshark on every compared flag and tcp.stream (${pct.toFixed(2)} %); ${c.flagsCompared} flag comparisons, ${c.disagreements.length} differ; ${c.streams} streams, ${c.streamMismatches.length} frames on another connection`);
      for (const d of c.disagreements) console.log(`  frame ${d.frame} ${d.flag}: ours ${d.ours}, tshark ${d.tshark}: ${d.reason}`);
      expect(c.frames).toBeGreaterThan(50);
      expect(c.streamMismatches).toEqual([]);
      // Every analysed frame must be on our timeline too.
      expect(c.entries.size).toBe(c.frames);
      expect(pct).toBeGreaterThanOrEqual(99);
      expect(c.disagreements.filter((d) => d.reason === 'unexplained')).toEqual([]);
    });
  }

  test('the lossy captures exercise the flags under test', () => {
    const seen = new Set<string>();
    for (const file of CAPTURES) {
      for (const e of compareWithTshark(file, () => null).entries.values()) for (const f of e.flags) seen.add(f);
    }
    for (const f of ['retransmission', 'fast-retransmission', 'dup-ack', 'gap', 'out-of-order', 'window-update', 'reused-ports']) expect(seen, f).toContain(f);
  });
});
