/**
 * Lua source literals for generated plugins: text from a dissector file (titles, field names,
 * flag names, enum names) must land in Lua as data, never as code.
 */

/**
 * A double-quoted Lua string literal; control characters, quotes and backslashes escaped,
 * other UTF-8 kept as is (Lua strings are bytes).
 *
 * @example luaString('say "hi"\n') // "say \"hi\"\n" as Lua source
 */
export function luaString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (c < 0x20 || c === 0x7f) out += `\\${String(c).padStart(3, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/**
 * A Lua number literal for an integer or float (Lua 5.2 numbers are doubles; integers beyond
 * 2^53 never reach here because masks and sizes are small).
 *
 * @example luaNumber(0xa0) // "160"
 */
export function luaNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return Number.isInteger(n) ? String(n) : String(n);
}

/**
 * A Wireshark filter-name component made from free text (flag names like "HAS_OPT"):
 * lower case, letters, digits and '_' only.
 *
 * @example filterComponent('HAS-OPT') // "has_opt"
 */
export function filterComponent(s: string): string {
  const t = s.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return t.length ? t : '_';
}

/**
 * Text for a Lua `--` comment: one line, so a title with a newline cannot start code.
 *
 * @example luaComment('two\nlines') // "two lines"
 */
export function luaComment(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
