// --json: one object per packet, documented keys, absent fields omitted.

#include <doctest/doctest.h>

#include <string>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/json.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

std::string json(const Bytes& frame, std::uint32_t wire = 0) {
  PacketView p;
  p.data = frame;
  p.wire_length = wire ? wire : static_cast<std::uint32_t>(frame.size());
  p.link_type = 1;
  p.timestamp_ns = 1700000000123456789;
  OutputBuffer out;
  append_json(out, p);
  return std::string(out.view());
}

}  // namespace

TEST_SUITE("json") {
  TEST_CASE("writes a TCP packet with its documented keys") {
    TcpSpec t;
    t.flags = tcp_flag::kSyn;
    t.seq = 5;
    const std::string line = json(tcp4_frame({}, t, 0));
    CHECK(line ==
          "{\"ts\":1700000000.123456789,\"caplen\":60,\"len\":60,\"linktype\":\"EN10MB\","
          "\"src_mac\":\"02:00:00:00:00:01\",\"dst_mac\":\"02:00:00:00:00:02\",\"ethertype\":2048,"
          "\"src\":\"192.0.2.1\",\"dst\":\"198.51.100.2\",\"ttl\":64,\"proto\":\"tcp\","
          "\"sport\":40000,\"dport\":5001,\"tcp_flags\":\"S\",\"seq\":5,\"ack\":0,\"win\":502,"
          "\"payload_len\":0}\n");
  }

  TEST_CASE("omits what a packet does not have, and lists VLAN ids") {
    EthernetSpec e;
    e.vlans = {test::VlanTag{0x8100, 100, 0, false}};
    e.ethertype = 0x86dd;
    Ipv6Spec ip;
    ip.next_header = ip_proto::kIcmpv6;
    const std::string line = json(ethernet_frame(e, ipv6_packet(ip, icmp_message(128, 0, 0, Bytes(8, 0)))));
    CHECK(line.find("\"vlan\":[100]") != std::string::npos);
    CHECK(line.find("\"src\":\"2001:db8::1\"") != std::string::npos);
    CHECK(line.find("\"icmp_type\":128") != std::string::npos);
    CHECK(line.find("sport") == std::string::npos);
    CHECK(line.find("null") == std::string::npos);
  }

  TEST_CASE("marks truncated packets and stays valid JSON") {
    const Bytes frame = udp4_frame({}, 1, 2, 100);
    const Bytes cut(frame.begin(), frame.begin() + 36);
    const std::string line = json(cut, static_cast<std::uint32_t>(frame.size()));
    CHECK(line.find("\"truncated\":\"udp\"") != std::string::npos);
    if (have_program("python3")) {
      TempPath tmp(".json");
      write_file(tmp.path, Bytes(line.begin(), line.end()));
      int status = 1;
      run_command("python3 -c 'import json,sys; json.loads(open(sys.argv[1]).read())' " + tmp.path, &status);
      CHECK(status == 0);
    } else {
      MESSAGE("python3 not installed: JSON syntax not checked by a parser");
    }
  }
}
