/**
 * The old pcap variants whose record headers are longer than libpcap's 16 bytes, and the guess
 * that tells them apart. Linux libpcap patches of 1999 (Alexey Kuznetsov's) and Nokia's IPSO
 * wrote such files; tshark still reads them, so a TA handed one should not be turned away.
 *
 * Two of them announce themselves with the "modified" magic 0xa1b2cd34, but with two different
 * record layouts; two more (and plain pcap) share the standard magic. As in Wireshark's
 * wiretap/libpcap.c, the layout is chosen by reading the first few records under each
 * candidate and keeping the one whose headers make the most sense (with a stronger leaning
 * to plain pcap than Wireshark's: see guessPcapVariant).
 */

/** Which record layout a classic pcap file uses. */
export type PcapVariant =
  | 'pcap'       // standard libpcap (µs or ns): 16-byte record header
  | 'ss990417'   // RedHat 6.1 (`editcap -F rh6_1pcap`): standard magic, + ifindex u32, protocol u16, pkt_type u8, pad u8
  | 'ss991029'   // "modified" pcap (`modpcap`): magic a1b2cd34, the same 24-byte header as ss990417
  | 'ss990915'   // SuSE 6.3 (`suse6_3pcap`): magic a1b2cd34, + ifindex, protocol, pkt_type, cpu1, cpu2, 3 pad
  | 'nokia';     // Nokia IPSO (`nokiapcap`): standard magic, + 4 bytes of unknown meaning

/** Record header length of each variant. */
export const PCAP_RECORD_HEADER_LEN: Readonly<Record<PcapVariant, number>> = {
  pcap: 16, ss990417: 24, ss991029: 24, ss990915: 28, nokia: 20,
};

/** Candidates in the order Wireshark tries them; on a tie the earlier one wins. */
export const STANDARD_MAGIC_VARIANTS: readonly PcapVariant[] = ['pcap', 'ss990417', 'nokia'];
export const MODIFIED_MAGIC_VARIANTS: readonly PcapVariant[] = ['ss991029', 'ss990915'];

/** How many records the guess reads (Wireshark reads three). */
export const VARIANT_PROBE_RECORDS = 3;

/** Reads `len` bytes at file offset `offset`; may return fewer at the end of the file. */
export type ReadAt = (offset: number, len: number) => Buffer;

/** What the guess needs from the file header. */
export interface VariantProbe {
  littleEndian: boolean;
  /** The header's snaplen: a record above it counts against a layout. */
  snaplen: number;
  /** Largest caplen any link type allows (a record above it ends the try). */
  maxCapLen: number;
  /** File size in bytes. */
  size: number;
  /** Offset of the first record (24: right after the file header). */
  firstRecord: number;
}

/**
 * Picks the record layout of a classic pcap file from its first records: as Wireshark does, the
 * first candidate with no complaint, else the one with the fewest (ties to the earlier).
 *
 * One difference: a candidate other than the first (plain pcap for the standard magic) counts
 * only if it reads at least two whole records. Otherwise a plain pcap cut short after its first
 * record (a damaged modern file, far more common than a RedHat 6.1 one) reads as one RedHat
 * record of garbage, as it does in tshark; we read it as pcap and warn of the cut. The price: a
 * one-record RedHat, Nokia or SuSE file reads in the first candidate's layout.
 *
 * @example
 * const v = guessPcapVariant(STANDARD_MAGIC_VARIANTS, probe, readAt); // 'pcap' for any normal file
 */
export function guessPcapVariant(candidates: readonly PcapVariant[], probe: VariantProbe, readAt: ReadAt): PcapVariant {
  let best = candidates[0] ?? 'pcap';
  let bestScore = Infinity;
  for (const [i, v] of candidates.entries()) {
    const { complaints, records } = probeLayout(v, probe, readAt);
    if (i > 0 && records < 2) continue;
    if (complaints === 0) return v;
    if (complaints < bestScore) {
      best = v;
      bestScore = complaints;
    }
  }
  return best;
}

/**
 * Reads the first records under layout `v` and counts what looks wrong: fractions of a second
 * of a million µs or more, caplen above the link's limit or the snaplen or the original length,
 * absurd original lengths, implausible extra fields, and records cut by the file's end.
 * `records` is how many whole records were read; `complaints` 0 means the layout fits.
 *
 * @example
 * probeLayout('nokia', probe, readAt); // { complaints: 3, records: 3 } on three plain pcap records
 */
export function probeLayout(v: PcapVariant, probe: VariantProbe, readAt: ReadAt): { complaints: number; records: number } {
  const hdrLen = PCAP_RECORD_HEADER_LEN[v];
  const le = probe.littleEndian;
  let score = 0;
  let records = 0;
  let off = probe.firstRecord;
  for (let i = 0; i < VARIANT_PROBE_RECORDS; i++) {
    if (off >= probe.size) break; // a clean end: the file may just be short
    const h = readAt(off, hdrLen);
    const u32 = (o: number): number => (le ? h.readUInt32LE(o) : h.readUInt32BE(o));
    // A header cut by the end of the file: check the fields it holds, then count the cut.
    const has = (end: number): boolean => h.length >= end;
    if (has(8) && u32(4) >= 1_000_000) score++;
    let capOk = true;
    let capLen = 0;
    if (has(12)) {
      capLen = u32(8);
      if (capLen > probe.maxCapLen) { score++; capOk = false; }
      if (capLen > probe.snaplen) score++;
    }
    if (has(16)) {
      const origLen = u32(12);
      if (origLen > 128 * 1024 * 1024) score++;
      if (capLen > origLen) score++;
    }
    score += extraFieldComplaints(v, h, le);
    if (h.length < hdrLen) return { complaints: score + 1, records };
    if (!capOk) break; // the walk cannot go on past a caplen it does not believe
    off += hdrLen + capLen;
    if (off > probe.size) return { complaints: score + 1, records };
    records++;
  }
  return { complaints: score, records };
}

function extraFieldComplaints(v: PcapVariant, h: Buffer, le: boolean): number {
  let score = 0;
  if (v === 'ss990417' || v === 'ss991029' || v === 'ss990915') {
    // Files of 1999: no Linux box had 10000 interfaces.
    if (h.length >= 20 && (le ? h.readUInt32LE(16) : h.readUInt32BE(16)) > 10000) score++;
    if (h.length >= 22 && !plausibleEthProtocol(le ? h.readUInt16LE(20) : h.readUInt16BE(20))) score++;
    // Linux PACKET_* types of the time were 0 (host) to 4 (outgoing).
    if (h.length >= 23 && h[22] > 4) score++;
  } else if (v === 'nokia' && h.length >= 20) {
    // Wireshark compares this word in the reading host's order, whatever the file's; tshark
    // runs little-endian here, so we read it as such to pick what tshark picks.
    if (!plausibleNokiaWord(h.readUInt32LE(16))) score++;
  }
  return score;
}

/** An Ethertype, or one of the small Linux ETH_P_* values such captures carry. */
function plausibleEthProtocol(p: number): boolean {
  return p >= 0x0600 || p === 0x0060 || p === 0x0200 || p === 0x0400 || p <= 0x0017;
}

/** The values seen in Nokia's extra word: 0xXfbfYZ0W with X in {9,b}, Y in {b,d}, Z in {6,9}, W in {1,2}. */
function plausibleNokiaWord(w: number): boolean {
  const x = (w >>> 28) & 0xf;
  const y = (w >>> 12) & 0xf;
  const z = (w >>> 8) & 0xf;
  const lo = w & 0xf;
  return ((w & 0x0fff00f0) >>> 0) === 0x0fbf0000 && (x === 0x9 || x === 0xb) && (y === 0xb || y === 0xd)
    && (z === 0x6 || z === 0x9) && (lo === 1 || lo === 2);
}
