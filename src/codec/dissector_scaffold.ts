/**
 * A starting dissector file from a Python struct format and field names, with roles guessed
 * from the usual names (seq, ack_no, window, payload_len, flags, checksum). The result is
 * validated by compiling it, so what the scaffolder prints always loads.
 */
import { InputError } from '../input_error.js';
import { resolve } from 'node:path';
import { compileDissector, shippedDissectorDir } from './dissector_registry.js';
import type { DissectorSpec } from './dissector_schema.js';

const GUESSES: Array<[string, RegExp]> = [
  ['seq', /^(seq|seqno|seq_no|seq_num|sequence|sequence_no|sequence_number|seqnum)$/i],
  ['ack', /^(ack|ackno|ack_no|ack_num|acknowledgement|acknowledgment|ack_number|acknum)$/i],
  ['window', /^(window|win|rwnd|wnd|window_size|recv_window)$/i],
  ['payloadLength', /^(payload_len|payload_length|data_len|datalen|length|len|plen)$/i],
  ['flags', /^(flags|flag|control)$/i],
  ['checksum', /^(checksum|csum|cksum|chksum|crc|crc32)$/i],
  ['kind', /^(type|msg_type|kind|message_type|opcode|header)$/i],
];

export interface ScaffoldInput {
  name: string;
  struct: string;
  fields: string[];
  transport: 'udp' | 'tcp';
  ports: number[];
}

/**
 * @example scaffoldDissector({ name: 'mine', struct: '!HHII', fields: ['sport', 'dport', 'seq', 'ack'], transport: 'udp', ports: [] })
 */
export function scaffoldDissector(i: ScaffoldInput): DissectorSpec {
  const roles: Record<string, string> = {};
  for (const f of i.fields) {
    for (const [role, re] of GUESSES) if (!roles[role] && re.test(f)) roles[role] = f;
  }
  const spec: DissectorSpec = {
    // A local path: editors validate and autocomplete without any network access.
    $schema: resolve(shippedDissectorDir(), '../schema/dissector.schema.json'),
    name: i.name,
    title: `${i.name} (scaffolded from '${i.struct}')`,
    struct: i.struct,
    fields: i.fields,
    roles,
    semantics: { seqUnit: 'bytes', ackMeaning: 'next-expected' },
    checksum: { algorithm: 'none', coverage: 'header+payload' },
    binding: { transport: i.transport, ports: i.ports, framing: i.transport === 'tcp' ? 'fixed-records' : 'datagram' },
  };
  if (roles.checksum) spec.checksum = { algorithm: 'none', field: roles.checksum, coverage: 'header+payload' };
  try {
    compileDissector(spec, `${i.name} (from --struct/--fields)`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('--struct', (e as Error).message);
  }
  return spec;
}
