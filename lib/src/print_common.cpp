// Shared appenders of the printer: IPv6 and MAC text, ethertype and IP protocol names,
// checksums and their verdicts, "src.port > dst.port: ".

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

// RFC 5952 text, as glibc's inet_ntop writes it (tcpdump -n uses inet_ntop), written
// straight into the buffer.
void append_ipv6(OutputBuffer& out, const std::uint8_t* a) {
  unsigned w[8];
  for (int i = 0; i < 8; ++i) w[i] = load_be16(a + 2 * i);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  // An IPv4-compatible or -mapped address ends in dotted decimal.
  if (best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
    out.append(best_len == 6 ? "::" : "::ffff:");
    append_ipv4(out, a + 12);
    return;
  }
  char* const start = out.reserve(48);
  char* p = start;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      *p++ = ':';
      if (i == 0) *p++ = ':';
      i += best_len - 1;
      continue;
    }
    p = put_group(p, w[i]);
    if (i < 7) *p++ = ':';
  }
  out.advance(static_cast<std::size_t>(p - start));
}

void append_mac(OutputBuffer& out, const std::uint8_t* m) {
  for (int i = 0; i < 6; ++i) {
    if (i) out.append(':');
    out.append_hex8(m[i]);
  }
}

std::string_view ethertype_name(std::uint16_t t) {
  switch (t) {
    case 0x0800: return "IPv4"sv;
    case 0x86dd: return "IPv6"sv;
    case 0x0806: return "ARP"sv;
    case 0x1000: return "Trail"sv;
    case 0x8035: return "Reverse ARP"sv;
    case 0x8100: return "802.1Q"sv;
    case 0x88a8: return "802.1Q-QinQ"sv;
    case 0x9100: return "802.1Q-9100"sv;
    case 0x8847: return "MPLS unicast"sv;
    case 0x8848: return "MPLS multicast"sv;
    case 0x88cc: return "LLDP"sv;
    case 0x888e: return "EAPOL"sv;
    case 0x8809: return "Slow Protocols"sv;
    case 0x8863: return "PPPoE D"sv;
    case 0x8864: return "PPPoE S"sv;
    case 0x0842: return "Wake-on-LAN"sv;
    case 0x88f7: return "PTP"sv;
    default: return {};
  }
}

// tcpdump's ethertype in an Ethernet header: "ethertype IPv4 (0x0800)", with -q "IPv4"
// ("Unknown Ethertype (0x88b5)" for a type it does not name).
void append_ethertype(OutputBuffer& out, std::uint16_t t, bool quiet) {
  const std::string_view name = ethertype_name(t);
  if (quiet) {
    if (!name.empty()) return out.append(name);
    out.append("Unknown Ethertype (0x");
    out.append_hex_padded(t, 4);
    out.append(')');
    return;
  }
  out.append("ethertype ");
  out.append(name.empty() ? "Unknown"sv : name);
  out.append(" (0x");
  out.append_hex_padded(t, 4);
  out.append(')');
}

// tcpdump's names of IP protocol numbers (its ipproto_values), "unknown" for the rest.
std::string_view ip_protocol_name(std::uint8_t p) {
  switch (p) {
    case 0: return "Options"sv;
    case 1: return "ICMP"sv;
    case 2: return "IGMP"sv;
    case 4: return "IPIP"sv;
    case 6: return "TCP"sv;
    case 8: return "EGP"sv;
    case 9: return "IGRP"sv;
    case 17: return "UDP"sv;
    case 33: return "DCCP"sv;
    case 41: return "IPv6"sv;
    case 43: return "Routing"sv;
    case 44: return "Fragment"sv;
    case 46: return "RSVP"sv;
    case 47: return "GRE"sv;
    case 50: return "ESP"sv;
    case 51: return "AH"sv;
    case 55: return "Mobile IP"sv;
    case 58: return "ICMPv6"sv;
    case 62: return "Mobile IP (old)"sv;
    case 88: return "EIGRP"sv;
    case 89: return "OSPF"sv;
    case 103: return "PIM"sv;
    case 108: return "Compressed IP"sv;
    case 112: return "VRRP"sv;
    case 113: return "PGM"sv;
    case 132: return "SCTP"sv;
    case 135: return "Mobility"sv;
    case 143: return "Ethernet"sv;
    default: return "unknown"sv;
  }
}

// The Internet checksum of `length` bytes at `data`, added to `sum` (a pseudo-header's words,
// or 0): 0 when the bytes hold a correct checksum field.
std::uint16_t internet_checksum(const std::uint8_t* data, std::uint32_t length,
                                std::uint64_t sum) {
  std::uint32_t i = 0;
  for (; i + 1 < length; i += 2) sum += load_be16(data + i);
  if (i < length) sum += static_cast<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

// The Internet checksum over the pseudo-header and `length` bytes at `data`.
std::uint16_t transport_checksum(const Summary& s, const std::uint8_t* data, std::uint32_t length,
                                 std::uint8_t protocol) {
  std::uint64_t sum = 0;
  const unsigned address_size = s.network == Network::ipv6 ? 16 : 4;
  // Behind an IPv6 routing header, the pseudo-header holds the final destination.
  const std::uint8_t* destination =
      s.network == Network::ipv6 && s.final_destination_ip != nullptr ? s.final_destination_ip
                                                                      : s.destination_ip;
  for (unsigned i = 0; i < address_size; i += 2) {
    sum += load_be16(s.source_ip + i);
    sum += load_be16(destination + i);
  }
  return internet_checksum(data, length, sum + protocol + length);
}

// What a checksum field should have held, from its value and the checksum computed over the
// data with it (tcpdump's in_cksum_shouldbe()).
std::uint16_t checksum_should_be(std::uint16_t field, std::uint16_t computed) {
  std::uint32_t v = static_cast<std::uint32_t>(field) + computed;
  v = (v & 0xffff) + (v >> 16);
  v = (v & 0xffff) + (v >> 16);
  return static_cast<std::uint16_t>(v);
}

// tcpdump -v's verdict on a UDP or ICMPv6 checksum, in front of the protocol's text:
// "[udp sum ok] " or "[bad udp cksum 0xFIELD -> 0xRIGHT!] ".
void append_checksum_verdict(OutputBuffer& out, std::string_view protocol, std::uint16_t field,
                             std::uint16_t sum) {
  out.append('[');
  if (sum == 0) {
    out.append(protocol);
    out.append(" sum ok] ");
    return;
  }
  out.append("bad ");
  out.append(protocol);
  out.append(" cksum 0x");
  out.append_hex_padded(field, 4);
  out.append(" -> 0x");
  out.append_hex_padded(checksum_should_be(field, sum), 4);
  out.append("!] ");
}

// "src > dst" and `end`.
void append_addresses(const Context& c, std::string_view end) {
  append_ip(c.out, c.s, c.s.source_ip);
  c.out.append(" > ");
  append_ip(c.out, c.s, c.s.destination_ip);
  c.out.append(end);
}

// "src.port > dst.port: " (IPv6 behind extension headers: ports only, as tcpdump).
void append_endpoints(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (with_addresses && s.network == Network::ipv4) {
    // The common case in one go: "a.b.c.d.port > e.f.g.h.port: ", at most 50 bytes.
    char* const start = out.reserve(64);
    char* p = put_ipv4(start, s.source_ip);
    *p++ = '.';
    p = put_u32(p, s.source_port);
    std::memcpy(p, " > ", 3);
    p = put_ipv4(p + 3, s.destination_ip);
    *p++ = '.';
    p = put_u32(p, s.destination_port);
    std::memcpy(p, ": ", 2);
    out.advance(static_cast<std::size_t>(p + 2 - start));
    return;
  }
  if (with_addresses) {
    append_ip(out, s, s.source_ip);
    out.append('.');
  }
  out.append_uint(s.source_port);
  out.append(" > ");
  if (with_addresses) {
    append_ip(out, s, s.destination_ip);
    out.append('.');
  }
  out.append_uint(s.destination_port);
  out.append(": ");
}

// A byte of a name as tcpdump's fn_print_char() shows it: "M-" before a byte past ASCII, then
// "^" and the byte ^ 0x40 for a control character, so that no terminal control reaches the
// output.
void append_safe_char(OutputBuffer& out, std::uint8_t c) {
  char* const start = out.reserve(4);
  out.advance(static_cast<std::size_t>(put_safe_char(start, c) - start));
}

// tcpdump's unsigned_relts_print(): "0s", or "1y2w3d4h5m6s" without the zero units.
void append_relative_time(OutputBuffer& out, std::uint32_t secs) {
  if (secs == 0) {
    out.append("0s");
    return;
  }
  static constexpr std::uint32_t kSeconds[] = {31536000, 604800, 86400, 3600, 60, 1};
  static constexpr char kUnits[] = "ywdhms";
  for (int i = 0; i < 6; ++i) {
    if (secs >= kSeconds[i]) {
      out.append_uint(secs / kSeconds[i]);
      out.append(kUnits[i]);
      secs %= kSeconds[i];
    }
  }
}

// One 802.1Q/802.1ad tag as tcpdump's -e shows it: "vlan 100, p 0, " (", DEI" when set).
void append_vlan_tag(OutputBuffer& out, const VlanTag& tag) {
  out.append("vlan ");
  out.append_uint(tag.id());
  out.append(", p ");
  out.append_uint(tag.priority());
  if (tag.tci & 0x1000) out.append(", DEI");
  out.append(", ");
}

}  // namespace slimcap::detail
