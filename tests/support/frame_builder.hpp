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

}  // namespace slimcap::test

// --- transport and security (tests/unit/test_print_sec.cpp) -----------------------------------
namespace slimcap::test {
namespace ip_proto {
inline constexpr std::uint8_t kEsp = 50;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kSctp = 132;
}  // namespace ip_proto
// An ESP packet: SPI, sequence number, then `body` (the encrypted rest).
Bytes esp_packet(std::uint32_t spi, std::uint32_t seq, std::span<const std::uint8_t> body);
// An AH header protecting `next` (protocol `next_header`): `icv` is its integrity check value
// (a multiple of 4 bytes; the length field is (12 + icv) / 4 - 2).
Bytes ah_packet(std::uint8_t next_header, std::uint32_t spi, std::uint32_t seq,
                std::span<const std::uint8_t> icv, std::span<const std::uint8_t> next);
// An Ethernet frame of an IPv4 (or IPv6) packet of protocol `protocol` around `payload`.
Bytes ip4_frame_of(std::uint8_t protocol, std::span<const std::uint8_t> payload);
Bytes ip6_frame_of(std::uint8_t protocol, std::span<const std::uint8_t> payload);
// An SCTP chunk (type, flags, body; padded to 4 bytes, the length field without the padding)
// and an SCTP packet of chunks (checksum 0: tcpdump does not check it).
Bytes sctp_chunk(std::uint8_t type, std::uint8_t flags, std::span<const std::uint8_t> body);
Bytes sctp_packet(std::uint16_t source_port, std::uint16_t destination_port,
                  std::uint32_t verification_tag, std::span<const Bytes> chunks);
}  // namespace slimcap::test
