// The link types of print_link.cpp (Cisco HDLC, Linux NFLOG, IP over InfiniBand): golden
// lines, and agreement with tcpdump -n -S on every frame whole and cut at every byte, under
// every flag a link printer's text depends on.

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Bytes join(std::initializer_list<std::uint8_t> head, const Bytes& tail) {
  Bytes b(head);
  b.insert(b.end(), tail.begin(), tail.end());
  return b;
}

Bytes udp4() {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return ipv4_packet(ip, udp_datagram(40000, 5004, Bytes(12, 'x')));
}

Bytes udp6() {
  Ipv6Spec ip;
  ip.next_header = ip_proto::kUdp;
  return ipv6_packet(ip, udp_datagram(40000, 5004, Bytes(10, 'y')));
}

Bytes tcp4() {
  Ipv4Spec ip;
  TcpSpec t;
  t.flags = tcp_flag::kSyn;
  return ipv4_packet(ip, tcp_segment(t, Bytes{}));
}

// An NFLOG record: type, value, padded to 4 bytes (little-endian: the host's order here).
void nflog_tlv(Bytes& b, std::uint16_t type, const Bytes& value) {
  const std::uint16_t length = static_cast<std::uint16_t>(4 + value.size());
  b.push_back(static_cast<std::uint8_t>(length));
  b.push_back(static_cast<std::uint8_t>(length >> 8));
  b.push_back(static_cast<std::uint8_t>(type));
  b.push_back(static_cast<std::uint8_t>(type >> 8));
  b.insert(b.end(), value.begin(), value.end());
  while (b.size() % 4 != 0) b.push_back(0);
}

Bytes nflog(std::uint8_t family, const Bytes& packet, std::uint8_t version = 0) {
  Bytes b{family, version, 0, 5};
  nflog_tlv(b, 1, {0x08, 0x00, 3, 0});          // packet header: hw protocol, hook
  nflog_tlv(b, 10, {'d', 'r', 'o', 'p', 0});    // prefix
  nflog_tlv(b, 4, {0, 0, 0, 2});                // in-device
  nflog_tlv(b, 9, packet);                      // the payload
  return b;
}

Bytes ipoib(std::uint16_t ethertype, const Bytes& packet) {
  Bytes b(44, 0);
  b[0] = 0x80;
  b[20] = 0x80;
  for (int i = 21; i < 40; ++i) b[i] = 0x11;
  b[40] = static_cast<std::uint8_t>(ethertype >> 8);
  b[41] = static_cast<std::uint8_t>(ethertype);
  b.insert(b.end(), packet.begin(), packet.end());
  return b;
}

std::vector<FrameSet> link_sets() {
  std::vector<FrameSet> sets;
  {
    FrameSet s{link_type::kCiscoHdlc, {}};
    s.frames.push_back(join({0x0f, 0x00, 0x08, 0x00}, udp4()));
    s.frames.push_back(join({0x8f, 0x00, 0x86, 0xdd}, udp6()));
    s.frames.push_back(join({0x0f, 0x00, 0x08, 0x00}, tcp4()));
    s.frames.push_back(join({0x0f, 0x00, 0x80, 0x35}, Bytes(20, 0)));  // SLARP request
    s.frames.push_back(join({0x0f, 0x00, 0x80, 0x35},
                            {0, 0, 0, 1, 192, 0, 2, 1, 255, 255, 255, 252, 0xff, 0xff}));
    s.frames.push_back(join({0x8f, 0x00, 0x80, 0x35},  // keepalive with uptime
                            {0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 6, 0xff, 0xff, 0, 0x12, 0xd6, 0x87}));
    s.frames.push_back(join({0x0f, 0x00, 0x80, 0x35},  // keepalive without uptime
                            {0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 6, 0xff, 0xff}));
    s.frames.push_back(join({0x0f, 0x00, 0x80, 0x35}, Bytes(10, 0)));  // SLARP too short
    s.frames.push_back(join({0x0f, 0x00, 0x80, 0x35},  // an unknown SLARP code, 24 bytes
                            {0, 0, 1, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                             17, 18, 19, 20}));
    s.frames.push_back(join({0x0f, 0x00, 0x12, 0x34}, Bytes(8, 0xab)));  // unknown protocol
    s.frames.push_back(join({0x42, 0x00, 0x08, 0x00}, udp4()));          // odd address
    sets.push_back(std::move(s));
  }
  {
    FrameSet s{link_type::kNflog, {}};
    s.frames.push_back(nflog(2, udp4()));
    s.frames.push_back(nflog(10, udp6()));
    s.frames.push_back(nflog(2, tcp4()));
    s.frames.push_back(nflog(7, Bytes{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}));
    s.frames.push_back(nflog(2, udp4(), 1));
    s.frames.push_back(nflog(2, udp6()));  // the family says IPv4, the packet is IPv6
    sets.push_back(std::move(s));
  }
  {
    FrameSet s{link_type::kIpoib, {}};
    s.frames.push_back(ipoib(0x0800, udp4()));
    s.frames.push_back(ipoib(0x86dd, udp6()));
    s.frames.push_back(ipoib(0x0806, arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"),
                                                Mac{}, ipv4("192.0.2.2"))));
    s.frames.push_back(ipoib(0x1234, Bytes{'a', 'b', 'c', 'd'}));
    sets.push_back(std::move(s));
  }
  return sets;
}

}  // namespace

TEST_SUITE("print_link") {
  TEST_CASE("prints Cisco HDLC, NFLOG and IPoIB as tcpdump does") {
    PrintOptions o = no_time();
    const std::vector<FrameSet> sets = link_sets();
    CHECK(print_one(sets[0].frames[0], o, link_type::kCiscoHdlc) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5004: UDP, length 12\n");
    CHECK(print_one(sets[0].frames[4], o, link_type::kCiscoHdlc) ==
          "SLARP (length: 14), reply 192.0.2.1/255.255.255.252\n");
    CHECK(print_one(sets[0].frames[5], o, link_type::kCiscoHdlc) ==
          "SLARP (length: 18), keepalive: mineseen=0x00000007, yourseen=0x00000006, "
          "reliability=0xffff, link uptime=0d0h20m34s\n");
    CHECK(print_one(sets[1].frames[1], o, link_type::kNflog) ==
          "IP6 2001:db8::1.40000 > 2001:db8::2.5004: UDP, length 10\n");
    CHECK(print_one(sets[1].frames[4], o, link_type::kNflog) == "version 1 (unknown)\n");
    PrintOptions e = o;
    e.link_header = true;
    CHECK(print_one(sets[0].frames[1], e, link_type::kCiscoHdlc) ==
          "bcast, ethertype IPv6 (0x86dd), length 62: 2001:db8::1.40000 > 2001:db8::2.5004: "
          "UDP, length 10\n");
    CHECK(print_one(sets[1].frames[0], e, link_type::kNflog) ==
          "version 0, resource ID 5, family IPv4 (2), length 76: 192.0.2.1.40000 > "
          "198.51.100.2.5004: UDP, length 12\n");
    CHECK(print_one(sets[2].frames[2], e, link_type::kIpoib) ==
          "IPOIB, ethertype ARP (0x0806), length 72: Request who-has 192.0.2.2 tell 192.0.2.1, "
          "length 28\n");
  }

  TEST_CASE("agrees with tcpdump on Cisco HDLC, NFLOG and IPoIB, whole and cut, every flag") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    for (const FrameSet& set : link_sets()) {
      CAPTURE(set.link_type);
      agree_whole_and_cut(set, flag_cases(), 0);
    }
    MESSAGE("lines compared with tcpdump: " << agreement_lines());
  }
}
