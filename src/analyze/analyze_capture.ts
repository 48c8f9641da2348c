/**
 * Decode and analysis in one streaming pass over a capture: frames → segments (dissect) →
 * timeline entries (emitted through onEntry as they are made) → connection summaries.
 */
import type { CaptureReader, CaptureSummary, Frame } from '../capture/frame.js';
import type { DissectorBinding } from '../dissect/dissector_binding.js';
import { dissectCapture, type OtherFrame } from '../dissect/segment_stream.js';
import type { AnalyzeOptions } from './analyze_options.js';
import type { ConnectionSummary, TimelineEntry } from './timeline.js';
import { TimelineAnalyzer } from './timeline_analyzer.js';

export interface AnalyzeCaptureOptions {
  binding: DissectorBinding;
  /** Dissector parameters (--param N=10); learned values override them per connection. */
  params?: Record<string, number>;
  /** Thresholds; defaults in analyze_options.ts. */
  options?: Partial<AnalyzeOptions>;
  /** Called once per decoded segment, in capture order. The entry is the caller's to keep. */
  onEntry?: (e: TimelineEntry) => void;
  /** Frames that carry no segment (unknown traffic, fragments, TCP control under a datagram protocol). */
  onOther?: (o: OtherFrame) => void;
}

export interface AnalysisResult {
  connections: ConnectionSummary[];
  capture: CaptureSummary;
}

/**
 * Analyzes a whole capture.
 *
 * @example
 * const { connections } = analyzeCapture(openCapture('run.pcap'), {
 *   binding: new DissectorBinding({ forced: registry.get('sock352') }),
 *   onEntry: (e) => { if (e.flags.includes('retransmission')) console.log(e.frame); },
 * });
 */
export function analyzeCapture(reader: CaptureReader, o: AnalyzeCaptureOptions): AnalysisResult {
  const analyzer = new TimelineAnalyzer(o.options);
  const onEntry = o.onEntry;
  // Times count from the capture's first frame, decoded or not, as Wireshark's do.
  let first = true;
  const timed: CaptureReader = {
    file: reader.file,
    format: reader.format,
    forEach: (cb: (f: Frame) => void) => reader.forEach((f) => {
      if (first) { analyzer.start(f.tsSec, f.tsNsec); first = false; }
      cb(f);
    }),
  };
  const capture = dissectCapture(timed, {
    binding: o.binding,
    params: o.params,
    // Without a listener no entry is made at all: memory and garbage stay flat in packets.
    onSegment: onEntry ? (s) => onEntry(analyzer.push(s)) : (s) => analyzer.observe(s),
    onOther: o.onOther,
  });
  return { connections: analyzer.summaries(), capture };
}
