#include "frame_builder.hpp"

#include <cstring>

#include <arpa/inet.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace slimcap::test {
namespace {

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  put16(b, at, static_cast<std::uint16_t>(v >> 16));
  put16(b, at + 2, static_cast<std::uint16_t>(v));
}
void push16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
// resize + memcpy rather than insert(): GCC 12 at -O3 warns falsely about insert()'s copy.
void append(Bytes& b, std::span<const std::uint8_t> s) {
  if (s.empty()) return;
  const std::size_t at = b.size();
  b.resize(at + s.size());
  std::memcpy(b.data() + at, s.data(), s.size());
}

std::uint32_t partial_sum(std::span<const std::uint8_t> data, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i] << 8);
  return sum;
}

// Offset of the checksum field inside a transport header, or -1 for none we fill.
int checksum_offset(std::uint8_t protocol) {
  switch (protocol) {
    case ip_proto::kTcp: return 16;
    case ip_proto::kUdp: return 6;
    case ip_proto::kIcmp:
    case ip_proto::kIcmpv6: return 2;
    default: return -1;
  }
}

void fill_transport_checksum(Bytes& packet, std::size_t l4_offset, std::uint8_t protocol,
                             std::uint32_t pseudo_sum) {
  const int at = checksum_offset(protocol);
  if (at < 0 || packet.size() < l4_offset + static_cast<std::size_t>(at) + 2) return;
  put16(packet, l4_offset + static_cast<std::size_t>(at), 0);
  const std::span<const std::uint8_t> l4(packet.data() + l4_offset, packet.size() - l4_offset);
  std::uint16_t sum = internet_checksum(l4, pseudo_sum);
  if (protocol == ip_proto::kUdp && sum == 0) sum = 0xffff;
  put16(packet, l4_offset + static_cast<std::size_t>(at), sum);
}

Bytes payload_bytes(std::size_t size) {
  Bytes b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>('a' + i % 26);
  return b;
}

}  // namespace

Mac mac(std::string_view text) {
  Mac m{};
  unsigned v[6];
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
    throw std::invalid_argument("bad MAC " + s);
  for (int i = 0; i < 6; ++i) m[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v[i]);
  return m;
}

Ipv4 ipv4(std::string_view text) {
  Ipv4 a{};
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), a.data()) != 1) throw std::invalid_argument("bad IPv4 " + s);
  return a;
}

Ipv6 ipv6(std::string_view text) {
  Ipv6 a{};
  const std::string s(text);
  if (inet_pton(AF_INET6, s.c_str(), a.data()) != 1) throw std::invalid_argument("bad IPv6 " + s);
  return a;
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t sum) {
  sum = partial_sum(data, sum);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

Bytes tcp_segment(const TcpSpec& spec, std::span<const std::uint8_t> payload) {
  Bytes options = spec.options;
  while (options.size() % 4 != 0) options.push_back(1);  // NOP
  Bytes b(20);
  put16(b, 0, spec.source_port);
  put16(b, 2, spec.destination_port);
  put32(b, 4, spec.seq);
  put32(b, 8, spec.ack);
  b[12] = static_cast<std::uint8_t>(((20 + options.size()) / 4) << 4);
  b[13] = spec.flags;
  put16(b, 14, spec.window);
  put16(b, 18, spec.urgent);
  append(b, options);
  append(b, payload);
  return b;
}

Bytes udp_datagram(std::uint16_t source_port, std::uint16_t destination_port,
                   std::span<const std::uint8_t> payload) {
  Bytes b(8);
  put16(b, 0, source_port);
  put16(b, 2, destination_port);
  put16(b, 4, static_cast<std::uint16_t>(8 + payload.size()));
  append(b, payload);
  return b;
}

Bytes icmp_message(std::uint8_t type, std::uint8_t code, std::uint32_t rest_of_header,
                   std::span<const std::uint8_t> body) {
  Bytes b(8);
  b[0] = type;
  b[1] = code;
  put32(b, 4, rest_of_header);
  append(b, body);
  // ICMPv4's checksum covers only the message; ipv4_packet fills it. ICMPv6 needs the
  // pseudo-header and is filled by ipv6_packet.
  return b;
}

Bytes ipv4_packet(const Ipv4Spec& spec, std::span<const std::uint8_t> payload) {
  Bytes options = spec.options;
  while (options.size() % 4 != 0) options.push_back(0);
  const std::size_t header_length = 20 + options.size();
  Bytes b(20);
  b[0] = static_cast<std::uint8_t>(0x40 | (header_length / 4));
  b[1] = spec.tos;
  put16(b, 2, static_cast<std::uint16_t>(header_length + payload.size()));
  put16(b, 4, spec.id);
  std::uint16_t fragment = spec.fragment_offset & 0x1fff;
  if (spec.dont_fragment) fragment |= 0x4000;
  if (spec.more_fragments) fragment |= 0x2000;
  put16(b, 6, fragment);
  b[8] = spec.ttl;
  b[9] = spec.protocol;
  std::copy(spec.source.begin(), spec.source.end(), b.begin() + 12);
  std::copy(spec.destination.begin(), spec.destination.end(), b.begin() + 16);
  append(b, options);
  put16(b, 10, internet_checksum(std::span(b.data(), header_length)));
  append(b, payload);
  const bool whole = spec.fragment_offset == 0 && !spec.more_fragments;
  if (whole) {
    std::uint32_t pseudo = 0;
    if (spec.protocol != ip_proto::kIcmp) {
      pseudo = partial_sum(spec.source, 0);
      pseudo = partial_sum(spec.destination, pseudo);
      pseudo += spec.protocol;
      pseudo += static_cast<std::uint32_t>(payload.size());
    }
    fill_transport_checksum(b, header_length, spec.protocol, pseudo);
  }
  return b;
}

Bytes ipv6_fragment_body(std::uint16_t offset, bool more, std::uint32_t identification) {
  Bytes b(6);
  put16(b, 0, static_cast<std::uint16_t>((offset << 3) | (more ? 1 : 0)));
  put32(b, 2, identification);
  return b;
}

Bytes ipv6_packet(const Ipv6Spec& spec, std::span<const std::uint8_t> payload) {
  Bytes b(40);
  put32(b, 0, (6u << 28) | (static_cast<std::uint32_t>(spec.traffic_class) << 20) |
                  (spec.flow_label & 0xfffff));
  b[6] = spec.extensions.empty() ? spec.next_header : spec.extensions.front().type;
  b[7] = spec.hop_limit;
  std::copy(spec.source.begin(), spec.source.end(), b.begin() + 8);
  std::copy(spec.destination.begin(), spec.destination.end(), b.begin() + 24);
  bool fragmented = false;
  for (std::size_t i = 0; i < spec.extensions.size(); ++i) {
    const Ipv6Extension& ext = spec.extensions[i];
    const std::uint8_t next =
        i + 1 < spec.extensions.size() ? spec.extensions[i + 1].type : spec.next_header;
    Bytes body = ext.body;
    if (ext.type == ip_proto::kIpv6Frag) {
      fragmented = true;
      body.resize(6);
      b.push_back(next);
      b.push_back(0);
    } else {
      while ((body.size() + 2) % 8 != 0) body.push_back(0);  // PadN would be nicer; zeros are Pad1
      b.push_back(next);
      b.push_back(static_cast<std::uint8_t>((body.size() + 2) / 8 - 1));
    }
    append(b, body);
  }
  const std::size_t l4_offset = b.size();
  append(b, payload);
  put16(b, 4, static_cast<std::uint16_t>(b.size() - 40));
  if (!fragmented) {
    std::uint32_t pseudo = partial_sum(spec.source, 0);
    pseudo = partial_sum(spec.checksum_destination.value_or(spec.destination), pseudo);
    pseudo += static_cast<std::uint32_t>(payload.size());
    pseudo += spec.next_header;
    fill_transport_checksum(b, l4_offset, spec.next_header, pseudo);
  }
  return b;
}

Bytes ethernet_frame(const EthernetSpec& spec, std::span<const std::uint8_t> payload) {
  Bytes b;
  b.reserve(18 + 4 * spec.vlans.size() + payload.size());
  b.insert(b.end(), spec.destination.begin(), spec.destination.end());
  b.insert(b.end(), spec.source.begin(), spec.source.end());
  for (const VlanTag& tag : spec.vlans) {
    push16(b, tag.tpid);
    push16(b, static_cast<std::uint16_t>((tag.priority << 13) | (tag.dei ? 0x1000 : 0) |
                                         (tag.vid & 0xfff)));
  }
  push16(b, spec.ethertype);
  append(b, payload);
  if (spec.pad && b.size() < 60) b.resize(60, 0);
  return b;
}

Bytes arp_packet(std::uint16_t op, const Mac& sender_mac, const Ipv4& sender_ip,
                 const Mac& target_mac, const Ipv4& target_ip) {
  Bytes b;
  push16(b, 1);       // hardware: Ethernet
  push16(b, 0x0800);  // protocol: IPv4
  b.push_back(6);
  b.push_back(4);
  push16(b, op);
  append(b, sender_mac);
  append(b, sender_ip);
  append(b, target_mac);
  append(b, target_ip);
  return b;
}

Bytes tcp4_frame(const Ipv4Spec& ip, const TcpSpec& tcp, std::size_t payload_size) {
  Ipv4Spec spec = ip;
  spec.protocol = ip_proto::kTcp;
  return ethernet_frame({}, ipv4_packet(spec, tcp_segment(tcp, payload_bytes(payload_size))));
}

Bytes udp4_frame(const Ipv4Spec& ip, std::uint16_t sport, std::uint16_t dport,
                 std::size_t payload_size) {
  Ipv4Spec spec = ip;
  spec.protocol = ip_proto::kUdp;
  return ethernet_frame({}, ipv4_packet(spec, udp_datagram(sport, dport, payload_bytes(payload_size))));
}

Bytes icmp4_echo_frame(const Ipv4Spec& ip, bool reply, std::uint16_t id, std::uint16_t seq,
                       std::size_t payload_size) {
  Ipv4Spec spec = ip;
  spec.protocol = ip_proto::kIcmp;
  const Bytes icmp = icmp_message(reply ? 0 : 8, 0, static_cast<std::uint32_t>(id) << 16 | seq,
                                  payload_bytes(payload_size));
  return ethernet_frame({}, ipv4_packet(spec, icmp));
}

Bytes tcp6_frame(const Ipv6Spec& ip, const TcpSpec& tcp, std::size_t payload_size) {
  Ipv6Spec spec = ip;
  spec.next_header = ip_proto::kTcp;
  EthernetSpec eth;
  eth.ethertype = 0x86dd;
  return ethernet_frame(eth, ipv6_packet(spec, tcp_segment(tcp, payload_bytes(payload_size))));
}

Bytes udp6_frame(const Ipv6Spec& ip, std::uint16_t sport, std::uint16_t dport,
                 std::size_t payload_size) {
  Ipv6Spec spec = ip;
  spec.next_header = ip_proto::kUdp;
  EthernetSpec eth;
  eth.ethertype = 0x86dd;
  return ethernet_frame(eth, ipv6_packet(spec, udp_datagram(sport, dport, payload_bytes(payload_size))));
}

// --- DNS (family "dns") ------------------------------------------------------------------

namespace {

// The labels of a dotted name ("" and "." are the root: none).
std::vector<std::string> dns_labels(std::string_view name) {
  std::vector<std::string> labels;
  while (!name.empty() && name != ".") {
    const std::size_t dot = name.find('.');
    labels.emplace_back(name.substr(0, dot));
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return labels;
}

// Writes names into a message, remembering where each suffix starts for compression.
struct DnsNameWriter {
  bool compress;
  std::vector<std::pair<std::string, std::size_t>> suffixes;  // "a.b" -> offset

  void write(Bytes& b, std::string_view name) {
    const std::vector<std::string> labels = dns_labels(name);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      std::string suffix;
      for (std::size_t j = i; j < labels.size(); ++j) suffix += labels[j] + ".";
      if (compress) {
        for (const auto& [known, offset] : suffixes) {
          if (known == suffix) {
            push16(b, static_cast<std::uint16_t>(0xc000 | offset));
            return;
          }
        }
        if (b.size() < 0x4000) suffixes.emplace_back(suffix, b.size());
      }
      if (labels[i].size() > 63) throw std::invalid_argument("DNS label over 63 bytes");
      b.push_back(static_cast<std::uint8_t>(labels[i].size()));
      append(b, std::span(reinterpret_cast<const std::uint8_t*>(labels[i].data()),
                          labels[i].size()));
    }
    b.push_back(0);
  }
};

}  // namespace

Bytes dns_name(std::string_view name) {
  Bytes b;
  DnsNameWriter{false, {}}.write(b, name);
  return b;
}

Bytes dns_pointer(std::uint16_t offset) {
  Bytes b;
  push16(b, static_cast<std::uint16_t>(0xc000 | offset));
  return b;
}

Bytes dns_message(const DnsMessage& m) {
  Bytes b(12, 0);
  put16(b, 0, m.id);
  put16(b, 2, m.flags);
  const std::array<std::uint16_t, 4> counts =
      m.counts ? *m.counts
               : std::array<std::uint16_t, 4>{static_cast<std::uint16_t>(m.questions.size()),
                                              static_cast<std::uint16_t>(m.answers.size()),
                                              static_cast<std::uint16_t>(m.authority.size()),
                                              static_cast<std::uint16_t>(m.additional.size())};
  for (std::size_t i = 0; i < 4; ++i) put16(b, 4 + 2 * i, counts[i]);
  DnsNameWriter names{m.compress, {}};
  for (const DnsQuestion& q : m.questions) {
    if (q.raw_name.empty())
      names.write(b, q.name);
    else
      append(b, q.raw_name);
    push16(b, q.type);
    push16(b, q.klass);
  }
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const DnsRecord& r : *section) {
      if (r.raw_name.empty())
        names.write(b, r.name);
      else
        append(b, r.raw_name);
      push16(b, r.type);
      push16(b, r.klass);
      push16(b, static_cast<std::uint16_t>(r.ttl >> 16));
      push16(b, static_cast<std::uint16_t>(r.ttl));
      push16(b, static_cast<std::uint16_t>(r.rdata.size()));
      append(b, r.rdata);
    }
  }
  return b;
}

Bytes dns_rdata_a(std::string_view address) {
  const Ipv4 a = ipv4(address);
  return Bytes(a.begin(), a.end());
}

Bytes dns_rdata_aaaa(std::string_view address) {
  const Ipv6 a = ipv6(address);
  return Bytes(a.begin(), a.end());
}

Bytes dns_rdata_mx(std::uint16_t preference, std::string_view exchange) {
  Bytes b;
  push16(b, preference);
  append(b, dns_name(exchange));
  return b;
}

Bytes dns_rdata_srv(std::uint16_t priority, std::uint16_t weight, std::uint16_t port,
                    std::string_view target) {
  Bytes b;
  push16(b, priority);
  push16(b, weight);
  push16(b, port);
  append(b, dns_name(target));
  return b;
}

Bytes dns_rdata_soa(std::string_view mname, std::string_view rname, std::uint32_t serial,
                    std::uint32_t refresh, std::uint32_t retry, std::uint32_t expire,
                    std::uint32_t minimum) {
  Bytes b = dns_name(mname);
  append(b, dns_name(rname));
  for (const std::uint32_t v : {serial, refresh, retry, expire, minimum}) {
    push16(b, static_cast<std::uint16_t>(v >> 16));
    push16(b, static_cast<std::uint16_t>(v));
  }
  return b;
}

Bytes dns_rdata_txt(const std::vector<std::string>& strings) {
  Bytes b;
  for (const std::string& s : strings) {
    b.push_back(static_cast<std::uint8_t>(s.size()));
    append(b, std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  return b;
}

Bytes dns_edns_option(std::uint16_t code, std::span<const std::uint8_t> data) {
  Bytes b;
  push16(b, code);
  push16(b, static_cast<std::uint16_t>(data.size()));
  append(b, data);
  return b;
}

Bytes dns_tcp_payload(std::span<const std::uint8_t> message) {
  Bytes b;
  push16(b, static_cast<std::uint16_t>(message.size()));
  append(b, message);
  return b;
}

Bytes dns_udp4_frame(std::uint16_t sport, std::uint16_t dport,
                     std::span<const std::uint8_t> payload) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(sport, dport, payload)));
}

Bytes dns_tcp4_frame(std::uint16_t sport, std::uint16_t dport,
                     std::span<const std::uint8_t> payload) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kTcp;
  TcpSpec tcp;
  tcp.source_port = sport;
  tcp.destination_port = dport;
  tcp.flags = tcp_flag::kPsh | tcp_flag::kAck;
  tcp.ack = 77;
  return ethernet_frame({}, ipv4_packet(ip, tcp_segment(tcp, payload)));
}

Bytes dns_udp6_frame(std::uint16_t sport, std::uint16_t dport,
                     std::span<const std::uint8_t> payload) {
  Ipv6Spec ip;
  ip.next_header = ip_proto::kUdp;
  EthernetSpec eth;
  eth.ethertype = 0x86dd;
  return ethernet_frame(eth, ipv6_packet(ip, udp_datagram(sport, dport, payload)));
}

// --- tunnels (lib/src/print_tunnel.cpp, print_mpls.cpp, print_pppoe.cpp) -------------------------

namespace {
void push32(Bytes& b, std::uint32_t v) {
  push16(b, static_cast<std::uint16_t>(v >> 16));
  push16(b, static_cast<std::uint16_t>(v));
}
}  // namespace

Bytes gre_packet(const GreSpec& spec, std::span<const std::uint8_t> payload) {
  std::uint16_t flags = spec.version & 7u;
  if (spec.checksum) flags |= 0x8000;
  if (spec.key) flags |= 0x2000;
  if (spec.sequence) flags |= 0x1000;
  if (spec.ack) flags |= 0x0080;
  Bytes b;
  push16(b, flags);
  push16(b, spec.protocol);
  const std::size_t checksum_at = b.size();
  if (spec.checksum) push32(b, 0);
  if (spec.key) {
    if (spec.version == 1)
      push32(b, static_cast<std::uint32_t>(payload.size()) << 16 | (*spec.key & 0xffff));
    else
      push32(b, *spec.key);
  }
  if (spec.sequence) push32(b, *spec.sequence);
  if (spec.ack) push32(b, *spec.ack);
  append(b, payload);
  if (spec.checksum) put16(b, checksum_at, internet_checksum(b));
  return b;
}

Bytes vxlan_packet(std::uint32_t vni, std::span<const std::uint8_t> inner_frame) {
  Bytes b;
  push32(b, 0x08000000);
  push32(b, vni << 8);
  append(b, inner_frame);
  return b;
}

Bytes geneve_packet(std::uint32_t vni, std::uint16_t protocol, std::span<const std::uint8_t> inner,
                    std::span<const std::uint8_t> options) {
  Bytes b;
  b.push_back(static_cast<std::uint8_t>(options.size() / 4));
  b.push_back(0);
  push16(b, protocol);
  push32(b, vni << 8);
  append(b, options);
  append(b, inner);
  return b;
}

Bytes mpls_stack(const std::vector<MplsLabel>& labels, std::span<const std::uint8_t> payload) {
  Bytes b;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const MplsLabel& l = labels[i];
    push32(b, (l.label & 0xfffff) << 12 | (l.tc & 7u) << 9 |
                  (i + 1 == labels.size() ? 0x100u : 0u) | l.ttl);
  }
  append(b, payload);
  return b;
}

Bytes pppoe_packet(std::uint8_t code, std::uint16_t session, std::span<const std::uint8_t> payload) {
  Bytes b;
  b.push_back(0x11);
  b.push_back(code);
  push16(b, session);
  push16(b, static_cast<std::uint16_t>(payload.size()));
  append(b, payload);
  return b;
}

Bytes pppoe_tag(std::uint16_t type, std::span<const std::uint8_t> value) {
  Bytes b;
  push16(b, type);
  push16(b, static_cast<std::uint16_t>(value.size()));
  append(b, value);
  return b;
}

Bytes vxlan_frame(const Ipv4Spec& outer, std::uint16_t source_port, std::uint32_t vni,
                  std::span<const std::uint8_t> inner_frame) {
  Ipv4Spec ip = outer;
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame(
      {}, ipv4_packet(ip, udp_datagram(source_port, 4789, vxlan_packet(vni, inner_frame))));
}

Bytes gre_frame(const Ipv4Spec& outer, const GreSpec& gre, std::span<const std::uint8_t> inner) {
  Ipv4Spec ip = outer;
  ip.protocol = 47;
  return ethernet_frame({}, ipv4_packet(ip, gre_packet(gre, inner)));
}

Bytes mpls_frame(const std::vector<MplsLabel>& labels, std::span<const std::uint8_t> payload) {
  EthernetSpec eth;
  eth.ethertype = 0x8847;
  return ethernet_frame(eth, mpls_stack(labels, payload));
}

Bytes pppoe_session_frame(std::uint16_t session, std::uint16_t ppp_protocol,
                          std::span<const std::uint8_t> payload) {
  Bytes ppp;
  push16(ppp, ppp_protocol);
  append(ppp, payload);
  EthernetSpec eth;
  eth.ethertype = 0x8864;
  return ethernet_frame(eth, pppoe_packet(0, session, ppp));
}

Bytes pppoe_discovery_frame(std::uint8_t code, std::uint16_t session,
                            std::span<const std::uint8_t> tags) {
  EthernetSpec eth;
  eth.ethertype = 0x8863;
  return ethernet_frame(eth, pppoe_packet(code, session, tags));
}

// --- layer-2 control: LLC/SNAP, STP, LLDP, CDP --------------------------------------------------

Bytes ieee8023_frame(std::span<const std::uint8_t> payload, std::uint16_t length_field,
                     const std::vector<VlanTag>& vlans, const Mac& destination) {
  EthernetSpec e;
  e.destination = destination;
  e.source = mac("00:11:22:33:44:55");
  e.vlans = vlans;
  e.ethertype = length_field ? length_field : static_cast<std::uint16_t>(payload.size());
  return ethernet_frame(e, payload);
}

Bytes llc_header(std::uint8_t dsap, std::uint8_t ssap, std::uint16_t control,
                 bool two_byte_control) {
  Bytes b{dsap, ssap, static_cast<std::uint8_t>(control)};
  if (two_byte_control) b.push_back(static_cast<std::uint8_t>(control >> 8));
  return b;
}

Bytes snap_header(std::uint32_t oui, std::uint16_t pid) {
  Bytes b{0xaa, 0xaa, 0x03, static_cast<std::uint8_t>(oui >> 16),
          static_cast<std::uint8_t>(oui >> 8), static_cast<std::uint8_t>(oui)};
  push16(b, pid);
  return b;
}

Bytes stp_bpdu(const StpSpec& spec, std::span<const std::uint8_t> extra) {
  Bytes b;
  push16(b, 0);
  b.push_back(spec.version);
  b.push_back(spec.type);
  if (spec.type == 0x80) return b;
  b.push_back(spec.flags);
  append(b, spec.root);
  push16(b, static_cast<std::uint16_t>(spec.root_path_cost >> 16));
  push16(b, static_cast<std::uint16_t>(spec.root_path_cost));
  append(b, spec.bridge);
  push16(b, spec.port);
  push16(b, spec.message_age);
  push16(b, spec.max_age);
  push16(b, spec.hello);
  push16(b, spec.forward_delay);
  if (spec.version >= 2) b.push_back(0);  // version 1 length
  append(b, extra);
  return b;
}

Bytes lldp_tlv(unsigned type, std::span<const std::uint8_t> value) {
  Bytes b;
  push16(b, static_cast<std::uint16_t>(type << 9 | (value.size() & 0x1ff)));
  append(b, value);
  return b;
}

Bytes cdp_tlv(std::uint16_t type, std::span<const std::uint8_t> value) {
  Bytes b;
  push16(b, type);
  push16(b, static_cast<std::uint16_t>(value.size() + 4));
  append(b, value);
  return b;
}

// --- DHCP (print_bootp.cpp, print_dhcp6.cpp) ---------------------------------------------------
Bytes bootp_message(const BootpSpec& spec) {
  Bytes b(236, 0);
  b[0] = spec.op;
  b[1] = spec.htype;
  b[2] = spec.hlen;
  b[3] = spec.hops;
  for (int i = 0; i < 4; ++i) b[4 + i] = static_cast<std::uint8_t>(spec.xid >> (24 - 8 * i));
  b[8] = static_cast<std::uint8_t>(spec.secs >> 8);
  b[9] = static_cast<std::uint8_t>(spec.secs);
  b[10] = static_cast<std::uint8_t>(spec.flags >> 8);
  b[11] = static_cast<std::uint8_t>(spec.flags);
  const Ipv4* addresses[] = {&spec.ciaddr, &spec.yiaddr, &spec.siaddr, &spec.giaddr};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) b[12 + 4 * i + j] = (*addresses[i])[j];
  for (int i = 0; i < 6; ++i) b[28 + i] = spec.chaddr[i];
  for (std::size_t i = 0; i < spec.sname.size() && i < 64; ++i) b[44 + i] = spec.sname[i];
  for (std::size_t i = 0; i < spec.file.size() && i < 128; ++i) b[108 + i] = spec.file[i];
  b.insert(b.end(), spec.vendor.begin(), spec.vendor.end());
  return b;
}

Bytes dhcp_options(const std::vector<DhcpOption>& options, bool end) {
  Bytes b{99, 130, 83, 99};
  for (const DhcpOption& o : options) {
    b.push_back(o.tag);
    if (o.tag == 0 || o.tag == 255) continue;
    b.push_back(static_cast<std::uint8_t>(o.value.size()));
    b.insert(b.end(), o.value.begin(), o.value.end());
  }
  if (end) b.push_back(255);
  return b;
}

Bytes dhcp4_frame(const BootpSpec& spec) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  ip.dont_fragment = false;
  const bool request = spec.op != 2;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(request ? 68 : 67, request ? 67 : 68,
                                                         bootp_message(spec))));
}

Bytes dhcp6_option(const Dhcp6Option& option) {
  const std::size_t n = option.value.size();
  Bytes b{static_cast<std::uint8_t>(option.code >> 8), static_cast<std::uint8_t>(option.code),
          static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
  b.insert(b.end(), option.value.begin(), option.value.end());
  return b;
}

Bytes dhcp6_message(std::uint8_t type, std::uint32_t xid, const std::vector<Dhcp6Option>& options) {
  Bytes b{type, static_cast<std::uint8_t>(xid >> 16), static_cast<std::uint8_t>(xid >> 8),
          static_cast<std::uint8_t>(xid)};
  for (const Dhcp6Option& o : options) {
    const Bytes one = dhcp6_option(o);
    b.insert(b.end(), one.begin(), one.end());
  }
  return b;
}

Bytes dhcp6_relay(std::uint8_t type, std::uint8_t hops, const Ipv6& link, const Ipv6& peer,
                  const std::vector<Dhcp6Option>& options) {
  Bytes b{type, hops};
  b.insert(b.end(), link.begin(), link.end());
  b.insert(b.end(), peer.begin(), peer.end());
  for (const Dhcp6Option& o : options) {
    const Bytes one = dhcp6_option(o);
    b.insert(b.end(), one.begin(), one.end());
  }
  return b;
}

Bytes dhcp6_frame(std::span<const std::uint8_t> message, bool to_server) {
  Ipv6Spec ip;
  ip.source = ipv6("fe80::1");
  ip.destination = to_server ? ipv6("ff02::1:2") : ipv6("fe80::2");
  ip.next_header = ip_proto::kUdp;
  EthernetSpec eth;
  eth.ethertype = 0x86dd;
  return ethernet_frame(eth, ipv6_packet(ip, udp_datagram(to_server ? 546 : 547,
                                                          to_server ? 547 : 546, message)));
}

// --- transport and security ------------------------------------------------------------------

Bytes esp_packet(std::uint32_t spi, std::uint32_t seq, std::span<const std::uint8_t> body) {
  Bytes b;
  for (int i = 24; i >= 0; i -= 8) b.push_back(static_cast<std::uint8_t>(spi >> i));
  for (int i = 24; i >= 0; i -= 8) b.push_back(static_cast<std::uint8_t>(seq >> i));
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

Bytes ah_packet(std::uint8_t next_header, std::uint32_t spi, std::uint32_t seq,
                std::span<const std::uint8_t> icv, std::span<const std::uint8_t> next) {
  Bytes b{next_header, static_cast<std::uint8_t>((12 + icv.size()) / 4 - 2), 0, 0};
  for (int i = 24; i >= 0; i -= 8) b.push_back(static_cast<std::uint8_t>(spi >> i));
  for (int i = 24; i >= 0; i -= 8) b.push_back(static_cast<std::uint8_t>(seq >> i));
  b.insert(b.end(), icv.begin(), icv.end());
  b.insert(b.end(), next.begin(), next.end());
  return b;
}

Bytes ip4_frame_of(std::uint8_t protocol, std::span<const std::uint8_t> payload) {
  Ipv4Spec ip;
  ip.protocol = protocol;
  return ethernet_frame({}, ipv4_packet(ip, payload));
}

Bytes ip6_frame_of(std::uint8_t protocol, std::span<const std::uint8_t> payload) {
  Ipv6Spec ip;
  ip.next_header = protocol;
  EthernetSpec eth;
  eth.ethertype = 0x86dd;
  return ethernet_frame(eth, ipv6_packet(ip, payload));
}

Bytes sctp_chunk(std::uint8_t type, std::uint8_t flags, std::span<const std::uint8_t> body) {
  const std::size_t length = 4 + body.size();
  Bytes b{type, flags, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  b.insert(b.end(), body.begin(), body.end());
  while (b.size() % 4 != 0) b.push_back(0);
  return b;
}

Bytes sctp_packet(std::uint16_t source_port, std::uint16_t destination_port,
                  std::uint32_t verification_tag, std::span<const Bytes> chunks) {
  Bytes b{static_cast<std::uint8_t>(source_port >> 8), static_cast<std::uint8_t>(source_port),
          static_cast<std::uint8_t>(destination_port >> 8),
          static_cast<std::uint8_t>(destination_port)};
  for (int i = 24; i >= 0; i -= 8) b.push_back(static_cast<std::uint8_t>(verification_tag >> i));
  b.insert(b.end(), 4, 0);
  for (const Bytes& chunk : chunks) b.insert(b.end(), chunk.begin(), chunk.end());
  return b;
}

// --- routing and first-hop protocols (IGMP, VRRP, BFD, PIM, OSPF, BGP, Babel) -------------------

Bytes with_checksum(Bytes message, std::size_t field, std::uint32_t pseudo) {
  put16(message, field, 0);
  put16(message, field, internet_checksum(message, pseudo));
  return message;
}

Bytes routing_frame(std::uint8_t protocol, std::span<const std::uint8_t> payload, const Ipv4& source,
                    const Ipv4& destination, std::uint8_t ttl, bool router_alert) {
  Ipv4Spec ip;
  ip.protocol = protocol;
  ip.source = source;
  ip.destination = destination;
  ip.ttl = ttl;
  ip.tos = 0xc0;
  ip.dont_fragment = false;
  if (router_alert) ip.options = {148, 4, 0, 0};
  EthernetSpec e;
  if ((destination[0] & 0xf0) == 0xe0)
    e.destination = {0x01, 0x00, 0x5e, static_cast<std::uint8_t>(destination[1] & 0x7f),
                     destination[2], destination[3]};
  return ethernet_frame(e, ipv4_packet(ip, payload));
}

Bytes igmp_message(std::uint8_t type, std::uint8_t code, const Ipv4& group,
                   std::span<const std::uint8_t> rest) {
  Bytes b{type, code, 0, 0};
  append(b, group);
  append(b, rest);
  return with_checksum(std::move(b), 2);
}

Bytes igmp_v3_query(std::uint8_t max_response_code, const Ipv4& group,
                    const std::vector<Ipv4>& sources) {
  Bytes rest{0x02, 125, 0, 0};  // S=0 QRV=2, QQIC 125
  put16(rest, 2, static_cast<std::uint16_t>(sources.size()));
  for (const Ipv4& s : sources) append(rest, s);
  return igmp_message(0x11, max_response_code, group, rest);
}

Bytes igmp_v3_report(const std::vector<IgmpGroupRecord>& records) {
  Bytes b{0x22, 0, 0, 0, 0, 0, 0, 0};
  put16(b, 6, static_cast<std::uint16_t>(records.size()));
  for (const IgmpGroupRecord& r : records) {
    Bytes record{r.type, 0, 0, 0};
    put16(record, 2, static_cast<std::uint16_t>(r.sources.size()));
    append(record, r.group);
    for (const Ipv4& s : r.sources) append(record, s);
    append(b, record);
  }
  return with_checksum(std::move(b), 2);
}

Bytes vrrp_message(const VrrpSpec& spec, const Ipv4& source, const Ipv4& destination) {
  Bytes b{static_cast<std::uint8_t>(spec.version << 4 | spec.type), spec.vrid, spec.priority,
          static_cast<std::uint8_t>(spec.addresses.size()), 0, 0, 0, 0};
  if (spec.version == 3) {
    put16(b, 4, spec.interval & 0x0fff);
  } else {
    b[4] = spec.auth_type;
    b[5] = static_cast<std::uint8_t>(spec.interval);
  }
  for (const Ipv4& a : spec.addresses) append(b, a);
  if (spec.version == 2) {
    Bytes auth(8, 0);
    std::copy(spec.password.begin(), spec.password.begin() + std::min<std::size_t>(8, spec.password.size()),
              auth.begin());
    append(b, auth);
  }
  std::uint32_t pseudo = 0;
  if (spec.version == 3) {
    pseudo = partial_sum(source, 0);
    pseudo = partial_sum(destination, pseudo);
    pseudo += 112u + static_cast<std::uint32_t>(b.size());
  }
  return with_checksum(std::move(b), 6, pseudo);
}

Bytes bfd_control(const BfdSpec& spec) {
  Bytes b(24, 0);
  b[0] = static_cast<std::uint8_t>(spec.version << 5 | (spec.diagnostic & 0x1f));
  b[1] = spec.flags;
  b[2] = spec.multiplier;
  b[3] = static_cast<std::uint8_t>(24 + spec.auth.size());
  put32(b, 4, spec.my_discriminator);
  put32(b, 8, spec.your_discriminator);
  put32(b, 12, spec.desired_min_tx);
  put32(b, 16, spec.required_min_rx);
  put32(b, 20, spec.required_min_echo);
  append(b, spec.auth);
  return b;
}

Bytes ospf_message(std::uint8_t type, const Ipv4& router, const Ipv4& area,
                   std::span<const std::uint8_t> body, std::uint16_t auth_type,
                   std::span<const std::uint8_t> auth, std::uint8_t version) {
  Bytes b{version, type, 0, 0};
  put16(b, 2, static_cast<std::uint16_t>(24 + body.size()));
  append(b, router);
  append(b, area);
  b.insert(b.end(), {0, 0, 0, 0});
  put16(b, 14, auth_type);
  append(b, body);
  b = with_checksum(std::move(b), 12);
  Bytes field(8, 0);
  std::copy(auth.begin(), auth.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(8, auth.size())),
            field.begin());
  b.insert(b.begin() + 16, field.begin(), field.end());
  return b;
}

Bytes ospf_lsa(std::uint8_t type, const Ipv4& id, const Ipv4& router,
               std::span<const std::uint8_t> body, std::uint8_t options, std::uint16_t age,
               std::uint32_t seq, std::uint16_t length) {
  Bytes b(20, 0);
  put16(b, 0, age);
  b[2] = options;
  b[3] = type;
  std::copy(id.begin(), id.end(), b.begin() + 4);
  std::copy(router.begin(), router.end(), b.begin() + 8);
  put32(b, 12, seq);
  put16(b, 18, length != 0 ? length : static_cast<std::uint16_t>(20 + body.size()));
  append(b, body);
  return b;
}

Bytes ospf6_message(std::uint8_t type, const Ipv4& router, const Ipv4& area,
                    std::span<const std::uint8_t> body, std::uint8_t instance,
                    std::uint8_t version) {
  Bytes b{version, type, 0, 0};
  put16(b, 2, static_cast<std::uint16_t>(16 + body.size()));
  append(b, router);
  append(b, area);
  b.insert(b.end(), {0, 0, instance, 0});
  append(b, body);
  return b;
}

Bytes ospf6_lsa(std::uint16_t type, const Ipv4& id, const Ipv4& router,
                std::span<const std::uint8_t> body, std::uint16_t age, std::uint32_t seq,
                std::uint16_t length) {
  Bytes b(20, 0);
  put16(b, 0, age);
  put16(b, 2, type);
  std::copy(id.begin(), id.end(), b.begin() + 4);
  std::copy(router.begin(), router.end(), b.begin() + 8);
  put32(b, 12, seq);
  put16(b, 18, length != 0 ? length : static_cast<std::uint16_t>(20 + body.size()));
  append(b, body);
  return b;
}

}  // namespace slimcap::test
