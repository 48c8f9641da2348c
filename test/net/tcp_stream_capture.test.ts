import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetDecoder } from '../../src/net/net_decoder.js';
import { endpointString } from '../../src/net/ip_address.js';
import { TcpStreamReassembler } from '../../src/net/tcp_stream_reassembler.js';
import { FIXTURES, forEachFrame } from './capture_fixture.js';

const FILE = path.join(FIXTURES, 'tcp_veth_eth.pcapng');

/** tshark's "Follow TCP stream" bytes per direction, keyed "ip:port>ip:port". */
function tsharkFollow(stream: number): Map<string, string> {
  const out = execFileSync('tshark', ['-r', FILE, '-q', '-z', `follow,tcp,raw,${stream}`], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = out.split('\n');
  const node = (n: number): string => (lines.find((l) => l.startsWith(`Node ${n}: `)) ?? '').slice(8).trim();
  const [a, b] = [node(0), node(1)];
  let ab = '';
  let ba = '';
  for (const l of lines.slice(lines.findIndex((x) => x.startsWith('Node 1: ')) + 1)) {
    if (/^[0-9a-f]+$/.test(l)) ab += l;
    else if (/^\t[0-9a-f]+$/.test(l)) ba += l.slice(1);
  }
  return new Map([[`${a}>${b}`, ab], [`${b}>${a}`, ba]]);
}

describe('TcpStreamReassembler on a lossy kernel TCP capture', () => {
  it('rebuilds both directions of both connections exactly as tshark follows them', () => {
    const dec = new NetDecoder({ verifyChecksums: false });
    const streams = new Map<string, { r: TcpStreamReassembler; chunks: Buffer[]; lastFrame: number; gaps: number }>();
    forEachFrame(FILE, (frame) => {
      const p = dec.decode(frame);
      if (!p?.tcp) return;
      const key = `${endpointString(p, 'src')}>${endpointString(p, 'dst')}`;
      let s = streams.get(key);
      if (!s) {
        const st = { chunks: [] as Buffer[], lastFrame: 0, gaps: 0, r: null as unknown as TcpStreamReassembler };
        st.r = new TcpStreamReassembler({
          onData: (chunk, _at, f) => {
            expect(f).toBeGreaterThanOrEqual(st.lastFrame);
            st.lastFrame = f;
            st.chunks.push(Buffer.from(chunk));
          },
          onGap: () => { st.gaps++; },
        });
        streams.set(key, st);
        s = st;
      }
      s.r.push(p.tcp.seq, p.buf, p.payloadOffset, p.payloadLength, frame.index, (p.tcp.flags & 0x02) !== 0);
    });
    const expected = new Map([...tsharkFollow(0), ...tsharkFollow(1)]);
    expect(streams.size).toBe(4);
    let total = 0;
    for (const [key, s] of streams) {
      expect(s.gaps, key).toBe(0);
      expect(s.r.bufferedBytes, key).toBe(0);
      const hex = Buffer.concat(s.chunks).toString('hex');
      expect(hex.length, key).toBe((expected.get(key) ?? '').length);
      expect(hex === expected.get(key), key).toBe(true);
      total += hex.length / 2;
    }
    expect(total).toBeGreaterThan(1_000_000);
  });
});
