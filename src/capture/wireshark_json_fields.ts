/**
 * The few keys of a Wireshark JSON/EK export the reader needs, and where they may appear.
 *
 * A key is looked up only in the object it can live in (its "role": the packet, `_source`,
 * `layers`, or one protocol layer), so a nested `ip` inside an ICMP error or a `udp.srcport`
 * inside a `_tree` is never mistaken for the packet's own. Keys are compared as bytes.
 */

/** Roles of objects (and of arrays of them): what their keys mean. */
export const R_OTHER = 0;
export const R_PACKET = 1;
export const R_SOURCE = 2;
export const R_LAYERS = 3;
export const R_FRAME = 4;
export const R_IP = 5;
export const R_IPV6 = 6;
export const R_UDP = 7;
export const R_TCP = 8;
export const R_DATA = 9;

/** Captured string fields; a key lookup returning FIELD_BASE + id means "capture this value". */
export const F_NUMBER = 0;
export const F_EPOCH = 1;
export const F_LEN = 2;
export const F_ENCAP = 3;
export const F_RAW = 4;
export const F_TS_MS = 5;
export const F_SRC = 6;
export const F_DST = 7;
export const F_TTL = 8;
export const F_IPID = 9;
export const F_SPORT = 10;
export const F_DPORT = 11;
export const F_SEQ = 12;
export const F_ACK = 13;
export const F_FLAGS = 14;
export const F_WINDOW = 15;
export const F_URGENT = 16;
export const F_OPTIONS = 17;
export const F_L4_PAYLOAD = 18;
export const F_DATA = 19;
export const F_CAPLEN = 20;
export const FIELD_COUNT = 21;
export const FIELD_BASE = 32;

/** Bits above the low byte of a lookup result: the family/transport a flat (-e) field implies. */
export const TAG_SHIFT = 8;
export const TAG_IPV4 = 1;
export const TAG_IPV6 = 2;
export const TAG_UDP = 3;
export const TAG_TCP = 4;

interface Candidate {
  bytes: Uint8Array;
  result: number;
}

/** Keys of one role, bucketed by byte length so most keys are rejected without a compare. */
export type KeyTable = (Candidate[] | undefined)[];

/** Dissected fields by layer, with Wireshark's -T json names. -T ek derives its names from these. */
const LAYER_FIELDS: [layer: string, role: number, tag: number, fields: [string, number][]][] = [
  ['frame', R_FRAME, 0, [['frame.number', F_NUMBER], ['frame.time_epoch', F_EPOCH], ['frame.len', F_LEN], ['frame.encap_type', F_ENCAP], ['frame.cap_len', F_CAPLEN]]],
  ['ip', R_IP, TAG_IPV4, [['ip.src', F_SRC], ['ip.dst', F_DST], ['ip.ttl', F_TTL], ['ip.id', F_IPID]]],
  ['ipv6', R_IPV6, TAG_IPV6, [['ipv6.src', F_SRC], ['ipv6.dst', F_DST], ['ipv6.hlim', F_TTL]]],
  ['udp', R_UDP, TAG_UDP, [['udp.srcport', F_SPORT], ['udp.dstport', F_DPORT], ['udp.payload', F_L4_PAYLOAD]]],
  ['tcp', R_TCP, TAG_TCP, [
    ['tcp.srcport', F_SPORT], ['tcp.dstport', F_DPORT], ['tcp.seq_raw', F_SEQ], ['tcp.ack_raw', F_ACK],
    ['tcp.flags', F_FLAGS], ['tcp.window_size_value', F_WINDOW], ['tcp.urgent_pointer', F_URGENT],
    ['tcp.options', F_OPTIONS], ['tcp.payload', F_L4_PAYLOAD],
  ]],
  ['data', R_DATA, 0, [['data.data', F_DATA]]],
];

/** Key tables indexed by role, for one export flavour. */
export type KeyTables = KeyTable[];

/**
 * Builds the key tables for -T json (`"ip.src"` inside `"ip"`) or -T ek (`"ip_ip_src"` inside
 * `"ip"`). Both also accept the flat `-e field` form (`"layers": {"ip.src": [...]}` in json,
 * `"ip_src"` in ek).
 *
 * @example const tables = buildKeyTables('ek'); // tables[R_UDP] knows "udp_udp_payload"
 */
export function buildKeyTables(kind: 'json' | 'ek'): KeyTables {
  const tables: KeyTables = [];
  for (let r = 0; r <= R_DATA; r++) tables.push([]);
  add(tables[R_PACKET], '_source', R_SOURCE);
  add(tables[R_PACKET], 'layers', R_LAYERS);
  add(tables[R_PACKET], 'timestamp', FIELD_BASE + F_TS_MS);
  add(tables[R_SOURCE], 'layers', R_LAYERS);
  add(tables[R_LAYERS], 'frame_raw', FIELD_BASE + F_RAW);
  for (const [layer, role, tag, fields] of LAYER_FIELDS) {
    add(tables[R_LAYERS], layer, role);
    for (const [name, id] of fields) {
      const underscored = name.replace(/\./g, '_');
      add(tables[role], kind === 'json' ? name : `${layer}_${underscored}`, FIELD_BASE + id);
      add(tables[R_LAYERS], kind === 'json' ? name : underscored, FIELD_BASE + id + (tag << TAG_SHIFT));
    }
  }
  return tables;
}

function add(table: KeyTable, key: string, result: number): void {
  const bytes = Buffer.from(key, 'latin1');
  (table[bytes.length] ??= []).push({ bytes, result });
}

/**
 * Looks the key at `buf[start, end)` up in `table`: its result, or R_OTHER when unknown.
 *
 * @example lookupKey(tables[R_IP], buf, s, e) // FIELD_BASE + F_SRC for "ip.src"
 */
export function lookupKey(table: KeyTable, buf: Uint8Array, start: number, end: number): number {
  const bucket = table[end - start];
  if (bucket === undefined) return R_OTHER;
  for (let c = 0; c < bucket.length; c++) {
    const k = bucket[c].bytes;
    // Compare from the end: keys of one layer share their prefix ("tcp.").
    let i = k.length - 1;
    while (i >= 0 && k[i] === buf[start + i]) i--;
    if (i < 0) return bucket[c].result;
  }
  return R_OTHER;
}
