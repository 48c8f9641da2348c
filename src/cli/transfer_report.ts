/**
 * How a send or receive reports: a progress bar with the rate on a TTY (quiet otherwise), a
 * one-line summary on stderr, and with --json the summary as JSON on stdout.
 */
import cliProgress from 'cli-progress';
import type { LiveResult } from '../endpoint/live_endpoint.js';

/**
 * A progress reporter for `total` bytes (0 when unknown); a no-op when stderr is not a TTY.
 *
 * @example const p = progressBar(size); p.update(bytes); p.stop();
 */
export function progressBar(total: number): { update: (bytes: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: total > 0 ? ' {bar} {percentage}% | {value}/{total} B | {rate}' : ' {value} B | {rate}',
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  const start = Date.now();
  bar.start(total, 0, { rate: '' });
  return {
    update: (bytes) => bar.update(bytes, { rate: rateText(bytes, (Date.now() - start) / 1000) }),
    stop: () => bar.stop(),
  };
}

function rateText(bytes: number, seconds: number): string {
  if (seconds <= 0) return '';
  const bps = (bytes * 8) / seconds;
  return bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mbit/s` : `${(bps / 1e3).toFixed(1)} kbit/s`;
}

/**
 * "sent 1048576 bytes in 0.53 s, goodput 15.8 Mbit/s, 12 retransmissions, ignored 3 checksum".
 *
 * @example console.error(summaryLine('received', result));
 */
export function summaryLine(verb: string, r: LiveResult): string {
  const ignored = Object.entries(r.ignored).map(([k, v]) => `${v} ${k}`).join(', ');
  const drops = r.drops.length ? `, ${r.drops.length} dropped by impairment` : '';
  return `${verb} ${r.bytes} bytes in ${r.seconds.toFixed(3)} s, goodput ${rateText(r.bytes, r.seconds) || 'n/a'}, ${r.retransmissions} retransmissions${drops}${ignored ? `, ignored ${ignored}` : ''}`;
}

/** The summary as a JSON object for --json. */
export function summaryJson(r: LiveResult): Record<string, unknown> {
  return {
    ok: r.ok, reason: r.reason, bytes: r.bytes, seconds: r.seconds,
    goodputBitsPerSecond: r.seconds > 0 ? (r.bytes * 8) / r.seconds : null,
    retransmissions: r.retransmissions, ignored: r.ignored, recordError: r.recordError,
    drops: r.drops.map((d) => ({ time: d.time, from: d.from, to: d.to, direction: d.direction, cls: d.cls, value: d.value, index: d.index, reason: d.reason })),
  };
}

/**
 * How send and receive end: the JSON summary (with --json), the one-line summary, then a line
 * and exit status 1 for an incomplete recording and for a failed transfer (`failure` prefixes its reason).
 *
 * @example reportTransfer(r, 'sent', 'send failed: ', { json: false, record: 'run.pcap' });
 */
export function reportTransfer(r: LiveResult, verb: string, failure: string, o: { json?: boolean; record?: string }): void {
  if (o.json) process.stdout.write(`${JSON.stringify(summaryJson(r))}\n`);
  console.error(`acktrace: ${summaryLine(verb, r)}`);
  if (r.recordError !== null) {
    console.error(`acktrace: recording ${o.record} is incomplete: ${r.recordError}`);
    process.exitCode = 1;
  }
  if (!r.ok) {
    console.error(`acktrace: ${failure}${r.reason}`);
    process.exitCode = 1;
  }
}
