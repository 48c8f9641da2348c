/**
 * The generator's pure parts: Lua-computed layouts agree with layoutOf for any parameter
 * value, literals cannot inject code, and what cannot be generated is refused by name.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileDissector, DissectorRegistry } from '../../src/codec/dissector_registry.js';
import { evaluateSlots, layoutSlots, LuaGenerationError } from '../../src/lua/lua_layout.js';
import { luaDissector } from '../../src/lua/lua_dissector.js';
import { filterComponent, luaString } from '../../src/lua/lua_literal.js';

const registry = new DissectorRegistry([resolve(__dirname, '../../fixtures/dissectors')]);

describe('layout slots (the offsets the plugin computes in Lua)', () => {
  it('equal layoutOf for seed 004 at every N (native alignment moves seq, pads before sent_time and prev_seq)', () => {
    const pkg = registry.get('ariel-package');
    const slots = layoutSlots(pkg);
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), (N) => {
      const layout = pkg.layout({ N });
      const ev = evaluateSlots(slots, { N });
      expect(ev.size).toBe(layout.size);
      for (const f of layout.fields) expect(ev.offsets.get(f.name)).toBe(f.offset);
    }), { numRuns: 300 });
    expect(evaluateSlots(slots, { N: 4 }).offsets.get('seq')).toBe(16);
    expect(evaluateSlots(slots, { N: 10 }).offsets.get('seq')).toBe(20);
  });

  it('equal layoutOf for a field-list dissector with bit runs, padding and a parameter-sized string', () => {
    const d = compileDissector({
      name: 'bits', byteOrder: 'little',
      fields: [
        { name: 'ver', type: 'bits', size: 4 }, { name: 'hl', type: 'bits', size: 12 },
        { name: 'seq', type: 'u32' }, { name: 'gap', type: 'pad', size: 3 }, { name: 'tag', type: 'string', size: '{T}' }, { name: 'ack', type: 'u64' },
      ],
      binding: { transport: 'udp', ports: [1] },
      params: { T: { default: 5 } },
    }, '<test>');
    const slots = layoutSlots(d);
    for (const T of [0, 1, 5, 17, 300]) {
      const layout = d.layout({ T });
      const ev = evaluateSlots(slots, { T });
      expect(ev.size).toBe(layout.size);
      for (const f of layout.fields) expect(ev.offsets.get(f.name)).toBe(f.bitRunOffset || f.offset);
    }
    expect(luaDissector(d)).toContain('ProtoField.uint16("bits.hl", "hl", base.DEC, nil, 4095');
  });

  it('refuses a struct whose field count would change with a parameter', () => {
    const d = compileDissector({ name: 'rep', struct: '!H{K}B', fields: ['a', 'b'], binding: { transport: 'udp', ports: [] }, params: { K: { default: 1 } } }, '<test>');
    expect(() => luaDissector(d)).toThrow(LuaGenerationError);
  });
});

describe('plugin text', () => {
  it('every shipped and example dissector but plain tcp generates; tcp is refused with the reason', () => {
    for (const d of registry.list()) {
      if (d.def.binding.transport === 'ip') {
        expect(() => luaDissector(d)).toThrow(/Wireshark's own TCP dissector/);
        continue;
      }
      const lua = luaDissector(d);
      expect(lua).toContain(`local proto = Proto("${d.name}"`);
      for (const f of d.layout().fields) expect(lua).toContain(`"${d.name}.${f.name}"`);
      expect(lua.includes('dissect_tcp_pdus(tvb')).toBe(d.def.binding.framing === 'fixed-records');
    }
  });

  it('pseudo-header checksums: address extractors and verification for datagrams only, the protocol number by algorithm', () => {
    const base = registry.get('csee4119-pseudo');
    const variant = (checksum: object, binding?: object) => compileDissector({ ...base.def, name: 'pv', checksum, ...(binding ? { binding } : {}) }, '<test>');
    const tcpPseudo = luaDissector(base);
    expect(tcpPseudo).toContain('Field.new("ipv6.src")');
    expect(tcpPseudo).toMatch(/pseudo_header_sum\(pinfo, 6, len\)/);
    expect(luaDissector(variant({ algorithm: 'udp-pseudo', field: 'checksum', coverage: 'header' }))).toMatch(/pseudo_header_sum\(pinfo, 17, len\)/);
    const internet = luaDissector(variant({ algorithm: 'internet16', field: 'checksum', coverage: 'header+payload' }));
    expect(internet).not.toContain('pseudo_header_sum');
    expect(internet).not.toContain('Field.new(');
    const stream = luaDissector(variant({ algorithm: 'tcp-pseudo', field: 'checksum', coverage: 'header+payload' }, { transport: 'tcp', ports: [9], framing: 'fixed-records' }));
    expect(stream).not.toContain('pseudo_header_sum');
    expect(stream).toContain('no IP pseudo-header of its own');
  });

  it('quotes text from dissector files as data', () => {
    expect(luaString('a"b\\c\nd\u0001')).toBe('"a\\"b\\\\c\\nd\\001"');
    const d = compileDissector({ name: 'evil', title: '"); os.exit() --\nos.exit()', struct: '!B', fields: [{ name: 'f', flags: { 'X"]..os.exit()': 1 } }], binding: { transport: 'udp', ports: [] } }, '<test>');
    const lua = luaDissector(d);
    expect(lua).toContain('Proto("evil", "\\"); os.exit() --\\nos.exit()")');
    expect(lua).toContain(`"evil.f.${filterComponent('X"]..os.exit()')}"`);
    expect(lua.split('\n').filter((l) => /os\.exit/.test(l) && !/^--|^local proto = Proto\("evil", "\\"\); os\.exit\(\) --\\nos\.exit\(\)"\)$|^local hf_1_1 |^  \{ name = "f"/.test(l))).toEqual([]);
  });
});
