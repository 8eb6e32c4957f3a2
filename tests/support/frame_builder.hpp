#pragma once
// Builds real frames for tests, fuzz seeds and the benchmark generator: Ethernet (with stacked
// VLAN tags), ARP, IPv4 (options, fragments), IPv6 (extension headers), TCP, UDP, ICMP,
// ICMPv6, with correct lengths and checksums. Addresses are text ("192.0.2.1", "2001:db8::1",
// "02:00:00:00:00:01") parsed once; the benchmark generator uses the byte forms directly.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace slimcap::test {

using Bytes = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;
using Ipv4 = std::array<std::uint8_t, 4>;
using Ipv6 = std::array<std::uint8_t, 16>;

Mac mac(std::string_view text);
Ipv4 ipv4(std::string_view text);
Ipv6 ipv6(std::string_view text);

namespace ip_proto {
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kIpv6Route = 43;
inline constexpr std::uint8_t kIpv6Frag = 44;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kIpv6NoNext = 59;
inline constexpr std::uint8_t kIpv6HopByHop = 0;
inline constexpr std::uint8_t kIpv6DestOpts = 60;
}  // namespace ip_proto

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
inline constexpr std::uint8_t kUrg = 0x20;
inline constexpr std::uint8_t kEce = 0x40;
inline constexpr std::uint8_t kCwr = 0x80;
}  // namespace tcp_flag

struct TcpSpec {
  std::uint16_t source_port = 40000;
  std::uint16_t destination_port = 5001;
  std::uint32_t seq = 1000;
  std::uint32_t ack = 0;
  std::uint8_t flags = tcp_flag::kAck;
  std::uint16_t window = 502;
  std::uint16_t urgent = 0;
  Bytes options;  // raw option bytes, padded to 4 with NOPs (1) by the builder
};

// Transport headers with payload; checksum fields are left 0 and filled by ipv4_packet /
// ipv6_packet, which know the pseudo-header.
Bytes tcp_segment(const TcpSpec& spec, std::span<const std::uint8_t> payload);
Bytes udp_datagram(std::uint16_t source_port, std::uint16_t destination_port,
                   std::span<const std::uint8_t> payload);
// ICMP / ICMPv6 message: type, code, then the 4 "rest of header" bytes (id and seq for
// echo), then the body.
Bytes icmp_message(std::uint8_t type, std::uint8_t code, std::uint32_t rest_of_header,
                   std::span<const std::uint8_t> body);

struct Ipv4Spec {
  Ipv4 source{192, 0, 2, 1};
  Ipv4 destination{198, 51, 100, 2};
  std::uint8_t protocol = ip_proto::kTcp;
  std::uint8_t ttl = 64;
  std::uint8_t tos = 0;
  std::uint16_t id = 1;
  bool dont_fragment = true;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  // in 8-byte units
  Bytes options;                       // raw, padded to 4 with zeros (end of list)
};
// IPv4 header + payload: total length, header checksum and (for an unfragmented TCP, UDP or
// ICMP payload) the transport checksum are computed.
Bytes ipv4_packet(const Ipv4Spec& spec, std::span<const std::uint8_t> payload);

struct Ipv6Extension {
  std::uint8_t type;  // ip_proto::kIpv6HopByHop, kIpv6DestOpts, kIpv6Route, kIpv6Frag
  Bytes body;         // bytes after next-header/length; hop-by-hop/dest/route padded to 8
};
struct Ipv6Spec {
  Ipv6 source = ipv6("2001:db8::1");
  Ipv6 destination = ipv6("2001:db8::2");
  std::uint8_t next_header = ip_proto::kTcp;  // of the payload (after the extensions)
  std::uint8_t hop_limit = 64;
  std::uint8_t traffic_class = 0;
  std::uint32_t flow_label = 0;
  std::vector<Ipv6Extension> extensions;
  // The transport checksum's pseudo-header destination: behind a routing header the final
  // one (RFC 8200 8.1); nullopt: `destination`.
  std::optional<Ipv6> checksum_destination;
};
// IPv6 header, extension chain and payload, with payload length and transport checksum.
Bytes ipv6_packet(const Ipv6Spec& spec, std::span<const std::uint8_t> payload);
// The 8-byte body of a fragment header (offset in 8-byte units, M flag, identification).
Bytes ipv6_fragment_body(std::uint16_t offset, bool more, std::uint32_t identification);

struct VlanTag {
  std::uint16_t tpid = 0x8100;  // 0x8100 802.1Q, 0x88a8 802.1ad
  std::uint16_t vid = 100;
  std::uint8_t priority = 0;
  bool dei = false;
};
struct EthernetSpec {
  Mac destination = mac("02:00:00:00:00:02");
  Mac source = mac("02:00:00:00:00:01");
  std::uint16_t ethertype = 0x0800;
  std::vector<VlanTag> vlans;  // outermost first
  bool pad = true;             // pad to the 60-byte minimum, as a NIC does
};
Bytes ethernet_frame(const EthernetSpec& spec, std::span<const std::uint8_t> payload);

// ARP for IPv4 over Ethernet: op 1 request, 2 reply.
Bytes arp_packet(std::uint16_t op, const Mac& sender_mac, const Ipv4& sender_ip,
                 const Mac& target_mac, const Ipv4& target_ip);

// Convenience: the common frames of tests in one call.
Bytes tcp4_frame(const Ipv4Spec& ip, const TcpSpec& tcp, std::size_t payload_size);
Bytes udp4_frame(const Ipv4Spec& ip, std::uint16_t sport, std::uint16_t dport,
                 std::size_t payload_size);
Bytes icmp4_echo_frame(const Ipv4Spec& ip, bool reply, std::uint16_t id, std::uint16_t seq,
                       std::size_t payload_size);
Bytes tcp6_frame(const Ipv6Spec& ip, const TcpSpec& tcp, std::size_t payload_size);
Bytes udp6_frame(const Ipv6Spec& ip, std::uint16_t sport, std::uint16_t dport,
                 std::size_t payload_size);

// The Internet checksum (RFC 1071) of `data`, starting from a partial sum.
std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t sum = 0);

// --- routing and first-hop protocols (IGMP, VRRP, BFD, PIM, OSPF, BGP, Babel) -------------------
// `message` with the Internet checksum of all of it, from the partial sum `pseudo`, at `field`.
Bytes with_checksum(Bytes message, std::size_t field, std::uint32_t pseudo = 0);
// An Ethernet frame of an IPv4 packet of `protocol` from `source` to `destination`, with TTL
// `ttl` and, when asked, the Router Alert option; a class D destination gets its multicast MAC.
Bytes routing_frame(std::uint8_t protocol, std::span<const std::uint8_t> payload, const Ipv4& source,
                    const Ipv4& destination, std::uint8_t ttl, bool router_alert);
// IGMP: an 8-byte message (type, max response / code, checksum, group) and what follows it.
Bytes igmp_message(std::uint8_t type, std::uint8_t code, const Ipv4& group,
                   std::span<const std::uint8_t> rest = {});
Bytes igmp_v3_query(std::uint8_t max_response_code, const Ipv4& group,
                    const std::vector<Ipv4>& sources);
struct IgmpGroupRecord {
  std::uint8_t type = 1;  // 1 is_in ... 6 block
  Ipv4 group{239, 1, 1, 1};
  std::vector<Ipv4> sources;
};
Bytes igmp_v3_report(const std::vector<IgmpGroupRecord>& records);
struct VrrpSpec {
  std::uint8_t version = 2;
  std::uint8_t type = 1;  // advertisement
  std::uint8_t vrid = 1;
  std::uint8_t priority = 100;
  std::uint8_t auth_type = 0;  // v2: 0 none, 1 simple text, 2 AH
  std::uint16_t interval = 1;  // v2: seconds; v3: centiseconds
  std::vector<Ipv4> addresses{{192, 0, 2, 254}};
  std::string_view password;  // v2 with auth_type 1: up to 8 bytes, zero-filled
};
// VRRP with its checksum (v3: over the IPv4 pseudo-header of source and destination).
Bytes vrrp_message(const VrrpSpec& spec, const Ipv4& source, const Ipv4& destination);
struct BfdSpec {
  std::uint8_t version = 1;
  std::uint8_t diagnostic = 0;
  std::uint8_t flags = 0xc0;  // v1: state in the top two bits (3 Up), then P F C A D M
  std::uint8_t multiplier = 3;
  std::uint32_t my_discriminator = 1;
  std::uint32_t your_discriminator = 2;
  std::uint32_t desired_min_tx = 300000;  // microseconds
  std::uint32_t required_min_rx = 300000;
  std::uint32_t required_min_echo = 0;
  Bytes auth;  // the authentication section (set the A flag, 0x04, with it)
};
Bytes bfd_control(const BfdSpec& spec);

// OSPFv2: the 24-byte header (length and checksum filled in) and `body`; `auth` is the 8-byte
// authentication field (zero-filled). An MD5 trailer goes after the message, outside its length.
Bytes ospf_message(std::uint8_t type, const Ipv4& router, const Ipv4& area,
                   std::span<const std::uint8_t> body, std::uint16_t auth_type = 0,
                   std::span<const std::uint8_t> auth = {}, std::uint8_t version = 2);
// An LSA: the 20-byte header (length filled in) and `body`; without a body, the header alone
// with the length of `length` (for Database Description and LS-Ack lists).
Bytes ospf_lsa(std::uint8_t type, const Ipv4& id, const Ipv4& router,
               std::span<const std::uint8_t> body, std::uint8_t options = 0x22,
               std::uint16_t age = 10, std::uint32_t seq = 0x80000001, std::uint16_t length = 0);

// OSPFv3: the 16-byte header (length filled in, checksum 0) and `body`.
Bytes ospf6_message(std::uint8_t type, const Ipv4& router, const Ipv4& area,
                    std::span<const std::uint8_t> body, std::uint8_t instance = 0,
                    std::uint8_t version = 3);
// An OSPFv3 LSA: the 20-byte header (type with its scope bits; length filled in unless given).
Bytes ospf6_lsa(std::uint16_t type, const Ipv4& id, const Ipv4& router,
                std::span<const std::uint8_t> body, std::uint16_t age = 10,
                std::uint32_t seq = 0x80000001, std::uint16_t length = 0);

}  // namespace slimcap::test
