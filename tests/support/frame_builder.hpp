#pragma once
// Builds real frames for tests, fuzz seeds and the benchmark generator: Ethernet (with stacked
// VLAN tags), ARP, IPv4 (options, fragments), IPv6 (extension headers), TCP, UDP, ICMP,
// ICMPv6, with correct lengths and checksums. Addresses are text ("192.0.2.1", "2001:db8::1",
// "02:00:00:00:00:01") parsed once; the benchmark generator uses the byte forms directly.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
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

// --- DNS (family "dns") ------------------------------------------------------------------
// A DNS message from lists of questions and records (RFC 1035 4.1), owner names compressed
// against the names already written when `compress` is set. A name is text ("example.com",
// "." or "" for the root) unless `raw_name` holds its wire form (pointers, bad labels).
struct DnsQuestion {
  std::string name;
  std::uint16_t type = 1;    // A
  std::uint16_t klass = 1;   // IN (mDNS: | 0x8000 for QU)
  Bytes raw_name = {};
};
struct DnsRecord {
  std::string name;
  std::uint16_t type = 1;
  std::uint16_t klass = 1;   // OPT: the UDP payload size
  std::uint32_t ttl = 300;   // OPT: extended rcode, version, DO bit (0x8000)
  Bytes rdata = {};
  Bytes raw_name = {};
};
struct DnsMessage {
  std::uint16_t id = 0x1234;
  std::uint16_t flags = 0x0100;  // QR 0x8000, opcode << 11, AA 0x400, TC 0x200, RD 0x100,
                                 // RA 0x80, AD 0x20, CD 0x10, rcode
  std::vector<DnsQuestion> questions = {};
  std::vector<DnsRecord> answers = {};
  std::vector<DnsRecord> authority = {};
  std::vector<DnsRecord> additional = {};
  bool compress = true;
  // The four counts as written, when they should lie; nullopt: the lists' sizes.
  std::optional<std::array<std::uint16_t, 4>> counts = std::nullopt;
};
Bytes dns_message(const DnsMessage& m);
// Wire forms for record data and raw names.
Bytes dns_name(std::string_view name);          // uncompressed
Bytes dns_pointer(std::uint16_t offset);        // 0xc000 | offset (12: the first question)
Bytes dns_rdata_a(std::string_view address);    // "192.0.2.1"
Bytes dns_rdata_aaaa(std::string_view address); // "2001:db8::1"
Bytes dns_rdata_mx(std::uint16_t preference, std::string_view exchange);
Bytes dns_rdata_srv(std::uint16_t priority, std::uint16_t weight, std::uint16_t port,
                    std::string_view target);
Bytes dns_rdata_soa(std::string_view mname, std::string_view rname, std::uint32_t serial,
                    std::uint32_t refresh, std::uint32_t retry, std::uint32_t expire,
                    std::uint32_t minimum);
Bytes dns_rdata_txt(const std::vector<std::string>& strings);
// An EDNS option (code, length, data) for an OPT record's rdata.
Bytes dns_edns_option(std::uint16_t code, std::span<const std::uint8_t> data);
// DNS over TCP: the message behind its 2-byte length.
Bytes dns_tcp_payload(std::span<const std::uint8_t> message);
// Ethernet + IPv4 + UDP / TCP (PSH|ACK) frames carrying `payload`.
Bytes dns_udp4_frame(std::uint16_t sport, std::uint16_t dport, std::span<const std::uint8_t> payload);
Bytes dns_tcp4_frame(std::uint16_t sport, std::uint16_t dport, std::span<const std::uint8_t> payload);
Bytes dns_udp6_frame(std::uint16_t sport, std::uint16_t dport, std::span<const std::uint8_t> payload);

// --- tunnels (lib/src/print_tunnel.cpp, print_mpls.cpp, print_pppoe.cpp) -------------------------
// The payloads take the inner packet or frame as bytes, so that any of the builders above
// (or a benchmark generator's) can be put inside.

struct GreSpec {
  // Of the payload: 0x0800 IPv4, 0x86dd IPv6, 0x6558 an Ethernet frame, 0x8847 MPLS, 0x880b
  // PPP (version 1).
  std::uint16_t protocol = 0x0800;
  std::uint8_t version = 0;  // 1: PPTP's enhanced GRE
  bool checksum = false;     // C: a checksum (computed) and offset field
  // K: the key; with version 1 the call id in the low 16 bits (the payload length is filled).
  std::optional<std::uint32_t> key;
  std::optional<std::uint32_t> sequence;  // S
  std::optional<std::uint32_t> ack;       // A (version 1)
};
// A GRE header and its payload: an IP protocol 47 payload.
Bytes gre_packet(const GreSpec& spec, std::span<const std::uint8_t> payload);
// A VXLAN header (flags 0x08, I) and the inner Ethernet frame: a UDP payload for port 4789.
Bytes vxlan_packet(std::uint32_t vni, std::span<const std::uint8_t> inner_frame);
// A Geneve header and the inner packet of type `protocol` (0x6558: an Ethernet frame), with
// raw option bytes (a multiple of 4): a UDP payload for port 6081.
Bytes geneve_packet(std::uint32_t vni, std::uint16_t protocol, std::span<const std::uint8_t> inner,
                    std::span<const std::uint8_t> options = {});
struct MplsLabel {
  std::uint32_t label = 100;
  std::uint8_t tc = 0;
  std::uint8_t ttl = 64;
};
// A label stack, outermost first (bottom of stack set on the last), and its payload.
Bytes mpls_stack(const std::vector<MplsLabel>& labels, std::span<const std::uint8_t> payload);
// A PPPoE header (version 1, type 1) and its payload; code 0 for session data.
Bytes pppoe_packet(std::uint8_t code, std::uint16_t session, std::span<const std::uint8_t> payload);
// One PPPoE discovery tag.
Bytes pppoe_tag(std::uint16_t type, std::span<const std::uint8_t> value);

// Whole frames: Ethernet, IPv4 (`outer`'s addresses), UDP from `source_port` to 4789, VXLAN.
Bytes vxlan_frame(const Ipv4Spec& outer, std::uint16_t source_port, std::uint32_t vni,
                  std::span<const std::uint8_t> inner_frame);
// Ethernet, IPv4 (protocol 47), GRE and `inner` (of gre.protocol's type).
Bytes gre_frame(const Ipv4Spec& outer, const GreSpec& gre, std::span<const std::uint8_t> inner);
// Ethernet 0x8847 and a label stack over `payload` (an IP packet).
Bytes mpls_frame(const std::vector<MplsLabel>& labels, std::span<const std::uint8_t> payload);
// Ethernet 0x8864: a PPPoE session frame carrying PPP protocol `ppp_protocol` (0x0021 IPv4,
// 0x0057 IPv6, 0xc021 LCP...) and its payload.
Bytes pppoe_session_frame(std::uint16_t session, std::uint16_t ppp_protocol,
                          std::span<const std::uint8_t> payload);
// Ethernet 0x8863: a PPPoE discovery frame (0x09 PADI, 0x07 PADO, 0x19 PADR, 0x65 PADS, 0xa7
// PADT) with its tags.
Bytes pppoe_discovery_frame(std::uint8_t code, std::uint16_t session,
                            std::span<const std::uint8_t> tags);

// --- layer-2 control: LLC/SNAP, STP, LLDP, CDP (tests of print_llc.cpp and its family) -------
// An 802.3 frame: a length field where the ethertype goes (the payload's size unless
// `length_field` is not 0), after any VLAN tags, then `payload` (an LLC header first), padded
// to 60 bytes.
Bytes ieee8023_frame(std::span<const std::uint8_t> payload, std::uint16_t length_field = 0,
                     const std::vector<VlanTag>& vlans = {},
                     const Mac& destination = mac("01:80:c2:00:00:00"));
// An LLC header: DSAP, SSAP and a 1-byte (U format) or 2-byte little-endian control field.
Bytes llc_header(std::uint8_t dsap, std::uint8_t ssap, std::uint16_t control,
                 bool two_byte_control = false);
// LLC UI with SNAP: AA AA 03, the OUI and the PID.
Bytes snap_header(std::uint32_t oui, std::uint16_t pid);
struct StpSpec {
  std::uint8_t version = 0;  // 0 STP, 2 RSTP, 3 MSTP, 4 SPB
  std::uint8_t type = 0;     // 0 config, 0x80 TCN, 2 RST/MST
  std::uint8_t flags = 0;
  std::array<std::uint8_t, 8> root{0x80, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
  std::uint32_t root_path_cost = 4;
  std::array<std::uint8_t, 8> bridge{0x80, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
  std::uint16_t port = 0x8001;
  std::uint16_t message_age = 256, max_age = 20 * 256, hello = 2 * 256, forward_delay = 15 * 256;
};
// A BPDU: 35 bytes for config, 36 with the version 1 length for RSTP and MSTP; `extra` after.
Bytes stp_bpdu(const StpSpec& spec, std::span<const std::uint8_t> extra = {});
// One LLDP TLV (7-bit type, 9-bit length) / one CDP TLV (16-bit type, length with the header).
Bytes lldp_tlv(unsigned type, std::span<const std::uint8_t> value);
Bytes cdp_tlv(std::uint16_t type, std::span<const std::uint8_t> value);

// --- DHCP (print_bootp.cpp, print_dhcp6.cpp) ---------------------------------------------------
struct BootpSpec {
  std::uint8_t op = 1;  // 1 request, 2 reply
  std::uint8_t htype = 1;
  std::uint8_t hlen = 6;
  std::uint8_t hops = 0;
  std::uint32_t xid = 0x3903f326;
  std::uint16_t secs = 0;
  std::uint16_t flags = 0;
  Ipv4 ciaddr{}, yiaddr{}, siaddr{}, giaddr{};
  Mac chaddr = mac("00:11:22:33:44:55");
  Bytes sname;   // up to 64 bytes, NUL-padded
  Bytes file;    // up to 128 bytes, NUL-padded
  Bytes vendor;  // the vendor area from its magic cookie (dhcp_options() builds one)
};
struct DhcpOption {
  std::uint8_t tag;
  Bytes value;
};
// The 236-byte BOOTP header and the vendor area.
Bytes bootp_message(const BootpSpec& spec);
// An RFC 1048 vendor area: the magic cookie, the options (tag, length, value), END.
Bytes dhcp_options(const std::vector<DhcpOption>& options, bool end = true);
// The message over IPv4/UDP in Ethernet: a request 68 -> 67, a reply 67 -> 68.
Bytes dhcp4_frame(const BootpSpec& spec);
struct Dhcp6Option {
  std::uint16_t code;
  Bytes value;
};
// An option's bytes (code, length, value), for nesting in another's value.
Bytes dhcp6_option(const Dhcp6Option& option);
// A client/server message: type, 24-bit transaction ID, options.
Bytes dhcp6_message(std::uint8_t type, std::uint32_t xid, const std::vector<Dhcp6Option>& options);
// A relay message (12 relay-forw, 13 relay-repl): type, hop count, link and peer addresses.
Bytes dhcp6_relay(std::uint8_t type, std::uint8_t hops, const Ipv6& link, const Ipv6& peer,
                  const std::vector<Dhcp6Option>& options);
// The message over IPv6/UDP in Ethernet: to the server 546 -> 547, else 547 -> 546.
Bytes dhcp6_frame(std::span<const std::uint8_t> message, bool to_server = true);

// --- transport and security (tests/unit/test_print_sec.cpp) -----------------------------------
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
