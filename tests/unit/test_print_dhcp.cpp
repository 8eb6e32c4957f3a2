// The DHCP printers (print_bootp.cpp, print_dhcp6.cpp): golden lines, agreement with tcpdump
// -n -S on every message type and option shape (whole and cut at every byte, under "", -v,
// -vv, -q, -e), the parts left to a marker, and the --json objects.

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/json.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

Bytes be16(std::uint16_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

Bytes join(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes v4(std::string_view a) {
  const Ipv4 x = ipv4(a);
  return Bytes(x.begin(), x.end());
}

Bytes v6(std::string_view a) {
  const Ipv6 x = ipv6(a);
  return Bytes(x.begin(), x.end());
}

BootpSpec discover() {
  BootpSpec s;
  s.vendor = dhcp_options({{53, {1}},
                           {61, {1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55}},
                           {50, v4("192.0.2.10")},
                           {12, text("host-a")},
                           {55, {1, 3, 6, 15, 119, 252, 28, 42, 0}},
                           {57, be16(1500)},
                           {60, text("MSFT 5.0")}});
  return s;
}

BootpSpec offer() {
  BootpSpec s;
  s.op = 2;
  s.flags = 0x8000;
  s.yiaddr = ipv4("192.0.2.10");
  s.siaddr = ipv4("192.0.2.1");
  s.vendor = dhcp_options({{53, {2}},
                           {54, v4("192.0.2.1")},
                           {51, be32(86400)},
                           {58, be32(43200)},
                           {59, be32(75600)},
                           {1, v4("255.255.255.0")},
                           {28, v4("192.0.2.255")},
                           {3, v4("192.0.2.1")},
                           {6, join({v4("198.51.100.53"), v4("198.51.100.54")})},
                           {15, text("example.org")},
                           {2, be32(0xfffff1f0)}});
  return s;
}

// Every message type and the option shapes: specials, unknown tags, errors, trailing data.
std::vector<Bytes> bootp_frames() {
  std::vector<Bytes> f;
  f.push_back(dhcp4_frame(discover()));
  f.push_back(dhcp4_frame(offer()));
  for (std::uint8_t type : {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0}) {
    BootpSpec s;
    s.op = (type == 5 || type == 6) ? 2 : 1;
    s.xid = 0x1000 + type;
    s.vendor = dhcp_options({{53, {type}}});
    f.push_back(dhcp4_frame(s));
  }
  {  // a relayed request: hops, secs, addresses, agent information and the special formats
    BootpSpec s;
    s.hops = 1;
    s.secs = 7;
    s.ciaddr = ipv4("192.0.2.10");
    s.giaddr = ipv4("203.0.113.1");
    s.vendor = dhcp_options(
        {{53, {3}},
         {82, {1, 4, 'e', 't', 'h', '0', 2, 3, 'a', 'b', 'c', 9, 17, 1, 2, 3, 4, 5, 6, 7, 8, 9,
               10, 11, 12, 13, 14, 15, 16, 17}},
         {81, {0x05, 0, 0, 'h', '.', 'e', 'x'}},
         {77, {3, 'a', 'b', 'c', 2, 'd', 'e'}},
         {121, {24, 10, 1, 2, 192, 0, 2, 1, 0, 192, 0, 2, 254, 9, 172, 192, 0, 2, 2}},
         {249, {32, 10, 0, 0, 1, 192, 0, 2, 1}},
         {46, {8}},
         {52, {3}},
         {19, {0, 1, 2}},
         {21, join({v4("10.0.0.0"), v4("255.0.0.0")})},
         {33, join({v4("10.0.0.0"), v4("192.0.2.1"), v4("10.1.0.0"), v4("192.0.2.2")})},
         {23, {64}},
         {200, {1, 2, 3}},
         {201, {1, 2, 3, 4, 5, 6}},
         {202, {1, 2, 3, 4, 5, 6, 7, 8}},
         {1, {255, 255, 255, 0, 9}},
         {25, {1, 2, 3}},
         {0, {}},
         {0, {}},
         {61, {0, 'i', 'd', 0x01}},
         {61, {99, 1, 2}},
         {61, {6, 0xaa}}});
    f.push_back(dhcp4_frame(s));
  }
  {  // the options' error texts
    BootpSpec s;
    s.vendor = dhcp_options({{46, {}},
                             {52, {}},
                             {61, {}},
                             {81, {1, 2}},
                             {77, {1}},
                             {121, {1, 2, 3, 4}},
                             {121, {33, 1, 2, 3, 4}},
                             {121, {24, 1, 2, 3, 4}},
                             {77, {0, 1}},
                             {77, {5, 1}},
                             {82, {1, 9, 1}},
                             {81, {0x30, 1, 2}},
                             {53, {1, 2}},
                             {12, {}}});
    f.push_back(dhcp4_frame(s));
  }
  {  // sname and file, a reply with a gateway; an unterminated sname
    BootpSpec s;
    s.op = 2;
    s.yiaddr = ipv4("192.0.2.20");
    s.giaddr = ipv4("203.0.113.1");
    s.sname = text("tftp\x01server");
    s.file = text("pxelinux.0");
    s.vendor = dhcp_options({{53, {5}}, {67, text("pxelinux.0")}, {66, text("192.0.2.1")}});
    f.push_back(dhcp4_frame(s));
    BootpSpec u;
    u.sname = Bytes(64, 'n');
    u.vendor = dhcp_options({{53, {1}}});
    f.push_back(dhcp4_frame(u));
    BootpSpec w;
    w.file = Bytes(128, 'f');
    f.push_back(dhcp4_frame(w));
  }
  {  // plain BOOTP: other hardware, no cookie, the CMU area, a zero vendor area, an odd op
    BootpSpec s;
    s.htype = 6;
    s.hlen = 6;
    s.xid = 0;
    s.vendor = Bytes{1, 2, 3, 4, 5};
    f.push_back(dhcp4_frame(s));
    BootpSpec cmu;
    cmu.op = 2;
    cmu.hlen = 8;
    cmu.vendor = join({text("CMU"), Bytes{0, 0x03, 0, 0, 0}, v4("255.255.255.0"),
                       v4("192.0.2.1"), v4("192.0.2.53"), Bytes(4, 0), v4("192.0.2.54"),
                       Bytes(4, 0), v4("192.0.2.123"), Bytes(4, 0), Bytes(24, 0)});
    f.push_back(dhcp4_frame(cmu));
    BootpSpec zero;
    zero.op = 7;
    zero.vendor = Bytes(64, 0);
    f.push_back(dhcp4_frame(zero));
    BootpSpec unended;  // options running to the datagram's end without END
    unended.vendor = dhcp_options({{53, {1}}, {12, text("x")}}, false);
    f.push_back(dhcp4_frame(unended));
  }
  return f;
}

Bytes duid_llt() {
  return join({be16(1), be16(1), be32(700000000), {0x02, 0x00, 0x00, 0x00, 0x00, 0x01}});
}

Bytes ia_addr(std::string_view a, std::vector<Dhcp6Option> sub = {}) {
  Bytes b = join({v6(a), be32(3600), be32(7200)});
  for (const Dhcp6Option& o : sub) {
    const Bytes one = dhcp6_option(o);
    b.insert(b.end(), one.begin(), one.end());
  }
  return b;
}

Bytes ia_na(std::uint32_t iaid, std::vector<Dhcp6Option> sub = {}) {
  Bytes b = join({be32(iaid), be32(1800), be32(2880)});
  for (const Dhcp6Option& o : sub) {
    const Bytes one = dhcp6_option(o);
    b.insert(b.end(), one.begin(), one.end());
  }
  return b;
}

std::vector<Bytes> dhcp6_frames() {
  std::vector<Bytes> f;
  const Dhcp6Option client{1, duid_llt()};
  const Dhcp6Option server{2, join({be16(3), be16(1), {0x02, 0, 0, 0, 0, 0x02}})};
  f.push_back(dhcp6_frame(dhcp6_message(
      1, 0xa1b2c3, {client, {3, ia_na(1)}, {8, be16(0)}, {6, join({be16(23), be16(24), be16(99)})}})));
  f.push_back(dhcp6_frame(
      dhcp6_message(2, 0xa1b2c3,
                    {server,
                     client,
                     {3, ia_na(1, {{5, ia_addr("2001:db8::100", {{13, join({be16(0), text("ok")})}})}})},
                     {7, {255}},
                     {13, join({be16(2), text("none")})},
                     {23, join({v6("2001:db8::53"), v6("2001:db8::54")})}}),
      false));
  for (std::uint8_t type : {3, 4, 5, 6, 8, 9, 11, 14, 20, 0})
    f.push_back(dhcp6_frame(dhcp6_message(type, 0x10203 * type, {client, {8, be16(100)}})));
  f.push_back(dhcp6_frame(
      dhcp6_message(7, 0x42,
                    {server,
                     {14, {}},
                     {25, join({be32(9), be32(0), be32(0),
                                dhcp6_option({26, join({be32(100), be32(200), {56}, v6("2001:db8:100::")})})})},
                     {4, join({be32(5), dhcp6_option({5, ia_addr("2001:db8::5")})})},
                     {32, be32(3600)},
                     {31, v6("2001:db8::123")},
                     {12, v6("2001:db8::1")},
                     {13, be16(300)},
                     {13, be16(42)},
                     {16, {0, 0, 0, 9, 0, 2, 'a', 'b'}}}),
      false));
  f.push_back(dhcp6_frame(
      dhcp6_message(10, 0x77, {server, {19, {5}}, {19, {11}}, {19, {3}}, {20, {}}}), false));
  const Bytes inner = dhcp6_message(1, 0x99, {client, {8, be16(5)}});
  f.push_back(dhcp6_frame(dhcp6_relay(12, 0, ipv6("2001:db8:1::1"), ipv6("fe80::1"),
                                      {{18, text("eth0/1/2/3/4")},
                                       {37, join({be32(9), text("remote")})},
                                       {38, text("sub")},
                                       {9, inner}})));
  f.push_back(dhcp6_frame(
      dhcp6_relay(13, 1, ipv6("2001:db8:1::1"), ipv6("fe80::1"),
                  {{9, dhcp6_message(7, 0x99, {server, {7, {1, 2}}, {8, {1}}, {3, {1}}})}}),
      false));
  f.push_back(dhcp6_frame(dhcp6_message(
      14, 0x55, {client, {44, join({{1}, v6("2001:db8::100"), dhcp6_option({6, be16(23)})})}})));
  f.push_back(dhcp6_frame(
      dhcp6_message(15, 0x55,
                    {server,
                     {45, join({dhcp6_option(client), dhcp6_option({46, be32(60)})})},
                     {47, join({v6("2001:db8::1"), text("relaymessagebytes")})},
                     {48, v6("2001:db8::1")},
                     {44, join({{7}, v6("::")})},
                     {46, be16(1)}}),
      false));
  f.push_back(dhcp6_frame(
      dhcp6_message(11, 0x66,
                    {client,
                     {64, {4, 'a', 'f', 't', 'r', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0}},
                     {64, {9, 'a', 'b'}},
                     {41, text("EST5EDT")},
                     {42, text("Europe/Zurich")},
                     {112, text("https://mud.example/x")},
                     {56, join({be16(1), be16(16), v6("2001:db8::123"), be16(2), be16(4), be32(1),
                                be16(7), be16(0)})},
                     {56, join({be16(1), be16(40), v6("2001:db8::1")})},
                     {500, {1, 2, 3}},
                     {11, join({{2, 1, 0}, be32(0x00010203), be32(0x04050607)})},
                     {11, join({{2, 1, 0}, Bytes(8, 1), text("realm"), Bytes(20, 7)})},
                     {11, join({{2, 1, 0}, Bytes(8, 1), Bytes(20, 7)})},
                     {11, join({{2, 2, 1}, Bytes(8, 1), Bytes(5, 0)})},
                     {11, join({{3, 1, 0}, Bytes(8, 1), {1}, Bytes(16, 9)})},
                     {11, join({{3, 1, 0}, Bytes(8, 1), {2}, Bytes(16, 9)})},
                     {11, join({{3, 1, 0}, Bytes(8, 1), {9}, Bytes(16, 9)})},
                     {11, join({{3, 1, 0}, Bytes(8, 1), Bytes(3, 0)})},
                     {11, join({{4, 3, 2}, Bytes(8, 1)})},
                     {11, Bytes(10, 0)},
                     {24, join({{7}, text("example"), {3}, text("com"), {0, 3}, text("lab"), {0, 0}})},
                     {21, join({{2, 1, 0xff, 3}, text("a.b"), {0}})},
                     {24, {}},
                     {56, join({be16(3), be16(13), {7}, text("example"), {3}, text("com"), {0}})},
                     {1, {0, 1}},
                     {1, join({be16(2), be32(9)})},
                     {1, join({be16(4), be32(9)})},
                     {1, join({be16(3), {1}})},
                     {23, {1, 2}},
                     {6, {1}},
                     {3, {1, 2}},
                     {26, {1}},
                     {5, {1}},
                     {4, {1}},
                     {37, {1}},
                     {47, {1}},
                     {41, {1}},
                     {15, text("u")}})));
  return f;
}

std::string dhcp_json(const Bytes& frame) {
  PacketView p;
  p.data = frame;
  p.wire_length = static_cast<std::uint32_t>(frame.size());
  p.link_type = 1;
  p.timestamp_ns = kPrintEpoch;
  OutputBuffer out;
  append_json(out, p);
  return std::string(out.view());
}

}  // namespace

TEST_SUITE("print_dhcp") {
  TEST_CASE("BOOTP/DHCP golden lines") {
    const Bytes d = dhcp4_frame(discover());
    CHECK(print_one(d, no_time()) ==
          "IP 192.0.2.1.68 > 198.51.100.2.67: BOOTP/DHCP, Request from 00:11:22:33:44:55, "
          "length 292\n");
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(d, v) ==
          "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 320)\n"
          "    192.0.2.1.68 > 198.51.100.2.67: BOOTP/DHCP, Request from 00:11:22:33:44:55, "
          "length 292, xid 0x3903f326, Flags [none]\n"
          "\t  Client-Ethernet-Address 00:11:22:33:44:55\n"
          "\t  Vendor-rfc1048 Extensions\n"
          "\t    Magic Cookie 0x63825363\n"
          "\t    DHCP-Message (53), length 1: Discover\n"
          "\t    Client-ID (61), length 7: ether 00:11:22:33:44:55\n"
          "\t    Requested-IP (50), length 4: 192.0.2.10\n"
          "\t    Hostname (12), length 6: \"host-a\"\n"
          "\t    Parameter-Request (55), length 9: \n"
          "\t      Subnet-Mask (1), Default-Gateway (3), Domain-Name-Server (6), Domain-Name (15)\n"
          "\t      Unknown (119), Unknown (252), BR (28), NTP (42)\n"
          "\t      PAD (0)\n"
          "\t    MSZ (57), length 2: 1500\n"
          "\t    Vendor-Class (60), length 8: \"MSFT 5.0\"\n");
    const std::string o = print_one(dhcp4_frame(offer()), v);
    CHECK(o.find("BOOTP/DHCP, Reply, length 315, xid 0x3903f326, Flags [Broadcast]\n"
                 "\t  Your-IP 192.0.2.10\n\t  Server-IP 192.0.2.1\n") != std::string::npos);
    CHECK(o.find("\t    Domain-Name-Server (6), length 8: 198.51.100.53,198.51.100.54\n") !=
          std::string::npos);
    CHECK(o.find("\t    Time-Zone (2), length 4: -3600\n") != std::string::npos);
    // Cut inside an option's value: tcpdump's marker after the option's header.
    CHECK(print_one(cut(d, 14 + 28 + 240 + 3 + 9 + 4), v)
              .ends_with("\t    Requested-IP (50), length 4:  [|bootp]\n"));
  }

  TEST_CASE("DHCPv6 golden lines") {
    const Bytes s = dhcp6_frame(dhcp6_message(1, 0xa1b2c3, {{8, be16(0)}, {6, be16(23)}}));
    CHECK(print_one(s, no_time()) ==
          "IP6 fe80::1.546 > ff02::1:2.547: dhcp6 solicit\n");
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(s, v).ends_with(
        "fe80::1.546 > ff02::1:2.547: [udp sum ok] dhcp6 solicit (xid=a1b2c3 (elapsed-time 0) "
        "(option-request DNS-server))\n"));
  }

  TEST_CASE("options tcpdump decodes and slimcap does not end in the marker") {
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(dhcp6_frame(dhcp6_message(7, 1, {{24, {3, 'c', 'o', 'm', 0xc0, 0}}})), v)
              .ends_with("dhcp6 reply (xid=1 (DNS-search-list [|dhcp6]\n"));
    CHECK(print_one(dhcp6_frame(dhcp6_message(7, 1, {{24, {3, 'c', 'o', 'm', 0}}})), v)
              .ends_with("dhcp6 reply (xid=1 (DNS-search-list com.))\n"));
  }

  TEST_CASE("agrees with tcpdump on BOOTP/DHCP, whole and cut") {
    agree_whole_and_cut(FrameSet{1, bootp_frames()}, dissector_flag_cases(), 14 + 20 + 8);
    MESSAGE("lines compared with tcpdump so far: " << agreement_lines());
  }

  TEST_CASE("agrees with tcpdump on DHCPv6, whole and cut") {
    agree_whole_and_cut(FrameSet{1, dhcp6_frames()}, dissector_flag_cases(), 14 + 40 + 8);
    MESSAGE("lines compared with tcpdump: " << agreement_lines());
  }

  TEST_CASE("a cut message's dump starts where tcpdump's does (-x, -e -v -X)") {
    std::vector<FlagCase> dumps;
    for (FlagCase& c : flag_cases())
      if (c.flags == "-x" || c.flags == "-e -v -X") dumps.push_back(std::move(c));
    agree_whole_and_cut(FrameSet{1, {dhcp4_frame(discover()), dhcp4_frame(offer())}}, dumps,
                        14 + 20 + 8);
    const Bytes inner = dhcp6_message(1, 0x99, {{8, be16(5)}});
    agree_whole_and_cut(
        FrameSet{1,
                 {dhcp6_frame(dhcp6_relay(12, 0, ipv6("2001:db8:1::1"), ipv6("fe80::1"),
                                          {{18, text("eth0")}, {9, inner}}))}},
        dumps, 14 + 40 + 8);
  }

  TEST_CASE("--json: the dhcp and dhcp6 objects") {
    const std::string d = dhcp_json(dhcp4_frame(discover()));
    CHECK(d.find(",\"dhcp\":{\"type\":\"Discover\",\"xid\":\"0x3903f326\","
                 "\"client\":\"00:11:22:33:44:55\"}") != std::string::npos);
    BootpSpec plain;
    plain.htype = 6;
    plain.xid = 0x42;
    CHECK(dhcp_json(dhcp4_frame(plain)).find(",\"dhcp\":{\"xid\":\"0x00000042\"}") !=
          std::string::npos);
    const std::string s = dhcp_json(dhcp6_frame(dhcp6_message(2, 0xabc, {})));
    CHECK(s.find(",\"dhcp6\":{\"type\":\"advertise\",\"xid\":\"0x000abc\"}") != std::string::npos);
    const std::string r =
        dhcp_json(dhcp6_frame(dhcp6_relay(12, 0, ipv6("::"), ipv6("::"), {})));
    CHECK(r.find(",\"dhcp6\":{\"type\":\"relay-fwd\"}") != std::string::npos);
    CHECK(dhcp_json(udp4_frame({}, 40000, 5001, 32)).find("dhcp") == std::string::npos);
  }
}
