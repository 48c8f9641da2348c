/**
 * Benchmark of the decode path (issue 2): a 1 M-packet UDP capture of sock352 segments,
 * decoded by acktrace's library path (capture → net → dissector, no printing), against a bare
 * record walk, pcap-parser's event loop and `tshark -T fields`, all on the same file in one run.
 * A second part runs bench/json_reader (100k-packet Wireshark JSON export vs JSON.parse).
 *
 * Run:
 *   npx tsc -p tsconfig.json --outDir bench/out && node bench/out/bench/decode.js [packets]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCapture } from '../src/capture/open_capture.js';
import { walkPcapRecords } from '../src/capture/pcap_reader.js';
import { PcapWriter } from '../src/capture/pcap_writer.js';
import { DissectorRegistry } from '../src/codec/dissector_registry.js';
import { DissectorBinding } from '../src/dissect/dissector_binding.js';
import { dissectCapture } from '../src/dissect/segment_stream.js';
import { buildIpPacket } from '../src/net/packet_builder.js';

const packets = Number(process.argv[2] ?? 1_000_000);
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

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
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

async function main(): Promise<void> {
  if (!existsSync(file)) {
    const g = timed(makeCapture);
    console.log(`wrote ${file} (${packets} packets) in ${g.seconds.toFixed(1)} s`);
  }
  const mb = statSync(file).size / 1e6;
  walkPcapRecords(file); // page cache warm-up
  const rows: Array<{ name: string; seconds: number; n: number }> = [];
  const best = (name: string, fn: () => number) => {
    let r = { seconds: Infinity, n: 0 };
    for (let k = 0; k < 3; k++) { const t = timed(fn); if (t.seconds < r.seconds) r = { seconds: t.seconds, n: t.value }; }
    rows.push({ name, ...r });
  };
  best('bare record walk', () => walkPcapRecords(file).records);
  best('walk + a Buffer per record', () => {
    let n = 0;
    openCapture(file).forEach((f) => { const v = f.data.subarray(f.offset, f.offset + f.capLen); n += v.length > 0 ? 1 : 0; });
    return n;
  });
  const binding = new DissectorBinding({ forced: sock352, ports: [] });
  best('acktrace decode (library)', () => {
    let n = 0;
    let check = 0;
    dissectCapture(openCapture(file), { binding, onSegment: (s) => { n++; check += s.segment.payloadLength; } });
    if (check !== (packets / 2) * 60) throw new Error(`decoded payload bytes ${check} ≠ ${(packets / 2) * 60}`);
    return n;
  });
  const pp = { seconds: Infinity, n: 0 };
  for (let k = 0; k < 2; k++) {
    const t0 = process.hrtime.bigint();
    const n = await pcapParser();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (s < pp.seconds) { pp.seconds = s; pp.n = n; }
  }
  rows.push({ name: 'pcap-parser event loop', ...pp });
  const ts = timed(() => spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'udp.payload'], { stdio: ['ignore', 'ignore', 'ignore'] }));
  rows.push({ name: 'tshark -T fields', seconds: ts.seconds, n: packets });

  const walk = rows[0];
  const ours = rows[2];
  console.log(`\ndecode benchmark: ${packets} sock352 segments, ${mb.toFixed(1)} MB, node ${process.version}, one core`);
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(28)} ${r.seconds.toFixed(3).padStart(8)} s ${(r.n / r.seconds / 1e6).toFixed(2).padStart(7)} M segments/s ${(mb / r.seconds).toFixed(0).padStart(6)} MB/s   ${(walk.seconds / r.seconds * 100).toFixed(0).padStart(4)} % of bare walk`);
  }
  console.log(`  acktrace vs pcap-parser: ${(pp.seconds / ours.seconds).toFixed(1)}x   acktrace vs tshark: ${(ts.seconds / ours.seconds).toFixed(1)}x`);
  console.log(`  targets: ≥ 1 M segments/s (${(ours.n / ours.seconds / 1e6).toFixed(2)} M) and ≥ 70 % of the bare walk (${(walk.seconds / ours.seconds * 100).toFixed(0)} % of the header-only walk, ${(rows[1].seconds / ours.seconds * 100).toFixed(0)} % of the walk that hands out each record)`);

  const jsonBench = path.join(path.dirname(new URL(import.meta.url).pathname), 'json_reader.js');
  if (existsSync(jsonBench)) {
    console.log('\nWireshark JSON export (100k packets):');
    console.log(execFileSync(process.execPath, [jsonBench, '100000'], { encoding: 'utf8' }).trimEnd());
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
