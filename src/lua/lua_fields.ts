/**
 * One Wireshark ProtoField per header field, with the right type, base and byte order, named
 * flag bits as boolean subfields, value names as value strings, and the FIELDS table the
 * runtime walks to read and show each field. Filter names are `<dissector>.<field>` and
 * `<dissector>.<field>.<flag>`, the names acktrace prints, so a display filter reads like
 * the dissector file.
 */
import type { Dissector } from '../codec/dissector.js';
import type { LayoutField } from '../codec/layout.js';
import { LuaGenerationError } from './lua_layout.js';
import { filterComponent, luaNumber, luaString } from './lua_literal.js';

export interface LuaFields {
  /** `local hf_… = ProtoField…` lines, and the ProtoFields to put in `proto.fields`. */
  declarations: string[];
  protoFields: string[];
  /** `local FIELDS = { … }` in wire order, plus `FIELDS_BY_NAME`. */
  table: string;
  /** Every filter name used, to check generated names against them. */
  abbrevs: Set<string>;
}

const ENCODING: Record<LayoutField['encoding'], string> = { ascii: 'ENC_ISO_8859_1', latin1: 'ENC_ISO_8859_1', utf8: 'ENC_UTF_8' };
const UINT_BY_SIZE: Record<number, string> = { 1: 'uint8', 2: 'uint16', 3: 'uint24', 4: 'uint32' };

function valueString(f: LayoutField): string {
  if (!f.enumNames) return 'nil';
  const entries = Object.entries(f.enumNames).filter(([k]) => /^-?\d+$/.test(k));
  if (!entries.length) return 'nil';
  return `{ ${entries.map(([k, n]) => `[${k}] = ${luaString(n)}`).join(', ')} }`;
}

/** The ProtoField constructor call for a field (without flags). */
function protoField(f: LayoutField, abbr: string, isChecksum: boolean): { call: string; explicit: boolean } {
  const name = luaString(f.name);
  const desc = f.description ? luaString(f.description) : 'nil';
  const a = luaString(abbr);
  const hex = f.flags.length > 0 || isChecksum;
  const base = hex ? 'base.HEX' : 'base.DEC';
  switch (f.type) {
    case 'u8': case 'u16': case 'u32': case 'i8': case 'i16': case 'i32': {
      const t = `${f.type[0] === 'u' ? 'uint' : 'int'}${f.size * 8}`;
      // Wireshark shows signed fields in decimal only.
      return { call: `ProtoField.${t}(${a}, ${name}, ${t.startsWith('int') ? 'base.DEC' : base}, ${valueString(f)}, nil, ${desc})`, explicit: false };
    }
    case 'u64': case 'i64':
      return { call: `ProtoField.${f.type === 'u64' ? 'uint64' : 'int64'}(${a}, ${name}, ${f.type === 'u64' ? base : 'base.DEC'}, nil, nil, ${desc})`, explicit: false };
    case 'f32': return { call: `ProtoField.float(${a}, ${name}, nil, ${desc})`, explicit: false };
    case 'f64': return { call: `ProtoField.double(${a}, ${name}, nil, ${desc})`, explicit: false };
    case 'bool': return { call: `ProtoField.bool(${a}, ${name}, base.NONE, nil, nil, ${desc})`, explicit: false };
    case 'string': return { call: `ProtoField.string(${a}, ${name}, base.ASCII, ${desc})`, explicit: true };
    case 'bytes': return { call: `ProtoField.bytes(${a}, ${name}, base.NONE, ${desc})`, explicit: false };
    case 'bits': {
      const shift = f.bitRunSize * 8 - f.bitOffset - f.bitWidth;
      const t = UINT_BY_SIZE[f.bitRunSize];
      // Runs of up to 4 bytes show Wireshark's bit pattern through a mask; wider runs show the value.
      if (t) return { call: `ProtoField.${t}(${a}, ${name}, ${base}, ${valueString(f)}, ${luaNumber((2 ** f.bitWidth - 1) * 2 ** shift)}, ${desc})`, explicit: false };
      return { call: `ProtoField.uint32(${a}, ${name}, ${base}, ${valueString(f)}, nil, ${desc})`, explicit: true };
    }
    case 'pad': throw new LuaGenerationError(`padding is not a field (${f.name})`);
  }
}

/**
 * ProtoFields and the FIELDS table for a dissector (its default-parameter layout gives the
 * types; only offsets and string sizes move with parameters).
 *
 * @example luaFields(sock352).declarations[0] // 'local hf_1 = ProtoField.uint8("sock352.version", "version", base.DEC, nil, nil, nil)'
 */
export function luaFields(d: Dissector): LuaFields {
  const declarations: string[] = [];
  const protoFields: string[] = [];
  const rows: string[] = [];
  const abbrevs = new Set<string>();
  const claim = (abbr: string) => {
    if (abbrevs.has(abbr)) throw new LuaGenerationError(`two fields would share the Wireshark filter name ${abbr}`);
    abbrevs.add(abbr);
  };
  const checksumName = d.def.checksum.field ?? d.def.roles.checksum;
  let k = 0;
  for (const f of d.layout().fields) {
    const hf = `hf_${++k}`;
    const abbr = `${d.name}.${f.name}`;
    claim(abbr);
    const { call, explicit } = protoField(f, abbr, f.name === checksumName);
    declarations.push(`local ${hf} = ${call}`);
    protoFields.push(hf);
    const flagRows: string[] = [];
    let j = 0;
    for (const [flag, mask] of f.flags) {
      const fhf = `${hf}_${++j}`;
      const fabbr = `${abbr}.${filterComponent(flag)}`;
      claim(fabbr);
      // A one-bit mask on a field of up to 4 bytes shows Wireshark's ".... ..1. = SYN" pattern;
      // multi-bit masks (sock352's HAS_OPT 0xA0) mean "all bits set", which a mask cannot say.
      const single = mask > 0 && (mask & (mask - 1)) === 0 && ['u8', 'u16', 'u32'].includes(f.type);
      declarations.push(single
        ? `local ${fhf} = ProtoField.bool(${luaString(fabbr)}, ${luaString(flag)}, ${f.size * 8}, nil, ${luaNumber(mask)})`
        : `local ${fhf} = ProtoField.bool(${luaString(fabbr)}, ${luaString(flag)}, base.NONE)`);
      protoFields.push(fhf);
      flagRows.push(`{ name = ${luaString(flag)}, hf = ${fhf}, mask = ${luaNumber(mask)}, masked = ${single} }`);
    }
    const enumTable = f.enumNames ? `{ ${Object.entries(f.enumNames).map(([key, n]) => `[${luaString(key)}] = ${luaString(n)}`).join(', ')} }` : 'nil';
    const bits = f.type === 'bits' ? `, shift = ${f.bitRunSize * 8 - f.bitOffset - f.bitWidth}, width = ${f.bitWidth}` : '';
    rows.push(`  { name = ${luaString(f.name)}, type = ${luaString(f.type)}, le = ${f.byteOrder === 'little'}, enc = ${ENCODING[f.encoding]}, hf = ${hf}, explicit = ${explicit}, enum = ${enumTable}, flags = { ${flagRows.join(', ')} }${bits} },`);
  }
  const table = [
    'local FIELDS = {',
    ...rows,
    '}',
    'local FIELDS_BY_NAME = {}',
    'for _, F in ipairs(FIELDS) do FIELDS_BY_NAME[F.name] = F end',
  ].join('\n');
  return { declarations, protoFields, table, abbrevs };
}
