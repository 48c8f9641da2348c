// Benchmark of `acktrace analyze` (issue 3): decode + full analysis of a plain-TCP capture of
// 1 M packets, and the peak RSS for 1 M vs 5 M packets (each measured in its own child
// process, so the figures are not mixed), against tshark's two-pass TCP analysis of the same
// 1 M-packet file in the same run: `tshark -2 -r FILE -T fields -e tcp.analysis.retransmission`.
//
// Each child runs twice and the better run counts (the machine is shared); rates are given per
// wall second and per CPU second (process.cpuUsage of the child). The child passes an onEntry
// listener, so every TimelineEntry is made as `acktrace analyze --frames` needs it; a second
// 1 M run without a listener ("summaries only") shows what analyzeCapture costs without them.
//
// Run (from the repo root):
//   npm run build && node bench/analyze.mjs [packets=1000000] [big=5000000]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCapture } from '../dist/capture/open_capture.js';
import { PcapWriter } from '../dist/capture/pcap_writer.js';
import { DissectorRegistry } from '../dist/codec/dissector_registry.js';
import { DissectorBinding } from '../dist/dissect/dissector_binding.js';
import { analyzeCapture } from '../dist/analyze/analyze_capture.js';
import { buildIpPacket } from '../dist/net/packet_builder.js';

const self = fileURLToPath(import.meta.url);

/** Child mode: analyze one file (with or without an entry listener), print JSON figures. */
if (process.argv[2] === '--child') {
  const file = process.argv[3];
  const listen = process.argv[4] !== 'summaries';
  const binding = new DissectorBinding({ available: [], tcp: new DissectorRegistry().get('tcp') });
  let n = 0, retx = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const onEntry = listen ? (e) => { n++; if (e.flags.length && e.flags.includes('retransmission')) retx++; } : undefined;
  const { connections } = analyzeCapture(openCapture(file), { binding, onEntry });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const u = process.cpuUsage(c0);
  if (!listen) for (const c of connections) { n += c.forward.packets + c.reverse.packets; retx += c.forward.retransmittedPackets + c.reverse.retransmittedPackets; }
  console.log(JSON.stringify({ segments: n, retx, seconds: s, cpu: (u.user + u.system) / 1e6, rssMB: process.resourceUsage().maxRSS / 1024, connections: connections.length }));
  process.exit(0);
}

const N = Number(process.argv[2] ?? 1_000_000);
const BIG = Number(process.argv[3] ?? 5_000_000);
const dir = path.join(tmpdir(), 'acktrace-bench');
mkdirSync(dir, { recursive: true });

/**
 * A bulk TCP transfer: 64-byte segments one way, an ACK every second segment back, one segment
 * in 500 lost (not captured) and retransmitted 10 segments later, over 16 parallel connections.
 * The ACK rule counts segments across all connections (k % 2), so the even-numbered connections
 * never see an ACK: half the transfers look like one-way captures, which is what bounds the
 * analyzer's per-connection memory (its unacknowledged-segment cap) is there for.
 */
function makeTcpCapture(packets) {
  const file = path.join(dir, `tcp_${packets}.pcap`);
  if (existsSync(file)) return file;
  const w = new PcapWriter(file);
  const payload = Buffer.alloc(64, 0x61);
  const conns = Array.from({ length: 16 }, (_, i) => ({ port: 40000 + i, seq: 1000, ack: 9000, pending: [] }));
  let written = 0, us = 0, k = 0;
  const put = (c, fromClient, seq, len, flags) => {
    const bytes = buildIpPacket({
      src: fromClient ? '10.0.0.1' : '10.0.0.2', dst: fromClient ? '10.0.0.2' : '10.0.0.1', protocol: 'tcp',
      srcPort: fromClient ? c.port : 5001, dstPort: fromClient ? 5001 : c.port,
      payload: len ? payload : Buffer.alloc(0), tcp: { seq: fromClient ? seq : c.ack, ack: fromClient ? c.ack : seq, flags, window: 65535 },
    });
    us += 10;
    w.writeFrame(1795500000 + Math.floor(us / 1e6), (us % 1e6) * 1000, bytes);
    written++;
  };
  for (const c of conns) { put(c, true, c.seq - 1, 0, 0x02); put(c, false, c.seq, 0, 0x12); c.ack++; put(c, true, c.seq, 0, 0x10); }
  while (written < packets) {
    const c = conns[k++ % conns.length];
    const seq = c.seq;
    c.seq = (c.seq + 64) >>> 0;
    if (k % 500 === 0) c.pending.push([seq, 10]); // lost before the capture point
    else put(c, true, seq, 64, 0x18);
    for (const p of c.pending) if (--p[1] === 0) put(c, true, p[0], 64, 0x18);
    c.pending = c.pending.filter((p) => p[1] > 0);
    if (k % 2 === 0) put(c, false, c.pending.length ? c.pending[0][0] : c.seq, 0, 0x10);
  }
  w.close();
  return file;
}

function child(file, mode = 'entries') {
  let best = null;
  for (let k = 0; k < 2; k++) {
    const r = spawnSync(process.execPath, [self, '--child', file, mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    const run = JSON.parse(r.stdout);
    if (best === null || run.seconds < best.seconds) best = { ...run, cpu: Math.min(run.cpu, best?.cpu ?? Infinity), rssMB: Math.max(run.rssMB, best?.rssMB ?? 0) };
    else { best.cpu = Math.min(best.cpu, run.cpu); best.rssMB = Math.max(best.rssMB, run.rssMB); }
  }
  return best;
}

const line = (what, r) => `${what}: ${r.segments} segments in ${r.seconds.toFixed(2)} s = ${(r.segments / r.seconds / 1e6).toFixed(2)} M segments/s (${(r.segments / r.cpu / 1e6).toFixed(2)} M per CPU second), peak RSS ${r.rssMB.toFixed(0)} MB, ${r.retx} retransmissions`;

const small = makeTcpCapture(N);
const big = makeTcpCapture(BIG);
console.log(`captures: ${small} (${(statSync(small).size / 1e6).toFixed(1)} MB), ${big} (${(statSync(big).size / 1e6).toFixed(1)} MB)`);
const a = child(small);
console.log(line(`acktrace analyze ${N} packets, every entry`, a));
const q = child(small, 'summaries');
console.log(line(`acktrace analyze ${N} packets, summaries only`, q));
const b = child(big);
console.log(line(`acktrace analyze ${BIG} packets, every entry`, b));
console.log(`RSS ${BIG} vs ${N}: ${((b.rssMB / a.rssMB - 1) * 100).toFixed(1)} % (target: within 10 %)`);
const t0 = process.hrtime.bigint();
const out = execFileSync('tshark', ['-2', '-r', small, '-T', 'fields', '-e', 'tcp.analysis.retransmission'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
const ts = Number(process.hrtime.bigint() - t0) / 1e9;
const tretx = out.split('\n').filter((l) => l.trim() !== '').length;
console.log(`tshark -2 on ${N} packets: ${ts.toFixed(2)} s wall (${tretx} retransmissions); acktrace is ${(ts / a.seconds).toFixed(1)}x faster by wall time (target 50x)`);
