/**
 * A compiled dissector: decode and encode of one protocol header, its roles, checksum and
 * parameters. Built from a validated DissectorDef by `compileDissector` (dissector_registry.ts
 * loads them from files). Pure: no I/O, no sockets.
 */
import type { DissectorDef } from './dissector_schema.js';
import { crc32, internetChecksum } from './checksum.js';
import { compileFieldsDecoder, compileSegmentDecoder, type FieldsDecoder, type SegmentDecoder } from './decoder_codegen.js';
import { readField, writeField, EncodeError, type FieldValue } from './field_io.js';
import { layoutOf, type Layout, type LayoutField } from './layout.js';
import { compileMatcher, compileRole, flagIsSet, RoleError, type FlagTable, type RoleReader, type SegmentPredicate } from './roles.js';
import type { ChecksumStatus, Segment } from './segment.js';

export interface DecodeContext {
  /** Parameter values in force (defaults are used for the rest). */
  params?: Record<string, number>;
  /** Ones'-complement sum of the IP pseudo-header, for tcp-pseudo/udp-pseudo checksums. */
  pseudoSum?: number;
}

export interface EncodeOptions extends DecodeContext {
  /** 'compute' (default) fills the checksum field; 'keep' writes the given value as is. */
  checksum?: 'compute' | 'keep';
  /** Option bytes written between the fixed header and the payload (TCP options). */
  options?: Uint8Array | null;
}

interface CompiledLayout {
  layout: Layout;
  decodeFields: FieldsDecoder;
  byName: Map<string, LayoutField>;
  /** Role fields resolved once per layout, so decode does no lookups by name. */
  kindField: LayoutField | undefined;
  payloadField: LayoutField | undefined;
  checksumField: LayoutField | undefined;
  /** The whole-segment decoder for complete headers, generated on first use (see decoder_codegen.ts). */
  decodeSegment: SegmentDecoder | null;
}

/** Shared by every segment without warnings or flags: most segments, so no allocation. */
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** The default payload of an encode: none. */
const EMPTY_PAYLOAD = new Uint8Array(0);

function withWarning(list: string[], w: string): string[] {
  if (list === NONE) return [w];
  list.push(w);
  return list;
}

export class Dissector {
  readonly def: DissectorDef;
  readonly name: string;
  readonly defaultParams: Record<string, number>;
  /** Where the dissector was loaded from (a file path, or "<inline>"). */
  readonly source: string;
  private readonly layouts = new Map<string, CompiledLayout>();
  private readonly base: CompiledLayout;
  private lastParams: Record<string, number> | null = null;
  private lastCompiled: CompiledLayout | null = null;
  private readonly paramNames: string[];
  private readonly flagTable: FlagTable = new Map();
  private readonly flagList: Array<[string, string, number]> = [];
  private readonly seqRole: RoleReader | null;
  private readonly ackRole: RoleReader | null;
  private readonly windowRole: RoleReader | null;
  private readonly payloadLengthRole: RoleReader | null;
  private readonly headerLengthRole: RoleReader | null;
  private readonly isSyn: SegmentPredicate;
  private readonly isFin: SegmentPredicate;
  private readonly isRst: SegmentPredicate;
  private readonly hasAckPred: SegmentPredicate;
  private readonly isDataPred: SegmentPredicate;
  private readonly learners: Array<{ param: string; when: SegmentPredicate; from: RoleReader }>;
  /** Sequence arithmetic width in bits (wraps modulo 2^seqBits). */
  readonly seqBits: number;

  constructor(def: DissectorDef, source = '<inline>') {
    this.def = def;
    this.name = def.name;
    this.source = source;
    this.defaultParams = Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default]));
    this.paramNames = Object.keys(this.defaultParams);
    this.base = this.compiled(this.defaultParams);
    const layout = this.base.layout;
    for (const f of layout.fields) {
      for (const [flag, mask] of f.flags) {
        if (this.flagTable.has(flag)) throw new RoleError(`flag ${flag} is declared twice`);
        this.flagTable.set(flag, [f.name, mask]);
        this.flagList.push([flag, f.name, mask]);
      }
    }
    const r = def.roles;
    this.seqRole = compileRole(r.seq, layout, 'seq');
    this.ackRole = compileRole(r.ack, layout, 'ack');
    this.windowRole = compileRole(r.window, layout, 'window');
    this.payloadLengthRole = compileRole(r.payloadLength, layout, 'payloadLength');
    this.headerLengthRole = compileRole(r.headerLength, layout, 'headerLength');
    for (const [role, name] of [['flags', r.flags], ['checksum', r.checksum], ['kind', r.kind], ['payload', r.payload], ['srcPort', r.srcPort], ['dstPort', r.dstPort]] as const) {
      if (name !== undefined && !this.base.byName.has(name)) throw new RoleError(`role ${role} names field "${name}", which does not exist`);
    }
    if (def.checksum.algorithm !== 'none') {
      const cf = def.checksum.field ?? r.checksum;
      if (!cf || !this.base.byName.has(cf)) throw new RoleError(`checksum ${def.checksum.algorithm} needs an existing "field"`);
    }
    const s = def.semantics;
    const never: SegmentPredicate = () => false;
    this.isSyn = compileMatcher(s.syn, this.flagTable, 'semantics.syn') ?? never;
    this.isFin = compileMatcher(s.fin, this.flagTable, 'semantics.fin') ?? never;
    this.isRst = compileMatcher(s.rst, this.flagTable, 'semantics.rst') ?? never;
    this.hasAckPred = compileMatcher(s.ack, this.flagTable, 'semantics.ack') ?? (this.ackRole ? () => true : never);
    this.isDataPred = compileMatcher(s.data, this.flagTable, 'semantics.data') ?? ((_f, _k, len) => len > 0);
    this.learners = Object.entries(def.params).filter(([, p]) => p.learn).map(([param, p]) => ({
      param,
      when: compileMatcher(p.learn!.when, this.flagTable, `params.${param}.learn.when`)!,
      from: compileRole(p.learn!.from, layout, `params.${param}.learn.from`)!,
    }));
    const seqField = typeof r.seq === 'string' ? r.seq : r.seq?.field;
    const seqLayout = seqField ? this.base.byName.get(seqField) : undefined;
    this.seqBits = s.seqBits ?? (seqLayout && seqLayout.type !== 'string' && seqLayout.type !== 'bytes' ? seqLayout.size * 8 : 32);
    this.checkVariants();
  }

  /** Names of all flag bits with their field and mask, in declaration order. */
  get flagDefinitions(): ReadonlyArray<[string, string, number]> { return this.flagList; }

  /** Header size in bytes for the given parameters (the fixed part, before options). */
  headerSize(params: Record<string, number> = this.defaultParams): number {
    return this.compiled(params).layout.size;
  }

  layout(params: Record<string, number> = this.defaultParams): Layout {
    return this.compiled(params).layout;
  }

  private compiled(params: Record<string, number>): CompiledLayout {
    if (params === this.lastParams) return this.lastCompiled!;
    const key = paramsKey(params);
    let c = this.layouts.get(key);
    if (!c) {
      const layout = layoutOf(this.def, params);
      const byName = new Map(layout.fields.map((f) => [f.name, f]));
      const r = this.def.roles;
      const ck = this.def.checksum.field ?? r.checksum;
      c = {
        layout, decodeFields: compileFieldsDecoder(layout), byName,
        kindField: r.kind ? byName.get(r.kind) : undefined,
        payloadField: r.payload ? byName.get(r.payload) : undefined,
        checksumField: ck ? byName.get(ck) : undefined,
        decodeSegment: null,
      };
      if (this.layouts.size > 64) this.layouts.clear(); // parameters come from hostile captures: bound the cache
      this.layouts.set(key, c);
    }
    this.lastParams = params;
    this.lastCompiled = c;
    return c;
  }

  /** The complete parameter set for a partial one (defaults fill the gaps); the same object when complete. */
  private fullParams(p: Record<string, number> | undefined): Record<string, number> {
    if (p === undefined) return this.defaultParams;
    for (const k of this.paramNames) if (!(k in p)) return { ...this.defaultParams, ...p };
    return p;
  }

  private checkVariants(): void {
    const kindName = this.def.roles.kind;
    if (this.def.variants.length === 0) return;
    if (!kindName) throw new RoleError('variants need a kind role');
    const at = this.base.byName.get(kindName)!;
    for (const v of this.def.variants) {
      const f = this.compiled({ ...this.defaultParams, ...v.params }).byName.get(kindName)!;
      if (f.offset !== at.offset || f.size !== at.size) throw new RoleError(`variant params move the kind field ${kindName}: it must stay put`);
    }
  }

  /** Parameters in force for a message of this kind (variants override, e.g. GET_MAX uses N=4). */
  paramsForKind(kind: string | null, params: Record<string, number>): Record<string, number> {
    for (const v of this.def.variants) {
      const kinds = Array.isArray(v.when.kind) ? v.when.kind : [v.when.kind];
      if (kind !== null && kinds.includes(kind)) return { ...params, ...v.params };
    }
    return params;
  }

  /** Reads only the kind of the message at `off` (for framing before the record size is known). */
  peekKind(buf: Buffer, off: number, avail: number, params: Record<string, number> = this.defaultParams): string | null {
    const kindName = this.def.roles.kind;
    if (!kindName) return null;
    const f = this.compiled(params).byName.get(kindName)!;
    if (f.offset + f.size > avail) return null;
    return this.kindText(f, readField(buf, off, f));
  }

  /**
   * Size of the fixed record starting at `off` (for "fixed-records" framing), or -1 when more
   * bytes are needed to tell.
   */
  recordSize(buf: Buffer, off: number, avail: number, params: Record<string, number> = this.defaultParams): number {
    const full = this.fullParams(params);
    if (this.def.variants.length === 0) return this.headerSize(full);
    const kind = this.peekKind(buf, off, avail, full);
    if (kind === null && avail < this.headerSize(full)) return -1;
    return this.headerSize(this.paramsForKind(kind, full));
  }

  private kindText(f: LayoutField, v: FieldValue): string {
    const key = typeof v === 'string' ? v : String(v);
    if (f.enumNames) return f.enumNames[key] ?? key;
    return key;
  }

  /**
   * Decodes the segment in `buf[off, off + len)`.
   *
   * @example
   * const seg = sock352.decode(datagram, 0, datagram.length);
   * seg.fields.sequence_no; seg.flags; // ['SYN']
   */
  decode(buf: Buffer, off: number, len: number, ctx: DecodeContext = {}): Segment {
    let params = this.fullParams(ctx.params);
    if (this.def.variants.length) params = this.paramsForKind(this.peekKind(buf, off, len, params), params);
    const c = this.compiled(params);
    if (len >= c.layout.size) return (c.decodeSegment ?? this.segmentDecoder(c))(buf, off, len, params, ctx.pseudoSum);
    return this.decodeGeneral(buf, off, len, params, c, ctx.pseudoSum);
  }

  /**
   * The same decode by the general, interpreting path (one closure per role): the reference the
   * generated decoder must agree with, field for field. Slower; for tests and debugging.
   *
   * @example expect(d.decode(buf, 0, n)).toEqual(d.decodeReference(buf, 0, n))
   */
  decodeReference(buf: Buffer, off: number, len: number, ctx: DecodeContext = {}): Segment {
    let params = this.fullParams(ctx.params);
    if (this.def.variants.length) params = this.paramsForKind(this.peekKind(buf, off, len, params), params);
    return this.decodeGeneral(buf, off, len, params, this.compiled(params), ctx.pseudoSum);
  }

  private segmentDecoder(c: CompiledLayout): SegmentDecoder {
    const kf = c.kindField;
    c.decodeSegment = compileSegmentDecoder({
      layout: c.layout, def: this.def, flagTable: this.flagTable, flagList: this.flagList,
      readers: { seq: this.seqRole, ack: this.ackRole, window: this.windowRole, payloadLength: this.payloadLengthRole, headerLength: this.headerLengthRole },
      kindField: kf, payloadField: c.payloadField, checksumField: c.checksumField,
      kindText: (v) => this.kindText(kf!, v),
      unknownKind: (v) => kf!.enumNames !== null && !(String(v) in kf!.enumNames),
      verifyChecksum: this.def.checksum.algorithm === 'none' || !c.checksumField ? null
        : (b, o, hl, po, pl, ps, stored) => this.verifyChecksum(b, o, hl, po, pl, c, ps, stored),
      none: NONE,
    });
    return c.decodeSegment;
  }

  /**
   * The general decode: what runs for segments shorter than their fixed header (only the
   * fields that fit are read, every role that needs a missing field stays null), and the
   * reference for the generated decoder.
   */
  private decodeGeneral(buf: Buffer, off: number, len: number, params: Record<string, number>, c: CompiledLayout, pseudoSum: number | undefined): Segment {
    const layout = c.layout;
    const complete = len >= layout.size;
    let warnings = NONE;
    let fields: Record<string, FieldValue>;
    if (complete) {
      fields = c.decodeFields(buf, off);
    } else {
      warnings = withWarning(warnings, 'truncated');
      fields = {};
      for (const f of layout.fields) if (f.offset + f.size <= len) fields[f.name] = readField(buf, off, f);
    }
    let headerLength = complete ? layout.size : len;
    if (this.headerLengthRole && complete) {
      const h = Number(this.headerLengthRole(fields));
      if (!Number.isInteger(h) || h < layout.size) warnings = withWarning(warnings, 'bad-header-length');
      else if (h > len) warnings = withWarning(warnings, 'truncated');
      else headerLength = h;
    }
    const options = headerLength > layout.size ? Uint8Array.prototype.slice.call(buf, off + layout.size, off + headerLength) : null;
    let payloadOffset = off + headerLength;
    let payloadLength = len - headerLength;
    const pf = c.payloadField;
    if (pf !== undefined) {
      payloadOffset = off + pf.offset;
      payloadLength = 0;
      if (pf.offset + pf.size <= len) while (payloadLength < pf.size && buf[payloadOffset + payloadLength] !== 0) payloadLength++;
    } else if (this.payloadLengthRole && complete) {
      const p = Number(this.payloadLengthRole(fields));
      if (!Number.isInteger(p) || p < 0) warnings = withWarning(warnings, 'bad-payload-length');
      else if (p > payloadLength) warnings = withWarning(warnings, 'truncated');
      else {
        if (p < payloadLength) warnings = withWarning(warnings, 'trailing-bytes');
        payloadLength = p;
      }
    }
    let kind: string | null = null;
    const kf = c.kindField;
    if (kf !== undefined && fields[kf.name] !== undefined) {
      const v = fields[kf.name];
      kind = this.kindText(kf, v);
      if (kf.enumNames && !(String(v) in kf.enumNames)) warnings = withWarning(warnings, 'unknown-kind');
    }
    let flags = NONE;
    const fl = this.flagList;
    for (let i = 0; i < fl.length; i++) {
      const v = fields[fl[i][1]];
      const mask = fl[i][2];
      if (v !== undefined && (Number(v) & mask) === mask) {
        if (flags === NONE) flags = [];
        flags.push(fl[i][0]);
      }
    }
    const hasAck = complete && this.ackRole !== null && this.hasAckPred(fields, kind, payloadLength);
    return {
      fields,
      headerLength,
      options,
      payloadOffset: payloadOffset - off,
      payloadLength,
      flags,
      kind,
      seq: complete && this.seqRole ? this.seqRole(fields) : null,
      ack: hasAck ? this.ackRole!(fields) : null,
      window: complete && this.windowRole ? numberOrNull(this.windowRole(fields)) : null,
      syn: complete && this.isSyn(fields, kind, payloadLength),
      fin: complete && this.isFin(fields, kind, payloadLength),
      rst: complete && this.isRst(fields, kind, payloadLength),
      hasAck,
      isData: complete && this.isDataPred(fields, kind, payloadLength),
      checksum: complete ? this.verifyChecksum(buf, off, headerLength, payloadOffset, payloadLength, c, pseudoSum) : 'none',
      warnings,
      params,
    };
  }

  /** True when the named flag is set in a decoded segment's fields. */
  hasFlag(seg: Segment, flag: string): boolean {
    const at = this.flagTable.get(flag);
    return at !== undefined && flagIsSet(seg.fields, at);
  }

  /**
   * Parameter values announced by this segment (seed 004's RETURN_MAX payload sets N), merged
   * into `params`; returns null when the segment announces nothing.
   */
  learn(seg: Segment, params: Record<string, number>): Record<string, number> | null {
    if (this.learners.length === 0) return null; // called per segment: most protocols learn nothing
    let out: Record<string, number> | null = null;
    for (const l of this.learners) {
      if (!l.when(seg.fields, seg.kind, seg.payloadLength)) continue;
      const v = l.from(seg.fields);
      if (v === null) continue;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0 || n > 65535) continue; // a hostile value must not blow up layouts
      out = { ...(out ?? params), [l.param]: n };
    }
    return out;
  }

  private checksumField(c: CompiledLayout): LayoutField | undefined {
    return c.checksumField;
  }

  private checksumValue(buf: Buffer, off: number, headerLength: number, payloadOffset: number, payloadLength: number, pseudoSum: number | undefined): number | null {
    const ck = this.def.checksum;
    const start = ck.coverage === 'payload' ? payloadOffset : off;
    const end = ck.coverage === 'header' ? off + headerLength : payloadOffset + payloadLength;
    switch (ck.algorithm) {
      case 'none': return null;
      case 'crc32': return crc32(buf, start, end - start);
      case 'internet16': return internetChecksum(buf, start, end - start);
      case 'tcp-pseudo':
      case 'udp-pseudo':
        if (pseudoSum === undefined) return null;
        return internetChecksum(buf, start, end - start, pseudoSum);
    }
  }

  /** `stored` is the checksum field's value when the caller has read it already (generated decoders). */
  private verifyChecksum(buf: Buffer, off: number, headerLength: number, payloadOffset: number, payloadLength: number, c: CompiledLayout, pseudoSum: number | undefined, stored?: number): ChecksumStatus {
    if (this.def.checksum.algorithm === 'none') return 'none';
    const f = c.checksumField;
    if (!f) return 'none';
    if (stored === undefined) stored = Number(readField(buf, off, f));
    if (this.def.checksum.zeroMeansNone && stored === 0) return 'none';
    if (this.def.checksum.algorithm === 'crc32') {
      const v = this.checksumValue(buf, off, headerLength, payloadOffset, payloadLength, pseudoSum);
      return v === stored ? 'ok' : 'bad';
    }
    // Ones'-complement checksums verify by summing the range with the stored value in place.
    const v = this.checksumValue(buf, off, headerLength, payloadOffset, payloadLength, pseudoSum);
    if (v === null) return 'none';
    return v === 0 ? 'ok' : 'bad';
  }

  /**
   * Encodes a segment: header fields (missing ones are zero), then the payload. The checksum
   * field is computed unless `checksum: 'keep'`.
   *
   * @example sock352.encode({ version: 1, flags: 1, header_len: 40, sequence_no: 7 }, Buffer.from('hi'))
   */
  encode(values: Record<string, FieldValue>, payload: Uint8Array = EMPTY_PAYLOAD, opts: EncodeOptions = {}): Buffer {
    const out = Buffer.alloc(this.encodedLength(values, payload, opts));
    this.encodeInto(out, 0, values, payload, opts);
    return out;
  }

  /**
   * Bytes `encode` produces for these values, payload and options.
   *
   * @example const n = sock352.encodedLength({ flags: 4 }, payload) // 40 + payload.length
   */
  encodedLength(values: Record<string, FieldValue>, payload: Uint8Array = EMPTY_PAYLOAD, opts: EncodeOptions = {}): number {
    const c = this.encodeLayout(values, opts);
    return c.layout.size + (opts.options ? opts.options.length : 0) + (this.def.roles.payload !== undefined ? 0 : payload.length);
  }

  /**
   * `encode` into `buf` at `off` (the header bytes are zeroed first, so `buf` may be reused or
   * uninitialised memory): the hot path of senders, which carve segments out of one slab
   * instead of allocating each. Returns the bytes written; throws RangeError when they do not fit.
   *
   * @example const n = sock352.encodeInto(slab, at, { flags: 4, sequence_no: 7 }, payload); link.send(slab.subarray(at, at + n));
   */
  encodeInto(buf: Buffer, off: number, values: Record<string, FieldValue>, payload: Uint8Array = EMPTY_PAYLOAD, opts: EncodeOptions = {}): number {
    const c = this.encodeLayout(values, opts);
    const payloadField = this.def.roles.payload;
    const inHeader = payloadField !== undefined;
    const options = opts.options ?? null;
    const fixed = c.layout.size;
    const headerLength = fixed + (options ? options.length : 0);
    const total = headerLength + (inHeader ? 0 : payload.length);
    if (off < 0 || off + total > buf.length) throw new RangeError(`${this.name}: ${total} bytes do not fit at offset ${off} of a ${buf.length}-byte buffer`);
    buf.fill(0, off, off + headerLength);
    for (const f of c.layout.fields) {
      const v = inHeader && f.name === payloadField ? (values[f.name] ?? payload) : values[f.name];
      if (v === undefined) continue;
      try {
        writeField(buf, off, f, v);
      } catch (e) {
        if (e instanceof EncodeError) throw new EncodeError(`${this.name}: ${e.message}`);
        throw e;
      }
    }
    if (options) buf.set(options, off + fixed);
    if (!inHeader) buf.set(payload, off + headerLength);
    const ck = this.checksumField(c);
    if (ck && this.def.checksum.algorithm !== 'none' && opts.checksum !== 'keep') {
      writeField(buf, off, ck, 0);
      const payloadOffset = off + (inHeader ? c.byName.get(payloadField!)!.offset : headerLength);
      const v = this.checksumValue(buf, off, headerLength, payloadOffset, payload.length, opts.pseudoSum);
      if (v !== null) writeField(buf, off, ck, v);
    }
    return total;
  }

  /** The layout an encode uses: the parameters given, or those of the kind being encoded (variants). */
  private encodeLayout(values: Record<string, FieldValue>, opts: EncodeOptions): CompiledLayout {
    let params = opts.params ? { ...this.defaultParams, ...opts.params } : this.defaultParams;
    const kindName = this.def.roles.kind;
    if (this.def.variants.length && kindName && values[kindName] !== undefined) {
      params = this.paramsForKind(this.kindText(this.base.byName.get(kindName)!, values[kindName]), params);
    }
    return this.compiled(params);
  }

  /** Field names of the header, in wire order. */
  fieldNames(params: Record<string, number> = this.defaultParams): string[] {
    return this.compiled(params).layout.fields.map((f) => f.name);
  }
}

function numberOrNull(v: number | bigint | null): number | null {
  return v === null ? null : Number(v);
}

function paramsKey(p: Record<string, number>): string {
  return Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join(',');
}
