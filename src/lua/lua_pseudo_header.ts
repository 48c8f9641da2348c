/**
 * The IP pseudo-header in a generated plugin, for dissectors whose checksum is `tcp-pseudo` or
 * `udp-pseudo` (checksum.ts pseudoHeaderSum). A Lua dissector sees only its own bytes, so the
 * addresses come from field extractors of the IP layers Wireshark dissected before it.
 */
import type { Dissector } from '../codec/dissector.js';

/**
 * IP protocol number the pseudo-header of `d`'s checksum carries, or null when its checksum
 * has no pseudo-header. `tcp-pseudo` sums as RFC 793 does (6) even over UDP: that is what a
 * student who copies TCP's checksum into a UDP-carried header computes.
 *
 * @example pseudoHeaderProtocol(registry.get('tcp')) // 6
 */
export function pseudoHeaderProtocol(d: Dissector): 6 | 17 | null {
  const a = d.def.checksum.algorithm;
  return a === 'tcp-pseudo' ? 6 : a === 'udp-pseudo' ? 17 : null;
}

/**
 * Lua source defining `pseudo_header_sum(pinfo, protocol, length)`: the folded ones'-complement
 * sum of the packet's IPv4 or IPv6 pseudo-header, or nil when the packet's network addresses are
 * neither. Uses `internet_sum_bytes` from the runtime; must be loaded at script level (Field.new
 * is refused once dissection has started).
 *
 * @example luaPseudoHeader().includes('Field.new("ipv6.src")') // true
 */
export function luaPseudoHeader(): string {
  return PSEUDO_HEADER;
}

const PSEUDO_HEADER = String.raw`
-- IP addresses for the pseudo-header. Every ip.src/ipv6.src of the frame is returned (tunnels,
-- ICMP errors quoting a datagram); the one that matches pinfo.net_src is the layer this record
-- rides in, so an outer header of another family or address is never summed by mistake.
local f_ip_src, f_ip_dst = Field.new("ip.src"), Field.new("ip.dst")
local f_ipv6_src, f_ipv6_dst = Field.new("ipv6.src"), Field.new("ipv6.dst")

local function address_bytes(extractor, want)
  local all = { extractor() }
  for k = #all, 1, -1 do
    local fi = all[k]
    if tostring(fi.value) == want then return fi.range:bytes() end
  end
  return nil
end

-- checksum.ts pseudoHeaderSum: addresses, then protocol and length (IPv6: 32-bit length).
local function pseudo_header_sum(pinfo, protocol, length)
  local want_src, want_dst = tostring(pinfo.net_src), tostring(pinfo.net_dst)
  local s, d = address_bytes(f_ip_src, want_src), address_bytes(f_ip_dst, want_dst)
  if s == nil or d == nil or s:len() ~= 4 or d:len() ~= 4 then
    s, d = address_bytes(f_ipv6_src, want_src), address_bytes(f_ipv6_dst, want_dst)
    if s == nil or d == nil or s:len() ~= 16 or d:len() ~= 16 then return nil end
  end
  local sum = internet_sum_bytes(s, 0) + internet_sum_bytes(d, 0)
  if s:len() == 4 then sum = sum + protocol + length
  else sum = sum + math.floor(length / 65536) + length % 65536 + protocol end
  while sum > 0xffff do sum = sum % 65536 + math.floor(sum / 65536) end
  return sum
end
`;
