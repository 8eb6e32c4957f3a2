// The text printer: golden lines, agreement with tcpdump -n -S on generated frames (whole and
// cut at every offset, every link type, every printing flag), and frames cut at every offset.

#include <doctest/doctest.h>

#include <arpa/inet.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

constexpr std::int64_t kEpoch = kPrintEpoch;

TcpSpec syn_with_options() {
  TcpSpec t;
  t.flags = tcp_flag::kSyn;
  t.seq = 1000000;
  t.window = 64240;
  t.options = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};
  return t;
}

Bytes with_ethertype(std::uint16_t ethertype, std::span<const std::uint8_t> payload) {
  EthernetSpec e;
  e.ethertype = ethertype;
  return ethernet_frame(e, payload);
}

// An IPv4 packet carrying the first 28 bytes of a UDP datagram, as ICMP errors quote it.
Bytes quoted_udp() {
  Ipv4Spec inner;
  inner.protocol = ip_proto::kUdp;
  const Bytes original = ipv4_packet(inner, udp_datagram(50000, 33434, Bytes(24, 0)));
  return Bytes(original.begin(), original.begin() + 28);
}

Bytes icmp4_frame(std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                  std::span<const std::uint8_t> body) {
  Ipv4Spec outer;
  outer.protocol = ip_proto::kIcmp;
  outer.source = ipv4("198.51.100.2");
  outer.destination = ipv4("192.0.2.1");
  return ethernet_frame({}, ipv4_packet(outer, icmp_message(type, code, rest, body)));
}

Bytes icmp6_packet(std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                   std::span<const std::uint8_t> body, std::uint8_t hop_limit = 64) {
  Ipv6Spec v6;
  v6.next_header = ip_proto::kIcmpv6;
  v6.hop_limit = hop_limit;
  return ipv6_packet(v6, icmp_message(type, code, rest, body));
}

// Ethernet frames: every protocol and shape the printer knows, ports that tcpdump does not
// dissect further.
std::vector<Bytes> varied_frames() {
  std::vector<Bytes> f;
  Ipv4Spec ip;
  f.push_back(tcp4_frame(ip, syn_with_options(), 0));
  TcpSpec data;
  data.flags = tcp_flag::kPsh | tcp_flag::kAck;
  data.ack = 77;
  f.push_back(tcp4_frame(ip, data, 100));
  TcpSpec odd;
  odd.flags = tcp_flag::kFin | tcp_flag::kAck | tcp_flag::kUrg | tcp_flag::kEce;
  odd.urgent = 5;
  f.push_back(tcp4_frame(ip, odd, 10));
  TcpSpec sack;
  sack.options = {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9};
  f.push_back(tcp4_frame(ip, sack, 0));
  for (std::uint8_t flags : {std::uint8_t(tcp_flag::kSyn | tcp_flag::kAck), std::uint8_t(tcp_flag::kRst),
                             std::uint8_t(tcp_flag::kRst | tcp_flag::kAck),
                             std::uint8_t(tcp_flag::kFin | tcp_flag::kAck),
                             std::uint8_t(tcp_flag::kSyn | tcp_flag::kEce | tcp_flag::kCwr),
                             std::uint8_t(0)}) {
    TcpSpec t;
    t.flags = flags;
    t.seq = 4000000000u;
    t.ack = 12345;
    t.source_port = 5201;
    t.destination_port = 41000;
    if (flags & tcp_flag::kSyn) t.options = {2, 4, 0x23, 0x28, 1, 3, 3, 0, 4, 2};
    f.push_back(tcp4_frame(ip, t, flags == 0 ? 3 : 0));
  }
  {
    TcpSpec bad = data;  // a wrong checksum, for -v
    Bytes frame = tcp4_frame(ip, bad, 20);
    frame[14 + 20 + 16] ^= 0x5a;
    f.push_back(frame);
    TcpSpec unknown_option = data;
    unknown_option.options = {99, 6, 1, 2, 3, 4, 0, 0};
    f.push_back(tcp4_frame(ip, unknown_option, 4));
  }
  f.push_back(udp4_frame(ip, 40000, 5001, 32));
  f.push_back(udp4_frame(ip, 40000, 5001, 0));
  f.push_back(icmp4_echo_frame(ip, false, 7, 1, 56));
  f.push_back(icmp4_echo_frame(ip, true, 7, 1, 56));
  const Bytes quoted = quoted_udp();
  for (std::uint8_t code : {0, 1, 2, 3, 9, 10, 13}) f.push_back(icmp4_frame(3, code, 0, quoted));
  f.push_back(icmp4_frame(3, 4, 1400, quoted));
  f.push_back(icmp4_frame(11, 0, 0, quoted));
  f.push_back(icmp4_frame(11, 1, 0, quoted));
  f.push_back(icmp4_frame(5, 1, 0xc0000201, quoted));
  f.push_back(icmp4_frame(5, 7, 0xc0000201, quoted));  // a redirect code tcpdump does not name
  {
    // Wrong checksums, for -v: ICMP, UDP, and the IPv4 header.
    Bytes icmp = icmp4_frame(8, 0, 0x00070001, Bytes(8, 1));
    icmp[14 + 20 + 2] ^= 0x11;
    f.push_back(icmp);
    Bytes udp = udp4_frame(ip, 40000, 5001, 12);
    udp[14 + 20 + 6] ^= 0x22;
    f.push_back(udp);
    Bytes unsummed = udp4_frame(ip, 40000, 5001, 12);  // no checksum: -vv says so
    unsummed[14 + 20 + 6] = unsummed[14 + 20 + 7] = 0;
    f.push_back(unsummed);
    Bytes header = udp4_frame(ip, 40000, 5001, 12);
    header[14 + 10] ^= 0x33;
    f.push_back(header);
  }
  {
    Ipv4Spec opts = ip;
    opts.protocol = ip_proto::kUdp;
    opts.options = {148, 4, 0, 0};
    f.push_back(ethernet_frame({}, ipv4_packet(opts, udp_datagram(1234, 5678, Bytes(20, 1)))));
    opts.options = {1, 1, 1, 0};
    f.push_back(ethernet_frame({}, ipv4_packet(opts, udp_datagram(1234, 5678, Bytes(20, 1)))));
  }
  {
    Ipv4Spec frag = ip;
    frag.protocol = ip_proto::kUdp;
    frag.dont_fragment = false;
    frag.more_fragments = false;
    frag.fragment_offset = 185;
    f.push_back(ethernet_frame({}, ipv4_packet(frag, Bytes(100, 2))));
    frag.more_fragments = true;
    frag.fragment_offset = 0;
    frag.id = 4242;
    Bytes first = ipv4_packet(frag, udp_datagram(40002, 5003, Bytes(200, 9)));
    first.resize(20 + 96);
    store_be16(first.data() + 2, 116);
    f.push_back(ethernet_frame({}, first));
    frag.fragment_offset = 12;
    frag.protocol = ip_proto::kTcp;
    f.push_back(ethernet_frame({}, ipv4_packet(frag, Bytes(48, 3))));
  }
  Ipv6Spec v6;
  f.push_back(tcp6_frame(v6, syn_with_options(), 0));
  f.push_back(tcp6_frame(v6, data, 20));
  f.push_back(udp6_frame(v6, 40001, 5002, 48));
  {
    Ipv6Spec flow = v6;
    flow.flow_label = 0x12345;
    flow.traffic_class = 0xb8;
    f.push_back(udp6_frame(flow, 40001, 5002, 8));
  }
  f.push_back(with_ethertype(0x86dd, icmp6_packet(128, 0, 0x00420001, Bytes(56, 3))));
  f.push_back(with_ethertype(0x86dd, icmp6_packet(129, 0, 0x00420001, Bytes(56, 3))));
  {
    const Ipv6 target = ipv6("2001:db8::2");
    Bytes ns(target.begin(), target.end());
    const Bytes lladdr{1, 1, 2, 0, 0, 0, 0, 1};
    ns.insert(ns.end(), lladdr.begin(), lladdr.end());
    f.push_back(with_ethertype(0x86dd, icmp6_packet(135, 0, 0, ns, 255)));
    Bytes na(target.begin(), target.end());
    const Bytes target_ll{2, 1, 2, 0, 0, 0, 0, 2};
    na.insert(na.end(), target_ll.begin(), target_ll.end());
    f.push_back(with_ethertype(0x86dd, icmp6_packet(136, 0, 0x60000000, na, 255)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(133, 0, 0, lladdr, 255)));
    Bytes ra{0, 0, 0, 0, 0, 0, 0, 0};  // reachable time, retrans timer
    ra.insert(ra.end(), lladdr.begin(), lladdr.end());
    f.push_back(with_ethertype(0x86dd, icmp6_packet(134, 0, 0x40000708, ra, 255)));
    Ipv6Spec inner = v6;
    inner.next_header = ip_proto::kUdp;
    const Bytes original = ipv6_packet(inner, udp_datagram(50000, 33434, Bytes(8, 0)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(1, 4, 0, original)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(1, 0, 0, original)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(3, 0, 0, original)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(2, 0, 1280, original)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(1, 9, 0, original)));  // unnamed codes
    for (std::uint8_t code : {0, 1, 2, 9})
      f.push_back(with_ethertype(0x86dd, icmp6_packet(4, code, 6, original)));
    // MLD: version 1 query, report and done; version 2 queries (floating-point codes, sources,
    // a length neither version has) and a report of three records, one of an unknown type.
    const Ipv6 group = ipv6("ff02::1:ff00:2");
    const Ipv6 source1 = ipv6("2001:db8::7"), source2 = ipv6("2001:db8::8");
    const auto concat = [](std::initializer_list<std::span<const std::uint8_t>> parts) {
      Bytes b;
      for (auto p : parts) b.insert(b.end(), p.begin(), p.end());
      return b;
    };
    f.push_back(with_ethertype(0x86dd, icmp6_packet(130, 0, 1000u << 16, group, 1)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(131, 0, 0, group, 1)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(132, 0, 0, group, 1)));
    const Bytes query_tail{0x0a, 125, 0, 0};  // S flag, robustness 2, QQIC 125, no sources
    f.push_back(with_ethertype(0x86dd, icmp6_packet(130, 0, 0x8123u << 16, concat({group, query_tail}), 1)));
    const Bytes sources_tail{0x02, 200, 0, 2};  // QQIC with an exponent, two sources
    f.push_back(with_ethertype(
        0x86dd, icmp6_packet(130, 0, 10000u << 16, concat({group, sources_tail, source1, source2}), 1)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(130, 0, 0, Bytes(group.begin(), group.begin() + 8), 1)));
    const Bytes to_exclude{4, 0, 0, 0}, is_include{1, 0, 0, 2}, unknown_record{9, 0, 0, 0};
    const Ipv6 site_group = ipv6("ff05::5"), other_group = ipv6("ff05::6");
    f.push_back(with_ethertype(
        0x86dd, icmp6_packet(143, 0, 3,
                             concat({to_exclude, group, is_include, site_group, source1, source2,
                                     unknown_record, other_group}),
                             1)));
    // A neighbor discovery redirect with a target link-layer address option; messages tcpdump
    // names only, or dumps in hex.
    const Bytes redirect_ll{2, 1, 2, 0, 0, 0, 0, 9};
    const Ipv6 better = ipv6("fe80::1"), destination = ipv6("2001:db8::9");
    f.push_back(with_ethertype(0x86dd, icmp6_packet(137, 0, 0, concat({better, destination, redirect_ll}), 255)));
    const std::string text = "mtrace-resp-data";
    f.push_back(with_ethertype(0x86dd, icmp6_packet(200, 0, 0, Bytes(text.begin(), text.end()))));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(250, 3, 0x01020304, Bytes(13, 0x61))));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(141, 0, 0, redirect_ll)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(144, 0, 0x12340000, {})));
    // Router advertisements with every option tcpdump decodes, an unknown one (dumped, and
    // the end of the list), a DNS search list with control and high bytes in its labels, and
    // a zero-length option; a redirect quoting a header.
    const auto option = [](std::uint8_t type, std::initializer_list<std::uint8_t> data) {
      Bytes o{type, static_cast<std::uint8_t>((data.size() + 2 + 7) / 8)};
      o.insert(o.end(), data.begin(), data.end());
      o.resize(o[1] * 8u, 0);
      return o;
    };
    const Ipv6 prefix1 = ipv6("2001:db8:1::"), prefix2 = ipv6("2001:db8:2::"),
               dns1 = ipv6("2001:db8::53"), dns2 = ipv6("2001:db8::54"), route = ipv6("2001:db8:4::");
    const Bytes source_ll = option(1, {2, 0, 0, 0, 0, 1});
    const Bytes mtu = option(5, {0, 0, 0, 0, 0x05, 0xdc});
    Bytes prefix_info = option(3, {64, 0xc0, 0, 0x27, 0x8d, 0, 0, 0x09, 0x3a, 0x80, 0, 0, 0, 0});
    prefix_info.resize(16);
    prefix_info.insert(prefix_info.end(), prefix1.begin(), prefix1.end());
    Bytes forever = option(3, {48, 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0});
    forever.resize(16);
    forever.insert(forever.end(), prefix2.begin(), prefix2.end());
    Bytes short_prefix = prefix_info;  // says 16 bytes: tcpdump reads 32 and adds "badlen"
    prefix_info[1] = forever[1] = 4;
    Bytes rdnss = option(25, {0, 0, 0, 0, 0x0e, 0x10});
    rdnss.insert(rdnss.end(), dns1.begin(), dns1.end());
    rdnss.insert(rdnss.end(), dns2.begin(), dns2.end());
    rdnss[1] = 5;
    const Bytes route_default = option(24, {0, 0x08, 0, 0, 0x07, 0x08});
    Bytes route_48 = option(24, {48, 0x18, 0, 0, 0x07, 0x08, 0x20, 0x01, 0x0d, 0xb8, 0, 3, 0, 0});
    Bytes route_64 = option(24, {64, 0, 0xff, 0xff, 0xff, 0xff});
    route_64.insert(route_64.end(), route.begin(), route.end());
    route_64[1] = 3;
    const Bytes interval = option(7, {0, 0, 0, 0x09, 0x27, 0xc0});
    const Bytes home_agent = option(8, {0, 0, 0, 10, 0x07, 0x08});
    const Bytes search = option(31, {0, 0, 0, 0, 0x04, 0xb0, 7, 'e', 'x', 1, 'm', 0x1b, 'p', 'l',
                                     3, 'c', '.', 'm', 0, 3, 'l', 0xff, 'b', 0});
    const Bytes unknown_option = option(32, {'a', 'b', 'c', 'd', 'e', 'f'});
    const Bytes reachable{0, 0, 0x75, 0x30, 0, 0, 0x03, 0xe8};
    f.push_back(with_ethertype(0x86dd, icmp6_packet(134, 0, 0x40c80708,
        concat({reachable, source_ll, mtu, prefix_info, forever, rdnss}), 255)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(134, 0, 0x40000708,
        concat({reachable, short_prefix, source_ll}), 255)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(134, 0, 0x40000708,
        concat({reachable, route_default, route_48, route_64, interval, home_agent}), 255)));
    f.push_back(with_ethertype(0x86dd, icmp6_packet(134, 0, 0x40000708,
        concat({reachable, search, unknown_option, source_ll}), 255)));
    const Bytes zero_length{1, 0, 0, 0, 0, 0, 0, 0};
    f.push_back(with_ethertype(0x86dd, icmp6_packet(133, 0, 0, concat({source_ll, zero_length}), 255)));
    Bytes quoted_header{4, 6, 0, 0, 0, 0, 0, 0, 0x60};
    quoted_header.resize(48, 0);
    f.push_back(with_ethertype(0x86dd, icmp6_packet(137, 0, 0,
        concat({better, destination, source_ll, quoted_header}), 255)));
    // Lengths that disagree with the capture: a payload length of 0, of 1, and an echo
    // request followed by padding that its payload length leaves out.
    for (std::uint16_t payload : {0, 1, 6}) {
      Bytes short_length = with_ethertype(0x86dd, icmp6_packet(130, 0, 1000u << 16, group, 1));
      store_be16(short_length.data() + 14 + 4, payload);
      f.push_back(short_length);
    }
    Bytes padded = with_ethertype(0x86dd, icmp6_packet(128, 0, 0x00420001, Bytes(8, 3)));
    padded.resize(padded.size() + 10, 0xee);
    f.push_back(padded);
    Bytes bad_sum = with_ethertype(0x86dd, icmp6_packet(128, 0, 0x00420001, Bytes(8, 3)));
    bad_sum[14 + 40 + 2] ^= 0x44;
    f.push_back(bad_sum);
  }
  {
    Ipv6Spec ext = v6;
    ext.next_header = ip_proto::kUdp;
    ext.extensions.push_back({ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}});
    ext.extensions.push_back({ip_proto::kIpv6DestOpts, {1, 4, 0, 0, 0, 0}});
    f.push_back(with_ethertype(0x86dd, ipv6_packet(ext, udp_datagram(50005, 5008, Bytes(20, 4)))));
    Ipv6Spec frag = v6;
    frag.next_header = ip_proto::kUdp;
    frag.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 0x1234abcd)});
    f.push_back(with_ethertype(0x86dd, ipv6_packet(frag, udp_datagram(50006, 5009, Bytes(64, 5)))));
    Ipv6Spec later = v6;
    later.next_header = ip_proto::kUdp;
    later.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(9, false, 0x1234abcd)});
    f.push_back(with_ethertype(0x86dd, ipv6_packet(later, Bytes(40, 6))));
    Ipv6Spec routed = v6;  // routing headers: type 0 without addresses, and an SRH
    routed.next_header = ip_proto::kUdp;
    routed.extensions.push_back({ip_proto::kIpv6Route, {0, 0, 0, 0, 0, 0}});
    f.push_back(with_ethertype(0x86dd, ipv6_packet(routed, udp_datagram(50007, 5010, Bytes(8, 1)))));
    Bytes srh{4, 0, 0, 0, 0, 0};
    const Ipv6 segment = ipv6("2001:db8::2");
    srh.insert(srh.end(), segment.begin(), segment.end());
    routed.extensions[0] = {ip_proto::kIpv6Route, srh};
    f.push_back(with_ethertype(0x86dd, ipv6_packet(routed, udp_datagram(50008, 5011, Bytes(8, 1)))));
    Ipv6Spec unknown = v6;
    unknown.next_header = 253;
    f.push_back(with_ethertype(0x86dd, ipv6_packet(unknown, Bytes(24, 7))));
  }
  EthernetSpec broadcast_arp;
  broadcast_arp.destination = mac("ff:ff:ff:ff:ff:ff");
  broadcast_arp.ethertype = 0x0806;
  EthernetSpec arp_spec;
  arp_spec.ethertype = 0x0806;
  f.push_back(ethernet_frame(broadcast_arp,
                             arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"), Mac{},
                                        ipv4("192.0.2.2"))));
  f.push_back(ethernet_frame(arp_spec,
                             arp_packet(2, mac("02:00:00:00:00:02"), ipv4("192.0.2.2"),
                                        mac("02:00:00:00:00:01"), ipv4("192.0.2.1"))));
  {
    EthernetSpec vlan;
    vlan.vlans = {VlanTag{0x8100, 100, 3, false}};
    Ipv4Spec u = ip;
    u.protocol = ip_proto::kUdp;
    f.push_back(ethernet_frame(vlan, ipv4_packet(u, udp_datagram(1, 2, Bytes(40, 6)))));
    EthernetSpec qinq;
    qinq.vlans = {VlanTag{0x88a8, 200, 0, false}, VlanTag{0x8100, 100, 0, true}};
    f.push_back(ethernet_frame(qinq, ipv4_packet(u, udp_datagram(3, 4, Bytes(60, 7)))));
    EthernetSpec old_qinq;
    old_qinq.vlans = {VlanTag{0x9100, 300, 5, false}, VlanTag{0x8100, 4094, 0, false}};
    old_qinq.ethertype = 0x86dd;
    f.push_back(ethernet_frame(old_qinq, ipv6_packet(v6, tcp_segment(data, Bytes(8, 1)))));
    EthernetSpec vlan_arp;
    vlan_arp.vlans = {VlanTag{0x8100, 7, 0, false}};
    vlan_arp.ethertype = 0x0806;
    f.push_back(ethernet_frame(vlan_arp,
                               arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"),
                                          Mac{}, ipv4("192.0.2.2"))));
  }
  {
    const std::string text = "slimcap payload: the quick brown fox";
    f.push_back(with_ethertype(0x88b5, Bytes(text.begin(), text.end())));
    Ipv4Spec proto = ip;
    proto.protocol = 253;
    f.push_back(ethernet_frame({}, ipv4_packet(proto, Bytes(20, 8))));
  }
  return f;
}

// Network-layer packets for the link types that carry no Ethernet header.
std::vector<Bytes> network_packets() {
  std::vector<Bytes> p;
  Ipv4Spec ip;
  p.push_back(ipv4_packet(ip, tcp_segment(syn_with_options(), {})));
  Ipv4Spec u = ip;
  u.protocol = ip_proto::kUdp;
  p.push_back(ipv4_packet(u, udp_datagram(40000, 5001, Bytes(12, 1))));
  Ipv4Spec i = ip;
  i.protocol = ip_proto::kIcmp;
  p.push_back(ipv4_packet(i, icmp_message(8, 0, 0x00070001, Bytes(16, 2))));
  Ipv6Spec v6;
  v6.next_header = ip_proto::kUdp;
  p.push_back(ipv6_packet(v6, udp_datagram(40001, 5002, Bytes(10, 3))));
  Ipv6Spec e6;
  e6.next_header = ip_proto::kIcmpv6;
  p.push_back(ipv6_packet(e6, icmp_message(128, 0, 0x00420001, Bytes(8, 3))));
  return p;
}

// Prefixes a link header of `link_type` (SLL, SLL2, NULL, LOOP, RAW) to a network packet.
Bytes with_link_header(std::uint32_t link_type, std::span<const std::uint8_t> packet,
                       bool swap = false) {
  const bool v6 = !packet.empty() && (packet[0] >> 4) == 6;
  const std::uint8_t hi = v6 ? 0x86 : 0x08, lo = v6 ? 0xdd : 0x00;
  std::array<std::uint8_t, 20> h{};
  std::size_t n = 0;
  switch (link_type) {
    case 113:  // LINUX_SLL: packet type 4 (outgoing), ARPHRD 1, address length 6, address, protocol
      h = {0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, hi, lo};
      n = 16;
      break;
    case 276:  // LINUX_SLL2: protocol, reserved, ifindex 1, ARPHRD 1, packet type 4, length 6, address
      h = {hi, lo, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0};
      n = 20;
      break;
    case 0: {  // NULL: AF_ in host order (or the other order, which tcpdump accepts too)
      std::uint32_t family = v6 ? 30 : 2;
      if (swap) family = __builtin_bswap32(family);
      std::memcpy(h.data(), &family, 4);
      n = 4;
      break;
    }
    case 108:  // LOOP: AF_ in network order
      h = {0, 0, 0, static_cast<std::uint8_t>(v6 ? 24 : 2)};
      n = 4;
      break;
    default:
      break;
  }
  Bytes frame(n + packet.size());
  std::memcpy(frame.data(), h.data(), n);
  if (!packet.empty()) std::memcpy(frame.data() + n, packet.data(), packet.size());
  return frame;
}

// An ARP packet with every field chosen (hardware and protocol types and lengths, opcode).
Bytes arp_fields(std::uint16_t hardware, std::uint16_t protocol, std::uint8_t hardware_length,
                 std::uint8_t protocol_length, std::uint16_t op) {
  Bytes a(8 + 2 * (hardware_length + protocol_length));
  store_be16(a.data(), hardware);
  store_be16(a.data() + 2, protocol);
  a[4] = hardware_length;
  a[5] = protocol_length;
  store_be16(a.data() + 6, op);
  for (std::size_t i = 8; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(i * 7);
  return a;
}

// A TCP segment over IPv4 in Ethernet with these options, flags and payload.
Bytes tcp_with(std::initializer_list<std::uint8_t> options, std::uint8_t flags,
               std::string_view payload = {}) {
  TcpSpec t;
  t.flags = flags;
  t.ack = 77;
  t.options = options;
  return ethernet_frame({}, ipv4_packet({}, tcp_segment(t, Bytes(payload.begin(), payload.end()))));
}

// The shapes issue 8 found printed differently from tcpdump 4.99: TCP options tcpdump
// decodes (MPTCP, MD5, SCPS, UTO, TCP-AO, Fast Open, experimental), RST text, ARP of other
// hardware, protocols and opcodes, RARP, IPv4 and IPv6 length and version errors, UDP
// length errors, payload length 0, protocol names and flags, checksums behind routing
// headers.
std::vector<Bytes> issue8_frames() {
  std::vector<Bytes> f;
  using namespace tcp_flag;
  const std::uint8_t syn = kSyn, ack = kAck, synack = kSyn | kAck;
  // MPTCP, every subtype and length tcpdump knows, and ones it calls bad.
  f.push_back(tcp_with({30, 12, 0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8}, syn));
  f.push_back(tcp_with({30, 4, 0x01, 0x00}, syn));
  f.push_back(tcp_with({30, 20, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, ack));
  f.push_back(tcp_with({30, 12, 0x05, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, syn));
  f.push_back(tcp_with({30, 12, 0x11, 3, 1, 2, 3, 4, 5, 6, 7, 8}, syn));
  f.push_back(tcp_with({30, 16, 0x10, 3, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4}, synack));
  f.push_back(tcp_with({30, 24, 0x10, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, ack));
  f.push_back(tcp_with({30, 12, 0x11, 3, 1, 2, 3, 4, 5, 6, 7, 8}, ack));  // join: bad here
  f.push_back(tcp_with({30, 8, 0x20, 0x01, 0, 0, 0, 9}, ack));
  f.push_back(tcp_with({30, 28, 0x20, 0x1f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                        0, 0, 0, 5, 0, 100, 0xab, 0xcd}, ack));
  f.push_back(tcp_with({30, 18, 0x20, 0x04, 0, 0, 0, 1, 0, 0, 0, 2, 0, 10, 0, 0, 0, 0}, ack));
  f.push_back(tcp_with({30, 8, 0x30, 1, 192, 0, 2, 9}, ack));
  f.push_back(tcp_with({30, 10, 0x34, 1, 192, 0, 2, 9, 0x1f, 0x90}, ack));
  f.push_back(tcp_with({30, 16, 0x31, 1, 192, 0, 2, 9, 1, 2, 3, 4, 5, 6, 7, 8}, ack));
  f.push_back(tcp_with({30, 20, 0x36, 2, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}, ack));
  f.push_back(tcp_with({30, 30, 0x30, 2, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9,
                        0, 80, 1, 2, 3, 4, 5, 6, 7, 8}, ack));
  f.push_back(tcp_with({30, 9, 0x38, 1, 192, 0, 2, 9, 0}, ack));
  f.push_back(tcp_with({30, 6, 0x40, 1, 2, 3}, ack));
  f.push_back(tcp_with({30, 3, 0x51}, ack));
  f.push_back(tcp_with({30, 4, 0x50, 7}, ack));
  f.push_back(tcp_with({30, 12, 0x60, 0, 1, 2, 3, 4, 5, 6, 7, 8}, ack));
  f.push_back(tcp_with({30, 12, 0x70, 0, 1, 2, 3, 4, 5, 6, 7, 8}, ack));
  f.push_back(tcp_with({30, 4, 0xf0, 0}, ack));
  f.push_back(tcp_with({30, 2}, ack));
  // MD5 signature, SCPS, user timeout, TCP-AO, Fast Open, experimental, CC.
  f.push_back(tcp_with({19, 18, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, ack, "hello"));
  f.push_back(tcp_with({20, 4, 0x80, 7}, ack));
  f.push_back(tcp_with({28, 4, 0x81, 0x2d, 28, 4, 0, 0x2c}, ack));
  f.push_back(tcp_with({29, 4, 3, 4}, ack));
  f.push_back(tcp_with({29, 10, 3, 4, 1, 2, 3, 4, 5, 6}, ack));
  f.push_back(tcp_with({29, 3, 3}, ack));
  f.push_back(tcp_with({34, 2}, syn));
  f.push_back(tcp_with({34, 10, 1, 2, 3, 4, 5, 6, 7, 8}, synack));
  f.push_back(tcp_with({34, 5, 1, 2, 3}, syn));
  f.push_back(tcp_with({254, 4, 0xf9, 0x89}, syn));
  f.push_back(tcp_with({254, 12, 0xf9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8}, syn));
  f.push_back(tcp_with({254, 6, 0x12, 0x34, 0, 0}, syn));
  f.push_back(tcp_with({254, 3, 0xf9}, syn));
  f.push_back(tcp_with({253, 6, 0xf9, 0x89, 1, 2}, syn));
  f.push_back(tcp_with({11, 6, 0, 0, 0, 5, 12, 6, 0, 0, 0, 6, 13, 6, 0, 0, 0, 7}, ack));
  // Resets with text: short, and longer than tcpdump's 30 bytes with control and high bytes.
  f.push_back(tcp_with({}, kRst, "connection refused by policy"));
  f.push_back(tcp_with({}, kRst | kAck, "a\x01" "b\xff" "c a\x01" "b\xff" "c a\x01" "b\xff" "c a\x01" "b\xff" "c"));
  // ARP: other hardware, protocols, lengths and opcodes; RARP.
  EthernetSpec arp;
  arp.ethertype = 0x0806;
  f.push_back(ethernet_frame(arp, arp_fields(37, 0, 6, 4, 1)));
  f.push_back(ethernet_frame(arp, arp_fields(6, 0x0800, 6, 4, 1)));
  f.push_back(ethernet_frame(arp, arp_fields(1, 0x86dd, 6, 16, 1)));
  f.push_back(ethernet_frame(arp, arp_fields(1, 0x0800, 8, 4, 2)));
  for (std::uint16_t op : {3, 4, 8, 9, 10, 77})
    f.push_back(ethernet_frame(arp, arp_fields(1, 0x0800, 6, 4, op)));
  f.push_back(ethernet_frame(arp, arp_fields(1, 0x0800, 0, 4, 1)));
  f.push_back(ethernet_frame(arp, arp_fields(1, 0x0800, 6, 2, 1)));
  f.push_back(ethernet_frame(arp, arp_fields(24, 0x1000, 6, 4, 2)));
  f.push_back(ethernet_frame(arp, arp_fields(32, 0x0800, 20, 4, 1)));
  f.push_back(ethernet_frame(arp, arp_fields(15, 0x0800, 2, 4, 1)));  // frame relay DLCIs
  f.push_back(ethernet_frame(arp, arp_fields(15, 0x0800, 2, 4, 2)));
  // ATM ARP (RFC 2225): ATM numbers with subaddresses, IPv4 addresses; each opcode.
  for (std::uint16_t op : {1, 2, 8, 9, 10, 5}) {
    Bytes atm{0, 19, 8, 0, 20, 0x44, 0, 0, 4, 0x14, 0, 4};  // 20-byte numbers, a subaddress
    store_be16(atm.data() + 6, op);
    for (unsigned i = 0; i < 20 + 4 + 4 + 20 + 4; ++i) atm.push_back(static_cast<std::uint8_t>(i * 5));
    f.push_back(ethernet_frame(arp, atm));
  }
  f.push_back(ethernet_frame(arp, Bytes{0, 19, 8, 0, 0, 0, 0, 1, 4, 0, 0, 2, 192, 0, 2, 1, 192, 0}));
  EthernetSpec rarp;
  rarp.ethertype = 0x8035;
  f.push_back(ethernet_frame(rarp, arp_fields(1, 0x0800, 6, 4, 3)));
  f.push_back(ethernet_frame(rarp, arp_fields(1, 0x0800, 6, 4, 4)));
  // IPv4: lengths and versions tcpdump rejects or reports.
  Ipv4Spec u;
  u.protocol = ip_proto::kUdp;
  const Bytes udp_packet = ipv4_packet(u, udp_datagram(1, 2, Bytes(20, 1)));
  const auto ipv4_edit = [&](auto edit) {
    Bytes p = udp_packet;
    edit(p);
    f.push_back(ethernet_frame({}, p));
  };
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 2, 80); });  // truncated-ip - N bytes missing!
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 2, 10); });  // bad-len
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 2, 0); });
  ipv4_edit([](Bytes& p) { p[0] = 0x43; });                   // bad-hlen
  ipv4_edit([](Bytes& p) { p[0] = 0x65; });                   // IPv6 in an IPv4 ethertype
  ipv4_edit([](Bytes& p) { p[0] = 0x55; });
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 20 + 4, 100); });  // UDP bad length
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 20 + 4, 3); });    // truncated-udplength
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 2, 24); });        // truncated-udp
  ipv4_edit([](Bytes& p) { store_be16(p.data() + 2, 40); });        // padding after the datagram
  ipv4_edit([](Bytes& p) { p[8] = 0; });                             // TTL 0: -v leaves it out
  {
    Ipv4Spec none;
    none.protocol = 59;
    f.push_back(ethernet_frame({}, ipv4_packet(none, Bytes(8, 0))));
    Ipv4Spec flags;  // every fragment flag, the reserved one too, on a later fragment
    flags.protocol = 47;
    flags.more_fragments = true;
    flags.fragment_offset = 100;
    Bytes p = ipv4_packet(flags, Bytes(24, 0));
    p[6] |= 0x80;
    f.push_back(ethernet_frame({}, p));
  }
  // IPv6: lengths, versions, payload length 0, no next header, the traffic class.
  Ipv6Spec v6;
  v6.next_header = ip_proto::kUdp;
  const Bytes udp6_packet = ipv6_packet(v6, udp_datagram(1, 2, Bytes(8, 0x61)));
  const auto ipv6_edit = [&](auto edit) {
    Bytes p = udp6_packet;
    edit(p);
    f.push_back(with_ethertype(0x86dd, p));
  };
  ipv6_edit([](Bytes& p) { store_be16(p.data() + 4, 60); });
  ipv6_edit([](Bytes& p) { p[0] = 0x00; });
  ipv6_edit([](Bytes& p) { p[0] = 0x40; });
  ipv6_edit([](Bytes& p) { store_be16(p.data() + 4, 0); });
  ipv6_edit([](Bytes& p) { store_be16(p.data() + 40 + 4, 100); });
  ipv6_edit([](Bytes& p) { store_be16(p.data() + 40 + 4, 3); });
  ipv6_edit([](Bytes& p) { p[0] = 0x60; p[1] = 0x20; });  // traffic class 2
  {
    Ipv6Spec none = v6;
    none.next_header = 59;
    f.push_back(with_ethertype(0x86dd, ipv6_packet(none, Bytes(8, 0x78))));
    Ipv6Spec tcp = v6;
    tcp.next_header = ip_proto::kTcp;
    Bytes empty_tcp = ipv6_packet(tcp, Bytes(20, 0));
    store_be16(empty_tcp.data() + 4, 0);
    f.push_back(with_ethertype(0x86dd, empty_tcp));
    // Hop-by-hop Jumbo Payload options that tcpdump refuses: a payload length of 0 with a
    // value below 65536, and a value beside a payload length.
    Ipv6Spec jumbo = v6;
    jumbo.extensions.push_back({ip_proto::kIpv6HopByHop, {0xc2, 4, 0, 0, 0, 32}});
    Bytes small = ipv6_packet(jumbo, udp_datagram(1, 2, Bytes(16, 0x61)));
    store_be16(small.data() + 4, 0);
    f.push_back(with_ethertype(0x86dd, small));
    jumbo.extensions[0] = {ip_proto::kIpv6HopByHop, {0xc2, 4, 0, 1, 0x11, 0x70}};
    f.push_back(with_ethertype(0x86dd, ipv6_packet(jumbo, udp_datagram(1, 2, Bytes(16, 0x61)))));
    Ipv6Spec cut_options = v6;  // payload length 0 before a destination options header
    cut_options.extensions.push_back({ip_proto::kIpv6DestOpts, {1, 4, 0, 0, 0, 0}});
    Bytes empty_options = ipv6_packet(cut_options, udp_datagram(1, 2, Bytes(8, 0x61)));
    store_be16(empty_options.data() + 4, 0);
    f.push_back(with_ethertype(0x86dd, empty_options));
  }
  // Checksums behind routing headers (type 0, 2 and segment routing, one and two
  // addresses): tcpdump sums over the final destination.
  {
    const Ipv6 final1 = ipv6("2001:db8::9"), final2 = ipv6("2001:db8::7");
    const auto routed = [&](Bytes header, const Ipv6& final_destination, std::uint8_t next,
                            Bytes payload) {
      Ipv6Spec r = v6;
      r.next_header = next;
      r.extensions.push_back({ip_proto::kIpv6Route, std::move(header)});
      r.checksum_destination = final_destination;
      f.push_back(with_ethertype(0x86dd, ipv6_packet(r, payload)));
    };
    const auto addresses = [](std::initializer_list<std::uint8_t> head,
                              std::initializer_list<Ipv6> list) {
      Bytes b(head);
      for (const Ipv6& a : list) b.insert(b.end(), a.begin(), a.end());
      return b;
    };
    const Bytes datagram = udp_datagram(1, 2, Bytes(8, 0x62));
    const Bytes echo = icmp_message(128, 0, 0x00420001, Bytes(8, 3));
    routed(addresses({0, 1, 0, 0, 0, 0}, {final1}), final1, ip_proto::kUdp, datagram);
    routed(addresses({2, 1, 0, 0, 0, 0}, {final1}), final1, ip_proto::kUdp, datagram);
    routed(addresses({0, 2, 0, 0, 0, 0}, {final2, final1}), final1, ip_proto::kUdp, datagram);
    routed(addresses({4, 0, 0, 0, 0, 0}, {final1}), final1, ip_proto::kUdp, datagram);
    routed(addresses({4, 1, 1, 0, 0, 0}, {final1, final2}), final1, ip_proto::kUdp, datagram);
    routed(addresses({0, 1, 0, 0, 0, 0}, {final1}), final1, ip_proto::kIcmpv6, echo);
    routed(addresses({4, 0, 0, 0, 0, 0}, {final1}), final1, ip_proto::kIcmpv6, echo);
    TcpSpec t;
    routed(addresses({0, 1, 0, 0, 0, 0}, {final1}), final1, ip_proto::kTcp, tcp_segment(t, {}));
  }
  return f;
}

// IPv4 later fragments of every protocol number: tcpdump -v names the protocol in the header
// line and prints "ip-proto-N" for the payload, which it cannot decode.
std::vector<Bytes> protocol_frames() {
  std::vector<Bytes> f;
  for (unsigned p = 0; p < 256; ++p) {
    Ipv4Spec ip;
    ip.protocol = static_cast<std::uint8_t>(p);
    ip.dont_fragment = false;
    ip.fragment_offset = 16;
    f.push_back(ethernet_frame({}, ipv4_packet(ip, Bytes(28, 0))));
  }
  return f;
}

// Linux cooked frames with 802.1Q tags (SLL, SLL2): IPv4, two tags and IPv6, ARP, a type
// tcpdump does not decode; and a QinQ tag, which its SLL printers do not take off.
std::vector<Bytes> cooked_vlan_frames(std::uint32_t link_type) {
  Ipv4Spec u;
  u.protocol = ip_proto::kUdp;
  const Bytes ip = ipv4_packet(u, udp_datagram(1, 2, Bytes(8, 0x61)));
  Ipv6Spec none;
  none.next_header = 59;
  const Bytes ip6 = ipv6_packet(none, {});
  const auto tagged = [&](std::uint16_t tpid, std::initializer_list<std::uint16_t> tags_and_type,
                          std::span<const std::uint8_t> payload) {
    Bytes frame = with_link_header(link_type, ip);  // for its header
    frame.resize(link_type == 113 ? 16 : 20);
    store_be16(frame.data() + (link_type == 113 ? 14 : 0), tpid);
    for (std::uint16_t v : tags_and_type) {
      frame.push_back(static_cast<std::uint8_t>(v >> 8));
      frame.push_back(static_cast<std::uint8_t>(v));
    }
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
  };
  const Bytes arp = arp_fields(1, 0x0800, 6, 4, 1);
  const Bytes text{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
  return {tagged(0x8100, {100, 0x0800}, ip), tagged(0x8100, {0x3007, 0x8100, 5, 0x86dd}, ip6),
          tagged(0x8100, {0x2007, 0x0806}, arp), tagged(0x8100, {100, 0x88b5}, text),
          tagged(0x88a8, {100, 0x0800}, ip)};
}

// All link-type sets the agreement test writes: (link type, frames).
std::vector<FrameSet> frame_sets() {
  std::vector<FrameSet> sets;
  sets.push_back({1, varied_frames()});
  const std::vector<Bytes> packets = network_packets();
  for (std::uint32_t lt : {113u, 276u, 0u, 108u, 101u}) {
    FrameSet set{lt, {}};
    for (const Bytes& p : packets) set.frames.push_back(with_link_header(lt, p));
    if (lt == 0)
      for (const Bytes& p : packets) set.frames.push_back(with_link_header(lt, p, true));
    if (lt == 113 || lt == 0) {
      // A payload the printer cannot decode: an unknown protocol / address family.
      Bytes unknown = with_link_header(lt, packets[0]);
      if (lt == 113) {
        unknown[14] = 0x88;
        unknown[15] = 0xb5;
      } else {
        unknown[0] = 1;
      }
      set.frames.push_back(unknown);
    }
    sets.push_back(std::move(set));
  }
  FrameSet v4{228, {}}, v6{229, {}};
  for (const Bytes& p : packets) ((p[0] >> 4) == 4 ? v4 : v6).frames.push_back(p);
  sets.push_back(std::move(v4));
  sets.push_back(std::move(v6));
  return sets;
}

}  // namespace

TEST_SUITE("print") {
  TEST_CASE("prints TCP as tcpdump -n -S does, options included") {
    const Bytes syn = tcp4_frame({}, syn_with_options(), 0);
    CHECK(print_one(syn) ==
          "22:13:20.123456 IP 192.0.2.1.40000 > 198.51.100.2.5001: Flags [S], seq 1000000, "
          "win 64240, options [mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7], length 0\n");
    TcpSpec data;
    data.flags = tcp_flag::kPsh | tcp_flag::kAck;
    data.seq = 10;
    data.ack = 20;
    CHECK(print_one(tcp4_frame({}, data, 100), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5001: Flags [P.], seq 10:110, ack 20, win 502, "
          "length 100\n");
    PrintOptions q = no_time();
    q.quiet = true;
    CHECK(print_one(tcp4_frame({}, data, 100), q) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5001: tcp 100\n");
    TcpSpec unknown = data;
    unknown.options = {99, 4, 0xab, 0xcd, 0, 0, 0, 0};
    CHECK(print_one(tcp4_frame({}, unknown, 0), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5001: Flags [P.], ack 20, win 502, "
          "options [unknown-99 0xabcd,eol], length 0\n");
  }

  TEST_CASE("checks TCP and IPv4 checksums with -v") {
    PrintOptions v = no_time();
    v.verbose = 1;
    TcpSpec data;
    data.flags = tcp_flag::kPsh | tcp_flag::kAck;
    Bytes frame = tcp4_frame({}, data, 4);
    CHECK(print_one(frame, v).find(", cksum 0x") != std::string::npos);
    CHECK(print_one(frame, v).find(" (correct), seq 1000:1004") != std::string::npos);
    CHECK(print_one(frame, v).rfind("IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), "
                                    "length 44)\n    192.0.2.1.40000 > ", 0) == 0);
    frame[14 + 20 + 16] ^= 0x01;  // TCP checksum, high byte
    CHECK(print_one(frame, v).find(" (incorrect -> 0x") != std::string::npos);
    frame[14 + 10] ^= 0x01;  // IPv4 header checksum
    CHECK(print_one(frame, v).find(", bad cksum ") != std::string::npos);
  }

  TEST_CASE("prints UDP, ICMP, IPv6 and ARP lines") {
    CHECK(print_one(udp4_frame({}, 40000, 5001, 32), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5001: UDP, length 32\n");
    CHECK(print_one(icmp4_echo_frame({}, false, 7, 2, 56), no_time()) ==
          "IP 192.0.2.1 > 198.51.100.2: ICMP echo request, id 7, seq 2, length 64\n");
    CHECK(print_one(icmp4_frame(3, 3, 0, quoted_udp()), no_time()) ==
          "IP 198.51.100.2 > 192.0.2.1: ICMP 198.51.100.2 udp port 33434 unreachable, length 36\n");
    CHECK(print_one(icmp4_frame(3, 13, 0, quoted_udp()), no_time()) ==
          "IP 198.51.100.2 > 192.0.2.1: ICMP host 198.51.100.2 unreachable - admin prohibited "
          "filter, length 36\n");
    CHECK(print_one(icmp4_frame(11, 0, 0, quoted_udp()), no_time()) ==
          "IP 198.51.100.2 > 192.0.2.1: ICMP time exceeded in-transit, length 36\n");
    CHECK(print_one(udp6_frame({}, 1, 2, 8), no_time()) ==
          "IP6 2001:db8::1.1 > 2001:db8::2.2: UDP, length 8\n");
    CHECK(print_one(with_ethertype(0x86dd, icmp6_packet(128, 0, 0x00420001, Bytes(8, 0))),
                    no_time()) ==
          "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 66, seq 1, length 16\n");
    const Ipv6 target = ipv6("2001:db8::2");
    CHECK(print_one(with_ethertype(0x86dd, icmp6_packet(135, 0, 0, target, 255)), no_time()) ==
          "IP6 2001:db8::1 > 2001:db8::2: ICMP6, neighbor solicitation, who has 2001:db8::2, "
          "length 24\n");
    EthernetSpec arp_spec;
    arp_spec.ethertype = 0x0806;
    const Bytes arp = ethernet_frame(
        arp_spec,
        arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"), Mac{}, ipv4("192.0.2.2")));
    CHECK(print_one(arp, no_time()) == "ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 46\n");
    const Bytes reply = ethernet_frame(
        arp_spec, arp_packet(2, mac("02:00:00:00:00:02"), ipv4("192.0.2.2"),
                             mac("02:00:00:00:00:01"), ipv4("192.0.2.1")));
    CHECK(print_one(reply, no_time()) ==
          "ARP, Reply 192.0.2.2 is-at 02:00:00:00:00:02, length 46\n");
    CHECK(print_one(with_ethertype(0x88b5, Bytes(46, 0x41)), no_time()).rfind(
              "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype Unknown (0x88b5), length 60: \n"
              "\t0x0000:  4141 ",
              0) == 0);
    Ipv4Spec proto;
    proto.protocol = 253;
    CHECK(print_one(ethernet_frame({}, ipv4_packet(proto, Bytes(20, 8))), no_time()) ==
          "IP 192.0.2.1 > 198.51.100.2:  ip-proto-253 20\n");
  }

  TEST_CASE("prints IPv6 extension headers and fragments") {
    Ipv6Spec frag;
    frag.next_header = ip_proto::kUdp;
    frag.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 7)});
    CHECK(print_one(udp6_frame(frag, 1, 2, 16), no_time()) ==
          "IP6 2001:db8::1 > 2001:db8::2: frag (0|24) 1 > 2: UDP, length 16\n");
    Ipv6Spec later = frag;
    later.extensions[0] = {ip_proto::kIpv6Frag, ipv6_fragment_body(3, false, 7)};
    CHECK(print_one(with_ethertype(0x86dd, ipv6_packet(later, Bytes(16, 0))), no_time()) ==
          "IP6 2001:db8::1 > 2001:db8::2: frag (24|16)\n");
    Ipv6Spec hbh;
    hbh.next_header = ip_proto::kUdp;
    hbh.extensions.push_back({ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}});
    CHECK(print_one(udp6_frame(hbh, 1, 2, 0), no_time()) ==
          "IP6 2001:db8::1 > 2001:db8::2: HBH 1 > 2: UDP, length 0\n");
  }

  TEST_CASE("writes IPv6 addresses exactly as inet_ntop does") {
    std::mt19937 random(42);
    for (int n = 0; n < 3000; ++n) {
      Ipv6Spec ip;
      for (int g = 0; g < 8; ++g) {
        // Mostly zero groups, so that every run length and position occurs.
        const unsigned r = random();
        const unsigned group = (r & 3) ? 0 : (r >> 8) & (((r >> 4) & 1) ? 0xffff : 0xf);
        ip.source[2 * g] = static_cast<std::uint8_t>(group >> 8);
        ip.source[2 * g + 1] = static_cast<std::uint8_t>(group);
      }
      if (n % 10 == 0) {  // IPv4-mapped
        std::fill(ip.source.begin(), ip.source.begin() + 10, 0);
        ip.source[10] = ip.source[11] = 0xff;
      }
      char text[INET6_ADDRSTRLEN];
      REQUIRE(inet_ntop(AF_INET6, ip.source.data(), text, sizeof text) != nullptr);
      const std::string line = print_one(udp6_frame(ip, 1, 2, 0), no_time());
      CAPTURE(text);
      CHECK(line.rfind(std::string("IP6 ") + text + ".1 > ", 0) == 0);
    }
  }

  TEST_CASE("prints the link header with -e, VLAN tags included") {
    EthernetSpec vlan;
    vlan.vlans = {VlanTag{0x8100, 100, 3, false}};
    Ipv4Spec u;
    u.protocol = ip_proto::kUdp;
    const Bytes frame = ethernet_frame(vlan, ipv4_packet(u, udp_datagram(1, 2, Bytes(40, 6))));
    PrintOptions e = no_time();
    e.link_header = true;
    CHECK(print_one(frame, e) ==
          "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q (0x8100), length 86: vlan "
          "100, p 3, ethertype IPv4 (0x0800), 192.0.2.1.1 > 198.51.100.2.2: UDP, length 40\n");
    CHECK(print_one(frame, no_time()) == "IP 192.0.2.1.1 > 198.51.100.2.2: UDP, length 40\n");
    CHECK(print_one(cut(frame, 16), e) == "02:00:00:00:00:01 > 02:00:00:00:00:02,  [|vlan]\n");
    CHECK(print_one(cut(frame, 16), no_time()) == " [|vlan]\n");
  }

  TEST_CASE("prints other link types: SLL, SLL2, NULL, LOOP, RAW, and an unknown one") {
    Ipv4Spec udp_spec;
    udp_spec.protocol = ip_proto::kUdp;
    const Bytes ip = ipv4_packet(udp_spec, udp_datagram(1, 2, Bytes(4, 0)));
    const std::string want = "IP 192.0.2.1.1 > 198.51.100.2.2: UDP, length 4\n";
    CHECK(print_one(ip, no_time(), 101) == want);
    CHECK(print_one(ip, no_time(), 228) == want);
    CHECK(print_one(with_link_header(113, ip), no_time(), 113) == want);
    CHECK(print_one(with_link_header(0, ip), no_time(), 0) == want);
    CHECK(print_one(with_link_header(0, ip, true), no_time(), 0) == want);
    CHECK(print_one(with_link_header(108, ip), no_time(), 108) == want);
    // SLL2 names the interface (from the ifindex, "?" when unknown) and the direction.
    Bytes sll2 = with_link_header(276, ip);
    sll2[7] = 0xee;
    sll2[6] = 0xee;  // ifindex 0xeeee: no such interface
    CHECK(print_one(sll2, no_time(), 276) == "?     Out " + want);
    PrintOptions e = no_time();
    e.link_header = true;
    CHECK(print_one(with_link_header(113, ip), e, 113) ==
          "Out 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 48: "
          "192.0.2.1.1 > 198.51.100.2.2: UDP, length 4\n");
    CHECK(print_one(with_link_header(0, ip), e, 0) ==
          "AF IPv4 (2), length 36: 192.0.2.1.1 > 198.51.100.2.2: UDP, length 4\n");
    CHECK(print_one(ip, e, 101) == "ip: 192.0.2.1.1 > 198.51.100.2.2: UDP, length 4\n");
    CHECK(print_one(ip, no_time(), 195) == "IEEE802_15_4, length 32\n");
    CHECK(print_one(ip, no_time(), 65000) == "LINKTYPE_65000, length 32\n");
    CHECK(print_one(cut(ip, 3), no_time(), 0) == " [|null]\n");
    CHECK(print_one(cut(with_link_header(113, ip), 10), no_time(), 113) == " [|sll]\n");
  }

  TEST_CASE("marks truncated headers the way tcpdump does") {
    const Bytes syn = tcp4_frame({}, syn_with_options(), 0);
    const auto at = [&](std::size_t n) {
      return print_one(cut(syn, n), no_time(), 1, static_cast<std::uint32_t>(syn.size()));
    };
    const std::string flags =
        "IP 192.0.2.1.40000 > 198.51.100.2.5001: Flags [S], seq 1000000, win 64240, options [";
    CHECK(at(0) == "[Invalid header: caplen==0]\n");
    CHECK(at(5) == " [|ether]\n");
    CHECK(at(14) == " [|ip]\n");
    CHECK(at(20) == "IP  [|ip]\n");
    CHECK(at(36) == "IP 192.0.2.1 > 198.51.100.2: [|tcp]\n");
    CHECK(at(14 + 20 + 16) == "IP 192.0.2.1.40000 > 198.51.100.2.5001:  [|tcp]\n");
    CHECK(at(54) == flags + " [|tcp]\n");
    CHECK(at(56) == flags + "mss [|tcp]\n");
    CHECK(at(58) == flags + "mss 1460, [|tcp]\n");
    CHECK(at(62) == flags + "mss 1460,sackOK,TS [|tcp]>\n");
    const Bytes udp = udp4_frame({}, 1, 2, 10);
    CHECK(print_one(cut(udp, 36), no_time(), 1, 60) == "IP 192.0.2.1 > 198.51.100.2:  [|udp]\n");
    CHECK(print_one(cut(udp, 40), no_time(), 1, 60) == "IP 192.0.2.1.1 > 198.51.100.2.2:  [|udp]\n");
    const Bytes echo = icmp4_echo_frame({}, false, 1, 1, 8);
    CHECK(print_one(cut(echo, 40), no_time(), 1, 50) == "IP 192.0.2.1 > 198.51.100.2:  [|icmp]\n");
    const Bytes echo6 = with_ethertype(0x86dd, icmp6_packet(128, 0, 0, Bytes(8, 0)));
    CHECK(print_one(cut(echo6, 55), no_time(), 1, 70) ==
          "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request [|icmp6]\n");
    PacketView huge;
    huge.data = syn;
    huge.wire_length = 300000;
    huge.link_type = 1;
    Printer printer(no_time());
    OutputBuffer out;
    printer.print(huge, out);
    CHECK(out.view() == "[Invalid header: len(300000) > 262144]\n");
  }

  TEST_CASE("numbers lines with -# and formats dumps") {
    PrintOptions o = no_time();
    o.number = true;
    Printer printer(o);
    OutputBuffer out;
    const Bytes frame = udp4_frame({}, 1, 2, 4);
    PacketView p;
    p.data = frame;
    p.wire_length = static_cast<std::uint32_t>(frame.size());
    p.link_type = 1;
    printer.print(p, out);
    printer.print(p, out);
    CHECK(std::string(out.view()).find("    2  IP ") != std::string::npos);
    PrintOptions x = no_time();
    x.dump = DumpStyle::hex;
    // -x dumps from the network header: 46 bytes of the 60-byte frame, in three lines.
    const std::string dumped = print_one(frame, x);
    CHECK(dumped.rfind("IP 192.0.2.1.1 > 198.51.100.2.2: UDP, length 4\n"
                       "\t0x0000:  4500 0020 0001 4000 4011 ",
                       0) == 0);
    CHECK(dumped.find("\n\t0x0020:  0000 0000 0000 0000 0000 0000 0000\n") != std::string::npos);
    CHECK(dumped.find("0x0030") == std::string::npos);
  }

  TEST_CASE("prints every frame cut at every offset as far as it is valid, then a marker") {
    for (const FrameSet& set : frame_sets()) {
      for (const Bytes& frame : set.frames) {
        const auto wire = static_cast<std::uint32_t>(frame.size());
        const std::string full = print_one(frame, no_time(), set.link_type);
        const std::string whole = full.substr(0, full.find('\n'));
        for (std::size_t n = 0; n < frame.size(); ++n) {
          for (int v = 0; v < 2; ++v) {
            PrintOptions o = no_time();
            o.verbose = v;
            o.link_header = v == 1;
            o.dump = v ? DumpStyle::hex_ascii : DumpStyle::none;
            const std::string line = print_one(cut(frame, n), o, set.link_type, wire);
            REQUIRE(!line.empty());
            CHECK(line.back() == '\n');
          }
          // Cut inside the headers, the line ends in tcpdump's marker; cut in the payload, it
          // is the whole frame's line. (tcpdump's exceptions: an IPv6 first fragment cut
          // right after its fragment header, and MLDv1 short of its 24 bytes, end quietly.)
          const std::string text = print_one(cut(frame, n), no_time(), set.link_type, wire);
          const std::string line = text.substr(0, text.find('\n'));
          const bool marked = line.find("[|") != std::string::npos ||
                              line.find("[Invalid header") == 0;
          CAPTURE(line);
          CAPTURE(n);
          const bool quiet_mld = line.find("ICMP6, multicast listener ") != std::string::npos &&
                                 line.find(" v2") == std::string::npos;
          CHECK((marked || line == whole || line.find("frag (0|") != std::string::npos ||
                 quiet_mld));
        }
      }
    }
  }

  TEST_CASE("agrees with tcpdump -n -S, whole and cut frames, every link type and flag") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    const std::vector<FlagCase> cases = flag_cases();
    for (const FrameSet& set : frame_sets()) {
      CAPTURE(set.link_type);
      const std::vector<Record> whole = agree_whole_and_cut(set, cases, 0);
      PcapSpec spec;
      spec.link_type = set.link_type;
      if (set.link_type == 1) {
        // --nano on a file with nanosecond timestamps.
        spec.nano = true;
        TempPath nano_file;
        write_file(nano_file.path, pcap_file(spec, whole));
        for (const char* extra : {"", " -tt", " -ttt", " -tttt", " -ttttt"}) {
          FlagCase nano = cases[0];
          for (const FlagCase& c : cases)
            if (c.flags == std::string(extra).substr(extra[0] ? 1 : 0)) nano = c;
          nano.flags = std::string("--nano") + extra;
          nano.options.nano = true;
          check_against_tcpdump(nano_file.path, nano);
        }
      }
    }
  }

  TEST_CASE("agrees with tcpdump on the shapes issue 8 listed, whole and cut, every flag") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    const std::vector<FlagCase> cases = flag_cases();
    std::vector<FrameSet> sets;
    sets.push_back({1, issue8_frames()});
    sets.push_back({113, cooked_vlan_frames(113)});
    sets.push_back({276, cooked_vlan_frames(276)});
    {
      // RAW, IPV4 and IPV6 files carrying either version, or neither.
      const std::vector<Bytes> packets = network_packets();
      for (std::uint32_t lt : {101u, 228u, 229u}) {
        FrameSet set{lt, packets};
        Bytes other = packets[0];
        other[0] = 0x55;
        set.frames.push_back(other);
        sets.push_back(std::move(set));
      }
    }
    for (const FrameSet& set : sets) {
      CAPTURE(set.link_type);
      agree_whole_and_cut(set, cases, 1);
    }
  }

  TEST_CASE("prints the issue 8 shapes cut at every offset with every verbosity, never empty") {
    // Runs without tcpdump too: every cut of every frame gives one non-empty line (and its
    // dump), whatever the flags.
    std::vector<FrameSet> sets;
    sets.push_back({1, issue8_frames()});
    sets.push_back({113, cooked_vlan_frames(113)});
    sets.push_back({276, cooked_vlan_frames(276)});
    for (const FrameSet& set : sets) {
      for (const Bytes& frame : set.frames) {
        const auto wire = static_cast<std::uint32_t>(frame.size());
        for (std::size_t n = 1; n <= frame.size(); ++n) {
          for (int v = 0; v < 4; ++v) {
            PrintOptions o = no_time();
            o.verbose = v % 3;
            o.link_header = v >= 2;
            o.quiet = v == 3;
            o.verify_checksums = v != 1;
            o.dump = v == 2 ? DumpStyle::hex_ascii : DumpStyle::none;
            const std::string text = print_one(cut(frame, n), o, set.link_type, wire);
            CAPTURE(n);
            CAPTURE(v);
            REQUIRE(text.size() > 1);
            CHECK(text.back() == '\n');
          }
        }
      }
    }
  }

  TEST_CASE("relative TCP sequence numbers: tcpdump's table of conversations") {
    using namespace tcp_flag;
    // A segment of the conversation of `ip` and `t`, from its destination when `reverse`.
    auto segment = [](Ipv4Spec ip, TcpSpec t, bool reverse, std::uint8_t flags, std::uint32_t seq,
                      std::uint32_t ack, std::size_t payload, Bytes options = {}) {
      if (reverse) {
        std::swap(ip.source, ip.destination);
        std::swap(t.source_port, t.destination_port);
      }
      t.flags = flags;
      t.seq = seq;
      t.ack = ack;
      t.options = std::move(options);
      return tcp4_frame(ip, t, payload);
    };
    const auto sack = [](std::uint32_t left, std::uint32_t right) {
      Bytes o{5, 10, 0, 0, 0, 0, 0, 0, 0, 0};
      store_be32(o.data() + 2, left);
      store_be32(o.data() + 6, right);
      return o;
    };
    std::vector<Bytes> frames;
    // A handshake from a high client port to 5001 (tcpdump keys it from the server's side),
    // data both ways, a SACK, the close; then the same conversation started again by a SYN.
    Ipv4Spec ip;
    TcpSpec t;
    t.source_port = 41000;
    t.destination_port = 5001;
    for (std::uint32_t isn : {1000000u, 4294967000u}) {
      frames.push_back(segment(ip, t, false, kSyn, isn, 0, 0));
      frames.push_back(segment(ip, t, true, kSyn | kAck, 2000000, isn + 1, 0));
      frames.push_back(segment(ip, t, false, kAck, isn + 1, 2000001, 0));
      frames.push_back(segment(ip, t, false, kPsh | kAck, isn + 1, 2000001, 500));
      frames.push_back(segment(ip, t, true, kAck, 2000001, isn + 501, 0,
                               sack(isn + 1001, isn + 1501)));
      frames.push_back(segment(ip, t, true, kPsh | kAck, 2000001, isn + 501, 1000));
      frames.push_back(segment(ip, t, false, kFin | kAck, isn + 501, 2001001, 0));
    }
    // Picked up mid-stream from the low-port side; a RST without ACK is not looked up.
    t.source_port = 80;
    t.destination_port = 50000;
    frames.push_back(segment(ip, t, false, kPsh | kAck, 7777, 8888, 100));
    frames.push_back(segment(ip, t, true, kAck, 8888, 7877, 0, sack(7977, 8077)));
    frames.push_back(segment(ip, t, false, kRst, 7877, 0, 0));
    frames.push_back(segment(ip, t, false, kPsh | kAck, 7877, 8888, 100));
    // Equal ports: the addresses decide the order, either way round.
    t.source_port = t.destination_port = 5000;
    for (bool reverse : {false, true}) {
      frames.push_back(segment(ip, t, reverse, kAck, 100, 200, 10));
      frames.push_back(segment(ip, t, !reverse, kAck, 200, 110, 10));
      std::swap(ip.source, ip.destination);
    }
    // IPv6, with the same ports as an IPv4 conversation above: its own entry.
    Ipv6Spec ip6;
    TcpSpec t6;
    t6.source_port = 41000;
    t6.destination_port = 5001;
    for (std::uint32_t k = 0; k < 3; ++k) {
      t6.flags = kPsh | kAck;
      t6.seq = 300 + k * 50;
      t6.ack = 900;
      frames.push_back(tcp6_frame(ip6, t6, 50));
    }
    // A TCP conversation inside VXLAN shares the table with the outer packets.
    Ipv4Spec outer;
    outer.source = {192, 0, 2, 7};
    outer.destination = {192, 0, 2, 8};
    outer.protocol = ip_proto::kUdp;
    TcpSpec inner;
    inner.source_port = 443;
    inner.destination_port = 51000;
    for (std::uint32_t k = 0; k < 2; ++k) {
      inner.flags = kPsh | kAck;
      inner.seq = 5000 + k * 20;
      inner.ack = 6000;
      frames.push_back(vxlan_frame(outer, 50000, 42, tcp4_frame({}, inner, 20)));
    }
    inner.seq = 5040;
    frames.push_back(tcp4_frame({}, inner, 20));

    // Without tcpdump, the handshake's lines still say what relative numbers are.
    PrintOptions o = no_time();
    Printer printer(o);
    OutputBuffer out;
    for (std::size_t i = 0; i < 5; ++i) {
      PacketView p;
      p.data = frames[i];
      p.wire_length = static_cast<std::uint32_t>(frames[i].size());
      p.link_type = 1;
      printer.print(p, out);
    }
    CHECK(std::string(out.view()) ==
          "IP 192.0.2.1.41000 > 198.51.100.2.5001: Flags [S], seq 1000000, win 502, length 0\n"
          "IP 198.51.100.2.5001 > 192.0.2.1.41000: Flags [S.], seq 2000000, ack 1000001, win 502, "
          "length 0\n"
          "IP 192.0.2.1.41000 > 198.51.100.2.5001: Flags [.], ack 1, win 502, length 0\n"
          "IP 192.0.2.1.41000 > 198.51.100.2.5001: Flags [P.], seq 1:501, ack 1, win 502, "
          "length 500\n"
          "IP 198.51.100.2.5001 > 192.0.2.1.41000: Flags [.], ack 501, win 502, "
          "options [sack 1 {1001:1501},nop,nop], length 0\n");

    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    // Whole, and every frame also cut at each byte from the IP header on, in order: a cut
    // record updates the table exactly when tcpdump's would.
    std::vector<Record> whole, cuts;
    std::int64_t ts = kEpoch;
    for (const Bytes& f : frames) {
      whole.push_back({f, ts += 1000, 0});
      for (std::size_t n = 34; n <= f.size(); ++n)
        cuts.push_back({cut(f, n), ts += 1000, static_cast<std::uint32_t>(f.size())});
    }
    TempPath whole_file, cut_file;
    write_file(whole_file.path, pcap_file(PcapSpec{}, whole));
    write_file(cut_file.path, pcap_file(PcapSpec{}, cuts));
    for (const FlagCase& flag : dissector_flag_cases()) {
      check_against_tcpdump(whole_file.path, flag, true);
      check_against_tcpdump(cut_file.path, flag, true);
    }
  }

  TEST_CASE("relative TCP sequence numbers: the table starts over after 131,072 conversations") {
    // The limit the man page gives (-S); tcpdump's table has none.
    constexpr std::uint32_t kMax = 131072;
    Printer printer(no_time());
    OutputBuffer out;
    const auto line = [&](const Bytes& frame) {
      out.clear();
      PacketView p;
      p.data = frame;
      p.wire_length = static_cast<std::uint32_t>(frame.size());
      p.link_type = 1;
      printer.print(p, out);
      return std::string(out.view());
    };
    TcpSpec x;
    x.flags = tcp_flag::kPsh | tcp_flag::kAck;
    x.seq = 1000;
    x.ack = 2000;
    CHECK(line(tcp4_frame({}, x, 10)).find("seq 1000:1010, ack 2000,") != std::string::npos);
    x.seq = 1010;
    CHECK(line(tcp4_frame({}, x, 10)).find("seq 10:20, ack 1,") != std::string::npos);
    // kMax - 1 more conversations fill the table: x is still known.
    Ipv4Spec other;
    TcpSpec t;
    t.flags = tcp_flag::kAck;
    for (std::uint32_t k = 0; k + 1 < kMax; ++k) {
      other.source[3] = static_cast<std::uint8_t>(1 + k % 200);
      t.source_port = static_cast<std::uint16_t>(1024 + k / 200);
      line(tcp4_frame(other, t, 0));
    }
    x.seq = 1020;
    CHECK(line(tcp4_frame({}, x, 10)).find("seq 20:30, ack 1,") != std::string::npos);
    // A new one starts the table over: x is recorded again, its numbers as on the wire.
    other.source = {198, 51, 100, 9};
    line(tcp4_frame(other, t, 0));
    x.seq = 1030;
    CHECK(line(tcp4_frame({}, x, 10)).find("seq 1030:1040, ack 2000,") != std::string::npos);
    x.seq = 1040;
    CHECK(line(tcp4_frame({}, x, 10)).find("seq 10:20, ack 1,") != std::string::npos);
  }

  TEST_CASE("agrees with tcpdump -v on the name of every IP protocol number") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    std::vector<Record> records;
    for (const Bytes& f : protocol_frames()) records.push_back({f, kEpoch, 0});
    TempPath file;
    write_file(file.path, pcap_file(PcapSpec{}, records));
    for (const FlagCase& flag : flag_cases())
      if (flag.flags == "-v" || flag.flags == "") check_against_tcpdump(file.path, flag);
  }

  TEST_CASE("agrees with tcpdump on IPv6 jumbograms, whose length only the wire length holds") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    // A Jumbo Payload option of 70000 bytes with a payload length of 0 (UDP's length 0 too,
    // RFC 2675), captured to 100 bytes; and one cut inside its hop-by-hop header.
    Ipv6Spec jumbo;
    jumbo.next_header = ip_proto::kUdp;
    jumbo.extensions.push_back({ip_proto::kIpv6HopByHop, {0xc2, 4, 0, 1, 0x11, 0x70}});
    Bytes frame = with_ethertype(0x86dd, ipv6_packet(jumbo, udp_datagram(1, 2, Bytes(40, 0x61))));
    store_be16(frame.data() + 14 + 4, 0);
    store_be16(frame.data() + 14 + 48 + 4, 0);
    const std::uint32_t wire = 14 + 40 + 70000;
    const std::vector<Record> records{{frame, kEpoch, wire}, {cut(frame, 58), kEpoch, wire},
                                      {cut(frame, 66), kEpoch, wire}};
    TempPath file;
    write_file(file.path, pcap_file(PcapSpec{}, records));
    for (const FlagCase& flag : flag_cases()) check_against_tcpdump(file.path, flag);
  }

  TEST_CASE("prints tcpdump's line for record headers it rejects, and nothing else") {
    // tcpdump's pretty_print_packet(): the packet number, then the complaints, no timestamp
    // and no dump. (Checked against tcpdump's print.c; slimcap's reader hands such records
    // over as read.)
    const Bytes frame = udp4_frame({}, 1, 2, 10);
    const auto invalid = [&](std::uint32_t caplen, std::uint32_t wire, PrintOptions o) {
      Printer printer(o);
      OutputBuffer out;
      PacketView p;
      p.data = std::span<const std::uint8_t>(frame).first(caplen);
      p.wire_length = wire;
      p.link_type = 1;
      p.timestamp_ns = kEpoch;
      printer.print(p, out);
      return std::string(out.view());
    };
    PrintOptions o;
    o.dump = DumpStyle::hex_ascii;
    CHECK(invalid(0, 60, o) == "[Invalid header: caplen==0]\n");
    CHECK(invalid(60, 0, o) == "[Invalid header: len==0]\n");
    CHECK(invalid(0, 0, o) == "[Invalid header: caplen==0, len==0]\n");
    CHECK(invalid(60, 42, o) == "[Invalid header: len(42) < caplen(60)]\n");
    CHECK(invalid(60, 300000, o) == "[Invalid header: len(300000) > 262144]\n");
    o.number = true;
    CHECK(invalid(60, 10, o) == "    1  [Invalid header: len(10) < caplen(60)]\n");
    CHECK(invalid(60, 60, o).find("    1  ") == 0);
  }

  TEST_CASE("agrees with tcpdump on record headers it rejects, printed from the records") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    // Records with a wire length of 0, below the caplen, and above 262144, between good ones:
    // tcpdump reads them as written. The printer gets the same headers as PacketViews (not
    // through slimcap's reader, whose handling of such records is its own).
    const Bytes frame = udp4_frame({}, 1, 2, 10);
    struct Header {
      std::uint32_t caplen, wire;
    };
    const std::vector<Header> headers = {{60, 60}, {60, 0}, {60, 42}, {60, 300000}, {60, 60}};
    PcapSpec spec;
    Bytes file = pcap_file(spec, std::vector<Record>{});
    for (std::size_t i = 0; i < headers.size(); ++i) {
      const Bytes h = pcap_record_header(spec, 1700000000 + static_cast<std::uint32_t>(i), 0,
                                         headers[i].caplen, headers[i].wire);
      file.insert(file.end(), h.begin(), h.end());
      file.insert(file.end(), frame.begin(), frame.begin() + headers[i].caplen);
    }
    TempPath path;
    write_file(path.path, file);
    for (const char* flags : {"", " -# -X"}) {
      CAPTURE(flags);
      const std::string theirs =
          run_command("TZ=UTC tcpdump -n -S -r " + path.path + flags + " 2>/dev/null");
      PrintOptions o;
      o.utc = true;
      if (flags[0] != '\0') {
        o.number = true;
        o.dump = DumpStyle::hex_ascii;
      }
      Printer printer(o);
      OutputBuffer out;
      for (std::size_t i = 0; i < headers.size(); ++i) {
        PacketView p;
        p.data = std::span<const std::uint8_t>(frame).first(headers[i].caplen);
        p.wire_length = headers[i].wire;
        p.link_type = 1;
        p.timestamp_ns = (1700000000 + static_cast<std::int64_t>(i)) * 1000000000;
        printer.print(p, out);
      }
      CHECK(std::string(out.view()) == theirs);
    }
  }
}
