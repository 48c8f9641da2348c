import type { IpLayer } from './ip_layer.js';

/** Limits that keep a capture full of unmatched fragments from eating memory. */
export interface FragmentLimits {
  /** Datagrams held at once; the oldest is dropped to make room. */
  maxDatagrams: number;
  /** Bytes held for one datagram; beyond it the datagram is dropped. */
  maxDatagramBytes: number;
  /** A datagram with no new fragment for this many frames is dropped. */
  maxAgeFrames: number;
}

/**
 * 64 datagrams of up to 256 KiB (16 MiB worst case), forgotten after 10 000 frames without news:
 * far more than real reassembly needs, far less than a hostile capture could ask for.
 *
 * @example new IpFragmentReassembler({ ...DEFAULT_FRAGMENT_LIMITS, maxDatagrams: 8 })
 */
export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  maxDatagrams: 64,
  maxDatagramBytes: 256 * 1024,
  maxAgeFrames: 10_000,
};

interface Piece {
  offset: number;
  data: Buffer;
  frame: number;
}

interface Pending {
  /** Copy of the headers before the fragment data, from the offset-0 fragment (null until seen). */
  header: Buffer | null;
  /** IPv6: where in `header` the byte naming the Fragment header sits. */
  nextHeaderField: number;
  /** Upper-layer protocol of the reassembled payload. */
  protocol: number;
  /** Payload length, known once the last fragment (more-fragments clear) arrived; -1 before. */
  totalLength: number;
  pieces: Piece[];
  bytes: number;
  lastFrame: number;
}

/**
 * Reassembles IPv4 and IPv6 fragments into whole datagrams. Fragments are copied (frames are
 * reused buffers); the datagram is returned at the frame carrying its last missing fragment,
 * as a fresh buffer that starts with an IP header describing an unfragmented datagram, so it
 * can be parsed again like any other packet. Overlapping fragments: the one with the lower
 * offset wins (ties: the earlier arrival).
 */
export class IpFragmentReassembler {
  private readonly limits: FragmentLimits;
  private readonly pending = new Map<string, Pending>();
  /** Frame numbers of the fragments of the datagram `add` returned last, in offset order. */
  lastFragmentFrames: number[] = [];

  constructor(limits: Partial<FragmentLimits> = {}) {
    this.limits = { ...DEFAULT_FRAGMENT_LIMITS, ...limits };
  }

  /** Datagrams currently waiting for fragments. */
  get heldDatagrams(): number {
    return this.pending.size;
  }

  /**
   * Adds the fragment described by `layer` (parsed from `buf`, arriving in frame `frame`).
   * Returns the reassembled datagram when this fragment completed it, else null.
   *
   * @example
   * const whole = reassembler.add(layer, frame.data, frame.index);
   * if (whole) parseIpv4(whole, 0, whole.length, layer); // fragment flags now clear
   */
  add(layer: IpLayer, buf: Buffer, frame: number): Buffer | null {
    this.expire(frame);
    // A fragment cut by the snaplen can never complete its datagram.
    if (layer.truncated) return null;
    const key = fragmentKey(layer, buf);
    let p = this.pending.get(key);
    if (!p) {
      while (this.pending.size >= this.limits.maxDatagrams) {
        const oldest = this.pending.keys().next().value as string;
        this.pending.delete(oldest);
      }
      p = { header: null, nextHeaderField: -1, protocol: layer.protocol, totalLength: -1, pieces: [], bytes: 0, lastFrame: frame };
      this.pending.set(key, p);
    }
    p.lastFrame = frame;
    const dataLen = layer.capturedEnd - layer.l4Offset;
    // The length field of the rebuilt header must hold the whole datagram (RFC 791: 65535 max;
    // IPv6 payload length: 65535 after the fixed header). A fragment beyond that is an attack.
    const headerLen = (layer.version === 4 ? layer.l4Offset : layer.fragHeaderOffset) - layer.offset;
    if (headerLen + layer.fragOffset + dataLen > 0xffff + (layer.version === 6 ? 40 : 0)) {
      this.pending.delete(key);
      return null;
    }
    if (layer.fragOffset === 0 && p.header === null) {
      const headerEnd = layer.version === 4 ? layer.l4Offset : layer.fragHeaderOffset;
      p.header = Buffer.from(buf.subarray(layer.offset, headerEnd));
      p.nextHeaderField = layer.fragNextHeaderField - layer.offset;
      p.protocol = layer.protocol;
    }
    if (!layer.moreFragments) p.totalLength = layer.fragOffset + dataLen;
    p.pieces.push({ offset: layer.fragOffset, data: Buffer.from(buf.subarray(layer.l4Offset, layer.capturedEnd)), frame });
    p.bytes += dataLen;
    if (p.bytes > this.limits.maxDatagramBytes) {
      this.pending.delete(key);
      return null;
    }
    const whole = assemble(p, layer.version);
    if (whole) {
      this.pending.delete(key);
      const frames: number[] = [];
      for (const piece of p.pieces) if (!frames.includes(piece.frame)) frames.push(piece.frame);
      this.lastFragmentFrames = frames;
    }
    return whole;
  }

  /** Drops every held fragment (e.g. between files). */
  clear(): void {
    this.pending.clear();
  }

  private expire(frame: number): void {
    // Map order is insertion order, close enough to age order to stop at the first young entry.
    for (const [key, p] of this.pending) {
      if (frame - p.lastFrame <= this.limits.maxAgeFrames) break;
      this.pending.delete(key);
    }
  }
}

/** RFC 791 / 8200 identify a datagram by addresses, identification (and protocol for IPv4). */
function fragmentKey(layer: IpLayer, buf: Buffer): string {
  const alen = layer.version === 4 ? 4 : 16;
  return `${layer.version}/${buf.toString('hex', layer.srcOffset, layer.srcOffset + alen)}/`
    + `${buf.toString('hex', layer.dstOffset, layer.dstOffset + alen)}/${layer.fragId}/${layer.version === 4 ? layer.protocol : ''}`;
}

/** Builds the datagram when the header, the end and every byte in between have arrived. */
function assemble(p: Pending, version: 4 | 6): Buffer | null {
  if (p.header === null || p.totalLength < 0) return null;
  p.pieces.sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const piece of p.pieces) {
    if (piece.offset > covered) return null;
    covered = Math.max(covered, piece.offset + piece.data.length);
  }
  if (covered < p.totalLength) return null;
  const hlen = p.header.length;
  const out = Buffer.alloc(hlen + p.totalLength);
  p.header.copy(out, 0);
  // Fill only what is still empty, so each byte comes from exactly one fragment.
  let filled = 0;
  for (const piece of p.pieces) {
    const end = Math.min(piece.offset + piece.data.length, p.totalLength);
    if (end <= filled) continue;
    const from = Math.max(piece.offset, filled);
    piece.data.copy(out, hlen + from, from - piece.offset, end - piece.offset);
    filled = end;
  }
  if (version === 4) {
    out.writeUInt16BE(hlen + p.totalLength, 2);
    out.writeUInt16BE(0, 6); // clear MF and offset: the result is one whole datagram
  } else {
    out.writeUInt16BE(hlen - 40 + p.totalLength, 4);
    out[p.nextHeaderField] = p.protocol; // unlink the Fragment header
  }
  return out;
}
