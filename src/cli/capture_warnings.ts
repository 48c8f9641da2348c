/**
 * Non-fatal capture problems (a truncated tail, snaplen-cut frames) go to stderr as one line
 * each, after the results, so a damaged capture still yields everything before the damage.
 */
import type { CaptureSummary } from '../capture/frame.js';

export function printCaptureWarnings(file: string, summary: CaptureSummary): void {
  for (const w of summary.warnings) {
    const where = w.frame !== undefined ? `frame ${w.frame}: ` : w.offset !== undefined ? `byte ${w.offset}: ` : '';
    console.error(`acktrace: warning: ${file}: ${where}${w.message}`);
  }
  if (summary.snapTruncated > 0) console.error(`acktrace: note: ${file}: ${summary.snapTruncated} frame(s) cut by the capture's snaplen`);
}
