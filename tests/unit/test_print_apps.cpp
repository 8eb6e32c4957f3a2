// The application printers over UDP: NTP (print_ntp.cpp), SNMP (print_snmp.cpp), syslog
// (print_syslog.cpp). Golden lines and agreement
// with tcpdump -n -S (whole and cut at every byte, under "", -v, -vv, -q, -e).

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Bytes syslog4(std::string_view message, std::uint16_t sport = 514) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  const Bytes payload(message.begin(), message.end());
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(sport, 514, payload)));
}

Bytes udp4(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return ethernet_frame({}, ipv4_packet(ip, udp_datagram(sport, dport, payload)));
}

void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// An NTP time message: status (LI, VN, mode), stratum, poll, precision, then the rest.
Bytes ntp(std::uint8_t status, std::uint8_t stratum, std::int8_t poll, std::int8_t precision,
          std::size_t size = 48) {
  Bytes b(std::max<std::size_t>(size, 48), 0);
  b[0] = status;
  b[1] = stratum;
  b[2] = static_cast<std::uint8_t>(poll);
  b[3] = static_cast<std::uint8_t>(precision);
  put32(b, 4, 0x00000123);   // root delay
  put32(b, 8, 0x00010456);   // root dispersion
  put32(b, 12, 0xc0000201);  // reference ID
  put32(b, 16, 0xe8f0a100);  // reference timestamp
  put32(b, 20, 0x01000000);
  put32(b, 24, 0xe8f0a1b2);  // originate
  put32(b, 28, 0x80000000);
  put32(b, 32, 0xe8f0a1b3);  // receive
  put32(b, 36, 0x40000000);
  put32(b, 40, 0xe8f0a1b1);  // transmit
  put32(b, 44, 0x90000000);
  for (std::size_t i = 48; i < size; ++i) b[i] = static_cast<std::uint8_t>(i);
  b.resize(size);
  return b;
}

std::vector<Bytes> ntp_frames() {
  std::vector<Bytes> f;
  Bytes client(48, 0);
  client[0] = 0x23;
  client[2] = 6;
  client[3] = 0xec;
  put32(client, 40, 0xe8f0a1b2);
  put32(client, 44, 0x80000000);
  f.push_back(udp4(40000, 123, client));
  f.push_back(udp4(123, 40000, ntp(0x24, 2, 6, -23)));
  Bytes gps = ntp(0x1c, 1, 4, -20);
  gps[12] = 'G';
  gps[13] = 'P';
  gps[14] = 'S';
  gps[15] = 0;
  f.push_back(udp4(123, 123, gps));
  f.push_back(udp4(123, 123, ntp(0xe5, 0, -6, -18)));
  f.push_back(udp4(123, 123, ntp(0x61, 62, 40, 0)));
  f.push_back(udp4(123, 123, ntp(0xa2, 63, -40, 0)));
  f.push_back(udp4(123, 123, ntp(0x20, 16, 0, 0)));
  Bytes same = ntp(0x24, 3, 10, -10);
  put32(same, 32, 0xe8f0a1b2);  // receive: same second as originate, less fraction
  put32(same, 36, 0x10000000);
  put32(same, 40, 0xe8f0a1b2);  // transmit: same second, more fraction
  put32(same, 44, 0x90000000);
  f.push_back(udp4(123, 123, same));
  Bytes early = ntp(0x24, 3, 10, -10);
  put32(early, 32, 0x00000001);  // before 1970
  f.push_back(udp4(123, 123, early));
  f.push_back(udp4(123, 123, ntp(0x24, 2, 6, -23, 52)));
  f.push_back(udp4(123, 123, ntp(0x24, 2, 6, -23, 68)));
  f.push_back(udp4(123, 123, ntp(0x24, 2, 6, -23, 72)));
  f.push_back(udp4(123, 123, ntp(0x24, 2, 6, -23, 60)));
  f.push_back(udp4(123, 123, ntp(0x24, 2, 6, -23, 40)));
  f.push_back(udp4(123, 123, ntp(0x27, 2, 6, -23)));   // mode 7
  f.push_back(udp4(123, 123, ntp(0x03, 2, 6, -23)));   // version 0
  f.push_back(udp4(123, 123, Bytes{0x16, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}));  // control
  f.push_back(udp4(123, 123, Bytes{0x1e, 0xe1, 0, 9, 0x06, 0x15, 0, 3, 0, 0, 0, 4, 'a', 'b', 'c', 'd'}));
  f.push_back(udp4(123, 123, Bytes{0x16, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1}));
  f.push_back(udp4(123, 123, Bytes{0x16, 0x02, 0, 1, 0, 0}));
  return f;
}

// BER: a tag, a length (short or long form) and the contents.
Bytes tlv(std::uint8_t tag, const Bytes& value) {
  Bytes b{tag};
  if (value.size() < 128) {
    b.push_back(static_cast<std::uint8_t>(value.size()));
  } else {
    b.push_back(0x82);
    b.push_back(static_cast<std::uint8_t>(value.size() >> 8));
    b.push_back(static_cast<std::uint8_t>(value.size()));
  }
  b.insert(b.end(), value.begin(), value.end());
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes integer(std::int32_t v) {
  Bytes b;
  int n = 4;
  while (n > 1 && ((v >> (8 * (n - 1) - 1)) == 0 || (v >> (8 * (n - 1) - 1)) == -1)) --n;
  for (int i = n - 1; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return tlv(2, b);
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

const Bytes kSysDescr = tlv(6, {0x2b, 6, 1, 2, 1, 1, 1, 0});

Bytes varbind(const Bytes& oid, const Bytes& value) { return tlv(0x30, cat({oid, value})); }

Bytes snmp_pdu(std::uint8_t type, std::int32_t id, std::int32_t status, std::int32_t index,
               const std::vector<Bytes>& varbinds) {
  Bytes list;
  for (const Bytes& v : varbinds) list.insert(list.end(), v.begin(), v.end());
  return tlv(static_cast<std::uint8_t>(0xa0 + type),
             cat({integer(id), integer(status), integer(index), tlv(0x30, list)}));
}

Bytes snmp_message(std::int32_t version, std::string_view community, const Bytes& pdu) {
  return tlv(0x30, cat({integer(version), tlv(4, text(community)), pdu}));
}

const Bytes kEngine{0x80, 0, 0x1f, 0x88, 4};

// An SNMPv3 message: header (msgID, msgMaxSize, msgFlags, security model), USM parameters,
// then `rest` (the scoped PDU).
Bytes snmp_v3(std::uint8_t flags, std::int32_t model, const Bytes& rest,
              const Bytes& usm = tlv(0x30, cat({tlv(4, kEngine), integer(3), integer(1234),
                                                tlv(4, text("user")), tlv(4, {}), tlv(4, {})}))) {
  const Bytes header = tlv(0x30, cat({integer(77), integer(65507), tlv(4, {flags}), integer(model)}));
  return tlv(0x30, cat({integer(3), header, tlv(4, usm), rest}));
}

std::vector<Bytes> snmp_frames() {
  const Bytes null = tlv(5, {});
  std::vector<Bytes> m;
  m.push_back(snmp_message(1, "public", snmp_pdu(0, 4660, 0, 0, {varbind(kSysDescr, null)})));
  m.push_back(snmp_message(1, "private", snmp_pdu(1, 1, 0, 0, {varbind(kSysDescr, null)})));
  m.push_back(snmp_message(1, "public", snmp_pdu(5, 2, 0, 10, {varbind(kSysDescr, null)})));
  m.push_back(snmp_message(
      0, "public",
      snmp_pdu(2, -3, 2, 1,
               {varbind(kSysDescr, tlv(4, text("Linux box 5.10"))),
                varbind(kSysDescr, tlv(0x46, {1, 2, 3, 4, 5, 6, 7, 8, 9})),
                varbind(kSysDescr, tlv(0x41, {5})), varbind(kSysDescr, tlv(0x42, {0xff, 0xff})),
                varbind(kSysDescr, tlv(0x43, {1, 0, 0})),
                varbind(kSysDescr, tlv(0x40, {10, 0, 0, 1})),
                varbind(kSysDescr, tlv(0x40, {10, 0, 1})), varbind(kSysDescr, tlv(4, {1, 2, 0xff})),
                varbind(kSysDescr, tlv(4, {})), varbind(kSysDescr, tlv(0x80, {})),
                varbind(kSysDescr, tlv(0x81, {})), varbind(kSysDescr, tlv(0x82, {})),
                varbind(kSysDescr, tlv(6, {0x2b, 6, 1, 4, 1, 0x82, 0x37, 1})),
                varbind(kSysDescr, tlv(6, {0x81, 0x00, 5})),
                varbind(kSysDescr, tlv(0x44, text("ab"))), varbind(kSysDescr, tlv(0x83, {})),
                varbind(kSysDescr, integer(-129)), varbind(kSysDescr, null),
                varbind(kSysDescr, tlv(2, {}))})));
  m.push_back(snmp_message(
      0, "public",
      tlv(0xa4, cat({tlv(6, {0x2b, 6, 1, 4, 1, 9}), tlv(0x40, {10, 0, 0, 1}), integer(6),
                     integer(5), tlv(0x43, {1, 0}), tlv(0x30, varbind(kSysDescr, integer(-5)))}))));
  m.push_back(snmp_message(
      0, "public",
      tlv(0xa4, cat({tlv(6, {0x2b, 6, 1, 4, 1, 9}), tlv(0x40, {10, 0, 0, 1}), integer(2),
                     integer(5), tlv(0x43, {1, 0}), tlv(0x30, {})}))));
  m.push_back(snmp_message(1, "public", snmp_pdu(3, 4, 1, 0, {varbind(kSysDescr, integer(7))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(2, 4, 0, 3, {varbind(kSysDescr, integer(7))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(2, 4, 5, 0, {varbind(kSysDescr, integer(7))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(2, 4, 40, 1, {})));
  m.push_back(snmp_message(1, "public", snmp_pdu(0, 4, 0, 2, {varbind(kSysDescr, integer(1))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(7, 5, 0, 0, {varbind(kSysDescr, integer(7))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(6, 5, 0, 0, {varbind(kSysDescr, integer(7))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(8, 5, 0, 0, {})));
  m.push_back(snmp_message(0, "public", snmp_pdu(7, 4, 0, 0, {varbind(kSysDescr, integer(7))})));
  m.push_back(snmp_message(1, "public", tlv(0xa4, {})));
  m.push_back(snmp_message(2, "public", snmp_pdu(0, 1, 0, 0, {})));
  m.push_back(tlv(0x30, cat({integer(1), tlv(4, text("public")), tlv(0xa0, {2, 0})})));
  m.push_back(tlv(0x31, {}));
  m.push_back(tlv(0x30, cat({integer(1), tlv(0x24, {})})));
  m.push_back(tlv(0x30, cat({tlv(4, {}), integer(1)})));
  for (const Bytes& bad : {Bytes{0x1f}, Bytes{0x5f, 0x81, 0x01, 0}, Bytes{0xc1, 0},
                           Bytes{0x47, 0}, Bytes{0x07, 0}, Bytes{0xe1, 0}, Bytes{0xc0, 0},
                           Bytes{0x60, 0}, Bytes{0x04, 0x85, 1}, Bytes{0x04, 0x81},
                           Bytes{0x04, 0x09, 1}, Bytes{0x30, 0x82, 0, 1, 5}})
    m.push_back(tlv(0x30, cat({integer(1), tlv(4, text("public")), bad})));
  m.push_back(snmp_message(1, "public", snmp_pdu(0, 1, 0, 0, {tlv(0x30, cat({integer(1), null}))})));
  m.push_back(snmp_message(1, "public", snmp_pdu(0, 1, 0, 0, {integer(1)})));
  m.push_back(snmp_message(1, "public", tlv(0xa0, cat({tlv(4, {}), integer(0)}))));
  m.push_back(snmp_message(1, "pub\x01lic", snmp_pdu(0, 1, 0, 0, {varbind(kSysDescr, integer(1))})));
  m.push_back(cat({snmp_message(1, "public", snmp_pdu(0, 1, 0, 0, {})), Bytes{0, 0}}));
  {  // SNMPv3
    const Bytes get = snmp_pdu(0, 4660, 0, 0, {varbind(kSysDescr, null)});
    const Bytes scoped = tlv(0x30, cat({tlv(4, kEngine), tlv(4, text("ctx")), get}));
    m.push_back(snmp_v3(0x04, 3, scoped));
    m.push_back(snmp_v3(0x07, 3, tlv(4, {1, 2})));
    m.push_back(snmp_v3(0x00, 2, scoped));
    m.push_back(snmp_v3(0x02, 3, scoped));
    m.push_back(snmp_v3(0x05, 3, tlv(0x30, cat({integer(1), tlv(4, {}), get}))));
    m.push_back(snmp_v3(0x01, 3, tlv(0x30, cat({tlv(4, {}), integer(1), get}))));
    m.push_back(snmp_v3(0x01, 3, tlv(0x30, cat({tlv(4, {}), tlv(4, {}), integer(1)}))));
    m.push_back(snmp_v3(0x03, 3, scoped, tlv(0x30, cat({tlv(4, kEngine), integer(3)}))));
    m.push_back(snmp_v3(0x03, 3, scoped, integer(5)));
    m.push_back(snmp_v3(0x03, 3, scoped, tlv(0x30, cat({integer(1)}))));
    m.push_back(tlv(0x30, cat({integer(3), integer(5)})));
    m.push_back(tlv(0x30, cat({integer(3), tlv(0x30, cat({tlv(4, {}), integer(1)}))})));
    m.push_back(tlv(0x30, cat({integer(3), tlv(0x30, cat({integer(1), tlv(4, {})}))})));
    m.push_back(tlv(0x30, cat({integer(3), tlv(0x30, cat({integer(1), integer(2), integer(4)}))})));
    m.push_back(tlv(0x30, cat({integer(3), tlv(0x30, cat({integer(1), integer(2), tlv(4, {1, 2})}))})));
    m.push_back(tlv(0x30, cat({integer(3), tlv(0x30, cat({integer(1), integer(2), tlv(4, {1}), tlv(4, {})}))})));
    m.push_back(tlv(0x30, cat({integer(3),
                               tlv(0x30, cat({integer(1), integer(2), tlv(4, {1}), integer(3), integer(9)})),
                               tlv(4, {})})));
    m.push_back(tlv(0x30, cat({integer(3), tlv(0x30, cat({integer(1), integer(2), tlv(4, {1}), integer(3)})),
                               integer(1)})));
  }
  std::vector<Bytes> f;
  for (std::size_t i = 0; i < m.size(); ++i)
    f.push_back(udp4(i % 3 == 0 ? 161 : 40000, i % 3 == 0 ? 40000 : (i % 3 == 1 ? 161 : 162), m[i]));
  return f;
}

}  // namespace

TEST_SUITE("print_apps") {
  TEST_CASE("SNMP golden lines") {
    const Bytes get = udp4(40000, 161, snmp_message(1, "public", snmp_pdu(0, 4660, 0, 0, {varbind(kSysDescr, tlv(5, {}))})));
    CHECK(print_one(get, no_time()) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.161:  GetRequest(26)  .1.3.6.1.2.1.1.1.0\n");
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(get, v).ends_with(
        "192.0.2.1.40000 > 198.51.100.2.161:  { SNMPv2c { GetRequest(26) R=4660  "
        ".1.3.6.1.2.1.1.1.0 } } \n"));
    CHECK(print_one(cut(get, get.size() - 1), no_time(), 1, static_cast<std::uint32_t>(get.size())) ==
          "IP 192.0.2.1.40000 > 198.51.100.2.161:   [|snmp]\n");
    const Bytes v3 = udp4(40000, 161, snmp_v3(0x04, 3, tlv(0x30, cat({tlv(4, kEngine), tlv(4, text("ctx")), snmp_pdu(0, 4660, 0, 0, {varbind(kSysDescr, tlv(5, {}))})}))));
    CHECK(print_one(v3, no_time()).ends_with(
        ":  F=r U=\"user\" E=_80_00_1f_88_04 C=\"ctx\" GetRequest(26)  .1.3.6.1.2.1.1.1.0\n"));
    CHECK(print_one(v3, v).ends_with(
        ":  { SNMPv3 { F=r } { USM B=3 T=1234 U=\"user\" } { ScopedPDU E=_80_00_1f_88_04 "
        "C=\"ctx\" { GetRequest(26) R=4660  .1.3.6.1.2.1.1.1.0 } } } \n"));
  }

  TEST_CASE("a cut message's dump starts where tcpdump's does (-x, -e -v -X)") {
    std::vector<FlagCase> dumps;
    for (FlagCase& c : flag_cases())
      if (c.flags == "-x" || c.flags == "-e -v -X") dumps.push_back(std::move(c));
    const std::vector<Bytes> snmp = snmp_frames(), ntps = ntp_frames();
    agree_whole_and_cut(FrameSet{1, {snmp[0], snmp[3], ntps[1], ntps[16], syslog4("<13>message")}},
                        dumps, 14 + 20 + 8);
  }

  TEST_CASE("agrees with tcpdump on SNMP, whole and cut") {
    agree_whole_and_cut(FrameSet{1, snmp_frames()}, dissector_flag_cases(), 14 + 20 + 8);
    MESSAGE("lines compared with tcpdump so far: " << agreement_lines());
  }


  TEST_CASE("NTP golden lines") {
    const Bytes f = udp4(123, 40000, ntp(0x24, 2, 6, -23));
    CHECK(print_one(f, no_time()) ==
          "IP 192.0.2.1.123 > 198.51.100.2.40000: NTPv4, Server, length 48\n");
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(f, v).ends_with(
        "NTPv4, Server, length 48\n"
        "\tLeap indicator:  (0), Stratum 2 (secondary reference), poll 6 (64s), precision -23\n"
        "\tRoot Delay: 0.004440, Root dispersion: 1.016937, Reference-ID: 0xc0000201\n"
        "\t  Reference Timestamp:  3908083968.003906250 (2023-11-04T10:52:48Z)\n"
        "\t  Originator Timestamp: 3908084146.500000000 (2023-11-04T10:55:46Z)\n"
        "\t  Receive Timestamp:    3908084147.250000000 (2023-11-04T10:55:47Z)\n"
        "\t  Transmit Timestamp:   3908084145.562500000 (2023-11-04T10:55:45Z)\n"
        "\t    Originator - Receive Timestamp:  +0.750000000\n"
        "\t    Originator - Transmit Timestamp: -0.937500000\n"));
  }

  TEST_CASE("agrees with tcpdump on NTP, whole and cut") {
    agree_whole_and_cut(FrameSet{1, ntp_frames()}, dissector_flag_cases(), 14 + 20 + 8);
    MESSAGE("lines compared with tcpdump so far: " << agreement_lines());
  }


  TEST_CASE("syslog golden lines") {
    const Bytes f = syslog4("<134>Dec  2 13:00:00 host app: hello");
    CHECK(print_one(f, no_time()) ==
          "IP 192.0.2.1.514 > 198.51.100.2.514: SYSLOG local0.info, length: 36\n");
    PrintOptions v = no_time();
    v.verbose = 1;
    CHECK(print_one(f, v).ends_with(
        "    192.0.2.1.514 > 198.51.100.2.514: SYSLOG, length: 36\n"
        "\tFacility local0 (16), Severity info (6)\n"
        "\tMsg: Dec  2 13:00:00 host app: hello\n"));
  }

  TEST_CASE("agrees with tcpdump on syslog, whole and cut") {
    std::vector<Bytes> frames;
    for (std::string_view m :
         {"<134>Dec  2 13:00:00 host app: hello world, a message longer than a line",
          "<0>kernel panic", "<191>last", "<13>", "<999>x", "<1000>x", "<12", "<ab>x",
          "no priority", "<30>tab\there\x01\x7f\x80\xff end", "<1>"})
      frames.push_back(syslog4(m, 40000));
    agree_whole_and_cut(FrameSet{1, frames}, dissector_flag_cases(), 14 + 20 + 8);
    MESSAGE("lines compared with tcpdump: " << agreement_lines());
  }
}
