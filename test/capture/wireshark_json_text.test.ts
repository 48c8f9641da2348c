import { describe, expect, it } from 'vitest';
import { parseEpochMillisText, parseEpochText } from '../../src/capture/epoch_text.js';
import { decodeHexText, hexTextLength } from '../../src/capture/hex_text.js';
import { linkTypeFromWtapEncap } from '../../src/capture/wtap_encap.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openWiresharkJson } from '../../src/capture/wireshark_json_reader.js';
import { tempDir } from './wireshark_json_oracle.js';

function epoch(text: string): { sec: number; nsec: number } | null {
  const b = Buffer.from(text);
  const t = { sec: 0, nsec: 0 };
  return parseEpochText(b, 0, b.length, t) ? t : null;
}

describe('parseEpochText', () => {
  it('keeps nanoseconds exact', () => {
    expect(epoch('1795311000.814878328')).toEqual({ sec: 1795311000, nsec: 814878328 });
    expect(epoch('1700000000')).toEqual({ sec: 1700000000, nsec: 0 });
    expect(epoch('1.5')).toEqual({ sec: 1, nsec: 500000000 });
    expect(epoch('1.1234567891')).toEqual({ sec: 1, nsec: 123456789 });
    expect(epoch('-1.25')).toEqual({ sec: -2, nsec: 750000000 });
  });
  it('reads ISO dates as some tshark versions print them in -T ek', () => {
    expect(epoch('2026-11-22T01:30:00.814878328Z')).toEqual({ sec: 1795311000, nsec: 814878328 });
    expect(epoch('1970-01-01T00:00:00Z')).toEqual({ sec: 0, nsec: 0 });
    expect(epoch('2024-02-29T23:59:59.5Z')).toEqual({ sec: Date.UTC(2024, 1, 29, 23, 59, 59) / 1000, nsec: 500000000 });
  });
  it('refuses what is not a time', () => {
    for (const bad of ['', '.5', '1.', '1.x', 'abc', '1e9', '2026-13-22T01:30:00Z', '2026-11-22T01:30:00']) expect(epoch(bad)).toBeNull();
  });
  it('reads EK millisecond timestamps', () => {
    const b = Buffer.from('1795311000814');
    const t = { sec: 0, nsec: 0 };
    expect(parseEpochMillisText(b, 0, b.length, t)).toBe(true);
    expect(t).toEqual({ sec: 1795311000, nsec: 814000000 });
  });
});

describe('hex text', () => {
  const dec = (s: string): string | null => {
    const b = Buffer.from(s);
    const out = Buffer.alloc(64);
    const n = decodeHexText(b, 0, b.length, out, 0);
    return n < 0 ? null : out.subarray(0, n).toString('hex');
  };
  it('decodes plain and colon-separated hex', () => {
    expect(dec('0aFF10')).toBe('0aff10');
    expect(dec('0a:ff:10')).toBe('0aff10');
    expect(dec('ab')).toBe('ab');
    expect(dec('')).toBe('');
    expect(hexTextLength(Buffer.from('01:02:03'), 0, 8)).toBe(3);
  });
  it('refuses bad hex', () => {
    for (const bad of ['abc', '0g', '0a:b', '0a;0b', '0a:0b:', 'zz:zz']) expect(dec(bad)).toBeNull();
  });
});

describe('linkTypeFromWtapEncap', () => {
  it('maps the link types captures use', () => {
    expect([1, 7, 15, 25, 210, 129, 130, 174, 20, 23].map(linkTypeFromWtapEncap)).toEqual([1, 101, 0, 113, 276, 228, 229, 108, 105, 127]);
    expect(linkTypeFromWtapEncap(0)).toBe(-1);
    expect(linkTypeFromWtapEncap(99999)).toBe(-1);
  });
});

describe('reader details', () => {
  const dir = tempDir();
  it('reads a packet larger than one read chunk', () => {
    const bytes = Buffer.alloc(5 << 20, 0xab);
    const file = path.join(dir, 'big.json');
    writeFileSync(file, `[{"_source":{"layers":{"frame_raw":["${bytes.toString('hex')}",0,1,0,1],"frame":{"frame.encap_type":"1","frame.number":"1","frame.time_epoch":"1.000000001","frame.len":"${bytes.length}"}}}}]`);
    let cap = 0;
    const s = openWiresharkJson(file, 'json').forEach((f) => {
      cap = f.capLen;
      expect(f.data.subarray(0, f.capLen).equals(bytes)).toBe(true);
      expect([f.tsSec, f.tsNsec, f.linkType]).toEqual([1, 1, 1]);
    });
    expect(cap).toBe(bytes.length);
    expect(s.warnings).toEqual([]);
  });

  it('reads the flat -e form and keeps non-IP frames as empty, numbered frames', () => {
    const file = path.join(dir, 'flat.json');
    writeFileSync(file, JSON.stringify([
      { _source: { layers: { 'frame.number': ['1'], 'frame.time_epoch': ['5.5'], 'ip.src': ['10.0.0.1'], 'ip.dst': ['10.0.0.2'],
        'udp.srcport': ['1'], 'udp.dstport': ['2'], 'udp.payload': ['68:69'] } } },
      { _source: { layers: { frame: { 'frame.number': '2', 'frame.time_epoch': '6', 'frame.len': '60' }, arp: {} } } },
    ]));
    const got: [number, number, number, string][] = [];
    openWiresharkJson(file, 'json').forEach((f) => got.push([f.index, f.linkType, f.origLen, f.data.subarray(f.offset, f.offset + f.capLen).toString('latin1')]));
    expect(got[0].slice(0, 2)).toEqual([1, 101]);
    expect(got[0][3].endsWith('hi')).toBe(true);
    expect(got[1]).toEqual([2, -1, 60, '']);
  });
});
