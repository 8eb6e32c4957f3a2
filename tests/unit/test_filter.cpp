// Filters compiled by libpcap per link type, run offline, and dumped as tcpdump -d does; with
// tcpdump installed, the same packets are selected and the same errors reported as tcpdump's.

#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

constexpr std::uint32_t kEthernet = link_type::kEthernet;
constexpr std::uint32_t kRaw = link_type::kRaw;
constexpr std::uint32_t kSll = link_type::kLinuxSll;
constexpr std::uint32_t kSll2 = link_type::kLinuxSll2;
constexpr std::uint32_t kNull = link_type::kNull;

bool matches(Filter& f, const Bytes& frame, std::uint32_t link_type = kEthernet,
             std::uint32_t wire_length = 0) {
  PacketView p;
  p.data = frame;
  p.wire_length = wire_length ? wire_length : static_cast<std::uint32_t>(frame.size());
  p.link_type = link_type;
  return f.matches(p);
}

Bytes vlan_udp(std::uint16_t vid, std::uint16_t tpid = 0x8100) {
  EthernetSpec e;
  e.vlans = {VlanTag{tpid, vid, 0, false}};
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame(e, ipv4_packet(ip, udp_datagram(1, 2, Bytes(10, 0))));
}

Bytes arp_frame(std::uint16_t op) {
  EthernetSpec e;
  e.ethertype = 0x0806;
  return ethernet_frame(e, arp_packet(op, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"),
                                      mac("02:00:00:00:00:02"), ipv4("192.0.2.2")));
}

TcpSpec tcp_spec(std::uint16_t source_port, std::uint16_t destination_port, std::uint8_t flags) {
  TcpSpec t;
  t.source_port = source_port;
  t.destination_port = destination_port;
  t.flags = flags;
  return t;
}

Bytes cat(Bytes head, const Bytes& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// The same network packet behind another link header, built from an untagged Ethernet frame.
Bytes relink(const Bytes& frame, std::uint32_t link_type) {
  const std::uint16_t ethertype = static_cast<std::uint16_t>(frame[12] << 8 | frame[13]);
  const Bytes network(frame.begin() + 14, frame.end());
  switch (link_type) {
    case kRaw:
      return network;
    case kSll: {  // packet type, ARPHRD, address length, 8 address bytes, protocol
      Bytes h = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};
      h.push_back(static_cast<std::uint8_t>(ethertype >> 8));
      h.push_back(static_cast<std::uint8_t>(ethertype));
      return cat(h, network);
    }
    case kSll2: {  // protocol, reserved, ifindex, ARPHRD, packet type, address length, address
      Bytes h = {static_cast<std::uint8_t>(ethertype >> 8), static_cast<std::uint8_t>(ethertype),
                 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};
      return cat(h, network);
    }
    case kNull: {  // the address family in the capturing host's byte order (macOS values)
      const std::uint32_t family = ethertype == 0x86dd ? 30 : 2;
      Bytes h(4);
      std::memcpy(h.data(), &family, 4);
      return cat(h, network);
    }
    case link_type::kLoop:  // the same in network byte order (OpenBSD's AF_INET6 is 24)
      return cat({0, 0, 0, static_cast<std::uint8_t>(ethertype == 0x86dd ? 24 : 2)}, network);
    default:
      return frame;
  }
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A header-only pcap file of the link type: tcpdump -r compiles for that type.
std::string empty_capture(TempPath& file, std::uint32_t link_type) {
  PcapSpec spec;
  spec.link_type = link_type;
  write_file(file.path, pcap_file(spec, {}));
  return file.path;
}

// What tcpdump prints on stderr for a rejected expression, without "tcpdump: ".
std::string tcpdump_error(const std::string& capture, const std::string& expression) {
  for (const std::string& line : lines(run_command(
           "tcpdump -n -r " + capture + " -d '" + expression + "' 2>&1 >/dev/null"))) {
    if (line.rfind("tcpdump: ", 0) == 0) return line.substr(9);
  }
  return "";
}

}  // namespace

TEST_SUITE("filter") {
  TEST_CASE("an empty or blank expression matches everything without compiling") {
    for (const char* blank : {"", "  ", " \t\n "}) {
      Filter f(blank);
      CHECK(f.matches_everything());
      CHECK(f.expression() == blank);
      CHECK(matches(f, Bytes{}));
      CHECK(matches(f, Bytes{1, 2, 3}, 4242));  // not even an unknown link type compiles
    }
    Filter f("tcp");
    CHECK(!f.matches_everything());
    CHECK(f.expression() == "tcp");
  }

  TEST_CASE("a blank expression still dumps libpcap's accept-everything program") {
    Filter f("");
    CHECK(f.dump(kEthernet, 1) == "(000) ret      #262144\n");
    Filter small(" ", 96);
    CHECK(small.dump(kEthernet, 3) == "1\n6 0 0 96\n");
  }

  TEST_CASE("selects packets by protocol, port, address and length on Ethernet") {
    Filter tcp("tcp port 5001");
    CHECK(matches(tcp, tcp4_frame({}, {}, 10)));
    CHECK(!matches(tcp, udp4_frame({}, 1, 5001, 10)));
    TcpSpec other_ports;
    other_ports.source_port = 1;
    other_ports.destination_port = 2;
    CHECK(!matches(tcp, tcp4_frame({}, other_ports, 10)));
    Filter host("host 198.51.100.2 and udp");
    CHECK(matches(host, udp4_frame({}, 1, 2, 10)));
    CHECK(!matches(host, tcp4_frame({}, {}, 10)));
    Ipv4Spec elsewhere;
    elsewhere.destination = {10, 0, 0, 1};
    CHECK(!matches(host, udp4_frame(elsewhere, 1, 2, 10)));
    Filter v6("ip6 and tcp");
    CHECK(matches(v6, tcp6_frame({}, {}, 0)));
    CHECK(!matches(v6, tcp4_frame({}, {}, 0)));
    Filter arp("arp");
    CHECK(matches(arp, arp_frame(1)));
    CHECK(!matches(arp, tcp4_frame({}, {}, 0)));
  }

  TEST_CASE("gives bpf_filter the wire length and the captured length in that order") {
    // "len" is the wire length; loads past the captured bytes fail the packet.
    const Bytes frame = tcp4_frame({}, {}, 200);
    const Bytes cut(frame.begin(), frame.begin() + 60);
    Filter longer("greater 200");
    CHECK(matches(longer, cut, kEthernet, static_cast<std::uint32_t>(frame.size())));
    CHECK(!matches(longer, cut));
    Filter byte_past_cut("ether[100] = " + std::to_string(frame[100]));
    CHECK(matches(byte_past_cut, frame));
    CHECK(!matches(byte_past_cut, cut, kEthernet, static_cast<std::uint32_t>(frame.size())));
  }

  TEST_CASE("compiles one program per link type: Ethernet, RAW, cooked v1 and v2, NULL, LOOP") {
    Filter udp("udp port 53");
    Filter tcp6("ip6 and tcp");
    const Bytes udp_frame = udp4_frame({}, 1, 53, 4);
    const Bytes tcp_frame = tcp4_frame({}, {}, 4);
    const Bytes tcp6_frame_bytes = tcp6_frame({}, {}, 4);
    for (const std::uint32_t lt : {kEthernet, kRaw, kSll, kSll2, kNull, link_type::kLoop}) {
      CAPTURE(lt);
      CHECK(matches(udp, relink(udp_frame, lt), lt));
      CHECK(!matches(udp, relink(tcp_frame, lt), lt));
      CHECK(!matches(udp, relink(tcp6_frame_bytes, lt), lt));
      CHECK(!matches(tcp6, relink(tcp_frame, lt), lt));
      CHECK(matches(tcp6, relink(tcp6_frame_bytes, lt), lt));
    }
    // Interleaved link types reuse each cached program, and give the same answers again.
    for (int round = 0; round < 3; ++round) {
      CHECK(matches(udp, relink(udp_frame, kRaw), kRaw));
      CHECK(matches(udp, udp_frame, kEthernet));
      CHECK(!matches(udp, relink(tcp_frame, kSll2), kSll2));
    }
    // The programs really differ: the link header is 0, 14, 16 or 20 bytes or a family word.
    CHECK(udp.program(kEthernet)[0].k == 12);
    CHECK(udp.program(kSll)[0].k == 14);
    CHECK(udp.program(kSll2)[0].k == 0);
    CHECK(udp.program(kEthernet).size() != udp.program(kRaw).size());
    // Cached: the same instructions come back, not a new compilation.
    CHECK(udp.program(kRaw).data() == udp.program(kRaw).data());
  }

  TEST_CASE("sees VLAN-tagged frames as libpcap does offline") {
    Filter vlan("vlan");
    CHECK(matches(vlan, vlan_udp(100)));
    CHECK(matches(vlan, vlan_udp(5, 0x88a8)));
    CHECK(!matches(vlan, udp4_frame({}, 1, 2, 0)));
    Filter vlan100("vlan 100");
    CHECK(matches(vlan100, vlan_udp(100)));
    CHECK(!matches(vlan100, vlan_udp(200)));
    CHECK(!matches(vlan100, udp4_frame({}, 1, 2, 0)));
    Filter vlan_and_udp("vlan and udp");
    CHECK(matches(vlan_and_udp, vlan_udp(7)));
    CHECK(!matches(vlan_and_udp, udp4_frame({}, 1, 2, 0)));
    Filter plain_udp("udp");
    CHECK(!matches(plain_udp, vlan_udp(7)));  // without "vlan" the ethertype test fails
    CHECK(matches(plain_udp, udp4_frame({}, 1, 2, 0)));
  }

  TEST_CASE("reports libpcap's own message for a rejected expression") {
    Filter syntax("tcp port");
    CHECK_THROWS_WITH_AS(syntax.program(kEthernet), "can't parse filter expression: syntax error",
                         FilterError);
    Filter port("port nosuchport");
    CHECK_THROWS_WITH_AS(port.program(kEthernet), "unknown port 'nosuchport'", FilterError);
    Filter proto("proto nosuch");
    CHECK_THROWS_WITH_AS(proto.program(kEthernet), "unknown ip proto 'nosuch'", FilterError);
    Filter vlan("vlan 100");
    CHECK_THROWS_WITH_AS(vlan.program(kRaw), "no VLAN support for Raw IP", FilterError);
    CHECK_THROWS_WITH_AS(vlan.program(kSll2), "no VLAN support for Linux cooked v2", FilterError);
    CHECK(!vlan.program(kEthernet).empty());  // one bad link type does not spoil the others
    Filter never("ip and ip6");
    CHECK_THROWS_WITH_AS(never.program(kEthernet), "expression rejects all packets", FilterError);
    Filter ether("ether host 02:00:00:00:00:01");
    CHECK_THROWS_AS(ether.program(kRaw), FilterError);
    CHECK(!ether.program(kEthernet).empty());
    // matches() compiles on first sight, so it throws there too (the caller stops then).
    Filter on_match("vlan");
    CHECK_THROWS_AS(matches(on_match, Bytes(20, 0x45), kRaw), FilterError);
    CHECK(matches(on_match, vlan_udp(1), kEthernet));
  }

  TEST_CASE("is movable, and the moved-to filter keeps its programs") {
    Filter a("udp");
    CHECK(matches(a, udp4_frame({}, 1, 2, 0)));
    Filter b(std::move(a));
    CHECK(b.expression() == "udp");
    CHECK(matches(b, udp4_frame({}, 1, 2, 0)));
    CHECK(!matches(b, tcp4_frame({}, {}, 0)));
    Filter c("");
    c = std::move(b);
    CHECK(!c.matches_everything());
    CHECK(!matches(c, tcp4_frame({}, {}, 0)));
    CHECK(matches(c, relink(udp4_frame({}, 1, 2, 0), kRaw), kRaw));
  }

  TEST_CASE("dumps programs exactly as tcpdump -d, -dd and -ddd do, per link type") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    const char* const expressions[] = {
        "", "tcp port 80", "vlan 100 and udp", "icmp or arp", "ip6", "udp port 53 or tcp[13] & 2 != 0",
        "net 10.0.0.0/8 and not host 10.1.2.3", "ip6 and src net 2001:db8::/32", "len > 100",
    };
    for (const std::uint32_t lt : {kEthernet, kRaw, kSll, kSll2, kNull, link_type::kLoop}) {
      TempPath file;
      const std::string capture = empty_capture(file, lt);
      for (const char* expr : expressions) {
        Filter f(expr);
        for (int level = 1; level <= 3; ++level) {
          CAPTURE(lt);
          CAPTURE(std::string(expr));
          CAPTURE(level);
          const std::string flag(static_cast<std::size_t>(level), 'd');
          const std::string theirs = run_command("tcpdump -n -r " + capture + " -" + flag + " '" +
                                                 expr + "' 2>/dev/null");
          try {
            const std::string ours = f.dump(lt, level);
            CHECK(ours == theirs);
          } catch (const FilterError& e) {
            CHECK(theirs.empty());
            CHECK(std::string(e.what()) == tcpdump_error(capture, expr));
          }
        }
      }
    }
  }

  TEST_CASE("selects the same packets as tcpdump -r for each link type") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    Ipv4Spec other;
    other.source = {10, 1, 2, 3};
    other.destination = {10, 9, 9, 9};
    other.protocol = ip_proto::kUdp;
    Ipv6Spec v6udp;
    v6udp.next_header = ip_proto::kUdp;
    const Bytes long_tcp = tcp4_frame({}, tcp_spec(40000, 80, tcp_flag::kSyn), 300);
    Ipv6Spec link_local;
    link_local.source = ipv6("fe80::1");
    link_local.next_header = ip_proto::kUdp;
    const std::vector<Bytes> untagged = {
        tcp4_frame({}, tcp_spec(40000, 80, tcp_flag::kAck), 20),
        tcp4_frame({}, tcp_spec(40000, 5001, tcp_flag::kSyn), 0),
        udp4_frame({}, 3333, 53, 30),
        udp4_frame(other, 53, 4444, 30),
        icmp4_echo_frame({.protocol = ip_proto::kIcmp, .options = {}}, false, 1, 1, 56),
        tcp6_frame({}, tcp_spec(80, 5001, tcp_flag::kAck), 10),
        udp6_frame(v6udp, 5353, 53, 12),
        udp6_frame(link_local, 1, 2, 0),
        arp_frame(2),
        long_tcp,
    };
    const char* const expressions[] = {
        "tcp", "udp", "ip", "ip6", "icmp", "arp", "tcp port 80", "port 53", "host 192.0.2.1",
        "net 10.0.0.0/8", "ip6 and src net 2001:db8::/32", "len > 100", "greater 300",
        "tcp[tcpflags] & tcp-syn != 0", "udp and not port 53", "vlan", "vlan 100", "vlan and udp",
        "ip6 or arp", "ip[8] = 64", "ether broadcast",
    };
    for (const std::uint32_t lt : {kEthernet, kRaw, kSll, kSll2, kNull, link_type::kLoop}) {
      std::vector<Record> records;
      std::int64_t second = 1;
      for (const Bytes& frame : untagged) {
        if (lt != kEthernet && lt != kSll && lt != kSll2 && frame[12] == 0x08 && frame[13] == 0x06)
          continue;  // no ARP without a link header that says so
        records.push_back({relink(frame, lt), second++ * 1000000000, 0});
      }
      if (lt == kEthernet) {
        for (const std::uint16_t vid : {100, 200})
          records.push_back({vlan_udp(vid), second++ * 1000000000, 0});
        records.push_back({vlan_udp(100, 0x88a8), second++ * 1000000000, 0});
      }
      // A record cut to 54 bytes of a longer packet (wire length > caplen).
      Bytes cut = relink(long_tcp, lt);
      const auto wire = static_cast<std::uint32_t>(cut.size());
      cut.resize(54);
      records.push_back({cut, second++ * 1000000000, wire});

      PcapSpec spec;
      spec.link_type = lt;
      TempPath file;
      write_file(file.path, pcap_file(spec, records));
      for (const char* expr : expressions) {
        CAPTURE(lt);
        CAPTURE(std::string(expr));
        Filter f(expr);
        std::string ours;
        try {
          for (const Record& r : records) {
            PacketView p;
            p.data = r.data;
            p.wire_length = r.wire_length ? r.wire_length : static_cast<std::uint32_t>(r.data.size());
            p.link_type = lt;
            if (f.matches(p)) ours += std::to_string(r.timestamp_ns / 1000000000) + " ";
          }
        } catch (const FilterError& e) {
          ours = std::string("error: ") + e.what();
        }
        std::string theirs;
        for (const std::string& line :
             lines(run_command("tcpdump -n -tt -r " + file.path + " '" + expr + "' 2>/dev/null")))
          theirs += line.substr(0, line.find('.')) + " ";
        if (theirs.empty()) {
          const std::string error = tcpdump_error(file.path, expr);
          if (!error.empty()) theirs = "error: " + error;
        }
        CHECK(ours == theirs);
      }
    }
  }
}
