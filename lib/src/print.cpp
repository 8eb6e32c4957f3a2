// The text printer: tcpdump -n -S line shapes (tcpdump 4.99), built from the decoder's
// Summary with OutputBuffer appenders only: no fmt, no snprintf, no allocation per packet.
// This file holds the Printer (timestamps, the link layers); each protocol layer or family
// has its own print_*.cpp, and print_internal.hpp joins them.

#include "slimcap/print.hpp"

#include <net/if.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/decode.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {

using namespace detail;

namespace {

std::string_view address_family_name(std::uint32_t family) {
  switch (family) {
    case 2: return "IPv4"sv;
    case 7: return "OSI"sv;
    case 16: return "Appletalk"sv;
    case 23: return "IPX"sv;
    case 24: case 28: case 30: return "IPv6"sv;
    default: return "Unknown"sv;
  }
}

// The link header of the non-Ethernet link types as tcpdump -e prints it (and as it prints
// it without -e in front of a payload it cannot decode).
// `length` is the length it shows (the packet's, less the VLAN tags tcpdump took off).
void append_cooked_header(const Context& c, std::uint32_t length) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data();
  switch (c.packet.link_type) {
    case link_type::kLinuxSll:
    case link_type::kLinuxSll2: {
      const bool sll2 = c.packet.link_type == link_type::kLinuxSll2;
      if (sll2) {
        out.append("ifindex ");
        out.append_uint(s.sll_interface);
        out.append(' ');
      } else {
        const std::string_view direction = packet_type_name(s.sll_packet_type);
        out.append_repeat(' ', 3 - (direction.size() < 3 ? direction.size() : 3));
        out.append(direction);
        out.append(' ');
      }
      const std::uint16_t address_length = sll2 ? d[11] : load_be16(d + 4);
      if (address_length == 6) {
        append_mac(out, d + (sll2 ? 12 : 6));
        out.append(' ');
      }
      if (c.options.quiet) return;
      const std::uint16_t protocol = load_be16(d + (sll2 ? 0 : 14));
      if (protocol < 0x0600) {
        if (protocol == 1) {
          out.append("802.3");
        } else if (protocol == 4) {
          out.append("802.2");
        } else {
          out.append("ethertype Unknown (0x");
          out.append_hex_padded(protocol, 4);
          out.append(')');
        }
      } else {
        append_ethertype(out, protocol);
      }
      break;
    }
    case link_type::kNull:
    case link_type::kLoop: {
      const std::string_view name = address_family_name(s.link_family);
      if (!c.options.quiet) {
        out.append("AF ");
        out.append(name);
        out.append(" (");
        out.append_uint(s.link_family);
        out.append(')');
      } else if (name == "Unknown"sv) {
        out.append("Unknown AF ");
        out.append_uint(s.link_family);
      } else {
        out.append(name);
      }
      break;
    }
    default:  // RAW, IPV4, IPV6
      out.append("ip: ");
      return;
  }
  out.append(", length ");
  out.append_uint(length);
  out.append(": ");
}

// The 802.1Q tags of a Linux cooked frame, as tcpdump's SLL printers show them: with -e
// "vlan 100, p 0, ", and unless -q the type they carry ("ethertype IPv4, ").
void append_cooked_vlans(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
    if (c.options.link_header) append_vlan_tag(out, s.vlans[i]);
    if (c.options.quiet) continue;
    // (Behind the last tag: the network's type, or a cut tag's TPID.)
    const std::uint16_t next = i + 1 < s.vlan_count ? s.vlans[i + 1].tpid : s.ethertype;
    const std::string_view name = ethertype_name(next < 0x0600 ? 4 : next);
    out.append("ethertype ");
    out.append(name.empty() ? "Unknown"sv : name);
    out.append(", ");
  }
}

// "[Invalid header: caplen==0, len==0]", as tcpdump 4.99 prints a record header it rejects.
void append_invalid_header(OutputBuffer& out, const PacketView& packet) {
  bool any = false;
  const auto item = [&] {
    out.append(any ? ","sv : "[Invalid header:"sv);
    any = true;
  };
  if (packet.caplen() == 0) {
    out.append("[Invalid header: caplen==0");
    any = true;
  }
  if (packet.wire_length == 0) {
    item();
    out.append(" len==0");
  } else if (packet.wire_length < packet.caplen()) {
    item();
    out.append(" len(");
    out.append_uint(packet.wire_length);
    out.append(") < caplen(");
    out.append_uint(packet.caplen());
    out.append(')');
  }
  if (packet.caplen() > kMaxSnaplen) {
    item();
    out.append(" caplen(");
    out.append_uint(packet.caplen());
    out.append(") > ");
    out.append_uint(kMaxSnaplen);
  }
  if (packet.wire_length > kMaxSnaplen) {
    item();
    out.append(" len(");
    out.append_uint(packet.wire_length);
    out.append(") > ");
    out.append_uint(kMaxSnaplen);
  }
  out.append("]\n");
}

// tcpdump 4.99: "%-5s %-3s " of the interface name ("?" when unknown) and the direction.
void append_sll2_interface(const Context& c) {
  std::string_view name = interface_name(c.s.sll_interface);  // cached: no syscall
  if (name.empty()) name = "?";
  const std::size_t n = name.size();
  c.out.append(name);
  c.out.append_repeat(' ', n < 5 ? 6 - n : 1);
  const std::string_view direction = packet_type_name(c.s.sll_packet_type);
  c.out.append(direction);
  c.out.append_repeat(' ', direction.size() < 3 ? 4 - direction.size() : 1);
}
// The link types without an Ethernet header (cooked, NULL/LOOP, raw IP): out of line, so
// that the Ethernet path keeps its registers.
[[gnu::noinline]] void print_other_link(const Context& c, bool& default_dump,
                                      std::uint32_t& header_length) {
  const PacketView& packet = c.packet;
  const PrintOptions& o = c.options;
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (s.truncated == Layer::link && s.vlan_count == 0 &&
      !(packet.link_type == link_type::kLinuxSll ? packet.caplen() >= 16
                                                  : packet.link_type == link_type::kLinuxSll2 &&
                                                        packet.caplen() >= 20)) {
    switch (packet.link_type) {
      case link_type::kLinuxSll: out.append(" [|sll]"); break;
      case link_type::kLinuxSll2: out.append(" [|sll2]"); break;
      default: out.append(" [|null]"); break;
    }
    return;
  }
  if (s.ethertype == 4 && s.vlan_count == 0 && s.network == Network::other &&
      (packet.link_type == link_type::kLinuxSll || packet.link_type == link_type::kLinuxSll2)) {
    // 802.2: an LLC header (print_llc.cpp).
    if (packet.link_type == link_type::kLinuxSll2) append_sll2_interface(c);
    if (o.link_header) append_cooked_header(c, packet.wire_length);
    header_length = print_cooked_llc(c);
    return;
  }
  {
    const bool known = s.network == Network::ipv4 || s.network == Network::ipv6 ||
                       s.network == Network::arp;
    // tcpdump names the SLL2 interface and direction on every line.
    if (packet.link_type == link_type::kLinuxSll2) append_sll2_interface(c);
    const std::uint32_t tags = 4u * s.vlan_count;
    if (s.vlan_count == 0 && s.truncated != Layer::link) {
      if (o.link_header || !known) append_cooked_header(c, packet.wire_length);
    } else {
      if (o.link_header) append_cooked_header(c, packet.wire_length);
      append_cooked_vlans(c);
      if (s.truncated == Layer::link) {  // a cut tag: nothing more is dumped
        out.append(" [|vlan]");
        header_length = packet.caplen();
        return;
      }
      if (!known && !o.link_header) append_cooked_header(c, packet.wire_length - tags);
    }
    if (!known) {
      default_dump = true;
      return;
    }
    if (packet.link_type == link_type::kRaw || packet.link_type == link_type::kIpv4 ||
        packet.link_type == link_type::kIpv6) {
      if (const unsigned version = packet.data[0] >> 4; version != 4 && version != 6) {
        out.append("unknown ip ");  // tcpdump's ipN_print()
        out.append_uint(version);
        return;
      }
    }
    print_network(c, !o.link_header);
  }
}

// The line after the timestamp: the link layer and what it carries. Sets default_dump when
// tcpdump would dump what it could not decode, from header_length on.
[[gnu::always_inline]] inline void print_frame(const Context& c, bool& default_dump,
                                               std::uint32_t& header_length) {
  const PacketView& packet = c.packet;
  const PrintOptions& o = c.options;
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  switch (packet.link_type) {
    case link_type::kEthernet: {
      // The common lines, IPv4 and TCP or UDP without -e or -v, straight to the transport's
      // printer: the general path costs a chain of calls per packet.
      if (s.network == Network::ipv4 && (s.protocol == 6 || s.protocol == 17) &&
          s.truncated == Layer::none && !s.later_fragment && !o.link_header && o.verbose == 0 &&
          s.ip_total_length <= packet.wire_length - s.network_offset) {
        std::memcpy(out.reserve(3), "IP ", 3);
        out.advance(3);
        if (s.protocol == 6)
          print_tcp(c, true);
        else
          print_transport(c, true);
        break;
      }
      if (s.truncated == Layer::link && s.source_mac == nullptr) {
        out.append(" [|ether]");
        break;
      }
      if (s.truncated == Layer::link && !o.link_header) {
        out.append(" [|vlan]");  // a cut VLAN tag
        break;
      }
      if (s.ethertype <= 1500 && s.truncated == Layer::none) [[unlikely]] {
        header_length = print_ieee8023(c);  // 802.3: LLC (print_llc.cpp)
        break;
      }
      // A network layer the decoder knows, or a dissector for the ethertype.
      const PayloadPrinter dissect = s.network == Network::ipv4 || s.network == Network::ipv6 ||
                                             s.network == Network::arp
                                         ? nullptr
                                         : ethertype_printer(s.ethertype);
      const bool known = s.network == Network::ipv4 || s.network == Network::ipv6 ||
                         s.network == Network::arp || dissect != nullptr;
      if (o.link_header || !known) {
        append_mac(out, s.source_mac);
        out.append(" > ");
        append_mac(out, s.destination_mac);
        out.append(", ");
        if (!known && o.quiet && !o.link_header) {
          append_ethertype(out, s.ethertype, true);
          out.append(", length ");
          out.append_uint(packet.wire_length);
          out.append(": ");
          break;
        }
        if (s.outer_ethertype <= 1500) {
          out.append("802.3, length ");
          out.append_uint(packet.wire_length);
          out.append(": ");
          default_dump = true;
          break;
        }
        // tcpdump names an ethertype only once the header it announces was captured.
        const bool cut_tag = s.truncated == Layer::link;
        if (cut_tag && s.vlan_count == 0) {
          out.append(" [|vlan]");
          break;
        }
        append_ethertype(out, s.outer_ethertype, o.quiet);
        out.append(", length ");
        out.append_uint(packet.wire_length);
        out.append(": ");
        for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
          append_vlan_tag(out, s.vlans[i]);
          if (cut_tag && i + 1 == s.vlan_count) break;
          const std::uint16_t next = i + 1 < s.vlan_count ? s.vlans[i + 1].tpid : s.ethertype;
          append_ethertype(out, next, o.quiet);
          out.append(", ");
        }
        if (cut_tag) {
          out.append(" [|vlan]");
          break;
        }
        if (!known) {
          default_dump = !o.quiet;
          break;
        }
        if (dissect != nullptr)
          dissect(c, s.link_header_length, packet.wire_length - s.link_header_length);
        else
          print_network(c, false);
      } else if (dissect != nullptr) {
        dissect(c, s.link_header_length, packet.wire_length - s.link_header_length);
      } else {
        print_network(c, true);
      }
      break;
    }
    case link_type::kLinuxSll:
    case link_type::kLinuxSll2:
    case link_type::kNull:
    case link_type::kLoop:
    case link_type::kRaw:
    case link_type::kIpv4:
    case link_type::kIpv6:
      print_other_link(c, default_dump, header_length);
      break;
    default: {
      if (print_more_link_types(c, default_dump, header_length)) break;
      const std::string_view name = link_type_name(packet.link_type);
      if (name.empty()) {
        out.append("LINKTYPE_");
        out.append_uint(packet.link_type);
      } else {
        out.append(name);
      }
      out.append(", length ");
      out.append_uint(packet.wire_length);
      header_length = 0;
      break;
    }
  }
}

}  // namespace

// Tunnels nest (IP in GRE in IP ...): past this depth an inner frame is not decoded, so that a
// crafted packet cannot exhaust the stack.
namespace {
// initial-exec: the library is loaded with the program (a plain load, not a call to
// __tls_get_addr per inner frame); one unsigned fits the static TLS that dlopen() leaves.
[[gnu::tls_model("initial-exec")]] thread_local unsigned g_inner_depth = 0;
constexpr unsigned kMaxInnerDepth = 16;
struct InnerDepth {
  bool ok;
  InnerDepth() : ok(++g_inner_depth <= kMaxInnerDepth) {}
  ~InnerDepth() { --g_inner_depth; }
};
PacketView inner_view(const Context& outer, std::uint32_t offset, std::uint32_t length,
                      std::uint32_t link_type) {
  PacketView inner;
  const std::uint32_t captured = outer.caplen() > offset ? outer.caplen() - offset : 0;
  inner.data =
      outer.packet.data.subspan(std::min(offset, outer.caplen()), std::min(captured, length));
  inner.wire_length = length;
  inner.link_type = link_type;
  inner.timestamp_ns = outer.packet.timestamp_ns;
  return inner;
}
}  // namespace

// A frame carried inside another (a tunnel's payload): decoded and printed as a frame of
// its own link type, on the same line. What tcpdump cannot decode in an inner Ethernet frame
// it dumps there (unless -q, -x, -X).
void detail::print_inner_frame(const Context& outer, std::uint32_t offset, std::uint32_t length,
                               std::uint32_t link_type) {
  const InnerDepth depth;
  if (!depth.ok) [[unlikely]] {
    outer.out.append(" [|tunnel]");
    return;
  }
  const PacketView inner = inner_view(outer, offset, length, link_type);
  Summary s;
  decode(inner, s);
  const Context c{outer.options, inner, s, outer.out, outer.conversations};
  if (link_type == link_type::kEthernet && s.source_mac != nullptr && s.vlan_count == 0 &&
      s.outer_ethertype < 0x0600) [[unlikely]] {
    // 802.3 with LLC, which tcpdump decodes and slimcap does not.
    if (outer.options.link_header) {
      append_mac(outer.out, s.source_mac);
      outer.out.append(" > ");
      append_mac(outer.out, s.destination_mac);
      outer.out.append(", 802.3, length ");
      outer.out.append_uint(length);
      outer.out.append(": ");
    }
    outer.out.append("[|llc]");
    return;
  }
  bool default_dump = false;
  std::uint32_t header_length = s.link_header_length;
  print_frame(c, default_dump, header_length);
  if (c.dump_whole) outer.dump_whole = true;
  const PrintOptions& o = outer.options;
  if (default_dump && !o.quiet && (o.dump == DumpStyle::none || o.dump == DumpStyle::ascii) &&
      inner.caplen() > header_length)
    append_dump(outer.out, inner.data.subspan(header_length), DumpStyle::hex_ascii);
}

// An IP datagram inside another packet, announced as IPv4 (version 4) or IPv6 (6) by the
// protocol number or type in front of it: printed as tcpdump's ip_print() / ip6_print() do,
// whatever its version field says.
void detail::print_inner_ip(const Context& outer, std::uint32_t offset, std::uint32_t length,
                            unsigned version) {
  const InnerDepth depth;
  OutputBuffer& out = outer.out;
  if (!depth.ok) [[unlikely]] {
    out.append(" [|tunnel]");
    return;
  }
  const PacketView inner =
      inner_view(outer, offset, length, version == 6 ? link_type::kIpv6 : link_type::kIpv4);
  const bool name = !outer.options.link_header;
  if (inner.caplen() > 0 && (inner.data[0] >> 4) != version) [[unlikely]] {
    const unsigned found = inner.data[0] >> 4;
    if (version == 4) {
      if (found == 6) {
        out.append("IP6, wrong link-layer encapsulation (invalid)");
      } else {
        out.append("IP");
        out.append_uint(found);
        out.append(" (invalid)");
      }
    } else if (inner.caplen() < 40) {
      out.append(" [|ip6]");
    } else {
      if (name) out.append("IP6 ");
      out.append("version error: ");
      out.append_uint(found);
      out.append(" != 6");
    }
    return;
  }
  Summary s;
  decode(inner, s);
  const Context c{outer.options, inner, s, out, outer.conversations};
  print_network(c, name);
  if (c.dump_whole) outer.dump_whole = true;
}

// Hidden, as the printer's internals it holds (print_internal.hpp) are.
struct [[gnu::visibility("hidden")]] Printer::Impl {
  PrintOptions options;
  TimestampFormatter timestamps;
  std::uint64_t count = 0;
  Summary summary;  // reused: decode() resets it, so there is one reset per packet, not two
  detail::TcpConversations conversations;  // relative TCP sequence numbers (not with -S)
  explicit Impl(const PrintOptions& o)
      : options(o), timestamps(o.timestamp_style, o.nano, o.utc) {}

  // A pcap record's fraction field that is a whole second or more, per record_unit (none,
  // µs, ns): libpcap passes it on as stored, and tcpdump prints it so.
  // A pcapng time beyond 64-bit nanoseconds (3) always takes this way.
  static constexpr std::uint32_t kWholeSecond[4] = {UINT32_MAX, 1000000, 1000000000, 0};

  [[gnu::cold, gnu::noinline]] void append_unnormalised_time(OutputBuffer& out,
                                                             const PacketView& packet) {
    // The fraction in the printed unit, converted as libpcap converts between precisions
    // (in 32 bits: it wraps, and so does what tcpdump prints).
    std::uint64_t fraction = packet.record_fraction;
    if (packet.record_unit == 1 && options.nano) fraction = packet.record_fraction * 1000u;
    if (packet.record_unit >= 2 && !options.nano) fraction /= 1000;
    // libpcap reads a pcap record's seconds as a signed 32-bit number; a pcapng time keeps
    // all 64 bits.
    const std::int64_t seconds =
        packet.record_unit == 3
            ? packet.record_seconds
            : static_cast<std::int32_t>(static_cast<std::uint32_t>(packet.record_seconds));
    timestamps.append_unnormalised(out, seconds, fraction, packet.timestamp_ns);
  }
};

Printer::Printer(const PrintOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Printer::~Printer() = default;

void Printer::print(const PacketView& packet, OutputBuffer& out) {
  Impl& p = *impl_;
  const PrintOptions& o = p.options;
  ++p.count;
  if (o.number) {
    // tcpdump -#: "%5u  "
    char digits[20];
    unsigned n = 0;
    for (std::uint64_t v = p.count; v != 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
    for (unsigned i = n; i < 5; ++i) out.append(' ');
    while (n > 0) out.append(digits[--n]);
    out.append("  ");
  }
  // tcpdump's sanity checks of the record header come first and replace the whole line.
  if (packet.caplen() == 0 || packet.wire_length == 0 || packet.wire_length < packet.caplen() ||
      packet.caplen() > kMaxSnaplen || packet.wire_length > kMaxSnaplen) [[unlikely]] {
    append_invalid_header(out, packet);
    return;
  }
  if (packet.record_fraction >= Impl::kWholeSecond[packet.record_unit & 3]) [[unlikely]]
    p.append_unnormalised_time(out, packet);
  else
    p.timestamps.append(out, packet.timestamp_ns);

  Summary& s = p.summary;
  decode(packet, s);
  const Context c{o, packet, s, out, &p.conversations};
  bool default_dump = false;  // tcpdump's hex dump of what it could not decode
  std::uint32_t header_length = s.link_header_length;

  print_frame(c, default_dump, header_length);

  if (c.dump_whole) header_length = 0;
  // A cut link header: tcpdump dumps nothing more for Ethernet (and a cooked header's cut
  // VLAN tag), everything for the others.
  if (s.truncated == Layer::link && header_length != packet.caplen() &&
      !printed_by_print_link(packet.link_type))
    header_length = packet.link_type == link_type::kEthernet ? packet.caplen() : 0;
  // tcpdump dumps what it could not decode unless -x/-X asked for a dump of everything.
  // (-q suppresses it, as tcpdump's -q does.)
  if (default_dump && !o.quiet && (o.dump == DumpStyle::none || o.dump == DumpStyle::ascii) &&
      packet.caplen() > header_length)
    append_dump(out, packet.data.subspan(header_length), DumpStyle::hex_ascii);
  if (o.dump != DumpStyle::none) {
    if (o.dump_link_header) {
      append_dump(out, packet.data, o.dump);
    } else if (packet.caplen() > header_length) {
      append_dump(out, packet.data.subspan(header_length), o.dump);
    }
  }
  out.append('\n');
}

}  // namespace slimcap
