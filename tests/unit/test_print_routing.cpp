// The routing and first-hop dissectors (print_igmp.cpp, print_vrrp.cpp, print_bfd.cpp ...):
// golden lines of the main shapes, and agreement with tcpdump -n -S on every message type,
// whole and cut at every byte, under "", -v, -vv, -q and -e.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

const Ipv4 kRouter{192, 0, 2, 1};
const Ipv4 kAllHosts{224, 0, 0, 1};
const Ipv4 kGroup{239, 1, 1, 1};

Bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}
Bytes addr(const Ipv4& a) { return Bytes(a.begin(), a.end()); }
Bytes addr6(std::string_view text) {
  const Ipv6 a = ipv6(text);
  return Bytes(a.begin(), a.end());
}

std::string line_of(const Bytes& frame, int verbose = 0) {
  PrintOptions o = no_time();
  o.verbose = verbose;
  return print_one(frame, o);
}
// The line of `frame` cut to its first n bytes (the wire length kept).
std::string cut_line(const Bytes& frame, std::size_t n, int verbose = 0) {
  PrintOptions o = no_time();
  o.verbose = verbose;
  return print_one(cut(frame, n), o, 1, static_cast<std::uint32_t>(frame.size()));
}

void agree(const std::vector<Bytes>& frames, std::size_t shortest_cut) {
  if (!have_program("tcpdump")) {
    MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
    return;
  }
  agree_whole_and_cut(FrameSet{1, frames}, dissector_flag_cases(), shortest_cut);
  MESSAGE("lines compared with tcpdump so far: " << agreement_lines());
}

// --- IGMP -------------------------------------------------------------------------------------

Bytes igmp_frame(const Bytes& message, const Ipv4& destination = kAllHosts, bool alert = true) {
  return routing_frame(2, message, kRouter, destination, 1, alert);
}

std::vector<Bytes> igmp_frames() {
  std::vector<Bytes> f;
  const Ipv4 none{0, 0, 0, 0};
  f.push_back(igmp_frame(igmp_message(0x11, 0, none), kAllHosts, false));  // v1 query
  f.push_back(igmp_frame(igmp_message(0x11, 100, none)));                 // v2 general query
  f.push_back(igmp_frame(igmp_message(0x11, 10, kGroup), kGroup));        // group-specific
  f.push_back(igmp_frame(igmp_message(0x11, 0, kGroup, Bytes{1, 2}), kGroup));  // [len 10]
  f.push_back(igmp_frame(igmp_message(0x12, 0, kGroup), kGroup, false));         // v1 report
  f.push_back(igmp_frame(igmp_message(0x12, 0, kGroup, Bytes(4, 0)), kGroup, false));
  f.push_back(igmp_frame(igmp_message(0x16, 0, kGroup), kGroup));  // v2 report
  f.push_back(igmp_frame(igmp_message(0x17, 0, kGroup), Ipv4{224, 0, 0, 2}));  // leave
  f.push_back(igmp_frame(igmp_v3_query(100, none, {})));
  f.push_back(igmp_frame(igmp_v3_query(0x8a, kGroup, {ipv4("10.0.0.1"), ipv4("10.0.0.2")})));
  f.push_back(igmp_frame(igmp_v3_query(0xff, kGroup, {})));
  f.push_back(igmp_frame(igmp_v3_query(0x7f, kGroup, {ipv4("10.0.0.3")})));
  {
    Bytes bad_count = igmp_v3_query(20, kGroup, {ipv4("10.0.0.1")});
    bad_count[11] = 3;  // three sources announced, one present
    f.push_back(igmp_frame(with_checksum(bad_count, 2)));
    f.push_back(igmp_frame(igmp_message(0x11, 20, kGroup, Bytes(5, 0))));  // [invalid len 13]
  }
  const Ipv4 reports{224, 0, 0, 22};
  f.push_back(igmp_frame(
      igmp_v3_report({{1, kGroup, {ipv4("10.0.0.1")}},
                      {4, ipv4("239.2.2.2"), {}},
                      {9, ipv4("239.3.3.3"), {ipv4("10.0.0.7"), ipv4("10.0.0.8")}},
                      {6, ipv4("239.4.4.4"), {ipv4("10.0.0.9")}}}),
      reports));
  f.push_back(igmp_frame(igmp_v3_report({}), reports));
  {
    Bytes too_many = igmp_v3_report({{2, kGroup, {}}});
    too_many[7] = 2;  // two records announced, one present
    f.push_back(igmp_frame(with_checksum(too_many, 2), reports));
    Bytes sources = igmp_v3_report({{3, kGroup, {ipv4("10.0.0.1")}}});
    sources[8 + 3] = 5;  // five sources announced, one present
    f.push_back(igmp_frame(with_checksum(sources, 2), reports));
    f.push_back(igmp_frame(igmp_message(0x22, 0, none, Bytes(4, 0)), reports));  // invalid len
  }
  {
    // mtrace to a multicast response address (with its TTL), mresp to a unicast one.
    Bytes query{};
    for (const Ipv4& a : {ipv4("10.1.1.1"), ipv4("10.2.2.2"), ipv4("239.9.9.9")})
      query.insert(query.end(), a.begin(), a.end());
    query.insert(query.end(), {64, 0x01, 0x02, 0x03});
    f.push_back(igmp_frame(igmp_message(0x1f, 10, ipv4("10.3.3.3"), query), ipv4("10.3.3.3")));
    query[8] = 10;
    f.push_back(igmp_frame(igmp_message(0x1e, 10, ipv4("10.3.3.3"), query), ipv4("10.3.3.3")));
    f.push_back(igmp_frame(igmp_message(0x1f, 10, ipv4("10.3.3.3"), Bytes(8, 0))));  // short
  }
  f.push_back(igmp_frame(igmp_message(0x33, 0, kGroup)));  // a type tcpdump does not know
  {
    Ipv6Spec v6;  // IGMP over IPv6: tcpdump's complaint
    v6.next_header = 2;
    EthernetSpec e;
    e.ethertype = 0x86dd;
    f.push_back(ethernet_frame(e, ipv6_packet(v6, igmp_message(0x16, 0, kGroup))));
  }
  {
    Bytes bad = igmp_message(0x16, 0, kGroup);
    bad[2] ^= 0x5a;  // a wrong checksum, for -v
    f.push_back(igmp_frame(bad, kGroup));
  }
  return f;
}

TEST_CASE("IGMP: the main shapes") {
  const Ipv4 none{0, 0, 0, 0};
  CHECK(line_of(igmp_frame(igmp_message(0x11, 100, none))) ==
        "IP 192.0.2.1 > 224.0.0.1: igmp query v2\n");
  CHECK(line_of(igmp_frame(igmp_message(0x11, 10, kGroup))) ==
        "IP 192.0.2.1 > 224.0.0.1: igmp query v2 [max resp time 10] [gaddr 239.1.1.1]\n");
  CHECK(line_of(igmp_frame(igmp_message(0x16, 0, kGroup), kGroup)) ==
        "IP 192.0.2.1 > 239.1.1.1: igmp v2 report 239.1.1.1\n");
  CHECK(line_of(igmp_frame(igmp_message(0x17, 0, kGroup))) ==
        "IP 192.0.2.1 > 224.0.0.1: igmp leave 239.1.1.1\n");
  CHECK(line_of(igmp_frame(igmp_v3_query(0x8a, kGroup, {ipv4("10.0.0.1")}))) ==
        "IP 192.0.2.1 > 224.0.0.1: igmp query v3 [max resp time 20.8s] [gaddr 239.1.1.1, 1 "
        "source(s)]\n");
  CHECK(line_of(igmp_frame(igmp_v3_query(0xff, kGroup, {}))) ==
        "IP 192.0.2.1 > 224.0.0.1: igmp query v3 [max resp time 52m54s] [gaddr 239.1.1.1]\n");
  const Bytes report = igmp_frame(igmp_v3_report(
      {{1, kGroup, {ipv4("10.0.0.1")}}, {4, ipv4("239.2.2.2"), {}}}));
  CHECK(line_of(report) == "IP 192.0.2.1 > 224.0.0.1: igmp v3 report, 2 group record(s)\n");
  CHECK(line_of(report, 1) ==
        "IP (tos 0xc0, ttl 1, id 1, offset 0, flags [none], proto IGMP (2), length 52, options "
        "(RA))\n    192.0.2.1 > 224.0.0.1: igmp v3 report, 2 group record(s) [gaddr 239.1.1.1 "
        "is_in, 1 source(s)] [gaddr 239.2.2.2 to_ex, 0 source(s)]\n");
  CHECK(line_of(report, 2).ends_with(
      "report, 2 group record(s) [gaddr 239.1.1.1 is_in { 10.0.0.1 }] [gaddr 239.2.2.2 to_ex "
      "{ }]\n"));
  // Cut inside the second record: what was read, then tcpdump's marker.
  CHECK(cut_line(report, report.size() - 4, 2)
            .ends_with("[gaddr 239.1.1.1 is_in { 10.0.0.1 }] [|igmp]\n"));
  CHECK(cut_line(report, 14 + 24) == "IP 192.0.2.1 > 224.0.0.1:  [|igmp]\n");
  PrintOptions quiet = no_time();
  quiet.quiet = true;
  CHECK(print_one(report, quiet) == "IP 192.0.2.1 > 224.0.0.1: igmp\n");
  // Not decoded: named, then a marker.
  CHECK(line_of(igmp_frame(igmp_message(0x13, 0, none))) ==
        "IP 192.0.2.1 > 224.0.0.1: igmp dvmrp [|dvmrp]\n");
}

// (From the end of the IPv4 header with its Router Alert option: slimcap's IP layer leaves the
// addresses out of tcpdump's " [remaining caplen(20) < header length(24)] [|ip]" line.)
TEST_CASE("IGMP: agrees with tcpdump, whole and cut") { agree(igmp_frames(), 14 + 24); }

// --- VRRP -------------------------------------------------------------------------------------

const Ipv4 kVrrpGroup{224, 0, 0, 18};

Bytes vrrp_frame(const VrrpSpec& spec, std::uint8_t ttl = 255) {
  return routing_frame(112, vrrp_message(spec, kRouter, kVrrpGroup), kRouter, kVrrpGroup, ttl,
                       false);
}

std::vector<Bytes> vrrp_frames() {
  std::vector<Bytes> f;
  VrrpSpec v2;
  f.push_back(vrrp_frame(v2));
  VrrpSpec simple = v2;
  simple.auth_type = 1;
  simple.password = "pass";
  simple.addresses.push_back(ipv4("192.0.2.253"));
  simple.priority = 255;
  f.push_back(vrrp_frame(simple));
  simple.password = "\x01z\x80\xff" "abcd";  // eight bytes, no terminating zero
  f.push_back(vrrp_frame(simple));
  VrrpSpec ah = v2;
  ah.auth_type = 2;
  ah.interval = 3;
  f.push_back(vrrp_frame(ah, 1));  // a TTL other than 255 is shown
  VrrpSpec odd = v2;
  odd.auth_type = 7;
  odd.addresses.clear();
  f.push_back(vrrp_frame(odd));
  VrrpSpec v3;
  v3.version = 3;
  v3.interval = 100;
  v3.vrid = 42;
  f.push_back(vrrp_frame(v3));
  v3.addresses = {ipv4("192.0.2.10"), ipv4("192.0.2.11"), ipv4("192.0.2.12")};
  v3.interval = 0xfff;
  Bytes bad = vrrp_frame(v3);
  bad[14 + 20 + 6] ^= 0x11;  // a wrong checksum, for -v
  f.push_back(bad);
  VrrpSpec unknown = v2;
  unknown.type = 2;
  f.push_back(vrrp_frame(unknown));
  VrrpSpec v1 = v2;
  v1.version = 1;
  f.push_back(vrrp_frame(v1));
  {
    // VRRPv3 over IPv6: IPv6 addresses, the checksum over the IPv6 pseudo-header.
    Ipv6Spec v6;
    v6.next_header = 112;
    v6.hop_limit = 255;
    v6.source = ipv6("fe80::1");
    v6.destination = ipv6("ff02::12");
    Bytes body{0x31, 7, 100, 2, 0, 100, 0, 0};
    body = cat({body, addr6("fe80::1"), addr6("2001:db8::1")});
    std::uint32_t pseudo = 112 + static_cast<std::uint32_t>(body.size());
    for (const Ipv6& a : {v6.source, v6.destination})
      for (std::size_t i = 0; i < 16; i += 2) pseudo += static_cast<std::uint32_t>(a[i] << 8 | a[i + 1]);
    EthernetSpec e;
    e.ethertype = 0x86dd;
    f.push_back(ethernet_frame(e, ipv6_packet(v6, with_checksum(body, 6, pseudo))));
    v6.hop_limit = 1;
    body[6] ^= 1;  // a wrong checksum
    f.push_back(ethernet_frame(e, ipv6_packet(v6, body)));
  }
  return f;
}

TEST_CASE("VRRP: the main shapes") {
  VrrpSpec v2;
  CHECK(line_of(vrrp_frame(v2)) ==
        "IP 192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl "
        "1s, length 20\n");
  CHECK(line_of(vrrp_frame(v2), 1) ==
        "IP (tos 0xc0, ttl 255, id 1, offset 0, flags [none], proto VRRP (112), length 40)\n    "
        "192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl "
        "1s, length 20, addrs: 192.0.2.254\n");
  VrrpSpec simple = v2;
  simple.auth_type = 1;
  simple.password = "secret";
  simple.addresses.push_back(ipv4("192.0.2.253"));
  CHECK(line_of(vrrp_frame(simple, 64), 1)
            .ends_with("VRRPv2, Advertisement, (ttl 64), vrid 1, prio 100, authtype simple, intvl "
                       "1s, length 24, addrs(2): 192.0.2.254,192.0.2.253 auth \"secret\"\n"));
  VrrpSpec v3;
  v3.version = 3;
  v3.interval = 100;
  CHECK(line_of(vrrp_frame(v3), 1)
            .ends_with("VRRPv3, Advertisement, vrid 1, prio 100, intvl 100cs, length 12, addrs: "
                       "192.0.2.254\n"));
  const Bytes frame = vrrp_frame(v2);
  CHECK(cut_line(frame, 14 + 20) == "IP 192.0.2.1 > 224.0.0.18: VRRP [|vrrp]\n");
  CHECK(cut_line(frame, 14 + 20 + 2) ==
        "IP 192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement [|vrrp]\n");
}

TEST_CASE("VRRP: agrees with tcpdump, whole and cut") { agree(vrrp_frames(), 14); }

// --- BFD --------------------------------------------------------------------------------------

// (Not from port 49152: tcpdump 4.99 gives that source port to its BCM-LI dissector first.)
Bytes bfd_frame(const Bytes& payload, std::uint16_t destination = 3784,
                std::uint16_t source = 49153) {
  Ipv4Spec ip;
  ip.protocol = 17;
  ip.ttl = 255;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(source, destination, payload)));
}

std::vector<Bytes> bfd_frames() {
  std::vector<Bytes> f;
  BfdSpec up;
  f.push_back(bfd_frame(bfd_control(up)));
  BfdSpec poll = up;
  poll.flags = 0x80 | 0x20 | 0x08 | 0x02 | 0x01;  // Init, P C D M
  poll.diagnostic = 3;
  poll.multiplier = 50;
  poll.desired_min_tx = 12345678;
  poll.required_min_rx = 5000;
  poll.required_min_echo = 50000;
  f.push_back(bfd_frame(bfd_control(poll), 4784));
  BfdSpec down = up;
  down.flags = 0x10;  // AdminDown, F
  down.diagnostic = 7;
  f.push_back(bfd_frame(bfd_control(down), 6784));
  BfdSpec password = up;
  password.flags = 0x40 | 0x04;
  password.auth = {1, 9, 5, 's', 'e', 'c', 'r', 'e', 't'};
  f.push_back(bfd_frame(bfd_control(password)));
  BfdSpec md5 = up;
  md5.flags = 0xc4;
  md5.auth = {2, 24, 1, 0, 0, 0, 0, 77};
  for (std::uint8_t i = 0; i < 16; ++i) md5.auth.push_back(static_cast<std::uint8_t>(i * 17));
  f.push_back(bfd_frame(bfd_control(md5)));
  BfdSpec sha1 = md5;
  sha1.version = 0;
  sha1.flags = 0x80 | 0x40 | 0x04;
  sha1.diagnostic = 31;
  sha1.auth = {5, 28, 2, 0, 0x12, 0x34, 0x56, 0x78};
  for (std::uint8_t i = 0; i < 20; ++i) sha1.auth.push_back(static_cast<std::uint8_t>(255 - i));
  f.push_back(bfd_frame(bfd_control(sha1)));
  BfdSpec bad_length = up;
  bad_length.flags = 0xc4;
  bad_length.auth = {2, 20, 1, 0};
  f.push_back(bfd_frame(bfd_control(bad_length)));
  bad_length.auth = {1, 2, 1, 0};
  f.push_back(bfd_frame(bfd_control(bad_length)));
  bad_length.auth = {9, 4, 1, 0};  // an unknown type
  f.push_back(bfd_frame(bfd_control(bad_length)));
  BfdSpec v0 = up;
  v0.version = 0;
  v0.flags = 0;
  f.push_back(bfd_frame(bfd_control(v0)));
  BfdSpec v5 = up;
  v5.version = 5;
  f.push_back(bfd_frame(bfd_control(v5)));
  f.push_back(bfd_frame(Bytes{'e', 'c', 'h', 'o', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3785,
                        3785));
  f.push_back(bfd_frame(bfd_control(up), 40000, 3784));  // the source port does not count
  return f;
}

TEST_CASE("BFD: the main shapes") {
  BfdSpec up;
  const Bytes frame = bfd_frame(bfd_control(up));
  CHECK(line_of(frame) ==
        "IP 192.0.2.1.49153 > 198.51.100.2.3784: BFDv1, Control, State Up, Flags: [none], "
        "length: 24\n");
  CHECK(line_of(frame, 1) ==
        "IP (tos 0x0, ttl 255, id 1, offset 0, flags [DF], proto UDP (17), length 52)\n"
        "    192.0.2.1.49153 > 198.51.100.2.3784: BFDv1, length: 24\n"
        "\tControl, State Up, Flags: [none], Diagnostic: No Diagnostic (0x00)\n"
        "\tDetection Timer Multiplier: 3 (900 ms Detection time), BFD Length: 24\n"
        "\tMy Discriminator: 0x00000001, Your Discriminator: 0x00000002\n"
        "\t  Desired min Tx Interval:     300 ms\n"
        "\t  Required min Rx Interval:    300 ms\n"
        "\t  Required min Echo Interval:    0 ms\n");
  CHECK(cut_line(frame, frame.size() - 1) ==
        "IP 192.0.2.1.49153 > 198.51.100.2.3784:  [|bfd]\n");
  CHECK(line_of(bfd_frame(Bytes(5, 'e'), 3785, 3785)) ==
        "IP 192.0.2.1.3785 > 198.51.100.2.3785: BFD, Echo, length: 5\n");
}

TEST_CASE("BFD: agrees with tcpdump, whole and cut") { agree(bfd_frames(), 14); }

// --- OSPFv2 -----------------------------------------------------------------------------------

const Ipv4 kAllSpf{224, 0, 0, 5};
const Ipv4 kRid1{10, 0, 0, 1};
const Ipv4 kRid2{10, 0, 0, 2};
const Ipv4 kBackbone{0, 0, 0, 0};

Bytes ospf_frame(const Bytes& message, const Ipv4& destination = kAllSpf) {
  return routing_frame(89, message, kRouter, destination, 1, false);
}

// Hello: mask, interval, options, priority, dead interval, DR, BDR, neighbours.
Bytes hello_body(std::uint8_t options, const Ipv4& dr, const Ipv4& bdr,
                 const std::vector<Ipv4>& neighbours) {
  Bytes b = cat({addr(ipv4("255.255.255.0")), Bytes{0, 10, options, 1}, be32(40), addr(dr),
                 addr(bdr)});
  for (const Ipv4& n : neighbours) b = cat({b, addr(n)});
  return b;
}

std::vector<Bytes> ospf_frames() {
  std::vector<Bytes> f;
  const Ipv4 none{0, 0, 0, 0};
  f.push_back(ospf_frame(ospf_message(1, kRid1, ipv4("0.0.0.1"),
                                      hello_body(0x02, kRid1, kRid2, {kRid2, ipv4("10.0.0.3")}))));
  f.push_back(ospf_frame(ospf_message(1, kRid1, kBackbone, hello_body(0x00, none, none, {}))));
  {
    // LLS after the message: extended options, MD5 authentication, an unknown TLV.
    const Bytes lls = cat({Bytes{0x12, 0x34, 0, 11}, Bytes{0, 1, 0, 4}, be32(3), Bytes{0, 2, 0, 20},
                           be32(0xdeadbeef), Bytes(16, 0xaa), Bytes{0, 9, 0, 4}, be32(0)});
    f.push_back(ospf_frame(cat({ospf_message(1, kRid1, kBackbone, hello_body(0x12, kRid1, none, {})),
                                lls})));
    const Bytes short_lls = Bytes{0, 0, 0, 3, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0};  // [should be 4]
    f.push_back(ospf_frame(
        cat({ospf_message(1, kRid1, kBackbone, hello_body(0x10, none, kRid2, {})), short_lls})));
  }
  const std::string_view password = "secret";
  f.push_back(ospf_frame(ospf_message(
      1, kRid1, kBackbone, hello_body(0x02, kRid1, none, {kRid2}), 1,
      std::span(reinterpret_cast<const std::uint8_t*>(password.data()), password.size()))));
  f.push_back(ospf_frame(ospf_message(1, kRid1, kBackbone, hello_body(0x02, kRid1, none, {}), 1,
                                      Bytes{'1', '2', '3', '4', '5', '6', '7', '8'})));
  {
    const Bytes md5{0, 0, 7, 16, 0, 0, 0x30, 0x39};  // key 7, 16 bytes, sequence 12345
    f.push_back(ospf_frame(cat({ospf_message(1, kRid1, kBackbone, hello_body(0x02, kRid1, none, {kRid2}),
                                             2, md5),
                                Bytes(16, 0x5c)})));
    // MD5 and LLS: the LLS block starts after the trailer.
    const Bytes lls = cat({Bytes{0, 0, 0, 3}, Bytes{0, 1, 0, 4}, be32(2)});
    f.push_back(ospf_frame(cat({ospf_message(2, kRid1, kBackbone,
                                             cat({Bytes{0x05, 0xdc, 0x52, 0x07}, be32(0x1234)}), 2,
                                             md5),
                                Bytes(16, 0x5c), lls})));
  }
  {
    // Database Description: LSA headers, one opaque; then one with a bogus length.
    const Bytes headers = cat({ospf_lsa(1, kRid1, kRid1, {}, 0x22, 10, 0x80000001, 36),
                               ospf_lsa(10, ipv4("1.0.0.5"), kRid2, {}, 0x42, 3600, 0x80000002, 28),
                               ospf_lsa(12, kRid2, kRid2, {}, 0, 1, 1, 24)});
    f.push_back(ospf_frame(ospf_message(2, kRid1, kBackbone,
                                        cat({Bytes{0x05, 0xdc, 0x42, 0x07}, be32(0x1234), headers}))));
    f.push_back(ospf_frame(ospf_message(
        2, kRid1, kBackbone,
        cat({Bytes{0, 0, 0, 0}, be32(7), ospf_lsa(2, kRid1, kRid1, {}, 0, 1, 1, 5),
             ospf_lsa(2, kRid1, kRid1, {}, 0, 1, 1, 24)}))));
  }
  {
    // LS-Request: a router LSA and an opaque one.
    const Bytes requests = cat({be32(1), addr(kRid1), addr(kRid2), be32(11), Bytes{4, 0, 0, 9},
                                addr(kRid2)});
    f.push_back(ospf_frame(ospf_message(3, kRid1, kBackbone, requests)));
  }
  {
    // LS-Update with every LSA type slimcap decodes.
    const Bytes router_links = cat({Bytes{0x03, 0, 0, 5},
                                    addr(kRid2), addr(kRid1), Bytes{2, 2, 0, 10}, Bytes{1, 0, 0, 20},
                                    Bytes{2, 0, 0, 30},  // transit, two TOS metrics
                                    addr(ipv4("10.1.0.0")), addr(ipv4("255.255.0.0")), Bytes{3, 0, 0, 1},
                                    addr(kRid2), addr(ipv4("10.9.9.9")), Bytes{1, 0, 0, 5},
                                    addr(ipv4("10.0.0.4")), addr(ipv4("0.0.0.3")), Bytes{4, 0, 0, 7},
                                    addr(kRid2), addr(kRid1), Bytes{9, 0, 0, 1}});  // unknown type
    const Bytes network = cat({addr(ipv4("255.255.255.0")), addr(kRid1), addr(kRid2)});
    const Bytes summary = cat({addr(ipv4("255.255.0.0")), be32(100), be32(0x01000200)});
    const Bytes asbr = cat({Bytes(4, 0), be32(42)});
    const Bytes external = cat({addr(ipv4("255.0.0.0")), be32(0x80000014), addr(ipv4("10.5.5.5")),
                                be32(0x0a0b0c0d), be32(0x00ffffff), be32(0), be32(0)});
    const Bytes nssa = cat({addr(ipv4("255.255.255.252")), be32(7), be32(0), be32(99)});
    const Bytes group = cat({be32(1), addr(kRid1), be32(2), addr(kRid2), be32(5), addr(kRid1)});
    const Bytes lsas = cat({ospf_lsa(1, kRid1, kRid1, router_links, 0x22),
                            ospf_lsa(2, ipv4("10.0.0.1"), kRid1, network, 0x22),
                            ospf_lsa(3, ipv4("10.2.0.0"), kRid1, summary, 0x22),
                            ospf_lsa(4, ipv4("10.0.0.9"), kRid1, asbr, 0x22),
                            ospf_lsa(5, ipv4("10.0.0.0"), kRid1, external, 0x02),
                            ospf_lsa(7, ipv4("10.3.0.0"), kRid1, nssa, 0x08),
                            ospf_lsa(6, ipv4("239.1.1.1"), kRid1, group, 0x04),
                            ospf_lsa(12, kRid1, kRid1, Bytes{1, 2, 3, 4, 5}, 0),
                            ospf_lsa(10, ipv4("9.0.0.1"), kRid1, Bytes(6, 0x77), 0x40)});
    f.push_back(ospf_frame(ospf_message(4, kRid1, kBackbone, cat({be32(9), lsas}))));
    // A count larger than what follows, and a bogus LSA length.
    f.push_back(ospf_frame(ospf_message(
        4, kRid1, kBackbone, cat({be32(3), ospf_lsa(2, kRid1, kRid1, network, 0x22)}))));
    f.push_back(ospf_frame(ospf_message(
        4, kRid1, kBackbone, cat({be32(1), ospf_lsa(2, kRid1, kRid1, {}, 0, 1, 1, 12)}))));
  }
  {
    // LS-Ack: two headers, the second with a bogus length (tcpdump goes on after it).
    const Bytes headers = cat({ospf_lsa(1, kRid1, kRid1, {}, 0x22, 10, 0x80000001, 36),
                               ospf_lsa(5, ipv4("10.0.0.0"), kRid2, {}, 0x02, 5, 0x80000003, 3),
                               ospf_lsa(3, ipv4("10.2.0.0"), kRid2, {}, 0x02, 5, 0x80000003, 28)});
    f.push_back(ospf_frame(ospf_message(5, kRid1, kBackbone, headers)));
  }
  f.push_back(ospf_frame(ospf_message(9, kRid1, kBackbone, Bytes(4, 0))));  // unknown type
  f.push_back(ospf_frame(ospf_message(1, kRid1, kBackbone, hello_body(0, none, none, {}), 0, {},
                                      3)));  // version 3 over IPv4
  f.push_back(ospf_frame(ospf_message(1, kRid1, kBackbone, hello_body(0, none, none, {}), 7)));
  {
    Bytes longer = ospf_message(5, kRid1, kBackbone, {});
    longer[3] = 44;  // a length past the datagram's
    f.push_back(ospf_frame(longer));
  }
  return f;
}

TEST_CASE("OSPFv2: the main shapes") {
  const Ipv4 none{0, 0, 0, 0};
  const Bytes hello = ospf_frame(ospf_message(1, kRid1, kBackbone,
                                              hello_body(0x02, kRid1, none, {kRid2})));
  CHECK(line_of(hello) == "IP 192.0.2.1 > 224.0.0.5: OSPFv2, Hello, length 48\n");
  CHECK(line_of(hello, 1) ==
        "IP (tos 0xc0, ttl 1, id 1, offset 0, flags [none], proto OSPF (89), length 68)\n"
        "    192.0.2.1 > 224.0.0.5: OSPFv2, Hello, length 48\n"
        "\tRouter-ID 10.0.0.1, Backbone Area, Authentication Type: none (0)\n"
        "\tOptions [External]\n"
        "\t  Hello Timer 10s, Dead Timer 40s, Mask 255.255.255.0, Priority 1\n"
        "\t  Designated Router 10.0.0.1\n"
        "\t  Neighbor List:\n"
        "\t    10.0.0.2\n");
  CHECK(cut_line(hello, hello.size() - 2, 1).ends_with("\t  Neighbor List: [|ospf2]\n"));
  CHECK(cut_line(hello, 14 + 20 + 10) == "IP 192.0.2.1 > 224.0.0.5:  [|ospf2]\n");
  const Bytes ack = ospf_frame(ospf_message(
      5, kRid1, kBackbone, ospf_lsa(1, kRid1, kRid1, {}, 0x22, 10, 0x80000001, 36)));
  CHECK(line_of(ack, 1).ends_with(
      "OSPFv2, LS-Ack, length 44\n\tRouter-ID 10.0.0.1, Backbone Area, Authentication Type: none "
      "(0)\n\t  Advertising Router 10.0.0.1, seq 0x80000001, age 10s, length 16\n\t    Router "
      "LSA (1), LSA-ID: 10.0.0.1\n\t    Options: [External, Demand Circuit] [|ospf2]\n"));
}

TEST_CASE("OSPFv2: agrees with tcpdump, whole and cut") { agree(ospf_frames(), 14); }

// --- OSPFv3 -----------------------------------------------------------------------------------

Bytes ospf6_frame(const Bytes& message) {
  Ipv6Spec v6;
  v6.next_header = 89;
  v6.hop_limit = 1;
  v6.source = ipv6("fe80::1");
  v6.destination = ipv6("ff02::5");
  EthernetSpec e;
  e.ethertype = 0x86dd;
  return ethernet_frame(e, ipv6_packet(v6, message));
}

Bytes hello6_body(std::uint32_t options, const Ipv4& dr, const Ipv4& bdr,
                  const std::vector<Ipv4>& neighbours) {
  Bytes b = cat({be32(5), be32(0x01000000 | options), Bytes{0, 10, 0, 40}, addr(dr), addr(bdr)});
  for (const Ipv4& n : neighbours) b = cat({b, addr(n)});
  return b;
}

// A prefix: length, options, metric / referenced type, then the prefix's words.
Bytes prefix6(std::uint8_t bits, std::uint8_t options, std::uint16_t metric, std::string_view text) {
  const Ipv6 a = ipv6(text);
  Bytes b{bits, options, static_cast<std::uint8_t>(metric >> 8), static_cast<std::uint8_t>(metric)};
  b.insert(b.end(), a.begin(), a.begin() + (bits + 31) / 32 * 4);
  return b;
}

std::vector<Bytes> ospf6_frames() {
  std::vector<Bytes> f;
  const Ipv4 none{0, 0, 0, 0};
  f.push_back(ospf6_frame(ospf6_message(1, kRid1, kBackbone,
                                        hello6_body(0x13, kRid1, kRid2, {kRid2, ipv4("10.0.0.3")}))));
  f.push_back(ospf6_frame(ospf6_message(1, kRid1, ipv4("0.0.0.7"), hello6_body(0, none, none, {}), 5)));
  {
    // LLS and an authentication trailer after a Hello with the L and AT bits.
    const Bytes trailer = cat({Bytes{0xab, 0xcd, 0, 8}, Bytes{0, 1, 0, 4, 0, 0, 0, 1},
                               Bytes{0, 1, 0, 20, 0, 0, 0, 9}, be32(1), be32(2), be32(0xfeedface)});
    f.push_back(ospf6_frame(cat({ospf6_message(1, kRid1, kBackbone,
                                               hello6_body(0x0613, kRid1, none, {kRid2})),
                                 trailer})));
    // A trailer without LLS, of an unknown type.
    f.push_back(ospf6_frame(cat({ospf6_message(5, kRid1, kBackbone, {}),
                                 Bytes{0, 7, 0, 16, 0, 0, 0, 3}, be32(0), be32(4)})));
  }
  {
    const Bytes headers = cat({ospf6_lsa(0x2001, none, kRid1, {}, 10, 0x80000001, 40),
                               ospf6_lsa(0x4005, ipv4("0.0.0.9"), kRid2, {}, 3600, 0x80000002, 44),
                               ospf6_lsa(0x8008, kRid2, kRid2, {}, 1, 1, 24)});
    f.push_back(ospf6_frame(ospf6_message(
        2, kRid1, kBackbone, cat({be32(0x13), Bytes{0x05, 0xdc, 0, 0x17}, be32(0x1234), headers}))));
    f.push_back(ospf6_frame(ospf6_message(5, kRid1, kBackbone, headers)));
    const Bytes requests = cat({Bytes{0, 0, 0x20, 0x01}, addr(none), addr(kRid1), Bytes{0, 0, 0x60, 0x09},
                                addr(kRid2), addr(kRid2)});
    f.push_back(ospf6_frame(ospf6_message(3, kRid1, kBackbone, requests)));
  }
  {
    // LS-Update with the LSA types slimcap decodes.
    const Bytes router = cat({be32(0x03000033), Bytes{1, 0, 0, 10}, be32(5), be32(6), addr(kRid2),
                              Bytes{2, 0, 0, 20}, be32(7), be32(8), addr(kRid1),
                              Bytes{4, 0, 0, 30}, be32(9), be32(10), addr(ipv4("10.0.0.4")),
                              Bytes{7, 0, 0, 1}, be32(0), be32(0), addr(kRid1)});
    const Bytes network = cat({be32(0x33), addr(kRid1), addr(kRid2)});
    const Bytes inter = cat({be32(0x00000040), prefix6(64, 0, 0, "2001:db8:1::"),
                             prefix6(0, 0x02, 0, "::"), prefix6(128, 0x3f, 0, "2001:db8::9")});
    const Bytes external = cat({be32(0x83000014), prefix6(48, 0x08, 0x0100, "2001:db8:5::"),
                                addr6("2001:db8::ff"),
                                addr(ipv4("0.0.1.2")), addr(ipv4("0.0.0.77"))});
    const Bytes link = cat({be32(0x01000013), addr6("fe80::1"),
                            be32(2), prefix6(64, 0, 0, "2001:db8:2::"), prefix6(56, 0x01, 0, "2001:db8:3::")});
    const Bytes intra = cat({Bytes{0, 1, 0x20, 0x01}, addr(none), addr(kRid1), prefix6(64, 0, 10, "2001:db8:4::")});
    const Bytes lsas = cat({ospf6_lsa(0x2001, none, kRid1, router), ospf6_lsa(0x2002, ipv4("0.0.0.5"), kRid1, network),
                            ospf6_lsa(0x2003, ipv4("0.0.0.1"), kRid1, inter), ospf6_lsa(0x4005, ipv4("0.0.0.2"), kRid1, external),
                            ospf6_lsa(0x0008, ipv4("0.0.0.5"), kRid1, link), ospf6_lsa(0x2009, ipv4("0.0.0.3"), kRid1, intra),
                            ospf6_lsa(0x200c, ipv4("0.0.0.4"), kRid1, Bytes{1, 2, 3, 4, 5, 6})});
    f.push_back(ospf6_frame(ospf6_message(4, kRid1, kBackbone, cat({be32(7), lsas}))));
    // A bogus prefix length ends the line with tcpdump's marker.
    f.push_back(ospf6_frame(ospf6_message(
        4, kRid1, kBackbone,
        cat({be32(1), ospf6_lsa(0x2003, ipv4("0.0.0.1"), kRid1, cat({be32(1), Bytes{200, 0, 0, 0}}))}))));
  }
  f.push_back(ospf6_frame(ospf6_message(8, kRid1, kBackbone, {})));  // unknown type
  {
    Bytes longer = ospf6_message(5, kRid1, kBackbone, {});
    longer[3] = 40;  // a length past the datagram's
    f.push_back(ospf6_frame(longer));
  }
  return f;
}

TEST_CASE("OSPFv3: the main shapes") {
  const Ipv4 none{0, 0, 0, 0};
  const Bytes hello = ospf6_frame(ospf6_message(1, kRid1, kBackbone, hello6_body(0x13, kRid1, none, {kRid2})));
  CHECK(line_of(hello) == "IP6 fe80::1 > ff02::5: OSPFv3, Hello, length 40\n");
  CHECK(line_of(hello, 2).ends_with(
      "OSPFv3, Hello, length 40\n\tRouter-ID 10.0.0.1, Backbone Area\n\tOptions [V6, External, "
      "Router]\n\t  Hello Timer 10s, Dead Timer 40s, Interface-ID 0.0.0.5, Priority 1\n\t  "
      "Designated Router 10.0.0.1\n\t  Neighbor List:\n\t    10.0.0.2\n"));
}

TEST_CASE("OSPFv3: agrees with tcpdump, whole and cut") { agree(ospf6_frames(), 14); }

// --- PIM --------------------------------------------------------------------------------------

const Ipv4 kAllPim{224, 0, 0, 13};

Bytes enc_unicast(const Ipv4& a) { return cat({Bytes{1, 0}, addr(a)}); }
Bytes enc_group(const Ipv4& a, std::uint8_t mask = 32, std::uint8_t flags = 0) {
  return cat({Bytes{1, 0, flags, mask}, addr(a)});
}
// A PIMv2 message with its checksum over `summed` bytes (all when 0), from `pseudo`.
Bytes pim_message(std::uint8_t type, const Bytes& body, std::uint8_t reserved = 0,
                  std::size_t summed = 0, std::uint32_t pseudo = 0) {
  Bytes m = cat({Bytes{static_cast<std::uint8_t>(0x20 | type), reserved, 0, 0}, body});
  if (summed == 0) return with_checksum(m, 2, pseudo);
  Bytes head = with_checksum(Bytes(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(summed)), 2);
  m[2] = head[2];
  m[3] = head[3];
  return m;
}
Bytes pim_frame(const Bytes& message, const Ipv4& destination = kAllPim) {
  return routing_frame(103, message, kRouter, destination, 1, false);
}
Bytes option(std::uint16_t type, const Bytes& value) {
  return cat({Bytes{static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type),
                    static_cast<std::uint8_t>(value.size() >> 8), static_cast<std::uint8_t>(value.size())},
              value});
}

std::vector<Bytes> pim_frames() {
  std::vector<Bytes> f;
  const Ipv4 group = kGroup, source{10, 0, 0, 9};
  const Bytes hello = cat({option(1, Bytes{0, 105}), option(19, be32(1)), option(20, be32(0x1a2b3c4d)),
                           option(2, Bytes{0x81, 0xf4, 0x0a, 0x28}), option(21, Bytes{1, 60, 0, 0}),
                           option(21, Bytes{2, 0, 0, 7}), option(22, {}), option(18, {}),
                           option(24, cat({enc_unicast(kRid1), enc_unicast(kRid2)})),
                           option(99, Bytes{1, 2, 3}), option(1, Bytes{0xff, 0xff})});
  f.push_back(pim_frame(pim_message(0, hello)));
  f.push_back(pim_frame(pim_message(0, option(1, Bytes{0, 1, 2}))));  // [option length 3 != 2]
  f.push_back(pim_frame(pim_message(0, option(20, Bytes{0, 1}))));
  {
    Ipv4Spec inner;
    inner.protocol = ip_proto::kUdp;
    inner.source = source;
    inner.destination = group;
    const Bytes packet = ipv4_packet(inner, udp_datagram(5000, 5001, Bytes(8, 'm')));
    f.push_back(pim_frame(pim_message(1, cat({be32(0), packet}), 0, 8), kRid2));
    f.push_back(pim_frame(pim_message(1, cat({be32(0x40000000), Bytes(20, 0)}), 0, 8), kRid2));
    f.push_back(pim_frame(pim_message(1, cat({be32(0x80000000), Bytes{0x95, 1, 2, 3}}), 0, 8), kRid2));
    Ipv6Spec v6;
    v6.next_header = ip_proto::kUdp;
    f.push_back(pim_frame(pim_message(1, cat({be32(0xc0000000),
                                               ipv6_packet(v6, udp_datagram(1, 2, Bytes(4, 0)))}),
                                      0, 0),
                          kRid2));  // summed whole: tcpdump accepts that too
  }
  f.push_back(pim_frame(pim_message(2, cat({enc_group(group), enc_unicast(source)})), kRid2));
  f.push_back(pim_frame(pim_message(2, cat({addr(group), addr(source)}), 4), kRid2));  // RFC 2117
  {
    const Bytes jp = cat({enc_unicast(kRid2), Bytes{0, 2, 0, 210},
                          enc_group(group), Bytes{0, 1, 0, 1}, enc_group(source, 32, 0x07),
                          enc_group(ipv4("10.0.1.0"), 24, 0x09),
                          enc_group(ipv4("239.2.0.0"), 16, 0x80), Bytes{0, 0, 0, 0}});
    f.push_back(pim_frame(pim_message(3, jp)));
    f.push_back(pim_frame(pim_message(6, cat({enc_unicast(kRid2), Bytes{0, 1, 0xff, 0xff},
                                               enc_group(group), Bytes{0, 1, 0, 0},
                                               enc_group(source, 32, 0x04)})), kRid2));
    f.push_back(pim_frame(pim_message(7, cat({Bytes{0, 1, 0, 0}, enc_group(group), Bytes{0, 0, 0, 0}})),
                          kRid2));
    f.push_back(pim_frame(pim_message(3, cat({Bytes{7, 0}, addr(kRid2), Bytes{0, 0, 0, 0}}))));  // bad family
  }
  f.push_back(pim_frame(pim_message(4, cat({Bytes{0x12, 0x34, 30, 64}, enc_unicast(kRid1),
                                            enc_group(ipv4("224.0.0.0"), 4), Bytes{1, 1, 0, 0},
                                            enc_unicast(kRid2), Bytes{0, 150, 7, 0}}))));
  f.push_back(pim_frame(pim_message(5, cat({enc_group(group), enc_unicast(source), be32(0x80000064),
                                            be32(10)}))));
  f.push_back(pim_frame(pim_message(5, cat({enc_group(group, 24), enc_unicast(source), be32(5),
                                            be32(0xffffffff)}))));
  f.push_back(pim_frame(pim_message(8, cat({Bytes{2, 0, 0, 150}, enc_unicast(kRid1),
                                            enc_group(ipv4("239.0.0.0"), 8), enc_group(group)})),
                        kRid2));
  f.push_back(pim_frame(pim_message(9, cat({enc_unicast(source), enc_group(group), enc_unicast(kRid2),
                                            Bytes{0, 60}}))));
  f.push_back(pim_frame(pim_message(12, Bytes(4, 0))));  // a type tcpdump does not know
  {
    Bytes bad = pim_message(0, option(1, Bytes{0, 105}));
    bad[3] ^= 0x40;
    f.push_back(pim_frame(bad));
    Bytes unsummed = pim_message(0, option(1, Bytes{0, 105}));
    unsummed[2] = unsummed[3] = 0;
    f.push_back(pim_frame(unsummed));
  }
  f.push_back(pim_frame(Bytes{0x10, 0, 0, 0, 1, 2, 3, 4}));  // PIMv1
  {
    // Over IPv6: the checksum over the IPv6 pseudo-header, IPv6 encoded addresses.
    Ipv6Spec v6;
    v6.next_header = 103;
    v6.hop_limit = 1;
    v6.source = ipv6("fe80::1");
    v6.destination = ipv6("ff02::d");
    const Bytes body = cat({option(1, Bytes{0, 105}),
                            option(24, cat({Bytes{2, 0}, addr6("2001:db8::1")}))});
    const Bytes jp = cat({Bytes{2, 0}, addr6("fe80::2"), Bytes{0, 1, 0, 210}, Bytes{2, 0, 0, 128},
                          addr6("ff3e::1"), Bytes{0, 1, 0, 0}, Bytes{2, 0, 4, 128},
                          addr6("2001:db8::9")});
    EthernetSpec e;
    e.ethertype = 0x86dd;
    for (const auto& [type, payload] : {std::pair{std::uint8_t{0}, body}, std::pair{std::uint8_t{3}, jp}}) {
      const std::size_t size = 4 + payload.size();
      std::uint32_t pseudo = 103 + static_cast<std::uint32_t>(size);
      for (const Ipv6& a : {v6.source, v6.destination})
        for (std::size_t i = 0; i < 16; i += 2) pseudo += static_cast<std::uint32_t>(a[i] << 8 | a[i + 1]);
      f.push_back(ethernet_frame(e, ipv6_packet(v6, pim_message(type, payload, 0, 0, pseudo))));
    }
  }
  return f;
}

TEST_CASE("PIM: the main shapes") {
  const Bytes hello = pim_frame(pim_message(0, cat({option(1, Bytes{0, 105}), option(19, be32(1))})));
  CHECK(line_of(hello) == "IP 192.0.2.1 > 224.0.0.13: PIMv2, Hello, length 18\n");
  CHECK(line_of(hello, 1) ==
        "IP (tos 0xc0, ttl 1, id 1, offset 0, flags [none], proto PIM (103), length 38)\n"
        "    192.0.2.1 > 224.0.0.13: PIMv2, length 18\n"
        "\tHello, cksum 0x" + line_of(hello, 1).substr(line_of(hello, 1).find("cksum 0x") + 8, 4) +
        " (correct)\n"
        "\t  Hold Time Option (1), length 2, Value: 1m45s\n"
        "\t  DR Priority Option (19), length 4, Value: 1\n");
  CHECK(cut_line(hello, 14 + 20 + 17, 1).ends_with("length 4, Value:  [|pimv2]\n"));
}

TEST_CASE("PIM: agrees with tcpdump, whole and cut") { agree(pim_frames(), 14); }

// --- BGP --------------------------------------------------------------------------------------

Bytes bgp_message(std::uint8_t type, const Bytes& body) {
  const auto length = static_cast<std::uint16_t>(19 + body.size());
  return cat({Bytes(16, 0xff), Bytes{static_cast<std::uint8_t>(length >> 8),
                                     static_cast<std::uint8_t>(length), type},
              body});
}
Bytes bgp_frame(const Bytes& payload, bool from_server = false) {
  TcpSpec t;
  t.flags = tcp_flag::kPsh | tcp_flag::kAck;
  t.source_port = from_server ? 179 : 40000;
  t.destination_port = from_server ? 40000 : 179;
  t.ack = 2000;
  return ethernet_frame({}, ipv4_packet({}, tcp_segment(t, payload)));
}
Bytes bgp_open(const Bytes& parameters) {
  return bgp_message(1, cat({Bytes{4, 0xfd, 0xe9, 0, 180}, addr(kRid1),
                             Bytes{static_cast<std::uint8_t>(parameters.size())}, parameters}));
}
Bytes bgp_update(const Bytes& withdrawn, const Bytes& attributes, const Bytes& nlri) {
  return bgp_message(2, cat({Bytes{static_cast<std::uint8_t>(withdrawn.size() >> 8),
                                   static_cast<std::uint8_t>(withdrawn.size())},
                             withdrawn,
                             Bytes{static_cast<std::uint8_t>(attributes.size() >> 8),
                                   static_cast<std::uint8_t>(attributes.size())},
                             attributes, nlri}));
}

std::vector<Bytes> bgp_frames() {
  std::vector<Bytes> f;
  const Bytes keepalive = bgp_message(4, {});
  f.push_back(bgp_frame(keepalive));
  f.push_back(bgp_frame(cat({keepalive, bgp_message(3, Bytes{6, 2})})));
  f.push_back(bgp_frame(
      bgp_open(Bytes{2, 6, 1, 4, 0, 1, 0, 1, 2, 2, 2, 0, 2, 6, 65, 4, 0, 0, 0xfd, 0xe9, 2, 8, 64, 6,
                     0x80, 120, 0, 2, 1, 0x80, 2, 2, 0x80, 0, 2, 3, 99, 1, 2, 2, 10, 69, 8, 0, 1, 1,
                     1, 0, 2, 1, 3, 2, 4, 70, 2, 1, 2, 1, 0}),
      true));
  f.push_back(bgp_frame(bgp_open(Bytes{2, 5, 1, 3, 0, 2, 0, 2, 3, 64, 1, 0, 2, 3, 65, 1, 9, 3, 2, 1, 2})));
  f.push_back(bgp_frame(bgp_open(Bytes{2, 5, 69, 3, 0, 1, 1, 2, 2, 69, 0})));
  f.push_back(bgp_frame(bgp_open(Bytes{2, 6, 65, 4, 0, 0, 0xfd, 0xe9, 2, 5, 64, 2, 0x80})));  // past the end
  f.push_back(bgp_frame(cat({bgp_open(Bytes{2, 6, 65, 0x80, 0, 0, 0xfd, 0xe9, 2, 4, 64, 2, 0x80, 120}),
                             bgp_message(4, {})})));  // a capability longer than the capture
  f.push_back(bgp_frame(bgp_update({}, Bytes{0x40, 1, 1, 0, 0x40, 128, 15, 0, 0, 0xfd, 0xe9, 0x40, 1, 1, 2,
                                             0x80, 4, 4, 0, 0, 0, 7, 0x80, 4, 4, 0, 0, 0, 9},
                                   Bytes{16, 10, 9})));  // an attribute set
  {
    Bytes past = bgp_update({}, Bytes{0x40, 1, 1, 0}, Bytes{16, 10, 9});
    past[19 + 3] = 40;  // path attributes said to run past the message
    f.push_back(bgp_frame(past));
    f.push_back(bgp_frame(bgp_update({}, Bytes{0x40, 1, 1, 0, 0x40}, Bytes{16, 10, 9})));  // 1 byte left
    f.push_back(bgp_frame(bgp_update(Bytes{0x58, 10, 2, 3}, Bytes{0x40, 1, 1, 0}, Bytes{16, 10, 9})));
    f.push_back(bgp_frame(bgp_update({}, Bytes{0x40, 1, 1, 0, 0x50, 2, 0}, Bytes{16, 10, 9})));
  }
  {
    const Bytes attributes{0x40, 1, 1, 0, 0x40, 2, 6, 2, 2, 0xfd, 0xe9, 0xfd, 0xea, 0x40, 3, 4, 10,
                           0, 0, 1, 0x80, 4, 4, 0, 0, 0, 100, 0x40, 5, 4, 0, 0, 0, 200};
    f.push_back(bgp_frame(bgp_update(Bytes{24, 10, 2, 3}, attributes,
                                     Bytes{24, 10, 1, 2, 16, 10, 9, 0, 19, 10, 0x60, 0x20})));
    const Bytes more{0x40, 1, 1, 2, 0x50, 2, 0, 14, 2, 3, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea, 0, 1, 0,
                     0, 0x40, 6, 0, 0xc0, 7, 6, 0xfd, 0xe9, 10, 0, 0, 9, 0xc0, 8, 16, 0xff, 0xff,
                     0xff, 0x01, 0xff, 0xff, 0xff, 0x02, 0xff, 0xff, 0xff, 0x03, 0, 100, 0, 5, 0x80, 9,
                     4, 1, 2, 3, 4, 0x80, 10, 8, 1, 1, 1, 1, 2, 2, 2, 2, 0xc0, 18, 8, 0, 1, 0, 0, 10,
                     0, 0, 8, 0xc0, 32, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x4f, 2, 4, 2, 1, 0, 9};
    f.push_back(bgp_frame(bgp_update({}, more, Bytes{32, 10, 1, 2, 3})));
    const Bytes odd{0x40, 2, 8, 1, 2, 0, 1, 0, 2, 3, 0, 0x40, 2, 0, 0x40, 1, 1, 5, 0x40, 2, 3, 1, 1, 0,
                    0xc0, 99, 2, 1, 2, 0x40, 3, 3, 1, 2, 3, 0x80, 17, 6, 2, 1, 0, 1, 0, 0, 0, 0};
    f.push_back(bgp_frame(bgp_update(Bytes{8, 10}, odd, {})));
    f.push_back(bgp_frame(bgp_update({}, Bytes{0x40, 2, 10, 4, 1, 0, 7, 3, 1, 0, 8, 2, 0},
                                     Bytes{0, 0, 0, 1, 24, 10, 1, 1, 0, 0, 0, 2, 0})));  // ADD-PATH
    f.push_back(bgp_frame(bgp_update({}, {}, {})));                          // End-of-RIB
    f.push_back(bgp_frame(bgp_update({}, {}, Bytes{40, 1, 2, 3, 4, 5})));    // illegal length
  }
  for (const Bytes& data : {Bytes{6, 1, 0, 1, 1, 0, 0, 0, 100}, Bytes{6, 2, 5, 'h', 'e', 'l', 'l', 'o'},
                            Bytes{6, 4, 0}, Bytes{6, 2, 200, 'x', 'x', 'x'},
                            Bytes{6, 2, 3, 'a', 'b', 'c', 'd', 'e', 'f'}, Bytes{6, 1, 0, 1},
                            Bytes{2, 2, 9, 9}, Bytes{5, 3}, Bytes{7, 4}, Bytes{4, 0}, Bytes{1, 2},
                            Bytes{3, 11}, Bytes{9, 1}, Bytes{6}})
    f.push_back(bgp_frame(bgp_message(3, data)));
  f.push_back(bgp_frame(cat({bgp_message(5, Bytes{0, 2, 0, 128}), bgp_message(9, Bytes{1, 2, 3}),
                             bgp_message(5, Bytes{0, 2})})));
  f.push_back(bgp_frame(cat({Bytes{'x', 'y'}, keepalive})));  // something before the marker
  {
    Bytes bogus = keepalive;
    bogus[17] = 5;  // a length below the header's
    f.push_back(bgp_frame(bogus));
  }
  return f;
}

TEST_CASE("BGP: the main shapes") {
  const Bytes frame = bgp_frame(cat({bgp_message(4, {}), bgp_message(3, Bytes{6, 2})}));
  CHECK(line_of(frame) ==
        "IP 192.0.2.1.40000 > 198.51.100.2.179: Flags [P.], seq 1000:1040, ack 2000, win 502, "
        "length 40: BGP\n");
  CHECK(line_of(frame, 1).ends_with(
      "length 40: BGP\n\tKeepalive Message (4), length: 19\n\tNotification Message (3), length: "
      "21, Cease (6), subcode Administrative Shutdown (2)\n"));
  CHECK(cut_line(frame, frame.size() - 1, 1).ends_with("\n[|BGP Notification]\n"));
}

TEST_CASE("BGP: agrees with tcpdump, whole and cut") { agree(bgp_frames(), 14); }

// --- Babel ------------------------------------------------------------------------------------

Bytes babel_packet(const Bytes& tlvs, const Bytes& trailer = {}) {
  return cat({Bytes{42, 2, static_cast<std::uint8_t>(tlvs.size() >> 8),
                    static_cast<std::uint8_t>(tlvs.size())},
              tlvs, trailer});
}
Bytes babel_frame(const Bytes& payload, std::uint16_t port = 6696) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  ip.destination = ipv4("224.0.0.111");
  ip.ttl = 1;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(port, port, payload)));
}

std::vector<Bytes> babel_frames() {
  std::vector<Bytes> f;
  const Bytes hello{4, 6, 0, 0, 0x12, 0x34, 1, 0x90};
  const Bytes unicast_hello{4, 12, 0x80, 0, 0, 7, 0, 0, 3, 4, 0, 0, 0x30, 0x39};  // timestamp
  const Bytes ihu4{5, 10, 1, 0, 0, 96, 1, 0x90, 10, 0, 0, 2};
  const Bytes ihu_any{5, 6, 0, 0, 0xff, 0xff, 0, 0};
  const Bytes ihu_ll{5, 14, 3, 0, 0, 96, 1, 0x90, 0, 0, 0, 0, 0, 0, 0, 1};
  const Bytes router_id{6, 10, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
  const Bytes next_hop{7, 6, 1, 0, 10, 0, 0, 1};
  const Bytes update4{8, 13, 1, 0x80, 24, 0, 1, 0x90, 0, 5, 0, 96, 10, 1, 2};
  const Bytes update_omitted{8, 12, 1, 0, 32, 2, 0xff, 0xff, 0, 6, 0xff, 0xff, 3, 4};
  const Bytes update6{8, 18, 2, 0x40, 64, 0, 0, 100, 0, 7, 0, 10, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
  const Bytes update_any{8, 18, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 2, 3, 0, 255, 7, 1, 1, 0};
  const Bytes request{9, 5, 1, 24, 10, 1, 2};
  const Bytes seqno{10, 17, 1, 24, 0, 9, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 1, 2};
  f.push_back(babel_frame(babel_packet(cat({hello, ihu4, router_id, next_hop, update4}))));
  f.push_back(babel_frame(babel_packet(cat({unicast_hello, ihu_any, ihu_ll, update_omitted, update6,
                                            update_any}))));
  f.push_back(babel_frame(babel_packet(cat({request, seqno, Bytes{1, 3, 0, 0, 0}, Bytes{3, 2, 0x12, 0x34},
                                            Bytes{2, 6, 0, 0, 0x12, 0x34, 0, 100}, Bytes{0},
                                            Bytes{11, 6, 0, 9, 0, 0, 1, 0}, Bytes{99, 2, 1, 2}}))));
  f.push_back(babel_frame(babel_packet(cat({Bytes{5, 6, 1, 0, 0, 96, 1, 0x90}, Bytes{8, 4, 1, 0, 0, 0},
                                            hello}))));  // IHU cut, then an invalid update
  f.push_back(babel_frame(babel_packet(hello, Bytes{1, 2, 0, 0})));  // a trailer
  f.push_back(babel_frame(babel_packet(cat({Bytes{4, 10, 0, 0, 0, 1, 0, 0, 2, 2, 0x81, 0}}))));
  f.push_back(babel_frame(Bytes{42, 1, 0, 0}, 6697));
  f.push_back(babel_frame(Bytes{41, 2, 0, 0}));
  {
    Bytes longer = babel_packet(hello);
    longer[3] = 40;  // a body longer than the datagram
    f.push_back(babel_frame(longer));
  }
  return f;
}

TEST_CASE("Babel: the main shapes") {
  const Bytes frame = babel_frame(babel_packet(Bytes{4, 6, 0, 0, 0x12, 0x34, 1, 0x90}));
  CHECK(line_of(frame) == "IP 192.0.2.1.6696 > 224.0.0.111.6696: babel 2 (8) hello\n");
  CHECK(line_of(frame, 1).ends_with("babel 2 (8)\n\tHello seqno 4660 interval 4.00s\n"));
}

TEST_CASE("Babel: agrees with tcpdump, whole and cut") { agree(babel_frames(), 14); }

}  // namespace
