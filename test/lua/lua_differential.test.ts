/**
 * The generated Wireshark plugin against acktrace itself: for every shipped dissector except
 * plain TCP, the user examples, and dissectors made by `dissector new --struct`, tshark with
 * the plugin and `acktrace decode --json` must give the same value for every field of every
 * record of every frame, and the same Info column. For pseudo-header checksums of UDP-carried
 * records, `acktrace decode` must also give the verdict the codec reaches on its own with the
 * datagram's pseudo-header (pseudo_header_verdicts.ts), so both sides are checked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DissectorRegistry } from '../../src/codec/dissector_registry.js';
import type { Dissector } from '../../src/codec/dissector.js';
import type { FieldValue } from '../../src/codec/field_io.js';
import { filterComponent } from '../../src/lua/lua_literal.js';
import { pseudoHeaderSum } from '../../src/codec/checksum.js';
import { parseIpText } from '../../src/net/packet_builder.js';
import { cutStream, writeTcpCapture, writeUdpCapture, type Datagram } from './lua_captures.js';
import { pseudoHeaderVerdicts, type PseudoVerdict } from './pseudo_header_verdicts.js';
import { tsharkInfo, tsharkLayers } from './tshark_layers.js';

const root = resolve(__dirname, '../..');
const cli = resolve(root, 'dist/cli/main.js');
const shared = resolve(root, '../shared/fixtures');
const userDir = resolve(root, 'fixtures/dissectors');
const registry = new DissectorRegistry([userDir]);
const work = mkdtempSync(join(tmpdir(), 'acktrace-lua-'));

interface AcktraceSegment {
  frame: number;
  dissector: string | null;
  kind?: string | null;
  fields: Record<string, string | number | boolean | null>;
  flags: string[];
  seq: string | number | null;
  ack: string | number | null;
  payloadLength: number;
  checksum: 'ok' | 'bad' | 'none';
}

function acktraceDecode(capture: string, dissector: string, extra: string[] = []): Map<number, AcktraceSegment[]> {
  const out = execFileSync('node', [cli, 'decode', capture, '-d', dissector, '--json', '--dissectors', userDir, ...extra], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const frames = new Map<number, AcktraceSegment[]>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const s = JSON.parse(line) as AcktraceSegment;
    if (s.dissector === null) continue;
    const list = frames.get(s.frame) ?? [];
    list.push(s);
    frames.set(s.frame, list);
  }
  return frames;
}

function generate(nameOrFile: string, file: string): string {
  const r = spawnSync('node', [cli, 'dissector', 'lua', nameOrFile, '--dissectors', userDir, '-o', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dissector lua ${nameOrFile}: ${r.stderr}`);
  return file;
}

/** What tshark should print for one field, or null when any text is accepted (never). */
function sameValue(d: Dissector, field: string, got: string | undefined, want: string | number | boolean | null): boolean {
  if (got === undefined || want === null) return false;
  const f = d.layout().fields.find((x) => x.name === field)!;
  switch (f.type) {
    case 'f64': return Number(got) === Number(Number(want).toPrecision(15)); // Wireshark prints DBL_DIG digits
    case 'f32': return Number(got) === Number(Number(want).toPrecision(6)); // and FLT_DIG for floats
    case 'bool': return got === (want ? '1' : '0');
    case 'string': return got === want;
    case 'bytes': return got.replace(/:/g, '') === want;
    default: return BigInt(got) === BigInt(String(want));
  }
}

/** Every difference between tshark's layer and acktrace's segment, as readable lines. */
function differences(d: Dissector, frame: number, got: Map<string, string>, want: AcktraceSegment): string[] {
  const diffs: string[] = [];
  const p = d.name;
  for (const [name, value] of Object.entries(want.fields)) {
    const key = `${p}.${name}`;
    if (!sameValue(d, name, got.get(key), value)) diffs.push(`frame ${frame} ${key}: tshark ${got.get(key)} acktrace ${JSON.stringify(value)}`);
  }
  for (const f of d.layout().fields) {
    if (!(f.name in want.fields) && got.has(`${p}.${f.name}`)) diffs.push(`frame ${frame} ${p}.${f.name}: shown by tshark but not decoded by acktrace`);
    if (!(f.name in want.fields)) continue;
    for (const [flag] of f.flags) {
      const key = `${p}.${f.name}.${filterComponent(flag)}`;
      const expect = want.flags.includes(flag) ? '1' : '0';
      if (got.get(key) !== expect) diffs.push(`frame ${frame} ${key}: tshark ${got.get(key)} acktrace ${expect}`);
    }
  }
  if (got.get(`${p}.pdu.len`) !== String(want.payloadLength)) diffs.push(`frame ${frame} payload length: tshark ${got.get(`${p}.pdu.len`)} acktrace ${want.payloadLength}`);
  if (d.def.roles.kind && (got.get(`${p}.pdu.kind`) ?? null) !== (want.kind ?? null)) diffs.push(`frame ${frame} kind: tshark ${got.get(`${p}.pdu.kind`)} acktrace ${want.kind}`);
  const ck = d.def.checksum.field ?? d.def.roles.checksum;
  if (ck && d.def.checksum.algorithm !== 'none' && ck in want.fields) {
    const status = { bad: '0', ok: '1', none: '2' }[want.checksum];
    if (got.get(`${p}.${ck}.status`) !== status) diffs.push(`frame ${frame} checksum status: tshark ${got.get(`${p}.${ck}.status`)} acktrace ${want.checksum}`);
  }
  return diffs;
}

/** The Info column acktrace's segments call for: kind, [flags], Seq, Ack, Len per record. */
function expectedInfo(segs: AcktraceSegment[]): string {
  return segs.map((s) => [
    s.kind ?? null,
    s.flags.length ? `[${s.flags.join(', ')}]` : null,
    s.seq !== null ? `Seq=${s.seq}` : null,
    s.ack !== null ? `Ack=${s.ack}` : null,
    `Len=${s.payloadLength}`,
  ].filter((x) => x !== null).join(' ')).join(' | ');
}

interface Case {
  dissector: string;
  capture: string;
  tshark?: string[];
  acktrace?: string[];
  minRecords: number;
  /** The codec's checksum verdicts with the IP pseudo-header, which decode must give too. */
  pseudo?: Map<number, PseudoVerdict>;
}

/** acktrace's segment, whose checksum status must be the pseudo-header verdict. */
function withPseudoVerdict(s: AcktraceSegment, frame: number, pseudo: Map<number, PseudoVerdict> | undefined, diffs: string[]): AcktraceSegment {
  if (!pseudo) return s;
  const v = pseudo.get(frame);
  if (!v) { diffs.push(`frame ${frame}: no pseudo-header verdict`); return s; }
  if (s.checksum !== v.checksum) diffs.push(`frame ${frame}: acktrace decode checksum ${s.checksum}, codec with pseudo-header ${v.checksum}`);
  return s;
}

function compare(c: Case): { records: number } {
  const d = registry.get(c.dissector);
  const lua = generate(c.dissector, join(work, `${d.name}.lua`));
  const want = acktraceDecode(c.capture, c.dissector, c.acktrace);
  const got = tsharkLayers(lua, c.capture, d.name, c.tshark);
  const info = tsharkInfo(lua, c.capture, c.tshark);
  const diffs: string[] = [];
  let records = 0;
  for (const [frame, segs] of want) {
    const layers = got.get(frame) ?? [];
    if (layers.length !== segs.length) { diffs.push(`frame ${frame}: tshark shows ${layers.length} records, acktrace ${segs.length}`); continue; }
    segs.forEach((s, i) => diffs.push(...differences(d, frame, layers[i], withPseudoVerdict(s, frame, c.pseudo, diffs))));
    if (info.get(frame) !== expectedInfo(segs)) diffs.push(`frame ${frame} Info: tshark "${info.get(frame)}" acktrace "${expectedInfo(segs)}"`);
    records += segs.length;
  }
  for (const frame of got.keys()) if (!want.has(frame)) diffs.push(`frame ${frame}: tshark decoded it, acktrace did not`);
  expect(diffs.slice(0, 20)).toEqual([]);
  expect(records).toBeGreaterThanOrEqual(c.minRecords);
  return { records };
}

// ---- captures ---------------------------------------------------------------------------

function sock352Capture(): string {
  const d = registry.get('sock352');
  const g: Datagram[] = [];
  const big = 2n ** 60n + 12345n; // beyond 2^53: UInt64 in Lua, a decimal string in acktrace's JSON
  const seg = (v: Record<string, FieldValue>, payload = '') => d.encode({ version: 1, header_len: 40, payload_len: Buffer.byteLength(payload), ...v }, Buffer.from(payload));
  g.push({ srcPort: 40000, dstPort: 9000, payload: seg({ flags: 0x01, sequence_no: 7 }) });
  g.push({ srcPort: 9000, dstPort: 40000, payload: seg({ flags: 0x05, sequence_no: 99, ack_no: 8 }) });
  g.push({ srcPort: 40000, dstPort: 9000, payload: seg({ flags: 0xa4, sequence_no: big, ack_no: 100, window: 20 }, 'hello sock352') });
  g.push({ srcPort: 40000, dstPort: 9000, payload: seg({ flags: 0x20, sequence_no: 9, dest_port: 0xffffffff }, 'x') }); // half of HAS_OPT: not set
  const trailing = Buffer.concat([seg({ flags: 0x02, sequence_no: 10 }, 'ab'), Buffer.from('zz')]);
  g.push({ srcPort: 40000, dstPort: 9000, payload: trailing });
  g.push({ srcPort: 40000, dstPort: 9000, payload: seg({ flags: 0x08, sequence_no: 11 }).subarray(0, 27) }); // truncated header
  const file = join(work, 'sock352.pcap');
  writeUdpCapture(file, g);
  return file;
}

function csee4119Capture(name: string): string {
  const d = registry.get(name);
  const g: Datagram[] = [];
  const seg = (v: Record<string, FieldValue>, payload = '', opts: { options?: Uint8Array } = {}) =>
    d.encode({ src_port: 5000, dst_port: 6000, data_offset: opts.options ? (5 + opts.options.length / 4) << 4 : 0x50, window: 4096, ...v }, Buffer.from(payload), opts);
  g.push({ srcPort: 41191, dstPort: 41192, payload: seg({ flags: 0x02, seq: 0 }) });
  g.push({ srcPort: 41194, dstPort: 41191, payload: seg({ flags: 0x12, seq: 500, ack: 1 }) });
  g.push({ srcPort: 41191, dstPort: 41192, payload: seg({ flags: 0x18, seq: 1, ack: 501 }, 'odd payload') });
  const bad = seg({ flags: 0x10, seq: 12, ack: 501 }, 'corrupted!');
  bad[bad.length - 1] ^= 0x40;
  g.push({ srcPort: 41191, dstPort: 41192, payload: bad });
  g.push({ srcPort: 41191, dstPort: 41192, payload: seg({ flags: 0x10, seq: 22, ack: 501 }, 'with options', { options: Buffer.from([1, 1, 1, 0, 2, 4, 5, 0xb4]) }) });
  g.push({ srcPort: 41191, dstPort: 41192, payload: seg({ flags: 0x11, seq: 0xfffffff0, ack: 501 }) });
  const file = join(work, `${name}.pcap`);
  writeUdpCapture(file, g);
  return file;
}

/** Two seed-004 connections (N = 10 and N = 30) whose records TCP merges and splits. */
function arielCapture(): string {
  const d = registry.get('ariel-package');
  const rec = (header: string, payload: string, v: Record<string, FieldValue>, N: number) =>
    d.encode({ header, payload: Buffer.from(payload), seq: 0, sent_time: 1_700_000_000.123456 + (v.pos as number ?? 0) * 0.25, ack: false, prev_seq: -1, pos: 0, ...v }, Buffer.from(payload), { params: { N } });
  const conn = (clientPort: number, N: number) => {
    const client = Buffer.concat([
      rec('GET_MAX', '', {}, 4),
      ...[1, 2, 3, 4, 5].map((pos) => rec('MSG', `m${pos}`.repeat(2).slice(0, N), { seq: pos * 7, pos, prev_seq: pos - 1 }, N)),
      rec('DONE', 'EOMsg', { pos: 6 }, N),
      rec('CLOSE', '', {}, N),
    ]);
    const server = Buffer.concat([
      rec('RETURN_MAX', String(N), {}, 4),
      ...[1, 2, 3, 4, 5, 6].map((pos) => rec('ACK', String(pos), { ack: true, pos }, N)),
      rec('DISCONNECT', '', {}, N),
    ]);
    const c = cutStream('client', client, [44, 30, 14 + 44 + 44, 7, 100]);
    const s = cutStream('server', server, [44, 88, 5, 39, 200]);
    // Interleave so RETURN_MAX (which sets N) arrives before the client's MSG records.
    return { clientPort, serverPort: 55558, segments: [c[0], s[0], ...c.slice(1), ...s.slice(1)] };
  };
  const file = join(work, 'ariel-package.pcap');
  writeTcpCapture(file, [conn(43001, 10), conn(43002, 30)]);
  return file;
}

/**
 * A udp-pseudo variant of the fixture (protocol 17 in the pseudo-header, header-only coverage)
 * over IPv4 and IPv6, encoded by the codec with each datagram's pseudo-header; one payload
 * byte and one header bit damaged after encoding, and one segment encoded without the
 * pseudo-header at all.
 */
function udpPseudoCase(): { dissector: string; capture: string } {
  const dissector = join(work, 'csee4119-udp-pseudo.json');
  writeFileSync(dissector, JSON.stringify({
    name: 'csee4119-udp-pseudo', extends: join(userDir, 'csee4119-pseudo.json'),
    checksum: { algorithm: 'udp-pseudo', field: 'checksum', coverage: 'header' },
  }));
  const d = registry.get(dissector);
  const g: Datagram[] = [];
  for (const [src, dst] of [['127.0.0.1', '127.0.0.2'], ['fd00::1', 'fd00:ffff::8001']]) {
    const addrs = Buffer.alloc(32);
    const n = parseIpText(src, addrs.subarray(0, 16));
    parseIpText(dst, addrs.subarray(16));
    const seg = (v: Record<string, FieldValue>, payload = '', pseudo = true) => {
      const values = { src_port: 5000, dst_port: 6000, data_offset: 0x50, window: 4096, ...v };
      const len = d.encodedLength(values, Buffer.from(payload));
      const pseudoSum = pseudo ? pseudoHeaderSum(addrs, 0, 16, n as 4 | 16, 17, len) : 0;
      return d.encode(values, Buffer.from(payload), { pseudoSum });
    };
    const out = (payload: Buffer) => g.push({ src, dst, srcPort: 41291, dstPort: 41292, payload });
    out(seg({ flags: 0x02, seq: 0 }));
    out(seg({ flags: 0x18, seq: 1, ack: 9 }, 'odd payload'));
    const headerBit = seg({ flags: 0x10, seq: 12, ack: 9 }, 'x');
    headerBit[5] ^= 0x01; // ack: covered, so bad
    out(headerBit);
    const payloadByte = seg({ flags: 0x10, seq: 13, ack: 9 }, 'payload is not covered');
    payloadByte[payloadByte.length - 1] ^= 0xff; // outside the header coverage, so still good
    out(payloadByte);
    out(seg({ flags: 0x10, seq: 35, ack: 9 }, 'no pseudo', false));
  }
  const capture = join(work, 'csee4119-udp-pseudo.pcap');
  writeUdpCapture(capture, g);
  return { dissector, capture };
}

/** Verdicts for the pseudo-header cases, with good and bad ones in each IP version (else the case proves little). */
function pseudoVerdicts(capture: string, dissector: string): Map<number, PseudoVerdict> {
  const v = pseudoHeaderVerdicts(capture, registry.get(dissector), [41291, 41292, 41294]);
  for (const ipVersion of [4, 6]) {
    for (const status of ['ok', 'bad'] as const) {
      expect([...v.values()].filter((x) => x.ipVersion === ipVersion && x.checksum === status).length, `IPv${ipVersion} ${status}`).toBeGreaterThanOrEqual(2);
    }
  }
  return v;
}

// ---- cases ------------------------------------------------------------------------------

describe('generated Wireshark plugin equals acktrace decode, frame by frame', () => {
  it('sock352 (no default port: Decode As udp.port 9000; 64-bit seq, multi-bit HAS_OPT, truncated, trailing bytes)', () => {
    compare({ dissector: 'sock352', capture: sock352Capture(), tshark: ['-d', 'udp.port==9000,sock352'], acktrace: ['--port', '9000'], minRecords: 6 });
  });

  it('csee4119-tcp (default ports, internet checksum good and bad, options, odd payload)', () => {
    compare({ dissector: 'csee4119-tcp', capture: csee4119Capture('csee4119-tcp'), minRecords: 6 });
  });

  it('csee4119-variant (a user file extending csee4119-tcp with other flag bits)', () => {
    compare({ dissector: 'csee4119-variant', capture: csee4119Capture('csee4119-variant'), minRecords: 6 });
  });

  it('udp-custom on the recorded loopback capture (CRC-32, kinds, 402 frames)', () => {
    compare({ dissector: 'udp-custom', capture: join(shared, 'udp_custom_lo.pcapng'), minRecords: 400 });
  });

  it('csee4119-pseudo (tcp-pseudo over UDP, python3-made capture): checksums verified with the IPv4 and IPv6 pseudo-header, bit flips bad, snaplen-cut unverified', () => {
    const capture = resolve(root, 'fixtures/pseudo/csee4119_pseudo.pcap');
    const pseudo = pseudoVerdicts(capture, 'csee4119-pseudo');
    expect([...pseudo.values()].some((x) => x.checksum === 'none')).toBe(true); // the snaplen-cut frame
    compare({ dissector: 'csee4119-pseudo', capture, minRecords: 21, pseudo });
  });

  it('udp-pseudo with header-only coverage (protocol 17; IPv4 and IPv6; a damaged header bad, a damaged payload still good)', () => {
    const { dissector, capture } = udpPseudoCase();
    const pseudo = pseudoVerdicts(capture, dissector);
    compare({ dissector, capture, minRecords: 10, pseudo });
  });

  it('ariel-package over TCP: records merged and split, N learned per connection (10 and 30), native alignment', () => {
    const { records } = compare({ dissector: 'ariel-package', capture: arielCapture(), minRecords: 30 });
    expect(records).toBe(2 * (8 + 8)); // GET_MAX, 5 MSG, DONE, CLOSE + RETURN_MAX, 6 ACK, DISCONNECT per connection
  });

  it('ariel-package in two passes (tshark -2, as the GUI re-dissects): learned N looked up by frame and record', () => {
    compare({ dissector: 'ariel-package', capture: arielCapture(), tshark: ['-2'], minRecords: 32 });
  });

  it('a user dissector from `dissector new --struct` (little-endian, signed, float, bool, padding)', () => {
    const spec = execFileSync('node', [cli, 'dissector', 'new', '--name', 'mine', '--struct', '<BBhiIqdf?xH4s', '--fields', 'type,flags,window,seq,ack,ts,rtt,loss,last,checksum,tag', '--port', '7000'], { encoding: 'utf8' });
    const file = join(work, 'mine.json');
    writeFileSync(file, spec);
    const d = registry.get(file);
    const g: Datagram[] = [1, 2, 3].map((k) => ({
      srcPort: 7001, dstPort: 7000,
      payload: d.encode({ type: k, flags: k * 3, window: -k * 100, seq: -k, ack: 0xfffffff0 + k, ts: 2n ** 62n + BigInt(k), rtt: k / 3, loss: k * 0.1, last: k === 3, checksum: 0xbeef, tag: 'ab' }, Buffer.from('payload'.slice(0, k * 2))),
    }));
    const capture = join(work, 'mine.pcap');
    writeUdpCapture(capture, g);
    compare({ dissector: file, capture, minRecords: 3 });
  });

  it('a user dissector over TCP from `dissector new --transport tcp` (fixed records, no kinds)', () => {
    const spec = execFileSync('node', [cli, 'dissector', 'new', '--name', 'mystream', '--struct', '!HIIB', '--fields', 'len,seq,ack,flags', '--transport', 'tcp', '--port', '7100'], { encoding: 'utf8' });
    const file = join(work, 'mystream.json');
    writeFileSync(file, spec);
    const d = registry.get(file);
    const stream = Buffer.concat([1, 2, 3, 4, 5, 6].map((k) => d.encode({ len: 11, seq: k * 11, ack: 0, flags: k })));
    const capture = join(work, 'mystream.pcap');
    writeTcpCapture(capture, [{ clientPort: 7101, serverPort: 7100, segments: cutStream('client', stream, [5, 17, 22, 11, 1]) }]);
    compare({ dissector: file, capture, minRecords: 6 });
  });
});

describe('dissector lua: what it refuses', () => {
  it('plain tcp: explains that Wireshark decodes it, one line, exit 2', () => {
    const r = spawnSync('node', [cli, 'dissector', 'lua', 'tcp'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Wireshark's own TCP dissector/);
  });

  it('an unknown dissector and an unwritable -o: one line, exit 2', () => {
    for (const args of [['nope'], ['sock352', '-o', join(work, 'no/such/dir/x.lua')]]) {
      const r = spawnSync('node', [cli, 'dissector', 'lua', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
