// The link types of print_link.cpp and print_80211.cpp (PPP, PPP in HDLC framing, Cisco HDLC,
// Linux NFLOG, IP over InfiniBand, 802.11 bare and with radiotap): golden
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


// ---- 802.11 ----

void le16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}

const Bytes kAp{0x02, 0, 0, 0, 0, 1}, kSta{0x02, 0, 0, 0, 0, 2}, kOther{0x02, 0, 0, 0, 0, 3},
    kBroadcast(6, 0xff);

// An 802.11 header: frame control, duration, up to four addresses, sequence control.
Bytes wifi_header(std::uint16_t fc, const Bytes& a1, const Bytes& a2, const Bytes& a3,
                  const Bytes* a4 = nullptr, bool qos = false) {
  Bytes b;
  le16(b, fc);
  le16(b, 314);
  b.insert(b.end(), a1.begin(), a1.end());
  b.insert(b.end(), a2.begin(), a2.end());
  b.insert(b.end(), a3.begin(), a3.end());
  le16(b, 0x0120);
  if (a4 != nullptr) b.insert(b.end(), a4->begin(), a4->end());
  if (qos) le16(b, 0x0005);
  return b;
}

Bytes elements(const std::string& ssid, bool with_rates = true, int channel = 6) {
  Bytes b{0, static_cast<std::uint8_t>(ssid.size())};
  b.insert(b.end(), ssid.begin(), ssid.end());
  if (with_rates) b.insert(b.end(), {1, 8, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24});
  if (channel >= 0) b.insert(b.end(), {3, 1, static_cast<std::uint8_t>(channel)});
  b.insert(b.end(), {5, 4, 0, 1, 0, 0});  // TIM
  b.insert(b.end(), {0xdd, 3, 0x00, 0x50, 0xf2});  // vendor
  return b;
}

Bytes beacon_body(std::uint16_t capability, const std::string& ssid) {
  Bytes b(8, 0x11);  // timestamp
  le16(b, 100);
  le16(b, capability);
  const Bytes e = elements(ssid);
  b.insert(b.end(), e.begin(), e.end());
  return b;
}

Bytes snap(std::uint16_t ethertype, const Bytes& packet) {
  Bytes b{0xaa, 0xaa, 0x03, 0, 0, 0, static_cast<std::uint8_t>(ethertype >> 8),
          static_cast<std::uint8_t>(ethertype)};
  b.insert(b.end(), packet.begin(), packet.end());
  return b;
}

std::vector<Bytes> wifi_frames() {
  std::vector<Bytes> f;
  auto mgmt = [&](unsigned subtype, const Bytes& body, std::uint16_t flags = 0) {
    Bytes b = wifi_header(static_cast<std::uint16_t>(subtype << 4 | flags), kBroadcast, kAp, kAp);
    b.insert(b.end(), body.begin(), body.end());
    f.push_back(b);
  };
  mgmt(8, beacon_body(0x0411, "slimcap-test"));
  mgmt(8, beacon_body(0x0002, std::string("o\x01" "dd\xe9", 5)));  // IBSS, odd SSID bytes
  mgmt(4, elements("", true, -1));                                   // probe request
  mgmt(5, beacon_body(0x0011, "resp"));                              // probe response
  {
    Bytes body;
    le16(body, 0x0431);
    le16(body, 10);
    const Bytes e = elements("assoc", true, -1);
    body.insert(body.end(), e.begin(), e.end());
    mgmt(0, body);  // assoc request
  }
  {
    Bytes body;
    le16(body, 0x0411);
    le16(body, 0);
    le16(body, 0xc001);
    mgmt(1, body);  // assoc response, success
    Bytes refused;
    le16(refused, 0x0001);
    le16(refused, 17);
    le16(refused, 0xc002);
    mgmt(3, refused);  // reassoc response, refused
  }
  {
    Bytes body;
    le16(body, 0x0431);
    le16(body, 10);
    body.insert(body.end(), kOther.begin(), kOther.end());
    const Bytes e = elements("roam", false, -1);
    body.insert(body.end(), e.begin(), e.end());
    mgmt(2, body);  // reassoc request
  }
  for (std::uint16_t seq : {1, 2}) {  // authentication, open system
    Bytes body;
    le16(body, 0);
    le16(body, seq);
    le16(body, 0);
    mgmt(11, body);
  }
  {
    Bytes body;
    le16(body, 1);
    le16(body, 3);
    le16(body, 0);
    body.insert(body.end(), {16, 4, 'a', 'b', 'c', 'd'});
    mgmt(11, body);  // shared key with a challenge
  }
  {
    Bytes body;
    le16(body, 3);
    mgmt(12, body);  // deauthentication
    Bytes d;
    le16(d, 8);
    mgmt(10, d);  // disassociation
    Bytes r;
    le16(r, 200);
    mgmt(12, r);  // a reason code past the table
  }
  mgmt(13, {3, 0, 1, 2, 3});   // action: BA ADDBA request
  mgmt(13, {7, 1});            // HT MIMOPwrSave
  mgmt(13, {42, 9});           // reserved category
  mgmt(9, {});                 // ATIM
  mgmt(14, {1, 2, 3});         // unhandled subtype
  mgmt(8, {1, 2, 3, 4, 5, 6, 7, 8}, 0x4000);  // protected management frame
  // Control frames.
  {
    Bytes ack;
    le16(ack, 0x00d4);
    le16(ack, 0);
    ack.insert(ack.end(), kSta.begin(), kSta.end());
    f.push_back(ack);
    Bytes cts = ack;
    cts[0] = 0xc4;
    f.push_back(cts);
    Bytes rts = ack;
    rts[0] = 0xb4;
    rts.insert(rts.end(), kAp.begin(), kAp.end());
    f.push_back(rts);
    Bytes pspoll = rts;
    pspoll[0] = 0xa4;
    pspoll[2] = 0x05;
    pspoll[3] = 0xc0;
    f.push_back(pspoll);
    Bytes cfend = rts;
    cfend[0] = 0xe4;
    f.push_back(cfend);
    Bytes ba = ack;
    ba[0] = 0x94;
    f.push_back(ba);
    Bytes bar = rts;
    bar[0] = 0x84;
    le16(bar, 0x0004);
    le16(bar, 0x0150);
    f.push_back(bar);
    Bytes unknown = ack;
    unknown[0] = 0x34;  // control subtype 3
    f.push_back(unknown);
    Bytes reserved = ack;
    reserved[0] = 0x0c;  // type 3
    f.push_back(reserved);
  }
  // Data frames.
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  const Bytes udp = ipv4_packet(ip, udp_datagram(40000, 5004, Bytes(12, 'x')));
  auto data = [&](std::uint16_t fc, const Bytes& payload, bool four = false, bool qos = false) {
    Bytes b = wifi_header(fc, kAp, kSta, kOther, four ? &kOther : nullptr, qos);
    b.insert(b.end(), payload.begin(), payload.end());
    f.push_back(b);
  };
  data(0x0108, snap(0x0800, udp));               // to DS
  data(0x0208, snap(0x0800, udp));               // from DS
  data(0x0008, snap(0x0800, udp));               // neither
  data(0x0308, snap(0x0800, udp), true);         // both: four addresses
  data(0x0188, snap(0x0800, udp), false, true);  // QoS data
  data(0x0118, snap(0x0800, udp));               // data + CF-Ack
  {
    Ipv6Spec ip6;
    ip6.next_header = ip_proto::kUdp;
    data(0x0108, snap(0x86dd, ipv6_packet(ip6, udp_datagram(40000, 5004, Bytes(10, 'y')))));
  }
  data(0x0108, snap(0x0806, arp_packet(1, mac("02:00:00:00:00:02"), ipv4("192.0.2.2"), Mac{},
                                       ipv4("192.0.2.1"))));
  data(0x0148, {});                       // null function (no data)
  data(0x4108, Bytes{1, 2, 3, 0x40, 9, 9, 9, 9});  // protected
  data(0x1908, snap(0x0800, udp));        // retry, power management (shown with -e -v)
  return f;
}

// A radiotap header with the fields tcpdump prints most often, in front of `frame`.
Bytes radiotap(const Bytes& frame, bool fcs, int variant = 0) {
  Bytes h{0, 0, 0, 0};
  Bytes fields;
  std::uint32_t present = 0;
  auto align = [&](std::size_t n) {
    while ((8 + fields.size()) % n != 0) fields.push_back(0);
  };
  if (variant == 0) {
    present = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 5) | (1u << 6) | (1u << 11);
    for (int i = 0; i < 8; ++i) fields.push_back(static_cast<std::uint8_t>(0x15 + i));  // TSFT
    fields.push_back(static_cast<std::uint8_t>(fcs ? 0x12 : 0x02));  // flags: short preamble
    fields.push_back(0x6c);                                          // 54 Mb/s
    align(2);
    le16(fields, 2437);
    le16(fields, 0x00c0);  // 2 GHz OFDM: 11g
    fields.push_back(static_cast<std::uint8_t>(-47));
    fields.push_back(static_cast<std::uint8_t>(-95));
    fields.push_back(1);
  } else if (variant == 1) {  // 11n: flags, channel, signal, MCS, and an extended bitmap
    present = (1u << 1) | (1u << 3) | (1u << 5) | (1u << 19) | (1u << 31);
    fields.insert(fields.end(), {0, 0, 0, 0});  // the second presence word (empty)
    fields.push_back(static_cast<std::uint8_t>(fcs ? 0x10 : 0));
    align(2);
    le16(fields, 5180);
    le16(fields, 0x0140);  // 5 GHz OFDM: 11a (11n shown because of MCS)
    fields.push_back(static_cast<std::uint8_t>(-60));
    fields.push_back(0x1f);  // MCS known: bandwidth, index, GI, format, FEC
    fields.push_back(0x05);  // 40 MHz, short GI
    fields.push_back(7);
  } else {  // 11b with dB signal and noise, lock quality, TX attenuation, RX flags
    present = (1u << 2) | (1u << 3) | (1u << 7) | (1u << 8) | (1u << 12) | (1u << 13) |
              (1u << 14);
    fields.push_back(0x16);  // 11 Mb/s
    align(2);
    le16(fields, 2412);
    le16(fields, 0x00a0);
    le16(fields, 42);
    le16(fields, 3);
    fields.push_back(30);
    fields.push_back(5);
    align(2);
    le16(fields, 0);
  }
  const std::uint16_t length = static_cast<std::uint16_t>(8 + fields.size());
  h[2] = static_cast<std::uint8_t>(length);
  h[3] = static_cast<std::uint8_t>(length >> 8);
  for (int i = 0; i < 4; ++i) h.push_back(static_cast<std::uint8_t>(present >> (8 * i)));
  h.insert(h.end(), fields.begin(), fields.end());
  h.insert(h.end(), frame.begin(), frame.end());
  if (fcs) h.insert(h.end(), {0xde, 0xad, 0xbe, 0xef});
  return h;
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
  {
    const Bytes lcp{0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78};
    FrameSet s{link_type::kPpp, {}};
    s.frames.push_back(join({0xff, 0x03, 0x00, 0x21}, udp4()));
    s.frames.push_back(join({0x00, 0x21}, udp4()));  // no address and control
    s.frames.push_back(join({0x21}, udp4()));        // compressed protocol field
    s.frames.push_back(join({0xff, 0x03, 0x00, 0x57}, udp6()));
    s.frames.push_back(join({0xff, 0x03, 0xc0, 0x21}, lcp));
    s.frames.push_back(join({0x00, 0x03, 0x00, 0x21}, tcp4()));  // pppd: in
    s.frames.push_back(join({0x01, 0x03, 0x00, 0x21}, tcp4()));  // pppd: out
    s.frames.push_back(join({0xff, 0x03, 0x12, 0x34}, Bytes(6, 0x5a)));  // unknown protocol
    sets.push_back(std::move(s));
    FrameSet h{link_type::kPppSerial, {}};
    h.frames.push_back(join({0xff, 0x03, 0x00, 0x21}, udp4()));
    h.frames.push_back(join({0xff, 0x03, 0x00, 0x57}, udp6()));
    h.frames.push_back(join({0xff, 0x03, 0xc0, 0x21}, lcp));
    h.frames.push_back(join({0x0f, 0x00, 0x08, 0x00}, udp4()));  // Cisco HDLC inside
    h.frames.push_back(join({0x42, 0x03, 0x00, 0x21}, udp4()));  // an unknown address
    h.frames.push_back(join({0xff, 0x03, 0x12, 0x34}, Bytes(6, 0x5a)));
    sets.push_back(std::move(h));
  }
  {
    FrameSet s{link_type::kIeee80211, wifi_frames()};
    sets.push_back(std::move(s));
  }
  {
    FrameSet s{link_type::kIeee80211Radiotap, {}};
    const std::vector<Bytes> frames = wifi_frames();
    for (std::size_t i = 0; i < frames.size(); ++i)
      s.frames.push_back(radiotap(frames[i], i % 2 == 1, static_cast<int>(i % 3)));
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
