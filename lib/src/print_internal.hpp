#pragma once
// The printer's parts shared by its files (lib/src/print_*.cpp, one per protocol layer or
// family; docs/printer.md has the map): the decoded packet's context, the hot number and
// address appenders (inline: they are most of a line's cost), and each layer's entry point.
// Everything here is internal to the library (hidden symbols).

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "slimcap/bytes.hpp"
#include "slimcap/decode.hpp"
#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"
#include "slimcap/print.hpp"

#pragma GCC visibility push(hidden)

namespace slimcap::detail {

using namespace std::string_view_literals;

// "0." ... "255." as four bytes each (text, then the dot, then padding) and their lengths.
struct Ipv4Octets {
  char text[256][4];
  std::uint8_t length[256];
  constexpr Ipv4Octets() : text{}, length{} {
    for (unsigned v = 0; v < 256; ++v) {
      unsigned n = 0;
      if (v >= 100) text[v][n++] = static_cast<char>('0' + v / 100);
      if (v >= 10) text[v][n++] = static_cast<char>('0' + v / 10 % 10);
      text[v][n++] = static_cast<char>('0' + v % 10);
      text[v][n] = '.';
      length[v] = static_cast<std::uint8_t>(n);
    }
  }
};
inline constexpr Ipv4Octets kOctets;

inline constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Decimal text of v < 10000 at p; returns the end.
inline char* put_small(char* p, std::uint32_t v) noexcept {
  if (v < 100) {
    if (v < 10) {
      *p = static_cast<char>('0' + v);
      return p + 1;
    }
    std::memcpy(p, kPairs + 2 * v, 2);
    return p + 2;
  }
  const std::uint32_t hi = v / 100, lo = v % 100;
  if (hi < 10) {
    *p++ = static_cast<char>('0' + hi);
  } else {
    std::memcpy(p, kPairs + 2 * hi, 2);
    p += 2;
  }
  std::memcpy(p, kPairs + 2 * lo, 2);
  return p + 2;
}

// Decimal text of v at p; returns the end. Up to 8 digits by halves; 9 and 10 digits (TCP
// sequence numbers, the common case) by the fixed-point method of J. E. Anhalt III's itoa:
// v * ceil(2^57 / 10^8) holds v / 10^8 in its top 7 bits and the rest as a 57-bit fraction,
// and each "* 100" of the fraction lifts the next two digits into those bits (checked for
// every 32-bit value). Straight-line code, about half the instructions of a divide loop.
inline char* put_u32(char* p, std::uint32_t v) noexcept {
  if (v < 10000) return put_small(p, v);
  if (v < 100000000) {
    const std::uint32_t hi = v / 10000, lo = v % 10000;
    p = put_small(p, hi);
    std::memcpy(p, kPairs + 2 * (lo / 100), 2);
    std::memcpy(p + 2, kPairs + 2 * (lo % 100), 2);
    return p + 4;
  }
  constexpr std::uint64_t kFraction = (std::uint64_t{1} << 57) - 1;
  std::uint64_t y = static_cast<std::uint64_t>(v) * 1441151881u;
  if (v >= 1000000000) {
    std::memcpy(p, kPairs + 2 * (y >> 57), 2);
    p += 2;
  } else {
    *p++ = kPairs[2 * (y >> 57) + 1];
  }
  for (int i = 0; i < 4; ++i) {
    y = (y & kFraction) * 100;
    std::memcpy(p + 2 * i, kPairs + 2 * (y >> 57), 2);
  }
  return p + 8;
}

// `label` (at most 12 bytes) and the decimal text of v, in one reservation.
inline void append_number(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  char* const start = out.reserve(24);
  std::memcpy(start, label.data(), label.size());
  out.advance(static_cast<std::size_t>(put_u32(start + label.size(), v) - start));
}

inline char* put_ipv4(char* p, const std::uint8_t* a) noexcept {
  for (int i = 0; i < 4; ++i) {
    std::memcpy(p, kOctets.text[a[i]], 4);  // copies the dot too; the next octet overwrites it
    p += kOctets.length[a[i]] + (i < 3 ? 1 : 0);
  }
  return p;
}

inline void append_ipv4(OutputBuffer& out, const std::uint8_t* a) {
  char* const start = out.reserve(16);
  out.advance(static_cast<std::size_t>(put_ipv4(start, a) - start));
}

// Lower-case hex of a 16-bit group without leading zeros; returns the end.
inline char* put_group(char* p, unsigned w) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (w >= 0x1000) *p++ = kHex[w >> 12];
  if (w >= 0x100) *p++ = kHex[(w >> 8) & 15];
  if (w >= 0x10) *p++ = kHex[(w >> 4) & 15];
  *p++ = kHex[w & 15];
  return p;
}

void append_ipv6(OutputBuffer& out, const std::uint8_t* a);

inline void append_ip(OutputBuffer& out, const Summary& s, const std::uint8_t* a) {
  if (s.network == Network::ipv6)
    append_ipv6(out, a);
  else
    append_ipv4(out, a);
}

class TcpConversations;

struct Context {
  const PrintOptions& options;
  const PacketView& packet;
  const Summary& s;
  OutputBuffer& out;
  // The Printer's table for relative TCP sequence numbers: an inner packet's Context passes
  // its outer one's on, as tcpdump has one table for every TCP header it prints.
  TcpConversations* conversations = nullptr;
  // Set where tcpdump gives up through its longjmp (a field read past the capture) rather
  // than a bounds check: its -x/-X/-A dump then starts at the first byte, not after the
  // link header.
  mutable bool dump_whole = false;
  const std::uint8_t* data() const { return packet.data.data(); }
  std::uint32_t caplen() const { return packet.caplen(); }
  bool captured(std::uint32_t offset, std::uint32_t n) const {
    return offset <= caplen() && n <= caplen() - offset;
  }
};

// --- shared appenders (print_common.cpp) -------------------------------------------------------
// A named flag bit, for append_bits().
struct Bit {
  std::uint32_t bit;
  std::string_view name;
};
// tcpdump's bittok2str(): the names of the bits of `table` set in v, in table order, joined
// by ", "; `none` when none is.
template <std::size_t N>
void append_bits(OutputBuffer& out, const Bit (&table)[N], std::uint32_t v, std::string_view none) {
  bool any = false;
  for (const Bit& b : table) {
    if ((v & b.bit) == 0) continue;
    if (any) out.append(", ");
    out.append(b.name);
    any = true;
  }
  if (!any) out.append(none);
}
void append_mac(OutputBuffer& out, const std::uint8_t* m);
// A byte of text as tcpdump's fn_print_char() shows it ("M-" and "^" escapes).
void append_safe_char(OutputBuffer& out, std::uint8_t c);
// The same at p (room for 4 bytes needed); returns the end.
inline char* put_safe_char(char* p, std::uint8_t c) noexcept {
  if (c & 0x80) {
    *p++ = 'M';
    *p++ = '-';
    c &= 0x7f;
  }
  if (c < 0x20 || c == 0x7f) {
    *p++ = '^';
    c ^= 0x40;
  }
  *p++ = static_cast<char>(c);
  return p;
}
// Whether each byte of a word is printable ASCII (0x20-0x7e), for words of 4 or 8 bytes:
// with no high bit set, adding 0x01 sets a byte's high bit only for 0x7f and adding 0x60
// sets it for every byte from 0x20 up, and neither carries into the next byte.
template <typename Word>
constexpr bool printable_word(Word w) noexcept {
  constexpr Word kOnes = static_cast<Word>(~Word{0}) / 0xff;
  constexpr Word kHigh = kOnes * 0x80;
  return (w & kHigh) == 0 && ((w + kOnes) & kHigh) == 0 && ((w + kOnes * 0x60) & kHigh) == kHigh;
}
// n bytes of text as append_safe_char() shows each, at p (room for 4 * n bytes needed);
// returns the end. Printable ASCII, the common case, is checked and copied a word at a time
// (words that overlap at the end instead of a byte loop; every read stays within the text).
inline char* put_safe_text(char* p, const std::uint8_t* text, std::size_t n) noexcept {
  if (n >= 8) {
    std::uint64_t w;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::memcpy(&w, text + i, 8);
      if (!printable_word(w)) goto escape;
      std::memcpy(p + i, &w, 8);
    }
    if (i < n) {
      std::memcpy(&w, text + n - 8, 8);
      if (!printable_word(w)) goto escape;
      std::memcpy(p + n - 8, &w, 8);
    }
    return p + n;
  }
  if (n >= 4) {
    std::uint32_t head, tail;
    std::memcpy(&head, text, 4);
    std::memcpy(&tail, text + n - 4, 4);
    if (printable_word(head) && printable_word(tail)) {
      std::memcpy(p, &head, 4);
      std::memcpy(p + n - 4, &tail, 4);
      return p + n;
    }
  }
escape:
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t c = text[i];
    if (static_cast<std::uint8_t>(c - 0x20) < 0x5f)
      *p++ = static_cast<char>(c);
    else
      p = put_safe_char(p, c);
  }
  return p;
}
// The same appended, in chunks so that a long payload does not reserve four times its size.
inline void append_safe_text(OutputBuffer& out, const std::uint8_t* p, std::size_t n) {
  while (n != 0) {
    const std::size_t chunk = n < 256 ? n : 256;
    char* const start = out.reserve(4 * chunk);
    out.advance(static_cast<std::size_t>(put_safe_text(start, p, chunk) - start));
    p += chunk;
    n -= chunk;
  }
}
// The name tcpdump gives an ethertype, empty when it has none.
std::string_view ethertype_name(std::uint16_t t);
// "ethertype IPv4 (0x0800)", with -q "IPv4".
void append_ethertype(OutputBuffer& out, std::uint16_t t, bool quiet = false);
// tcpdump's names of IP protocol numbers, "unknown" for the rest.
std::string_view ip_protocol_name(std::uint8_t p);
// The Internet checksum of `length` bytes at `data`, added to `sum`: 0 when correct.
std::uint16_t internet_checksum(const std::uint8_t* data, std::uint32_t length,
                                std::uint64_t sum = 0);
// The same over the pseudo-header of the packet's IP header and `protocol`.
std::uint16_t transport_checksum(const Summary& s, const std::uint8_t* data, std::uint32_t length,
                                 std::uint8_t protocol);
// What a checksum field should have held (tcpdump's in_cksum_shouldbe()).
std::uint16_t checksum_should_be(std::uint16_t field, std::uint16_t computed);
// "[udp sum ok] " or "[bad udp cksum 0xFIELD -> 0xRIGHT!] ".
void append_checksum_verdict(OutputBuffer& out, std::string_view protocol, std::uint16_t field,
                             std::uint16_t sum);
// One 802.1Q/802.1ad tag as tcpdump's -e shows it: "vlan 100, p 0, " (", DEI" when set).
void append_vlan_tag(OutputBuffer& out, const VlanTag& tag);
// tcpdump's unsigned_relts_print(): "0s", or "1y2w3d4h5m6s" without the zero units.
void append_relative_time(OutputBuffer& out, std::uint32_t secs);
// "src > dst" and `end`.
void append_addresses(const Context& c, std::string_view end);
// "src.port > dst.port: " (ports only when !with_addresses).
void append_endpoints(const Context& c, bool with_addresses);

// --- dissectors: print_dispatch.cpp maps ports, protocol numbers and ethertypes to them --------
// A payload's printer: the bytes [offset, offset + length) of c.packet, where `length` is the
// payload's length on the wire as its header says; fewer may be captured (c.captured()), and
// reading past c.caplen() is a bug: a cut payload ends in tcpdump's "[|proto]" marker.
using PayloadPrinter = void (*)(const Context& c, std::uint32_t offset, std::uint32_t length);
// What follows an IP header (c.s.transport_offset, c.s.transport_length) for protocols other
// than TCP, UDP, ICMP and ICMPv6; with_addresses as print_tcp's.
using NetworkPayloadPrinter = void (*)(const Context& c, bool with_addresses);
// nullptr when no dissector claims the ports / number / type: the generic line.
PayloadPrinter udp_payload_printer(std::uint16_t source_port, std::uint16_t destination_port);
PayloadPrinter tcp_payload_printer(std::uint16_t source_port, std::uint16_t destination_port);
NetworkPayloadPrinter ip_protocol_printer(std::uint8_t protocol);
PayloadPrinter ethertype_printer(std::uint16_t ethertype);

// print_dns.cpp: DNS over UDP and TCP (the length prefix), mDNS; the --json "dns" object of a
// packet that print_dns.cpp's ports claim (json.cpp).
void print_dns_udp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_dns_tcp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_mdns(const Context& c, std::uint32_t offset, std::uint32_t length);
void append_dns_json(OutputBuffer& out, const PacketView& packet, const Summary& s);
// print_bootp.cpp, print_dhcp6.cpp: BOOTP/DHCP (UDP 67/68) and DHCPv6 (UDP 546/547), and
// their --json objects ("dhcp", "dhcp6") for a UDP payload at `offset`, `length` bytes on the
// wire (nothing when too little of it is captured).
void print_bootp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_dhcp6(const Context& c, std::uint32_t offset, std::uint32_t length);
void append_dhcp_json(OutputBuffer& out, const PacketView& packet, std::uint32_t offset,
                      std::uint32_t length);
void append_dhcp6_json(OutputBuffer& out, const PacketView& packet, std::uint32_t offset,
                       std::uint32_t length);
// print_ntp.cpp, print_snmp.cpp, print_syslog.cpp: NTP (UDP 123), SNMP (UDP 161/162), syslog
// (UDP 514).
void print_ntp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_snmp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_syslog(const Context& c, std::uint32_t offset, std::uint32_t length);
// --- transport and security (print_esp.cpp, print_http.cpp, print_sctp.cpp, print_isakmp.cpp,
// print_ptp.cpp) ---------------------------------------------------------------------------
void print_esp(const Context& c, bool with_addresses);
void print_ah(const Context& c, bool with_addresses);
// ESP at `offset`, `length` bytes on the wire (also inside UDP 4500).
void print_esp_at(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_http(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_sctp(const Context& c, bool with_addresses);
void print_isakmp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_isakmp_natt(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_ptp(const Context& c, std::uint32_t offset, std::uint32_t length);
// Routing and first-hop protocols (print_igmp/vrrp/bfd/pim/ospf/bgp/babel.cpp).
void print_igmp(const Context& c, bool with_addresses);
void print_vrrp(const Context& c, bool with_addresses);
void print_ospf(const Context& c, bool with_addresses);
void print_pim(const Context& c, bool with_addresses);
void print_bfd(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_bgp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_babel(const Context& c, std::uint32_t offset, std::uint32_t length);

// --- the layers: each in its own file ---------------------------------------------------------
// print_ip.cpp: "IP ..." / "IP6 ..." / "ARP, ..." after the link layer (name: "IP " first).
void print_network(const Context& c, bool name);
void print_ipv4(const Context& c, bool name);
void print_ipv6(const Context& c);
// An IPv4 datagram quoted at `offset` (ICMP errors), `length` bytes of it captured.
void print_ipv4_inner(const Context& c, std::uint32_t offset, std::uint32_t length);
// The transport after the IP header, by protocol number.
void print_transport_here(const Context& c, bool with_addresses);
void print_transport_clamped(const Context& c, bool with_addresses, std::uint32_t end);
// print.cpp: a frame inside another (a tunnel's payload) from `offset`, `length` bytes on the
// wire, of `link_type` (link_type::kEthernet, kIpv4, kIpv6, kRaw...), printed on the same line
// as tcpdump does: the inner link header with -e, then the inner network layer.
void print_inner_frame(const Context& outer, std::uint32_t offset, std::uint32_t length,
                       std::uint32_t link_type);
// print_link.cpp: PPP, PPP in HDLC framing, Cisco HDLC, NFLOG, IPoIB, 802.11; false for a link type it does not print.
bool print_more_link_types(const Context& c, bool& default_dump, std::uint32_t& header_length);
// The link types print_more_link_types() prints; it sets header_length (where -x dumps
// from) itself, for cut headers too.
inline bool printed_by_print_link(std::uint32_t link_type) {
  return link_type == 9 || link_type == 50 || link_type == 104 || link_type == 105 ||
         link_type == 127 || link_type == 239 || link_type == 242;
}
// print_80211.cpp: IEEE802_11 and IEEE802_11_RADIO (radiotap).
void print_80211(const Context& c, bool& default_dump, std::uint32_t& header_length);
// An IP datagram inside another, announced as IPv4 (version 4) or IPv6 (6) by what precedes
// it: "IP ..." / "IP6 ..." as the outer one (tcpdump's ip_print() / ip6_print()).
void print_inner_ip(const Context& outer, std::uint32_t offset, std::uint32_t length,
                    unsigned version);
// --- tunnels: print_tunnel.cpp (IP in IP, GRE, VXLAN, Geneve), print_mpls.cpp, print_pppoe.cpp
void print_ipip(const Context& c, bool with_addresses);        // IP protocol 4
void print_ipv6_in_ip(const Context& c, bool with_addresses);  // IP protocol 41
void print_gre(const Context& c, bool with_addresses);         // IP protocol 47
void print_vxlan(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_geneve(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_mpls(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_pppoe(const Context& c, std::uint32_t offset, std::uint32_t length);
// PPP from its address and control fields (if present) on, as tcpdump's ppp_print().
void print_ppp(const Context& c, std::uint32_t offset, std::uint32_t length);
// tcpdump's name of a PPP protocol number (ppptype2str), empty when it has none.
std::string_view ppp_protocol_name(std::uint16_t protocol);
// What PPP protocol `protocol` carries from `at` on (tcpdump's handle_ppp()); `trunc` is
// the marker of a cut control protocol (" [|ppp]", " [|ppp_hdlc]" in PPP_HDLC captures).
void print_ppp_protocol(const Context& c, std::uint16_t protocol, std::uint32_t at,
                        std::uint32_t length, std::string_view trunc);
// --json's "tunnel" object (,"tunnel":{...}) for a packet whose decoded summary is `s`;
// nothing when it is no tunnel this printer knows.
void append_json_tunnel(OutputBuffer& out, const PacketView& packet, const Summary& s);
// print_tcp.cpp, print_udp.cpp, print_icmp.cpp, print_arp.cpp
void print_tcp(const Context& c, bool with_addresses);

// tcpdump's tables of TCP conversations (print-tcp.c's tcp_seq_hash4 and tcp_seq_hash6), for
// relative sequence numbers: one entry for both directions of a conversation, keyed by its
// addresses and ports in tcpdump's order, holding the sequence and acknowledgement numbers of
// the first segment with ACK seen (or of the latest SYN with ACK). Each is open addressing in
// one array (24-byte entries for IPv4, 48 for IPv6) and holds up to kMaxConversations, then
// starts over empty (tcpdump's grow without end).
class TcpConversations {
 public:
  static constexpr std::size_t kMaxConversations = std::size_t{1} << 17;
  // For a segment with ACK: records its conversation, or makes seq and ack relative to it as
  // tcpdump does; sack_base is what tcpdump subtracts from SACK block edges.
  void relate(const Summary& s, std::uint32_t& seq, std::uint32_t& ack, std::uint32_t& sack_base);

  template <unsigned N>  // address bytes: 4 or 16
  class Table {
   public:
    struct Entry {
      std::uint8_t a[N];  // tcpdump's tha.src: the lower-port side's address
      std::uint8_t b[N];
      std::uint32_t ports;  // the lower-port side's port << 16 | the other's
      std::uint32_t seq;
      std::uint32_t ack;
      bool used;
    };
    // The entry of (a, b, ports), `found` false when it was just made (seq and ack unset).
    Entry& find(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t ports, bool& found);
    std::size_t size() const noexcept { return count_; }

   private:
    void grow();
    std::vector<Entry> slots_;
    std::size_t count_ = 0;
  };

 private:
  Table<4> v4_;
  Table<16> v6_;
};

void print_udp(const Context& c, bool with_addresses);
void print_icmp_message(const Context& c);
void print_icmp6_message(const Context& c);
void print_arp(const Context& c, bool prefix);

// --- layer-2 control (print_llc.cpp, print_stp.cpp, print_lldp.cpp, print_cdp.cpp,
// print_slow.cpp, print_eapol.cpp) ---------------------------------------------------------------
// An Ethernet frame whose type field is a length (802.3): with -e its "802.3, length N: " (after
// any VLAN tags), then the LLC header and what it carries. Returns the bytes tcpdump counts as
// link-layer headers (Ethernet, tags, LLC, SNAP): where its -x dump starts.
std::uint32_t print_ieee8023(const Context& c);
// A Linux cooked frame of protocol 4 (802.2): its LLC header from c.s.link_header_length on,
// without MAC addresses. Returns the same as print_ieee8023().
std::uint32_t print_cooked_llc(const Context& c);
// An LLC header and what it carries at `offset`, `length` bytes on the wire from there (an
// 802.11 data frame's payload): tcpdump's llc_print(), with its dump of what it cannot decode.
// Returns where the LLC (and SNAP) header ends.
std::uint32_t print_llc_payload(const Context& c, std::uint32_t offset, std::uint32_t length);
// STP/RSTP/MSTP BPDU (print_stp.cpp), LLDP, CDP, slow protocols (LACP, marker, OAM), EAPOL.
void print_stp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_lldp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_cdp(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_slow(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_eapol(const Context& c, std::uint32_t offset, std::uint32_t length);
// tcpdump's name of an OUI (SNAP, LLDP), empty when it has none.
std::string_view oui_name(std::uint32_t oui);
// tcpdump's "%.2f" of v / 256 (STP timers, 1/256 s units).
void append_256ths(OutputBuffer& out, std::uint16_t v);
// "pppp.aa:bb:cc:dd:ee:ff" of an 8-byte bridge id (STP, CDP).
void append_bridge_id(OutputBuffer& out, const std::uint8_t* p);

// (TCP needs no cut view: the decoder stopped at the datagram's end, and the printer reads
// nothing past the TCP header and the segment's length.)
inline void print_transport(const Context& c, bool with_addresses) {
  const std::uint64_t end = std::uint64_t{c.s.transport_offset} + c.s.transport_length;
  if (end >= c.caplen() || c.s.protocol == 6) return print_transport_here(c, with_addresses);
  print_transport_clamped(c, with_addresses, static_cast<std::uint32_t>(end));
}

}  // namespace slimcap::detail

#pragma GCC visibility pop
