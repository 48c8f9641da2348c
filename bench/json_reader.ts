/**
 * Benchmark of the Wireshark JSON reader against JSON.parse on a 100k-packet export.
 *
 * Run (tsx is not installed and Node 20 cannot strip types, so compile first):
 *   npx tsc -p tsconfig.json --outDir /tmp/benchbuild && node /tmp/benchbuild/bench/json_reader.js [packets]
 *
 * It writes a pcap of N UDP/TCP packets (default 100 000) with the project's packet builder,
 * exports it with `tshark -T json` (cached in $TMPDIR by packet count), then measures each
 * contender in its own child process so that peak RSS (process.resourceUsage().maxRSS) is
 * its own: our reader (json, and json -x with raw bytes) and JSON.parse of the whole file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openWiresharkJson } from '../src/capture/wireshark_json_reader.js';
import { buildEthernetFrame } from '../src/net/packet_builder.js';

const packets = process.argv[2] === '--child' ? 0 : Number(process.argv[2] ?? 100_000);

function writeBenchPcap(file: string, n: number): void {
  const fd = openSync(file, 'w');
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  writeSync(fd, head);
  const payload = Buffer.alloc(1400);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
  for (let i = 0; i < n; i++) {
    const tcp = i % 4 === 3;
    const frame = buildEthernetFrame({
      src: i % 8 === 7 ? 'fd00::1' : '10.0.0.1', dst: i % 8 === 7 ? 'fd00::2' : '10.0.0.2',
      protocol: tcp ? 'tcp' : 'udp', srcPort: 40001, dstPort: 40002,
      payload: payload.subarray(0, 40 + ((i * 37) % 300)),
      tcp: tcp ? { seq: i * 1000, ack: 1, flags: 0x18, window: 512 } : undefined,
    });
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0);
    rec.writeUInt32LE((i % 1000) * 1000, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    writeSync(fd, rec);
    writeSync(fd, frame);
  }
  closeSync(fd);
}

function prepare(): { json: string; jsonX: string } {
  const dir = tmpdir();
  const pcap = path.join(dir, `acktrace-bench-${packets}.pcap`);
  const json = path.join(dir, `acktrace-bench-${packets}.json`);
  const jsonX = path.join(dir, `acktrace-bench-${packets}.x.json`);
  if (!existsSync(pcap)) writeBenchPcap(pcap, packets);
  for (const [out, extra] of [[json, []], [jsonX, ['-x']]] as const) {
    if (existsSync(out)) continue;
    const fd = openSync(out, 'w');
    execFileSync('tshark', ['-r', pcap, '-T', 'json', ...extra], { stdio: ['ignore', fd, 'ignore'] });
    closeSync(fd);
  }
  return { json, jsonX };
}

/** One measurement, run inside a child process. Prints a JSON line. */
function measure(mode: string, file: string): void {
  // The reader runs three times in its child and the best run counts, as in bench/decode (the
  // machine is shared and a single run mostly measures the neighbours); JSON.parse runs once.
  const runs = mode === 'reader' ? 3 : 1;
  let best = { seconds: Infinity, cpuSeconds: Infinity, frames: 0, bytes: 0 };
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let frames = 0;
    let bytes = 0;
    if (mode === 'reader') {
      openWiresharkJson(file, 'json').forEach((f) => {
        frames++;
        bytes += f.capLen;
      });
    } else {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
      frames = doc.length;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (seconds < best.seconds) best = { seconds, cpuSeconds, frames, bytes };
  }
  const size = statSync(file).size;
  console.log(JSON.stringify({
    mode, frames: best.frames, bytes: best.bytes, seconds: best.seconds, mbPerS: size / 1e6 / best.seconds,
    cpuMbPerS: size / 1e6 / best.cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
}

function child(mode: string, file: string): { mbPerS: number; cpuMbPerS: number; maxRssMb: number; seconds: number; frames: number } | string {
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', process.argv[1], '--child', mode, file], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as { mbPerS: number; cpuMbPerS: number; maxRssMb: number; seconds: number; frames: number };
  } catch {
    return `failed (${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? r.status})`;
  }
}

if (process.argv[2] === '--child') {
  measure(process.argv[3], process.argv[4]);
} else {
  const { json, jsonX } = prepare();
  for (const file of [json, jsonX]) {
    const mb = statSync(file).size / 1e6;
    console.log(`${path.basename(file)}: ${mb.toFixed(0)} MB, ${packets} packets`);
    const ours = child('reader', file);
    const ref = child('jsonparse', file);
    const show = (name: string, r: typeof ours): string =>
      typeof r === 'string' ? `${name}: ${r}` : `${name}: ${r.mbPerS.toFixed(0)} MB/s wall (${r.seconds.toFixed(2)} s), ${r.cpuMbPerS.toFixed(0)} MB/s of CPU time, ${r.frames} frames, peak RSS ${r.maxRssMb.toFixed(0)} MB`;
    console.log('  ' + show('acktrace reader', ours));
    console.log('  ' + show('JSON.parse     ', ref));
    if (typeof ours !== 'string' && typeof ref !== 'string') {
      console.log(`  speed ratio ${(ours.mbPerS / ref.mbPerS).toFixed(1)}x, memory ratio ${(ref.maxRssMb / ours.maxRssMb).toFixed(1)}x less`);
    }
  }
}
