/**
 * Roles ("the ACK number is the payload read as decimal text") and matchers ("a SYN is the
 * SYN flag", "data is kind MSG") as Lua expressions, so the plugin's Info column and learned
 * parameters mean exactly what `roles.ts` means. The expressions read the decoded field table
 * `v`, the message kind `kind` and the payload length `plen`, and call the runtime helpers
 * `has_bits`, `jstr` and `role_number` (lua_runtime.ts).
 */
import type { Dissector } from '../codec/dissector.js';
import type { Matcher, RoleRef } from '../codec/dissector_schema.js';
import { toInt } from '../codec/layout.js';
import { LuaGenerationError } from './lua_layout.js';
import { luaNumber, luaString } from './lua_literal.js';

const list = (x: string | string[] | undefined): string[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function flagAt(d: Dissector, flag: string, what: string): [string, number] {
  const at = d.flagDefinitions.find(([name]) => name === flag);
  if (!at) throw new LuaGenerationError(`${what} names flag "${flag}", which no field declares`);
  return [at[1], at[2]];
}

/**
 * A Lua boolean expression for a matcher, or `fallback` when the matcher is absent.
 *
 * @example luaMatcher(sock352, { flag: 'SYN' }, 'false', 'semantics.syn') // 'has_bits(v["flags"], 1)'
 */
export function luaMatcher(d: Dissector, m: Matcher | undefined, fallback: string, what: string): string {
  if (m === undefined) return fallback;
  if (m === 'always') return 'true';
  if (m === 'never') return 'false';
  const terms: string[] = [];
  for (const f of list(m.flag)) {
    const [field, mask] = flagAt(d, f, what);
    terms.push(`has_bits(v[${luaString(field)}], ${luaNumber(mask)})`);
  }
  for (const f of list(m.notFlag)) {
    const [field, mask] = flagAt(d, f, what);
    terms.push(`not has_bits(v[${luaString(field)}], ${luaNumber(mask)})`);
  }
  const kinds = list(m.kind);
  if (kinds.length) terms.push(`(${kinds.map((k) => `kind == ${luaString(k)}`).join(' or ')})`);
  if (m.field !== undefined) {
    const eq = m.equals === undefined ? [] : Array.isArray(m.equals) ? m.equals : [m.equals];
    // roles.ts compares String(value) with String(expected): jstr prints Lua values the way JS does.
    terms.push(eq.length ? `(${eq.map((e) => `jstr(v[${luaString(m.field!)}]) == ${luaString(String(e))}`).join(' or ')})` : 'false');
  }
  if (m.hasPayload !== undefined) terms.push(m.hasPayload ? 'plen > 0' : 'plen == 0');
  return terms.length ? terms.join(' and ') : 'true';
}

/**
 * A Lua expression for a role's number (nil when the field is missing or not a number), or
 * 'nil' for an absent role.
 *
 * @example luaRole(pkg.def.roles.ack) // 'role_number(v["payload"], true, nil, 0, 1, 0)'
 */
export function luaRole(ref: RoleRef | undefined): string {
  if (ref === undefined) return 'nil';
  const r = typeof ref === 'string' ? { field: ref } : ref;
  const ascii = 'encoding' in r && r.encoding === 'ascii-decimal';
  const mask = 'mask' in r && r.mask !== undefined ? luaNumber(toInt(r.mask)) : 'nil';
  const shift = ('shift' in r && r.shift) || 0;
  const scale = ('scale' in r && r.scale) || 1;
  const add = ('offset' in r && r.offset) || 0;
  return `role_number(v[${luaString(r.field)}], ${ascii}, ${mask}, ${shift}, ${luaNumber(scale)}, ${luaNumber(add)})`;
}
