#!/usr/bin/env node
// How long `acktrace report` takes on a 1 M-packet capture, against the analyzer's own pass
// over the same file (the reference: the report cannot be faster than analyzing).
// Writes bench/out/report_1m.pcap once (csee4119-tcp over UDP: 500 k data segments, each ACKed,
// every 1000th segment lost and resent after three duplicate ACKs).
//
//   npm run build && node bench/report_big.mjs
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DissectorRegistry } from '../dist/codec/dissector_registry.js';
import { DissectorBinding } from '../dist/dissect/dissector_binding.js';
import { buildIpPacket } from '../dist/net/packet_builder.js';
import { PcapWriter } from '../dist/capture/pcap_writer.js';
import { openCapture } from '../dist/capture/open_capture.js';
import { analyzeCapture } from '../dist/analyze/analyze_capture.js';
import { readTraceFrom } from '../dist/report/trace_source.js';
import { connectionView } from '../dist/report/plot_trace.js';
import { buildReport } from '../dist/report/report_model.js';
import { htmlReport } from '../dist/report/html_report.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const file = join(out, 'report_1m.pcap');
const registry = new DissectorRegistry();
const d = registry.get('csee4119-tcp');
const N = 1_000_000;

function generate() {
  mkdirSync(out, { recursive: true });
  const w = new PcapWriter(file, { resolution: 'ns' });
  const payload = Buffer.alloc(100, 0x61);
  let ns = 0, frames = 0;
  const put = (from, values, body) => {
    const bytes = d.encode(values, body);
    const [src, dst, sp, dp] = from === 'c' ? ['10.0.0.1', '10.0.0.2', 41192, 41194] : ['10.0.0.2', '10.0.0.1', 41194, 41192];
    w.writeFrame(1795300000 + Math.floor(ns / 1e9), ns % 1e9, buildIpPacket({ src, dst, protocol: 'udp', srcPort: sp, dstPort: dp, payload: bytes }));
    ns += 20_000; frames++;
  };
  const data = (seq) => put('c', { src_port: 41192, dst_port: 41194, seq, ack: 1, data_offset: 0x50, flags: 0x10, window: 8192 }, payload);
  const ack = (a) => put('s', { src_port: 41194, dst_port: 41192, seq: 1, ack: a, data_offset: 0x50, flags: 0x10, window: 8192 }, Buffer.alloc(0));
  let seq = 1, acked = 1;
  while (frames < N - 10) {
    if ((seq - 1) / 100 % 1000 === 999) {
      // lost, then three segments more, three dup ACKs, the resend and the cumulative ACK
      const lost = seq; seq += 100;
      for (let k = 0; k < 3; k++) { data(seq); seq += 100; ack(acked); }
      data(lost); acked = seq; ack(acked);
    } else {
      data(seq); seq += 100; acked = seq; ack(acked);
    }
  }
  w.close();
}

if (!existsSync(file)) { const t = Date.now(); generate(); console.log(`generated ${file} in ${((Date.now() - t) / 1000).toFixed(1)} s`); }
const mb = statSync(file).size / 1e6;
const binding = () => new DissectorBinding({ forced: d, ports: [] });

let t = process.hrtime.bigint();
let entries = 0;
analyzeCapture(openCapture(file), { binding: binding(), onEntry: () => { entries++; } });
const ref = Number(process.hrtime.bigint() - t) / 1e9;

t = process.hrtime.bigint();
const trace = readTraceFrom(file, { registry, dissector: d });
const view = connectionView(trace);
const tRead = Number(process.hrtime.bigint() - t) / 1e9;
const model = buildReport(trace, view, {});
const html = htmlReport(model);
writeFileSync(join(out, 'report_1m.html'), html);
const total = Number(process.hrtime.bigint() - t) / 1e9;
const rss = process.memoryUsage().rss / 1e6;
console.log(`capture: ${mb.toFixed(0)} MB, ${trace.capture.frames} frames, ${entries} segments`);
console.log(`reference  analyzeCapture alone:           ${ref.toFixed(2)} s`);
console.log(`report     read + columns:                 ${tRead.toFixed(2)} s`);
console.log(`report     read + figures + tables + HTML:  ${total.toFixed(2)} s  (${(total / ref).toFixed(2)}x the reference), HTML ${(html.length / 1e6).toFixed(2)} MB, RSS ${rss.toFixed(0)} MB`);
console.log(`figures: ${model.figures.map((f) => `${f.kind} ${JSON.stringify(f.counts)}`).join('; ')}`);
