/**
 * The dissector file format: the one description of a protocol header that decodes captures,
 * drives the live endpoint and generates Wireshark plugins. Defined once with zod; the
 * TypeScript types and the published JSON Schema (schema/dissector.schema.json) come from it.
 */
import { z } from 'zod';

export const FIELD_TYPES = [
  'u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'f32', 'f64',
  'bool', 'bytes', 'string', 'pad', 'bits',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const byteOrder = z.enum(['big', 'little']).describe('Byte order: "big" (network order) or "little".');

/** A number written as JSON number or as a "0x.." string (flag masks read better in hex). */
const intLike = z.union([z.number().int(), z.string().regex(/^(0x[0-9a-fA-F]+|\d+)$/)]);

export const fieldSpec = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field name is an identifier (letters, digits, _)'),
  type: z.enum(FIELD_TYPES).optional().describe('Wire type. Optional when the field comes from a struct format item.'),
  size: z.union([z.number().int().min(0), z.string()]).optional()
    .describe('Bytes for bytes/string/pad, bit width for bits; a string like "{N}" names a parameter.'),
  byteOrder: byteOrder.optional(),
  encoding: z.enum(['ascii', 'utf8', 'latin1']).optional().describe('Text encoding of a string field (default utf8).'),
  flags: z.record(z.string(), intLike).optional().describe('Named flag bits of this field: {"SYN": "0x02"}.'),
  enum: z.record(z.string(), z.string()).optional().describe('Names of values: {"1": "DATA", "2": "ACK"}.'),
  description: z.string().optional(),
}).strict();
export type FieldSpec = z.infer<typeof fieldSpec>;

/** A role that reads a number from a field, optionally from text or a bit range. */
const roleRef = z.union([
  z.string(),
  z.object({
    field: z.string(),
    encoding: z.enum(['binary', 'ascii-decimal']).optional()
      .describe('"ascii-decimal": the number is written as text in the field (seed 004 ACKs).'),
    mask: intLike.optional(),
    shift: z.number().int().min(0).max(63).optional(),
    scale: z.number().positive().optional(),
    offset: z.number().optional().describe('Added after scaling (e.g. header_len counted from 0).'),
  }).strict(),
]);
export type RoleRef = z.infer<typeof roleRef>;

/** A predicate on a decoded segment: a flag set, a field value, or a message kind. */
const matcher = z.union([
  z.literal('always'),
  z.literal('never'),
  z.object({
    flag: z.union([z.string(), z.array(z.string())]).optional().describe('All named flags set.'),
    notFlag: z.union([z.string(), z.array(z.string())]).optional().describe('None of the named flags set.'),
    kind: z.union([z.string(), z.array(z.string())]).optional().describe('The kind role equals one of these.'),
    field: z.string().optional(),
    equals: z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))]).optional(),
    hasPayload: z.boolean().optional(),
  }).strict(),
]);
export type Matcher = z.infer<typeof matcher>;

export const dissectorSpec = z.object({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ -'),
  extends: z.string().optional().describe('Name or path of a dissector this one modifies.'),
  title: z.string().optional(),
  description: z.string().optional(),
  byteOrder: byteOrder.optional(),
  struct: z.string().optional()
    .describe('A Python struct format string, e.g. "!BBBBHHLLQQLL" or "10s{N}s i d ? i i" ({N} = parameter).'),
  nativeOrder: byteOrder.optional().describe('Byte order that "@"/"="/no prefix mean (default little, as on x86 and ARM).'),
  fields: z.array(z.union([z.string(), fieldSpec])).optional()
    .describe('Field names for the struct items in order, or full field descriptions.'),
  fieldOverrides: z.record(z.string(), fieldSpec.partial().omit({ name: true })).optional()
    .describe('Change a few fields of an extended dissector: {"flags": {"flags": {...}}}.'),
  roles: z.object({
    seq: roleRef.optional(),
    ack: roleRef.optional(),
    window: roleRef.optional(),
    payloadLength: roleRef.optional().describe('Payload bytes after the header. Default: the rest of the datagram.'),
    headerLength: roleRef.optional().describe('Header bytes including options, when it varies (TCP data offset).'),
    flags: z.string().optional(),
    checksum: z.string().optional(),
    kind: z.string().optional().describe('The field that names the message type.'),
    payload: z.string().optional().describe('A field that carries the payload inside the fixed header (seed 004).'),
    srcPort: z.string().optional(),
    dstPort: z.string().optional(),
  }).strict().default({}),
  semantics: z.object({
    seqUnit: z.enum(['bytes', 'packets']).default('bytes'),
    ackMeaning: z.enum(['next-expected', 'last-received']).default('next-expected'),
    seqBits: z.union([z.literal(8), z.literal(16), z.literal(32), z.literal(64)]).optional()
      .describe('Width of sequence arithmetic (wraps). Default: the seq field width.'),
    syn: matcher.optional(),
    fin: matcher.optional(),
    rst: matcher.optional(),
    ack: matcher.optional().describe('When the ack role is meaningful. Default: always when an ack role exists.'),
    data: matcher.optional().describe('Which segments carry data. Default: payload length > 0.'),
    synConsumesSeq: z.boolean().optional().describe('SYN/FIN occupy one sequence number (TCP). Default true for bytes.'),
    windowScale: z.boolean().optional().describe('Window is scaled by the TCP window-scale option (plain TCP only).'),
  }).strict().default({ seqUnit: 'bytes', ackMeaning: 'next-expected' }),
  checksum: z.object({
    algorithm: z.enum(['none', 'internet16', 'tcp-pseudo', 'udp-pseudo', 'crc32']),
    field: z.string().optional(),
    coverage: z.enum(['header+payload', 'header', 'payload']).default('header+payload'),
    zeroMeansNone: z.boolean().optional().describe('A zero checksum means "not computed" (UDP style).'),
  }).strict().default({ algorithm: 'none', coverage: 'header+payload' }),
  binding: z.object({
    transport: z.enum(['udp', 'tcp', 'ip']).describe('"ip": the header IS the IP payload (plain TCP).'),
    ports: z.array(z.number().int().min(0).max(65535)).default([]),
    framing: z.enum(['datagram', 'fixed-records']).default('datagram')
      .describe('"fixed-records": records of the header size cut from the reassembled TCP stream.'),
  }).strict(),
  params: z.record(z.string(), z.object({
    default: z.number(),
    description: z.string().optional(),
    learn: z.object({
      when: matcher.describe('The segment that announces the value.'),
      from: roleRef.describe('Where the value is read.'),
    }).strict().optional(),
  }).strict()).default({}),
  variants: z.array(z.object({
    when: z.object({ kind: z.union([z.string(), z.array(z.string())]) }).strict(),
    params: z.record(z.string(), z.number()),
  }).strict()).default([]).describe('Messages always encoded with other parameters (GET_MAX with N=4).'),
  policy: z.object({
    model: z.enum(['stop-and-wait', 'go-back-n', 'selective-repeat', 'tcp-like', 'package-threshold']).optional(),
    window: z.number().int().positive().optional(),
    timeout: z.number().positive().optional().describe('Seconds.'),
    maxRetries: z.number().int().min(0).optional(),
    dupAckThreshold: z.number().int().positive().optional(),
  }).strict().default({}),
}).strict();

/** A dissector file as written (before `extends` is resolved and the layout compiled). */
export type DissectorSpec = z.input<typeof dissectorSpec>;
/** A dissector after validation and defaults. */
export type DissectorDef = z.output<typeof dissectorSpec>;

/** The JSON Schema users' editors use to autocomplete dissector files. */
export function dissectorJsonSchema(): unknown {
  return z.toJSONSchema(dissectorSpec, { io: 'input', unrepresentable: 'any' });
}
