/**
 * `acktrace decode` against independent oracles: the same run decodes identically from pcap,
 * pcapng and Wireshark JSON, and every field equals what CPython's struct.unpack reads from
 * the payload bytes tshark extracts (tshark for the bytes, Python for the semantics).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/open_capture.js';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { DissectorBinding } from '../../src/dissect/dissector_binding.js';
import { segmentJson, type SegmentJson } from '../../src/dissect/segment_json.js';
import { dissectCapture } from '../../src/dissect/segment_stream.js';

const root = resolve(__dirname, '../..');
const shared = resolve(root, '../shared/fixtures');
const registry = new DissectorRegistry([resolve(root, 'fixtures/dissectors')]);

function decode(file: string, dissector: string, ports: number[] = []): SegmentJson[] {
  const out: SegmentJson[] = [];
  const binding = new DissectorBinding({ forced: registry.get(dissector), ports });
  dissectCapture(openCapture(file), { binding, onSegment: (s) => out.push(segmentJson(s)) });
  return out;
}

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/** struct.unpack of each hex payload, as JSON lists (bytes decoded, NULs stripped like the seed does). */
function pythonUnpack(format: string, hexes: string[]): unknown[][] {
  const prog = `
import struct, sys, json
fmt = sys.argv[1]
n = struct.calcsize(fmt)
out = []
for h in json.load(sys.stdin):
    b = bytes.fromhex(h)
    vals = struct.unpack(fmt, b[:n])
    out.append([v.rstrip(b'\\0').decode('latin1') if isinstance(v, bytes) else (str(v) if isinstance(v, int) and abs(v) > 2**53 - 1 else v) for v in vals])
print(json.dumps(out))`;
  return JSON.parse(execFileSync('python3', ['-c', prog, format], { input: JSON.stringify(hexes) }).toString());
}

const seeds = [
  { name: 'sock352_gbn_drop3', dissector: 'sock352', ports: [38912], format: '!BBBBHHLLQQLL' },
  { name: 'csee4119_drop1500', dissector: 'csee4119-tcp', ports: [], format: '!HHIIBBHHH' },
  { name: 'ariel_package_drop4', dissector: 'ariel-package', ports: [], format: '10s10s i d ? i i' },
];

describe('seed fixtures decode field-exact from pcap, pcapng and JSON alike', () => {
  for (const s of seeds) {
    it(s.name, () => {
      const base = resolve(root, 'fixtures/seeds', s.name);
      const pcap = decode(`${base}.pcap`, s.dissector, s.ports);
      expect(pcap.length).toBeGreaterThan(10);
      expect(decode(`${base}.pcapng`, s.dissector, s.ports)).toEqual(pcap);
      expect(decode(`${base}.json`, s.dissector, s.ports)).toEqual(pcap);
    });
  }
});

describe('fields equal CPython struct.unpack of the bytes tshark extracts', () => {
  for (const s of seeds.filter((x) => x.dissector !== 'ariel-package')) {
    it(s.name, () => {
      const file = resolve(root, 'fixtures/seeds', `${s.name}.pcap`);
      const rows = tshark(['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'udp.payload']).trim().split('\n').map((l) => l.split('\t'));
      const expected = pythonUnpack(s.format, rows.map((r) => r[1]));
      const ours = decode(file, s.dissector, s.ports);
      expect(ours.map((o) => o.frame)).toEqual(rows.map((r) => Number(r[0])));
      ours.forEach((o, k) => expect(Object.values(o.fields!), `frame ${o.frame}`).toEqual(expected[k]));
    });
  }

  it('ariel_package_drop4: records cut from the stream tshark follows', () => {
    const file = resolve(root, 'fixtures/seeds', 'ariel_package_drop4.pcap');
    const follow = tshark(['-r', file, '-q', '-z', 'follow,tcp,raw,0']);
    // Raw follow output: one hex line per segment, server→client lines indented with a tab.
    const lines = follow.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
    const client = lines.filter((l) => !l.startsWith('\t')).join('');
    const server = lines.filter((l) => l.startsWith('\t')).map((l) => l.slice(1)).join('');
    const cut = (hex: string) => hex.match(/.{88}/g) ?? []; // every record is 44 bytes for N = 4 and N = 10
    const ours = decode(file, 'ariel-package');
    const fromClient = ours.filter((o) => o.src.endsWith(':50123'));
    const fromServer = ours.filter((o) => o.src.endsWith(':55558'));
    expect(fromClient.map((o) => Object.values(o.fields!))).toEqual(pythonUnpack('10s4s i d ? i i', cut(client).slice(0, 1)).concat(pythonUnpack('10s10s i d ? i i', cut(client).slice(1))));
    expect(fromServer.map((o) => Object.values(o.fields!))).toEqual(pythonUnpack('10s4s i d ? i i', cut(server).slice(0, 1)).concat(pythonUnpack('10s10s i d ? i i', cut(server).slice(1))));
  });

  it('the shared udp_custom_lo capture, from pcapng and from its Wireshark JSON export', () => {
    const pcapng = resolve(shared, 'udp_custom_lo.pcapng');
    const rows = tshark(['-r', pcapng, '-T', 'fields', '-e', 'frame.number', '-e', 'udp.payload']).trim().split('\n').map((l) => l.split('\t'));
    const expected = pythonUnpack('!BBBBHHLLQQLL', rows.map((r) => r[1]));
    const ours = decode(pcapng, 'udp-custom', [40001, 40002]);
    expect(ours).toHaveLength(402);
    ours.forEach((o, k) => expect(Object.values(o.fields!), `frame ${o.frame}`).toEqual(expected[k]));
    expect(ours.every((o) => o.checksum === 'ok')).toBe(true);
    expect(decode(resolve(shared, 'udp_custom_lo.json'), 'udp-custom', [40001, 40002])).toEqual(ours);
  });
});
