/**
 * Benchmark of the decode path (issue 2): a 1 M-packet UDP capture of sock352 segments,
 * decoded by acktrace's library path (capture → net → dissector, no printing), against three
 * record walks, pcap-parser's event loop and `tshark -T fields`, all on the same file in one run.
 * A second part runs bench/json_reader (100k-packet Wireshark JSON export vs JSON.parse).
 *
 * The three walks, because "bare walk" meant different things to different readers:
 * - header-only walk: reads each 16-byte record header and skips the record; no callback, never
 *   touches a packet byte. A floor no decoder can approach (it does no per-packet work at all).
 * - frame walk: PcapReader.forEach handing each record to a callback as the reused Frame view
 *   (what acktrace's decoders receive), the callback reading one byte of it.
 * - buffer walk ("bare walk" of issue 2): the frame walk plus a Buffer view of each record, as
 *   pcap-parser and most readers hand out packets. The issue measured pcap-parser at ~2.6× slower
 *   than its bare walk, which matches this walk, not the header-only one; the ≥ 70 % target is
 *   taken against it, and the other two ratios are printed beside it.
 * Each contender runs in its own process, best of 3 runs; rates are given per wall second and
 * per CPU second (process.cpuUsage), since the machine is shared.
 *
 * Run:
 *   npx tsc -p tsconfig.json --outDir bench/out && node bench/out/bench/decode.js [packets] [--quick]
 * (--quick skips tshark and the JSON part.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCapture } from '../src/capture/open_capture.js';
import { walkPcapRecords } from '../src/capture/pcap_reader.js';
import { PcapWriter } from '../src/capture/pcap_writer.js';
import { DissectorRegistry } from '../src/codec/dissector_registry.js';
import { DissectorBinding } from '../src/dissect/dissector_binding.js';
import { dissectCapture } from '../src/dissect/segment_stream.js';
import { buildIpPacket } from '../src/net/packet_builder.js';

const childAt = process.argv.indexOf('--child');
const args = process.argv.slice(2, childAt < 0 ? undefined : childAt).filter((a) => a !== '--quick');
const quick = process.argv.includes('--quick');
const packets = Number(args[0] ?? 1_000_000);
const dir = path.join(tmpdir(), 'acktrace-bench');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `sock352_${packets}.pcap`);
const sock352 = new DissectorRegistry().get('sock352');

/** Data one way, ACKs the other, 60-byte payloads: what a sock352 transfer looks like. */
function makeCapture(): void {
  const w = new PcapWriter(file, { resolution: 'us' });
  const payload = Buffer.alloc(60, 0x61);
  for (let i = 0; i < packets; i++) {
    const data = (i & 1) === 0;
    const seg = data
      ? sock352.encode({ version: 1, flags: 0, header_len: 40, sequence_no: i >> 1, payload_len: 60, window: 20 }, payload)
      : sock352.encode({ version: 1, flags: 4, header_len: 40, ack_no: (i >> 1) + 1, window: 20 });
    const ip = buildIpPacket({ src: '127.0.0.1', dst: '127.0.0.1', protocol: 'udp', srcPort: data ? 40000 : 40001, dstPort: data ? 40001 : 40000, payload: seg });
    w.writeFrame(1795300000 + Math.floor(i / 100000), (i % 100000) * 10000, ip);
  }
  w.close();
}

function timed<T>(fn: () => T): { value: T; seconds: number; cpu: number } {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const value = fn();
  const u = process.cpuUsage(c);
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpu: (u.user + u.system) / 1e6 };
}

async function pcapParser(): Promise<number> {
  const require = createRequire(import.meta.url);
  const pcapp = require('pcap-parser') as { parse(s: NodeJS.ReadableStream): NodeJS.EventEmitter };
  return new Promise((resolve, reject) => {
    let n = 0;
    const p = pcapp.parse(createReadStream(file, { highWaterMark: 4 << 20 }));
    p.on('packet', () => { n++; });
    p.on('end', () => resolve(n));
    p.on('error', reject);
  });
}

/** The in-process contenders; each returns the number of records or segments it handled. */
const CONTENDERS: Record<string, () => number> = {
  'header-only walk': () => walkPcapRecords(file).records,
  'frame walk': () => {
    let n = 0;
    openCapture(file).forEach((f) => { n += f.data[f.offset] >= 0 ? 1 : 0; });
    return n;
  },
  'buffer walk (bare walk)': () => {
    let n = 0;
    openCapture(file).forEach((f) => { const v = f.data.subarray(f.offset, f.offset + f.capLen); n += v.length > 0 ? 1 : 0; });
    return n;
  },
  'acktrace decode (library)': () => {
    const binding = new DissectorBinding({ forced: sock352, ports: [] });
    let n = 0;
    let check = 0;
    dissectCapture(openCapture(file), { binding, onSegment: (s) => { n++; check += s.segment.payloadLength; } });
    if (check !== (packets / 2) * 60) throw new Error(`decoded payload bytes ${check} ≠ ${(packets / 2) * 60}`);
    return n;
  },
};

/** Child mode: best of 3 runs of one contender (fastest wall time; least CPU time), as JSON. */
function child(name: string): void {
  const fn = CONTENDERS[name];
  let r = { seconds: Infinity, cpu: Infinity, n: 0 };
  for (let k = 0; k < 3; k++) {
    const t = timed(fn);
    if (t.seconds < r.seconds) r = { seconds: t.seconds, cpu: Math.min(r.cpu, t.cpu), n: t.value };
    else r.cpu = Math.min(r.cpu, t.cpu);
  }
  console.log(JSON.stringify(r));
}

async function main(): Promise<void> {
  if (!existsSync(file)) {
    const g = timed(makeCapture);
    console.log(`wrote ${file} (${packets} packets) in ${g.seconds.toFixed(1)} s`);
  }
  const mb = statSync(file).size / 1e6;
  walkPcapRecords(file); // page cache warm-up
  // Each contender runs in its own process: in one process the walks' callbacks would make the
  // reader's call site polymorphic before acktrace runs, a handicap no real user has.
  const rows: Array<{ name: string; seconds: number; cpu: number; n: number }> = [];
  for (const name of Object.keys(CONTENDERS)) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), String(packets), '--child', name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push({ name, ...JSON.parse(r.stdout) });
  }
  const pp = { seconds: Infinity, cpu: Infinity, n: 0 };
  for (let k = 0; k < 2; k++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const n = await pcapParser();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const u = process.cpuUsage(c0);
    pp.cpu = Math.min(pp.cpu, (u.user + u.system) / 1e6);
    if (s < pp.seconds) { pp.seconds = s; pp.n = n; }
  }
  rows.push({ name: 'pcap-parser event loop', ...pp });
  let ts: { seconds: number } | null = null;
  if (!quick) {
    // tshark runs in a child process: its CPU time is not ours to count, so only wall time.
    ts = timed(() => spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'udp.payload'], { stdio: ['ignore', 'ignore', 'ignore'] }));
    rows.push({ name: 'tshark -T fields', seconds: ts.seconds, cpu: NaN, n: packets });
  }

  const [headerWalk, frameWalk, bareWalk, ours] = rows;
  const pct = (ref: { seconds: number }, r: { seconds: number }) => `${(ref.seconds / r.seconds * 100).toFixed(0)} %`;
  const pctCpu = (ref: { cpu: number }, r: { cpu: number }) => `${(ref.cpu / r.cpu * 100).toFixed(0)} %`;
  console.log(`\ndecode benchmark: ${packets} sock352 segments, ${mb.toFixed(1)} MB, node ${process.version}, one core`);
  console.log(`  ${''.padEnd(26)} ${'wall s'.padStart(8)} ${'M seg/s'.padStart(8)} ${'cpu s'.padStart(7)} ${'M seg/cpu-s'.padStart(11)} ${'MB/s'.padStart(6)}   % of bare (buffer) walk, wall / cpu`);
  for (const r of rows) {
    const cpuRate = Number.isFinite(r.cpu) ? (r.n / r.cpu / 1e6).toFixed(2) : '-';
    const cpuPct = Number.isFinite(r.cpu) ? pctCpu(bareWalk, r) : '-';
    console.log(`  ${r.name.padEnd(26)} ${r.seconds.toFixed(3).padStart(8)} ${(r.n / r.seconds / 1e6).toFixed(2).padStart(8)} ${(Number.isFinite(r.cpu) ? r.cpu.toFixed(3) : '-').padStart(7)} ${cpuRate.padStart(11)} ${(mb / r.seconds).toFixed(0).padStart(6)}   ${pct(bareWalk, r).padStart(6)} / ${cpuPct}`);
  }
  console.log(`  acktrace vs pcap-parser: ${(pp.seconds / ours.seconds).toFixed(1)}x${ts ? `   acktrace vs tshark: ${(ts.seconds / ours.seconds).toFixed(1)}x` : ''}`);
  console.log(`  target ≥ 1 M segments/s: ${(ours.n / ours.seconds / 1e6).toFixed(2)} M/s wall, ${(ours.n / ours.cpu / 1e6).toFixed(2)} M/s of CPU time`);
  console.log(`  target ≥ 70 % of the bare walk: ${pct(bareWalk, ours)} of the buffer walk (cpu ${pctCpu(bareWalk, ours)}); for reference ${pct(frameWalk, ours)} of the frame walk (cpu ${pctCpu(frameWalk, ours)}) and ${pct(headerWalk, ours)} of the header-only walk`);
  if (quick) return;

  const jsonBench = path.join(path.dirname(new URL(import.meta.url).pathname), 'json_reader.js');
  if (existsSync(jsonBench)) {
    console.log('\nWireshark JSON export (100k packets):');
    console.log(execFileSync(process.execPath, [jsonBench, '100000'], { encoding: 'utf8' }).trimEnd());
  }
}

if (childAt >= 0) child(process.argv[childAt + 1]);
else main().catch((e) => { console.error(e); process.exit(1); });
