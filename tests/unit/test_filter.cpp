// Filters compiled by libpcap per link type, run offline, and dumped as tcpdump -d does.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

bool matches(Filter& f, const Bytes& frame, std::uint32_t link_type = 1) {
  PacketView p;
  p.data = frame;
  p.wire_length = static_cast<std::uint32_t>(frame.size());
  p.link_type = link_type;
  return f.matches(p);
}

Bytes vlan_udp(std::uint16_t vid) {
  EthernetSpec e;
  e.vlans = {test::VlanTag{0x8100, vid, 0, false}};
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame(e, ipv4_packet(ip, udp_datagram(1, 2, Bytes(10, 0))));
}

}  // namespace

TEST_SUITE("filter") {
  TEST_CASE("an empty expression matches everything without compiling") {
    Filter f("  ");
    CHECK(f.matches_everything());
    CHECK(matches(f, Bytes{}));
  }

  TEST_CASE("selects packets by protocol, port and address on Ethernet") {
    Filter tcp("tcp port 5001");
    CHECK(matches(tcp, tcp4_frame({}, {}, 10)));
    CHECK(!matches(tcp, udp4_frame({}, 1, 5001, 10)));
    Filter host("host 198.51.100.2 and udp");
    CHECK(matches(host, udp4_frame({}, 1, 2, 10)));
    CHECK(!matches(host, tcp4_frame({}, {}, 10)));
    Filter v6("ip6 and tcp");
    CHECK(matches(v6, tcp6_frame({}, {}, 0)));
    CHECK(!matches(v6, tcp4_frame({}, {}, 0)));
  }

  TEST_CASE("compiles one program per link type, RAW and cooked ones included") {
    Filter f("udp");
    const Bytes ip = ipv4_packet({.protocol = ip_proto::kUdp, .options = {}}, udp_datagram(1, 2, {}));
    CHECK(matches(f, udp4_frame({}, 1, 2, 0), 1));
    CHECK(matches(f, ip, 101));
    Bytes sll2(20, 0);
    sll2[0] = 0x08;
    sll2.insert(sll2.end(), ip.begin(), ip.end());
    CHECK(matches(f, sll2, 276));
    Bytes null_header{2, 0, 0, 0};
    null_header.insert(null_header.end(), ip.begin(), ip.end());
    CHECK(matches(f, null_header, 0));
    CHECK(f.program(1).size() != f.program(101).size());
  }

  TEST_CASE("sees VLAN-tagged frames as libpcap does offline") {
    Filter vlan100("vlan 100");
    CHECK(matches(vlan100, vlan_udp(100)));
    CHECK(!matches(vlan100, vlan_udp(200)));
    CHECK(!matches(vlan100, udp4_frame({}, 1, 2, 0)));
    Filter vlan_udp_filter("vlan and udp");
    CHECK(matches(vlan_udp_filter, vlan_udp(7)));
    Filter plain_udp("udp");
    CHECK(!matches(plain_udp, vlan_udp(7)));  // without "vlan" the ethertype test fails
  }

  TEST_CASE("reports libpcap's own message for a bad expression") {
    Filter bad("tcp port");
    CHECK_THROWS_WITH_AS(bad.program(1), "can't parse filter expression: syntax error",
                         FilterError);
    Filter wrong_link("ether host 02:00:00:00:00:01");
    CHECK_THROWS_AS(wrong_link.program(101), FilterError);
    CHECK(!wrong_link.program(1).empty());
  }

  TEST_CASE("dumps programs exactly as tcpdump -d, -dd and -ddd do") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    for (const char* expr : {"tcp port 80", "vlan 100 and udp", "icmp or arp", "ip6", ""}) {
      for (int level = 1; level <= 3; ++level) {
        CAPTURE(expr);
        CAPTURE(level);
        Filter f(expr);
        const std::string flag(static_cast<std::size_t>(level), 'd');
        const std::string theirs =
            run_command("tcpdump -" + flag + " '" + std::string(expr) + "' 2>/dev/null");
        CHECK(f.dump(1, level) == theirs);
      }
    }
  }
}
