// --json: one object per packet, documented keys, absent fields omitted.

#include <doctest/doctest.h>
#include <net/if.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/json.hpp"
#include "slimcap/link_type.hpp"

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

namespace {

std::string json_of(const Bytes& data, std::uint32_t link_type, std::uint32_t wire = 0) {
  PacketView p;
  p.data = data;
  p.wire_length = wire ? wire : static_cast<std::uint32_t>(data.size());
  p.link_type = link_type;
  p.timestamp_ns = 1700000000000000001;
  OutputBuffer out;
  append_json(out, p);
  return std::string(out.view());
}

bool has_key(const std::string& line, const char* name) {
  return line.find(std::string("\"") + name + "\":") != std::string::npos;
}

std::vector<Bytes> json_frames() {
  std::vector<Bytes> f;
  TcpSpec t;
  t.flags = 0;
  f.push_back(tcp4_frame({}, t, 3));
  f.push_back(udp4_frame({}, 40000, 5001, 12));
  f.push_back(icmp4_echo_frame({}, false, 1, 2, 8));
  EthernetSpec arp_spec;
  arp_spec.ethertype = 0x0806;
  f.push_back(ethernet_frame(arp_spec, arp_packet(2, mac("02:00:00:00:00:02"), ipv4("192.0.2.2"),
                                                   mac("02:00:00:00:00:01"), ipv4("192.0.2.1"))));
  Ipv4Spec frag;
  frag.protocol = ip_proto::kUdp;
  frag.fragment_offset = 10;
  f.push_back(ethernet_frame({}, ipv4_packet(frag, Bytes(30, 1))));
  EthernetSpec v6;
  v6.ethertype = 0x86dd;
  v6.vlans = {test::VlanTag{0x88a8, 10, 0, false}, test::VlanTag{0x8100, 20, 0, false}};
  Ipv6Spec ext;
  ext.next_header = ip_proto::kUdp;
  ext.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 5)});
  f.push_back(ethernet_frame(v6, ipv6_packet(ext, udp_datagram(1, 2, Bytes(8, 0)))));
  EthernetSpec unknown;
  unknown.ethertype = 0x88b5;
  f.push_back(ethernet_frame(unknown, Bytes(46, 0)));
  return f;
}

}  // namespace

TEST_SUITE("json") {
  TEST_CASE("has the keys of each protocol and leaves out the others") {
    const std::vector<Bytes> f = json_frames();
    const std::string tcp = json_of(f[0], 1);
    CHECK(tcp.find("\"tcp_flags\":\"none\"") != std::string::npos);
    CHECK(tcp.find("\"payload_len\":3") != std::string::npos);
    CHECK(!has_key(tcp, "icmp_type"));
    const std::string udp = json_of(f[1], 1);
    CHECK(udp.find("\"proto\":\"udp\",\"sport\":40000,\"dport\":5001,\"payload_len\":12}") !=
          std::string::npos);
    CHECK(!has_key(udp, "tcp_flags"));
    CHECK(!has_key(udp, "seq"));
    const std::string icmp = json_of(f[2], 1);
    CHECK(icmp.find("\"proto\":\"icmp\",\"icmp_type\":8,\"icmp_code\":0}") != std::string::npos);
    CHECK(!has_key(icmp, "sport"));
    const std::string arp = json_of(f[3], 1);
    CHECK(arp.find("\"ethertype\":2054,\"proto\":\"arp\",\"arp_op\":2,\"src\":\"192.0.2.2\","
                   "\"dst\":\"192.0.2.1\"}") != std::string::npos);
    CHECK(!has_key(arp, "ttl"));
    const std::string frag = json_of(f[4], 1);
    CHECK(frag.find("\"frag_offset\":80") != std::string::npos);
    CHECK(!has_key(frag, "sport"));
    const std::string v6 = json_of(f[5], 1);
    CHECK(v6.find("\"vlan\":[10,20],\"ethertype\":34525,\"src\":\"2001:db8::1\"") !=
          std::string::npos);
    CHECK(v6.find("\"proto\":\"udp\",\"frag_offset\":0,\"sport\":1,\"dport\":2") !=
          std::string::npos);
    const std::string other = json_of(f[6], 1);
    CHECK(other.find("\"ethertype\":34997}") != std::string::npos);
    CHECK(!has_key(other, "src"));
    // Other link types: no MACs; an unknown one has only the record's keys.
    const Bytes ip(f[1].begin() + 14, f[1].end());
    const std::string raw = json_of(ip, 101);
    CHECK(raw.find("\"linktype\":\"RAW\"") != std::string::npos);
    CHECK(!has_key(raw, "src_mac"));
    CHECK(has_key(raw, "dport"));
    CHECK(json_of(ip, 65000) ==
          "{\"ts\":1700000000.000000001,\"caplen\":46,\"len\":46,\"linktype\":\"LINKTYPE_65000\"}\n");
  }

  TEST_CASE("writes one parseable object per line for every frame cut at every offset") {
    std::string lines;
    std::size_t count = 0;
    for (const Bytes& f : json_frames()) {
      for (std::size_t n = 0; n <= f.size(); ++n) {
        const Bytes part(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
        const std::string line = json_of(part, 1, static_cast<std::uint32_t>(f.size()));
        CHECK(line.back() == '\n');
        CHECK(std::count(line.begin(), line.end(), '\n') == 1);
        CHECK(line.find("null") == std::string::npos);
        CHECK(has_key(line, "ts"));
        CHECK(has_key(line, "len"));
        if (n < 14) CHECK(has_key(line, "truncated"));
        lines += line;
        ++count;
      }
    }
    if (!have_program("python3")) {
      MESSAGE("python3 not installed: JSON syntax not checked by a parser");
      return;
    }
    TempPath tmp(".json");
    write_file(tmp.path, Bytes(lines.begin(), lines.end()));
    int status = 1;
    const std::string parsed = run_command(
        "python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if "
        "isinstance(json.loads(l), dict)))' " + tmp.path,
        &status);
    CHECK(status == 0);
    CHECK(parsed == std::to_string(count) + "\n");
  }
}

namespace {

// A LINUX_SLL2 record (as `live -i any` builds it) around an IPv4 UDP datagram.
Bytes sll2_frame(std::uint32_t ifindex, std::uint8_t packet_type) {
  const Bytes frame = udp4_frame({}, 40000, 53, 4);
  Bytes out(20, 0);
  out[0] = 0x08;  // protocol IPv4
  out[4] = static_cast<std::uint8_t>(ifindex >> 24);
  out[5] = static_cast<std::uint8_t>(ifindex >> 16);
  out[6] = static_cast<std::uint8_t>(ifindex >> 8);
  out[7] = static_cast<std::uint8_t>(ifindex);
  out[9] = 1;  // ARPHRD_ETHER
  out[10] = packet_type;
  out[11] = 6;
  out.insert(out.end(), frame.begin() + 14, frame.end());
  return out;
}

}  // namespace

TEST_SUITE("json") {
  TEST_CASE("LINUX_SLL2 packets carry the interface and the direction, as the text lines") {
    // ifindex 1 is the loopback device in every network namespace.
    char name[IF_NAMESIZE + 1] = {};
    REQUIRE(if_indextoname(1, name) != nullptr);
    const std::string in = json_of(sll2_frame(1, 0), link_type::kLinuxSll2);
    CHECK(in.find(std::string("\"linktype\":\"LINUX_SLL2\",\"ifindex\":1,\"ifname\":\"") + name +
                  "\",\"direction\":\"In\",\"ethertype\":2048") != std::string::npos);
    CHECK(json_of(sll2_frame(1, 4), link_type::kLinuxSll2).find("\"direction\":\"Out\"") !=
          std::string::npos);
    CHECK(json_of(sll2_frame(1, 1), link_type::kLinuxSll2).find("\"direction\":\"B\"") !=
          std::string::npos);
    CHECK(json_of(sll2_frame(1, 2), link_type::kLinuxSll2).find("\"direction\":\"M\"") !=
          std::string::npos);
    CHECK(json_of(sll2_frame(1, 3), link_type::kLinuxSll2).find("\"direction\":\"P\"") !=
          std::string::npos);
    // An index with no interface here (a file from another host): the index, no name.
    const std::string foreign = json_of(sll2_frame(0x7fff0001, 0), link_type::kLinuxSll2);
    CHECK(foreign.find("\"ifindex\":2147418113,\"direction\":\"In\"") != std::string::npos);
    CHECK(!has_key(foreign, "ifname"));
    // Interleaved indexes: the cached name follows the index.
    CHECK(json_of(sll2_frame(1, 0), link_type::kLinuxSll2).find(std::string("\"ifname\":\"") + name) !=
          std::string::npos);
    // A record cut inside the header has neither.
    const Bytes cut = sll2_frame(1, 0);
    const std::string short_line = json_of(Bytes(cut.begin(), cut.begin() + 12), link_type::kLinuxSll2, 50);
    CHECK(!has_key(short_line, "ifindex"));
    CHECK(!has_key(short_line, "direction"));
  }

  TEST_CASE("LINUX_SLL packets carry the direction; Ethernet frames neither key") {
    const Bytes sll2 = sll2_frame(1, 4);
    Bytes sll(16, 0);
    sll[1] = 4;  // outgoing
    sll[3] = 1;
    sll[5] = 6;
    sll[14] = 0x08;
    sll.insert(sll.end(), sll2.begin() + 20, sll2.end());
    const std::string line = json_of(sll, link_type::kLinuxSll);
    CHECK(line.find("\"linktype\":\"LINUX_SLL\",\"direction\":\"Out\",\"ethertype\":2048") !=
          std::string::npos);
    CHECK(!has_key(line, "ifindex"));
    const std::string ethernet = json_of(udp4_frame({}, 1, 2, 3), link_type::kEthernet);
    CHECK(!has_key(ethernet, "direction"));
    CHECK(!has_key(ethernet, "ifname"));
  }
}
