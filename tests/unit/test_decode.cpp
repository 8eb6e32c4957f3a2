// The decoder: fields of each link type and protocol, and frames cut at every offset.

#include <doctest/doctest.h>

#include <vector>

#include "frame_builder.hpp"
#include "slimcap/decode.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

// Decodes `frame`; `wire_length` 0 means the frame is whole.
Summary decoded(const Bytes& frame, std::uint32_t link_type = 1, bool* ok = nullptr,
                std::size_t wire_length = 0) {
  PacketView p;
  p.data = frame;
  p.wire_length = static_cast<std::uint32_t>(wire_length ? wire_length : frame.size());
  p.link_type = link_type;
  Summary s;
  const bool result = decode(p, s);
  if (ok) *ok = result;
  return s;
}

}  // namespace

TEST_SUITE("decode") {
  TEST_CASE("decodes Ethernet, IPv4 and TCP fields") {
    TcpSpec t;
    t.seq = 11;
    t.ack = 22;
    t.flags = tcp_flag::kSyn | tcp_flag::kAck;
    t.window = 333;
    t.options = {2, 4, 5, 0xb4};
    Ipv4Spec ip;
    ip.ttl = 17;
    ip.id = 4242;
    bool ok = false;
    const Bytes frame = tcp4_frame(ip, t, 10);  // the summary points into it
    const Summary s = decoded(frame, 1, &ok);
    CHECK(ok);
    CHECK(s.network == Network::ipv4);
    CHECK(s.ethertype == 0x0800);
    CHECK(s.source_mac[5] == 1);
    CHECK(s.ttl == 17);
    CHECK(s.ip_id == 4242);
    CHECK(s.dont_fragment);
    CHECK(s.protocol == 6);
    CHECK(s.source_port == 40000);
    CHECK(s.destination_port == 5001);
    CHECK(s.seq == 11);
    CHECK(s.ack == 22);
    CHECK(s.tcp_flags == (tcp_flag::kSyn | tcp_flag::kAck));
    CHECK(s.window == 333);
    CHECK(s.tcp_header_length == 24);
    CHECK(s.payload_length == 10);
    CHECK(s.truncated == Layer::none);
  }

  TEST_CASE("decodes stacked 802.1ad and 802.1Q tags") {
    EthernetSpec e;
    e.vlans = {test::VlanTag{0x88a8, 200, 0, false}, test::VlanTag{0x8100, 100, 5, false}};
    Ipv4Spec ip;
    ip.protocol = ip_proto::kUdp;
    const Bytes frame = ethernet_frame(e, ipv4_packet(ip, udp_datagram(7, 8, Bytes(3, 0))));
    const Summary s = decoded(frame);
    REQUIRE(s.vlan_count == 2);
    CHECK(s.vlans[0].tpid == 0x88a8);
    CHECK(s.vlans[0].id() == 200);
    CHECK(s.vlans[1].id() == 100);
    CHECK(s.vlans[1].priority() == 5);
    CHECK(s.outer_ethertype == 0x88a8);
    CHECK(s.ethertype == 0x0800);
    CHECK(s.link_header_length == 22);
    CHECK(s.destination_port == 8);
    CHECK(s.udp_length == 11);
  }

  TEST_CASE("walks IPv6 extension headers to the transport and stops at later fragments") {
    Ipv6Spec ip;
    ip.next_header = ip_proto::kUdp;
    ip.extensions.push_back({ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}});
    ip.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 9)});
    const Bytes packet = ipv6_packet(ip, udp_datagram(1, 2, Bytes(10, 0)));
    const Summary s = decoded(packet, 229);
    CHECK(s.network == Network::ipv6);
    CHECK(s.ipv6_extension_count == 2);
    CHECK(s.ipv6_fragmented);
    CHECK(s.fragment_id == 9);
    CHECK(s.protocol == 17);
    CHECK(s.source_port == 1);
    Ipv6Spec later = ip;
    later.extensions = {{ip_proto::kIpv6Frag, ipv6_fragment_body(100, false, 9)}};
    const Bytes later_packet = ipv6_packet(later, Bytes(16, 0));
    const Summary l = decoded(later_packet, 229);
    CHECK(l.later_fragment);
    CHECK(!l.has_ports);
  }

  TEST_CASE("decodes ARP, ICMP and the cooked and loopback link types") {
    EthernetSpec arp_spec;
    arp_spec.ethertype = 0x0806;
    const Bytes arp = ethernet_frame(
        arp_spec, arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"), Mac{}, ipv4("192.0.2.2")));
    const Summary a = decoded(arp);
    CHECK(a.network == Network::arp);
    CHECK(a.arp_op == 1);
    CHECK(a.arp_target_ip[3] == 2);
    const Bytes echo = icmp4_echo_frame({}, true, 9, 3, 8);
    const Summary i = decoded(echo);
    CHECK(i.has_icmp);
    CHECK(i.icmp_type == 0);
    CHECK(i.icmp_id == 9);
    CHECK(i.icmp_seq == 3);
    const Bytes ip = ipv4_packet({}, tcp_segment({}, {}));
    Bytes sll(16, 0);
    sll[14] = 0x08;
    sll.insert(sll.end(), ip.begin(), ip.end());
    CHECK(decoded(sll, 113).network == Network::ipv4);
    Bytes loop{0, 0, 0, 2};
    loop.insert(loop.end(), ip.begin(), ip.end());
    CHECK(decoded(loop, 108).network == Network::ipv4);
    Bytes null_swapped{0, 0, 0, 2};  // NULL written on a big-endian host
    null_swapped.insert(null_swapped.end(), ip.begin(), ip.end());
    CHECK(decoded(null_swapped, 0).network == Network::ipv4);
  }

  TEST_CASE("never reads past the captured bytes: every cut names the layer it stopped in") {
    const std::vector<Bytes> frames{
        tcp4_frame({}, {}, 20), udp4_frame({}, 1, 2, 8), icmp4_echo_frame({}, false, 1, 1, 8),
        tcp6_frame({}, {}, 4), udp6_frame({}, 1, 2, 4)};
    for (const Bytes& f : frames) {
      const Summary whole = decoded(f);
      REQUIRE(whole.truncated == Layer::none);
      const std::uint32_t header_end =
          whole.transport_offset + (whole.protocol == 6 ? whole.tcp_header_length : 8u);
      for (std::size_t cut = 0; cut < header_end; ++cut) {
        // A copy of exactly `cut` bytes, so that AddressSanitizer sees any overread.
        const Bytes part(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(cut));
        PacketView p;
        p.data = part;
        p.wire_length = static_cast<std::uint32_t>(f.size());
        p.link_type = 1;
        Summary s;
        CAPTURE(cut);
        CHECK(!decode(p, s));
        CHECK(s.truncated != Layer::none);
        if (cut < 14) CHECK(s.truncated == Layer::link);
      }
    }
  }

  TEST_CASE("decodes LINUX_SLL2, NULL and RAW variants, 0x9100 tags and IPv4 fragments") {
    Ipv6Spec v6;
    v6.next_header = ip_proto::kUdp;
    const Bytes ip6 = ipv6_packet(v6, udp_datagram(3, 4, Bytes(2, 0)));
    Bytes sll2{0x86, 0xdd, 0, 0, 0, 0, 0, 7, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0};
    sll2.insert(sll2.end(), ip6.begin(), ip6.end());
    const Summary s2 = decoded(sll2, 276);
    CHECK(s2.sll_interface == 7);
    CHECK(s2.sll_packet_type == 4);
    CHECK(s2.network == Network::ipv6);
    CHECK(s2.destination_port == 4);
    for (std::uint8_t family : {24, 28, 30}) {
      Bytes null_header{family, 0, 0, 0};
      null_header.insert(null_header.end(), ip6.begin(), ip6.end());
      CHECK(decoded(null_header, 0).network == Network::ipv6);
      CHECK(decoded(null_header, 0).link_family == family);
    }
    Bytes unknown_family{1, 0, 0, 0, 9, 9};
    CHECK(decoded(unknown_family, 0).network == Network::other);
    CHECK(decoded(ip6, 101).network == Network::ipv6);
    CHECK(decoded(ip6, 229).source_port == 3);
    EthernetSpec e;
    e.vlans = {test::VlanTag{0x9100, 300, 1, true}};
    const Bytes tagged = ethernet_frame(e, ipv4_packet({}, tcp_segment({}, {})));
    const Summary t = decoded(tagged);
    REQUIRE(t.vlan_count == 1);
    CHECK(t.vlans[0].tpid == 0x9100);
    CHECK(t.vlans[0].id() == 300);
    CHECK((t.vlans[0].tci & 0x1000) != 0);
    Ipv4Spec frag;
    frag.protocol = ip_proto::kUdp;
    frag.dont_fragment = false;
    frag.more_fragments = true;
    frag.fragment_offset = 3;
    const Summary f = decoded(ethernet_frame({}, ipv4_packet(frag, Bytes(16, 0))));
    CHECK(f.later_fragment);
    CHECK(f.more_fragments);
    CHECK(f.fragment_offset == 24);
    CHECK(!f.has_ports);
  }

  TEST_CASE("names the IPv6 extension header that was cut") {
    Ipv6Spec ip;
    ip.next_header = ip_proto::kUdp;
    ip.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 9)});
    const Bytes packet = ipv6_packet(ip, udp_datagram(1, 2, Bytes(10, 0)));
    const Bytes cut(packet.begin(), packet.begin() + 44);
    const Summary s = decoded(cut, 229);
    CHECK(s.truncated == Layer::ip6);
    REQUIRE(s.ipv6_extension_count == 1);
    CHECK(s.ipv6_extensions[0].type == 44);
    CHECK(s.ipv6_extensions[0].offset == 40);
  }

  TEST_CASE("decodes every link type's frames cut at every offset without reading past them") {
    Ipv6Spec ext;
    ext.next_header = ip_proto::kTcp;
    ext.extensions.push_back({ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}});
    ext.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 9)});
    TcpSpec t;
    t.options = {2, 4, 5, 0xb4, 1, 1, 4, 2};
    Ipv4Spec opts;
    opts.options = {148, 4, 0, 0};
    const std::vector<Bytes> packets{ipv4_packet(opts, tcp_segment(t, Bytes(4, 0))),
                                     ipv6_packet(ext, tcp_segment(t, Bytes(4, 0))),
                                     arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"),
                                                Mac{}, ipv4("192.0.2.2"))};
    std::size_t decoded_count = 0;
    for (const Bytes& packet : packets) {
      const bool is_arp = packet.size() == 28;
      const std::uint8_t family = (packet[0] >> 4) == 6 ? 30 : 2;
      std::vector<std::pair<std::uint32_t, Bytes>> frames;
      EthernetSpec e;
      e.ethertype = is_arp ? 0x0806 : family == 2 ? 0x0800 : 0x86dd;
      e.vlans = {test::VlanTag{0x88a8, 1, 0, false}, test::VlanTag{0x8100, 2, 0, false}};
      frames.push_back({1, ethernet_frame(e, packet)});
      Bytes sll(16, 0);
      sll[14] = static_cast<std::uint8_t>(e.ethertype >> 8);
      sll[15] = static_cast<std::uint8_t>(e.ethertype);
      sll.insert(sll.end(), packet.begin(), packet.end());
      frames.push_back({113, sll});
      if (!is_arp) {
        Bytes null_header{family, 0, 0, 0};
        null_header.insert(null_header.end(), packet.begin(), packet.end());
        frames.push_back({0, null_header});
        frames.push_back({101, packet});
      }
      for (const auto& [link_type, frame] : frames) {
        for (std::size_t cut = 0; cut <= frame.size(); ++cut) {
          const Bytes part(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(cut));
          bool ok = false;
          const Summary s = decoded(part, link_type, &ok, frame.size());
          CHECK(ok == (s.truncated == Layer::none));
          if (cut == frame.size()) CHECK(ok);
          ++decoded_count;
        }
      }
    }
    CHECK(decoded_count > 500);
  }
}
