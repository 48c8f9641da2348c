/**
 * A frame decoded down to its transport header: where the IP addresses, ports, TCP header and
 * payload sit in a buffer. Produced by NetDecoder (src/net/net_decoder.ts), reused between
 * frames like Frame is: valid only until the next decode call.
 */
export interface TcpHeaderView {
  /** Raw 32-bit sequence and acknowledgement numbers (unsigned). */
  seq: number;
  ack: number;
  /** The 9 flag bits (NS..FIN): FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80 NS 0x100. */
  flags: number;
  /** Raw window field (not scaled: scaling needs the SYN, which is the analyzer's business). */
  window: number;
  /** TCP header length in bytes (data offset * 4). */
  headerLength: number;
  checksum: number;
  urgent: number;
  /** MSS option value, or -1. */
  mss: number;
  /** Window scale shift count from the option, or -1. */
  windowScale: number;
  sackPermitted: boolean;
  /** SACK blocks as [left0, right0, left1, right1, ...] raw 32-bit edges, or null. */
  sack: number[] | null;
  /** Timestamp option values, or -1 when absent. */
  tsVal: number;
  tsEcr: number;
}

export interface NetPacket {
  ipVersion: 4 | 6;
  /** Buffer holding the IP datagram: the frame's own buffer, or a reassembled copy. */
  buf: Buffer;
  /** Offset of the (innermost) IP header in buf. */
  ipOffset: number;
  /** Offsets of the source/destination address bytes in buf (4 bytes for IPv4, 16 for IPv6). */
  srcOffset: number;
  dstOffset: number;
  /** IP protocol number of the transport (6 TCP, 17 UDP, ...). */
  protocol: number;
  /** Transport ports (0 when the protocol has none). */
  srcPort: number;
  dstPort: number;
  /** Offset of the transport header in buf. */
  l4Offset: number;
  /** Transport payload: offset in buf and length in bytes (capped at what was captured). */
  payloadOffset: number;
  payloadLength: number;
  /**
   * Payload length the IP/UDP headers announce, even when the capture cut it (payloadLength is
   * what was captured). Sequence analysis needs this one: a snaplen does not shorten a segment.
   */
  payloadWireLength: number;
  /** True when the frame was cut (snaplen) before the end of the payload the headers announce. */
  truncated: boolean;
  /** 'ok' | 'bad' | 'none' (UDP checksum 0, or not computable because truncated) */
  l4Checksum: 'ok' | 'bad' | 'none';
  /** The TCP header when protocol === 6, else null. */
  tcp: TcpHeaderView | null;
  /** Frame numbers of the IP fragments this datagram was reassembled from, or null. */
  fragmentFrames: number[] | null;
}

/** Why a frame produced no NetPacket (for `decode` rows of unknown traffic). */
export type NetSkipReason =
  | 'not-ip'            // ARP, LLDP, unknown ethertype or address family
  | 'not-transport'     // ICMP and other IP protocols without ports we understand
  | 'fragment'          // an IP fragment held for reassembly (the datagram appears with its last fragment)
  | 'malformed'         // a header that contradicts itself or the captured length
  | 'unsupported-link'; // a link type we do not decode
