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
}
