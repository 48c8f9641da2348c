/**
 * Checks many captures in parallel on worker threads (one scenario, loaded once per worker),
 * reporting each verdict as it lands and returning them in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CaptureVerdict } from './capture_verdict.js';
import { checkOrError } from './check_worker.js';
import { loadScenario } from './scenario_file.js';

export interface BatchOptions {
  /** Worker threads (default: the machine's available parallelism). 0: check in this thread. */
  jobs?: number;
  /** Called once per capture as its verdict arrives (progress bars, streaming output). */
  onVerdict?: (v: CaptureVerdict, done: number, total: number) => void;
}

/**
 * @example
 * const verdicts = await checkCaptures(['a.pcap', 'b.pcap'], 'scenario.json', { jobs: 4 });
 */
export async function checkCaptures(files: string[], scenarioFile: string, o: BatchOptions = {}): Promise<CaptureVerdict[]> {
  const scenario = loadScenario(scenarioFile); // bad scenario: InputError here, before any worker starts
  const jobs = Math.min(o.jobs ?? availableParallelism(), files.length);
  const out: CaptureVerdict[] = new Array(files.length);
  let done = 0;
  if (jobs <= 0 || files.length <= 1) {
    files.forEach((f, i) => { out[i] = checkOrError(f, scenario); o.onVerdict?.(out[i], ++done, files.length); });
    return out;
  }
  let next = 0;
  const url = new URL('./check_worker.js', import.meta.url);
  await Promise.all(Array.from({ length: jobs }, () => new Promise<void>((resolveWorker, reject) => {
    const w = new Worker(url, { workerData: { acktraceCheckWorker: true, scenarioFile } });
    const feed = () => {
      if (next < files.length) { const id = next++; w.postMessage({ id, file: files[id] }); }
      else { w.postMessage(null); }
    };
    w.on('message', (m: { id: number; verdict: CaptureVerdict }) => {
      out[m.id] = m.verdict;
      o.onVerdict?.(m.verdict, ++done, files.length);
      feed();
    });
    w.on('error', reject);
    w.on('exit', () => resolveWorker());
    feed();
  })));
  return out;
}
