import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseStructFormat, fillStructParams } from '../../src/codec/struct_format.js';

function pythonCalcsize(formats: string[]): number[] {
  const out = execFileSync('python3', ['-c', 'import struct,sys,json; print(json.dumps([struct.calcsize(f) for f in json.load(sys.stdin)]))'], { input: JSON.stringify(formats) });
  return JSON.parse(out.toString());
}

describe('Python struct formats', () => {
  it('lays out the seed formats like Python does', () => {
    expect(parseStructFormat('!BBBBHHLLQQLL').size).toBe(40);
    const pkg = parseStructFormat(fillStructParams('10s{N}s i d ? i i', { N: 4 }));
    expect(pkg.size).toBe(44);
    expect(pkg.items.map((i) => i.offset)).toEqual([0, 10, 16, 24, 32, 36, 40]);
    const pkg10 = parseStructFormat(fillStructParams('10s{N}s i d ? i i', { N: 10 }));
    expect(pkg10.items.map((i) => i.offset)).toEqual([0, 10, 20, 24, 32, 36, 40]);
    expect(pkg10.size).toBe(44);
    expect(pkg10.items[0].byteOrder).toBe('little');
  });

  it('agrees with CPython calcsize on random formats (native alignment included)', () => {
    const codes = 'xcbB?hHiIlLqQfds'.split('');
    const prefix = fc.constantFrom('', '@', '=', '<', '>', '!');
    const item = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(...codes)).map(([n, c]) => (n > 1 ? `${n}${c}` : c));
    const formats = fc.sample(fc.tuple(prefix, fc.array(item, { minLength: 1, maxLength: 8 })).map(([p, items]) => p + items.join(' ')), 200);
    const expected = pythonCalcsize(formats);
    formats.forEach((f, k) => expect(parseStructFormat(f).size, f).toBe(expected[k]));
  });

  it('rejects what Python rejects', () => {
    expect(() => parseStructFormat('!n')).toThrow(/native/);
    expect(() => parseStructFormat('Z')).toThrow(/bad char/);
    expect(() => fillStructParams('{N}s', {})).toThrow(/parameter N/);
  });
});
