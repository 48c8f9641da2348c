/**
 * acktrace's library API. The CLI (src/cli) is one client of it; a grader's script can be
 * another.
 *
 * @example
 * import { DissectorRegistry, DissectorBinding, dissectCapture, openCapture } from 'acktrace';
 * const reg = new DissectorRegistry();
 * dissectCapture(openCapture('run.pcap'), {
 *   binding: new DissectorBinding({ forced: reg.get('sock352'), ports: [9000] }),
 *   onSegment: (s) => console.log(s.frame, s.segment.seq, s.segment.flags),
 * });
 */
export { InputError } from './input_error.js';

// codec: dissector files → decode/encode
export { Dissector, type DecodeContext, type EncodeOptions } from './codec/dissector.js';
export { DissectorRegistry, compileDissector, shippedDissectorDir } from './codec/dissector_registry.js';
export { dissectorSpec, dissectorJsonSchema, type DissectorDef, type DissectorSpec, type FieldSpec } from './codec/dissector_schema.js';
export { scaffoldDissector } from './codec/dissector_scaffold.js';
export { parseStructFormat, fillStructParams, type StructLayout } from './codec/struct_format.js';
export { layoutOf, type Layout, type LayoutField } from './codec/layout.js';
export type { Segment, SeqNumber, ChecksumStatus } from './codec/segment.js';
export type { FieldValue } from './codec/field_io.js';
export { internetChecksum, internetSum, pseudoHeaderSum, crc32 } from './codec/checksum.js';

// capture: files → frames, and writers
export { openCapture } from './capture/open_capture.js';
export { PcapWriter, PcapngWriter, LINKTYPE_RAW, LINKTYPE_EN10MB } from './capture/pcap_writer.js';
export type { Frame, CaptureReader, CaptureSummary, CaptureWarning, CaptureFormat } from './capture/frame.js';

// net: frames → IP/UDP/TCP
export { NetDecoder } from './net/net_decoder.js';
export type { NetPacket, TcpHeaderView } from './net/net_packet.js';
export { buildIpPacket, buildEthernetFrame, type BuildIpPacket } from './net/packet_builder.js';
export { TcpStreamReassembler } from './net/tcp_stream_reassembler.js';
export { formatAddress, endpointString } from './net/ip_address.js';

// dissect: the decode pipeline
export { dissectCapture, type DissectedSegment, type DissectOptions, type OtherFrame } from './dissect/segment_stream.js';
export { DissectorBinding, type BindingOptions } from './dissect/dissector_binding.js';
export { segmentJson, epochString, type SegmentJson } from './dissect/segment_json.js';

// report: tables in four formats
export { renderTable, type TableData, type TableFormat } from './report/table_format.js';

// analyze: connections and their timelines
export { analyzeCapture, type AnalyzeCaptureOptions, type AnalysisResult } from './analyze/analyze_capture.js';
export { TimelineAnalyzer } from './analyze/timeline_analyzer.js';
export { analyzeOptions, DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from './analyze/analyze_options.js';
export {
  ANALYSIS_FLAGS, type AnalysisFlag, type TimelineEntry, type ConnectionSummary, type DirectionStats, type RttStats, type Direction,
} from './analyze/timeline.js';

// lua: Wireshark plugin generation
export { luaDissector, LuaGenerationError } from './lua/lua_dissector.js';

// check: recorded runs held to a scenario (drops injected, policy, what was sent), a verdict per rule
export { loadScenario, scenarioFrom, type Scenario, type SentData } from './check/scenario_file.js';
export { scenarioSpec, scenarioJsonSchema, POLICY_NAMES, type PolicyName, type ScenarioSpec, type ScenarioDef } from './check/scenario_schema.js';
export { checkCaptureFile, checkTrace, type CaptureVerdict } from './check/capture_verdict.js';
export { checkCaptures, type BatchOptions } from './check/batch_check.js';
export { readCheckTrace } from './check/capture_trace.js';
export { CheckTraceBuilder, type CheckTrace, type CheckEntry } from './check/check_trace.js';
export { expandCapturePaths } from './check/capture_paths.js';
export { policyModel, type PolicyModel, type Trigger } from './check/policy_model.js';
export type { DropPrediction, TriggerTime } from './check/recovery_prediction.js';
export type { RuleResult, Evidence, Verdict } from './check/rule_result.js';
export type { ExtraDrops, InjectedDrop } from './check/transfer_view.js';
export { verdictTable, summaryTable, verdictJson } from './check/verdict_report.js';
export { junitXml } from './check/junit_report.js';

// endpoint: live and simulated transfers with the course protocols' reference cores
export { runTransfer, type RunTransferOptions, type TransferResult } from './endpoint/run_transfer.js';
export { simulateTransfer, type SimTransferOptions, type SimTransferResult } from './endpoint/sim_transfer.js';
export { createSender, createReceiver, defaultConfig, endpointProtocolOf, type EndpointProtocol } from './endpoint/core/protocol_cores.js';
export type { CoreConfig, CoreEvent, CoreAction, CoreStats, ProtocolCore } from './endpoint/core/core_event.js';
export type { ImpairmentSpec } from './endpoint/link/impairment_spec.js';
export type { DropEvent } from './endpoint/link/impair_link.js';
export { UdpEmulator, type EmulatorOptions, type EmulatorStats } from './endpoint/udp_emulator.js';
export { TcpEmulator, ridesOnTcp, type TcpEmulatorOptions, type TcpEmulatorStats } from './endpoint/tcp_emulator.js';
