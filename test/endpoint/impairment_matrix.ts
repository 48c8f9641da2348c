/**
 * The impairment matrix of the simulation tests: run `i` of a protocol gets a deterministic mix
 * of loss (0–30 %), duplication, reordering, delay with jitter, corruption (where the protocol
 * has a checksum to catch it), drop lists in both directions, tiny to large files, window 1 to
 * large. Kept apart from the test so a failing seed can be replayed by hand.
 */
import type { CoreConfig } from '../../src/endpoint/core/core_event.js';
import { defaultConfig, type EndpointProtocol } from '../../src/endpoint/core/protocol_cores.js';
import type { ImpairmentSpec } from '../../src/endpoint/link/impairment_spec.js';
import { seededRandom } from '../../src/endpoint/link/seeded_random.js';

export interface MatrixRun {
  seed: number;
  data: Buffer;
  config: CoreConfig;
  impairments: ImpairmentSpec;
  label: string;
}

const LOSS = [0, 0.05, 0.1, 0.2, 0.3];
const WINDOWS = [1, 3, 8, 64];

/** Deterministic file bytes; never NUL for ariel-package, which carries NUL-padded text. */
function fileBytes(rnd: () => number, size: number, noNul: boolean): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = noNul ? 1 + Math.floor(rnd() * 255) : Math.floor(rnd() * 256);
  return b;
}

/** @example const run = matrixRun('sock352', 17); simulateTransfer({ ..., data: run.data, config: run.config }) */
export function matrixRun(protocol: EndpointProtocol, i: number): MatrixRun {
  const rnd = seededRandom(i * 31 + protocol.length);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const base = defaultConfig(protocol);
  const window = WINDOWS[i % WINDOWS.length];
  const large = i % 97 === 5;
  const size = large ? 200_000 : i % 10 === 0 ? pick([0, 1, 3]) : Math.floor(rnd() * 3000);
  const mss = protocol === 'ariel-package' ? (large ? 1000 : size < 30_000 ? pick([4, 16, 100]) : 100) : large ? 1400 : size < 300 ? pick([1, 64]) : pick([64, 512, 1024]);
  const loss = LOSS[Math.floor(i / WINDOWS.length) % LOSS.length];
  const impairments: ImpairmentSpec = {
    seed: i,
    loss,
    dup: rnd() < 0.3 ? 0.05 : 0,
    reorder: rnd() < 0.3 ? 0.05 : 0,
    corrupt: protocol === 'csee4119-tcp' && rnd() < 0.4 ? 0.05 : 0,
  };
  if (rnd() < 0.3) { impairments.delay = 0.005; impairments.jitter = 0.003; }
  if (i % 3 === 0) {
    impairments.dropBy = protocol === 'csee4119-tcp' || rnd() < 0.3 ? 'index' : 'seq';
    impairments.dropData = [1 + Math.floor(rnd() * 6), 7 + Math.floor(rnd() * 5)];
    impairments.dropAcks = [1 + Math.floor(rnd() * 6)];
  }
  // Large runs keep loss moderate: window 1 at 30 % over 200 kB is slow, not interesting.
  if (large) impairments.loss = Math.min(loss, 0.05);
  const config: CoreConfig = { ...base, window: large ? 64 : window, mss, maxRetries: 60, idleTimeout: 600 };
  // Half of the sock352 runs use the fast-path options (still Go-Back-N): adaptive RTO, go-back on 3 duplicate ACKs.
  if (protocol === 'sock352' && i % 2 === 1) { config.adaptiveRto = true; config.fastGoBack = true; }
  const label = `${protocol} run ${i}: ${size} B, mss ${mss}, window ${config.window}${config.fastGoBack ? ' (adaptive RTO, fast go-back)' : ''}, ${JSON.stringify(impairments)}`;
  return { seed: i, data: fileBytes(rnd, size, protocol === 'ariel-package'), config, impairments, label };
}
