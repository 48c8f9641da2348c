import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input_error.js';
import { MAX_PACKET_JSON, openWiresharkJson } from '../../src/capture/wireshark_json_reader.js';
import { exportCapture, fixturesDir, tempDir } from './wireshark_json_oracle.js';

const dir = tempDir();
let counter = 0;

function write(content: string | Buffer): string {
  const file = path.join(dir, `case-${counter++}.json`);
  writeFileSync(file, content);
  return file;
}

function walk(file: string, kind: 'json' | 'ek'): { frames: number[]; warnings: { offset?: number; message: string }[] } {
  const frames: number[] = [];
  const summary = openWiresharkJson(file, kind).forEach((f) => frames.push(f.index));
  return { frames, warnings: summary.warnings };
}

function inputError(file: string, kind: 'json' | 'ek'): InputError {
  try {
    walk(file, kind);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no InputError');
}

const realJson = readFileSync(path.join(fixturesDir, 'udp_custom_lo.json'));
/** The first `n` packets of the real export as a complete JSON array. */
function firstPackets(n: number): Buffer {
  let at = 0;
  for (let i = 0; i < n; i++) at = realJson.indexOf('\n  },\n', at + 1);
  return Buffer.concat([realJson.subarray(0, at + 4), Buffer.from('\n]\n')]);
}
const small = firstPackets(3);

describe('malformed exports', () => {
  it.each([
    ['garbage', '[\n  {"a": 1} x ]', 13],
    ['unbalanced brace', '[\n  {"_source": {"layers": {}}}}\n]', 31],
    ['unbalanced bracket', '[{"a": [1, 2}]', 12],
    ['missing colon', '[{"a" 1}]', 6],
    ['bad literal', '[{"a": tru}]', 7],
    ['trailing garbage', '[{"a": 1}]\nnope', 11],
    ['unterminated string mid-file', '[{"a": "abc}, {"b": "x"}]', 16],
    ['number with two dots', '[{"a": 1.2.3}]', 7],
  ])('%s → InputError with the byte offset', (_name, text, offset) => {
    const e = inputError(write(text), 'json');
    expect(e.offset).toBe(offset);
    expect(e.message).toMatch(new RegExp(`^.*case-\\d+\\.json: byte ${offset}: `));
    expect(e.message).not.toContain('\n');
  });

  it('an empty file is an InputError', () => {
    expect(inputError(write('   \n'), 'json').message).toMatch(/empty/);
  });

  it('ek: a line that is not an object is an InputError', () => {
    expect(inputError(write('{"index":{}}\n[1]\n'), 'ek').offset).toBe(13);
  });

  it('a packet over the size limit is an InputError, not an out-of-memory', () => {
    const file = path.join(dir, 'huge.json');
    const fd = openSync(file, 'w');
    writeSync(fd, '[{"_source": {"layers": {"frame_raw": ["');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i <= MAX_PACKET_JSON >> 20; i++) writeSync(fd, chunk);
    writeSync(fd, '"]}}}]');
    closeSync(fd);
    const e = inputError(file, 'json');
    expect(e.message).toMatch(/exceeds 64 MiB/);
    expect(e.offset).toBe(1);
  });
});

describe('truncated exports', () => {
  it('delivers every complete packet before the cut, then warns with the offset', () => {
    const whole = firstPackets(3);
    const third = whole.lastIndexOf('\n  {\n') + 3;
    const cut = write(whole.subarray(0, third + 500));
    const { frames, warnings } = walk(cut, 'json');
    expect(frames).toEqual([1, 2]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].offset).toBe(third);
    expect(warnings[0].message).toMatch(/truncated/);
  });

  it('a cut after a complete packet (no closing bracket) warns too', () => {
    const whole = firstPackets(2);
    const { frames, warnings } = walk(write(whole.subarray(0, whole.length - 3)), 'json');
    expect(frames).toEqual([1, 2]);
    expect(warnings[0].message).toMatch(/closing/);
  });

  it('ek: a cut in the middle of a line keeps the lines before', () => {
    const ek = readFileSync(exportCapture(dir, path.join(fixturesDir, 'synthetic_edge.pcap'), 'ek'));
    const lines = ek.toString('latin1').split('\n');
    const keep = lines.slice(0, 6).join('\n').length + 1;
    const { frames, warnings } = walk(write(ek.subarray(0, keep + 40)), 'ek');
    expect(frames).toEqual([1, 2, 3]);
    expect(warnings[0].offset).toBe(keep);
  });
});

describe('fuzz: only InputError, never a hang', () => {
  const onlyInputError = (file: string, kind: 'json' | 'ek'): void => {
    try {
      walk(file, kind);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      expect(e.message).not.toContain('\n');
    }
  };

  it('random bytes after [ or {', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), (json, bytes) => {
        const file = write(Buffer.concat([Buffer.from(json ? '[' : '{'), bytes]));
        onlyInputError(file, json ? 'json' : 'ek');
      }),
      { numRuns: 300 },
    );
  });

  it('random JSON-ish tokens', () => {
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '"frame_raw"', '"layers"', '"_source"', '"ip"', '"udp"',
      '"ip.src"', '"10.0.0.1"', '"udp.payload"', '"0a:0b"', '1', '-0.5e3', 'true', 'null', ' ', '\n', '\\', '"frame.time_epoch"', '"1.5"');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), fc.boolean(), (tokens, json) => {
        onlyInputError(write((json ? '[' : '') + tokens.join('')), json ? 'json' : 'ek');
      }),
      { numRuns: 400 },
    );
  });

  it('mutated real exports (byte flips, insertions, deletions, cuts)', () => {
    const ek = readFileSync(exportCapture(dir, path.join(fixturesDir, 'synthetic_edge.pcap'), 'ekX'));
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('flip', 'insert', 'delete', 'cut'),
      byte: fc.constantFrom(0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x5c, 0x30, 0x61, 0x00, 0xff, 0x0a),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (useJson, muts) => {
        let b = Buffer.from(useJson ? small : ek);
        for (const m of muts) {
          const at = m.at % b.length;
          if (m.kind === 'flip') b[at] = m.byte;
          else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
          else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
          else b = b.subarray(0, at);
        }
        onlyInputError(write(b), useJson ? 'json' : 'ek');
      }),
      { numRuns: 300 },
    );
  });
});
