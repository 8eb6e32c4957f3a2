// Transport and security dissectors (print_esp.cpp, print_http.cpp, print_sctp.cpp,
// print_isakmp.cpp, print_ptp.cpp): golden lines, and agreement with tcpdump -n -S on every
// frame whole and cut at every byte, under every flag a dissector's text depends on.

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes tcp_with(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  TcpSpec t;
  t.source_port = sport;
  t.destination_port = dport;
  t.flags = tcp_flag::kPsh | tcp_flag::kAck;
  return tcp_segment(t, payload);
}

Bytes tcp4_with(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  Ipv4Spec ip;
  TcpSpec t;
  t.source_port = sport;
  t.destination_port = dport;
  t.flags = tcp_flag::kPsh | tcp_flag::kAck;
  return ethernet_frame({}, ipv4_packet(ip, tcp_segment(t, payload)));
}

// --- ESP and AH ---
std::vector<Bytes> ipsec_frames() {
  std::vector<Bytes> f;
  const Bytes body(92, 0x5a);
  const Bytes esp = esp_packet(0x1000, 1, body);
  const Bytes icv12(12, 0xa5);
  f.push_back(ip4_frame_of(ip_proto::kEsp, esp));
  f.push_back(ip6_frame_of(ip_proto::kEsp, esp));
  f.push_back(ip4_frame_of(ip_proto::kAh, ah_packet(ip_proto::kEsp, 0x2000, 7, icv12, esp)));
  f.push_back(ip6_frame_of(ip_proto::kAh, ah_packet(ip_proto::kEsp, 0x2000, 7, icv12, esp)));
  f.push_back(ip4_frame_of(ip_proto::kAh, ah_packet(ip_proto::kTcp, 0x2000, 0xfffffffe, icv12,
                                                    tcp_with(1234, 5001, Bytes(10, 'x')))));
  f.push_back(ip6_frame_of(ip_proto::kAh,
                           ah_packet(ip_proto::kUdp, 0x2000, 9, icv12,
                                     udp_datagram(1234, 5004, Bytes(4, 'u')))));
  f.push_back(ip4_frame_of(ip_proto::kAh,
                           ah_packet(ip_proto::kIcmp, 0x2000, 9, Bytes(8, 1),
                                     icmp_message(8, 0, 0x00010002, Bytes(8, 'p')))));
  f.push_back(ip4_frame_of(ip_proto::kAh, ah_packet(99, 0x2000, 9, Bytes{}, Bytes(4, 'q'))));
  f.push_back(ip4_frame_of(ip_proto::kAh,
                           ah_packet(ip_proto::kIpv6NoNext, 0x2000, 9, Bytes(4, 3), Bytes{})));
  // AH in AH, then ESP.
  f.push_back(ip4_frame_of(ip_proto::kAh,
                           ah_packet(ip_proto::kAh, 0x3000, 1, Bytes(8, 0x11),
                                     ah_packet(ip_proto::kEsp, 0x4000, 2, Bytes(4, 0x22), esp))));
  // A length field of 0: an 8-byte header whose "ICV" is empty (tcpdump reads on from byte 8).
  {
    Bytes ah{ip_proto::kEsp, 0, 0, 0, 0, 0, 0x20, 0};
    ah.insert(ah.end(), esp.begin(), esp.end());
    f.push_back(ip4_frame_of(ip_proto::kAh, ah));
  }
  // An ESP packet with nothing after its header, and one with one byte.
  f.push_back(ip4_frame_of(ip_proto::kEsp, esp_packet(0xdeadbeef, 0x10203040, Bytes{})));
  f.push_back(ip4_frame_of(ip_proto::kEsp, esp_packet(0xdeadbeef, 0x10203040, Bytes(1, 0))));
  // An AH length running past the datagram.
  f.push_back(ip4_frame_of(ip_proto::kAh, ah_packet(ip_proto::kEsp, 1, 1, Bytes(4, 0), Bytes{})));
  return f;
}

// --- HTTP ---
std::vector<Bytes> http_frames() {
  std::vector<Bytes> f;
  f.push_back(tcp4_with(40000, 80,
                        text("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.0\r\n"
                             "Accept: */*\r\n\r\n")));
  f.push_back(tcp4_with(80, 40000,
                        text("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n"
                             "\r\nhello")));
  f.push_back(tcp4_with(40000, 8080, text("POST /x HTTP/1.0\nHost: a\n\nbody\x01\x02")));
  f.push_back(tcp4_with(8080, 40000, text("HTTP/1.0 404 Not Found\r\n\r\n")));
  f.push_back(tcp4_with(40000, 80, text("get /lower HTTP/1.1\r\n\r\n")));
  f.push_back(tcp4_with(40000, 80, Bytes{0, 1, 'b', 'i', 'n'}));  // not text
  f.push_back(tcp4_with(40000, 80, text("hello world\r\n")));      // not a request
  f.push_back(tcp4_with(40000, 80, text("HTTP/1.1 2000 OK\r\n")));
  f.push_back(tcp4_with(40000, 80, text("GET")));
  f.push_back(tcp4_with(40000, 80, text("GET / HTTP/1.1")));  // no line end
  f.push_back(tcp4_with(40000, 80, text("GET / HTTP/1.1\r")));
  f.push_back(tcp4_with(40000, 80, text("GET / HTTP/1.1\rX")));
  f.push_back(tcp4_with(40000, 80, text("FOO 404 bar\r\n")));
  f.push_back(tcp4_with(40000, 80, text("GET /\tx\x7f HTTP/1.1\r\nA: b\r\n")));
  f.push_back(tcp4_with(40000, 80, text("   GET / HTTP/1.1\r\n")));
  f.push_back(tcp4_with(40000, 80, text("OPTIONS  \t* HTTP/1.1\r\nA:\tb\r\n\xff\r\n")));
  f.push_back(tcp4_with(40000, 80, text("GET /" + std::string(150, 'a') + " HTTP/1.1\r\n")));
  f.push_back(tcp4_with(40000, 80, text(std::string(127, 'A') + " 200 x\r\n")));
  f.push_back(tcp4_with(40000, 80, text(std::string(128, 'A') + " 200 x\r\n")));
  {
    Ipv6Spec ip;
    TcpSpec t;
    t.destination_port = 80;
    f.push_back(tcp6_frame(ip, t, 0));
  }
  {
    Ipv6Spec ip;
    ip.next_header = ip_proto::kTcp;
    EthernetSpec eth;
    eth.ethertype = 0x86dd;
    f.push_back(ethernet_frame(
        eth, ipv6_packet(ip, tcp_with(40000, 80, text("DELETE /a HTTP/1.1\r\nX: y\r\n\r\n")))));
  }
  return f;
}

// --- SCTP ---
Bytes be(std::initializer_list<std::uint32_t> words, std::size_t width = 4) {
  Bytes b;
  for (const std::uint32_t w : words)
    for (std::size_t i = width; i-- > 0;) b.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes raw_chunk(std::uint8_t type, std::uint8_t flags, std::uint16_t length, const Bytes& body) {
  return cat({Bytes{type, flags, static_cast<std::uint8_t>(length >> 8),
                    static_cast<std::uint8_t>(length)},
              body});
}

Bytes sctp4(std::uint16_t sport, std::uint16_t dport, std::vector<Bytes> chunks) {
  return ip4_frame_of(ip_proto::kSctp, sctp_packet(sport, dport, 0x01020304, chunks));
}

Bytes data_chunk(std::uint8_t flags, std::uint32_t tsn, std::uint32_t ppid, const Bytes& data) {
  return sctp_chunk(0, flags, cat({be({tsn}), be({1, 2}, 2), be({ppid}), data}));
}

std::vector<Bytes> sctp_frames() {
  std::vector<Bytes> f;
  const Bytes init = cat({be({0x11223344, 65536}), be({10, 10}, 2), be({100}),
                          be({5, 8}, 2), be({0xc0000201})});
  f.push_back(sctp4(5000, 5001, {sctp_chunk(1, 0, init)}));
  f.push_back(sctp4(5001, 5000, {sctp_chunk(2, 0, cat({init, text("cookie")}))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(10, 0, text("cookie")), data_chunk(3, 7, 0, text("hi"))}));
  f.push_back(sctp4(5001, 5000, {sctp_chunk(11, 0, {})}));
  f.push_back(sctp4(5000, 5001, {data_chunk(3, 100, 0, text("hello")),
                                  data_chunk(7, 101, 46, Bytes(20, 'x')),
                                  data_chunk(0, 102, 27, Bytes(1, 'y'))}));
  f.push_back(sctp4(5001, 5000, {sctp_chunk(3, 0, cat({be({100, 65536}), be({2, 1, 2, 3, 5, 9}, 2),
                                                       be({99})}))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(4, 0, cat({be({1, 12}, 2), text("12345678")})),
                                  sctp_chunk(5, 0, cat({be({1, 12}, 2), text("12345678")}))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(6, 1, {}), sctp_chunk(7, 0, be({100})),
                                  sctp_chunk(8, 0, {}), sctp_chunk(9, 0, be({0x00010008, 0x00010000}))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(12, 0, be({5})), sctp_chunk(13, 0, be({5})),
                                  sctp_chunk(14, 0, {}), sctp_chunk(0x80, 0, text("abcd")),
                                  sctp_chunk(0xc0, 0, be({9})), sctp_chunk(0xc1, 0, {}),
                                  sctp_chunk(0xc2, 0, {})}));
  {
    const std::vector<Bytes> chunks{data_chunk(3, 100, 4, text("six666"))};
    f.push_back(ip6_frame_of(ip_proto::kSctp, sctp_packet(5000, 5001, 1, chunks)));
  }
  // Malformed: a packet shorter than the header, chunk lengths too short, too long, odd.
  f.push_back(ip4_frame_of(ip_proto::kSctp, Bytes{0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(0, 3, 2, {})}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(1, 0, 40, Bytes(16, 0))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(11, 0, {}), Bytes{0, 0}}));
  f.push_back(sctp4(5000, 5001, {data_chunk(3, 1, 4, {})}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(0, 3, 10, Bytes(8, 0))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(1, 0, Bytes(8, 0))}));
  f.push_back(sctp4(5000, 5001, {sctp_chunk(3, 0, Bytes(8, 0))}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(3, 0, 18, cat({be({100, 5}), be({3, 2, 0, 1}, 2)}))}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(3, 0, 22, cat({be({100, 5}), be({0, 2, 0, 1, 0, 0}, 2)}))}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(2, 0, 19, Bytes(16, 0)), Bytes(1, 0)}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(10, 0, 5, Bytes{'a', 0, 0, 0}), sctp_chunk(11, 0, {})}));
  f.push_back(sctp4(5000, 5001, {raw_chunk(10, 0, 5, Bytes{'a'})}));
  f.push_back(sctp4(5000, 5001, {}));
  // ForCES (by port and by PPID): not decoded, a marker (tcpdump's, for this payload).
  f.push_back(sctp4(6704, 5001, {data_chunk(3, 1, 0, text("abcd"))}));
  f.push_back(sctp4(5000, 6706, {data_chunk(3, 1, 0, text("abcd"))}));
  f.push_back(sctp4(5000, 5001, {data_chunk(3, 1, 22, text("abcd"))}));
  return f;
}

// --- ISAKMP ---
// An ISAKMP header (initiator cookie 1122334455667788) and `body`; `length` 0: the real one.
Bytes isakmp(const Bytes& responder_cookie, std::uint8_t next_payload, std::uint8_t version,
             std::uint8_t exchange, std::uint8_t flags, std::uint32_t message_id,
             const Bytes& body, std::uint32_t length = 0) {
  return cat({Bytes{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}, responder_cookie,
              Bytes{next_payload, version, exchange, flags}, be({message_id}),
              be({length ? length : static_cast<std::uint32_t>(28 + body.size())}), body});
}

Bytes udp4_with(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(sport, dport, payload)));
}

std::vector<Bytes> isakmp_frames() {
  std::vector<Bytes> f;
  const Bytes zero(8, 0);
  const Bytes responder{0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0};
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x10, 2, 0, 0, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 1, 0x10, 2, 0, 0, cat({be({0x0c}), be({1, 1})}))));
  f.push_back(udp4_with(500, 500, isakmp(zero, 8, 0x10, 5, 1, 0x12345678, Bytes(16, 0))));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x10, 32, 0, 1, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x10, 7, 2, 0, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x10, 4, 4, 0, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 200, 0x10, 33, 3, 9, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x20, 34, 0x08, 0, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 33, 0x20, 34, 0x08, 0, be({0x00000008, 0}))));
  f.push_back(udp4_with(500, 500, isakmp(responder, 0, 0x20, 35, 0x20, 1, {})));
  f.push_back(udp4_with(500, 500, isakmp(responder, 46, 0x20, 37, 0x39, 2, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x20, 36, 0x04, 3, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x30, 2, 0, 0, {})));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x10, 2, 0, 0, {}, 100)));
  f.push_back(udp4_with(500, 500, isakmp(zero, 0, 0x20, 34, 8, 0, Bytes(4, 0), 100)));
  f.push_back(udp4_with(7500, 1000, isakmp(zero, 0, 0x10, 2, 0, 0, {})));
  f.push_back(udp4_with(1000, 8500, isakmp(zero, 0, 0x10, 2, 0, 0, {})));
  f.push_back(udp4_with(500, 500, Bytes(20, 0)));  // shorter than the header
  // NAT traversal (4500): ISAKMP after the non-ESP marker, ESP, keepalives, short ones.
  f.push_back(udp4_with(4500, 4500, cat({be({0}), isakmp(zero, 0, 0x10, 2, 0, 0, {})})));
  f.push_back(udp4_with(4500, 4500, cat({be({0}), isakmp(zero, 0, 0x20, 34, 8, 0, {})})));
  f.push_back(udp4_with(4500, 4500, esp_packet(0x1000, 5, Bytes(20, 0x5a))));
  f.push_back(udp4_with(4500, 1000, Bytes{0xff}));
  f.push_back(udp4_with(4500, 1000, Bytes{0xfe}));
  f.push_back(udp4_with(1000, 4500, Bytes{0, 0, 0}));
  f.push_back(udp4_with(1000, 4500, Bytes{0, 0, 0, 0, 1}));
  f.push_back(udp4_with(500, 4500, isakmp(zero, 0, 0x10, 2, 0, 0, {})));  // 500 comes first
  return f;
}

// --- PTP ---
// A PTPv2 message: first byte (transport specific bits and type), version byte, flags,
// control, then `body`.
Bytes ptp(std::uint8_t first, std::uint8_t version, std::uint16_t flags, std::uint8_t control,
          std::uint8_t interval, const Bytes& body) {
  return cat({Bytes{first, version}, be({static_cast<std::uint32_t>(34 + body.size())}, 2),
              Bytes{3, 9}, be({flags}, 2), Bytes{0, 0, 0, 0, 0, 0xff, 0, 1}, be({10}),
              Bytes{0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}, be({65535, 7}, 2),
              Bytes{control, interval}, body});
}

Bytes counting(std::size_t n, std::uint8_t from = 1) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(from + i);
  return b;
}

std::vector<Bytes> ptp_frames() {
  std::vector<Bytes> f;
  f.push_back(udp4_with(319, 319, ptp(0x10, 2, 0x0200, 0, 0, counting(10))));  // sync
  f.push_back(udp4_with(319, 319, ptp(0x01, 2, 0x0000, 1, 0xfd, counting(10))));
  f.push_back(udp4_with(319, 319, ptp(0x02, 2, 0x0400, 5, 0, counting(20))));
  f.push_back(udp4_with(319, 319, ptp(0x03, 2, 0xffff, 6, 0, counting(20))));
  f.push_back(udp4_with(320, 320, ptp(0x08, 2, 0x18c0, 2, 0, counting(10))));
  f.push_back(udp4_with(320, 320, ptp(0x09, 2, 0x0200, 3, 0, counting(20))));
  f.push_back(udp4_with(320, 320, ptp(0x0a, 2, 0x0200, 5, 0, counting(20))));
  f.push_back(udp4_with(320, 320, ptp(0x0b, 2, 0x003f, 5, 1, counting(30))));
  f.push_back(udp4_with(320, 320, ptp(0x0c, 2, 0x0200, 5, 0, counting(10))));
  f.push_back(udp4_with(320, 320, ptp(0x0d, 2, 0x0200, 4, 0x7f, counting(14))));
  f.push_back(udp4_with(319, 320, ptp(0xf4, 2, 0x0200, 0xff, 0, counting(10))));
  f.push_back(udp4_with(320, 1000, ptp(0x00, 2, 0x0200, 0, 0, {})));  // no body
  f.push_back(udp4_with(1000, 319, Bytes{0x00, 0x01, 0x00, 0x00}));    // shorter than 34
  f.push_back(udp4_with(319, 319, cat({Bytes{0x00, 0x01}, Bytes(40, 0)})));
  f.push_back(udp4_with(319, 319, cat({Bytes{0x00, 0x12}, Bytes(40, 0)})));
  {
    Ipv6Spec ip;
    ip.next_header = ip_proto::kUdp;
    EthernetSpec eth;
    eth.ethertype = 0x86dd;
    f.push_back(ethernet_frame(
        eth, ipv6_packet(ip, udp_datagram(319, 319, ptp(0x00, 2, 0x0200, 0, 0, counting(10))))));
  }
  return f;
}

void agree(const std::vector<Bytes>& frames) {
  if (!have_program("tcpdump")) {
    MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
    return;
  }
  agree_whole_and_cut(FrameSet{1, frames}, dissector_flag_cases(), 14);
  MESSAGE("lines compared with tcpdump: " << agreement_lines());
}

}  // namespace

TEST_SUITE("print_sec") {
  TEST_CASE("ESP and AH lines") {
    const PrintOptions o = no_time();
    PrintOptions v = o;
    v.verbose = 1;
    const std::vector<Bytes> f = ipsec_frames();
    CHECK(print_one(f[0], o) ==
          "IP 192.0.2.1 > 198.51.100.2: ESP(spi=0x00001000,seq=0x1), length 100\n");
    CHECK(print_one(f[1], o) ==
          "IP6 2001:db8::1 > 2001:db8::2: ESP(spi=0x00001000,seq=0x1), length 100\n");
    CHECK(print_one(f[2], o) ==
          "IP 192.0.2.1 > 198.51.100.2: AH(spi=0x00002000,seq=0x7,"
          "icv=0xa5a5a5a5a5a5a5a5a5a5a5a5): ESP(spi=0x00001000,seq=0x1), length 100\n");
    CHECK(print_one(f[3], v) ==
          "IP6 (hlim 64, next-header AH (51) payload length: 124) 2001:db8::1 > 2001:db8::2: "
          "AH(length=4(24-bytes),spi=0x00002000,seq=0x7,icv=0xa5a5a5a5a5a5a5a5a5a5a5a5): "
          "ESP(spi=0x00001000,seq=0x1), length 100\n");
    CHECK(print_one(f[7], o) ==
          "IP 192.0.2.1 > 198.51.100.2: AH(spi=0x00002000,seq=0x9,icv=0x):  ip-proto-99 4\n");
    // Cut in the ICV, and before the ESP header's end.
    CHECK(print_one(cut(f[2], 14 + 20 + 14), o, 1, static_cast<std::uint32_t>(f[2].size())) ==
          "IP 192.0.2.1 > 198.51.100.2: AH(spi=0x00002000,seq=0x7,icv=0xa5a5 [|ah]\n");
    CHECK(print_one(cut(f[0], 14 + 20 + 8), o, 1, static_cast<std::uint32_t>(f[0].size())) == "IP 192.0.2.1 > 198.51.100.2:  [|esp]\n");
  }

  TEST_CASE("ESP and AH agree with tcpdump, whole and cut") { agree(ipsec_frames()); }

  TEST_CASE("HTTP lines") {
    const PrintOptions o = no_time();
    PrintOptions v = o;
    v.verbose = 1;
    const std::vector<Bytes> f = http_frames();
    CHECK(print_one(f[0], o) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.80: Flags [P.], seq 1000:1072, ack 0, win 502, "
          "length 72: HTTP: GET / HTTP/1.1\n");
    CHECK(print_one(f[1], v).ends_with(
        "length 68: HTTP, length: 68\n\tHTTP/1.1 200 OK\n\tContent-Type: text/html\n"
        "\tContent-Length: 5\n\t\n\thello [|http]\n"));
    CHECK(print_one(f[5], o).ends_with("length 5: HTTP\n"));
    CHECK(print_one(f[9], o).ends_with("length 14: HTTP: GET / HTTP/1.1 [|http]\n"));
    CHECK(print_one(cut(f[0], f[0].size() - 60), o, 1, static_cast<std::uint32_t>(f[0].size())).ends_with("length 72: HTTP [|http]\n"));
  }

  TEST_CASE("HTTP agrees with tcpdump, whole and cut") { agree(http_frames()); }

  TEST_CASE("SCTP lines") {
    const PrintOptions o = no_time();
    PrintOptions vv = o;
    vv.verbose = 2;
    const std::vector<Bytes> f = sctp_frames();
    CHECK(print_one(f[0], o) ==
          "IP 192.0.2.1.5000 > 198.51.100.2.5001: sctp (1) [INIT] [init tag: 287454020] "
          "[rwnd: 65536] [OS: 10] [MIS: 10] [init TSN: 100] \n");
    CHECK(print_one(f[5], o) ==
          "IP 192.0.2.1.5001 > 198.51.100.2.5000: sctp (1) [SACK] [cum ack 100] "
          "[a_rwnd 65536] [#gap acks 2] [#dup tsns 1] \n\t\t[gap ack block #1: start = 102, "
          "end = 103] \n\t\t[gap ack block #2: start = 105, end = 109] \n\t\t[dup TSN #1: 99] \n");
    // M3UA payloads are not decoded: with -vv, a marker after the DATA chunk's fields.
    CHECK(print_one(sctp4(5000, 5001, {data_chunk(3, 1, 3, text("abcd"))}), vv)
              .ends_with("[PPID M3UA]  [|m3ua]\n"));
    CHECK(print_one(f[2], vv) ==
          "IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto SCTP (132), length 64)\n"
          "    192.0.2.1.5000 > 198.51.100.2.5001: sctp\n\t1) [COOKIE ECHO] \n\t2) [DATA] (B)(E) "
          "[TSN: 7] [SID: 1] [SSEQ 2] [PPID 0x0] [Payload:\n\t0x0000:  6869"
          "                                     hi]\n");
    CHECK(print_one(f[10], o) == "IP truncated-sctp - 4 bytes missing!\n");
    CHECK(print_one(cut(f[0], 40), o, 1, static_cast<std::uint32_t>(f[0].size())) == "IP  [|sctp]\n");
    CHECK(print_one(cut(f[0], 50), o, 1, static_cast<std::uint32_t>(f[0].size())) == "IP 192.0.2.1.5000 > 198.51.100.2.5001: sctp [|sctp]\n");
  }

  TEST_CASE("SCTP agrees with tcpdump, whole and cut") { agree(sctp_frames()); }

  TEST_CASE("ISAKMP lines") {
    const PrintOptions o = no_time();
    PrintOptions v = o;
    v.verbose = 1;
    PrintOptions vv = o;
    vv.verbose = 2;
    const std::vector<Bytes> f = isakmp_frames();
    CHECK(print_one(f[0], o) == "IP 192.0.2.1.500 > 198.51.100.2.500: isakmp: phase 1 I ident\n");
    CHECK(print_one(f[2], v).ends_with(
        "isakmp 1.0 msgid 12345678: phase 2/others I inf[E]: [encrypted hash]\n"));
    CHECK(print_one(f[7], vv).ends_with(
        "isakmp 2.0 msgid 00000000 cookie 1122334455667788->0000000000000000: "
        "parent_sa ikev2_init[I]:\n"));
    CHECK(print_one(f[9], o).ends_with("isakmp: child_sa  ikev2_auth[R]\n"));
    // Not decoded: the payloads -v lists, and who sent an IKEv1 message with both cookies.
    CHECK(print_one(f[1], v).ends_with("isakmp 1.0 msgid 00000000: phase 1 I ident: [|isakmp]\n"));
    CHECK(print_one(udp4_with(500, 500, isakmp(Bytes(8, 1), 0, 0x10, 2, 0, 0, {})), o)
              .ends_with("isakmp: phase 1 [|isakmp]\n"));
    CHECK(print_one(f[20], o).ends_with("UDP-encap: ESP(spi=0x00001000,seq=0x5), length 28\n"));
    CHECK(print_one(f[21], o).ends_with("4500 > 198.51.100.2.1000: isakmp-nat-keep-alive\n"));
  }

  TEST_CASE("ISAKMP agrees with tcpdump, whole and cut") {
    std::vector<Bytes> frames = isakmp_frames();
    // tcpdump's -v lists payloads slimcap leaves to a marker: those frames only without it.
    std::vector<Bytes> plain;
    for (std::size_t i : {1u, 8u, 10u}) plain.push_back(frames[i]);
    for (std::size_t i : {10u, 8u, 1u}) frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(i));
    agree(frames);
    if (!have_program("tcpdump")) return;
    std::vector<FlagCase> quiet_cases;
    for (const FlagCase& c : dissector_flag_cases())
      if (c.options.verbose == 0) quiet_cases.push_back(c);
    agree_whole_and_cut(FrameSet{1, plain}, quiet_cases, 14);
  }

  TEST_CASE("PTP lines") {
    const PrintOptions o = no_time();
    const std::vector<Bytes> f = ptp_frames();
    CHECK(print_one(f[0], o) ==
          "IP 192.0.2.1.319 > 198.51.100.2.319: PTPv2, v1 compat : yes, msg type : sync msg, "
          "length : 44, domain : 3, reserved1 : 9, Flags [two step], NS correction : 255, "
          "sub NS correction : 1, reserved2 : 10, clock identity : 0x8011223344556677, "
          "port id : 65535, seq id : 7, control : 0 (Sync), log message interval : 0, "
          "originTimeStamp : 1108152157446 seconds, 117967114 nanoseconds\n");
    CHECK(print_one(f[9], o).ends_with(
        "port identity : 0x102030405060708, port id : 2314, , start boundary hops  1, , "
        "boundary hops  1, , flags  0x1, , reserved  0x1\n"));
    CHECK(print_one(f[12], o).ends_with("319:  [length 4 < 34] (invalid)\n"));
    CHECK(print_one(f[13], o).ends_with("319: PTPv1 (not implemented)\n"));
    CHECK(print_one(f[11], o).ends_with("log message interval : 0, originTimeStamp : [|ptp]\n"));
  }

  TEST_CASE("PTP agrees with tcpdump, whole and cut") { agree(ptp_frames()); }
}
