/**
 * The scenario file: how a recorded run was made (dissector, parameters, injected impairments,
 * what was sent) and what a correct run must show. Defined once with zod; the TypeScript types
 * and the published JSON Schema (schema/scenario.schema.json) come from it.
 */
import { z } from 'zod';

export const POLICY_NAMES = ['stop-and-wait', 'go-back-n', 'selective-repeat', 'tcp-like', 'package-threshold'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

const seqList = z.array(z.number().int().min(0));

/** Which segments were dropped: by (relative) sequence number, or by send index. */
const dropList = z.object({
  seq: seqList.optional().describe(
    'Relative sequence numbers as `acktrace analyze` shows them (packets: the packet number, e.g. pos 4; bytes: the first byte, e.g. 1501). '
    + 'For ACKs: the data sequence number the lost ACK acknowledged. The first transmission carrying it was dropped.'),
  sendIndex: seqList.optional().describe('1-based transmission counts of that side (data segments, or ACKs): "the 4th data segment sent".'),
}).strict();

const tolerance = z.object({
  absolute: z.number().min(0).default(0.05).describe('Seconds of slack on every time check (capture point, scheduling).'),
  relative: z.number().min(0).default(0.1).describe('Fraction of the interval checked, added to the absolute slack (packetdrill style).'),
}).strict();

export const scenarioSpec = z.object({
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  dissector: z.string().describe('Dissector name (sock352, csee4119-tcp, ariel-package, tcp) or a path to a dissector file, relative to this file.'),
  ports: z.array(z.number().int().min(0).max(65535)).optional().describe('Bind the dissector to these ports (like --port); default: its own ports, or all traffic of its transport.'),
  policy: z.enum(POLICY_NAMES).optional().describe("Sender policy to hold the run to. Default: the dissector's policy.model."),
  params: z.object({
    window: z.number().int().positive().optional().describe('Sender window in segments (or bytes, see windowUnit).'),
    windowUnit: z.enum(['segments', 'bytes']).default('segments'),
    timeout: z.number().positive().optional().describe('Retransmission timeout in seconds (TCP-like: the minimum RTO).'),
    mss: z.number().int().positive().optional().describe('Payload bytes per segment (converts a segment window to bytes for byte protocols).'),
    N: z.number().int().positive().optional().describe('Package protocol: maximum message size (also learned from RETURN_MAX).'),
    maxRetries: z.number().int().min(0).optional().describe('Most retransmissions of any one segment (handshake and teardown included).'),
    dupAckThreshold: z.number().int().positive().optional().describe('Duplicate ACKs that allow a fast retransmission (TCP-like; default 3).'),
    rtoBackoff: z.boolean().default(true).describe('TCP-like: each further timeout of the same segment waits twice as long.'),
  }).strict().default({ windowUnit: 'segments', rtoBackoff: true }),
  impairments: z.object({
    data: dropList.optional().describe('Data segments (sender → receiver) that were dropped.'),
    acks: dropList.optional().describe('ACKs (receiver → sender) that were dropped.'),
    random: z.object({
      dataLoss: z.number().min(0).max(1).default(0),
      ackLoss: z.number().min(0).max(1).default(0),
      seed: z.number().int(),
    }).strict().optional().describe('Seeded random loss. Which segments it dropped is read from each capture\'s "<capture>.drops.json" sidecar.'),
    sidecar: z.boolean().default(false).describe('Also read drops from "<capture base name>.drops.json" next to each capture (written by the recorder).'),
    capturedAt: z.enum(['after-impairment', 'before-impairment']).default('after-impairment')
      .describe('"after-impairment": dropped segments are absent from the capture (seed 004, newudpl downstream); "before-impairment": they appear (and pcapng comments starting with "dropped" mark them).'),
  }).strict().default({ sidecar: false, capturedAt: 'after-impairment' }),
  sent: z.union([
    z.object({ file: z.string().describe('Path of the file that was sent, relative to this scenario file.') }).strict(),
    z.object({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/), length: z.number().int().min(0) }).strict(),
    z.object({ message: z.string().describe('The message text (UTF-8).') }).strict(),
  ]).optional().describe('What the sender sent, to check delivery byte for byte.'),
  expect: z.object({
    handshake: z.boolean().default(true).describe('The run opens with a handshake.'),
    teardown: z.boolean().default(true).describe('The run closes with a teardown.'),
    spuriousRetransmissions: z.number().int().min(0).default(0).describe('Retransmissions allowed beyond those the policy requires or permits.'),
    retransmissions: z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict().optional()
      .describe('Bounds on the total count of retransmitted data segments.'),
    tolerance: tolerance.default({ absolute: 0.05, relative: 0.1 }),
  }).strict().default({ handshake: true, teardown: true, spuriousRetransmissions: 0, tolerance: { absolute: 0.05, relative: 0.1 } }),
}).strict();

/** A scenario file as written. */
export type ScenarioSpec = z.input<typeof scenarioSpec>;
/** A scenario after validation and defaults. */
export type ScenarioDef = z.output<typeof scenarioSpec>;

/**
 * The JSON Schema users' editors use to autocomplete scenario files.
 *
 * @example writeFileSync('schema/scenario.schema.json', JSON.stringify(scenarioJsonSchema(), null, 2) + '\n')
 */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSpec, { io: 'input', unrepresentable: 'any' });
}
