/**
 * Worker-thread entry for batch checking: loads the scenario once, then checks each capture
 * file it is sent and posts the verdict back. An unreadable capture becomes an ERROR verdict.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../input_error.js';
import { checkCaptureFile, type CaptureVerdict } from './capture_verdict.js';
import { loadScenario } from './scenario_file.js';

/**
 * Checks one file, turning failures into an ERROR verdict (the batch goes on).
 *
 * @example checkOrError('bad.pcap', scenario).verdict // 'ERROR'
 */
export function checkOrError(file: string, scenario: ReturnType<typeof loadScenario>): CaptureVerdict {
  try {
    return checkCaptureFile(file, scenario);
  } catch (e) {
    const message = e instanceof InputError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    return { file, verdict: 'ERROR', score: 0, rules: [], predictions: [], notes: [], error: message };
  }
}

if (parentPort && workerData?.acktraceCheckWorker) {
  const port = parentPort;
  const scenario = loadScenario(workerData.scenarioFile as string);
  port.on('message', (m: { id: number; file: string } | null) => {
    if (m === null) { port.close(); return; }
    port.postMessage({ id: m.id, verdict: checkOrError(m.file, scenario) });
  });
}
