// UDP as tcpdump 4.99 prints it: lengths, checksums with -v.

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

void print_udp(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_ports) {
    if (with_addresses) append_addresses(c, ": "sv);
    out.append(" [|udp]");
    return;
  }
  append_endpoints(c, with_addresses);
  if (s.transport_length < 8) {
    out.append("truncated-udp ");
    out.append_uint(s.transport_length);
    return;
  }
  if (!c.captured(s.transport_offset, 6)) {  // the length field
    out.append(" [|udp]");
    return;
  }
  // tcpdump's lengths: the UDP length field (the IP length for a jumbogram's 0) and the IP
  // payload's, both without the UDP header; the shorter one is checksummed.
  const std::uint32_t udp_length =
      s.udp_length == 0 && s.transport_length > 0xffff ? s.transport_length : s.udp_length;
  if (udp_length < 8) {
    out.append("truncated-udplength ");
    out.append_uint(udp_length);
    return;
  }
  if (s.truncated == Layer::udp) {
    out.append(" [|udp]");
    return;
  }
  const std::uint32_t length = std::min(udp_length, s.transport_length);
  // The checksum: with -v over IPv6 (where it is mandatory), with -vv over IPv4 too, where 0
  // means none was computed.
  const bool ipv6 = s.network == Network::ipv6;
  if (c.options.verbose > (ipv6 ? 0 : 1) && c.options.verify_checksums &&
      !(ipv6 ? s.ipv6_fragmented : s.more_fragments || s.later_fragment)) {
    const std::uint8_t* u = c.data() + s.transport_offset;
    if (s.network == Network::ipv4 && load_be16(u + 6) == 0) {
      out.append("[no cksum] ");
    } else if (c.captured(s.transport_offset, length)) {
      append_checksum_verdict(out, "udp"sv, load_be16(u + 6),
                              transport_checksum(s, u, length, 17));
    }
  }
  // The payload's dissector, by port (print_dispatch.cpp), unless -q; it gets tcpdump's
  // length: the shorter of the UDP and IP lengths, less the header.
  if (!c.options.quiet) {
    if (const PayloadPrinter dissect = udp_payload_printer(s.source_port, s.destination_port))
        [[unlikely]] {
      dissect(c, s.transport_offset + 8, length - 8);
      return;
    }
  }
  const bool fragmented = ipv6 ? s.ipv6_fragmented : s.more_fragments;
  if (udp_length > s.transport_length && !fragmented) {
    out.append("UDP, bad length ");
    out.append_uint(udp_length - 8u);
    out.append(" > ");
    out.append_uint(s.transport_length - 8u);
    return;
  }
  out.append("UDP, length ");
  out.append_uint(udp_length - 8u);
}

}  // namespace slimcap::detail
