// The text printer: golden lines, tcpdump agreement on generated frames, and frames cut at
// every offset.

#include <doctest/doctest.h>

#include <arpa/inet.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

constexpr std::int64_t kEpoch = 1700000000123456000;

std::string print_one(const Bytes& frame, PrintOptions options = {},
                      std::uint32_t link_type = 1, std::uint32_t wire = 0) {
  options.utc = true;
  Printer printer(options);
  OutputBuffer out;
  PacketView p;
  p.data = frame;
  p.timestamp_ns = kEpoch;
  p.wire_length = wire ? wire : static_cast<std::uint32_t>(frame.size());
  p.link_type = link_type;
  printer.print(p, out);
  return std::string(out.view());
}

PrintOptions no_time() {
  PrintOptions o;
  o.timestamp_style = TimestampStyle::none;
  return o;
}

TcpSpec syn_with_options() {
  TcpSpec t;
  t.flags = tcp_flag::kSyn;
  t.seq = 1000000;
  t.window = 64240;
  t.options = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};
  return t;
}

// A varied set of frames: every protocol and link shape the printer knows.
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
  f.push_back(udp4_frame(ip, 40000, 5001, 32));
  f.push_back(icmp4_echo_frame(ip, false, 7, 1, 56));
  f.push_back(icmp4_echo_frame(ip, true, 7, 1, 56));
  {
    Ipv4Spec inner = ip;
    inner.protocol = ip_proto::kUdp;
    const Bytes original = ipv4_packet(inner, udp_datagram(50000, 33434, Bytes(24, 0)));
    Ipv4Spec outer;
    outer.protocol = ip_proto::kIcmp;
    outer.source = ipv4("198.51.100.2");
    outer.destination = ipv4("192.0.2.1");
    const Bytes icmp = icmp_message(3, 3, 0, std::span(original).first(28));
    EthernetSpec e;
    f.push_back(ethernet_frame(e, ipv4_packet(outer, icmp)));
    const Bytes exceeded = icmp_message(11, 0, 0, std::span(original).first(28));
    f.push_back(ethernet_frame(e, ipv4_packet(outer, exceeded)));
  }
  {
    Ipv4Spec opts = ip;
    opts.protocol = ip_proto::kUdp;
    opts.options = {148, 4, 0, 0};
    f.push_back(ethernet_frame({}, ipv4_packet(opts, udp_datagram(1234, 5678, Bytes(20, 1)))));
  }
  {
    Ipv4Spec frag = ip;
    frag.protocol = ip_proto::kUdp;
    frag.dont_fragment = false;
    frag.more_fragments = false;
    frag.fragment_offset = 185;
    f.push_back(ethernet_frame({}, ipv4_packet(frag, Bytes(100, 2))));
  }
  Ipv6Spec v6;
  f.push_back(tcp6_frame(v6, syn_with_options(), 0));
  f.push_back(udp6_frame(v6, 40001, 5002, 48));
  {
    Ipv6Spec echo = v6;
    echo.next_header = ip_proto::kIcmpv6;
    EthernetSpec e;
    e.ethertype = 0x86dd;
    f.push_back(ethernet_frame(e, ipv6_packet(echo, icmp_message(128, 0, 0x00420001, Bytes(56, 3)))));
    Bytes ns_body(20, 0);
    const Ipv6 target = ipv6("2001:db8::2");
    std::copy(target.begin(), target.end(), ns_body.begin() + 4);
    ns_body[0] = 0;  // reserved word is part of rest_of_header; body starts with the target
    Bytes ns(target.begin(), target.end());
    const Bytes lladdr{1, 1, 2, 0, 0, 0, 0, 1};
    ns.insert(ns.end(), lladdr.begin(), lladdr.end());
    echo.hop_limit = 255;
    f.push_back(ethernet_frame(e, ipv6_packet(echo, icmp_message(135, 0, 0, ns))));
    Ipv6Spec ext = v6;
    ext.next_header = ip_proto::kUdp;
    ext.extensions.push_back({ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}});
    ext.extensions.push_back({ip_proto::kIpv6DestOpts, {1, 4, 0, 0, 0, 0}});
    f.push_back(ethernet_frame(e, ipv6_packet(ext, udp_datagram(50005, 5008, Bytes(20, 4)))));
    Ipv6Spec frag = v6;
    frag.next_header = ip_proto::kUdp;
    frag.extensions.push_back({ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 0x1234abcd)});
    f.push_back(ethernet_frame(e, ipv6_packet(frag, udp_datagram(50006, 5009, Bytes(64, 5)))));
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
    qinq.vlans = {VlanTag{0x88a8, 200, 0, false}, VlanTag{0x8100, 100, 0, false}};
    f.push_back(ethernet_frame(qinq, ipv4_packet(u, udp_datagram(3, 4, Bytes(60, 7)))));
  }
  {
    EthernetSpec unknown;
    unknown.ethertype = 0x88b5;
    const std::string text = "slimcap payload: the quick brown fox";
    f.push_back(ethernet_frame(unknown, Bytes(text.begin(), text.end())));
    Ipv4Spec proto = ip;
    proto.protocol = 253;
    f.push_back(ethernet_frame({}, ipv4_packet(proto, Bytes(20, 8))));
  }
  return f;
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
  }

  TEST_CASE("prints UDP, ICMP, IPv6 and ARP lines") {
    CHECK(print_one(udp4_frame({}, 40000, 5001, 32), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5001: UDP, length 32\n");
    CHECK(print_one(icmp4_echo_frame({}, false, 7, 2, 56), no_time()) ==
          "IP 192.0.2.1 > 198.51.100.2: ICMP echo request, id 7, seq 2, length 64\n");
    CHECK(print_one(udp6_frame({}, 1, 2, 8), no_time()) ==
          "IP6 2001:db8::1.1 > 2001:db8::2.2: UDP, length 8\n");
    EthernetSpec arp_spec;
    arp_spec.ethertype = 0x0806;
    const Bytes arp = ethernet_frame(
        arp_spec,
        arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"), Mac{}, ipv4("192.0.2.2")));
    CHECK(print_one(arp, no_time()) == "ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 46\n");
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
  }

  TEST_CASE("prints other link types: RAW, LINUX_SLL2, NULL, and an unknown one") {
    Ipv4Spec udp_spec;
    udp_spec.protocol = ip_proto::kUdp;
    const Bytes ip = ipv4_packet(udp_spec, udp_datagram(1, 2, Bytes(4, 0)));
    const std::string want = "IP 192.0.2.1.1 > 198.51.100.2.2: UDP, length 4\n";
    CHECK(print_one(ip, no_time(), 101) == want);
    CHECK(print_one(ip, no_time(), 228) == want);
    Bytes sll2(20, 0);
    sll2[0] = 0x08;  // protocol IPv4
    sll2.insert(sll2.end(), ip.begin(), ip.end());
    CHECK(print_one(sll2, no_time(), 276) == want);
    Bytes null_header{2, 0, 0, 0};  // AF_INET, little-endian host order
    null_header.insert(null_header.end(), ip.begin(), ip.end());
    CHECK(print_one(null_header, no_time(), 0) == want);
    CHECK(print_one(ip, no_time(), 105) == "IEEE802_11, length 32\n");
    CHECK(print_one(ip, no_time(), 65000) == "LINKTYPE_65000, length 32\n");
  }

  TEST_CASE("marks truncated headers the way tcpdump does") {
    const Bytes syn = tcp4_frame({}, syn_with_options(), 0);
    const Bytes cut(syn.begin(), syn.begin() + 14 + 20 + 16);
    CHECK(print_one(cut, no_time(), 1, static_cast<std::uint32_t>(syn.size())) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5001:  [|tcp]\n");
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
  }

  TEST_CASE("survives every frame cut at every offset and caplen 0") {
    const std::vector<std::uint32_t> link_types{1, 101, 113, 276, 0, 108, 228, 229};
    for (const Bytes& frame : varied_frames()) {
      for (std::uint32_t lt : link_types) {
        for (std::size_t cut = 0; cut <= frame.size(); ++cut) {
          const Bytes part(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(cut));
          for (int v = 0; v < 2; ++v) {
            PrintOptions o;
            o.verbose = v;
            o.link_header = v == 1;
            o.dump = v ? DumpStyle::hex_ascii : DumpStyle::none;
            const std::string line =
                print_one(part, o, lt, static_cast<std::uint32_t>(frame.size()));
            REQUIRE(!line.empty());
            CHECK(line.back() == '\n');
          }
        }
      }
    }
  }

  TEST_CASE("agrees with tcpdump -n -S on generated frames, for each printing flag") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    std::vector<Record> records;
    std::int64_t ts = kEpoch;
    for (const Bytes& f : varied_frames()) records.push_back({f, ts += 1234567, 0});
    TempPath tmp;
    write_file(tmp.path, pcap_file({}, records));
    struct Flag {
      const char* text;
      PrintOptions options;
    };
    std::vector<Flag> flags;
    flags.push_back({"", {}});
    PrintOptions e;
    e.link_header = true;
    flags.push_back({"-e", e});
    PrintOptions q;
    q.quiet = true;
    flags.push_back({"-q", q});
    PrintOptions v;
    v.verbose = 1;
    flags.push_back({"-v", v});
    PrintOptions x;
    x.dump = DumpStyle::hex;
    flags.push_back({"-x", x});
    PrintOptions xx_ascii;
    xx_ascii.dump = DumpStyle::hex_ascii;
    xx_ascii.dump_link_header = true;
    flags.push_back({"-XX", xx_ascii});
    PrintOptions a;
    a.dump = DumpStyle::ascii;
    flags.push_back({"-A", a});
    PrintOptions tt;
    tt.timestamp_style = TimestampStyle::epoch;
    flags.push_back({"-tt", tt});
    PrintOptions tttt;
    tttt.timestamp_style = TimestampStyle::date_time;
    flags.push_back({"-tttt", tttt});
    for (const Flag& flag : flags) {
      CAPTURE(flag.text);
      const std::string theirs = run_command("TZ=UTC tcpdump -n -S -r " + tmp.path + " " +
                                             flag.text + " 2>/dev/null");
      PrintOptions o = flag.options;
      o.utc = true;
      Printer printer(o);
      OutputBuffer out;
      PcapReader reader(tmp.path);
      PacketView p;
      while (reader.next(p)) printer.print(p, out);
      CHECK(std::string(out.view()) == theirs);
    }
  }
}
