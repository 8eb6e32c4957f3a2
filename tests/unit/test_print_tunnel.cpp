// Tunnels (lib/src/print_tunnel.cpp, print_mpls.cpp, print_pppoe.cpp): golden lines, agreement
// with tcpdump -n -S on every shape whole and cut at every byte, and --json's "tunnel".

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/json.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Ipv4Spec outer4() {
  Ipv4Spec ip;
  ip.source = ipv4("192.0.2.1");
  ip.destination = ipv4("198.51.100.2");
  return ip;
}

// The inner packets: an ICMP echo in IPv4, a UDP datagram in IPv6, a TCP segment in IPv4.
Bytes inner_icmp4() {
  Ipv4Spec ip;
  ip.source = ipv4("10.0.0.1");
  ip.destination = ipv4("10.0.0.2");
  ip.protocol = ip_proto::kIcmp;
  return ipv4_packet(ip, icmp_message(8, 0, 0x00010001, Bytes(8, 0x61)));
}
Bytes inner_udp6() {
  Ipv6Spec ip;
  ip.source = ipv6("2001:db8::10");
  ip.destination = ipv6("2001:db8::20");
  ip.next_header = ip_proto::kUdp;
  return ipv6_packet(ip, udp_datagram(40000, 5001, Bytes(6, 0x62)));
}
Bytes inner_tcp4() {
  Ipv4Spec ip;
  ip.source = ipv4("10.1.0.1");
  ip.destination = ipv4("10.1.0.2");
  TcpSpec t;
  t.flags = tcp_flag::kPsh | tcp_flag::kAck;
  t.ack = 5;
  return ipv4_packet(ip, tcp_segment(t, Bytes(10, 0x63)));
}
Bytes inner_ether(const Bytes& ip, std::uint16_t type = 0x0800) {
  EthernetSpec e;
  e.source = mac("02:00:00:00:00:0a");
  e.destination = mac("02:00:00:00:00:0b");
  e.ethertype = type;
  e.pad = false;
  return ethernet_frame(e, ip);
}

Bytes ipv6_outer_frame(std::uint8_t next_header, const Bytes& payload) {
  Ipv6Spec ip;
  ip.source = ipv6("2001:db8::a");
  ip.destination = ipv6("2001:db8::b");
  ip.next_header = next_header;
  EthernetSpec e;
  e.ethertype = 0x86dd;
  return ethernet_frame(e, ipv6_packet(ip, payload));
}

Bytes ipv4_outer_frame(std::uint8_t protocol, const Bytes& payload) {
  Ipv4Spec ip = outer4();
  ip.protocol = protocol;
  return ethernet_frame({}, ipv4_packet(ip, payload));
}

Bytes udp4_outer_frame(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  Ipv4Spec ip = outer4();
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(sport, dport, payload)));
}

std::vector<Bytes> ip_in_ip_frames() {
  return {
      ipv4_outer_frame(4, inner_icmp4()),
      ipv4_outer_frame(41, inner_udp6()),
      ipv6_outer_frame(41, inner_udp6()),
      ipv6_outer_frame(4, inner_tcp4()),
      ipv4_outer_frame(4, inner_udp6()),  // a version the protocol number does not announce
      ipv4_outer_frame(41, inner_icmp4()),
  };
}

std::vector<Bytes> gre_frames() {
  std::vector<Bytes> f;
  f.push_back(gre_frame(outer4(), {}, inner_icmp4()));
  {
    GreSpec g;
    g.checksum = true;
    g.key = 0x1234;
    g.sequence = 7;
    f.push_back(gre_frame(outer4(), g, inner_tcp4()));
  }
  {
    GreSpec g;
    g.protocol = 0x6558;
    g.key = 100;
    f.push_back(gre_frame(outer4(), g, inner_ether(inner_icmp4())));
  }
  {
    GreSpec g;
    g.protocol = 0x86dd;
    g.sequence = 1;
    f.push_back(gre_frame(outer4(), g, inner_udp6()));
  }
  {
    GreSpec g;
    g.protocol = 0x8847;
    f.push_back(gre_frame(outer4(), g, mpls_stack({{200, 0, 64}}, inner_icmp4())));
  }
  {
    GreSpec g;
    g.protocol = 0x88be;  // ERSPAN: tcpdump 4.99 does not decode it
    g.sequence = 3;
    f.push_back(gre_frame(outer4(), g, inner_ether(inner_icmp4())));
  }
  {
    // PPTP: PPP in version 1, with and without a payload.
    GreSpec g;
    g.version = 1;
    g.protocol = 0x880b;
    g.key = 7;
    g.sequence = 3;
    g.ack = 2;
    Bytes ppp = {0xff, 0x03, 0x00, 0x21};
    const Bytes ip = inner_icmp4();
    ppp.insert(ppp.end(), ip.begin(), ip.end());
    f.push_back(gre_frame(outer4(), g, ppp));
    GreSpec ack_only = g;
    ack_only.sequence.reset();
    f.push_back(gre_frame(outer4(), ack_only, {}));
  }
  {
    // Routing present (RFC 1701): an IPv4 source route, then the end entry.
    Bytes raw = {0x40, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,  // flags R, IPv4, sum, offset
                 0x08, 0x00, 0x04, 0x08, 192,  0,    2,    7,    198, 51, 100, 9,
                 0x00, 0x00, 0x00, 0x00};
    const Bytes ip = inner_icmp4();
    raw.insert(raw.end(), ip.begin(), ip.end());
    f.push_back(ipv4_outer_frame(47, raw));
    // AS-number routes, an unknown family, a bad offset.
    Bytes asn = {0x40, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x02, 0x04,
                 0x01, 0x02, 0x03, 0x04, 0x12, 0x34, 0x00, 0x02, 0xaa, 0xbb, 0x08, 0x00,
                 0x01, 0x04, 1,    2,    3,    4,    0x00, 0x00, 0x00, 0x00};
    asn.insert(asn.end(), ip.begin(), ip.end());
    f.push_back(ipv4_outer_frame(47, asn));
    // An unknown version, an unknown protocol type.
    f.push_back(ipv4_outer_frame(47, Bytes{0x00, 0x03, 0x08, 0x00}));
    f.push_back(ipv4_outer_frame(47, Bytes{0x00, 0x00, 0x12, 0x34, 1, 2, 3}));
  }
  {
    // GRE over IPv6.
    GreSpec g;
    g.key = 0xffffffff;
    f.push_back(ipv6_outer_frame(47, gre_packet(g, inner_icmp4())));
  }
  return f;
}

std::vector<Bytes> vxlan_geneve_frames() {
  std::vector<Bytes> f;
  f.push_back(vxlan_frame(outer4(), 54321, 100, inner_ether(inner_icmp4())));
  f.push_back(vxlan_frame(outer4(), 1234, 0xabcdef, inner_ether(inner_udp6(), 0x86dd)));
  {
    Bytes v = vxlan_packet(5, inner_ether(inner_tcp4()));
    v[0] = 0;  // no I flag: tcpdump's "invalid"
    f.push_back(udp4_outer_frame(4789, 40000, v));
  }
  f.push_back(udp4_outer_frame(40000, 6081, geneve_packet(100, 0x6558, inner_ether(inner_icmp4()))));
  f.push_back(udp4_outer_frame(6081, 40000, geneve_packet(7, 0x86dd, inner_udp6())));
  {
    const Bytes options = {0x01, 0x02, 0x80, 0x01, 0x00, 0x00, 0x00, 0x05,
                           0xff, 0xf0, 0x01, 0x00};
    Bytes g = geneve_packet(0x123456, 0x0800, inner_icmp4(), options);
    g[1] = 0xc0;  // O and C
    g[7] = 0x01;  // reserved
    f.push_back(udp4_outer_frame(40000, 6081, g));
  }
  // Inner frames tcpdump dumps or hands on: an unknown ethertype, MPLS; Geneve's unknown type.
  f.push_back(vxlan_frame(outer4(), 1, 9, inner_ether(Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9}, 0x1234)));
  f.push_back(vxlan_frame(outer4(), 1, 9, inner_ether(mpls_stack({{5, 0, 2}}, inner_icmp4()), 0x8847)));
  f.push_back(udp4_outer_frame(40000, 6081, geneve_packet(1, 0x1234, Bytes{1, 2, 3, 4})));
  return f;
}

std::vector<Bytes> mpls_frames() {
  std::vector<Bytes> f;
  f.push_back(mpls_frame({{100, 1, 64}, {200, 0, 63}}, inner_icmp4()));
  f.push_back(mpls_frame({{0, 0, 64}}, inner_tcp4()));
  f.push_back(mpls_frame({{2, 0, 64}}, inner_udp6()));
  f.push_back(mpls_frame({{16, 5, 1}, {3000, 0, 9}, {4000, 7, 255}}, inner_udp6()));
  f.push_back(mpls_frame({{300, 0, 64}}, Bytes{0x00, 0x01, 0x02, 0x03}));
  {
    EthernetSpec e;
    e.ethertype = 0x8848;
    e.vlans.push_back({});
    f.push_back(ethernet_frame(e, mpls_stack({{1, 0, 64}, {17, 0, 2}}, inner_icmp4())));
  }
  return f;
}

std::vector<Bytes> pppoe_frames() {
  std::vector<Bytes> f;
  auto tags = [](std::initializer_list<Bytes> list) {
    Bytes b;
    for (const Bytes& t : list) b.insert(b.end(), t.begin(), t.end());
    return b;
  };
  f.push_back(pppoe_discovery_frame(
      0x09, 0, tags({pppoe_tag(0x0101, {}), pppoe_tag(0x0103, Bytes{1, 2, 3, 4})})));
  f.push_back(pppoe_discovery_frame(
      0x07, 0,
      tags({pppoe_tag(0x0101, text("isp")), pppoe_tag(0x0102, text("ac-name")),
            pppoe_tag(0x0104, Bytes(16, 0xa5))})));
  f.push_back(pppoe_discovery_frame(0x19, 0, tags({pppoe_tag(0x0101, text("isp"))})));
  f.push_back(pppoe_discovery_frame(0x65, 0x1234, tags({pppoe_tag(0x0101, text("isp"))})));
  f.push_back(pppoe_discovery_frame(0xa7, 0x1234, {}));
  f.push_back(pppoe_discovery_frame(
      0xa7, 0x1234,
      tags({pppoe_tag(0x0203, text("session closed by peer")), pppoe_tag(0x0999, {}),
            pppoe_tag(0x0000, {})})));
  f.push_back(pppoe_session_frame(0x1234, 0x0021, inner_icmp4()));
  f.push_back(pppoe_session_frame(0x1234, 0x0057, inner_udp6()));
  // LCP Conf-Request with MRU and magic number; IPCP Conf-Request with an address; an LCP
  // Echo-Request without options; an unknown protocol.
  f.push_back(pppoe_session_frame(
      1, 0xc021, Bytes{0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 1, 2, 3, 4}));
  f.push_back(pppoe_session_frame(1, 0x8021,
                                  Bytes{0x01, 0x02, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 1}));
  f.push_back(pppoe_session_frame(1, 0xc021, Bytes{0x09, 0x03, 0x00, 0x04}));
  f.push_back(pppoe_session_frame(1, 0x1234, Bytes{1, 2, 3, 4, 5}));
  f.push_back(pppoe_session_frame(1, 0x0025, Bytes{9, 8, 7}));
  f.push_back(pppoe_session_frame(1, 0x00fd, Bytes{9, 8, 7}));
  // LCP options slimcap decodes, an Echo-Request's magic number, IPCP's name servers.
  f.push_back(pppoe_session_frame(
      2, 0xc021,
      Bytes{0x02, 0x07, 0x00, 0x16, 0x02, 0x06, 0x00, 0x0a, 0x00, 0x00, 0x07, 0x02, 0x08, 0x02,
            0x09, 0x03, 0x01, 0x1f, 0x02, 0x11, 0x04, 0x05}));
  f.push_back(pppoe_session_frame(2, 0xc021, Bytes{0x0a, 0x04, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef}));
  f.push_back(pppoe_session_frame(
      2, 0x8021,
      Bytes{0x03, 0x05, 0x00, 0x16, 0x81, 0x06, 8, 8, 8, 8, 0x83, 0x06, 8, 8, 4, 4, 0x82, 0x06,
            1, 1, 1, 1}));
  // Malformed LCP: a bogus MRU length (tcpdump goes on), a bogus magic number length (it
  // stops), options longer than the list; an unknown code (-v dumps it).
  f.push_back(pppoe_session_frame(
      2, 0xc021, Bytes{0x01, 0x02, 0x00, 0x10, 0x01, 0x02, 0x05, 0x06, 1, 2, 3, 4, 0x07, 0x02,
                       0x05, 0x03}));
  f.push_back(pppoe_session_frame(2, 0xc021, Bytes{0x01, 0x02, 0x00, 0x0a, 0x07, 0x02, 0x01, 0x04, 0x05, 0xdc}));
  f.push_back(pppoe_session_frame(2, 0xc021, Bytes{0xff, 0x02, 0x00, 0x08, 1, 2, 3, 4}));
  {
    // A length past the frame's, another version and type.
    Bytes bad = pppoe_session_frame(3, 0x0021, inner_icmp4());
    bad[14] = 0x22;
    bad[18] = 0x04;
    f.push_back(bad);
  }
  return f;
}

std::vector<Bytes> all_frames() {
  std::vector<Bytes> all;
  for (auto* make : {ip_in_ip_frames, gre_frames, vxlan_geneve_frames, mpls_frames, pppoe_frames})
    for (Bytes& f : make()) all.push_back(std::move(f));
  return all;
}

std::string json(const Bytes& frame) {
  OutputBuffer out;
  PacketView p;
  p.data = frame;
  p.wire_length = static_cast<std::uint32_t>(frame.size());
  p.link_type = 1;
  p.timestamp_ns = kPrintEpoch;
  append_json(out, p);
  return std::string(out.view());
}

}  // namespace

TEST_SUITE("print_tunnel") {
  TEST_CASE("prints the inner packet of IP in IP, GRE, VXLAN and Geneve on the outer's line") {
    const PrintOptions o = no_time();
    const std::vector<Bytes> ipip = ip_in_ip_frames();
    CHECK(print_one(ipip[0], o) ==
          "IP 192.0.2.1 > 198.51.100.2: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, "
          "length 16\n");
    CHECK(print_one(ipip[2], o) ==
          "IP6 2001:db8::a > 2001:db8::b: IP6 2001:db8::10.40000 > 2001:db8::20.5001: UDP, "
          "length 6\n");
    const std::vector<Bytes> gre = gre_frames();
    CHECK(print_one(gre[1], o) ==
          "IP 192.0.2.1 > 198.51.100.2: GREv0, off 0x0, key=0x1234, seq 7, length 66: "
          "IP 10.1.0.1.40000 > 10.1.0.2.5001: Flags [P.], seq 1000:1010, ack 5, win 502, "
          "length 10\n");
    CHECK(print_one(gre[2], o) ==
          "IP 192.0.2.1 > 198.51.100.2: GREv0, key=0x64, length 58: IP 10.0.0.1 > 10.0.0.2: "
          "ICMP echo request, id 1, seq 1, length 16\n");
    CHECK(print_one(gre[6], o) ==
          "IP 192.0.2.1 > 198.51.100.2: GREv1, call 7, seq 3, ack 2, length 56: "
          "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 16\n");
    PrintOptions v = o;
    v.verbose = 1;
    CHECK(print_one(gre[0], v) ==
          "IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto GRE (47), length 60)\n"
          "    192.0.2.1 > 198.51.100.2: GREv0, Flags [none], length 40\n"
          "\tIP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto ICMP (1), length 36)\n"
          "    10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 16\n");
    const std::vector<Bytes> udp = vxlan_geneve_frames();
    CHECK(print_one(udp[0], o) ==
          "IP 192.0.2.1.54321 > 198.51.100.2.4789: VXLAN, flags [I] (0x08), vni 100\n"
          "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 16\n");
    PrintOptions e = o;
    e.link_header = true;
    CHECK(print_one(udp[0], e).find("vni 100\n02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype "
                                    "IPv4 (0x0800), length 50: 10.0.0.1 > 10.0.0.2: ICMP") !=
          std::string::npos);
    CHECK(print_one(udp[3], o) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.6081: Geneve, Flags [none], vni 0x64: "
          "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 16\n");
    CHECK(print_one(udp[5], o).find("Geneve, Flags [OC], vni 0x123456, rsvd 0x1, options [12 "
                                    "bytes]: IP 10.0.0.1 > ") != std::string::npos);
    PrintOptions q = o;
    q.quiet = true;
    CHECK(print_one(udp[0], q) == "IP 192.0.2.1.54321 > 198.51.100.2.4789: UDP, length 58\n");
  }

  TEST_CASE("prints MPLS label stacks and PPPoE as tcpdump does") {
    const PrintOptions o = no_time();
    const std::vector<Bytes> mpls = mpls_frames();
    CHECK(print_one(mpls[0], o) ==
          "MPLS (label 100, tc 1, ttl 64) (label 200, tc 0, [S], ttl 63) IP 10.0.0.1 > "
          "10.0.0.2: ICMP echo request, id 1, seq 1, length 16\n");
    PrintOptions v = o;
    v.verbose = 1;
    CHECK(print_one(mpls[2], v).rfind("MPLS (label 2 (IPv6 explicit NULL), tc 0, [S], ttl 64)\n"
                                      "\tIP6 (hlim 64, ",
                                      0) == 0);
    const std::vector<Bytes> pppoe = pppoe_frames();
    CHECK(print_one(pppoe[0], o) == "PPPoE PADI [Service-Name] [Host-Uniq 0x01020304]\n");
    CHECK(print_one(pppoe[1], o) ==
          "PPPoE PADO [Service-Name \"isp\"] [AC-Name \"ac-name\"] [AC-Cookie "
          "0xA5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5]\n");
    CHECK(print_one(pppoe[6], o) ==
          "PPPoE  [ses 0x1234] IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, "
          "length 16\n");
    CHECK(print_one(pppoe[8], o) == "PPPoE  [ses 0x1] LCP, Conf-Request (0x01), id 1, length 16\n");
    PrintOptions e = o;
    e.link_header = true;
    CHECK(print_one(pppoe[6], e) ==
          "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype PPPoE S (0x8864), length 60: PPPoE  "
          "[ses 0x1234] IP (0x0021), length 38: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, "
          "seq 1, length 16\n");
  }

  TEST_CASE("ends what slimcap does not decode with a marker, where tcpdump goes on") {
    const PrintOptions o = no_time();
    GreSpec ipx;
    ipx.protocol = 0x8137;
    CHECK(print_one(ipv4_outer_frame(47, gre_packet(ipx, Bytes(30, 0))), o) ==
          "IP 192.0.2.1 > 198.51.100.2: GREv0, length 34: [|ipx]\n");
    CHECK(print_one(udp4_outer_frame(40000, 6081, geneve_packet(1, 0x0806, Bytes(28, 0))), o) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.6081: Geneve, Flags [none], vni 0x1: [|arp]\n");
    CHECK(print_one(pppoe_session_frame(1, 0xc023, Bytes{1, 1, 0, 4}), o) ==
          "PPPoE  [ses 0x1] [|pap]\n");
    PrintOptions v = o;
    v.verbose = 1;
    CHECK(print_one(pppoe_session_frame(1, 0xc021, Bytes{1, 1, 0, 8, 3, 4, 0xc0, 0x23}), v) ==
          "PPPoE  [ses 0x1] LCP, Conf-Request (0x01), id 1, length 10\n\tencoded length 8 "
          "(=Option(s) length 4)\n\t  Auth-Prot Option (0x03), length 4[|lcp]\n");
    // 802.3 and LLC inside: tcpdump decodes the LLC header.
    EthernetSpec llc;
    llc.ethertype = 40;
    llc.pad = false;
    const Bytes inner_llc = ethernet_frame(llc, Bytes(40, 0x42));
    CHECK(print_one(vxlan_frame(outer4(), 1, 2, inner_llc), o) ==
          "IP 192.0.2.1.1 > 198.51.100.2.4789: VXLAN, flags [I] (0x08), vni 2\n[|llc]\n");
    // Tunnels nest at most 16 deep.
    Bytes nested = inner_icmp4();
    for (int i = 0; i < 20; ++i) {
      Ipv4Spec ip = outer4();
      ip.protocol = 4;
      nested = ipv4_packet(ip, nested);
    }
    const std::string line = print_one(ethernet_frame({}, nested), o);
    CHECK(line.find(" [|tunnel]\n") != std::string::npos);
    CHECK(line.find("ICMP") == std::string::npos);
  }

  TEST_CASE("prints tunnels cut at every byte without reading past the capture") {
    for (const Bytes& frame : all_frames()) {
      for (std::size_t n = 1; n < frame.size(); ++n) {
        for (int verbose = 0; verbose < 3; ++verbose) {
          PrintOptions o = no_time();
          o.verbose = verbose;
          const std::string line = print_one(cut(frame, n), o, 1, static_cast<std::uint32_t>(frame.size()));
          CHECK(line.size() > 1);
          CHECK(line.back() == '\n');
        }
      }
    }
  }

  TEST_CASE("agrees with tcpdump on every tunnel shape, whole and cut at every byte") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    const std::uint64_t before = agreement_lines();
    const std::vector<FlagCase> cases = dissector_flag_cases();
    for (auto* make : {ip_in_ip_frames, gre_frames, vxlan_geneve_frames, mpls_frames, pppoe_frames})
      agree_whole_and_cut(FrameSet{1, make()}, cases, 14);
    MESSAGE("tunnel lines compared with tcpdump: " << agreement_lines() - before);
  }

  TEST_CASE("--json names the tunnel, its id and the inner addresses") {
    CHECK(json(gre_frames()[2]).find(",\"tunnel\":{\"type\":\"gre\",\"id\":100,\"inner_src\":"
                                     "\"10.0.0.1\",\"inner_dst\":\"10.0.0.2\"}") !=
          std::string::npos);
    CHECK(json(vxlan_geneve_frames()[0])
              .find(",\"tunnel\":{\"type\":\"vxlan\",\"id\":100,\"inner_src\":\"10.0.0.1\","
                    "\"inner_dst\":\"10.0.0.2\"}") != std::string::npos);
    CHECK(json(vxlan_geneve_frames()[4])
              .find(",\"tunnel\":{\"type\":\"geneve\",\"id\":7,\"inner_src\":\"2001:db8::10\","
                    "\"inner_dst\":\"2001:db8::20\"}") != std::string::npos);
    CHECK(json(ip_in_ip_frames()[0])
              .find(",\"tunnel\":{\"type\":\"ipip\",\"inner_src\":\"10.0.0.1\",\"inner_dst\":"
                    "\"10.0.0.2\"}") != std::string::npos);
    CHECK(json(mpls_frames()[0])
              .find(",\"tunnel\":{\"type\":\"mpls\",\"id\":100,\"inner_src\":\"10.0.0.1\","
                    "\"inner_dst\":\"10.0.0.2\"}") != std::string::npos);
    CHECK(json(pppoe_frames()[6])
              .find(",\"tunnel\":{\"type\":\"pppoe\",\"id\":4660,\"inner_src\":\"10.0.0.1\","
                    "\"inner_dst\":\"10.0.0.2\"}") != std::string::npos);
    CHECK(json(pppoe_frames()[0]).find(",\"tunnel\":{\"type\":\"pppoe\",\"id\":0}") !=
          std::string::npos);
    // No tunnel, no key; a cut inner header, no inner addresses.
    CHECK(json(udp4_frame({}, 40000, 5001, 8)).find("tunnel") == std::string::npos);
    const Bytes vx = vxlan_geneve_frames()[0];
    CHECK(json(cut(vx, 14 + 20 + 8 + 8 + 14 + 10)).find("\"tunnel\":{\"type\":\"vxlan\",\"id\":100}") !=
          std::string::npos);
  }
}
