// Endpoint goodput over loopback, against the Node UDP one-way ceiling and kernel TCP.
// Run by hand:  npm run build && node bench/endpoint.mjs [MB=100]
// Both ends run in this one process (as runTransfer 'loopback' does), and so do the references.
// The bench picks each run's window and timer options (the issue allows "a large enough window"
// and the protocols' own parameters); they are printed on every line. sock352 stays Go-Back-N:
// adaptiveRto (timer from the measured RTT) and fastGoBack (window resent on the 3rd duplicate ACK).
// coalesceAcks: the receivers ACK each batch of in-order arrivals once (gaps still at once).
// Each line also counts the sender's retransmission timeouts and fast recoveries (sock352: fast
// go-backs; csee4119-tcp: fast retransmits and probes): timeouts are time spent idle. sock352 with
// adaptiveRto also counts its tail-loss probes (the base resent once after ~2·SRTT of silence).
// CPU time (user+system of this process) is printed per run: the machine may be shared.
import dgram from 'node:dgram';
import net from 'node:net';
import { runTransfer } from '../dist/endpoint/run_transfer.js';

const MB = Number(process.argv[2] ?? 100);
const SIZE = MB * 1024 * 1024;
const data = Buffer.alloc(SIZE);
for (let i = 0; i < SIZE; i += 4096) data[i] = i & 0xff;

function mbit(bytes, s) { return (bytes * 8) / s / 1e6; }

/** Node UDP one-way ceiling: blast 1 KB datagrams for 2 s and count what arrives. */
async function udpCeiling() {
  const rx = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
  const tx = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 << 20 });
  await new Promise((r) => rx.bind(0, '127.0.0.1', r));
  let got = 0;
  rx.on('message', () => { got++; });
  const port = rx.address().port;
  const buf = Buffer.alloc(1024);
  const t0 = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const burst = () => {
      if (performance.now() - t0 > 2000) return resolve();
      let pending = 0;
      for (let i = 0; i < 64; i++) { pending++; sent++; tx.send(buf, port, '127.0.0.1', () => { if (--pending === 0) setImmediate(burst); }); }
    };
    burst();
  });
  await new Promise((r) => setTimeout(r, 100));
  const s = (performance.now() - t0 - 100) / 1000;
  rx.close(); tx.close();
  return { datagramsPerSecond: got / s, mbit: mbit(got * 1024, s), sent, got };
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

const ceiling = await udpCeiling();
console.log(`Node UDP one-way ceiling: ${Math.round(ceiling.datagramsPerSecond)} datagrams/s of 1 KB = ${ceiling.mbit.toFixed(0)} Mbit/s`);
const tcp = await kernelTcp();
console.log(`kernel TCP over loopback: ${tcp.toFixed(0)} Mbit/s (${MB} MB)`);

// sock352 is Go-Back-N by definition (a loss costs about a window of resends), so at 5 % loss the
// window is swept (8/12/16/20/24: the optimum lies there), each printed, then the best summarised.
const sock352Fast = { timeout: 0.05, adaptiveRto: true, fastGoBack: true, coalesceAcks: true };
const SWEEP = [8, 12, 16, 20, 24];
const runs = [
  ['sock352', 0, { window: 64, ...sock352Fast }],
  ...SWEEP.map((window) => ['sock352', 0.05, { window, ...sock352Fast }]),
  ['csee4119-tcp', 0, { window: 64, timeout: 1, coalesceAcks: true }],
  ['csee4119-tcp', 0.05, { window: 32, timeout: 1, coalesceAcks: true }],
];
let best = null;
for (const [protocol, loss, tune] of runs) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await runTransfer({ protocol, bytes: data, mss: 1024, ...tune, impairments: loss ? { loss, seed: 1 } : {}, over: 'loopback' });
  const cpu = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const g = mbit(r.bytes, r.seconds);
  const opts = [tune.adaptiveRto && 'adaptive RTO', tune.fastGoBack && 'fast go-back', tune.coalesceAcks && 'coalesced ACKs'].filter(Boolean).join(', ');
  if (protocol === 'sock352' && loss === 0.05 && r.ok && (!best || g > best.g)) best = { g, window: tune.window };
  console.log(`${protocol.padEnd(13)} loss ${String(loss * 100).padStart(2)}%  window ${tune.window} timeout ${tune.timeout}s${opts ? ` (${opts})` : ''}  ok ${r.ok}  ${MB} MB in ${r.seconds.toFixed(2)} s (wall ${wall.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)  goodput ${g.toFixed(0)} Mbit/s = ${(100 * g / ceiling.mbit).toFixed(0)}% of the UDP ceiling, ${(100 * g / tcp).toFixed(0)}% of kernel TCP, ${r.retransmissions} retransmissions, ${r.timeouts} timeouts (${r.spuriousTimeouts} spurious), ${r.fastRecoveries} fast recoveries, ${r.probes ?? 0} tail-loss probes`);
}
if (best) console.log(`sock352 loss 5% best window ${best.window} of ${SWEEP.join('/')}: goodput ${best.g.toFixed(0)} Mbit/s = ${(100 * best.g / ceiling.mbit).toFixed(0)}% of the UDP ceiling, ${(100 * best.g / tcp).toFixed(0)}% of kernel TCP`);
else console.log('sock352 loss 5%: no window of the sweep completed');
