/**
 * The codec's own verdict on pseudo-header checksums of UDP-carried records, frame by frame:
 * its decode with the IP pseudo-header sum of each datagram, computed here apart from the
 * decode pipeline, which `acktrace decode` and the plugin are both held to.
 */
import { openCapture } from '../../src/capture/open_capture.js';
import { pseudoHeaderSum } from '../../src/codec/checksum.js';
import type { Dissector } from '../../src/codec/dissector.js';
import type { ChecksumStatus } from '../../src/codec/segment.js';
import { NetDecoder } from '../../src/net/net_decoder.js';
import { pseudoHeaderProtocol } from '../../src/lua/lua_pseudo_header.js';

export interface PseudoVerdict { ipVersion: 4 | 6; checksum: ChecksumStatus }

/** Frame number → the codec's checksum status with the pseudo-header, for UDP frames on `ports`. */
export function pseudoHeaderVerdicts(capture: string, d: Dissector, ports: number[]): Map<number, PseudoVerdict> {
  const protocol = pseudoHeaderProtocol(d);
  if (protocol === null) throw new Error(`${d.name}: no pseudo-header checksum`);
  const net = new NetDecoder();
  const out = new Map<number, PseudoVerdict>();
  openCapture(capture).forEach((f) => {
    const p = net.decode(f);
    if (!p || p.protocol !== 17 || !(ports.includes(p.srcPort) || ports.includes(p.dstPort))) return;
    // A datagram cut by the snaplen has no checksum to verify (as plainTcp does for TCP).
    const pseudoSum = p.truncated ? undefined : pseudoHeaderSum(p.buf, p.srcOffset, p.dstOffset, p.ipVersion === 4 ? 4 : 16, protocol, p.payloadLength);
    const seg = d.decode(p.buf, p.payloadOffset, p.payloadLength, { pseudoSum });
    out.set(f.index, { ipVersion: p.ipVersion === 4 ? 4 : 6, checksum: seg.checksum });
  });
  return out;
}
