// Which dissector prints what follows a header: the one place that maps UDP and TCP ports,
// IP protocol numbers and ethertypes to the printers of lib/src/print_*.cpp.
//
// The port tables are in tcpdump 4.99's order of tests (print-udp.c, print-tcp.c): when both
// ports name a dissector, the earlier entry wins, as tcpdump's chain of "else if" does. Two
// 64-Ki-entry byte maps per table (the first entry for each port as a source and as a
// destination) answer any lookup in a few instructions, whatever the tables' length.

#include <array>
#include <cstdint>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

enum class Match : std::uint8_t {
  either,       // tcpdump's IS_SRC_OR_DST_PORT(p)
  destination,  // dport == p
  source,       // sport == p
};

struct PortEntry {
  std::uint16_t port;
  Match match;
  PayloadPrinter print;
};

// UDP, in tcpdump's order. (Only the ports of the dissectors slimcap has.)
constexpr std::array kUdpPorts{
    PortEntry{53, Match::either, print_dns_udp},  // NAMESERVER_PORT, the first test
    PortEntry{5353, Match::either, print_mdns},   // MULTICASTDNS_PORT, the second (measured)
    PortEntry{68, Match::either, print_bootp},    // BOOTPC, BOOTPS
    PortEntry{67, Match::either, print_bootp},
    PortEntry{123, Match::either, print_ntp},
    PortEntry{161, Match::either, print_snmp},    // SNMP, SNMPTRAP
    PortEntry{162, Match::either, print_snmp},
    PortEntry{319, Match::either, print_ptp},     // PTP event, general
    PortEntry{320, Match::either, print_ptp},
    PortEntry{500, Match::either, print_isakmp},  // ISAKMP_PORT
    PortEntry{514, Match::either, print_syslog},
    PortEntry{547, Match::either, print_dhcp6},   // DHCP6_SERV, DHCP6_CLI
    PortEntry{546, Match::either, print_dhcp6},
    PortEntry{4500, Match::either, print_isakmp_natt},  // ISAKMP_PORT_NATT
    PortEntry{7500, Match::either, print_isakmp},       // ISAKMP_PORT_USER1, USER2
    PortEntry{8500, Match::either, print_isakmp},
    PortEntry{6696, Match::either, print_babel},  // routing: Babel
    PortEntry{6697, Match::either, print_babel},
    // routing: BFD (tcpdump tests the destination port only)
    PortEntry{3784, Match::destination, print_bfd},
    PortEntry{4784, Match::destination, print_bfd},
    PortEntry{6784, Match::destination, print_bfd},
    PortEntry{3785, Match::destination, print_bfd},
    // tunnels (print_tunnel.cpp), near the end of tcpdump's list
    PortEntry{4789, Match::either, print_vxlan},
    PortEntry{6081, Match::either, print_geneve},
};

// TCP, in tcpdump's order.
constexpr std::array kTcpPorts{
    PortEntry{179, Match::either, print_bgp},     // BGP: after TELNET, SMTP, WHOIS
    PortEntry{80, Match::either, print_http},     // HTTP_PORT, HTTP_PORT_ALT: after FTP
    PortEntry{8080, Match::either, print_http},
    PortEntry{53, Match::either, print_dns_tcp},  // NAMESERVER_PORT: after RTSP, before MSDP
};

// For each port, the index of the first table entry that claims it as a source port and as a
// destination port (kNone: none), so that a lookup is two loads and a compare whatever the
// table's length: the earlier entry wins, as tcpdump's chain of tests does.
constexpr std::uint8_t kNone = 0xff;
template <std::size_t N>
struct PortIndex {
  static_assert(N < kNone);
  std::array<std::uint8_t, 65536> source{};
  std::array<std::uint8_t, 65536> destination{};
  constexpr explicit PortIndex(const std::array<PortEntry, N>& table) {
    source.fill(kNone);
    destination.fill(kNone);
    for (std::size_t i = N; i-- > 0;) {
      const PortEntry& e = table[i];
      if (e.match != Match::destination) source[e.port] = static_cast<std::uint8_t>(i);
      if (e.match != Match::source) destination[e.port] = static_cast<std::uint8_t>(i);
    }
  }
};
template <std::size_t N>
PayloadPrinter find(const std::array<PortEntry, N>& table, const PortIndex<N>& index,
                    std::uint16_t source, std::uint16_t destination) {
  const std::uint8_t s = index.source[source], d = index.destination[destination];
  const std::uint8_t i = s < d ? s : d;
  return i == kNone ? nullptr : table[i].print;
}
constexpr PortIndex kUdpIndex(kUdpPorts);
constexpr PortIndex kTcpIndex(kTcpPorts);

// After an IP header, by protocol number (TCP, UDP, ICMP and ICMPv6 have their own paths).
struct ProtocolTable {
  std::array<NetworkPayloadPrinter, 256> print{};
  constexpr ProtocolTable() {
    // tunnels (print_tunnel.cpp)
    print[4] = print_ipip;
    print[41] = print_ipv6_in_ip;
    print[47] = print_gre;
    // transport and security
    print[50] = print_esp;
    print[51] = print_ah;
    print[132] = print_sctp;
    print[2] = print_igmp;    // routing
    print[89] = print_ospf;   // routing
    print[103] = print_pim;   // routing
    print[112] = print_vrrp;  // routing
  }
};
constexpr ProtocolTable kProtocols;

}  // namespace

PayloadPrinter udp_payload_printer(std::uint16_t source, std::uint16_t destination) {
  return find(kUdpPorts, kUdpIndex, source, destination);
}

PayloadPrinter tcp_payload_printer(std::uint16_t source, std::uint16_t destination) {
  return find(kTcpPorts, kTcpIndex, source, destination);
}

NetworkPayloadPrinter ip_protocol_printer(std::uint8_t protocol) {
  return kProtocols.print[protocol];
}

PayloadPrinter ethertype_printer(std::uint16_t ethertype) {
  switch (ethertype) {
    // tunnels (print_mpls.cpp, print_pppoe.cpp)
    case 0x8847:
    case 0x8848: return print_mpls;
    case 0x8863:
    case 0x8864: return print_pppoe;
    case 0x8809: return print_slow;   // slow protocols: LACP, marker, OAM
    case 0x888e: return print_eapol;  // 802.1X
    case 0x88cc: return print_lldp;
    default: return nullptr;
  }
}

}  // namespace slimcap::detail
