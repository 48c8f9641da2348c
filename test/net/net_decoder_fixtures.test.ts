import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetDecoder } from '../../src/net/net_decoder.js';
import { endpointString } from '../../src/net/ip_address.js';
import { FIXTURES, forEachFrame } from './capture_fixture.js';
import { checkAgainstTshark } from './tshark_oracle.js';

const fixture = (name: string): string => path.join(FIXTURES, name);

describe('NetDecoder against tshark on the shared fixtures', () => {
  it('synthetic_edge.pcap: VLAN, QinQ, IPv4 options, fragments, hop-by-hop, IP-in-IP, truncation', () => {
    const { packets, skipped } = checkAgainstTshark(fixture('synthetic_edge.pcap'));
    expect(packets).toBe(8);
    expect([...skipped]).toEqual([[4, 'fragment']]);
  });

  it('synthetic_edge.pcap: reassembled datagram lists its fragments; truncated frame is marked', () => {
    const dec = new NetDecoder();
    const seen: ({ frags: number[] | null; truncated: boolean; src: string; dst: string } | null)[] = [];
    forEachFrame(fixture('synthetic_edge.pcap'), (f) => {
      const p = dec.decode(f);
      seen.push(p && { frags: p.fragmentFrames && [...p.fragmentFrames], truncated: p.truncated, src: endpointString(p, 'src'), dst: endpointString(p, 'dst') });
    });
    expect(seen[4]).toEqual({ frags: [4, 5], truncated: false, src: '10.1.0.1:40001', dst: '10.1.0.2:40002' });
    expect(seen[5]?.src).toBe('[fd00::1]:40001');
    expect(seen[6]?.src).toBe('10.2.0.1:40001'); // innermost header of the tunnel
    expect(seen[8]?.truncated).toBe(true);
    expect(seen[0]?.truncated).toBe(false);
  });

  it('synthetic_null_le.pcap: NULL link type, AF 2 and 30', () => {
    expect(checkAgainstTshark(fixture('synthetic_null_le.pcap')).packets).toBe(2);
  });

  it('tcp_veth_eth.pcapng: kernel TCP over IPv4 and IPv6 with SACK', () => {
    const { packets, skipped } = checkAgainstTshark(fixture('tcp_veth_eth.pcapng'));
    expect(packets + skipped.size).toBe(983);
    expect(packets).toBeGreaterThan(900);
  });

  it('udp_custom_lo.pcapng: UDP on loopback (offloaded checksums read as bad, as tshark says)', () => {
    const { packets } = checkAgainstTshark(fixture('udp_custom_lo.pcapng'));
    expect(packets).toBe(402);
  });
});
