#pragma once
// The decoder: link, network and transport headers of one packet into a small summary that
// the text printer and the JSON printer share. It never reads past the captured bytes, never
// allocates and never throws: a packet cut short (or malformed) decodes as far as it is valid
// and `truncated` names the layer where it stopped, as tcpdump's "[|proto]" marker does.

#include <cstdint>
#include <string_view>

#include "slimcap/packet.hpp"

namespace slimcap {

enum class Layer : std::uint8_t {
  none,
  link,      // link header (Ethernet, VLAN tag, SLL, NULL)
  ip,        // IPv4 header
  ip6,       // IPv6 header or an extension header
  arp,
  tcp,
  udp,
  icmp,
  icmp6,
};

enum class Network : std::uint8_t { none, ipv4, ipv6, arp, other };

struct VlanTag {
  std::uint16_t tpid;
  std::uint16_t tci;  // priority (3 bits), DEI, VLAN id (12 bits)
  std::uint16_t id() const noexcept { return tci & 0x0fff; }
  std::uint8_t priority() const noexcept { return static_cast<std::uint8_t>(tci >> 13); }
};

// IPv6 extension headers seen, in order (for tcpdump's "HBH DSTOPT frag (...)" text).
struct Ipv6Extension {
  std::uint8_t type;     // 0 hop-by-hop, 43 routing, 44 fragment, 60 destination options
  std::uint32_t offset;  // of the extension header in the packet
};

struct Summary {
  // Link layer.
  const std::uint8_t* source_mac = nullptr;  // 6 bytes (Ethernet), or nullptr
  const std::uint8_t* destination_mac = nullptr;
  std::uint16_t outer_ethertype = 0;  // the first ethertype field (Ethernet), before VLAN tags
  std::uint16_t ethertype = 0;        // of the network layer, after VLAN tags
  std::uint8_t vlan_count = 0;        // tags decoded (at most 4 kept), in vlans[] below
  std::uint16_t sll_packet_type = 0;  // LINUX_SLL/SLL2
  std::uint32_t sll_interface = 0;    // LINUX_SLL2
  std::uint32_t link_family = 0;      // NULL/LOOP
  std::uint32_t link_header_length = 0;  // bytes before the network layer

  // Network layer.
  Network network = Network::none;
  const std::uint8_t* source_ip = nullptr;       // 4 or 16 bytes
  const std::uint8_t* destination_ip = nullptr;
  std::uint32_t network_offset = 0;
  std::uint8_t ip_header_length = 0;   // IPv4 IHL in bytes / 40 for IPv6
  std::uint8_t tos = 0;                // IPv4 TOS / IPv6 traffic class
  std::uint8_t ttl = 0;                // TTL / hop limit
  std::uint16_t ip_id = 0;
  std::uint16_t ip_total_length = 0;   // IPv4 total length / IPv6 payload length
  std::uint32_t flow_label = 0;
  std::uint16_t fragment_offset = 0;   // bytes
  bool dont_fragment = false;
  bool more_fragments = false;
  bool reserved_fragment_bit = false;  // IPv4's evil bit (RFC 3514), tcpdump's "rsvd"
  bool later_fragment = false;         // not the first fragment: no transport header here
  std::uint32_t fragment_id = 0;       // IPv6 fragment header identification
  bool ipv6_fragmented = false;
  std::uint8_t ipv6_extension_count = 0;  // in ipv6_extensions[] below
  std::uint8_t protocol = 0;           // transport protocol (after IPv6 extensions)
  std::uint8_t ipv6_first_next_header = 0;  // the fixed header's next header
  // ARP
  std::uint16_t arp_op = 0;
  const std::uint8_t* arp_sender_mac = nullptr;
  const std::uint8_t* arp_sender_ip = nullptr;
  const std::uint8_t* arp_target_mac = nullptr;
  const std::uint8_t* arp_target_ip = nullptr;
  std::uint16_t arp_hardware = 0;
  std::uint16_t arp_protocol = 0;
  std::uint8_t arp_hardware_length = 0;
  std::uint8_t arp_protocol_length = 0;

  // Transport layer.
  std::uint32_t transport_offset = 0;
  // On the wire, from the IP length fields. The transport is decoded only up to the end of
  // its IP datagram (transport_offset + transport_length), as tcpdump does: bytes after it
  // (Ethernet padding) count as not captured.
  std::uint32_t transport_length = 0;
  bool has_ports = false;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint16_t window = 0;
  std::uint16_t urgent = 0;
  std::uint8_t tcp_flags = 0;
  std::uint8_t tcp_header_length = 0;
  std::uint16_t udp_length = 0;  // the UDP length field
  bool has_icmp = false;
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;
  std::uint16_t icmp_id = 0;
  std::uint16_t icmp_seq = 0;
  std::uint32_t payload_length = 0;  // transport payload bytes on the wire (TCP, UDP)

  Layer truncated = Layer::none;  // where decoding stopped short

  // Arrays last: only their first vlan_count / ipv6_extension_count entries mean anything, so
  // decode() does not clear them (one packet's reset is then a few vector stores).
  VlanTag vlans[4] = {};
  Ipv6Extension ipv6_extensions[8] = {};

  // IPv6 only (network == Network::ipv6), set for every IPv6 packet; also kept out of the
  // cleared part, whose size decides the cost of the reset.
  std::uint32_t ipv6_jumbo_length = 0;  // a hop-by-hop Jumbo Payload option's value, or 0
  // The final destination behind a routing header (the checksum pseudo-header's, RFC 8200
  // 8.1), or nullptr when there is no routing header.
  const std::uint8_t* final_destination_ip = nullptr;
};

// Decodes `packet`; always fills what it can. Returns false when the packet was cut short or
// malformed (summary.truncated says where).
bool decode(const PacketView& packet, Summary& summary) noexcept;

// What an 802.11 radiotap header says about the frame behind it: its own length, and its
// Flags field's FCS (a 4-byte frame check sequence ends the frame) and data-pad bits (the
// 802.11 header is padded to 4 bytes). `valid` is false when the header is cut or its
// length field is impossible.
struct RadiotapInfo {
  bool valid = false;
  std::uint32_t length = 0;
  bool fcs = false;
  bool pad = false;
};
RadiotapInfo radiotap_info(const std::uint8_t* data, std::uint32_t caplen) noexcept;

// A Linux cooked header's packet type (sll_pkttype) as tcpdump's -i any lines show the
// direction: "In", "B", "M", "P", "Out", or "?".
std::string_view packet_type_name(std::uint16_t type) noexcept;

// The name of interface `index` (a LINUX_SLL2 header's), empty when it names no interface
// here. The names of the last 8 indexes are kept per thread: if_indextoname() is a system
// call, and on "any" packets alternate between interfaces.
std::string_view interface_name(std::uint32_t index) noexcept;

}  // namespace slimcap
