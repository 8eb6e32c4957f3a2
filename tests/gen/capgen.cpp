// slimcap-capgen: writes deterministic captures for the README, the CLI tests and the benchmark,
// through slimcap's own PcapWriter.
//
//   --mix sample   ~60 hand-picked frames covering what the printer must match tcpdump on
//                  (TCP with options, UDP, ICMP errors with embedded datagrams, ICMPv6 ND, ARP,
//                  IPv4 options and fragments, IPv6 extension headers, 802.1Q/802.1ad,
//                  unknown ethertype and IP protocol, snaplen-cut frames).
//   --mix flows    N packets over --flows F distinct IPv6 conversations (2001:db8::/32), packet
//                  i in conversation i % F: for the memory of `stats --top` on a million flows.
//   --mix imix     N packets of a realistic size and protocol mix over thousands of flows.
//                  Built by patching headers into one frame buffer with checksums from
//                  precomputed payload sums: no allocation per packet, ~2 M packets in well
//                  under a second plus the writer's time.
//   --mix biflows  N packets over --flows F two-way conversations for the fanout tests: packet
//                  i in conversation (i / 2) % F, client to server when i is even, server to
//                  client when odd; conversations cycle IPv4 TCP, IPv4 UDP, IPv6 TCP, IPv6 UDP,
//                  each with its own address pair and client port (until 62,500 and 50,000
//                  conversations). The payload holds --seed and i, so every frame differs from
//                  every other, in one file and across seeds: a record captured twice is a
//                  duplicate.
//   --mix protocols  N packets rich in the protocols of issue 11, for the printer's benchmark:
//                  DNS queries and answers (A, AAAA, PTR, MX, TXT, CNAME chains, NXDomain,
//                  EDNS) over UDP and TCP and mDNS, VXLAN and GRE (with and without a key)
//                  carrying inner TCP, UDP and DNS, and the IMIX for the rest. Built with the
//                  frame builders (allocates per packet: ~1 M packets in a few seconds).
//   --mix fragments  5 frames for fanout --defrag: a UDP datagram, a 3,000-byte one in three
//                  IPv4 fragments (valid checksums, offsets and lengths: the kernel reassembles
//                  it), and a UDP datagram back.
//
// Only documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).
// The sample uses ports tcpdump does not dissect further, so every line is a plain transport
// line; `tcpdump -n -r` on the output is the check.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/pcap_writer.hpp"

namespace {

using slimcap::PacketView;
using slimcap::PcapWriter;
using slimcap::WriterOptions;
using namespace slimcap::test;

constexpr std::int64_t kEpochNs = 1'700'000'000LL * 1'000'000'000LL;

enum class Mix { imix, sample, flows, biflows, fragments, protocols };

struct Options {
  std::string output;
  Mix mix = Mix::imix;
  std::uint64_t packets = 200000;
  std::uint64_t seed = 1;
  std::uint64_t flows = 1000000;
  bool nano = false;
};

constexpr std::string_view kUsage =
    "usage: slimcap-capgen -o FILE [--mix imix|sample|flows|biflows|fragments|protocols]\n"
    "                      [--packets N]"
    " [--seed N] [--flows N] [--nano] [--link ethernet]\n"
    "  -o FILE        output capture (\"-\" for standard output; FILE.zst is zstd-compressed)\n"
    "  --mix MIX      imix (default): realistic mix for tests and benchmarks;\n"
    "                 sample: ~60 varied frames for the README and the tcpdump comparison;\n"
    "                 flows: --packets UDP/IPv6 packets over --flows distinct conversations;\n"
    "                 biflows: --packets TCP and UDP, IPv4 and IPv6 packets over --flows\n"
    "                 conversations, both directions; fragments: a 3-fragment UDP datagram;\n"
    "                 protocols: DNS, mDNS, VXLAN and GRE among the imix (printer benchmark)\n"
    "  --packets N    number of packets of the imix, flows, biflows and protocols\n"
    "                 (default 200000)\n"
    "  --seed N       seed of the imix (default 1); the same seed gives the same file;\n"
    "                 in biflows, written into every payload\n"
    "  --flows N      conversations of the flows and biflows mixes (default 1000000)\n"
    "  --nano         write a nanosecond-resolution file\n"
    "  --link TYPE    link type; only ethernet\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "slimcap-capgen: %s\n%.*s", message.c_str(),
               static_cast<int>(kUsage.size()), kUsage.data());
  std::exit(2);
}

std::uint64_t parse_number(std::string_view flag, const char* text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
    usage_error(std::string(flag) + ": not a number: " + text);
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  bool have_output = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage_error(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
      std::exit(0);
    } else if (arg == "-o") {
      o.output = value();
      have_output = true;
    } else if (arg == "--mix") {
      const std::string_view m = value();
      if (m == "imix") {
        o.mix = Mix::imix;
      } else if (m == "sample") {
        o.mix = Mix::sample;
      } else if (m == "flows") {
        o.mix = Mix::flows;
      } else if (m == "biflows") {
        o.mix = Mix::biflows;
      } else if (m == "fragments") {
        o.mix = Mix::fragments;
      } else if (m == "protocols") {
        o.mix = Mix::protocols;
      } else {
        usage_error("--mix: unknown mix " + std::string(m));
      }
    } else if (arg == "--packets") {
      o.packets = parse_number(arg, value());
    } else if (arg == "--flows") {
      o.flows = parse_number(arg, value());
      if (o.flows == 0) usage_error("--flows: needs at least 1");
    } else if (arg == "--seed") {
      o.seed = parse_number(arg, value());
    } else if (arg == "--nano") {
      o.nano = true;
    } else if (arg == "--link") {
      const std::string_view l = value();
      if (l != "ethernet" && l != "en10mb" && l != "EN10MB")
        usage_error("--link: only ethernet is supported");
    } else {
      usage_error("unknown argument " + std::string(arg));
    }
  }
  if (!have_output) usage_error("-o FILE is required");
  return o;
}

// ------------------------------------------------------------------------------------------
// The sample
// ------------------------------------------------------------------------------------------

struct SampleFrame {
  Bytes data;
  std::uint32_t wire_length = 0;  // 0: data.size(); larger: the frame was cut by the snaplen
};

Bytes text(std::size_t n, std::size_t start = 0) {
  static constexpr std::string_view kText =
      "slimcap sample payload: the quick brown fox jumps over the lazy dog 0123456789. ";
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(kText[(start + i) % kText.size()]);
  return b;
}

void put32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}

// Linux's SYN options: mss 1460, sackOK, TS val/ecr, nop, wscale 7.
Bytes syn_options(std::uint32_t tsval, std::uint32_t tsecr) {
  Bytes o{2, 4, 0x05, 0xb4, 4, 2, 8, 10};
  put32(o, tsval);
  put32(o, tsecr);
  o.insert(o.end(), {1, 3, 3, 7});
  return o;
}
// nop, nop, TS val/ecr: every segment after the handshake.
Bytes ts_options(std::uint32_t tsval, std::uint32_t tsecr) {
  Bytes o{1, 1, 8, 10};
  put32(o, tsval);
  put32(o, tsecr);
  return o;
}

struct Host {
  Mac mac;
  Ipv4 v4;
  Ipv6 v6;
};

class SampleBuilder {
 public:
  std::vector<SampleFrame> frames;

  Bytes eth(const Host& from, const Host& to, std::uint16_t ethertype, const Bytes& payload,
            std::vector<VlanTag> vlans = {}, bool pad = true) {
    EthernetSpec e;
    e.source = from.mac;
    e.destination = to.mac;
    e.ethertype = ethertype;
    e.vlans = std::move(vlans);
    e.pad = pad;
    return ethernet_frame(e, payload);
  }

  Ipv4Spec ip4(const Host& from, const Host& to, std::uint8_t protocol) {
    Ipv4Spec s;
    s.source = from.v4;
    s.destination = to.v4;
    s.protocol = protocol;
    s.id = next_id_;
    next_id_ = static_cast<std::uint16_t>(next_id_ + 0x1d3);
    return s;
  }
  Ipv6Spec ip6(const Host& from, const Host& to, std::uint8_t next_header) {
    Ipv6Spec s;
    s.source = from.v6;
    s.destination = to.v6;
    s.next_header = next_header;
    return s;
  }

  void add(Bytes frame, std::uint32_t wire_length = 0) {
    frames.push_back({std::move(frame), wire_length});
  }

  Bytes tcp4(const Host& from, const Host& to, const TcpSpec& tcp, std::size_t payload,
             std::uint8_t tos = 0) {
    Ipv4Spec s = ip4(from, to, ip_proto::kTcp);
    s.tos = tos;
    return eth(from, to, 0x0800, ipv4_packet(s, tcp_segment(tcp, text(payload, tcp.seq))));
  }
  Bytes tcp6(const Host& from, const Host& to, const TcpSpec& tcp, std::size_t payload,
             std::uint32_t flow_label = 0) {
    Ipv6Spec s = ip6(from, to, ip_proto::kTcp);
    s.flow_label = flow_label;
    return eth(from, to, 0x86dd, ipv6_packet(s, tcp_segment(tcp, text(payload, tcp.seq))));
  }
  Bytes udp4(const Host& from, const Host& to, std::uint16_t sport, std::uint16_t dport,
             std::size_t payload, std::uint8_t tos = 0, std::vector<VlanTag> vlans = {}) {
    Ipv4Spec s = ip4(from, to, ip_proto::kUdp);
    s.tos = tos;
    return eth(from, to, 0x0800, ipv4_packet(s, udp_datagram(sport, dport, text(payload))),
               std::move(vlans));
  }
  Bytes udp6(const Host& from, const Host& to, std::uint16_t sport, std::uint16_t dport,
             std::size_t payload, std::vector<VlanTag> vlans = {}) {
    return eth(from, to, 0x86dd,
               ipv6_packet(ip6(from, to, ip_proto::kUdp), udp_datagram(sport, dport, text(payload))),
               std::move(vlans));
  }

 private:
  std::uint16_t next_id_ = 0x3a41;
};

TcpSpec tcp(std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack,
            std::uint8_t flags, std::uint16_t window, Bytes options = {}) {
  TcpSpec t;
  t.source_port = sport;
  t.destination_port = dport;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = window;
  t.options = std::move(options);
  return t;
}

std::vector<SampleFrame> sample_frames() {
  using namespace tcp_flag;
  const Host client{mac("02:00:00:00:00:0a"), ipv4("192.0.2.10"), ipv6("2001:db8::10")};
  const Host server{mac("02:00:00:00:00:14"), ipv4("198.51.100.20"), ipv6("2001:db8:1::20")};
  const Host other{mac("02:00:00:00:00:05"), ipv4("203.0.113.5"), ipv6("2001:db8:2::5")};
  const Host router{mac("02:00:00:00:00:01"), ipv4("192.0.2.1"), ipv6("2001:db8::1")};
  SampleBuilder b;

  // A whole TCP connection with Linux's options: handshake, data both ways, FIN both ways.
  {
    const std::uint32_t c = 1000000, s = 2000000;
    b.add(b.tcp4(client, server, tcp(41000, 5001, c, 0, kSyn, 64240, syn_options(100, 0)), 0));
    b.add(b.tcp4(server, client, tcp(5001, 41000, s, c + 1, kSyn | kAck, 65160, syn_options(200, 100)), 0));
    b.add(b.tcp4(client, server, tcp(41000, 5001, c + 1, s + 1, kAck, 502, ts_options(101, 200)), 0));
    b.add(b.tcp4(client, server, tcp(41000, 5001, c + 1, s + 1, kPsh | kAck, 502, ts_options(102, 200)), 120));
    b.add(b.tcp4(server, client, tcp(5001, 41000, s + 1, c + 121, kAck, 509, ts_options(201, 102)), 0));
    b.add(b.tcp4(server, client, tcp(5001, 41000, s + 1, c + 121, kPsh | kAck, 509, ts_options(202, 102)), 300));
    b.add(b.tcp4(client, server, tcp(41000, 5001, c + 121, s + 301, kAck, 501, ts_options(103, 202)), 0));
    b.add(b.tcp4(client, server, tcp(41000, 5001, c + 121, s + 301, kPsh | kAck, 501, ts_options(104, 202)), 512, 0x10));
    b.add(b.tcp4(client, server, tcp(41000, 5001, c + 633, s + 301, kFin | kAck, 501, ts_options(105, 202)), 0));
    b.add(b.tcp4(server, client, tcp(5001, 41000, s + 301, c + 634, kFin | kAck, 509, ts_options(203, 105)), 0));
    b.add(b.tcp4(client, server, tcp(41000, 5001, c + 634, s + 302, kAck, 501, ts_options(106, 203)), 0));
  }
  // An ECN-setup SYN with Windows-style options, refused with RST-ACK.
  b.add(b.tcp4(client, server, tcp(41002, 5002, 3000000, 0, kSyn | kEce | kCwr, 64240,
                                   {2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2}), 0));
  b.add(b.tcp4(server, client, tcp(5002, 41002, 0, 3000001, kRst | kAck, 0), 0));
  {  // Urgent data.
    TcpSpec t = tcp(41004, 5003, 4000000, 5000000, kUrg | kPsh | kAck, 1024);
    t.urgent = 3;
    b.add(b.tcp4(client, other, t, 10));
  }
  // Congestion experienced on a data segment (ECN CE in the TOS byte, ECE in the reply).
  b.add(b.tcp4(client, other, tcp(41004, 5003, 4000010, 5000000, kPsh | kAck, 1024), 20, 0x03));
  b.add(b.tcp4(other, client, tcp(5003, 41004, 5000000, 4000030, kEce | kAck, 1024), 0, 0x02));
  // A bare RST.
  b.add(b.tcp4(other, client, tcp(5003, 41004, 5000000, 0, kRst, 0), 0));

  // TCP over IPv6, with a flow label on the data.
  {
    const std::uint32_t c = 7000000, s = 8000000;
    b.add(b.tcp6(client, server, tcp(42000, 5201, c, 0, kSyn, 64800, syn_options(300, 0)), 0));
    b.add(b.tcp6(server, client, tcp(5201, 42000, s, c + 1, kSyn | kAck, 64260, syn_options(400, 300)), 0));
    b.add(b.tcp6(client, server, tcp(42000, 5201, c + 1, s + 1, kAck, 507, ts_options(301, 400)), 0));
    b.add(b.tcp6(client, server, tcp(42000, 5201, c + 1, s + 1, kPsh | kAck, 507, ts_options(302, 400)), 64, 0x5a1c3));
    b.add(b.tcp6(server, client, tcp(5201, 42000, s + 1, c + 65, kAck, 502, ts_options(401, 302)), 0));
    b.add(b.tcp6(client, server, tcp(42000, 5201, c + 65, 0, kRst, 0), 0));
  }

  // UDP both ways, an expedited-forwarding datagram, an empty one, and IPv6.
  b.add(b.udp4(client, other, 50000, 5004, 32));
  b.add(b.udp4(other, client, 5004, 50000, 180));
  b.add(b.udp4(client, other, 50000, 5004, 160, 0xb8));
  b.add(b.udp4(client, other, 50002, 5005, 0));
  b.add(b.udp6(client, server, 50001, 5004, 48));
  b.add(b.udp6(server, client, 5004, 50001, 200));

  // ICMP echo, twice.
  for (std::uint16_t seq = 1; seq <= 2; ++seq) {
    Ipv4Spec q = b.ip4(client, server, ip_proto::kIcmp);
    b.add(b.eth(client, server, 0x0800, ipv4_packet(q, icmp_message(8, 0, 0x1f2eu << 16 | seq, text(56)))));
    Ipv4Spec r = b.ip4(server, client, ip_proto::kIcmp);
    r.dont_fragment = false;
    r.ttl = 63;
    b.add(b.eth(server, client, 0x0800, ipv4_packet(r, icmp_message(0, 0, 0x1f2eu << 16 | seq, text(56)))));
  }
  // Port unreachable, carrying the whole offending datagram (as Linux sends it).
  {
    Ipv4Spec inner = b.ip4(client, server, ip_proto::kUdp);
    inner.dont_fragment = false;
    const Bytes datagram = ipv4_packet(inner, udp_datagram(45000, 33434, text(24)));
    Ipv4Spec outer = b.ip4(server, client, ip_proto::kIcmp);
    outer.tos = 0xc0;
    outer.dont_fragment = false;
    b.add(b.eth(server, client, 0x0800, ipv4_packet(outer, icmp_message(3, 3, 0, datagram))));
  }
  // Time exceeded in transit, from a router, for a traceroute probe with TTL 1.
  {
    Ipv4Spec inner = b.ip4(client, server, ip_proto::kUdp);
    inner.dont_fragment = false;
    inner.ttl = 1;
    const Bytes datagram = ipv4_packet(inner, udp_datagram(45001, 33435, text(32)));
    Ipv4Spec outer = b.ip4(router, client, ip_proto::kIcmp);
    outer.tos = 0xc0;
    outer.dont_fragment = false;
    outer.ttl = 255;
    b.add(b.eth(router, client, 0x0800, ipv4_packet(outer, icmp_message(11, 0, 0, datagram))));
  }

  // Host unreachable from a router, quoting only the IP header and 8 bytes of a TCP SYN, as
  // RFC 792 routers do.
  {
    Ipv4Spec inner = b.ip4(client, other, ip_proto::kTcp);
    const Bytes syn = ipv4_packet(inner, tcp_segment(tcp(41010, 5015, 4200000, 0, kSyn, 64240, syn_options(600, 0)), {}));
    const Bytes quoted(syn.begin(), syn.begin() + 28);
    Ipv4Spec outer = b.ip4(router, client, ip_proto::kIcmp);
    outer.dont_fragment = false;
    outer.ttl = 255;
    b.add(b.eth(router, client, 0x0800, ipv4_packet(outer, icmp_message(3, 1, 0, quoted))));
  }
  // ICMPv6 echo, and neighbour discovery with link-layer address options.
  {
    b.add(b.eth(client, server, 0x86dd,
                ipv6_packet(b.ip6(client, server, ip_proto::kIcmpv6), icmp_message(128, 0, 0x0042u << 16 | 1, text(56)))));
    b.add(b.eth(server, client, 0x86dd,
                ipv6_packet(b.ip6(server, client, ip_proto::kIcmpv6), icmp_message(129, 0, 0x0042u << 16 | 1, text(56)))));
    const Ipv6 target = ipv6("2001:db8::20");
    Bytes ns(target.begin(), target.end());
    ns.insert(ns.end(), {1, 1});
    ns.insert(ns.end(), client.mac.begin(), client.mac.end());
    Ipv6Spec s = b.ip6(client, server, ip_proto::kIcmpv6);
    s.destination = ipv6("ff02::1:ff00:20");
    s.hop_limit = 255;
    const Host solicited{mac("33:33:ff:00:00:20"), {}, {}};
    b.add(b.eth(client, solicited, 0x86dd, ipv6_packet(s, icmp_message(135, 0, 0, ns))));
    Bytes na(target.begin(), target.end());
    na.insert(na.end(), {2, 1});
    na.insert(na.end(), server.mac.begin(), server.mac.end());
    Ipv6Spec a = b.ip6(server, client, ip_proto::kIcmpv6);
    a.source = target;
    a.hop_limit = 255;
    b.add(b.eth(server, client, 0x86dd, ipv6_packet(a, icmp_message(136, 0, 0x60000000, na))));
  }

  // ARP: an outgoing request (not padded, as captured on the sender) and a padded reply.
  {
    const Host broadcast{mac("ff:ff:ff:ff:ff:ff"), {}, {}};
    b.add(b.eth(client, broadcast, 0x0806,
                arp_packet(1, client.mac, client.v4, mac("00:00:00:00:00:00"), router.v4), {}, false));
    b.add(b.eth(router, client, 0x0806, arp_packet(2, router.mac, router.v4, client.mac, client.v4)));
  }

  // IPv4 with a router alert option.
  {
    Ipv4Spec s = b.ip4(client, other, ip_proto::kUdp);
    s.options = {0x94, 0x04, 0x00, 0x00};
    s.ttl = 1;
    b.add(b.eth(client, other, 0x0800, ipv4_packet(s, udp_datagram(50003, 5006, text(40)))));
  }
  // A UDP datagram of 2000 bytes in two IPv4 fragments.
  {
    Ipv4Spec whole = b.ip4(client, other, ip_proto::kUdp);
    whole.dont_fragment = false;
    const Bytes packet = ipv4_packet(whole, udp_datagram(50004, 5007, text(2000)));
    const Bytes udp(packet.begin() + 20, packet.end());  // with its checksum filled in
    Ipv4Spec first = whole;
    first.more_fragments = true;
    b.add(b.eth(client, other, 0x0800, ipv4_packet(first, std::span(udp).first(1480))));
    Ipv4Spec second = whole;
    second.fragment_offset = 1480 / 8;
    b.add(b.eth(client, other, 0x0800, ipv4_packet(second, std::span(udp).subspan(1480))));
  }
  // IPv6 with hop-by-hop (router alert + PadN) and destination options (PadN) before UDP.
  {
    Ipv6Spec s = b.ip6(client, server, ip_proto::kUdp);
    s.extensions = {{ip_proto::kIpv6HopByHop, {5, 2, 0, 0, 1, 0}},
                    {ip_proto::kIpv6DestOpts, {1, 4, 0, 0, 0, 0}}};
    b.add(b.eth(client, server, 0x86dd, ipv6_packet(s, udp_datagram(50005, 5008, text(20)))));
  }
  // A UDP datagram of 1600 bytes in two IPv6 fragments.
  {
    Ipv6Spec whole = b.ip6(client, server, ip_proto::kUdp);
    const Bytes packet = ipv6_packet(whole, udp_datagram(50006, 5009, text(1600)));
    const Bytes udp(packet.begin() + 40, packet.end());
    Ipv6Spec first = whole;
    first.extensions = {{ip_proto::kIpv6Frag, ipv6_fragment_body(0, true, 0x1234abcd)}};
    b.add(b.eth(client, server, 0x86dd, ipv6_packet(first, std::span(udp).first(1448))));
    Ipv6Spec second = whole;
    second.extensions = {{ip_proto::kIpv6Frag, ipv6_fragment_body(1448 / 8, false, 0x1234abcd)}};
    b.add(b.eth(client, server, 0x86dd, ipv6_packet(second, std::span(udp).subspan(1448))));
  }

  // 802.1Q and 802.1ad (QinQ) frames.
  b.add(b.udp4(client, other, 50007, 5010, 40, 0, {{0x8100, 100, 0, false}}));
  {
    Ipv4Spec s = b.ip4(client, server, ip_proto::kTcp);
    b.add(b.eth(client, server, 0x0800,
                ipv4_packet(s, tcp_segment(tcp(41006, 5011, 9000000, 9100000, kAck, 1000), {})),
                {{0x8100, 100, 3, false}}));
  }
  b.add(b.udp4(client, other, 50008, 5012, 60, 0, {{0x88a8, 200, 0, false}, {0x8100, 100, 0, false}}));
  b.add(b.udp6(client, server, 50009, 5013, 30, {{0x8100, 300, 5, false}}));
  {
    Ipv6Spec s = b.ip6(client, server, ip_proto::kTcp);
    b.add(b.eth(client, server, 0x86dd,
                ipv6_packet(s, tcp_segment(tcp(42002, 5014, 9500000, 0, kSyn, 64800, syn_options(500, 0)), {})),
                {{0x88a8, 201, 0, false}, {0x8100, 101, 0, false}}));
  }

  // An ethertype nobody dissects (IEEE local experimental) and an unassigned IP protocol.
  b.add(b.eth(client, other, 0x88b5, text(46)));
  {
    Ipv4Spec s = b.ip4(client, server, 253);
    b.add(b.eth(client, server, 0x0800, ipv4_packet(s, text(20))));
    Ipv6Spec s6 = b.ip6(client, server, 253);
    b.add(b.eth(client, server, 0x86dd, ipv6_packet(s6, text(20))));
  }

  // Frames cut by the snaplen: after the headers, and inside the TCP header.
  {
    Bytes full = b.tcp4(server, client, tcp(5001, 41008, 6000000, 6100000, kAck, 509, ts_options(900, 800)), 1400);
    const auto wire = static_cast<std::uint32_t>(full.size());
    full.resize(96);
    b.add(std::move(full), wire);
    Bytes cut = b.tcp4(server, client, tcp(5001, 41008, 6001400, 6100000, kPsh | kAck, 509, ts_options(901, 800)), 700);
    const auto cut_wire = static_cast<std::uint32_t>(cut.size());
    cut.resize(50);
    b.add(std::move(cut), cut_wire);
  }
  return b.frames;
}

// Sample timestamps: ~250 µs apart, with nanoseconds that a --nano file keeps.
void write_sample(PcapWriter& writer) {
  const std::vector<SampleFrame> frames = sample_frames();
  std::int64_t t = kEpochNs + 123'456'789;
  for (const SampleFrame& f : frames) {
    PacketView p;
    p.data = f.data;
    p.wire_length = f.wire_length ? f.wire_length : static_cast<std::uint32_t>(f.data.size());
    p.timestamp_ns = t;
    p.link_type = 1;
    writer.write(p);
    t += 250'137 + static_cast<std::int64_t>(f.data.size()) * 81;
  }
}

// ------------------------------------------------------------------------------------------
// The IMIX
// ------------------------------------------------------------------------------------------

// splitmix64: tiny, fast, and the same sequence on every platform for a seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }
  // Uniform in [lo, hi].
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) noexcept { return lo + below(hi - lo + 1); }

 private:
  std::uint64_t state_;
};

inline void store16(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
inline void store32(std::uint8_t* p, std::uint32_t v) noexcept {
  store16(p, v >> 16);
  store16(p + 2, v & 0xffff);
}
// Sum of big-endian 16-bit words; n even.
inline std::uint32_t word_sum(const std::uint8_t* p, std::size_t n) noexcept {
  std::uint32_t s = 0;
  for (std::size_t i = 0; i < n; i += 2) s += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
  return s;
}
inline std::uint16_t fold(std::uint64_t s) noexcept {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<std::uint16_t>(~s & 0xffff);
}

enum class VlanKind : std::uint8_t { none, dot1q, qinq };

struct Flow {
  Mac client_mac, server_mac;
  Ipv4 client4, server4;
  Ipv6 client6, server6;
  std::uint16_t client_port = 0, server_port = 0;
  std::uint32_t client_seq = 0, server_seq = 0;
  std::uint16_t client_id = 0, server_id = 0;
  std::uint16_t client_window = 0, server_window = 0;
  std::uint32_t flow_label = 0;
  std::uint16_t remaining = 0;  // data packets before the connection closes
  std::uint8_t state = 0;       // TCP: 0 SYN, 1 SYN-ACK, 2 ACK, 3 data, 4..6 FIN, FIN, ACK
  bool v6 = false;
  bool tcp = true;
  VlanKind vlan = VlanKind::none;
  std::uint16_t vid = 0, outer_vid = 0;
  std::uint8_t priority = 0;
};

class ImixGenerator {
 public:
  static constexpr std::size_t kFlows = 4096;
  static constexpr std::size_t kBusyFlows = 128;
  static constexpr std::size_t kPatternSize = 8192;  // payload bytes come from a window of this

  explicit ImixGenerator(std::uint64_t seed) : rng_(seed), tcp_flows_(kFlows), udp_flows_(kFlows) {
    pattern_.resize(kPatternSize);
    for (auto& byte : pattern_) byte = static_cast<std::uint8_t>(rng_.next() >> 56);
    prefix_.resize(kPatternSize + 1);
    prefix_[0] = 0;
    for (std::size_t n = 1; n <= kPatternSize; ++n) {
      const std::uint32_t byte = pattern_[n - 1];
      prefix_[n] = prefix_[n - 1] + ((n - 1) % 2 == 0 ? byte << 8 : byte);
    }
    for (std::size_t i = 0; i < kFlows; ++i) {
      init_flow(tcp_flows_[i], i, true);
      init_flow(udp_flows_[i], i, false);
    }
  }

  // Builds the next frame into the internal buffer.
  PacketView next() {
    const std::uint32_t kind = rng_.below(1000);
    std::size_t length;
    if (kind < 600) {
      length = tcp_packet(pick_flow(tcp_flows_));
    } else if (kind < 900) {
      length = udp_packet(pick_flow(udp_flows_));
    } else if (kind < 930) {
      length = icmp4_packet(pick_flow(tcp_flows_));
    } else if (kind < 945) {
      length = icmp6_packet(pick_flow(udp_flows_));
    } else {
      length = arp_packet();
    }
    if (length < 60) {
      std::memset(frame_ + length, 0, 60 - length);
      length = 60;
    }
    time_ns_ += 1000 + rng_.below(4000);
    PacketView p;
    p.data = std::span<const std::uint8_t>(frame_, length);
    p.wire_length = static_cast<std::uint32_t>(length);
    p.timestamp_ns = time_ns_;
    p.link_type = 1;
    return p;
  }

 private:
  Ipv4 random_v4(std::uint32_t net) {
    static constexpr std::uint8_t kNets[3][3] = {{192, 0, 2}, {198, 51, 100}, {203, 0, 113}};
    const auto& n = kNets[net % 3];
    return {n[0], n[1], n[2], static_cast<std::uint8_t>(rng_.between(1, 254))};
  }
  Ipv6 random_v6() {
    Ipv6 a{0x20, 0x01, 0x0d, 0xb8};
    a[5] = static_cast<std::uint8_t>(rng_.below(256));
    for (std::size_t i = 12; i < 16; ++i) a[i] = static_cast<std::uint8_t>(rng_.below(256));
    return a;
  }
  static Mac mac_of(const Ipv4& a, std::uint8_t side) {
    return {0x02, side, a[0], a[1], a[2], a[3]};
  }

  void init_flow(Flow& f, std::size_t index, bool tcp) {
    const std::uint32_t net = rng_.below(3);
    f.client4 = random_v4(net);
    f.server4 = index % 16 == 0 ? Ipv4{192, 0, 2, 7} : random_v4(net + 1 + rng_.below(2));
    f.client6 = random_v6();
    f.server6 = random_v6();
    f.client_mac = mac_of(f.client4, 0x10);
    f.server_mac = mac_of(f.server4, 0x20);
    f.v6 = rng_.below(100) < 12;
    f.tcp = tcp;
    f.flow_label = f.v6 ? rng_.below(1u << 20) : 0;
    const std::uint32_t v = rng_.below(100);
    f.vlan = v < 9 ? VlanKind::dot1q : v < 10 ? VlanKind::qinq : VlanKind::none;
    static constexpr std::uint16_t kVids[] = {10, 20, 100, 200, 300, 4000};
    f.vid = kVids[rng_.below(6)];
    f.outer_vid = static_cast<std::uint16_t>(1000 + rng_.below(8));
    f.priority = static_cast<std::uint8_t>(rng_.below(4) == 0 ? rng_.below(8) : 0);
    if (f.tcp) {
      static constexpr std::uint16_t kTcpPorts[] = {80, 80, 80, 443, 443, 443, 443, 5001, 8443, 5201, 9000, 8000};
      f.server_port = kTcpPorts[rng_.below(12)];
    } else {
      static constexpr std::uint16_t kUdpPorts[] = {443, 443, 5001, 5004, 8443, 9000, 27015, 3478};
      f.server_port = kUdpPorts[rng_.below(8)];
    }
    restart_flow(f);
    // Most connections are already open when the capture starts.
    if (rng_.below(10) != 0) f.state = 3;
  }
  void restart_flow(Flow& f) {
    f.client_port = static_cast<std::uint16_t>(rng_.between(32768, 60999));
    f.client_seq = static_cast<std::uint32_t>(rng_.next());
    f.server_seq = static_cast<std::uint32_t>(rng_.next());
    f.client_id = static_cast<std::uint16_t>(rng_.next());
    f.server_id = static_cast<std::uint16_t>(rng_.next());
    f.client_window = static_cast<std::uint16_t>(rng_.between(200, 2000));
    f.server_window = static_cast<std::uint16_t>(rng_.between(200, 2000));
    f.remaining = static_cast<std::uint16_t>(rng_.between(4, 80));
    f.state = 0;
  }

  // 40% of the packets belong to a few busy flows, the rest to thousands.
  Flow& pick_flow(std::vector<Flow>& flows) {
    if (rng_.below(100) < 40) return flows[rng_.below(kBusyFlows)];
    return flows[rng_.below(kFlows)];
  }

  // IP packet length (header included) of a data packet: the IMIX classes.
  std::uint32_t data_ip_length() {
    const std::uint32_t r = rng_.below(100);
    if (r < 47) return rng_.between(40, 100);
    if (r < 88) return 576;
    if (r < 99) return 1500;
    return rng_.between(600, 1400);
  }

  // Ethernet header with the flow's tags; returns its length.
  std::size_t put_link(const Mac& dst, const Mac& src, VlanKind vlan, std::uint16_t vid,
                       std::uint16_t outer_vid, std::uint8_t priority, std::uint16_t ethertype) {
    std::uint8_t* p = frame_;
    std::memcpy(p, dst.data(), 6);
    std::memcpy(p + 6, src.data(), 6);
    std::size_t at = 12;
    if (vlan == VlanKind::qinq) {
      store16(p + at, 0x88a8);
      store16(p + at + 2, outer_vid);
      at += 4;
    }
    if (vlan != VlanKind::none) {
      store16(p + at, 0x8100);
      store16(p + at + 2, static_cast<std::uint32_t>(priority) << 13 | vid);
      at += 4;
    }
    store16(p + at, ethertype);
    return at + 2;
  }

  // IP header, transport header and payload from the pattern, with every checksum; returns
  // the end of the frame. `l4` holds the transport header with a zero checksum field at
  // `checksum_at`; ICMPv4 (pseudo == false) has no pseudo-header.
  std::size_t put_ip(std::size_t at, Flow& f, bool from_client, bool v6, std::uint8_t protocol,
                     std::uint8_t* l4, std::size_t l4_length, std::size_t checksum_at,
                     std::size_t payload, bool dont_fragment) {
    std::uint8_t* p = frame_ + at;
    const std::size_t transport_length = l4_length + payload;
    std::uint64_t sum = 0;
    std::size_t header;
    if (!v6) {
      const Ipv4& src = from_client ? f.client4 : f.server4;
      const Ipv4& dst = from_client ? f.server4 : f.client4;
      std::uint16_t& id = from_client ? f.client_id : f.server_id;
      p[0] = 0x45;
      p[1] = 0;
      store16(p + 2, static_cast<std::uint32_t>(20 + transport_length));
      store16(p + 4, id++);
      store16(p + 6, dont_fragment ? 0x4000 : 0);
      p[8] = from_client ? 64 : 53;
      p[9] = protocol;
      store16(p + 10, 0);
      std::memcpy(p + 12, src.data(), 4);
      std::memcpy(p + 16, dst.data(), 4);
      store16(p + 10, fold(word_sum(p, 20)));
      if (protocol != ip_proto::kIcmp) sum = word_sum(p + 12, 8) + protocol + transport_length;
      header = 20;
    } else {
      const Ipv6& src = from_client ? f.client6 : f.server6;
      const Ipv6& dst = from_client ? f.server6 : f.client6;
      store32(p, 0x60000000u | f.flow_label);
      store16(p + 4, static_cast<std::uint32_t>(transport_length));
      p[6] = protocol;
      p[7] = from_client ? 64 : 53;
      std::memcpy(p + 8, src.data(), 16);
      std::memcpy(p + 24, dst.data(), 16);
      sum = word_sum(p + 8, 32) + protocol + transport_length;
      header = 40;
    }
    std::uint8_t* t = p + header;
    std::memcpy(t, l4, l4_length);
    // Payload: an even offset into the pattern, so that its precomputed sums line up.
    const std::size_t offset = 2 * rng_.below(static_cast<std::uint32_t>((kPatternSize - payload) / 2));
    std::memcpy(t + l4_length, pattern_.data() + offset, payload);
    sum += word_sum(t, l4_length) + (prefix_[offset + payload] - prefix_[offset]);
    std::uint16_t checksum = fold(sum);
    if (protocol == ip_proto::kUdp && checksum == 0) checksum = 0xffff;
    store16(t + checksum_at, checksum);
    return at + header + transport_length;
  }

  std::size_t link_for(const Flow& f, bool from_client, bool v6) {
    return put_link(from_client ? f.server_mac : f.client_mac, from_client ? f.client_mac : f.server_mac,
                    f.vlan, f.vid, f.outer_vid, f.priority, v6 ? 0x86dd : 0x0800);
  }

  std::size_t tcp_packet(Flow& f) {
    using namespace tcp_flag;
    bool from_client = true;
    std::uint8_t flags = kAck;
    std::size_t payload = 0;
    bool syn_options = false;
    switch (f.state) {
      case 0: flags = kSyn; syn_options = true; f.state = 1; break;
      case 1: flags = kSyn | kAck; syn_options = true; from_client = false; f.state = 2; break;
      case 2: f.state = 3; break;
      case 3: {
        const std::uint32_t ip_length = data_ip_length();
        const bool large = ip_length > 100;
        from_client = rng_.below(100) < (large ? 25u : 60u);
        const std::size_t headers = (f.v6 ? 40 : 20) + 20;
        if (large || rng_.below(2) == 0) payload = ip_length > headers ? ip_length - headers : 0;
        if (payload > 0 && (!large || rng_.below(4) == 0)) flags = kPsh | kAck;
        if (--f.remaining == 0) f.state = rng_.below(50) == 0 ? 7 : 4;
        break;
      }
      case 4: flags = kFin | kAck; f.state = 5; break;
      case 5: flags = kFin | kAck; from_client = false; f.state = 6; break;
      case 6: restart_flow(f); break;  // the last ACK, then a new connection on the same pair
      default: flags = kRst | kAck; from_client = false; restart_flow(f); break;
    }
    std::uint8_t h[40] = {};
    store16(h, from_client ? f.client_port : f.server_port);
    store16(h + 2, from_client ? f.server_port : f.client_port);
    std::uint32_t& seq = from_client ? f.client_seq : f.server_seq;
    const std::uint32_t ack = from_client ? f.server_seq : f.client_seq;
    store32(h + 4, seq);
    store32(h + 8, (flags & kAck) ? ack : 0);
    std::size_t header = 20;
    if (syn_options) {
      static constexpr std::uint8_t kSynOptions[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                                       0, 0, 0, 0, 0, 0, 1, 3, 3, 7};
      std::memcpy(h + 20, kSynOptions, 20);
      store32(h + 28, static_cast<std::uint32_t>(time_ns_ / 1000000));
      header = 40;
    }
    h[12] = static_cast<std::uint8_t>(header / 4 << 4);
    h[13] = flags;
    store16(h + 14, (flags & kSyn) ? 64240 : from_client ? f.client_window : f.server_window);
    seq += static_cast<std::uint32_t>(payload) + ((flags & (kSyn | kFin)) ? 1 : 0);
    const std::size_t at = link_for(f, from_client, f.v6);
    return put_ip(at, f, from_client, f.v6, ip_proto::kTcp, h, header, 16, payload, true);
  }

  std::size_t udp_packet(Flow& f) {
    const std::uint32_t ip_length = data_ip_length();
    const bool from_client = rng_.below(100) < (ip_length > 100 ? 30u : 60u);
    const std::size_t headers = (f.v6 ? 40 : 20) + 8;
    const std::size_t payload = ip_length > headers ? ip_length - headers : 0;
    std::uint8_t h[8] = {};
    store16(h, from_client ? f.client_port : f.server_port);
    store16(h + 2, from_client ? f.server_port : f.client_port);
    store16(h + 4, static_cast<std::uint32_t>(8 + payload));
    const std::size_t at = link_for(f, from_client, f.v6);
    return put_ip(at, f, from_client, f.v6, ip_proto::kUdp, h, 8, 6, payload, false);
  }

  std::size_t icmp4_packet(Flow& f) {
    const bool reply = rng_.below(2) != 0;
    std::uint8_t h[8] = {};
    h[0] = reply ? 0 : 8;
    store16(h + 4, f.client_port);
    store16(h + 6, ++icmp_seq_);
    const std::size_t at = link_for(f, !reply, false);
    return put_ip(at, f, !reply, false, ip_proto::kIcmp, h, 8, 2, 56, false);
  }

  std::size_t icmp6_packet(Flow& f) {
    const bool reply = rng_.below(2) != 0;
    std::uint8_t h[8] = {};
    h[0] = reply ? 129 : 128;
    store16(h + 4, f.client_port);
    store16(h + 6, ++icmp_seq_);
    const std::size_t at = link_for(f, !reply, true);
    return put_ip(at, f, !reply, true, ip_proto::kIcmpv6, h, 8, 2, 56, false);
  }

  std::size_t arp_packet() {
    const bool reply = rng_.below(3) == 0;
    const Ipv4 sender{192, 0, 2, static_cast<std::uint8_t>(rng_.between(1, 254))};
    const Ipv4 target{192, 0, 2, static_cast<std::uint8_t>(rng_.between(1, 254))};
    const Mac sender_mac = mac_of(sender, 0x10);
    const Mac target_mac = reply ? mac_of(target, 0x10) : Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const std::uint32_t v = rng_.below(100);
    const VlanKind vlan = v < 9 ? VlanKind::dot1q : VlanKind::none;
    const std::size_t at = put_link(target_mac, sender_mac, vlan, 10, 0, 0, 0x0806);
    std::uint8_t* p = frame_ + at;
    store16(p, 1);
    store16(p + 2, 0x0800);
    p[4] = 6;
    p[5] = 4;
    store16(p + 6, reply ? 2 : 1);
    std::memcpy(p + 8, sender_mac.data(), 6);
    std::memcpy(p + 14, sender.data(), 4);
    if (reply) {
      std::memcpy(p + 18, target_mac.data(), 6);
    } else {
      std::memset(p + 18, 0, 6);
    }
    std::memcpy(p + 24, target.data(), 4);
    return at + 28;
  }

  Rng rng_;
  std::vector<Flow> tcp_flows_;
  std::vector<Flow> udp_flows_;
  Bytes pattern_;
  std::vector<std::uint32_t> prefix_;  // prefix_[n]: word sum of pattern_[0, n)
  std::int64_t time_ns_ = kEpochNs;
  std::uint16_t icmp_seq_ = 0;
  std::uint8_t frame_[1600] = {};
};

void write_imix(PcapWriter& writer, const Options& options) {
  ImixGenerator generator(options.seed);
  for (std::uint64_t i = 0; i < options.packets; ++i) writer.write(generator.next());
}

// ------------------------------------------------------------------------------------------
// The protocols mix
// ------------------------------------------------------------------------------------------

class ProtocolGenerator {
 public:
  explicit ProtocolGenerator(std::uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ull + 1), imix_(seed) {}

  // Frame i: 30% DNS over UDP, 4% DNS over TCP, 6% mDNS, 20% VXLAN, 10% GRE, 30% IMIX.
  Bytes next(std::uint64_t i) {
    const std::uint32_t r = random() % 100;
    if (r < 30) return dns_udp(i);
    if (r < 34) return dns_tcp(i);
    if (r < 40) return mdns(i);
    if (r < 60) return vxlan(i);
    if (r < 70) return gre(i);
    const PacketView p = imix_.next();
    return Bytes(p.data.begin(), p.data.end());
  }

 private:
  std::uint32_t random() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<std::uint32_t>(state_ >> 11);
  }

  std::string host() {
    static constexpr std::string_view kNames[] = {"www", "mail", "api", "cdn", "login", "static",
                                                  "ns1", "img", "vpn", "git"};
    static constexpr std::string_view kDomains[] = {"example.com", "example.net", "example.org",
                                                    "test.example"};
    std::string name(kNames[random() % 10]);
    name += std::to_string(random() % 50);
    name += '.';
    name += kDomains[random() % 4];
    return name;
  }

  // A query and, every other packet, its answer: A, AAAA, MX, TXT, PTR, a CNAME chain or
  // NXDomain, with an EDNS record in some.
  DnsMessage message(bool response) {
    DnsMessage m;
    m.id = static_cast<std::uint16_t>(random());
    m.flags = response ? 0x8180 : 0x0100;
    const std::uint32_t kind = random() % 8;
    const std::string name = host();
    const std::uint16_t types[] = {1, 28, 15, 16, 12, 1, 1, 28};
    DnsQuestion q;
    q.name = kind == 4 ? std::to_string(random() % 256) + ".2.0.192.in-addr.arpa" : name;
    q.type = types[kind];
    m.questions.push_back(q);
    if (response) {
      auto a = [&](const std::string& owner) {
        DnsRecord r;
        r.name = owner;
        r.type = 1;
        r.rdata = {198, 51, 100, static_cast<std::uint8_t>(random())};
        return r;
      };
      switch (kind) {
        case 0: m.answers.push_back(a(name)); m.answers.push_back(a(name)); break;
        case 1: {
          DnsRecord r;
          r.name = name;
          r.type = 28;
          r.rdata = dns_rdata_aaaa("2001:db8::" + std::to_string(random() % 9000 + 1));
          m.answers.push_back(r);
          break;
        }
        case 2: {
          DnsRecord r;
          r.name = name;
          r.type = 15;
          r.rdata = dns_rdata_mx(10, "mail." + name);
          m.answers.push_back(r);
          break;
        }
        case 3: {
          DnsRecord r;
          r.name = name;
          r.type = 16;
          r.rdata = dns_rdata_txt({"v=spf1 -all"});
          m.answers.push_back(r);
          break;
        }
        case 4: {
          DnsRecord r;
          r.name = q.name;
          r.type = 12;
          r.rdata = dns_name(name);
          m.answers.push_back(r);
          break;
        }
        case 5: {  // a CNAME chain
          DnsRecord r;
          r.name = name;
          r.type = 5;
          r.rdata = dns_name("edge." + name);
          m.answers.push_back(r);
          m.answers.push_back(a("edge." + name));
          break;
        }
        case 6: m.flags = 0x8183; break;  // NXDomain
        default: break;                   // an empty answer
      }
    }
    if (random() % 3 == 0) {  // EDNS
      DnsRecord opt;
      opt.name = "";
      opt.type = 41;
      opt.klass = 1232;
      opt.ttl = 0;
      m.additional.push_back(opt);
    }
    return m;
  }

  Bytes dns_udp(std::uint64_t i) {
    const bool response = (i & 1) != 0;
    const std::uint16_t client = static_cast<std::uint16_t>(49152 + random() % 16384);
    const Bytes msg = dns_message(message(response));
    return response ? dns_udp4_frame(53, client, msg) : dns_udp4_frame(client, 53, msg);
  }

  Bytes dns_tcp(std::uint64_t i) {
    const bool response = (i & 1) != 0;
    const std::uint16_t client = static_cast<std::uint16_t>(49152 + random() % 16384);
    const Bytes msg = dns_tcp_payload(dns_message(message(response)));
    return response ? dns_tcp4_frame(53, client, msg) : dns_tcp4_frame(client, 53, msg);
  }

  Bytes mdns(std::uint64_t i) {
    DnsMessage m = message((i & 1) != 0);
    m.id = 0;
    m.flags = (i & 1) != 0 ? 0x8400 : 0;
    return dns_udp6_frame(5353, 5353, dns_message(m));
  }

  // An inner TCP or UDP frame (sometimes a DNS query) between documentation addresses.
  Bytes inner_packet(bool with_ethernet) {
    Ipv4Spec ip;
    ip.source = {203, 0, 113, static_cast<std::uint8_t>(1 + random() % 200)};
    ip.destination = {198, 51, 100, static_cast<std::uint8_t>(1 + random() % 200)};
    Bytes packet;
    const std::uint32_t r = random() % 3;
    if (r == 0) {
      ip.protocol = ip_proto::kTcp;
      TcpSpec t;
      t.source_port = static_cast<std::uint16_t>(49152 + random() % 16384);
      t.destination_port = 443;
      t.flags = tcp_flag::kPsh | tcp_flag::kAck;
      t.seq = random();
      t.ack = random();
      packet = ipv4_packet(ip, tcp_segment(t, Bytes(100 + random() % 1200, 0x42)));
    } else if (r == 1) {
      ip.protocol = ip_proto::kUdp;
      packet = ipv4_packet(ip, udp_datagram(static_cast<std::uint16_t>(49152 + random() % 16384),
                                            5004, Bytes(160, 0x17)));
    } else {
      ip.protocol = ip_proto::kUdp;
      packet = ipv4_packet(ip, udp_datagram(static_cast<std::uint16_t>(49152 + random() % 16384),
                                            53, dns_message(message(false))));
    }
    if (!with_ethernet) return packet;
    EthernetSpec e;
    e.source = mac("02:00:00:00:10:01");
    e.destination = mac("02:00:00:00:10:02");
    return ethernet_frame(e, packet);
  }

  Bytes vxlan(std::uint64_t) {
    Ipv4Spec outer;
    outer.source = {192, 0, 2, static_cast<std::uint8_t>(1 + random() % 8)};
    outer.destination = {192, 0, 2, static_cast<std::uint8_t>(101 + random() % 8)};
    return vxlan_frame(outer, static_cast<std::uint16_t>(49152 + random() % 16384),
                       100 + random() % 4, inner_packet(true));
  }

  Bytes gre(std::uint64_t) {
    Ipv4Spec outer;
    outer.source = {192, 0, 2, static_cast<std::uint8_t>(1 + random() % 8)};
    outer.destination = {192, 0, 2, static_cast<std::uint8_t>(201 + random() % 8)};
    GreSpec g;
    if (random() % 2 == 0) g.key = random() % 1000;
    return gre_frame(outer, g, inner_packet(false));
  }

  std::uint64_t state_;
  ImixGenerator imix_;
};

void write_protocols(PcapWriter& writer, const Options& options) {
  ProtocolGenerator generator(options.seed);
  for (std::uint64_t i = 0; i < options.packets; ++i) {
    const Bytes frame = generator.next(i);
    PacketView p;
    p.data = frame;
    p.wire_length = static_cast<std::uint32_t>(frame.size());
    p.timestamp_ns = kEpochNs + static_cast<std::int64_t>(i) * 20000;
    p.link_type = 1;
    writer.write(p);
  }
}

// Conversation f: 2001:db8:0:1::f <-> 2001:db8:0:2::f, 1 µs apart, 80-byte frames.
void write_flows(PcapWriter& writer, const Options& options) {
  Ipv6Spec ip;
  ip.next_header = ip_proto::kUdp;
  ip.source = ipv6("2001:db8:0:1::");
  ip.destination = ipv6("2001:db8:0:2::");
  EthernetSpec eth;
  eth.ethertype = 0x86dd;
  const Bytes payload(18, 0x5a);
  for (std::uint64_t i = 0; i < options.packets; ++i) {
    const std::uint64_t f = i % options.flows;
    for (int b = 0; b < 8; ++b) {
      ip.source[15 - b] = static_cast<std::uint8_t>(f >> (8 * b));
      ip.destination[15 - b] = static_cast<std::uint8_t>(f >> (8 * b));
    }
    const Bytes frame = ethernet_frame(eth, ipv6_packet(ip, udp_datagram(40000, 5001, payload)));
    PacketView p;
    p.data = frame;
    p.wire_length = static_cast<std::uint32_t>(frame.size());
    p.timestamp_ns = kEpochNs + static_cast<std::int64_t>(i) * 1000;
    p.link_type = 1;
    writer.write(p);
  }
}

// Frame i of the biflows mix (see the top of the file).
Bytes biflow_frame(std::uint64_t i, const Options& options) {
  const std::uint64_t f = (i / 2) % options.flows;
  const bool from_client = i % 2 == 0;
  const std::uint64_t kind = f % 4;  // IPv4 TCP, IPv4 UDP, IPv6 TCP, IPv6 UDP
  const auto client_port = static_cast<std::uint16_t>(10000 + f % 50000);
  const auto server_port = static_cast<std::uint16_t>(kind % 2 == 0 ? 5001 : 5004);
  const std::uint16_t sport = from_client ? client_port : server_port;
  const std::uint16_t dport = from_client ? server_port : client_port;
  Bytes payload(16);
  for (int b = 0; b < 8; ++b) {
    payload[7 - b] = static_cast<std::uint8_t>(options.seed >> (8 * b));
    payload[15 - b] = static_cast<std::uint8_t>(i >> (8 * b));
  }
  Bytes transport;
  if (kind % 2 == 0) {
    TcpSpec t;
    t.source_port = sport;
    t.destination_port = dport;
    t.seq = static_cast<std::uint32_t>(1000 + 16 * (i / 2));
    t.ack = static_cast<std::uint32_t>(5000 + 16 * (i / 2));
    t.flags = tcp_flag::kPsh | tcp_flag::kAck;
    transport = tcp_segment(t, payload);
  } else {
    transport = udp_datagram(sport, dport, payload);
  }
  const std::uint8_t protocol = kind % 2 == 0 ? ip_proto::kTcp : ip_proto::kUdp;
  EthernetSpec eth;
  eth.source = mac(from_client ? "02:00:00:00:00:0a" : "02:00:00:00:00:14");
  eth.destination = mac(from_client ? "02:00:00:00:00:14" : "02:00:00:00:00:0a");
  if (kind < 2) {
    Ipv4Spec ip;
    const Ipv4 client{192, 0, 2, static_cast<std::uint8_t>(1 + f % 250)};
    const Ipv4 server{198, 51, 100, static_cast<std::uint8_t>(1 + f / 250 % 250)};
    ip.source = from_client ? client : server;
    ip.destination = from_client ? server : client;
    ip.protocol = protocol;
    ip.id = static_cast<std::uint16_t>(i);
    return ethernet_frame(eth, ipv4_packet(ip, transport));
  }
  Ipv6Spec ip;
  Ipv6 client = ipv6("2001:db8:0:1::");
  Ipv6 server = ipv6("2001:db8:0:2::");
  for (int b = 0; b < 8; ++b) {
    client[15 - b] = static_cast<std::uint8_t>(f >> (8 * b));
    server[15 - b] = static_cast<std::uint8_t>(f >> (8 * b));
  }
  ip.source = from_client ? client : server;
  ip.destination = from_client ? server : client;
  ip.next_header = protocol;
  eth.ethertype = 0x86dd;
  return ethernet_frame(eth, ipv6_packet(ip, transport));
}

// 1 µs apart.
void write_biflows(PcapWriter& writer, const Options& options) {
  for (std::uint64_t i = 0; i < options.packets; ++i) {
    const Bytes frame = biflow_frame(i, options);
    PacketView p;
    p.data = frame;
    p.wire_length = static_cast<std::uint32_t>(frame.size());
    p.timestamp_ns = kEpochNs + static_cast<std::int64_t>(i) * 1000;
    p.link_type = 1;
    writer.write(p);
  }
}

// 192.0.2.10 -> 198.51.100.20: a 100-byte UDP datagram, a 3,000-byte one cut into fragments of
// 1,200, 1,200 and 608 bytes (offsets 0, 150 and 300 in 8-byte units, one IP id), and a reply.
void write_fragments(PcapWriter& writer) {
  const Ipv4 client = ipv4("192.0.2.10");
  const Ipv4 server = ipv4("198.51.100.20");
  EthernetSpec out;
  out.source = mac("02:00:00:00:00:0a");
  out.destination = mac("02:00:00:00:00:14");
  EthernetSpec back;
  back.source = out.destination;
  back.destination = out.source;
  Ipv4Spec ip;
  ip.source = client;
  ip.destination = server;
  ip.protocol = ip_proto::kUdp;
  ip.dont_fragment = false;
  std::vector<Bytes> frames;
  ip.id = 0x1001;
  frames.push_back(ethernet_frame(out, ipv4_packet(ip, udp_datagram(50000, 5007, text(100)))));
  ip.id = 0x1002;
  const Bytes whole = ipv4_packet(ip, udp_datagram(50000, 5007, text(3000)));
  const std::span<const std::uint8_t> udp(whole.begin() + 20, whole.end());  // checksum filled in
  constexpr std::size_t kPiece = 1200;
  for (std::size_t at = 0; at < udp.size(); at += kPiece) {
    Ipv4Spec fragment = ip;
    fragment.fragment_offset = static_cast<std::uint16_t>(at / 8);
    fragment.more_fragments = at + kPiece < udp.size();
    const auto piece = udp.subspan(at, std::min(kPiece, udp.size() - at));
    frames.push_back(ethernet_frame(out, ipv4_packet(fragment, piece)));
  }
  Ipv4Spec reply = ip;
  reply.source = server;
  reply.destination = client;
  reply.id = 0x2001;
  frames.push_back(ethernet_frame(back, ipv4_packet(reply, udp_datagram(5007, 50000, text(100)))));
  std::int64_t t = kEpochNs;
  for (const Bytes& frame : frames) {
    PacketView p;
    p.data = frame;
    p.wire_length = static_cast<std::uint32_t>(frame.size());
    p.timestamp_ns = t += 1000;
    p.link_type = 1;
    writer.write(p);
  }
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    WriterOptions w;
    w.link_type = 1;
    w.snaplen = 262144;
    w.precision = options.nano ? slimcap::TimePrecision::nano : slimcap::TimePrecision::micro;
    w.compression_level = ends_with(options.output, ".zst") ? 3 : 0;
    PcapWriter writer(options.output, w);
    if (options.mix == Mix::sample) {
      write_sample(writer);
    } else if (options.mix == Mix::flows) {
      write_flows(writer, options);
    } else if (options.mix == Mix::biflows) {
      write_biflows(writer, options);
    } else if (options.mix == Mix::fragments) {
      write_fragments(writer);
    } else if (options.mix == Mix::protocols) {
      write_protocols(writer, options);
    } else {
      write_imix(writer, options);
    }
    writer.close();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "slimcap-capgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
