// Endpoint goodput over loopback, against the Node UDP one-way ceiling and kernel TCP.
// Run by hand:  npm run build && node bench/endpoint.mjs [MB=100] [REPS=3]
//
// Part 1 (the issue's figures): both ends in this one process (as runTransfer 'loopback' does),
// against a ceiling measured the same way (one event loop sending and receiving). The machine
// is shared, so its speed drifts by tens of percent within a minute: each transfer is paired
// with the mean of two ceilings measured just before and just after it, each pair gives a
// ratio, and a configuration is judged by the median of its REPS ratios (the lowest is printed too).
// Part 2 (what `acktrace send` and `acktrace receive` give): two processes, against a ceiling
// measured across two threads; printed for comparison, one run each.
//
// Options per run are printed on every line. sock352 stays Go-Back-N: adaptiveRto (timer from
// the measured RTT) and fastGoBack (window resent on the 3rd duplicate ACK); coalesceAcks: the
// receivers ACK in-order data every 4 packets and at the end of each batch (gaps still at once).
// At 5 % loss sock352's window is swept (8/12/16/24): Go-Back-N resends about a window per
// loss, so the best window balances that waste against idling.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runTransfer } from '../dist/endpoint/run_transfer.js';

const MB = Number(process.argv[2] ?? 100);
const REPS = Number(process.argv[3] ?? 3);
const SIZE = MB * 1024 * 1024;
const data = Buffer.alloc(SIZE);
for (let i = 0; i < SIZE; i += 4096) data[i] = i & 0xff;
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli/main.js');

function mbit(bytes, s) { return (bytes * 8) / s / 1e6; }
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const pct = (x) => `${(100 * x).toFixed(0)}%`;

/** Blasts 1 KB datagrams at `port` for `ms` (64 per turn of the event loop, as fast as sends complete). */
async function blast(port, ms) {
  const tx = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 << 20 });
  const buf = Buffer.alloc(1024);
  const t0 = performance.now();
  await new Promise((resolve) => {
    const burst = () => {
      if (performance.now() - t0 > ms) return resolve();
      let pending = 0;
      for (let i = 0; i < 64; i++) { pending++; tx.send(buf, port, '127.0.0.1', () => { if (--pending === 0) setImmediate(burst); }); }
    };
    burst();
  });
  tx.close();
  return (performance.now() - t0) / 1000;
}

/** Node UDP one-way ceiling in one event loop: a blast, counting what arrives. */
async function udpCeiling(ms = 1000) {
  const rx = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
  await new Promise((r) => rx.bind(0, '127.0.0.1', r));
  let got = 0;
  rx.on('message', () => { got++; });
  const s = await blast(rx.address().port, ms);
  await new Promise((r) => setTimeout(r, 50));
  rx.close();
  return { datagramsPerSecond: got / s, mbit: mbit(got * 1024, s) };
}

/** The same across two threads: the receiver counts in a worker (two processes' worth of CPU). */
async function udpCeilingTwoThreads(ms = 1000) {
  const w = new Worker(`
    const { parentPort } = require('node:worker_threads');
    const rx = require('node:dgram').createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
    let got = 0; rx.on('message', () => { got++; });
    rx.bind(0, '127.0.0.1', () => parentPort.postMessage(rx.address().port));
    parentPort.on('message', () => { parentPort.postMessage(got); rx.close(); parentPort.close(); });`, { eval: true });
  const port = await new Promise((r) => w.once('message', r));
  const s = await blast(port, ms);
  await new Promise((r) => setTimeout(r, 50));
  w.postMessage('count');
  const got = await new Promise((r) => w.once('message', r));
  return { datagramsPerSecond: got / s, mbit: mbit(got * 1024, s) };
}

/** Kernel TCP over loopback: SIZE bytes through one connection. */
async function kernelTcp() {
  let got = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const server = net.createServer((s) => s.on('data', (c) => { got += c.length; if (got >= SIZE) done(); }));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const t0 = performance.now();
  const c = net.connect(server.address().port, '127.0.0.1');
  const chunk = 64 * 1024;
  let off = 0;
  const pump = () => { while (off < SIZE) { const ok = c.write(data.subarray(off, off + chunk)); off += chunk; if (!ok) return c.once('drain', pump); } };
  c.on('connect', pump);
  await finished;
  const s = (performance.now() - t0) / 1000;
  c.destroy(); server.close();
  return mbit(SIZE, s);
}

const tcp = await kernelTcp();
console.log(`kernel TCP over loopback: ${tcp.toFixed(0)} Mbit/s (${MB} MB)`);

const sock352Fast = { timeout: 0.05, adaptiveRto: true, fastGoBack: true, coalesceAcks: true };
const csee = { timeout: 1, coalesceAcks: true };
const SWEEP = [8, 12, 16, 24];
const configs = [
  { protocol: 'sock352', loss: 0, tune: { window: 64, ...sock352Fast }, target: 0.5 },
  ...SWEEP.map((window) => ({ protocol: 'sock352', loss: 0.05, tune: { window, ...sock352Fast }, target: 0.3, sweep: true })),
  { protocol: 'csee4119-tcp', loss: 0, tune: { window: 64, ...csee }, target: 0.5 },
  { protocol: 'csee4119-tcp', loss: 0.05, tune: { window: 32, ...csee }, target: 0.3 },
];

console.log(`\nPart 1: both ends in one process, each run paired with a one-process ceiling measured just before and after it (${REPS} pairs per configuration)`);
const summary = [];
const ceilings = [];
for (const c of configs) {
  const ratios = [];
  const goodputs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const before = await udpCeiling();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await runTransfer({ protocol: c.protocol, bytes: data, mss: 1024, ...c.tune, impairments: c.loss ? { loss: c.loss, seed: rep + 1 } : {}, over: 'loopback' });
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    const after = await udpCeiling();
    const ceiling = { datagramsPerSecond: (before.datagramsPerSecond + after.datagramsPerSecond) / 2, mbit: (before.mbit + after.mbit) / 2 };
    ceilings.push(ceiling.mbit);
    if (!r.ok) { console.log(`  ${c.protocol} FAILED: ${r.reason}`); continue; }
    const g = mbit(r.bytes, r.seconds);
    ratios.push(g / ceiling.mbit);
    goodputs.push(g);
    const opts = [c.tune.adaptiveRto && 'adaptive RTO', c.tune.fastGoBack && 'fast go-back', c.tune.coalesceAcks && 'coalesced ACKs'].filter(Boolean).join(', ');
    console.log(`  ${c.protocol.padEnd(13)} loss ${String(c.loss * 100).padStart(2)}%  window ${c.tune.window} timeout ${c.tune.timeout}s${opts ? ` (${opts})` : ''}  seed ${rep + 1}: ${MB} MB in ${r.seconds.toFixed(2)} s (wall ${wall.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)  goodput ${g.toFixed(0)} Mbit/s; ceiling ${Math.round(ceiling.datagramsPerSecond)} datagrams/s = ${ceiling.mbit.toFixed(0)} Mbit/s (before ${before.mbit.toFixed(0)}, after ${after.mbit.toFixed(0)}): ${pct(g / ceiling.mbit)}, ${pct(g / tcp)} of kernel TCP; ${r.retransmissions} retransmissions, ${r.timeouts} timeouts (${r.spuriousTimeouts} spurious), ${r.fastRecoveries} fast recoveries, ${r.probes ?? 0} probes`);
  }
  if (ratios.length) summary.push({ ...c, median: median(ratios), low: Math.min(...ratios), best: Math.max(...goodputs), runs: ratios.length });
}

console.log('\nSummary (median of the paired ratios; the lowest in brackets):');
const line = (s) => `  ${s.protocol.padEnd(13)} loss ${String(s.loss * 100).padStart(2)}%  window ${String(s.tune.window).padStart(2)}: ${pct(s.median)} of the UDP ceiling (lowest ${pct(s.low)}), best ${s.best.toFixed(0)} Mbit/s; target ≥ ${pct(s.target)}: ${s.median >= s.target ? 'met' : 'NOT met'}${s.runs < REPS ? ` (${REPS - s.runs} runs failed)` : ''}`;
for (const s of summary.filter((x) => !x.sweep)) console.log(line(s));
const sweep = summary.filter((x) => x.sweep);
const best = sweep.reduce((a, b) => (b.median > (a?.median ?? -1) ? b : a), null);
for (const s of sweep) console.log(line(s) + (s === best ? '   <- best window of the sweep' : ''));

console.log('\nPart 2: `acktrace receive` and `acktrace send` as two processes, against a ceiling measured across two threads (one run each)');
const two = await udpCeilingTwoThreads();
console.log(`  two-thread ceiling: ${Math.round(two.datagramsPerSecond)} datagrams/s = ${two.mbit.toFixed(0)} Mbit/s`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'acktrace-bench-'));
const file = path.join(tmp, 'file.bin');
fs.writeFileSync(file, data);
const cliRuns = [
  ['sock352', 12, ['--timeout', '50ms', '--adaptive-rto', '--fast-go-back'], 0],
  ['sock352', 12, ['--timeout', '50ms', '--adaptive-rto', '--fast-go-back'], 0.05],
  ['csee4119-tcp', 32, [], 0],
  ['csee4119-tcp', 32, [], 0.05],
];
for (const [protocol, window, opts, loss] of cliRuns) {
  const out = path.join(tmp, 'copy.bin');
  const rec = spawn('node', [cli, 'receive', '-p', protocol, '--port', '0', '--out', out, '--coalesce-acks', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let recOut = '';
  rec.stdout.on('data', (b) => { recOut += b; });
  const port = await new Promise((resolve, reject) => {
    let err = '';
    rec.stderr.on('data', (b) => { err += b; const m = /listening on [^:]+:(\d+)/.exec(err); if (m) resolve(Number(m[1])); });
    rec.on('exit', () => reject(new Error(`receiver: ${err}`)));
  });
  const lossArgs = loss ? ['--loss', `${loss * 100}%`, '--seed', '1'] : [];
  const snd = spawn('node', [cli, 'send', '-p', protocol, file, '--to', `127.0.0.1:${port}`, '--window', String(window), ...opts, ...lossArgs, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let sndOut = '';
  snd.stdout.on('data', (b) => { sndOut += b; });
  await Promise.all([new Promise((r) => snd.on('exit', r)), new Promise((r) => rec.on('exit', r))]);
  const rr = JSON.parse(recOut || '{}');
  const sr = JSON.parse(sndOut || '{}');
  const same = fs.existsSync(out) && fs.readFileSync(out).equals(data);
  const g = rr.goodputBitsPerSecond / 1e6;
  console.log(`  ${protocol.padEnd(13)} loss ${String(loss * 100).padStart(2)}%  window ${window} ${opts.join(' ')}: ${MB} MB in ${rr.seconds?.toFixed(2)} s, goodput ${g.toFixed(0)} Mbit/s = ${pct(g / two.mbit)} of the two-thread ceiling (${pct(g / median(ceilings))} of the one-process ceiling's median), ${sr.retransmissions} retransmissions, file ${same ? 'identical' : 'DIFFERS'}`);
  fs.rmSync(out, { force: true });
}
fs.rmSync(tmp, { recursive: true, force: true });
