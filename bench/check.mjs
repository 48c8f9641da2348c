// Benchmark of `acktrace check` (issue 5): a batch of 200 recorded Package-protocol runs (seed
// 004, 600 packages each, package 4 dropped and resent when the window fills) checked against
// fixtures/scenarios/package-lost-data.json-like scenario, first on one worker thread (the
// reference), then on one worker per core. Prints captures/s and the speed-up over one worker,
// and the CPU time per capture (process.cpuUsage covers every worker thread), which does not
// depend on how busy the machine is: wall-clock figures on a shared machine do. The load average
// is printed so a speed-up below the core count can be read against it.
//
// Run (from the repo root):
//   npm run build && node bench/check.mjs [captures=200] [packages=600]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { checkCaptures } from '../dist/check/batch_check.js';
import { PcapWriter } from '../dist/capture/pcap_writer.js';
import { DissectorRegistry } from '../dist/codec/dissector_registry.js';
import { buildIpPacket } from '../dist/net/packet_builder.js';

const captures = Number(process.argv[2] ?? 200);
const packages = Number(process.argv[3] ?? 600);
const dir = mkdtempSync(path.join(tmpdir(), 'acktrace-bench-check-'));
const d = new DissectorRegistry().get('ariel-package');
const N = 10;
const message = Array.from({ length: packages * N }, (_, i) => String.fromCharCode(0x61 + (i % 26))).join('');

/** One run: TCP connection, GET_MAX/RETURN_MAX, MSG 1..n with ACKs, pos 4 dropped and resent on the full window, DONE/CLOSE. */
function writeRun(file) {
  const w = new PcapWriter(file, { resolution: 'ns' });
  const seq = { c: 1000, s: 9000 };
  let t = 0;
  const frame = (from, payload, flags = 0x18) => {
    const to = from === 'c' ? 's' : 'c';
    const [src, sp, dst, dp] = from === 'c' ? ['127.0.0.1', 50123, '127.0.0.1', 55558] : ['127.0.0.1', 55558, '127.0.0.1', 50123];
    const bytes = buildIpPacket({ src, dst, protocol: 'tcp', srcPort: sp, dstPort: dp, payload, tcp: { seq: seq[from], ack: seq[to], flags, window: 512 } });
    seq[from] = (seq[from] + payload.length + (flags & 0x03 ? 1 : 0)) >>> 0;
    const ns = Math.round(t * 1e9);
    w.writeFrame(1795400000 + Math.floor(ns / 1e9), ns % 1e9, bytes);
    t += 0.001;
  };
  const pkg = (header, payload, pos, params = { N }) => d.encode({ header, payload, seq: pos, sent_time: t, ack: false, prev_seq: pos, pos }, undefined, { params });
  const ack = (pos) => pkg('ACK', String(pos), 0);
  frame('c', Buffer.alloc(0), 0x02); frame('s', Buffer.alloc(0), 0x12); frame('c', Buffer.alloc(0), 0x10);
  frame('c', pkg('GET_MAX', '', 0, { N: 4 })); frame('s', pkg('RETURN_MAX', String(N), 0, { N: 4 }));
  const msg = (pos) => frame('c', pkg('MSG', message.slice((pos - 1) * N, pos * N), pos));
  for (let pos = 1; pos <= packages; pos++) {
    if (pos === 4) { t += 0.001; continue; } // dropped
    msg(pos);
    if (pos < 4) frame('s', ack(pos));
    if (pos === 6) { msg(4); for (const p of [4, 5, 6]) frame('s', ack(p)); } // window full: resend 4
    if (pos > 6) frame('s', ack(pos));
  }
  frame('c', pkg('DONE', 'EOMs', packages + 1)); frame('s', ack(packages + 1));
  frame('c', pkg('CLOSE', 'requ', packages + 2)); frame('s', pkg('DISCONNECT', 'appr', 0));
  w.close();
}

mkdirSync(dir, { recursive: true });
const scenario = path.join(dir, 'scenario.json');
writeFileSync(scenario, JSON.stringify({ dissector: 'ariel-package', policy: 'package-threshold', params: { window: 3, timeout: 2, N }, impairments: { data: { seq: [4] } }, sent: { message } }));
const files = [];
for (let i = 0; i < captures; i++) { const f = path.join(dir, `run-${i}.pcap`); writeRun(f); files.push(f); }

async function timed(jobs) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const v = await checkCaptures(files, scenario, { jobs });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  cpu.set(jobs, (c.user + c.system) / 1e6);
  const bad = v.filter((x) => x.verdict !== 'PASS');
  if (bad.length) throw new Error(`${bad.length} captures did not pass: ${JSON.stringify(bad[0].rules.filter((r) => r.verdict !== 'PASS').map((r) => r.summary))}`);
  return s;
}

const cpu = new Map();
const cores = availableParallelism();
const load0 = loadavg()[0];
await timed(1); // warm-up (page cache, JIT)
const one = await timed(1);
const many = await timed(cores);
const ms = (jobs) => ((1000 * cpu.get(jobs)) / captures).toFixed(1);
console.log(`${captures} captures × ${packages} packages (${(packages * 2 + 12)} frames each), ${cores} cores, load average ${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
console.log(`1 worker (reference): ${one.toFixed(2)} s, ${(captures / one).toFixed(1)} captures/s, CPU ${ms(1)} ms/capture`);
console.log(`${cores} workers:           ${many.toFixed(2)} s, ${(captures / many).toFixed(1)} captures/s, CPU ${ms(cores)} ms/capture`);
console.log(`speed-up over one worker: ${(one / many).toFixed(2)}× (at most ${cores}× on an idle machine; others' load takes cores away)`);
console.log(`CPU-bound ceiling at this CPU time: ${(cores / (cpu.get(cores) / captures)).toFixed(1)} captures/s on ${cores} free cores`);
