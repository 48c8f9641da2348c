/**
 * The header layout as a Lua function of the dissector's parameters. Seed 004's struct
 * "10s{N}s i d ? i i" moves `seq` with N (native alignment), so the plugin must compute
 * offsets from the N it learned, exactly as `layoutOf` does. The layout is rebuilt here as a
 * list of slots (size: a number or a parameter; alignment), emitted as straight-line Lua, and
 * checked against `layoutOf` for many parameter values before any Lua is written.
 */
import type { Dissector } from '../codec/dissector.js';
import type { DissectorDef } from '../codec/dissector_schema.js';
import type { Layout } from '../codec/layout.js';
import { parseStructFormat } from '../codec/struct_format.js';
import { luaString } from './lua_literal.js';

export class LuaGenerationError extends Error {}

/** A run of header bytes: one field, a run of bit fields sharing bytes, or padding. */
export interface LayoutSlot {
  /** Field names placed at the slot's start (none for padding, several for a bit run). */
  fields: string[];
  /** Byte count, or the name of the parameter that gives it. */
  size: number | string;
  /** The slot starts at a multiple of this (native struct alignment), else 1. */
  align: number;
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

function sizeOf(spec: number | string, what: string): number | string {
  if (typeof spec === 'number') return spec;
  const m = PARAM.exec(spec);
  if (m) return m[1];
  const n = Number(spec);
  if (!Number.isInteger(n) || n < 0) throw new LuaGenerationError(`${what}: size "${spec}" is not a byte count`);
  return n;
}

function structSlots(def: DissectorDef, names: string[]): LayoutSlot[] {
  let fmt = def.struct!.replace(/\s+/g, '');
  let prefix = '@';
  if ('@=<>!'.includes(fmt[0] ?? '')) { prefix = fmt[0]; fmt = fmt.slice(1); }
  const native = prefix === '@';
  const slots: LayoutSlot[] = [];
  let k = 0;
  for (const m of fmt.matchAll(/(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(.)/g)) {
    const count = m[1] === undefined ? undefined : sizeOf(m[1], `struct count ${m[1]}`);
    const code = m[2];
    if (code === 'x') { slots.push({ fields: [], size: count ?? 1, align: 1 }); continue; }
    if (code === 's' || code === 'p') { slots.push({ fields: [names[k++]], size: count ?? 1, align: 1 }); continue; }
    if (typeof count === 'string') throw new LuaGenerationError(`struct item "{${count}}${code}" repeats a number by a parameter: the field list would change with ${count}`);
    const size = parseStructFormat(`${prefix}${code}`, def.nativeOrder ?? 'little').size;
    for (let i = 0; i < (count ?? 1); i++) slots.push({ fields: [names[k++]], size, align: native ? size : 1 });
  }
  return slots;
}

const FIXED: Record<string, number> = { u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, u64: 8, i64: 8, f64: 8 };

function fieldSlots(def: DissectorDef): LayoutSlot[] {
  const slots: LayoutSlot[] = [];
  let run: string[] = [];
  let bits = 0;
  const close = () => {
    if (run.length) slots.push({ fields: run, size: bits / 8, align: 1 });
    run = [];
    bits = 0;
  };
  for (const e of def.fields ?? []) {
    if (typeof e === 'string' || !e.type) throw new LuaGenerationError(`field ${typeof e === 'string' ? e : e.name} has no type`);
    if (e.type === 'bits') {
      const w = sizeOf(e.size ?? 0, `bit field ${e.name}`);
      if (typeof w === 'string') throw new LuaGenerationError(`bit field ${e.name}: a parameter width is not supported`);
      run.push(e.name);
      bits += w;
      continue;
    }
    close();
    const size = FIXED[e.type] ?? sizeOf(e.size ?? 0, `field ${e.name}`);
    slots.push({ fields: e.type === 'pad' ? [] : [e.name], size, align: 1 });
  }
  close();
  return slots;
}

/**
 * The layout slots of a dissector.
 *
 * @example layoutSlots(pkg).map((s) => s.size) // [10, 'N', 4, 8, 1, 4, 4]
 */
export function layoutSlots(d: Dissector): LayoutSlot[] {
  const def = d.def;
  if (!def.struct) return fieldSlots(def);
  const names = (def.fields ?? []).map((f) => (typeof f === 'string' ? f : f.name));
  return structSlots(def, names);
}

/** Offsets and size of the slots for one set of parameters (the TS twin of the emitted Lua). */
export function evaluateSlots(slots: LayoutSlot[], params: Record<string, number>): { offsets: Map<string, number>; size: number } {
  const offsets = new Map<string, number>();
  let off = 0;
  for (const s of slots) {
    if (off % s.align !== 0) off += s.align - (off % s.align);
    for (const f of s.fields) offsets.set(f, off);
    off += typeof s.size === 'number' ? s.size : params[s.size];
  }
  return { offsets, size: off };
}

/** Parameter values the slots are checked with: defaults, variants, and a spread of others. */
function sampleParams(d: Dissector): Array<Record<string, number>> {
  const out = [d.defaultParams, ...d.def.variants.map((v) => ({ ...d.defaultParams, ...v.params }))];
  for (const name of Object.keys(d.def.params)) {
    for (const n of [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 31, 33, 64, 100, 255, 1000, 4097, 65535]) out.push({ ...d.defaultParams, [name]: n });
  }
  return out;
}

function sameLayout(layout: Layout, ev: { offsets: Map<string, number>; size: number }): boolean {
  return layout.size === ev.size && layout.fields.every((f) => ev.offsets.get(f.name) === (f.type === 'bits' ? f.bitRunOffset : f.offset));
}

/**
 * Lua source of `compute_layout(P)`, returning `{ o = offsets, s = sizes, size = total }` keyed
 * by field name. Throws LuaGenerationError when the parameters move fields in a way the slots
 * cannot express (the check runs `layoutOf` for many values).
 *
 * @example luaLayoutFunction(sock352) // "local function compute_layout(P)\n  local o, s = {}, {}\n..."
 */
export function luaLayoutFunction(d: Dissector): string {
  const slots = layoutSlots(d);
  for (const p of sampleParams(d)) {
    let layout: Layout;
    try { layout = d.layout(p); } catch { continue; } // values the dissector itself rejects never reach the plugin
    if (!sameLayout(layout, evaluateSlots(slots, p))) {
      throw new LuaGenerationError(`the layout of ${d.name} for ${JSON.stringify(p)} cannot be computed in Lua from its parameters`);
    }
  }
  const sizes = new Map(d.layout().fields.map((f) => [f.name, f]));
  const lines = ['local function compute_layout(P)', '  local o, s, off = {}, {}, 0'];
  for (const slot of slots) {
    if (slot.align > 1) lines.push(`  off = align(off, ${slot.align})`);
    const size = typeof slot.size === 'number' ? String(slot.size) : `P[${luaString(slot.size)}]`;
    for (const f of slot.fields) {
      // A bit field's size is that of its byte run; other fields' sizes are the slot's.
      const fixed = sizes.get(f);
      const fs = fixed && fixed.type === 'bits' ? String(fixed.bitRunSize) : size;
      lines.push(`  o[${luaString(f)}] = off; s[${luaString(f)}] = ${fs}`);
    }
    lines.push(`  off = off + ${size}`);
  }
  lines.push('  return { o = o, s = s, size = off }', 'end');
  return lines.join('\n');
}
