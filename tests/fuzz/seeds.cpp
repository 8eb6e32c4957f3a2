#include "seeds.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "capture_builder.hpp"

namespace slimcap::fuzz {
namespace {

using test::Bytes;
using test::Record;

constexpr std::int64_t kEpochNs = 1'700'000'000LL * 1'000'000'000LL;

// Varied Ethernet frames: every decoder branch the printer has, at least once.
std::vector<Bytes> ethernet_frames() {
  using namespace test;
  std::vector<Bytes> f;
  Ipv4Spec ip;
  TcpSpec syn;
  syn.flags = tcp_flag::kSyn;
  syn.options = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
  f.push_back(tcp4_frame(ip, syn, 0));
  TcpSpec data;
  data.flags = tcp_flag::kPsh | tcp_flag::kAck;
  data.destination_port = 80;
  data.options = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // TS, SACK
  f.push_back(tcp4_frame(ip, data, 100));
  f.push_back(udp4_frame(ip, 50000, 5004, 40));
  f.push_back(icmp4_echo_frame(ip, false, 1, 2, 56));
  f.push_back(tcp6_frame({}, data, 20));
  f.push_back(udp6_frame({}, 50000, 5004, 30));
  {  // ICMP port unreachable quoting a UDP datagram
    Ipv4Spec inner = ip;
    inner.protocol = ip_proto::kUdp;
    const Bytes datagram = ipv4_packet(inner, udp_datagram(45000, 33434, Bytes(12, 'x')));
    Ipv4Spec outer = ip;
    outer.protocol = ip_proto::kIcmp;
    f.push_back(ethernet_frame({}, ipv4_packet(outer, icmp_message(3, 3, 0, datagram))));
  }
  {  // ICMPv6 neighbour solicitation with a link-layer option
    Ipv6Spec s;
    s.next_header = ip_proto::kIcmpv6;
    s.hop_limit = 255;
    Bytes body(24, 0);  // target 2000::, then a source link-address option
    body[0] = 0x20;
    body[16] = 1;
    body[17] = 1;
    body[18] = 2;
    body[23] = 1;
    EthernetSpec e;
    e.ethertype = 0x86dd;
    f.push_back(ethernet_frame(e, ipv6_packet(s, icmp_message(135, 0, 0, body))));
  }
  {  // ARP request and reply
    EthernetSpec e;
    e.ethertype = 0x0806;
    f.push_back(ethernet_frame(e, arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"),
                                             mac("00:00:00:00:00:00"), ipv4("192.0.2.2"))));
    f.push_back(ethernet_frame(e, arp_packet(2, mac("02:00:00:00:00:02"), ipv4("192.0.2.2"),
                                             mac("02:00:00:00:00:01"), ipv4("192.0.2.1"))));
  }
  {  // IPv4 options and a later fragment
    Ipv4Spec s = ip;
    s.protocol = ip_proto::kUdp;
    s.options = {0x94, 4, 0, 0, 1, 7, 7, 4, 0, 0, 0, 0};  // router alert, NOP, record route
    f.push_back(ethernet_frame({}, ipv4_packet(s, udp_datagram(1, 2, Bytes(8, 'y')))));
    Ipv4Spec frag = ip;
    frag.protocol = ip_proto::kUdp;
    frag.fragment_offset = 185;
    frag.dont_fragment = false;
    f.push_back(ethernet_frame({}, ipv4_packet(frag, Bytes(64, 'z'))));
  }
  {  // IPv6 extension chain: hop-by-hop, routing, destination options, fragment
    Ipv6Spec s;
    s.next_header = ip_proto::kUdp;
    s.extensions = {{ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}},
                    {ip_proto::kIpv6Route, {0, 0, 0, 0, 0, 0}},
                    {ip_proto::kIpv6DestOpts, {1, 4, 0, 0, 0, 0}},
                    {ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 7)}};
    EthernetSpec e;
    e.ethertype = 0x86dd;
    f.push_back(ethernet_frame(e, ipv6_packet(s, udp_datagram(1, 2, Bytes(16, 'w')))));
  }
  {  // 802.1Q, QinQ, an unknown ethertype, an unknown IP protocol, an 802.3 length field
    Ipv4Spec s = ip;
    s.protocol = ip_proto::kUdp;
    EthernetSpec q;
    q.vlans = {{0x8100, 100, 3, false}};
    f.push_back(ethernet_frame(q, ipv4_packet(s, udp_datagram(3, 4, Bytes(10, 'v')))));
    EthernetSpec qq;
    qq.vlans = {{0x88a8, 200, 0, false}, {0x8100, 100, 0, true}};
    qq.ethertype = 0x86dd;
    f.push_back(ethernet_frame(qq, ipv6_packet({}, udp_datagram(3, 4, Bytes(10, 'v')))));
    EthernetSpec unknown;
    unknown.ethertype = 0x88b5;
    f.push_back(ethernet_frame(unknown, Bytes(46, 'u')));
    Ipv4Spec p = ip;
    p.protocol = 253;
    f.push_back(ethernet_frame({}, ipv4_packet(p, Bytes(20, 't'))));
    EthernetSpec llc;
    llc.ethertype = 46;
    f.push_back(ethernet_frame(llc, Bytes(46, 0x42)));
  }
  {  // DNS: a UDP response (compressed names, OPT), a TCP query, an mDNS answer
    DnsMessage r;
    r.flags = 0x8180;
    r.questions = {{"example.com", 1}};
    r.answers = {{"example.com", 5, 1, 300, dns_rdata_mx(10, "mail.example.com")},
                 {"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
    r.additional = {{"", 41, 1232, 0x8000, dns_edns_option(10, Bytes(8, 0xab))}};
    f.push_back(dns_udp4_frame(53, 40000, dns_message(r)));
    DnsMessage q;
    q.questions = {{"example.org", 28}};
    f.push_back(dns_tcp4_frame(40001, 53, dns_tcp_payload(dns_message(q))));
    DnsMessage m;
    m.flags = 0x8400;
    m.answers = {{"printer.local", 33, 0x8001, 120, dns_rdata_srv(0, 0, 631, "printer.local")}};
    f.push_back(dns_udp4_frame(5353, 5353, dns_message(m)));
  }
  {  // tunnels: IP in IP, GRE (keyed, TEB), VXLAN, Geneve, MPLS, PPPoE discovery and session
    Ipv4Spec inner = ip;
    inner.protocol = ip_proto::kUdp;
    const Bytes datagram = ipv4_packet(inner, udp_datagram(7, 9, Bytes(12, 's')));
    Ipv4Spec ipip = ip;
    ipip.protocol = 4;
    f.push_back(ethernet_frame({}, ipv4_packet(ipip, datagram)));
    GreSpec gre;
    gre.key = 42;
    gre.sequence = 1;
    f.push_back(gre_frame(ip, gre, datagram));
    EthernetSpec plain;
    plain.pad = false;
    const Bytes inner_frame = ethernet_frame(plain, datagram);
    GreSpec teb;
    teb.protocol = 0x6558;
    f.push_back(gre_frame(ip, teb, inner_frame));
    f.push_back(vxlan_frame(ip, 40000, 100, inner_frame));
    Ipv4Spec geneve = ip;
    geneve.protocol = ip_proto::kUdp;
    f.push_back(ethernet_frame(
        {}, ipv4_packet(geneve, udp_datagram(40000, 6081,
                                             geneve_packet(7, 0x0800, datagram,
                                                           Bytes{1, 0, 1, 1, 0, 0, 0, 1})))));
    f.push_back(mpls_frame({{100, 0, 64}, {200, 0, 63}}, datagram));
    f.push_back(pppoe_discovery_frame(0x09, 0, pppoe_tag(0x0101, Bytes{'i', 's', 'p'})));
    f.push_back(pppoe_session_frame(0x1234, 0x0021, datagram));
  }
  {  // layer-2 control: LLC/STP, SNAP/CDP, LLDP, LACP, EAPOL (print_llc.cpp and its family)
    const auto join = [](std::initializer_list<Bytes> parts) {
      Bytes b;
      for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
      return b;
    };
    StpSpec rstp;
    rstp.version = 2;
    rstp.type = 2;
    rstp.flags = 0x3c;
    f.push_back(ieee8023_frame(join({llc_header(0x42, 0x42, 0x03), stp_bpdu(rstp)})));
    f.push_back(ieee8023_frame(join({llc_header(0x04, 0x05, 0x0305, true), Bytes(4, 1)})));
    f.push_back(ieee8023_frame(join({snap_header(0x00000c, 0x2000), Bytes{2, 180, 0, 0},
                                     cdp_tlv(1, Bytes{'s', 'w'}), cdp_tlv(4, Bytes{0, 0, 0, 1})})));
    EthernetSpec lldp;
    lldp.ethertype = 0x88cc;
    f.push_back(ethernet_frame(lldp, join({lldp_tlv(1, Bytes{4, 0, 1, 2, 3, 4, 5}),
                                           lldp_tlv(2, Bytes{5, 'e', '0'}), lldp_tlv(3, Bytes{0, 120}),
                                           lldp_tlv(5, Bytes{'s', 'w'}), lldp_tlv(0, {})})));
    EthernetSpec slow;
    slow.ethertype = 0x8809;
    f.push_back(ethernet_frame(slow, join({Bytes{1, 1, 1, 20, 0x80, 0, 0, 1, 2, 3, 4, 5, 0, 13,
                                                 0, 0xff, 0, 7, 0x3d, 0, 0, 0},
                                           Bytes{0, 0}})));
    EthernetSpec eapol;
    eapol.ethertype = 0x888e;
    f.push_back(ethernet_frame(eapol, Bytes{2, 0, 0, 9, 2, 1, 0, 9, 1, 'u', 's', 'e', 'r'}));
  }
  {  // DHCP (print_bootp.cpp, print_dhcp6.cpp): a DHCP discover and a DHCPv6 relayed solicit
    BootpSpec b;
    b.vendor = dhcp_options({{53, {1}}, {61, {1, 0, 0x11, 0x22, 0x33, 0x44, 0x55}},
                             {55, {1, 3, 6, 15}}, {82, {1, 2, 'a', 'b', 9, 1, 7}},
                             {121, {24, 10, 1, 2, 192, 0, 2, 1}}, {81, {1, 0, 0, 'h'}}});
    f.push_back(dhcp4_frame(b));
    const Bytes solicit = dhcp6_message(1, 0x123456, {{1, {0, 3, 0, 1, 2, 0, 0, 0, 0, 1}},
                                                      {8, {0, 0}}, {6, {0, 23}}});
    f.push_back(dhcp6_frame(dhcp6_relay(12, 0, ipv6("2001:db8::1"), ipv6("fe80::1"),
                                        {{18, {'e', 't', 'h'}}, {9, solicit}})));
  }
  {  // NTP (print_ntp.cpp): a server's reply
    Ipv4Spec s = ip;
    s.protocol = ip_proto::kUdp;
    Bytes n(48, 0);
    n[0] = 0x24;
    n[1] = 2;
    n[2] = 6;
    for (std::size_t i = 12; i < 48; ++i) n[i] = static_cast<std::uint8_t>(0xe0 + i);
    f.push_back(ethernet_frame({}, ipv4_packet(s, udp_datagram(123, 40000, n))));
  }
  {  // SNMP (print_snmp.cpp): a v2c GetRequest for sysDescr.0
    Ipv4Spec s = ip;
    s.protocol = ip_proto::kUdp;
    const Bytes m{0x30, 0x27, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
                  0xa0, 0x1a, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
                  0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01,
                  0x01, 0x00, 0x05, 0x00};
    f.push_back(ethernet_frame({}, ipv4_packet(s, udp_datagram(40000, 161, m))));
  }
  {  // syslog (print_syslog.cpp)
    Ipv4Spec s = ip;
    s.protocol = ip_proto::kUdp;
    const std::string_view m = "<134>Dec  2 13:00:00 host app: hello";
    f.push_back(ethernet_frame({}, ipv4_packet(s, udp_datagram(514, 514, Bytes(m.begin(), m.end())))));
  }
  // Transport and security: ESP, AH (around ESP and TCP), HTTP, SCTP, ISAKMP, PTP.
  {
    const Bytes esp = esp_packet(0x1000, 1, Bytes(24, 0x5a));
    f.push_back(ip4_frame_of(ip_proto::kEsp, esp));
    f.push_back(ip6_frame_of(ip_proto::kAh, ah_packet(ip_proto::kEsp, 0x2000, 7, Bytes(12, 1), esp)));
    TcpSpec t;
    t.destination_port = 80;
    f.push_back(ip4_frame_of(ip_proto::kAh, ah_packet(ip_proto::kTcp, 0x2000, 8, Bytes(12, 1),
                                                      tcp_segment(t, Bytes{}))));
    const char request[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    f.push_back(tcp4_frame(ip, t, 0));
    f.push_back(ethernet_frame({}, ipv4_packet(ip, tcp_segment(t, Bytes(request, request + sizeof request - 1)))));
    const Bytes init{0x11, 0x22, 0x33, 0x44, 0, 1, 0, 0, 0, 10, 0, 10, 0, 0, 0, 100};
    const std::vector<Bytes> chunks{sctp_chunk(1, 0, init),
                                    sctp_chunk(0, 3, Bytes{0, 0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 0, 'h', 'i'}),
                                    sctp_chunk(3, 0, Bytes{0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 2, 0, 0, 0, 7})};
    f.push_back(ip4_frame_of(ip_proto::kSctp, sctp_packet(5000, 5001, 1, chunks)));
    // ISAKMP (IKEv1 on 500, IKEv2 after the non-ESP marker on 4500) and PTP (a sync message).
    const Bytes ike{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0, 0, 0, 0, 0, 0, 0, 0,
                    1, 0x10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1};
    Ipv4Spec udp_ip = ip;
    udp_ip.protocol = ip_proto::kUdp;
    f.push_back(ethernet_frame({}, ipv4_packet(udp_ip, udp_datagram(500, 500, ike))));
    Bytes natt{0, 0, 0, 0};
    natt.insert(natt.end(), ike.begin(), ike.end());
    natt[4 + 17] = 0x20;
    natt[4 + 18] = 34;
    natt[4 + 19] = 8;
    f.push_back(ethernet_frame({}, ipv4_packet(udp_ip, udp_datagram(4500, 4500, natt))));
    Bytes sync{0x10, 2, 0, 44, 0, 0, 2, 0};
    sync.resize(44, 0);
    sync[30] = 0;
    sync[31] = 7;
    f.push_back(ethernet_frame({}, ipv4_packet(udp_ip, udp_datagram(319, 319, sync))));
  }
  {  // routing: IGMP v3 report, VRRPv2 with a password, BFD control with MD5 authentication,
    const Ipv4 group{239, 1, 1, 1};
    f.push_back(routing_frame(2, igmp_v3_report({{1, group, {ipv4("10.0.0.1")}}}), ip.source,
                              {224, 0, 0, 22}, 1, true));
    VrrpSpec vrrp;
    vrrp.auth_type = 1;
    vrrp.password = "pw";
    f.push_back(routing_frame(112, vrrp_message(vrrp, ip.source, {224, 0, 0, 18}), ip.source,
                              {224, 0, 0, 18}, 255, false));
    BfdSpec bfd;
    bfd.flags = 0xc4;
    bfd.auth = {2, 24, 1, 0, 0, 0, 0, 1};
    bfd.auth.resize(24, 0xab);
    Ipv4Spec u = ip;
    u.protocol = ip_proto::kUdp;
    f.push_back(ethernet_frame({}, ipv4_packet(u, udp_datagram(49153, 3784, bfd_control(bfd)))));
    // PIM Hello, OSPFv2 Hello, OSPFv3 Hello, BGP Keepalive + Notification, Babel Hello
    f.push_back(routing_frame(103, with_checksum(Bytes{0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105}, 2),
                              ip.source, {224, 0, 0, 13}, 1, false));
    const Bytes hello{255, 255, 255, 0, 0, 10, 0x12, 1, 0, 0, 0, 40, 10, 0, 0, 1, 0, 0, 0, 0, 10, 0, 0, 2};
    f.push_back(routing_frame(89, ospf_message(1, {10, 0, 0, 1}, {0, 0, 0, 0}, hello), ip.source,
                              {224, 0, 0, 5}, 1, false));
    Ipv6Spec v6;
    v6.next_header = 89;
    EthernetSpec e6;
    e6.ethertype = 0x86dd;
    const Bytes hello6{0, 0, 0, 5, 1, 0, 0x02, 0x13, 0, 10, 0, 40, 10, 0, 0, 1, 0, 0, 0, 0, 10, 0, 0, 2};
    f.push_back(ethernet_frame(e6, ipv6_packet(v6, ospf6_message(1, {10, 0, 0, 1}, {0, 0, 0, 0}, hello6))));
    Bytes bgp(16, 0xff);
    bgp.insert(bgp.end(), {0, 19, 4});
    bgp.insert(bgp.end(), 16, 0xff);
    bgp.insert(bgp.end(), {0, 21, 3, 6, 2});
    TcpSpec t;
    t.flags = tcp_flag::kPsh | tcp_flag::kAck;
    t.destination_port = 179;
    f.push_back(ethernet_frame({}, ipv4_packet(ip, tcp_segment(t, bgp))));
    f.push_back(ethernet_frame({}, ipv4_packet(u, udp_datagram(6696, 6696,
                                                               Bytes{42, 2, 0, 8, 4, 6, 0, 0, 0, 1, 1, 0x90}))));
  }
  return f;
}

// Raw IP packets (for RAW, IPV4, IPV6, NULL, LOOP, SLL, SLL2), without an Ethernet header.
std::vector<Bytes> ip_packets(const std::vector<Bytes>& frames) {
  std::vector<Bytes> out;
  for (const Bytes& f : frames) {
    if (f.size() > 14 && f[12] == 0x08 && f[13] == 0x00) out.emplace_back(f.begin() + 14, f.end());
    if (f.size() > 14 && f[12] == 0x86 && f[13] == 0xdd) out.emplace_back(f.begin() + 14, f.end());
  }
  return out;
}

std::vector<Record> records_of(const std::vector<Bytes>& packets, std::int64_t step_ns = 1'234'567) {
  std::vector<Record> r;
  std::int64_t t = kEpochNs;
  for (const Bytes& p : packets) {
    r.push_back({p, t, 0});
    t += step_ns;
  }
  return r;
}

// A link-layer header put in front of each IP packet.
template <typename Header>
std::vector<Bytes> with_header(const std::vector<Bytes>& packets, Header header) {
  std::vector<Bytes> out;
  for (const Bytes& p : packets) {
    Bytes b = header(p);
    b.insert(b.end(), p.begin(), p.end());
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Bytes> frames_of(const std::vector<Record>& records) {
  std::vector<Bytes> out;
  for (const Record& r : records) out.push_back(r.data);
  return out;
}

bool is_v6(const Bytes& p) { return !p.empty() && (p[0] >> 4) == 6; }

Bytes sll_header(const Bytes& p) {
  Bytes h{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};
  h.push_back(is_v6(p) ? 0x86 : 0x08);
  h.push_back(is_v6(p) ? 0xdd : 0x00);
  return h;
}
Bytes sll2_header(const Bytes& p) {
  Bytes h{static_cast<std::uint8_t>(is_v6(p) ? 0x86 : 0x08), static_cast<std::uint8_t>(is_v6(p) ? 0xdd : 0x00),
          0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0};
  return h;
}
Bytes null_header(const Bytes& p) {  // host byte order address family
  const std::uint32_t family = is_v6(p) ? 10 : 2;
  Bytes h(4);
  for (int i = 0; i < 4; ++i) h[static_cast<std::size_t>(i)] = reinterpret_cast<const std::uint8_t*>(&family)[i];
  return h;
}
Bytes loop_header(const Bytes& p) {  // network byte order; 24/28/30 are the BSDs' AF_INET6
  return {0, 0, 0, static_cast<std::uint8_t>(is_v6(p) ? 24 : 2)};
}

// A gzip member holding `data` (what `gzip -c` writes).
Bytes gzip_compress(const Bytes& data) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  Bytes out(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int r = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (r != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

// An Interface Description Block body (host byte order) with if_tsresol and if_tsoffset.
Bytes idb_with_time_options(std::uint8_t tsresol, std::int64_t tsoffset) {
  // Ethernet, snaplen 262144, if_tsresol, if_tsoffset, opt_endofopt (little-endian host).
  std::uint8_t b[36] = {1, 0, 0, 0, 0, 0, 4, 0, 9, 0, 1, 0, tsresol, 0, 0, 0, 14, 0, 8, 0};
  std::memcpy(b + 20, &tsoffset, 8);
  return Bytes(b, b + sizeof b);
}

// An Enhanced Packet Block body for interface 0 with a raw 64-bit timestamp.
Bytes epb_with_units(std::uint64_t units, const Bytes& frame) {
  const auto len = static_cast<std::uint32_t>(frame.size());
  const std::uint32_t fields[5] = {0, static_cast<std::uint32_t>(units >> 32),
                                   static_cast<std::uint32_t>(units), len, len};
  Bytes body(sizeof fields + frame.size());
  std::memcpy(body.data(), fields, sizeof fields);
  std::copy(frame.begin(), frame.end(), body.begin() + sizeof fields);
  return body;
}

Bytes cut(Bytes b, std::size_t remove) {
  b.resize(b.size() > remove ? b.size() - remove : 0);
  return b;
}

}  // namespace

std::vector<Seed> make_seeds() {
  using test::PcapngBuilder;
  using test::PcapSpec;
  std::vector<Seed> seeds;
  const std::vector<Bytes> frames = ethernet_frames();
  const std::vector<Record> records = records_of(frames);
  const std::vector<Bytes> ip = ip_packets(frames);

  // pcap: both byte orders, both resolutions.
  for (int swapped = 0; swapped < 2; ++swapped) {
    for (int nano = 0; nano < 2; ++nano) {
      PcapSpec spec;
      spec.swapped = swapped != 0;
      spec.nano = nano != 0;
      seeds.push_back({std::string("pcap-") + (swapped ? "swapped" : "native") + (nano ? "-ns" : "-us"),
                       test::pcap_file(spec, records)});
    }
  }
  // Every link type the decoder knows, and one it does not.
  {
    PcapSpec raw;
    raw.link_type = 101;
    seeds.push_back({"pcap-raw", test::pcap_file(raw, records_of(ip))});
    std::vector<Bytes> v4, v6;
    for (const Bytes& p : ip) (is_v6(p) ? v6 : v4).push_back(p);
    PcapSpec ipv4_only;
    ipv4_only.link_type = 228;
    seeds.push_back({"pcap-ipv4", test::pcap_file(ipv4_only, records_of(v4))});
    PcapSpec ipv6_only;
    ipv6_only.link_type = 229;
    seeds.push_back({"pcap-ipv6", test::pcap_file(ipv6_only, records_of(v6))});
    PcapSpec sll;
    sll.link_type = 113;
    seeds.push_back({"pcap-sll", test::pcap_file(sll, records_of(with_header(ip, sll_header)))});
    PcapSpec sll2;
    sll2.link_type = 276;
    seeds.push_back({"pcap-sll2", test::pcap_file(sll2, records_of(with_header(ip, sll2_header)))});
    PcapSpec null;
    null.link_type = 0;
    seeds.push_back({"pcap-null", test::pcap_file(null, records_of(with_header(ip, null_header)))});
    PcapSpec loop;
    loop.link_type = 108;
    seeds.push_back({"pcap-loop", test::pcap_file(loop, records_of(with_header(ip, loop_header)))});
    PcapSpec other;
    other.link_type = 147;  // USER0
    seeds.push_back({"pcap-user0", test::pcap_file(other, records_of(frames))});
  }
  // Frames cut by a small snaplen (caplen < wire length), and records cut at every length
  // near the header boundaries.
  {
    PcapSpec spec;
    spec.snaplen = 64;
    std::vector<Record> cut_records;
    for (const Record& r : records) {
      Record c = r;
      c.wire_length = static_cast<std::uint32_t>(r.data.size());
      if (c.data.size() > 64) c.data.resize(64);
      cut_records.push_back(c);
    }
    seeds.push_back({"pcap-snaplen-64", test::pcap_file(spec, cut_records)});
    std::vector<Record> odd;
    const Bytes& tcp = frames[1];
    for (std::size_t len : {0, 1, 6, 13, 14, 15, 18, 20, 33, 34, 35, 47, 53, 54, 55, 66}) {
      len = std::min(len, tcp.size());
      Record c{Bytes(tcp.begin(), tcp.begin() + static_cast<std::ptrdiff_t>(len)),
               kEpochNs + static_cast<std::int64_t>(len), static_cast<std::uint32_t>(tcp.size())};
      odd.push_back(c);
    }
    seeds.push_back({"pcap-odd-caplens", test::pcap_file({}, odd)});
  }
  // Odd files: caplen above the snaplen, caplen above the maximum, zero snaplen, cut records,
  // a cut file header, only a header, nothing at all.
  {
    PcapSpec small;
    small.snaplen = 32;
    Bytes f = test::pcap_file(small, {});
    const Bytes& frame = frames[0];
    const Bytes h = test::pcap_record_header(small, 1700000000, 1, static_cast<std::uint32_t>(frame.size()),
                                             static_cast<std::uint32_t>(frame.size()));
    f.insert(f.end(), h.begin(), h.end());
    f.insert(f.end(), frame.begin(), frame.end());
    f.insert(f.end(), h.begin(), h.end());
    f.insert(f.end(), frame.begin(), frame.end());
    seeds.push_back({"pcap-caplen-above-snaplen", f});

    Bytes huge = test::pcap_file({}, records_of({frames[0]}));
    const Bytes big = test::pcap_record_header({}, 1700000000, 2, 300000, 300000);
    huge.insert(huge.end(), big.begin(), big.end());
    huge.insert(huge.end(), 64, 0);
    seeds.push_back({"pcap-caplen-above-maximum", huge});

    PcapSpec zero;
    zero.snaplen = 0;
    seeds.push_back({"pcap-snaplen-0", test::pcap_file(zero, records_of({frames[2]}))});
    PcapSpec absurd;
    absurd.snaplen = 0xffffffff;
    seeds.push_back({"pcap-snaplen-absurd", test::pcap_file(absurd, records_of({frames[2]}))});

    const Bytes whole = test::pcap_file({}, records);
    seeds.push_back({"pcap-cut-in-data", cut(whole, 7)});
    seeds.push_back({"pcap-cut-in-record-header", cut(test::pcap_file({}, records_of({frames[0], frames[1]})),
                                                       frames[1].size() + 5)});
    seeds.push_back({"pcap-cut-in-file-header", Bytes(whole.begin(), whole.begin() + 10)});
    // Longer than a record header: read through a stalled pipe, it must not become one.
    seeds.push_back({"pcap-cut-in-file-header-20", Bytes(whole.begin(), whole.begin() + 20)});
    seeds.push_back({"pcap-header-only", test::pcap_file({}, {})});
    seeds.push_back({"empty", {}});
    Bytes bad_version = test::pcap_file({}, records_of({frames[0]}));
    bad_version[4] = 9;
    seeds.push_back({"pcap-bad-version", bad_version});
  }
  // pcapng: several interfaces of different link types and resolutions, an SPB, an unknown
  // block, a second section; both byte orders.
  for (int swapped = 0; swapped < 2; ++swapped) {
    PcapngBuilder b(swapped != 0);
    b.section();
    b.interface(1);
    b.interface(101, 65535, 9);
    b.interface(113, 262144, 0x80 | 20);
    b.interface(1, 128, 3);
    const std::vector<Bytes> sll = with_header(ip, sll_header);
    for (std::size_t i = 0; i < frames.size(); ++i) {
      b.packet(static_cast<std::uint32_t>(i % 4 == 1 ? 1 : i % 4 == 2 ? 2 : i % 4 == 3 ? 3 : 0),
               i % 4 == 1 ? Record{ip[i % ip.size()], kEpochNs + static_cast<std::int64_t>(i) * 1000, 0}
               : i % 4 == 2 ? Record{sll[i % sll.size()], kEpochNs + static_cast<std::int64_t>(i) * 1000, 0}
                            : records[i]);
    }
    b.simple_packet(records[3]);
    const Bytes custom{'s', 'l', 'i', 'm', 0, 0, 0, 0};
    b.block(0x00000BAD, custom);
    b.section();
    b.interface(229, 262144, 6);
    for (const Bytes& p : ip)
      if (is_v6(p)) b.packet(0, {p, kEpochNs, static_cast<std::uint32_t>(p.size() + 10)});
    seeds.push_back({std::string("pcapng-") + (swapped ? "swapped" : "native"), b.bytes()});
    seeds.push_back({std::string("pcapng-cut-") + (swapped ? "swapped" : "native"), cut(b.bytes(), 9)});
  }
  // if_tsoffset and if_tsresol at their limits (libpcap's arithmetic wraps there), the
  // resolutions it refuses, and a packet block before any interface.
  {
    const std::pair<std::uint8_t, std::int64_t> times[] = {
        {6, INT64_MAX}, {6, INT64_MIN}, {9, -1700000000}, {19, 1000000000000},
        {0x80 | 63, INT64_MIN + 1}, {0, INT64_MAX}, {20, 0}, {100, 0}, {0x80 | 64, 0},
        {0x80 | 127, 0}};
    for (const auto& [tsresol, tsoffset] : times) {
      PcapngBuilder b;
      b.section().block(1, idb_with_time_options(tsresol, tsoffset));
      for (const std::uint64_t units : {UINT64_MAX, std::uint64_t{0}, std::uint64_t{1} << 63})
        b.block(6, epb_with_units(units, frames[2]));
      seeds.push_back({"pcapng-time-" + std::to_string(tsresol) + "-" + std::to_string(tsoffset),
                       b.bytes()});
    }
    PcapngBuilder stalls;  // through a pipe that stalls, the reader waits inside this header
    stalls.section().interface(1).packet(0, records[0]).section();
    seeds.push_back({"pcapng-cut-in-second-section", cut(stalls.bytes(), 10)});
    PcapngBuilder early;
    early.section().packet(0, records[0]).interface(1).packet(0, records[1]);
    seeds.push_back({"pcapng-packet-before-interface", early.bytes()});
  }
  // Enough packets for several writer batches and reader refills through the pipe.
  {
    std::vector<Record> many;
    for (std::size_t i = 0; i < 400; ++i) many.push_back(records[i % records.size()]);
    seeds.push_back({"pcap-many", test::pcap_file({}, records_of(frames_of(many)))});
  }
  // gzip copies, whole, cut, and two members.
  {
    std::vector<Seed> compressed;
    for (const Seed& s : seeds) {
      if (s.name == "pcap-native-us" || s.name == "pcapng-swapped" || s.name == "pcap-many")
        compressed.push_back({s.name + ".gz", gzip_compress(s.data)});
    }
    compressed.push_back({"gzip-cut", cut(gzip_compress(seeds.front().data), 9)});
    Bytes two = gzip_compress(seeds.front().data);
    const Bytes second = gzip_compress(test::pcap_file({}, {}));
    two.insert(two.end(), second.begin(), second.end());
    compressed.push_back({"gzip-two-members", two});
    for (Seed& s : compressed) seeds.push_back(std::move(s));
  }
  // zstd copies of a few of the above.
  {
    std::vector<Seed> compressed;
    for (const Seed& s : seeds) {
      if (s.name == "pcap-native-us" || s.name == "pcapng-native" || s.name == "pcap-cut-in-data" ||
          s.name == "pcap-sll2") {
        compressed.push_back({s.name + ".zst", test::zstd_compress(s.data)});
      }
    }
    Bytes zst = test::zstd_compress(seeds.front().data);
    compressed.push_back({"zstd-cut", cut(zst, 5)});
    for (Seed& s : compressed) seeds.push_back(std::move(s));
  }
  return seeds;
}

}  // namespace slimcap::fuzz
