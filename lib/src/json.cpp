#include "slimcap/json.hpp"

#include <net/if.h>

#include <cstring>
#include <string_view>

#include "print_internal.hpp"  // the dissectors' JSON objects
#include "slimcap/decode.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/stats_format.hpp"

namespace slimcap {
namespace {

using namespace std::string_view_literals;

void key(OutputBuffer& out, std::string_view name) {
  out.append(",\""sv);
  out.append(name);
  out.append("\":"sv);
}

void mac(OutputBuffer& out, const std::uint8_t* m) {
  out.append('"');
  for (int i = 0; i < 6; ++i) {
    if (i) out.append(':');
    out.append_hex8(m[i]);
  }
  out.append('"');
}

void ipv4_text(OutputBuffer& out, const std::uint8_t* a) {
  for (int i = 0; i < 4; ++i) {
    if (i) out.append('.');
    out.append_uint(a[i]);
  }
}

void ipv6_text(OutputBuffer& out, const std::uint8_t* a) {
  // RFC 5952 compression of the longest run of zero groups.
  std::uint16_t w[8];
  for (int i = 0; i < 8; ++i) w[i] = static_cast<std::uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i]) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && !w[j]) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  // IPv4-compatible and -mapped addresses end in dotted decimal, as inet_ntop writes them
  // (and as the text printer does).
  if (best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
    out.append(best_len == 6 ? "::"sv : "::ffff:"sv);
    ipv4_text(out, a + 12);
    return;
  }
  for (int i = 0; i < 8; ++i) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) out.append(':');
      continue;
    }
    if (i) out.append(':');
    out.append_hex(w[i]);
  }
  if (best >= 0 && best + best_len == 8) out.append(':');
}

void address(OutputBuffer& out, const Summary& s, const std::uint8_t* a, bool v6) {
  out.append('"');
  if (v6) {
    ipv6_text(out, a);
  } else {
    ipv4_text(out, a);
  }
  (void)s;
  out.append('"');
}


// LINUX_SLL2 (live -i any) carries the interface and the direction, LINUX_SLL the direction.
void cooked_header(OutputBuffer& out, const PacketView& packet, const Summary& s) {
  const bool sll2 = packet.link_type == link_type::kLinuxSll2;
  if (!sll2 && packet.link_type != link_type::kLinuxSll) return;
  if (packet.caplen() < (sll2 ? 20u : 16u)) return;
  if (sll2) {
    key(out, "ifindex"sv);
    out.append_uint(s.sll_interface);
    const std::string_view name = interface_name(s.sll_interface);
    if (!name.empty()) {
      key(out, "ifname"sv);
      // Linux allows '"' and '\\' in interface names.
      append_json_string(out, name);
    }
  }
  key(out, "direction"sv);
  out.append('"');
  out.append(packet_type_name(s.sll_packet_type));
  out.append('"');
}

std::string_view protocol_name(std::uint8_t p) {
  switch (p) {
    case 1: return "icmp"sv;
    case 6: return "tcp"sv;
    case 17: return "udp"sv;
    case 58: return "icmp6"sv;
    default: return {};
  }
}

std::string_view layer_name(Layer l) {
  switch (l) {
    case Layer::link: return "link"sv;
    case Layer::ip: return "ip"sv;
    case Layer::ip6: return "ip6"sv;
    case Layer::arp: return "arp"sv;
    case Layer::tcp: return "tcp"sv;
    case Layer::udp: return "udp"sv;
    case Layer::icmp: return "icmp"sv;
    case Layer::icmp6: return "icmp6"sv;
    default: return {};
  }
}

}  // namespace

void append_json(OutputBuffer& out, const PacketView& packet, std::int64_t worker) {
  Summary s;
  decode(packet, s);
  std::int64_t seconds = packet.timestamp_ns / 1000000000;
  std::int64_t ns = packet.timestamp_ns % 1000000000;
  if (ns < 0) {
    ns += 1000000000;
    --seconds;
  }
  out.append("{\"ts\":"sv);
  out.append_int(seconds);
  out.append('.');
  out.append_uint_padded(static_cast<std::uint64_t>(ns), 9);
  if (worker >= 0) {
    key(out, "worker"sv);
    out.append_int(worker);
  }
  key(out, "caplen"sv);
  out.append_uint(packet.caplen());
  key(out, "len"sv);
  out.append_uint(packet.wire_length);
  key(out, "linktype"sv);
  out.append('"');
  const std::string_view lt = link_type_name(packet.link_type);
  if (lt.empty()) {
    out.append("LINKTYPE_"sv);
    out.append_uint(packet.link_type);
  } else {
    out.append(lt);
  }
  out.append('"');
  cooked_header(out, packet, s);
  if (s.source_mac) {
    key(out, "src_mac"sv);
    mac(out, s.source_mac);
    key(out, "dst_mac"sv);
    mac(out, s.destination_mac);
  }
  if (s.vlan_count) {
    key(out, "vlan"sv);
    out.append('[');
    for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
      if (i) out.append(',');
      out.append_uint(s.vlans[i].id());
    }
    out.append(']');
  }
  if (s.ethertype) {
    key(out, "ethertype"sv);
    out.append_uint(s.ethertype);
  }
  const bool v6 = s.network == Network::ipv6;
  if ((s.network == Network::ipv4 || v6) && s.source_ip) {
    key(out, "src"sv);
    address(out, s, s.source_ip, v6);
    key(out, "dst"sv);
    address(out, s, s.destination_ip, v6);
    key(out, "ttl"sv);
    out.append_uint(s.ttl);
    key(out, "proto"sv);
    const std::string_view name = protocol_name(s.protocol);
    if (name.empty()) {
      out.append_uint(s.protocol);
    } else {
      out.append('"');
      out.append(name);
      out.append('"');
    }
    if (s.later_fragment || s.more_fragments) {
      key(out, "frag_offset"sv);
      out.append_uint(s.fragment_offset);
    }
  } else if (s.network == Network::arp && s.arp_sender_ip && s.arp_protocol_length == 4) {
    key(out, "proto"sv);
    out.append("\"arp\""sv);
    key(out, "arp_op"sv);
    out.append_uint(s.arp_op);
    key(out, "src"sv);
    address(out, s, s.arp_sender_ip, false);
    key(out, "dst"sv);
    address(out, s, s.arp_target_ip, false);
  }
  if (s.has_ports) {
    key(out, "sport"sv);
    out.append_uint(s.source_port);
    key(out, "dport"sv);
    out.append_uint(s.destination_port);
  }
  if (s.protocol == 6 && s.tcp_header_length >= 20 && s.truncated != Layer::tcp) {
    key(out, "tcp_flags"sv);
    out.append('"');
    static constexpr char kFlags[] = "FSRP.UEW";
    if (s.tcp_flags == 0) out.append("none"sv);  // tcpdump's word for no flags
    for (int i = 0; i < 8; ++i)
      if (s.tcp_flags & (1 << i)) out.append(kFlags[i]);
    out.append('"');
    key(out, "seq"sv);
    out.append_uint(s.seq);
    key(out, "ack"sv);
    out.append_uint(s.ack);
    key(out, "win"sv);
    out.append_uint(s.window);
  }
  if (s.has_icmp) {
    key(out, "icmp_type"sv);
    out.append_uint(s.icmp_type);
    key(out, "icmp_code"sv);
    out.append_uint(s.icmp_code);
  }
  if ((s.protocol == 6 || s.protocol == 17) && s.has_ports && s.truncated == Layer::none) {
    key(out, "payload_len"sv);
    out.append_uint(s.payload_length);
  }
  detail::append_dns_json(out, packet, s);
  detail::append_json_tunnel(out, packet, s);
  if (s.protocol == 17 && s.has_ports && s.truncated == Layer::none) {  // UDP dissectors
    const detail::PayloadPrinter dissect =
        detail::udp_payload_printer(s.source_port, s.destination_port);
    const std::uint32_t at = s.transport_offset + 8;
    if (dissect == detail::print_bootp) detail::append_dhcp_json(out, packet, at, s.payload_length);
    if (dissect == detail::print_dhcp6) detail::append_dhcp6_json(out, packet, at, s.payload_length);
  }
  if (s.truncated != Layer::none) {
    key(out, "truncated"sv);
    out.append('"');
    out.append(layer_name(s.truncated));
    out.append('"');
  }
  out.append("}\n"sv);
}

}  // namespace slimcap
