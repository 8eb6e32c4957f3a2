// The network layer: IPv4 (options, fragments, -v fields), IPv6 (extension headers),
// and the choice of the transport printer by protocol number.

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

void print_transport_here(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  switch (s.protocol) {
    case 6: print_tcp(c, with_addresses); return;
    case 17: print_udp(c, with_addresses); return;
    case 1: print_icmp_message(c); return;
    case 58: print_icmp6_message(c); return;
    case 59: out.append("no next header"); return;
    default:
      if (const NetworkPayloadPrinter dissect = ip_protocol_printer(s.protocol)) {
        dissect(c, with_addresses);
        return;
      }
      out.append(" ip-proto-");
      out.append_uint(s.protocol);
      out.append(' ');
      out.append_uint(s.transport_length);
      return;
  }
}

// tcpdump reads a transport only up to the end of its IP datagram (nd_push_snaplen): bytes
// after it (padding, or a length field shorter than the datagram) count as not captured.
[[gnu::noinline]] void print_transport_clamped(const Context& c, bool with_addresses,
                                               std::uint32_t end) {
  PacketView view = c.packet;
  view.data = view.data.first(end);
  const Context clamped{c.options, view, c.s, c.out, c.conversations};
  print_transport_here(clamped, with_addresses);
  c.dump_whole = clamped.dump_whole;
}

namespace {

std::string_view ipv4_option_name(std::uint8_t kind) {
  switch (kind) {
    case 0: return "EOL"sv;
    case 1: return "NOP"sv;
    case 7: return "RR"sv;
    case 68: return "TS"sv;
    case 130: return "security"sv;
    case 131: return "LSRR"sv;
    case 137: return "SSRR"sv;
    case 148: return "RA"sv;
    default: return {};
  }
}

// tcpdump -v on an IPv4 header cut inside its options: the options it can read, then either
// its longjmp (" [|ip]") or "[truncated-option]" and the address line with the marker.
void append_cut_ipv4_options(const Context& c, std::uint32_t captured) {
  OutputBuffer& out = c.out;
  const Summary& s = c.s;
  const std::uint8_t* o = c.data() + s.network_offset;
  out.append(", options (");
  for (std::uint32_t i = 20; i < s.ip_header_length;) {
    if (i > 20) out.append(',');
    if (i >= captured) break;
    const std::uint8_t kind = o[i];
    const std::string_view name = ipv4_option_name(kind);
    if (name.empty()) {
      out.append("unknown ");
      out.append_uint(kind);
    } else {
      out.append(name);
    }
    if (kind <= 1) {
      ++i;
      continue;
    }
    if (i + 1 >= captured) break;
    const std::uint32_t len = o[i + 1];
    if (len < 2 || i + len > captured) {
      out.append(" [truncated-option])");
      out.append(")\n    ");
      append_ipv4(out, s.source_ip);
      out.append(" > ");
      append_ipv4(out, s.destination_ip);
      out.append(":  [|ip]");
      return;
    }
    i += len;
  }
  out.append(" [|ip]");
  c.dump_whole = true;
}

// tcpdump -v's "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 52".
void append_ipv4_verbose_fields(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  out.append("(tos 0x");
  out.append_hex(s.tos);
  switch (s.tos & 3) {
    case 1: out.append(",ECT(1)"); break;
    case 2: out.append(",ECT(0)"); break;
    case 3: out.append(",CE"); break;
    default: break;
  }
  if (s.ttl != 0) append_number(out, ", ttl "sv, s.ttl);  // tcpdump leaves a TTL of 0 out
  append_number(out, ", id "sv, s.ip_id);
  append_number(out, ", offset "sv, s.fragment_offset);
  out.append(", flags [");
  {
    // tcpdump's order: more fragments, don't fragment, the reserved bit.
    static constexpr std::string_view kFlags[8] = {
        "none"sv, "+"sv, "DF"sv, "+, DF"sv, "rsvd"sv, "+, rsvd"sv, "DF, rsvd"sv, "+, DF, rsvd"sv};
    out.append(kFlags[(s.more_fragments ? 1 : 0) | (s.dont_fragment ? 2 : 0) |
                      (s.reserved_fragment_bit ? 4 : 0)]);
  }
  out.append("], proto ");
  out.append(ip_protocol_name(s.protocol));
  append_number(out, " ("sv, s.protocol);
  append_number(out, "), length "sv, s.ip_total_length);
}

// tcpdump's checks of an IPv4 header before it prints it; false when one ended the line.
// `name` puts "IP " in front, once the version is known to be 4.
[[gnu::noinline, gnu::cold]] bool check_ipv4_header(const Context& c, bool name) {
  OutputBuffer& out = c.out;
  const std::uint32_t off = c.s.network_offset;
  const std::uint8_t* ip = c.data() + off;
  const unsigned version = ip[0] >> 4;
  if (version != 4) {
    if (version == 6) {
      out.append("IP6, wrong link-layer encapsulation (invalid)");
    } else {
      out.append("IP");
      out.append_uint(version);
      out.append(" (invalid)");
    }
    return false;
  }
  if (name) out.append("IP ");
  if (!c.captured(off, 20)) {
    out.append(" [|ip]");
    return false;
  }
  // The lengths against the bytes on the wire (tcpdump's "length"), not the captured ones.
  const std::uint32_t length = c.packet.wire_length > off ? c.packet.wire_length - off : 0;
  if (length < 20) {
    out.append("truncated-ip ");
    out.append_uint(length);
    return false;
  }
  const std::uint32_t header_length = (ip[0] & 15u) * 4u;
  if (header_length < 20) {
    out.append("bad-hlen ");
    out.append_uint(header_length);
    return false;
  }
  const std::uint32_t total_length = load_be16(ip + 2);
  if (total_length > length) {
    out.append("truncated-ip - ");
    out.append_uint(total_length - length);
    out.append(" bytes missing! ");
  }
  if (total_length < header_length) {
    out.append("bad-len ");
    out.append_uint(total_length);
    return false;
  }
  return true;
}

}  // namespace

void print_ipv4(const Context& c, bool name) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  // The decoder stops in the IPv4 header for everything check_ipv4_header() reports but a
  // total length past the wire's; a good header only needs its name.
  if (s.truncated == Layer::ip ||
      s.ip_total_length > c.packet.wire_length - s.network_offset) [[unlikely]] {
    if (!check_ipv4_header(c, name)) return;
  } else if (name) {
    out.append("IP ");
  }
  if (s.truncated == Layer::ip) {
    const std::uint32_t captured = c.caplen() - s.network_offset;
    if (captured >= 20 && s.ip_header_length > captured && c.options.verbose > 0) {
      // tcpdump -v prints the fixed header, then stops in the options.
      append_ipv4_verbose_fields(c);
      append_cut_ipv4_options(c, captured);
      return;
    }
    if (captured >= 20 && s.ip_header_length > captured) {
      out.append(" [remaining caplen(");
      out.append_uint(captured);
      out.append(") < header length(");
      out.append_uint(s.ip_header_length);
      out.append(")]");
      c.dump_whole = true;
    }
    out.append(" [|ip]");
    return;
  }
  if (c.options.verbose > 0) {
    append_ipv4_verbose_fields(c);
    if (s.ip_header_length > 20) {
      out.append(", options (");
      const std::uint8_t* o = c.data() + s.network_offset + 20;
      const std::uint32_t n = s.ip_header_length - 20u;
      std::uint32_t i = 0;
      bool first = true;
      while (i < n) {
        if (!first) out.append(',');
        first = false;
        const std::uint8_t kind = o[i];
        const std::uint32_t len = (kind == 0 || kind == 1) ? 1 : (i + 1 < n ? o[i + 1] : 1);
        switch (kind) {
          case 0: out.append("EOL"); break;
          case 1: out.append("NOP"); break;
          case 7: out.append("RR"); break;
          case 68: out.append("TS"); break;
          case 130: out.append("security"); break;
          case 131: out.append("LSRR"); break;
          case 137: out.append("SSRR"); break;
          case 148:
            out.append("RA");
            if (len == 4 && i + 4 <= n && load_be16(o + i + 2) != 0) {
              out.append(" value ");
              out.append_uint(load_be16(o + i + 2));
            }
            break;
          default:
            out.append("unknown ");
            out.append_uint(kind);
            break;
        }
        if (kind == 0) break;
        i += len < 1 ? 1 : len;
      }
      out.append(')');
    }
    if (c.options.verify_checksums) {
      const std::uint8_t* h = c.data() + s.network_offset;
      const std::uint16_t computed = internet_checksum(h, s.ip_header_length);
      if (computed != 0) {
        const std::uint16_t field = load_be16(h + 10);
        out.append(", bad cksum ");
        out.append_hex(field);
        out.append(" (->");
        out.append_hex(checksum_should_be(field, computed));
        out.append(")!");
      }
    }
    out.append(")\n    ");
  }
  if (s.later_fragment) {
    append_ipv4(out, s.source_ip);
    out.append(" > ");
    append_ipv4(out, s.destination_ip);
    out.append(": ip-proto-");
    out.append_uint(s.protocol);
    return;
  }
  if (s.protocol != 6 && s.protocol != 17) {
    append_ipv4(out, s.source_ip);
    out.append(" > ");
    append_ipv4(out, s.destination_ip);
    out.append(": ");
  }
  print_transport(c, true);
}

namespace {

// tcpdump -v's list of hop-by-hop / destination options: "(rtalert: 0x0000) (padn) ".
void append_ipv6_options(const Context& c, std::uint32_t offset) {
  OutputBuffer& out = c.out;
  const std::uint32_t length = (c.data()[offset + 1] + 1u) * 8u;
  if (!c.captured(offset, length)) return;
  const std::uint8_t* o = c.data() + offset;
  std::uint32_t i = 2;
  while (i < length) {
    const std::uint8_t type = o[i];
    if (type == 0) {
      out.append("(pad1)");
      ++i;
      continue;
    }
    if (i + 1 >= length) break;
    const std::uint32_t len = o[i + 1];
    if (i + 2 + len > length) break;
    switch (type) {
      case 1: out.append("(padn)"); break;
      case 5:
        out.append("(rtalert: 0x");
        out.append_hex_padded(len >= 2 ? load_be16(o + i + 2) : 0, 4);
        out.append(") ");
        break;
      case 0xc2: {
        const std::uint32_t jumbo = len >= 4 ? load_be32(o + i + 2) : 0;
        out.append("(jumbo: ");
        out.append_uint(jumbo);
        if (c.s.ip_total_length != 0)
          out.append(" - payload len != 0");
        else if (jumbo <= 0xffff)
          out.append(" - < 65536");
        out.append(") ");
        break;
      }
      default:
        out.append("(opt_type 0x");
        out.append_hex_padded(type, 2);
        out.append(": len=");
        out.append_uint(len);
        out.append(") ");
        break;
    }
    i += 2 + len;
  }
  out.append(' ');
}

// tcpdump's "RT6 (len=2, type=0 [Deprecated], segleft=1, [0]2001:db8::9) ", field by field
// as far as the capture goes. Returns false after the " [|rt6]" marker.
bool append_routing_header(const Context& c, std::uint32_t at) {
  OutputBuffer& out = c.out;
  const std::uint8_t* r = c.data() + at;
  const auto cut = [&] {
    out.append(" [|rt6]");
    c.dump_whole = true;  // tcpdump reads these fields without a bounds check first
    return false;
  };
  out.append("RT6");
  if (!c.captured(at, 2)) return cut();
  out.append(" (len=");
  out.append_uint(r[1]);
  if (!c.captured(at, 3)) return cut();
  const std::uint8_t type = r[2];
  out.append(", type=");
  out.append_uint(type);
  if (type == 0) out.append(" [Deprecated]");
  if (!c.captured(at, 4)) return cut();
  out.append(", segleft=");
  out.append_uint(r[3]);
  const std::uint32_t length = (r[1] + 1u) * 8u;
  std::uint32_t addresses = 0;
  if (type == 0 || type == 2) {
    if (!c.captured(at, 8)) return cut();
    if (c.options.verbose > 0) {
      out.append(", rsv=0x");
      out.append_hex(load_be32(r + 4));
    }
    addresses = r[1] / 2u;
  } else if (type == 4) {
    if (!c.captured(at, 5)) return cut();
    out.append(", last-entry=");
    out.append_uint(r[4]);
    if (c.options.verbose > 0) {
      if (!c.captured(at, 6)) return cut();
      out.append(", flags=0x");
      out.append_hex(r[5]);
    }
    if (!c.captured(at, 8)) return cut();
    out.append(", tag=");
    out.append_hex(load_be16(r + 6));
    addresses = r[4] + 1u;
  }
  // Each address as far as the capture goes, then tcpdump's marker.
  for (std::uint32_t i = 0; i < addresses && 8 + 16 * (i + 1) <= length; ++i) {
    if (!c.captured(at, 8 + 16 * (i + 1))) return cut();
    out.append(", [");
    out.append_uint(i);
    out.append(']');
    append_ipv6(out, r + 8 + 16 * i);
  }
  out.append(") ");
  return true;
}

}  // namespace

void print_ipv6(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint8_t* ip = c.data() + s.network_offset;
  if ((ip[0] >> 4) != 6) {
    out.append("version error: ");
    out.append_uint(ip[0] >> 4);
    out.append(" != 6");
    return;
  }
  // The payload length against the bytes on the wire (tcpdump's "length").
  const std::uint32_t length = c.packet.wire_length - s.network_offset;
  if (s.ip_total_length != 0 && s.ip_total_length + 40u > length) {
    out.append("truncated-ip6 - ");
    out.append_uint(s.ip_total_length + 40u - length);
    out.append(" bytes missing!");
  }
  if (c.options.verbose > 0) {
    out.append('(');
    if (s.tos != 0) {
      out.append("class 0x");
      out.append_hex_padded(s.tos, 2);
      out.append(", ");
    }
    if (s.flow_label != 0) {
      out.append("flowlabel 0x");
      out.append_hex_padded(s.flow_label, 5);
      out.append(", ");
    }
    out.append("hlim ");
    out.append_uint(s.ttl);
    out.append(", next-header ");
    out.append(ip_protocol_name(s.ipv6_first_next_header));
    out.append(" (");
    out.append_uint(s.ipv6_first_next_header);
    out.append(") payload length: ");
    out.append_uint(s.ip_total_length);
    out.append(") ");
  }
  const std::uint8_t first = s.ipv6_first_next_header;
  if (first != 6 && first != 17) {
    append_ipv6(out, s.source_ip);
    out.append(" > ");
    append_ipv6(out, s.destination_ip);
    out.append(": ");
  }
  for (std::uint8_t i = 0; i < s.ipv6_extension_count; ++i) {
    const Ipv6Extension& e = s.ipv6_extensions[i];
    switch (e.type) {
      case 0:
      case 60: {
        // tcpdump needs the whole header before it prints its name.
        if (!c.captured(e.offset, 2) ||
            !c.captured(e.offset, (c.data()[e.offset + 1] + 1u) * 8u)) {
          out.append(e.type == 0 ? " [|hbhopt]"sv : " [|dstopt]"sv);
          c.dump_whole = !c.captured(e.offset, 2);
          // tcpdump goes on to miss the Jumbo Payload option a payload length of 0 needs.
          if (e.type == 0 && s.ip_total_length == 0 && !c.dump_whole)
            out.append("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
          return;
        }
        out.append(e.type == 0 ? "HBH "sv : "DSTOPT "sv);
        if (c.options.verbose > 0) append_ipv6_options(c, e.offset);
        if (e.type == 0 && s.ip_total_length == 0 && s.ipv6_jumbo_length <= 0xffff) {
          out.append("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
          return;
        }
        break;
      }
      case 43:
        if (!c.captured(e.offset, 1)) {
          out.append(" [|ip6]");
          return;
        }
        if (!append_routing_header(c, e.offset)) return;
        break;
      case 44: {
        if (!c.captured(e.offset, c.options.verbose > 0 ? 8 : 4)) {
          out.append(" [|frag6]");
          c.dump_whole = true;
          return;
        }
        const std::uint16_t frag = load_be16(c.data() + e.offset + 2);
        const std::uint32_t offset = frag & 0xfff8u;
        const std::uint32_t after = e.offset + 8 - (s.network_offset + 40);
        const std::uint32_t length = s.ip_total_length > after ? s.ip_total_length - after : 0;
        out.append("frag (");
        if (c.options.verbose > 0) {
          out.append("0x");
          out.append_hex_padded(load_be32(c.data() + e.offset + 4), 8);
          out.append(':');
        }
        out.append_uint(offset);
        out.append('|');
        out.append_uint(length);
        out.append(')');
        if (offset != 0) return;
        out.append(' ');
        // tcpdump's header walk ends silently at the end of the capture.
        if (!c.captured(e.offset + 8, 1)) return;
        break;
      }
      default: break;
    }
  }
  if (s.truncated == Layer::ip6) {
    // A payload length of 0 without a jumbogram leaves no room for extension headers.
    out.append(s.ip_total_length == 0 ? " [|ip6]"sv : "[|ip6]"sv);
    return;
  }
  print_transport(c, first == s.protocol);
}

// The part of the line after the link layer: "IP ...", "IP6 ...", "ARP, ...".
void print_network(const Context& c, bool name) {
  // tcpdump's marker without the protocol's name: for IPv4 when not one byte was captured,
  // for IPv6 and ARP whenever their fixed header was cut.
  const bool cut = c.s.network == Network::ipv4
                       ? !c.captured(c.s.network_offset, 1)
                       : (c.s.network == Network::ipv6 && !c.captured(c.s.network_offset, 40)) ||
                             c.s.truncated == Layer::arp;
  if (cut) {
    switch (c.s.network) {
      case Network::ipv4:
        c.out.append(" [|ip]");
        c.dump_whole = true;
        return;
      case Network::ipv6: c.out.append(" [|ip6]"); return;
      case Network::arp:
        c.out.append(" [|arp]");
        c.dump_whole = true;
        return;
      default: return;
    }
  }
  switch (c.s.network) {
    case Network::ipv4:
      print_ipv4(c, name);
      return;
    case Network::ipv6:
      if (name) c.out.append("IP6 ");
      print_ipv6(c);
      return;
    case Network::arp:
      print_arp(c, name);
      return;
    default:
      return;
  }
}

void print_ipv4_inner(const Context& outer, std::uint32_t offset, std::uint32_t caplen) {
  PacketView inner;
  // tcpdump reads the quoted datagram up to its own total length, which is its length too.
  const std::uint32_t total_length = load_be16(outer.data() + offset + 2);
  inner.data = outer.packet.data.subspan(offset, std::min(caplen, total_length));
  inner.wire_length = total_length;
  inner.link_type = link_type::kIpv4;
  Summary s;
  decode(inner, s);
  PrintOptions options = outer.options;
  const Context c{options, inner, s, outer.out, outer.conversations};
  print_ipv4(c, !options.link_header);
}

}  // namespace slimcap::detail
