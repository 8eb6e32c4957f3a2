// The decoder: fields of each link type and protocol, and frames cut at every offset.

#include <doctest/doctest.h>

#include <vector>

#include "frame_builder.hpp"
#include "slimcap/decode.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Summary decoded(const Bytes& frame, std::uint32_t link_type = 1, bool* ok = nullptr) {
  PacketView p;
  p.data = frame;
  p.wire_length = static_cast<std::uint32_t>(frame.size());
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
}
