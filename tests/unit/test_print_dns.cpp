// The DNS printer (lib/src/print_dns.cpp): golden lines, and agreement with tcpdump -n -S on
// DNS over UDP and TCP, mDNS and LLMNR (which tcpdump 4.99 leaves undecoded), every message
// shape, whole and cut at every byte, under "", -v, -vv, -vvv, -q, -e and -x; randomly damaged
// messages; the --json object.

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/json.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

constexpr std::uint16_t kResponse = 0x8000;
constexpr std::uint16_t kRd = 0x0100, kRa = 0x0080, kAa = 0x0400, kTc = 0x0200;
constexpr std::uint16_t kAd = 0x0020, kCd = 0x0010;

Bytes text_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes be16(std::uint16_t v) { return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

Bytes eo(std::uint16_t code, const Bytes& data) { return dns_edns_option(code, data); }

DnsMessage query(std::string name, std::uint16_t type = 1) {
  DnsMessage m;
  m.questions = {{std::move(name), type}};
  return m;
}

DnsMessage response(std::uint16_t flags = kRd | kRa) {
  DnsMessage m;
  m.flags = static_cast<std::uint16_t>(kResponse | flags);
  m.questions = {{"example.com", 1}};
  return m;
}

Bytes udp53(const DnsMessage& m, bool reply = false) {
  return reply ? dns_udp4_frame(53, 40000, dns_message(m)) : dns_udp4_frame(40000, 53, dns_message(m));
}

DnsRecord opt(std::uint16_t size = 1232, std::uint32_t ttl = 0, Bytes options = {}) {
  return {"", 41, size, ttl, std::move(options)};
}

// Queries: flags, opcodes, counts, classes, types, names.
std::vector<Bytes> query_frames() {
  std::vector<Bytes> f;
  f.push_back(udp53(query("example.com")));
  f.push_back(udp53(query("example.com", 28)));
  DnsMessage q = query("example.com", 255);
  q.flags = kCd;  // no RD, CD
  q.additional = {opt(4096, 0x8000)};
  f.push_back(udp53(q));
  q = query("version.bind", 16);
  q.questions[0].klass = 3;  // CHAOS
  f.push_back(udp53(q));
  q = query("example.com", 65534);
  q.questions[0].klass = 7;
  f.push_back(udp53(q));
  q = query("2.0.192.in-addr.arpa", 12);
  q.questions.push_back({"_ldap._tcp.example.com", 33, 255});
  f.push_back(udp53(q));
  DnsMessage notify = query("example.com", 6);
  notify.flags = static_cast<std::uint16_t>(4 << 11 | kAa);  // notify, AA: b2&3
  notify.answers = {{"example.com", 6, 1, 3600,
                     dns_rdata_soa("ns1.example.com", "hostmaster.example.com", 2024010101, 7200,
                                   900, 1209600, 300)}};
  f.push_back(udp53(notify));
  DnsMessage update;
  update.flags = 5 << 11;
  update.questions = {{"example.com", 6}};
  update.authority = {{"www.example.com", 1, 1, 60, dns_rdata_a("192.0.2.80")}};
  f.push_back(udp53(update));
  DnsMessage iquery;
  iquery.flags = 1 << 11;
  iquery.answers = {{"", 1, 1, 0, dns_rdata_a("192.0.2.1")}};
  f.push_back(udp53(iquery));
  DnsMessage status;
  status.flags = 2 << 11 | 0x0040;  // status, Z bit
  f.push_back(udp53(status));
  q = query(".", 2);  // the root
  f.push_back(udp53(q));
  q = query("odd\x01name.\xc3\xa9t\xff.example");  // control and high bytes in labels
  f.push_back(udp53(q));
  return f;
}

// Responses: rcodes and flags, every record type tcpdump decodes, and the sections of -vv.
std::vector<Bytes> response_frames() {
  std::vector<Bytes> f;
  DnsMessage r = response();
  r.answers = {{"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
  f.push_back(udp53(r, true));
  r = response(kAa | kTc | kAd | 3);  // NXDomain, no RA
  r.authority = {{"example.com", 6, 1, 3600,
                  dns_rdata_soa("ns1.example.com", "hostmaster.example.com", 1, 2, 3, 4, 5)}};
  f.push_back(udp53(r, true));
  r = response();
  r.questions = {{"www.example.com", 28}};
  r.answers = {{"www.example.com", 5, 1, 300, dns_name("cdn.example.net")},
               {"cdn.example.net", 28, 1, 20, dns_rdata_aaaa("2001:db8::80")},
               {"cdn.example.net", 28, 1, 20, dns_rdata_aaaa("::ffff:192.0.2.9")}};
  r.authority = {{"example.net", 2, 1, 86400, dns_name("ns1.example.net")}};
  r.additional = {{"ns1.example.net", 1, 1, 86400, dns_rdata_a("198.51.100.53")}, opt()};
  f.push_back(udp53(r, true));
  r = response();
  r.questions = {{"example.com", 15}};
  r.answers = {{"example.com", 15, 1, 3600, dns_rdata_mx(10, "mail.example.com")},
               {"example.com", 16, 1, 3600, dns_rdata_txt({"v=spf1 -all", "", "two \"q\""})},
               {"_sip._udp.example.com", 33, 1, 60, dns_rdata_srv(10, 60, 5060, "sip.example.com")},
               {"1.2.0.192.in-addr.arpa", 12, 1, 60, dns_name("host.example.com")},
               {"example.com", 39, 1, 60, dns_name("example.net")},
               {"example.com", 13, 1, 60, dns_rdata_txt({"CPU", "OS"})},
               {"example.com", 65534, 1, 60, Bytes{1, 2, 3}},
               {"example.com", 104, 1, 60, text_bytes("unspec-a")},
               {"example.com", 1, 4, 60, dns_rdata_a("192.0.2.4")}};  // class HS
  f.push_back(udp53(r, true));
  r = response();  // A6 records: prefix 0, 64 (with a prefix name), 128, and a bad one
  r.answers = {{"example.com", 38, 1, 60, cat({Bytes{0}, dns_rdata_aaaa("2001:db8::1")})},
               {"example.com", 38, 1, 60,
                cat({Bytes{64}, Bytes{0, 0, 0, 0, 0, 0, 0, 1}, dns_name("prefix.example.com")})},
               {"example.com", 38, 1, 60, cat({Bytes{128}, dns_name("all.example.com")})},
               {"example.com", 38, 1, 60, Bytes{200}}};
  f.push_back(udp53(r, true));
  r = response();  // TSIG, URI
  r.answers = {{"example.com", 256, 1, 60, cat({be16(1), be16(10), text_bytes("https://x/")})}};
  r.additional = {{"key.example.com", 250, 255, 0,
                   cat({dns_name("hmac-sha256"), Bytes{0, 0, 0x65, 0x53, 0xf1, 0x00}, be16(300),
                        be16(4), Bytes{1, 2, 3, 4}, be16(0x1234), be16(0), be16(0)})}};
  f.push_back(udp53(r, true));
  for (std::uint16_t rcode : {1, 2, 4, 5, 6, 9, 10, 11, 15}) {
    r = response(static_cast<std::uint16_t>(kRa | rcode));
    r.flags = static_cast<std::uint16_t>(r.flags | (rcode % 16) << 11);  // and every opcode
    f.push_back(udp53(r, true));
  }
  // Extended rcodes from the OPT record: BADVERS (16), 17, 21, BADCOOKIE (23), 24, 4095.
  const std::uint16_t low[] = {0, 1, 5, 7, 8, 15};
  const std::uint32_t high[] = {1, 1, 1, 1, 1, 0xff};
  for (int i = 0; i < 6; ++i) {
    r = response(static_cast<std::uint16_t>(kRa | low[i]));
    r.answers = {{"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
    r.additional = {opt(512, high[i] << 24)};
    f.push_back(udp53(r, true));
  }
  r = response();  // two questions, a lying answer count
  r.questions.push_back({"example.org", 28});
  r.counts = std::array<std::uint16_t, 4>{2, 3, 0, 0};
  r.answers = {{"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
  f.push_back(udp53(r, true));
  r = response();  // the TTLs of -vvv
  r.answers = {{"example.com", 1, 1, 0, dns_rdata_a("192.0.2.1")},
               {"example.com", 1, 1, 0xffffffff, dns_rdata_a("192.0.2.2")},
               {"example.com", 1, 1, 31536000 + 604800 * 2 + 86400 + 3661, dns_rdata_a("192.0.2.3")}};
  f.push_back(udp53(r, true));
  return f;
}

// EDNS: the OPT record's options.
std::vector<Bytes> edns_frames() {
  std::vector<Bytes> f;
  const auto with_options = [&](std::vector<Bytes> options, bool reply) {
    DnsMessage m = reply ? response() : query("example.com");
    Bytes rdata;
    for (const Bytes& o : options) rdata.insert(rdata.end(), o.begin(), o.end());
    m.additional = {opt(1232, 0x8000, rdata)};
    f.push_back(udp53(m, reply));
  };
  with_options({eo(10, Bytes(8, 0x11)), eo(12, Bytes(7, 0))}, false);
  with_options({eo(10, Bytes(24, 0x22)), eo(3, {}),
                eo(3, text_bytes("ns1"))},
               true);
  with_options({eo(8, {0, 1, 24, 0, 192, 0, 2}),
                eo(8, {0, 2, 56, 0, 0x20, 1, 0xd, 0xb8, 0, 0, 0x12}),
                eo(8, {0, 1, 33, 0, 1, 2, 3, 4, 5}), eo(8, {0, 1}),
                eo(8, {0, 3, 0, 0})},
               false);
  with_options({eo(11, be16(1234)), eo(11, Bytes{1}),
                eo(9, {0, 0, 0x0e, 0x10}), eo(9, {1}),
                eo(14, {0x4f, 0x66, 0, 20}), eo(14, {1, 2, 3})},
               true);
  with_options({eo(5, {8, 13, 15, 4, 253}), eo(6, {1, 2, 3, 4, 5}),
                eo(7, {1, 2}), eo(10, Bytes(5, 1)),
                eo(4, {0xde, 0xad}), eo(65001, {})},
               false);
  with_options({eo(13, dns_name("example.com"))}, false);
  return f;
}

// Names: compression, pointers that do not point backwards, bad label types, bit labels, a
// name over 255 characters.
std::vector<Bytes> name_frames() {
  std::vector<Bytes> f;
  DnsMessage r = response();
  r.answers = {{"", 1, 1, 300, dns_rdata_a("192.0.2.1"), dns_pointer(12)}};
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = dns_pointer(0x30);  // forwards: <BAD PTR>
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = dns_pointer(29);  // at itself
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = cat({Bytes{3, 'w', 'w', 'w'}, dns_pointer(29)});  // a loop via a label
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = Bytes{0x80, 1, 'x', 0};  // reserved label type
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = Bytes{0x42, 1, 'x', 0};  // an unknown extended label type
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = Bytes{0x41, 12, 0xab, 0xc0, 3, 'c', 'o', 'm', 0};  // a bit label
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = Bytes{0x41, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 0};
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = Bytes{0x41, 7, 0xfe, 0};
  f.push_back(udp53(r, true));
  r.answers[0].raw_name = Bytes{0x41, 3, 0xe0, 0};
  f.push_back(udp53(r, true));
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, static_cast<char>('a' + i)) + ".";
  DnsMessage q = query(long_name);
  f.push_back(udp53(q));
  q = query(std::string(63, 'x') + "." + std::string(63, 'y') + "." + std::string(63, 'z') + "." +
            std::string(61, 'w'));  // 253 characters: just fits
  f.push_back(udp53(q));
  DnsMessage flat = response();
  flat.compress = false;
  flat.answers = {{"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
  f.push_back(udp53(flat, true));
  DnsMessage ptr_question = response();  // a question name that is only a pointer
  ptr_question.questions = {{"", 1, 1, dns_pointer(12)}};
  f.push_back(udp53(ptr_question, true));
  return f;
}

// Transports: TCP (length prefix, a wrong one, a 1-byte segment), IPv6, mDNS, LLMNR, short
// messages.
std::vector<Bytes> transport_frames() {
  std::vector<Bytes> f;
  DnsMessage r = response();
  r.answers = {{"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
  const Bytes message = dns_message(r);
  f.push_back(dns_tcp4_frame(40000, 53, dns_tcp_payload(dns_message(query("example.com")))));
  f.push_back(dns_tcp4_frame(53, 40000, dns_tcp_payload(message)));
  f.push_back(dns_tcp4_frame(53, 40000, cat({be16(99), message})));
  f.push_back(dns_tcp4_frame(53, 40000, Bytes{0}));
  f.push_back(dns_tcp4_frame(53, 40000, Bytes{0, 0}));
  f.push_back(dns_tcp4_frame(53, 40000, Bytes{0, 5, 1, 2, 3, 4, 5}));
  f.push_back(dns_udp6_frame(53, 40000, message));
  f.push_back(dns_udp4_frame(40000, 53, Bytes{0x12, 0x34, 1}));
  f.push_back(dns_udp4_frame(40000, 53, {}));
  // mDNS: QU and QM questions, a cache-flush answer, an OPT record, a plain-DNS port pair.
  DnsMessage m;
  m.id = 0;
  m.flags = 0;
  m.questions = {{"_ipp._tcp.local", 12, 0x8001}, {"printer.local", 1, 1}};
  f.push_back(dns_udp4_frame(5353, 5353, dns_message(m)));
  DnsMessage a;
  a.id = 0;
  a.flags = kResponse | kAa;
  a.answers = {{"printer.local", 1, 0x8001, 120, dns_rdata_a("192.0.2.7")},
               {"_ipp._tcp.local", 12, 1, 4500, dns_name("printer._ipp._tcp.local")},
               {"printer._ipp._tcp.local", 33, 0x8001, 120, dns_rdata_srv(0, 0, 631, "printer.local")}};
  a.additional = {opt(1440, 0x8000)};
  f.push_back(dns_udp4_frame(5353, 5353, dns_message(a)));
  f.push_back(dns_udp4_frame(5353, 53, dns_message(m)));
  f.push_back(dns_udp6_frame(5353, 5353, dns_message(a)));
  {  // an ICMP port unreachable quoting a whole DNS query (printed with -v)
    Ipv4Spec inner;
    inner.protocol = ip_proto::kUdp;
    const Bytes datagram =
        ipv4_packet(inner, udp_datagram(40000, 53, dns_message(query("example.com"))));
    Ipv4Spec outer;
    outer.protocol = ip_proto::kIcmp;
    outer.source = ipv4("198.51.100.2");
    outer.destination = ipv4("192.0.2.1");
    f.push_back(ethernet_frame({}, ipv4_packet(outer, icmp_message(3, 3, 0, datagram))));
  }
  // mDNS wins over every other UDP port but 53 (the second test of tcpdump 4.99.3's list):
  // these ports name other dissectors in print_dispatch.cpp's table after the merge.
  for (const std::uint16_t port : {67, 68, 123, 161, 162, 319, 320, 500, 514, 546, 547, 921,
                                   4500, 4789, 6081, 7500, 8500}) {
    f.push_back(dns_udp4_frame(5353, port, dns_message(m)));
    f.push_back(dns_udp4_frame(port, 5353, dns_message(a)));
  }
  // LLMNR (RFC 4795): tcpdump 4.99 does not decode it.
  DnsMessage llmnr = query("printer");
  llmnr.flags = 0;
  f.push_back(dns_udp4_frame(40000, 5355, dns_message(llmnr)));
  return f;
}

void agree(const std::vector<Bytes>& frames) {
  if (!have_program("tcpdump")) {
    MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
    return;
  }
  std::vector<FlagCase> cases = dissector_flag_cases();
  for (FlagCase& c : flag_cases())  // a dump starts where tcpdump's longjmp leaves it
    if (c.flags == "-x") cases.push_back(std::move(c));
  PrintOptions vvv;
  vvv.verbose = 3;
  cases.push_back({"-vvv", vvv});
  agree_whole_and_cut(FrameSet{1, frames}, cases, 14 + 20);
}

std::string json_of(const Bytes& frame) {
  OutputBuffer out;
  PacketView p;
  p.data = frame;
  p.timestamp_ns = kPrintEpoch;
  p.wire_length = static_cast<std::uint32_t>(frame.size());
  p.link_type = 1;
  append_json(out, p);
  return std::string(out.view());
}

}  // namespace

TEST_SUITE("print_dns") {
  TEST_CASE("prints queries and answers as tcpdump -n -S does") {
    CHECK(print_one(udp53(query("example.com")), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53: 4660+ A? example.com. (29)\n");
    DnsMessage r = response();
    r.answers = {{"example.com", 1, 1, 300, dns_rdata_a("192.0.2.1")}};
    CHECK(print_one(udp53(r, true), no_time()) ==
          "IP 192.0.2.1.53 > 198.51.100.2.40000: 4660 1/0/0 A 192.0.2.1 (45)\n");
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(udp53(r, true), v).find(": 4660 1/0/0 example.com. A 192.0.2.1 (45)\n") !=
          std::string::npos);
    PrintOptions q = no_time();
    q.quiet = true;
    CHECK(print_one(udp53(r, true), q) ==
          "IP 192.0.2.1.53 > 198.51.100.2.40000: UDP, length 45\n");
    DnsMessage nx = response(kAa | 3);
    nx.additional = {opt()};
    CHECK(print_one(udp53(nx, true), no_time()) ==
          "IP 192.0.2.1.53 > 198.51.100.2.40000: 4660 NXDomain*- 0/0/1 (40)\n");
    PrintOptions vv = no_time();
    vv.verbose = 2;
    CHECK(print_one(udp53(nx, true), vv).find(
              "[udp sum ok] 4660 NXDomain*- q: A? example.com. 0/0/1 ar: . OPT UDPsize=1232 (40)\n") !=
          std::string::npos);
    DnsMessage e = query("example.com", 28);
    e.flags = kRd | kCd;
    e.additional = {opt(4096, 0x8000)};
    CHECK(print_one(udp53(e), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53: 4660+% [1au] AAAA? example.com. (40)\n");
  }

  TEST_CASE("prints DNS over TCP, mDNS, and LLMNR as tcpdump 4.99 does (undecoded)") {
    const Bytes message = dns_message(query("example.com"));
    CHECK(print_one(dns_tcp4_frame(40000, 53, dns_tcp_payload(message)), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53: Flags [P.], seq 1000:1031, ack 77, win 502, "
          "length 31 4660+ A? example.com. (29)\n");
    CHECK(print_one(dns_tcp4_frame(40000, 53, cat({be16(7), message})), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53: Flags [P.], seq 1000:1031, ack 77, win 502, "
          "length 31 [prefix length(7) != length(29)] (invalid)\n");
    DnsMessage m;
    m.id = 0;
    m.flags = 0;
    m.questions = {{"foo.local", 12, 0x8001}};
    CHECK(print_one(dns_udp4_frame(40000, 5353, dns_message(m)), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5353: 0 PTR (QU)? foo.local. (27)\n");
    DnsMessage a;
    a.id = 0;
    a.flags = kResponse | kAa;
    a.answers = {{"foo.local", 1, 0x8001, 120, dns_rdata_a("10.0.0.1")}};
    CHECK(print_one(dns_udp4_frame(5353, 5353, dns_message(a)), no_time()) ==
          "IP 192.0.2.1.5353 > 198.51.100.2.5353: 0*- [0q] 1/0/0 (Cache flush) A 10.0.0.1 (37)\n");
    CHECK(print_one(dns_udp4_frame(40000, 5355, dns_message(m)), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.5355: UDP, length 27\n");
  }

  TEST_CASE("marks cut and malformed messages where tcpdump does") {
    DnsMessage r = response();
    r.answers = {{"", 1, 1, 300, dns_rdata_a("192.0.2.1"), dns_pointer(0x30)}};
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(udp53(r, true), v).find(": 4660 1/0/0 <BAD PTR> [|domain]\n") !=
          std::string::npos);
    CHECK(print_one(udp53(r, true), no_time()) ==
          "IP 192.0.2.1.53 > 198.51.100.2.40000: 4660 1/0/0 A 192.0.2.1 (45)\n");
    const Bytes whole = udp53(query("example.com"));
    CHECK(print_one(cut(whole, 14 + 28 + 12 + 5), no_time(), 1,
                    static_cast<std::uint32_t>(whole.size())) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53: 4660+ [|domain]\n");
    CHECK(print_one(cut(whole, 14 + 28 + 6), no_time(), 1,
                    static_cast<std::uint32_t>(whole.size())) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53:  [|domain]\n");
    CHECK(print_one(dns_udp4_frame(40000, 53, Bytes{1, 2, 3}), no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.53: domain [length 3 < 12] (invalid)\n");
  }

  TEST_CASE("agrees with tcpdump on queries, whole and cut, every flag") { agree(query_frames()); }
  TEST_CASE("agrees with tcpdump on responses, whole and cut, every flag") {
    agree(response_frames());
  }
  TEST_CASE("agrees with tcpdump on EDNS options, whole and cut, every flag") {
    agree(edns_frames());
  }
  TEST_CASE("agrees with tcpdump on names: compression, bad pointers, labels, length") {
    agree(name_frames());
  }
  TEST_CASE("agrees with tcpdump on TCP, IPv6, mDNS, LLMNR and short messages") {
    agree(transport_frames());
  }

  TEST_CASE("agrees with tcpdump on the name of every type and of classes") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    std::vector<Record> records;
    for (unsigned t = 0; t < 65536; ++t)
      records.push_back({udp53(query("x", static_cast<std::uint16_t>(t))), kPrintEpoch, 0});
    for (unsigned k = 0; k < 1024; ++k) {
      DnsMessage q = query("x");
      q.questions[0].klass = static_cast<std::uint16_t>(k < 512 ? k : k * 64);
      records.push_back({udp53(q), kPrintEpoch, 0});
    }
    TempPath file;
    write_file(file.path, pcap_file(PcapSpec{}, records));
    for (const FlagCase& flag : dissector_flag_cases())
      if (flag.flags == "") check_against_tcpdump(file.path, flag);
  }

  TEST_CASE("agrees with tcpdump on randomly damaged messages (bytes set, flipped, cut)") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    std::vector<Bytes> originals;
    for (auto* make : {query_frames, response_frames, edns_frames, name_frames, transport_frames})
      for (Bytes& f : make()) originals.push_back(std::move(f));
    std::mt19937 rng(11);
    std::vector<Record> records;
    constexpr std::uint8_t kBytes[] = {0, 1, 0x3f, 0x40, 0x41, 0x80, 0xc0, 0xff};
    for (int i = 0; i < 4000; ++i) {
      Bytes f = originals[rng() % originals.size()];
      const bool udp_or_tcp_over_ipv4 =
          f[12] == 0x08 && f[13] == 0x00 && (f[14 + 9] == 6 || f[14 + 9] == 17);
      if (f.size() <= 14 + 28 + 12 || !udp_or_tcp_over_ipv4) continue;
      // Damage the DNS message only (after the IP and UDP/TCP headers, whose checksums then
      // fail: the -v text says so, as tcpdump's does).
      const std::size_t from = 14 + 20 + (f[14 + 9] == 6 ? 20 : 8);
      for (unsigned k = rng() % 4 + 1; k > 0; --k) {
        const std::size_t at = from + rng() % (f.size() - from);
        f[at] = rng() % 2 ? kBytes[rng() % 8] : static_cast<std::uint8_t>(f[at] ^ (1u << rng() % 8));
      }
      const auto wire = static_cast<std::uint32_t>(f.size());
      if (rng() % 5 == 0) f.resize(from + rng() % (f.size() - from));
      records.push_back({f, kPrintEpoch + static_cast<std::int64_t>(i) * 1000000, wire});
    }
    TempPath file;
    write_file(file.path, pcap_file(PcapSpec{}, records));
    for (const FlagCase& flag : dissector_flag_cases())
      if (flag.flags != "-e" && flag.flags != "-q") check_against_tcpdump(file.path, flag);
    PrintOptions vvv;
    vvv.verbose = 3;
    check_against_tcpdump(file.path, {"-vvv", vvv});
  }

  TEST_CASE("adds a dns object to --json for DNS packets only") {
    CHECK(json_of(udp53(query("example.com"))).find(
              ",\"dns\":{\"id\":4660,\"qr\":\"query\",\"opcode\":\"Query\",\"rcode\":\"NoError\","
              "\"qname\":\"example.com.\",\"qtype\":\"A\",\"answers\":0}") != std::string::npos);
    DnsMessage r = response(kRa | 3);
    r.questions = {{"a\"b\\c\x01.example", 65000}};
    r.answers = {{"", 1, 1, 300, dns_rdata_a("192.0.2.1"), dns_pointer(12)}};
    CHECK(json_of(udp53(r, true)).find(
              ",\"dns\":{\"id\":4660,\"qr\":\"response\",\"opcode\":\"Query\",\"rcode\":"
              "\"NXDomain\",\"qname\":\"a\\\"b\\\\c\\u0001.example.\",\"qtype\":\"Type65000\","
              "\"answers\":1}") != std::string::npos);
    DnsMessage n = query("x");
    n.flags = 4 << 11;
    n.questions[0].raw_name = dns_pointer(12);  // at itself: no qname
    CHECK(json_of(udp53(n)).find(",\"dns\":{\"id\":4660,\"qr\":\"query\",\"opcode\":\"Notify\","
                                 "\"rcode\":\"NoError\",\"answers\":0}") != std::string::npos);
    CHECK(json_of(dns_tcp4_frame(40000, 53, dns_tcp_payload(dns_message(query("a.b")))))
              .find("\"qname\":\"a.b.\"") != std::string::npos);
    CHECK(json_of(dns_tcp4_frame(40000, 53, dns_message(query("a.b")))).find("\"dns\"") ==
          std::string::npos);
    CHECK(json_of(dns_udp4_frame(40000, 5355, dns_message(query("a")))).find("\"dns\"") ==
          std::string::npos);
    CHECK(json_of(dns_udp4_frame(5353, 5353, dns_message(query("a.local")))).find(
              "\"qname\":\"a.local.\"") != std::string::npos);
    const Bytes whole = udp53(query("example.com"));
    CHECK(json_of(cut(whole, 14 + 28 + 12 + 3)).find(
              ",\"dns\":{\"id\":4660,\"qr\":\"query\",\"opcode\":\"Query\",\"rcode\":\"NoError\","
              "\"answers\":0}") != std::string::npos);
  }

  TEST_CASE("closing totals") {
    MESSAGE("lines compared with tcpdump: " << agreement_lines());
  }
}
