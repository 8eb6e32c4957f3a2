#include "frame_builder.hpp"

#include <cstring>

#include <arpa/inet.h>

#include <stdexcept>
#include <string>

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
