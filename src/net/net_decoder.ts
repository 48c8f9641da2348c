import type { Frame } from '../capture/frame.js';
import type { NetPacket, NetSkipReason, TcpHeaderView } from './net_packet.js';
import { createIpLayer, type IpLayer } from './ip_layer.js';
import { IpFragmentReassembler, type FragmentLimits } from './ip_fragments.js';
import { parseIpv4 } from './ipv4.js';
import { parseIpv6 } from './ipv6.js';
import { locateNetworkLayer, type LinkLocation } from './link_layer.js';
import { transportChecksumOk } from './l4_checksum.js';
import { createTcpHeaderView, parseTcpHeader } from './tcp_header.js';

export interface NetDecoderOptions {
  /** Verify TCP/UDP checksums (one pass over the payload). Default true; false reports 'none'. */
  verifyChecksums?: boolean;
  /** Bounds on held IP fragments. */
  fragments?: Partial<FragmentLimits>;
}

/** Tunnels nest (IP-in-IP, 6in4, fragments of either); beyond this depth a packet is hostile. */
const MAX_IP_DEPTH = 8;

// 16-bit words are read as two bytes (no per-call validation, as in ipv4.ts); lengths are checked first.
const PROTO_IPIP = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6 = 41;

/**
 * Decodes frames down to UDP/TCP: link layer, IPv4/IPv6 (options, extension headers, tunnels,
 * fragment reassembly), ports, TCP header and options, payload bounds, L4 checksum.
 * Keeps state only for fragment reassembly, so use one decoder per capture, in frame order.
 */
export class NetDecoder {
  /** Why the last `decode` returned null. */
  skipReason: NetSkipReason = 'not-ip';
  private readonly verifyChecksums: boolean;
  private readonly fragments: IpFragmentReassembler;
  private readonly link: LinkLocation = { offset: 0, ipVersion: 0 };
  private readonly ip: IpLayer = createIpLayer();
  private readonly tcpView: TcpHeaderView = createTcpHeaderView();
  private readonly sackScratch: number[] = [];
  private readonly packet: NetPacket;

  constructor(options: NetDecoderOptions = {}) {
    this.verifyChecksums = options.verifyChecksums ?? true;
    this.fragments = new IpFragmentReassembler(options.fragments);
    this.packet = {
      ipVersion: 4, buf: Buffer.alloc(0), ipOffset: 0, srcOffset: 0, dstOffset: 0, protocol: 0, srcPort: 0,
      dstPort: 0, l4Offset: 0, payloadOffset: 0, payloadLength: 0, payloadWireLength: 0, truncated: false,
      l4Checksum: 'none', tcp: null, fragmentFrames: null,
    };
  }

  /**
   * Decodes one frame. Returns the decoder's single NetPacket (overwritten by the next call,
   * like the Frame itself), or null with `skipReason` set. Never throws on hostile bytes.
   *
   * @example
   * const dec = new NetDecoder();
   * reader.forEach((f) => { const p = dec.decode(f); if (p) console.log(endpointString(p, 'src'), p.payloadLength); });
   */
  decode(frame: Frame): NetPacket | null {
    const end = frame.offset + frame.capLen;
    const status = locateNetworkLayer(frame.linkType, frame.data, frame.offset, end, this.link);
    if (status !== 'ip') {
      this.skipReason = status;
      return null;
    }
    return this.decodeIp(frame.data, this.link.offset, end, this.link.ipVersion, frame.index);
  }

  /** Held fragments are per capture: call between files when reusing a decoder. */
  reset(): void {
    this.fragments.clear();
  }

  /** Walks IP headers inward (tunnels, reassembled fragments) to the one carrying UDP/TCP. */
  private decodeIp(buf: Buffer, off: number, end: number, version: 0 | 4 | 6, frameIndex: number): NetPacket | null {
    const ip = this.ip;
    let fragmentFrames: number[] | null = null;
    for (let depth = 0; depth < MAX_IP_DEPTH; depth++) {
      if (off >= end) return this.skip('malformed');
      const nibble = buf[off] >> 4;
      if (version !== 0 && nibble !== version) return this.skip('malformed');
      const ok = nibble === 4 ? parseIpv4(buf, off, end, ip) : nibble === 6 ? parseIpv6(buf, off, end, ip) : false;
      if (!ok) return this.skip('malformed');
      if (ip.isFragment) {
        const whole = this.fragments.add(ip, buf, frameIndex);
        if (whole === null) return this.skip('fragment');
        fragmentFrames = this.fragments.lastFragmentFrames;
        buf = whole;
        off = 0;
        end = whole.length;
        version = ip.version;
        continue;
      }
      const proto = ip.protocol;
      if (proto === PROTO_TCP || proto === PROTO_UDP) return this.fillTransport(buf, ip, fragmentFrames);
      if (proto === PROTO_IPIP || proto === PROTO_IPV6) {
        off = ip.l4Offset;
        end = ip.capturedEnd;
        version = proto === PROTO_IPIP ? 4 : 6;
        continue;
      }
      return this.skip('not-transport');
    }
    return this.skip('malformed');
  }

  private skip(reason: NetSkipReason): null {
    this.skipReason = reason;
    return null;
  }

  private fillTransport(buf: Buffer, ip: IpLayer, fragmentFrames: number[] | null): NetPacket | null {
    const l4 = ip.l4Offset;
    const capEnd = ip.capturedEnd;
    let l4Len = ip.datagramEnd - l4;
    let hdrLen: number;
    const pkt = this.packet;
    if (ip.protocol === PROTO_UDP) {
      if (capEnd - l4 < 8) return this.skip('malformed');
      // Trust the UDP length when it fits inside the IP payload (anything after it is not UDP's);
      // 0 or nonsense (jumbograms, offload) falls back to the IP length.
      const udpLen = (buf[l4 + 4] << 8 | buf[l4 + 5]);
      if (udpLen >= 8 && udpLen <= l4Len) l4Len = udpLen;
      hdrLen = 8;
      pkt.tcp = null;
    } else {
      if (capEnd - l4 < 20) return this.skip('malformed');
      hdrLen = (buf[l4 + 12] >> 4) * 4;
      if (hdrLen < 20 || hdrLen > l4Len || capEnd - l4 < hdrLen) return this.skip('malformed');
      parseTcpHeader(buf, l4, this.tcpView, this.sackScratch);
      pkt.tcp = this.tcpView;
    }
    if (l4Len < hdrLen) return this.skip('malformed');
    const truncated = l4 + l4Len > capEnd;
    pkt.ipVersion = ip.version;
    pkt.buf = buf;
    pkt.ipOffset = ip.offset;
    pkt.srcOffset = ip.srcOffset;
    pkt.dstOffset = ip.dstOffset;
    pkt.protocol = ip.protocol;
    pkt.srcPort = (buf[l4] << 8 | buf[l4 + 1]);
    pkt.dstPort = (buf[l4 + 2] << 8 | buf[l4 + 3]);
    pkt.l4Offset = l4;
    pkt.payloadOffset = l4 + hdrLen;
    pkt.payloadWireLength = l4Len - hdrLen;
    pkt.payloadLength = truncated ? capEnd - pkt.payloadOffset : l4Len - hdrLen;
    pkt.truncated = truncated;
    pkt.fragmentFrames = fragmentFrames;
    pkt.l4Checksum = this.checksumState(buf, ip, l4, l4Len, truncated);
    return pkt;
  }

  private checksumState(buf: Buffer, ip: IpLayer, l4: number, l4Len: number, truncated: boolean): 'ok' | 'bad' | 'none' {
    if (!this.verifyChecksums || truncated) return 'none';
    // UDP over IPv4 may omit its checksum; over IPv6 a zero checksum is invalid and fails below.
    if (ip.protocol === PROTO_UDP && ip.version === 4 && (buf[l4 + 6] << 8 | buf[l4 + 7]) === 0) return 'none';
    return transportChecksumOk(buf, ip.version, ip.srcOffset, ip.dstOffset, ip.protocol, l4, l4Len) ? 'ok' : 'bad';
  }
}
