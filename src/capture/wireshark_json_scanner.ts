/**
 * A byte-level JSON scanner for one packet object of a Wireshark export.
 *
 * It validates JSON syntax and records where the few wanted string values sit in the buffer,
 * without building a tree or decoding strings: strings are skipped with `indexOf('"')` (native),
 * only the short gaps between them are walked byte by byte. Duplicate keys (two `"ip"` layers
 * for IP-in-IP) are seen in file order, which JSON.parse would lose.
 */
import { InputError } from '../input_error.js';
import {
  FIELD_BASE, FIELD_COUNT, F_DATA, F_SRC, F_SPORT, lookupKey, R_DATA, R_IP, R_IPV6, R_LAYERS, R_OTHER, R_PACKET, R_TCP, R_UDP,
  TAG_IPV4, TAG_IPV6, TAG_SHIFT, TAG_TCP, TAG_UDP, type KeyTables,
} from './wireshark_json_fields.js';

/** Returned by scanObject when the buffer ends before the object does. */
export const NEED_MORE = -1;

const MAX_DEPTH = 512;

// Grammar states inside the packet object.
const S_VALUE = 0;
const S_VALUE_OR_CLOSE = 1;
const S_KEY = 2;
const S_KEY_OR_CLOSE = 3;
const S_COLON = 4;
const S_AFTER_VALUE = 5;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes that may continue a number or a true/false/null literal. */
const LITERAL_BYTE = (() => {
  const t = new Uint8Array(256);
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.') t[c.charCodeAt(0)] = 1;
  return t;
})();

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/**
 * Scans packet objects and exposes, after each one, where its wanted fields are.
 *
 * @example
 * const sc = new WiresharkJsonScanner('x.json', buildKeyTables('json'));
 * const after = sc.scanObject(buf, start, end, 0); // NEED_MORE if buf ends inside the object
 * if (after >= 0 && sc.fieldStart[F_NUMBER] >= 0) ...
 */
export class WiresharkJsonScanner {
  /** Start/end offsets in the scanned buffer of each field's string content, -1 when absent. */
  readonly fieldStart = new Int32Array(FIELD_COUNT);
  readonly fieldEnd = new Int32Array(FIELD_COUNT);
  /** Innermost IP version seen (4, 6, or 0) and its transport (17, 6, or 0). */
  ipVersion = 0;
  transport = 0;
  /** Whether the object had a `layers` member (EK `index` lines have none). */
  hasLayers = false;

  /** Per open container: the role of an object, or the role its elements get for an array. */
  private readonly roles = new Uint16Array(MAX_DEPTH);
  private readonly isArray = new Uint8Array(MAX_DEPTH);

  constructor(private readonly file: string, private readonly keys: KeyTables) {}

  /**
   * Scans the object whose '{' is at `buf[start]`, up to `end`. Returns the offset just after
   * its closing '}', or NEED_MORE. Throws InputError (offset `fileBase + position`) on a
   * syntax error.
   */
  scanObject(buf: Buffer, start: number, end: number, fileBase: number): number {
    this.fieldStart.fill(-1);
    this.fieldEnd.fill(-1);
    this.ipVersion = 0;
    this.transport = 0;
    this.hasLayers = false;
    const roles = this.roles;
    const isArray = this.isArray;
    const keys = this.keys;
    let depth = 0;
    roles[0] = R_PACKET;
    isArray[0] = 0;
    let state = S_KEY_OR_CLOSE;
    let pending = R_OTHER; // what the key just read makes of its value
    let p = start + 1;
    while (true) {
      if (p >= end) return NEED_MORE;
      const c = buf[p];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        // Pretty-printed exports are mostly indentation: eat a run of spaces in one tight loop.
        p++;
        while (p < end && buf[p] === 0x20) p++;
        continue;
      }
      if (c === QUOTE) {
        const q = findStringEnd(buf, p + 1, end);
        if (q < 0) return NEED_MORE;
        if (state === S_KEY || state === S_KEY_OR_CLOSE) {
          const role = roles[depth];
          pending = role !== R_OTHER && role < FIELD_BASE ? lookupKey(keys[role], buf, p + 1, q) : R_OTHER;
          state = S_COLON;
        } else if (state === S_VALUE || state === S_VALUE_OR_CLOSE) {
          const role = isArray[depth] ? roles[depth] : pending;
          if (role >= FIELD_BASE) this.capture(role, p + 1, q);
          state = S_AFTER_VALUE;
        } else {
          throw this.error(`unexpected string (expected ${expected(state)})`, fileBase + p);
        }
        p = q + 1;
        continue;
      }
      switch (c) {
        case 0x3a: // :
          if (state !== S_COLON) throw this.error(`unexpected ':' (expected ${expected(state)})`, fileBase + p);
          state = S_VALUE;
          p++;
          continue;
        case 0x2c: // ,
          if (state !== S_AFTER_VALUE) throw this.error(`unexpected ',' (expected ${expected(state)})`, fileBase + p);
          state = isArray[depth] ? S_VALUE : S_KEY;
          p++;
          continue;
        case 0x7b: // {
        case 0x5b: {
          // [
          if (state !== S_VALUE && state !== S_VALUE_OR_CLOSE) {
            throw this.error(`unexpected '${String.fromCharCode(c)}' (expected ${expected(state)})`, fileBase + p);
          }
          if (depth + 1 >= MAX_DEPTH) throw this.error(`JSON nested deeper than ${MAX_DEPTH}`, fileBase + p);
          let role = isArray[depth] ? roles[depth] : pending;
          if (c === 0x7b) {
            if (role >= FIELD_BASE) role = R_OTHER; // a field we wanted as a string is an object: ignore it
            else this.enterLayer(role);
            state = S_KEY_OR_CLOSE;
          } else {
            if (isArray[depth] && role >= FIELD_BASE) role = R_OTHER; // only the first level of a field array counts
            state = S_VALUE_OR_CLOSE;
          }
          depth++;
          roles[depth] = role;
          isArray[depth] = c === 0x5b ? 1 : 0;
          p++;
          continue;
        }
        case 0x7d: // }
        case 0x5d: {
          // ]
          const closesArray = c === 0x5d;
          const ok = closesArray
            ? isArray[depth] === 1 && (state === S_AFTER_VALUE || state === S_VALUE_OR_CLOSE)
            : isArray[depth] === 0 && (state === S_AFTER_VALUE || state === S_KEY_OR_CLOSE);
          if (!ok) throw this.error(`unexpected '${String.fromCharCode(c)}' (expected ${expected(state)})`, fileBase + p);
          p++;
          if (depth === 0) return p;
          depth--;
          state = S_AFTER_VALUE;
          continue;
        }
        default: {
          if (state !== S_VALUE && state !== S_VALUE_OR_CLOSE) {
            throw this.error(`unexpected ${describeByte(c)} (expected ${expected(state)})`, fileBase + p);
          }
          let e = p;
          while (e < end && LITERAL_BYTE[buf[e]] === 1) e++;
          if (e >= end) return NEED_MORE;
          if (!isLiteral(buf, p, e)) {
            const text = buf.toString('latin1', p, Math.min(e, p + 20));
            throw this.error(`unexpected ${e > p ? JSON.stringify(text) : describeByte(c)}`, fileBase + p);
          }
          state = S_AFTER_VALUE;
          p = e;
        }
      }
    }
  }

  /** Records a wanted string value; the first occurrence wins (arrays of duplicates, repeated keys). */
  private capture(result: number, start: number, end: number): void {
    const id = (result - FIELD_BASE) & 0xff;
    const tag = result >> TAG_SHIFT;
    if (tag !== 0) this.applyTag(tag, id);
    if (this.fieldStart[id] >= 0) return;
    this.fieldStart[id] = start;
    this.fieldEnd[id] = end;
  }

  /** A flat (-e) field says which family/transport the packet has, as a layer object would. */
  private applyTag(tag: number, id: number): void {
    if (tag === TAG_IPV4 || tag === TAG_IPV6) {
      if (this.ipVersion === 0 && id === F_SRC) this.ipVersion = tag === TAG_IPV4 ? 4 : 6;
    } else if (this.transport === 0 && id === F_SPORT) {
      this.transport = tag === TAG_UDP ? 17 : tag === TAG_TCP ? 6 : 0;
    }
  }

  /** A new IP layer starts the innermost datagram over; a new transport layer its segment. */
  private enterLayer(role: number): void {
    if (role === R_IP || role === R_IPV6) {
      this.ipVersion = role === R_IP ? 4 : 6;
      this.transport = 0;
      this.clearFrom(F_SRC);
    } else if (role === R_UDP || role === R_TCP) {
      this.transport = role === R_UDP ? 17 : 6;
      this.clearFrom(F_SPORT);
    } else if (role === R_DATA) {
      // data.data is captured first-wins, so later "data" layers do not override the first.
    } else if (role === R_LAYERS) {
      this.hasLayers = true;
    }
  }

  /** Forgets the per-layer fields from `first` (ids F_SRC..F_DATA are the layer-scoped ones). */
  private clearFrom(first: number): void {
    for (let i = first; i <= F_DATA; i++) {
      this.fieldStart[i] = -1;
      this.fieldEnd[i] = -1;
    }
  }

  private error(detail: string, offset: number): InputError {
    return new InputError(this.file, `malformed JSON: ${detail}`, { offset });
  }
}

/**
 * Whether `buf[p, e)` is exactly true, false, null or a JSON number. Checked on the bytes:
 * `-x` exports hold millions of small numbers, too many to make strings of.
 */
function isLiteral(buf: Buffer, p: number, e: number): boolean {
  const c = buf[p];
  if (c === 0x74) return bytesEqual(buf, p, e, TRUE);
  if (c === 0x66) return bytesEqual(buf, p, e, FALSE);
  if (c === 0x6e) return bytesEqual(buf, p, e, NULL);
  let i = p;
  if (buf[i] === 0x2d) i++;
  if (i < e && buf[i] === 0x30) i++;
  else if (!isDigitRun(buf, i, e)) return false;
  else while (i < e && isDigit(buf[i])) i++;
  if (i < e && buf[i] === 0x2e) {
    if (!isDigitRun(buf, ++i, e)) return false;
    while (i < e && isDigit(buf[i])) i++;
  }
  if (i < e && (buf[i] | 0x20) === 0x65) {
    i++;
    if (i < e && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
    if (!isDigitRun(buf, i, e)) return false;
    while (i < e && isDigit(buf[i])) i++;
  }
  return i === e;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isDigitRun(buf: Buffer, i: number, e: number): boolean {
  return i < e && isDigit(buf[i]);
}

function bytesEqual(buf: Buffer, p: number, e: number, word: Buffer): boolean {
  if (e - p !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[p + i] !== word[i]) return false;
  return true;
}

/** Strings up to this long are walked in JS: a native indexOf call costs more than that. */
const SHORT_STRING = 48;

/**
 * Offset of the quote closing the string whose content starts at `from`, or -1 when `end`
 * comes first. Short strings (keys, numbers) are walked byte by byte; long ones (hex payloads)
 * are left to the native indexOf.
 */
function findStringEnd(buf: Buffer, from: number, end: number): number {
  const stop = Math.min(end, from + SHORT_STRING);
  let i = from;
  for (; i < stop; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  if (i >= end) return -1;
  let q = buf.indexOf(QUOTE, i);
  while (q >= 0 && q < end && buf[q - 1] === BACKSLASH && isEscaped(buf, from, q)) q = buf.indexOf(QUOTE, q + 1);
  return q < 0 || q >= end ? -1 : q;
}

/** True when the quote at `q` is preceded by an odd run of backslashes (so it is escaped). */
function isEscaped(buf: Buffer, from: number, q: number): boolean {
  let n = 0;
  for (let i = q - 1; i >= from && buf[i] === BACKSLASH; i--) n++;
  return (n & 1) === 1;
}

function expected(state: number): string {
  switch (state) {
    case S_VALUE: return 'a value';
    case S_VALUE_OR_CLOSE: return "a value or ']'";
    case S_KEY: return 'a key';
    case S_KEY_OR_CLOSE: return "a key or '}'";
    case S_COLON: return "':'";
    default: return "',' or a closing bracket";
  }
}

function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
