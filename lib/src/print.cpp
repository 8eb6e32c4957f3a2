// The text printer: tcpdump -n -S line shapes (tcpdump 4.99), built from the decoder's
// Summary with OutputBuffer appenders only: no fmt, no snprintf, no allocation per packet.

#include "slimcap/print.hpp"

#include <net/if.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "slimcap/bytes.hpp"
#include "slimcap/decode.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {
namespace {

using namespace std::string_view_literals;

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                       kUrg = 0x20, kEce = 0x40, kCwr = 0x80;

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
constexpr Ipv4Octets kOctets;

constexpr char kPairs[] =
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

void append_ipv4(OutputBuffer& out, const std::uint8_t* a) {
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

// RFC 5952 text, as glibc's inet_ntop writes it (tcpdump -n uses inet_ntop), written
// straight into the buffer.
void append_ipv6(OutputBuffer& out, const std::uint8_t* a) {
  unsigned w[8];
  for (int i = 0; i < 8; ++i) w[i] = load_be16(a + 2 * i);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  // An IPv4-compatible or -mapped address ends in dotted decimal.
  if (best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
    out.append(best_len == 6 ? "::" : "::ffff:");
    append_ipv4(out, a + 12);
    return;
  }
  char* const start = out.reserve(48);
  char* p = start;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      *p++ = ':';
      if (i == 0) *p++ = ':';
      i += best_len - 1;
      continue;
    }
    p = put_group(p, w[i]);
    if (i < 7) *p++ = ':';
  }
  out.advance(static_cast<std::size_t>(p - start));
}

void append_ip(OutputBuffer& out, const Summary& s, const std::uint8_t* a) {
  if (s.network == Network::ipv6)
    append_ipv6(out, a);
  else
    append_ipv4(out, a);
}

void append_mac(OutputBuffer& out, const std::uint8_t* m) {
  for (int i = 0; i < 6; ++i) {
    if (i) out.append(':');
    out.append_hex8(m[i]);
  }
}

std::string_view ethertype_name(std::uint16_t t) {
  switch (t) {
    case 0x0800: return "IPv4"sv;
    case 0x86dd: return "IPv6"sv;
    case 0x0806: return "ARP"sv;
    case 0x1000: return "Trail"sv;
    case 0x8035: return "Reverse ARP"sv;
    case 0x8100: return "802.1Q"sv;
    case 0x88a8: return "802.1Q-QinQ"sv;
    case 0x9100: return "802.1Q-9100"sv;
    case 0x8847: return "MPLS unicast"sv;
    case 0x8848: return "MPLS multicast"sv;
    case 0x88cc: return "LLDP"sv;
    case 0x888e: return "EAPOL"sv;
    case 0x8863: return "PPPoE D"sv;
    case 0x8864: return "PPPoE S"sv;
    case 0x0842: return "Wake-on-LAN"sv;
    case 0x88f7: return "PTP"sv;
    default: return {};
  }
}

// tcpdump's ethertype in an Ethernet header: "ethertype IPv4 (0x0800)", with -q "IPv4"
// ("Unknown Ethertype (0x88b5)" for a type it does not name).
void append_ethertype(OutputBuffer& out, std::uint16_t t, bool quiet = false) {
  const std::string_view name = ethertype_name(t);
  if (quiet) {
    if (!name.empty()) return out.append(name);
    out.append("Unknown Ethertype (0x");
    out.append_hex_padded(t, 4);
    out.append(')');
    return;
  }
  out.append("ethertype ");
  out.append(name.empty() ? "Unknown"sv : name);
  out.append(" (0x");
  out.append_hex_padded(t, 4);
  out.append(')');
}

// tcpdump's names of IP protocol numbers (its ipproto_values), "unknown" for the rest.
std::string_view ip_protocol_name(std::uint8_t p) {
  switch (p) {
    case 0: return "Options"sv;
    case 1: return "ICMP"sv;
    case 2: return "IGMP"sv;
    case 4: return "IPIP"sv;
    case 6: return "TCP"sv;
    case 8: return "EGP"sv;
    case 9: return "IGRP"sv;
    case 17: return "UDP"sv;
    case 33: return "DCCP"sv;
    case 41: return "IPv6"sv;
    case 43: return "Routing"sv;
    case 44: return "Fragment"sv;
    case 46: return "RSVP"sv;
    case 47: return "GRE"sv;
    case 50: return "ESP"sv;
    case 51: return "AH"sv;
    case 55: return "Mobile IP"sv;
    case 58: return "ICMPv6"sv;
    case 62: return "Mobile IP (old)"sv;
    case 88: return "EIGRP"sv;
    case 89: return "OSPF"sv;
    case 103: return "PIM"sv;
    case 108: return "Compressed IP"sv;
    case 112: return "VRRP"sv;
    case 113: return "PGM"sv;
    case 132: return "SCTP"sv;
    case 135: return "Mobility"sv;
    case 143: return "Ethernet"sv;
    default: return "unknown"sv;
  }
}

// The Internet checksum of `length` bytes at `data`, added to `sum` (a pseudo-header's words,
// or 0): 0 when the bytes hold a correct checksum field.
std::uint16_t internet_checksum(const std::uint8_t* data, std::uint32_t length,
                                std::uint64_t sum = 0) {
  std::uint32_t i = 0;
  for (; i + 1 < length; i += 2) sum += load_be16(data + i);
  if (i < length) sum += static_cast<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

// The Internet checksum over the pseudo-header and `length` bytes at `data`.
std::uint16_t transport_checksum(const Summary& s, const std::uint8_t* data, std::uint32_t length,
                                 std::uint8_t protocol) {
  std::uint64_t sum = 0;
  const unsigned address_size = s.network == Network::ipv6 ? 16 : 4;
  // Behind an IPv6 routing header, the pseudo-header holds the final destination.
  const std::uint8_t* destination =
      s.network == Network::ipv6 && s.final_destination_ip != nullptr ? s.final_destination_ip
                                                                      : s.destination_ip;
  for (unsigned i = 0; i < address_size; i += 2) {
    sum += load_be16(s.source_ip + i);
    sum += load_be16(destination + i);
  }
  return internet_checksum(data, length, sum + protocol + length);
}

// What a checksum field should have held, from its value and the checksum computed over the
// data with it (tcpdump's in_cksum_shouldbe()).
std::uint16_t checksum_should_be(std::uint16_t field, std::uint16_t computed) {
  std::uint32_t v = static_cast<std::uint32_t>(field) + computed;
  v = (v & 0xffff) + (v >> 16);
  v = (v & 0xffff) + (v >> 16);
  return static_cast<std::uint16_t>(v);
}

// tcpdump -v's verdict on a UDP or ICMPv6 checksum, in front of the protocol's text:
// "[udp sum ok] " or "[bad udp cksum 0xFIELD -> 0xRIGHT!] ".
void append_checksum_verdict(OutputBuffer& out, std::string_view protocol, std::uint16_t field,
                             std::uint16_t sum) {
  out.append('[');
  if (sum == 0) {
    out.append(protocol);
    out.append(" sum ok] ");
    return;
  }
  out.append("bad ");
  out.append(protocol);
  out.append(" cksum 0x");
  out.append_hex_padded(field, 4);
  out.append(" -> 0x");
  out.append_hex_padded(checksum_should_be(field, sum), 4);
  out.append("!] ");
}

struct Context {
  const PrintOptions& options;
  const PacketView& packet;
  const Summary& s;
  OutputBuffer& out;
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

void append_safe_char(OutputBuffer& out, std::uint8_t c);

// tcpdump's flag letters ("S.", "FP.", "none") of every flags byte, padded to 8 bytes.
struct TcpFlagText {
  char letters[8];
  std::uint8_t length;
};
struct TcpFlagTable {
  TcpFlagText text[256];
  constexpr TcpFlagTable() : text{} {
    constexpr char kLetters[] = "FSRP.UEW";
    for (unsigned v = 0; v < 256; ++v) {
      TcpFlagText& t = text[v];
      if (v == 0) {
        t.letters[0] = 'n';
        t.letters[1] = 'o';
        t.letters[2] = 'n';
        t.letters[3] = 'e';
        t.length = 4;
        continue;
      }
      for (unsigned bit = 0; bit < 8; ++bit)
        if (v & (1u << bit)) t.letters[t.length++] = kLetters[bit];
    }
  }
};
constexpr TcpFlagTable kTcpFlagText;

// tcpdump's text of a Multipath TCP option (RFC 8684) after "mptcp": the length, the
// subtype and its fields. `o` is the option from its kind byte, `len` bytes long and all captured. False when
// tcpdump calls the option bad (a length the subtype cannot have).
bool append_mptcp(OutputBuffer& out, const std::uint8_t* o, std::uint32_t len,
                  std::uint8_t tcp_flags) {
  if (len < 3) return false;
  static constexpr std::string_view kSubtypes[] = {"capable"sv,  "join"sv,     "dss"sv,
                                                   "add-addr"sv, "rem-addr"sv, "prio"sv,
                                                   "fail"sv,     "fast-close"sv, "unknown"sv};
  const unsigned subtype = std::min(o[2] >> 4, 8);
  out.append(' ');
  out.append_uint(len);
  out.append(' ');
  out.append(kSubtypes[subtype]);
  const bool syn = tcp_flags & kSyn, ack = tcp_flags & kAck;
  switch (subtype) {
    case 0: {  // MP_CAPABLE
      if (!((len == 12 || len == 4) && syn) && !((len == 20 || len == 22) && ack && !syn))
        return false;
      const unsigned version = o[2] & 15;
      if (version > 1) {
        out.append(" Unknown Version (");
        out.append_uint(version);
        out.append(')');
        return true;
      }
      out.append(" v");
      out.append_uint(version);
      if (o[3] & 0x80) out.append(" csum");
      if (len == 12 || len >= 20) {
        out.append(" {0x");
        out.append_hex(load_be64(o + 4));
        if (len >= 20) {
          out.append(",0x");
          out.append_hex(load_be64(o + 12));
        }
        out.append('}');
      }
      return true;
    }
    case 1: {  // MP_JOIN
      if (!(len == 12 && syn) && !(len == 16 && syn && ack) && !(len == 24 && ack)) return false;
      if (len != 24) {
        if (o[2] & 1) out.append(" backup");
        out.append(" id ");
        out.append_uint(o[3]);
      }
      if (len == 12) {
        out.append(" token 0x");
        out.append_hex(load_be32(o + 4));
        out.append(" nonce 0x");
        out.append_hex(load_be32(o + 8));
      } else if (len == 16) {
        out.append(" hmac 0x");
        out.append_hex(load_be64(o + 4));
        out.append(" nonce 0x");
        out.append_hex(load_be32(o + 12));
      } else {
        out.append(" hmac 0x");
        for (std::uint32_t i = 4; i < 24; ++i) out.append_hex8(o[i]);
      }
      return true;
    }
    case 2: {  // DSS
      if (len < 4 || syn) return false;
      const std::uint8_t flags = o[3];
      if (flags & 0x10) out.append(" fin");
      std::uint32_t at = 4;
      // A 4- or 8-byte number (the wide flag `wide`), false when it does not fit.
      const auto number = [&](bool wide) {
        const std::uint32_t n = wide ? 8 : 4;
        if (len - at < n) return false;
        out.append_uint(wide ? load_be64(o + at) : load_be32(o + at));
        at += n;
        return true;
      };
      if (flags & 0x01) {
        out.append(" ack ");
        if (!number(flags & 0x02)) return false;
      }
      if (flags & 0x04) {
        out.append(" seq ");
        if (!number(flags & 0x08)) return false;
        if (len - at < 4) return false;
        out.append(" subseq ");
        number(false);
        if (len - at < 2) return false;
        out.append(" len ");
        out.append_uint(load_be16(o + at));
        at += 2;
        if (len - at >= 2) {
          out.append(" csum 0x");
          out.append_hex(load_be16(o + at));
          at += 2;
        }
      }
      return at == len;
    }
    case 3: {  // ADD_ADDR: IPv4 or IPv6, with or without port and HMAC
      const bool v4 = len == 8 || len == 10 || len == 16 || len == 18;
      const bool v6 = len == 20 || len == 22 || len == 28 || len == 30;
      if (!v4 && !v6) return false;
      out.append(' ');
      switch (o[2] & 15) {
        case 6: out.append("v0-ip6"); break;
        case 4: out.append("v0-ip4"); break;
        case 1: out.append("v1-echo"); break;
        case 0: out.append("v1"); break;
        default: out.append("[bad version/echo]"); break;
      }
      out.append(" id ");
      out.append_uint(o[3]);
      out.append(' ');
      const std::uint32_t address = v4 ? 4 : 16;
      if (v4)
        append_ipv4(out, o + 4);
      else
        append_ipv6(out, o + 4);
      const bool port = len == 10 || len == 18 || len == 22 || len == 30;
      if (port) {
        out.append(':');
        out.append_uint(load_be16(o + 4 + address));
      }
      if (len == 16 || len == 18 || len == 28 || len == 30) {
        out.append(" hmac 0x");
        out.append_hex(load_be64(o + 4 + address + (port ? 2 : 0)));
      }
      return true;
    }
    case 4:  // REMOVE_ADDR
      if (len < 4) return false;
      out.append(" id");
      for (std::uint32_t i = 3; i < len; ++i) {
        out.append(' ');
        out.append_uint(o[i]);
      }
      return true;
    case 5:  // MP_PRIO
      if (len != 3 && len != 4) return false;
      out.append(o[2] & 1 ? " backup"sv : " non-backup"sv);
      if (len == 4) {
        out.append(" id ");
        out.append_uint(o[3]);
      }
      return true;
    case 6:  // MP_FAIL
    case 7:  // MP_FASTCLOSE
      if (len != 12) return false;
      if (subtype == 6) {
        out.append(" seq ");
        out.append_uint(load_be64(o + 4));
      } else {
        out.append(" key 0x");
        out.append_hex(load_be64(o + 4));
      }
      return true;
    default:
      return true;
  }
}

// tcpdump's TCP Fast Open option (RFC 7413): " cookiereq", " cookie HEX" or " (invalid)".
void append_fast_open(OutputBuffer& out, const std::uint8_t* cookie, std::uint32_t length) {
  if (length == 0) return out.append(" cookiereq");
  if (length % 2 != 0 || length < 4 || length > 16) return out.append(" (invalid)");
  out.append(" cookie ");
  for (std::uint32_t i = 0; i < length; ++i) out.append_hex8(cookie[i]);
}

enum class OptionResult { ok, bad, cut };

// The TCP options other than the common ones (append_tcp_options' switch), with the same
// variables: `kind` and `len` from the option's first bytes, `v` its data, `hlen` the header
// bytes left after kind and length, `have` the captured ones from `v` on. Sets `datalen`.
[[gnu::noinline]] OptionResult append_other_tcp_option(
    OutputBuffer& out, std::uint8_t kind, std::uint32_t len, const std::uint8_t* v,
    std::uint32_t hlen, std::uint32_t have, std::uint8_t tcp_flags, bool segment_captured,
    std::string_view& marker, std::uint32_t& datalen) {
  const auto fits = [&](std::uint32_t n) { return n <= hlen; };
  switch (kind) {
    case 11:  // cc, ccnew, ccecho (tcpdump's name for ccecho is empty)
    case 12:
    case 13:
      out.append(kind == 11 ? "cc"sv : kind == 12 ? "ccnew"sv : ""sv);
      datalen = 4;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(' ');
      out.append_uint(load_be32(v));
      break;
    case 19:  // TCP MD5 signature (RFC 2385): tcpdump cannot check it without -M
      out.append("md5");
      datalen = 16;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(segment_captured ? " shared secret not supplied with -M, can't check - "sv
                                  : " snaplen too short, can't check - "sv);
      for (std::uint32_t b = 0; b < datalen; ++b) out.append_hex8(v[b]);
      break;
    case 20:  // SCPS capabilities
      out.append("scps");
      datalen = 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(" cap ");
      out.append_hex8(v[0]);
      out.append(" id ");
      out.append_uint(v[1]);
      break;
    case 28: {  // user timeout (RFC 5482): minutes when the low bit is set
      out.append("uto");
      datalen = 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      const std::uint32_t timeout = load_be16(v);
      out.append(" 0x");
      out.append_hex(timeout);
      out.append(' ');
      out.append_uint(timeout & 1 ? (timeout >> 1) * 60 : timeout >> 1);
      break;
    }
    case 29:  // TCP-AO (RFC 5925)
      out.append("tcp-ao");
      datalen = len - 2;
      if (datalen < 2) {
        out.append(" (invalid)");
        break;
      }
      if (!fits(1)) return OptionResult::bad;
      if (have < 1) return OptionResult::cut;
      out.append(" keyid ");
      out.append_uint(v[0]);
      if (!fits(2)) return OptionResult::bad;
      if (have < 2) return OptionResult::cut;
      out.append(" rnextkeyid ");
      out.append_uint(v[1]);
      if (datalen > 2) {
        out.append(" mac 0x");
        for (std::uint32_t b = 2; b < datalen; ++b) {
          if (!fits(b + 1)) return OptionResult::bad;
          if (have < b + 1) return OptionResult::cut;
          out.append_hex8(v[b]);
        }
      }
      break;
    case 30:  // Multipath TCP
      out.append("mptcp");
      datalen = len - 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      marker = " [|mptcp]"sv;  // tcpdump's truncation marker from here on
      if (!append_mptcp(out, v - 2, len, tcp_flags)) return OptionResult::bad;
      break;
    case 34:  // TCP Fast Open (RFC 7413)
      out.append("tfo");
      datalen = len - 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(' ');
      append_fast_open(out, v, datalen);
      break;
    case 254: {  // experimental (RFC 6994): the magic number, Fast Open's decoded
      out.append("exp");
      datalen = len - 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      if (datalen < 2) return OptionResult::bad;
      const std::uint16_t magic = load_be16(v);
      out.append('-');
      if (magic == 0xf989) {
        out.append("tfo");
        append_fast_open(out, v + 2, datalen - 2);
      } else {
        out.append_hex_padded(magic, 4);
      }
      break;
    }
    default:
      // An option tcpdump does not know: its number and data in hex.
      out.append("unknown-");
      out.append_uint(kind);
      datalen = len - 2;
      if (datalen == 0) break;
      if (!fits(datalen)) return OptionResult::bad;
      out.append(" 0x");
      for (std::uint32_t b = 0; b < datalen; ++b) {
        if (b >= have) return OptionResult::cut;
        out.append_hex8(v[b]);
      }
      break;
  }
  return OptionResult::ok;
}

// tcpdump's TCP option list ("mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"), with its exact
// behaviour on bad and cut options: `length` is the options' length from the header, `captured`
// how many of those bytes are in the capture. Returns false when tcpdump stops the line inside
// the list: "[bad opt]" for an option that does not fit the header, " [|tcp]" for one that runs
// past the captured bytes (then ">" after a first option, as tcpdump's trunc label does).
//
// `tcp_flags` picks the MPTCP forms; `segment_captured` says whether the whole segment is
// captured (tcpdump's MD5 signature check needs it).
bool append_tcp_options(OutputBuffer& out, const std::uint8_t* o, std::uint32_t length,
                        std::uint32_t captured, bool& dump_whole, std::uint8_t tcp_flags,
                        bool segment_captured, std::string_view& marker) {
  std::uint32_t hlen = length;
  std::uint32_t i = 0;
  bool first = true;
  const auto bad = [&] {
    out.append("[bad opt]");
    if (!first) out.append(']');
    return false;
  };
  const auto cut = [&] {
    out.append(marker);
    if (!first) out.append('>');
    return false;
  };
  // tcpdump's LENCHECK: the option data must fit the header, then the capture.
  const auto fits = [&](std::uint32_t n) { return n <= hlen; };
  while (hlen > 0) {
    if (!first) out.append(',');
    if (i >= captured) {
      out.append(marker);
      dump_whole = true;
      return false;
    }
    const std::uint8_t kind = o[i++];
    std::uint32_t len = 1;
    if (kind > 1) {
      if (i >= captured) {
        out.append(marker);
        dump_whole = true;
        return false;
      }
      len = o[i++];
      if (len < 2 || len > hlen) return bad();
      --hlen;
    }
    --hlen;
    std::uint32_t datalen = 0;
    const std::uint8_t* v = o + i;
    const std::uint32_t have = captured - i;  // captured option data from v on
    switch (kind) {
      case 0: out.append("eol"); break;
      case 1: out.append("nop"); break;
      case 2:
        out.append("mss");
        datalen = 2;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        append_number(out, " "sv, load_be16(v));
        break;
      case 3:
        out.append("wscale");
        datalen = 1;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        append_number(out, " "sv, v[0]);
        break;
      case 4: out.append("sackOK"); break;
      case 5: {
        out.append("sack");
        datalen = len - 2;
        if (datalen % 8 != 0) {
          out.append(" invalid sack");
          break;
        }
        out.append(' ');
        out.append_uint(datalen / 8);
        out.append(' ');
        for (std::uint32_t b = 0; b < datalen; b += 8) {
          if (!fits(b + 8)) return bad();
          if (have < b + 8) return cut();
          out.append('{');
          out.append_uint(load_be32(v + b));
          out.append(':');
          out.append_uint(load_be32(v + b + 4));
          out.append('}');
        }
        break;
      }
      case 6:
      case 7:
        out.append(kind == 6 ? "echo"sv : "echoreply"sv);
        datalen = 4;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        out.append(' ');
        out.append_uint(load_be32(v));
        break;
      case 8:
        out.append("TS");
        datalen = 8;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        append_number(out, " val "sv, load_be32(v));
        append_number(out, " ecr "sv, load_be32(v + 4));
        break;
      default: {
        // The options most segments do not carry, out of line.
        const OptionResult result = append_other_tcp_option(
            out, kind, len, v, hlen, have, tcp_flags, segment_captured, marker, datalen);
        if (result == OptionResult::bad) return bad();
        if (result == OptionResult::cut) return cut();
        break;
      }
    }
    i += datalen;
    hlen -= datalen;
    if (datalen + 1 + (kind > 1 ? 1u : 0u) != len) {
      out.append("[len ");
      out.append_uint(len);
      out.append(']');
    }
    first = false;
    if (kind == 0) break;
  }
  out.append(']');
  return true;
}

// "src > dst" and `end`.
void append_addresses(const Context& c, std::string_view end) {
  append_ip(c.out, c.s, c.s.source_ip);
  c.out.append(" > ");
  append_ip(c.out, c.s, c.s.destination_ip);
  c.out.append(end);
}

// "src.port > dst.port: " (IPv6 behind extension headers: ports only, as tcpdump).
void append_endpoints(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (with_addresses && s.network == Network::ipv4) {
    // The common case in one go: "a.b.c.d.port > e.f.g.h.port: ", at most 50 bytes.
    char* const start = out.reserve(64);
    char* p = put_ipv4(start, s.source_ip);
    *p++ = '.';
    p = put_u32(p, s.source_port);
    std::memcpy(p, " > ", 3);
    p = put_ipv4(p + 3, s.destination_ip);
    *p++ = '.';
    p = put_u32(p, s.destination_port);
    std::memcpy(p, ": ", 2);
    out.advance(static_cast<std::size_t>(p + 2 - start));
    return;
  }
  if (with_addresses) {
    append_ip(out, s, s.source_ip);
    out.append('.');
  }
  out.append_uint(s.source_port);
  out.append(" > ");
  if (with_addresses) {
    append_ip(out, s, s.destination_ip);
    out.append('.');
  }
  out.append_uint(s.destination_port);
  out.append(": ");
}

void print_tcp(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_ports) {
    // tcpdump: "a > b:" and the marker when even the ports are cut off (the addresses also
    // behind IPv6 extension headers).
    append_addresses(c, ":"sv);
    out.append(" [|tcp]");
    return;
  }
  append_endpoints(c, with_addresses);
  if (s.truncated == Layer::tcp && !c.captured(s.transport_offset, 20)) {
    out.append(" [|tcp]");
    return;
  }
  if (s.tcp_header_length < 20) {
    out.append(" [bad hdr length ");
    out.append_uint(s.tcp_header_length);
    out.append(" - too short, < 20]");
    return;
  }
  if (c.options.quiet) {
    out.append("tcp ");
    out.append_uint(s.transport_length >= s.tcp_header_length
                        ? s.transport_length - s.tcp_header_length
                        : 0);
    return;
  }
  {
    // "Flags [S.]" in one reservation, the flag letters from a table.
    char* const start = out.reserve(24);
    std::memcpy(start, "Flags [", 8);
    const TcpFlagText& f = kTcpFlagText.text[s.tcp_flags];
    std::memcpy(start + 7, f.letters, 8);
    start[7 + f.length] = ']';
    out.advance(8u + f.length);
  }
  if (s.tcp_header_length > s.transport_length) {
    out.append(", [bad hdr length ");
    out.append_uint(s.tcp_header_length);
    out.append(" - too long, > ");
    out.append_uint(s.transport_length);
    out.append(']');
    return;
  }
  const std::uint32_t length = s.transport_length - s.tcp_header_length;
  if (c.options.verbose > 0 && c.options.verify_checksums && !s.more_fragments &&
      !s.later_fragment && c.captured(s.transport_offset, s.transport_length)) {
    const std::uint8_t* t = c.data() + s.transport_offset;
    const std::uint16_t field = load_be16(t + 16);
    const std::uint16_t sum = transport_checksum(s, t, s.transport_length, 6);
    out.append(", cksum 0x");
    out.append_hex_padded(field, 4);
    if (sum == 0) {
      out.append(" (correct)");
    } else {
      out.append(" (incorrect -> 0x");
      out.append_hex_padded(checksum_should_be(field, sum), 4);
      out.append(')');
    }
  }
  {
    // ", seq a:b, ack c, win d, urg e" in one reservation (at most 76 bytes).
    char* const start = out.reserve(80);
    char* p = start;
    if (length > 0 || (s.tcp_flags & (kSyn | kFin | kRst)) || c.options.verbose > 1) {
      std::memcpy(p, ", seq ", 6);
      p = put_u32(p + 6, s.seq);
      if (length > 0) {
        *p++ = ':';
        p = put_u32(p, s.seq + length);
      }
    }
    if (s.tcp_flags & kAck) {
      std::memcpy(p, ", ack ", 6);
      p = put_u32(p + 6, s.ack);
    }
    std::memcpy(p, ", win ", 6);
    p = put_u32(p + 6, s.window);
    if (s.tcp_flags & kUrg) {
      std::memcpy(p, ", urg ", 6);
      p = put_u32(p + 6, s.urgent);
    }
    out.advance(static_cast<std::size_t>(p - start));
  }
  std::string_view marker = " [|tcp]"sv;
  if (s.tcp_header_length > 20) {
    out.append(", options [");
    const std::uint32_t options_length = s.tcp_header_length - 20u;
    const std::uint32_t start = s.transport_offset + 20;
    const std::uint32_t captured = c.caplen() > start ? c.caplen() - start : 0;
    if (!append_tcp_options(out, c.data() + start, options_length,
                            captured < options_length ? captured : options_length, c.dump_whole,
                            s.tcp_flags, c.captured(s.transport_offset, s.transport_length),
                            marker))
      return;
  }
  {
    char* const start = out.reserve(24);
    std::memcpy(start, ", length ", 9);
    out.advance(static_cast<std::size_t>(put_u32(start + 9, length) - start));
  }
  // Options that ended early (eol) can leave the header's end uncaptured: tcpdump notices
  // when it looks past the header.
  if (!c.captured(s.transport_offset, s.tcp_header_length)) {
    out.append(" [remaining caplen(");
    out.append_uint(c.caplen() - s.transport_offset);
    out.append(") < header length(");
    out.append_uint(s.tcp_header_length);
    out.append(")]");
    out.append(marker);
    c.dump_whole = true;
    return;
  }
  // -v: the text a reset carries (RFC 1122 4.2.2.12), at most 30 bytes of it, with "!" when
  // not all of it is captured and "+" when it is longer.
  if (length > 0 && (s.tcp_flags & kRst) && c.options.verbose > 0) {
    const std::uint32_t data = s.transport_offset + s.tcp_header_length;
    out.append(c.captured(data, length) ? " [RST"sv : " [!RST"sv);
    if (length > 30) out.append('+');
    out.append(' ');
    const std::uint32_t shown = std::min({length, 30u, c.caplen() - data});
    for (std::uint32_t i = 0; i < shown; ++i) append_safe_char(out, c.data()[data + i]);
    out.append(']');
  }
}

void print_udp(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_ports) {
    if (with_addresses) append_addresses(c, ": "sv);
    out.append(" [|udp]");
    return;
  }
  append_endpoints(c, with_addresses);
  if (s.transport_length < 8) {
    out.append("truncated-udp ");
    out.append_uint(s.transport_length);
    return;
  }
  if (!c.captured(s.transport_offset, 6)) {  // the length field
    out.append(" [|udp]");
    return;
  }
  // tcpdump's lengths: the UDP length field (the IP length for a jumbogram's 0) and the IP
  // payload's, both without the UDP header; the shorter one is checksummed.
  const std::uint32_t udp_length =
      s.udp_length == 0 && s.transport_length > 0xffff ? s.transport_length : s.udp_length;
  if (udp_length < 8) {
    out.append("truncated-udplength ");
    out.append_uint(udp_length);
    return;
  }
  if (s.truncated == Layer::udp) {
    out.append(" [|udp]");
    return;
  }
  const std::uint32_t length = std::min(udp_length, s.transport_length);
  // The checksum: with -v over IPv6 (where it is mandatory), with -vv over IPv4 too, where 0
  // means none was computed.
  const bool ipv6 = s.network == Network::ipv6;
  if (c.options.verbose > (ipv6 ? 0 : 1) && c.options.verify_checksums &&
      !(ipv6 ? s.ipv6_fragmented : s.more_fragments || s.later_fragment)) {
    const std::uint8_t* u = c.data() + s.transport_offset;
    if (s.network == Network::ipv4 && load_be16(u + 6) == 0) {
      out.append("[no cksum] ");
    } else if (c.captured(s.transport_offset, length)) {
      append_checksum_verdict(out, "udp"sv, load_be16(u + 6),
                              transport_checksum(s, u, length, 17));
    }
  }
  const bool fragmented = ipv6 ? s.ipv6_fragmented : s.more_fragments;
  if (udp_length > s.transport_length && !fragmented) {
    out.append("UDP, bad length ");
    out.append_uint(udp_length - 8u);
    out.append(" > ");
    out.append_uint(s.transport_length - 8u);
    return;
  }
  out.append("UDP, length ");
  out.append_uint(udp_length - 8u);
}

void print_ipv4_inner(const Context& c, std::uint32_t offset, std::uint32_t length);
void print_ipv4(const Context& c, bool name);

// tcpdump's text for an ICMP unreachable code, with "%s" where the address goes.
struct UnreachText {
  std::string_view before, after;
};
UnreachText icmp_unreach_text(std::uint8_t code) {
  switch (code) {
    case 0: return {"net "sv, " unreachable"sv};
    case 1: return {"host "sv, " unreachable"sv};
    case 5: return {""sv, " unreachable - source route failed"sv};
    case 6: return {"net "sv, " unreachable - unknown"sv};
    case 7: return {"host "sv, " unreachable - unknown"sv};
    case 8: return {""sv, " unreachable - source host isolated"sv};
    case 9: return {"net "sv, " unreachable - admin prohibited"sv};
    case 10: return {"host "sv, " unreachable - admin prohibited"sv};
    case 11: return {"net "sv, " unreachable - tos prohibited"sv};
    case 12: return {"host "sv, " unreachable - tos prohibited"sv};
    case 13: return {"host "sv, " unreachable - admin prohibited filter"sv};
    case 14: return {"host "sv, " unreachable - host precedence violation"sv};
    case 15: return {"host "sv, " unreachable - precedence cutoff"sv};
    default: return {""sv, " unreachable - #"sv};
  }
}

// tcpdump prints an ICMP message only once all of the fields it shows are captured;
// otherwise "a > b:  [|icmp]". These are the bytes it needs, by type.
std::uint32_t icmp_needed(std::uint8_t type, std::uint8_t code) {
  switch (type) {
    case 0: case 8: case 13: return 8;
    case 3: case 5: case 11: return 28;
    case 9: return 8;
    case 12: return code == 0 ? 5 : 2;
    case 14: return 20;
    case 18: return 12;
    default: return 2;
  }
}

// tcpdump's text for a code, from a table indexed by the code; an unknown code prints as
// `unknown`, the number, then `after`. False for an unknown code.
bool append_code_text(OutputBuffer& out, std::span<const std::string_view> known,
                      std::uint8_t code, std::string_view unknown, std::string_view after) {
  if (code < known.size()) {
    out.append(known[code]);
    return true;
  }
  out.append(unknown);
  out.append_uint(code);
  out.append(after);
  return false;
}

// "HH:MM:SS.mmm" of milliseconds since midnight UTC (ICMP timestamps).
void append_icmp_time(OutputBuffer& out, std::uint32_t ms) {
  out.append_uint_padded(ms / 3600000u % 24u, 2);
  out.append(':');
  out.append_uint_padded(ms / 60000u % 60u, 2);
  out.append(':');
  out.append_uint_padded(ms / 1000u % 60u, 2);
  out.append('.');
  out.append_uint_padded(ms % 1000u, 3);
}

void print_icmp_message(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint32_t off = s.transport_offset;
  if (!s.has_icmp || !c.captured(off, icmp_needed(s.icmp_type, s.icmp_code))) {
    out.append(" [|icmp]");
    // tcpdump bounds-checks the quoted header of these; everything else is a longjmp.
    c.dump_whole = !s.has_icmp || !((s.icmp_type == 3 && s.icmp_code == 3 &&
                                     !c.captured(off, 18)) || s.icmp_type == 11);
    return;
  }
  const std::uint8_t* m = c.data() + off;
  const std::uint8_t* inner = m + 8;          // the quoted datagram of error messages
  const std::uint8_t* quoted_dst = inner + 16;
  bool embedded = false;
  switch (s.icmp_type) {
    case 3: {
      embedded = true;
      const std::uint32_t ihl = (inner[0] & 15u) * 4u;
      if (s.icmp_code == 3) {
        // The port needs the quoted transport header too.
        if (!c.captured(off + 8, ihl + 4)) {
          out.append(" [|icmp]");
          c.dump_whole = true;
          return;
        }
        out.append("ICMP ");
        append_ipv4(out, quoted_dst);
        const std::uint8_t proto = inner[9];
        const std::uint16_t port = load_be16(inner + ihl + 2);
        if (proto == 6 || proto == 17) {
          out.append(proto == 6 ? " tcp port "sv : " udp port "sv);
        } else {
          out.append(" protocol ");
          out.append_uint(proto);
          out.append(" port ");
        }
        out.append_uint(port);
        out.append(" unreachable");
        break;
      }
      out.append("ICMP ");
      if (s.icmp_code == 2) {
        append_ipv4(out, quoted_dst);
        out.append(" protocol ");
        out.append_uint(inner[9]);
        out.append(" unreachable");
        break;
      }
      if (s.icmp_code == 4) {
        append_ipv4(out, quoted_dst);
        const std::uint16_t mtu = load_be16(m + 6);
        out.append(" unreachable - need to frag");
        if (mtu != 0) {
          out.append(" (mtu ");
          out.append_uint(mtu);
          out.append(')');
        }
        break;
      }
      const UnreachText text = icmp_unreach_text(s.icmp_code);
      out.append(text.before);
      append_ipv4(out, quoted_dst);
      out.append(text.after);
      if (s.icmp_code > 15) out.append_uint(s.icmp_code);
      break;
    }
    case 5:
      embedded = true;
      out.append("ICMP ");
      static constexpr std::string_view kRedirect[] = {"redirect "sv, "redirect "sv,
                                                       "redirect-tos "sv, "redirect-tos "sv};
      append_code_text(out, kRedirect, s.icmp_code, "redirect-#"sv, " "sv);
      append_ipv4(out, quoted_dst);
      out.append(s.icmp_code >= std::size(kRedirect)         ? " to "sv  // unnamed code
                 : s.icmp_code == 1 || s.icmp_code == 3 ? " to host "sv
                                                        : " to net "sv);
      append_ipv4(out, m + 4);
      break;
    case 11:
      embedded = true;
      out.append("ICMP ");
      if (s.icmp_code == 0) {
        out.append("time exceeded in-transit");
      } else if (s.icmp_code == 1) {
        out.append("ip reassembly time exceeded");
      } else {
        out.append("time exceeded-#");
        out.append_uint(s.icmp_code);
      }
      break;
    case 0:
    case 8:
      out.append(s.icmp_type == 8 ? "ICMP echo request, id "sv : "ICMP echo reply, id "sv);
      out.append_uint(s.icmp_id);
      out.append(", seq ");
      out.append_uint(s.icmp_seq);
      break;
    case 13:
    case 14:
      out.append(s.icmp_type == 13 ? "ICMP time stamp query id "sv : "ICMP time stamp reply id "sv);
      out.append_uint(s.icmp_id);
      out.append(" seq ");
      out.append_uint(s.icmp_seq);
      if (s.icmp_type == 14) {
        out.append(": org ");
        append_icmp_time(out, load_be32(m + 8));
        out.append(", recv ");
        append_icmp_time(out, load_be32(m + 12));
        out.append(", xmit ");
        append_icmp_time(out, load_be32(m + 16));
      }
      break;
    case 12:
      out.append("ICMP parameter problem");
      if (s.icmp_code == 0) {
        out.append(" - octet ");
        out.append_uint(m[4]);
      } else {
        out.append(" - code ");
        out.append_uint(s.icmp_code);
      }
      break;
    case 18:
      out.append("ICMP address mask is 0x");
      out.append_hex_padded(load_be32(m + 8), 8);
      break;
    case 4: out.append("ICMP source quench"); break;
    case 9: out.append("ICMP router advertisement"); break;
    case 10: out.append("ICMP router solicitation"); break;
    case 15: out.append("ICMP information request"); break;
    case 16: out.append("ICMP information reply"); break;
    case 17: out.append("ICMP address mask request"); break;
    default:
      out.append("ICMP type-#");
      out.append_uint(s.icmp_type);
      break;
  }
  out.append(", length ");
  out.append_uint(s.transport_length);
  // -v: the checksum of a whole, unfragmented message, when it is wrong.
  // (tcpdump's -K leaves ICMP's and ICMPv6's verdicts in.)
  if (c.options.verbose > 0 && !s.more_fragments && !s.later_fragment &&
      c.captured(off, s.transport_length)) {
    if (const std::uint16_t sum = internet_checksum(m, s.transport_length); sum != 0) {
      if (!c.captured(off, 4)) {  // tcpdump reads the field and gives up
        out.append(" [|icmp]");
        c.dump_whole = true;
        return;
      }
      const std::uint16_t field = load_be16(m + 2);
      out.append(" (wrong icmp cksum ");
      out.append_hex(field);
      out.append(" (->");
      out.append_hex(checksum_should_be(field, sum));
      out.append(")!)");
    }
  }
  if (embedded && c.options.verbose > 0 && c.captured(off + 8, 20)) {
    out.append("\n\t");
    print_ipv4_inner(c, off + 8, c.caplen() - (off + 8));
  }
}

std::string_view icmp6_type_name(std::uint8_t type) {
  switch (type) {
    case 1: return "destination unreachable"sv;
    case 2: return "packet too big"sv;
    case 3: return "time exceeded in-transit"sv;
    case 4: return "parameter problem"sv;
    case 128: return "echo request"sv;
    case 129: return "echo reply"sv;
    case 130: return "multicast listener query"sv;
    case 131: return "multicast listener report"sv;
    case 132: return "multicast listener done"sv;
    case 133: return "router solicitation"sv;
    case 134: return "router advertisement"sv;
    case 135: return "neighbor solicitation"sv;
    case 136: return "neighbor advertisement"sv;
    case 137: return "redirect"sv;
    case 138: return "router renumbering"sv;
    case 139: return "who-are-you request"sv;  // tcpdump's first name for 139 and 140
    case 140: return "who-are-you reply"sv;
    case 141: return "inverse neighbor solicitation"sv;
    case 142: return "inverse neighbor advertisement"sv;
    case 143: return "multicast listener report v2"sv;
    case 144: return "ha discovery request"sv;
    case 145: return "ha discovery reply"sv;
    case 146: return "mobile router solicitation"sv;
    case 147: return "mobile router advertisement"sv;
    case 155: return "RPL"sv;
    case 200: return "mtrace response"sv;
    case 201: return "mtrace message"sv;
    default: return {};
  }
}

// tcpdump -v's neighbor discovery options: link-layer addresses, one per line.
// tcpdump's bit-flag lists: the names of the set bits joined by ", ", or "none".
struct FlagName {
  std::uint8_t bit;
  std::string_view name;
};

void append_flag_names(OutputBuffer& out, std::uint8_t flags, const std::array<FlagName, 3>& names) {
  bool any = false;
  for (const FlagName& f : names) {
    if (!(flags & f.bit)) continue;
    if (any) out.append(", ");
    out.append(f.name);
    any = true;
  }
  if (!any) out.append("none");
}

// A router's preference (RFC 4191), from two bits of a flags byte.
constexpr std::string_view kRouterPreference[4] = {"medium"sv, "high"sv, "rsv"sv, "low"sv};

// tcpdump's name for a neighbor discovery option type.
std::string_view nd_option_name(std::uint8_t type) {
  switch (type) {
    case 1: return "source link-address"sv;
    case 2: return "destination link-address"sv;
    case 3: return "prefix info"sv;
    case 4: return "redirected header"sv;
    case 5: return "mtu"sv;
    case 7: return "advertisement interval"sv;
    case 8: return "homeagent information"sv;
    case 24: return "route info"sv;
    case 25: return "rdnss"sv;
    case 31: return "dnssl"sv;
    default: return "unknown"sv;
  }
}

// A byte of a name as tcpdump's fn_print_char() shows it: "M-" before a byte past ASCII, then
// "^" and the byte ^ 0x40 for a control character, so that no terminal control reaches the
// output.
void append_safe_char(OutputBuffer& out, std::uint8_t c) {
  if (c & 0x80) {
    out.append("M-");
    c &= 0x7f;
  }
  if (c < 0x20 || c == 0x7f) {
    out.append('^');
    c ^= 0x40;
  }
  out.append(static_cast<char>(c));
}

// A lifetime in seconds, or "infinity" for all ones.
void append_lifetime(OutputBuffer& out, std::uint32_t v) {
  if (v == 0xffffffffu) {
    out.append("infinity");
    return;
  }
  out.append_uint(v);
  out.append('s');
}

// tcpdump -v's neighbor discovery options, one per line, from `o` to `end` (the message's end).
void append_nd_options(const Context& c, std::uint32_t o, std::uint32_t end) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data();
  const std::uint32_t first = o;
  while (o < end) {
    if (!c.captured(o, 1)) return;  // tcpdump stops quietly at the end of the capture
    if (!c.captured(o, 2)) {
      out.append(" [|icmp6]");
      return;
    }
    const std::uint8_t type = d[o];
    const std::uint32_t units = d[o + 1];
    const std::uint32_t size = units * 8;
    if (units == 0 || !c.captured(o, size)) {
      out.append(" [|icmp6]");
      return;
    }
    const std::uint8_t* p = d + o;
    out.append("\n\t  ");
    out.append(nd_option_name(type));
    out.append(" option (");
    out.append_uint(type);
    out.append("), length ");
    out.append_uint(size);
    out.append(" (");
    out.append_uint(units);
    out.append("): ");
    switch (type) {
      case 1:
      case 2:
        for (std::uint32_t i = 2; i < size; ++i) {
          if (i > 2) out.append(':');
          out.append_hex8(p[i]);
        }
        break;
      case 3: {  // prefix information (tcpdump reads it whole even from a shorter option)
        if (!c.captured(o, 32)) {  // a field read past the capture: tcpdump's longjmp
          out.append(" [|icmp6]");
          c.dump_whole = true;
          return;
        }
        append_ipv6(out, p + 16);
        out.append('/');
        out.append_uint(p[2]);
        if (units != 4) out.append("badlen");
        out.append(", Flags [");
        append_flag_names(out, p[3], {{{0x80, "onlink"sv}, {0x40, "auto"sv}, {0x20, "router"sv}}});
        out.append("], valid time ");
        append_lifetime(out, load_be32(p + 4));
        out.append(", pref. time ");
        append_lifetime(out, load_be32(p + 8));
        break;
      }
      case 5:  // mtu
        out.append(' ');
        out.append_uint(load_be32(p + 4));
        if (units != 1) out.append("bad option length");
        break;
      case 7:  // advertisement interval
        out.append(' ');
        out.append_uint(load_be32(p + 4));
        out.append("ms");
        break;
      case 8:  // home agent information
        out.append(" preference ");
        out.append_uint(load_be16(p + 4));
        out.append(", lifetime ");
        out.append_uint(load_be16(p + 6));
        break;
      case 4: {  // redirected header: tcpdump dumps the bytes from the first option on
        const std::uint32_t n = std::min(size, c.caplen() - first);
        append_hex_lines(out, std::span<const std::uint8_t>(d + first, n), "\n\t    "sv);
        break;
      }
      case 24: {  // route information: a prefix of 0, 8 or 16 bytes
        if (units > 3) {
          out.append(" [|icmp6]");
          return;
        }
        std::array<std::uint8_t, 16> prefix{};
        std::memcpy(prefix.data(), p + 8, (units - 1) * 8);
        out.append(' ');
        append_ipv6(out, prefix.data());
        out.append('/');
        out.append_uint(p[2]);
        out.append(", pref=");
        out.append(kRouterPreference[(p[3] >> 3) & 3]);
        out.append(", lifetime=");
        append_lifetime(out, load_be32(p + 4));
        break;
      }
      case 31: {  // DNS search list: names in DNS labels, without compression
        out.append(" lifetime ");
        out.append_uint(load_be32(p + 4));
        out.append("s, domain(s):");
        std::uint32_t at = 8;
        while (at < size && p[at] != 0) {
          out.append(' ');
          while (at < size && p[at] != 0) {
            const std::uint32_t label = p[at];
            if (label > 63 || at + 1 + label > size) {
              out.append(" [|icmp6]");
              return;
            }
            for (std::uint32_t k = 1; k <= label; ++k) append_safe_char(out, p[at + k]);
            out.append('.');
            at += 1 + label;
          }
          ++at;  // the root label
        }
        break;
      }
      case 25: {  // recursive DNS servers
        out.append(" lifetime ");
        out.append_uint(load_be32(p + 4));
        out.append("s,");
        for (std::uint32_t a = 8; a + 16 <= size; a += 16) {
          out.append(" addr: ");
          append_ipv6(out, p + a);
        }
        break;
      }
      default:
        // tcpdump dumps an option it does not decode and stops there (with -v).
        if (c.options.verbose <= 1) {
          append_hex_lines(out, std::span<const std::uint8_t>(p + 2, size - 2), "\n\t  "sv);
          return;
        }
        break;
    }
    // -vv: the option's data again, in hex.
    if (c.options.verbose > 1)
      append_hex_lines(out, std::span<const std::uint8_t>(p + 2, size - 2), "\n\t    "sv);
    o += size;
  }
}

// MLD version 1 (query, report, done): tcpdump writes it straight after the type's name, and
// nothing (no truncation mark either) unless all 24 bytes are captured.
void append_mld(const Context& c, const std::uint8_t* m, std::uint32_t off) {
  if (!c.captured(off, 24)) return;
  c.out.append("max resp delay: ");
  c.out.append_uint(load_be16(m + 4));
  c.out.append(" addr: ");
  append_ipv6(c.out, m + 8);
}

// The sources of an MLDv2 query or record, `count` addresses from `at` in the message:
// " { A B }" with -vv, else ", N source(s)". False when an address is not captured.
bool append_mld_sources(const Context& c, const std::uint8_t* m, std::uint32_t off,
                        std::uint32_t at, std::uint32_t count) {
  OutputBuffer& out = c.out;
  if (c.options.verbose <= 1) {
    out.append(", ");
    out.append_uint(count);
    out.append(" source(s)");
    return true;
  }
  out.append(" {");
  for (std::uint32_t i = 0; i < count; ++i, at += 16) {
    if (!c.captured(off + at, 16)) return false;
    out.append(' ');
    append_ipv6(out, m + at);
  }
  out.append(" }");
  return true;
}

// An MLDv2 code with a mantissa and an exponent (RFC 3810 5.1.3, 5.1.9): values from
// `floating` on are (mantissa | 1 << mantissa_bits) << (exponent + 3).
std::uint32_t mldv2_time(std::uint32_t v, std::uint32_t floating, unsigned mantissa_bits) {
  if (v < floating) return v;
  const std::uint32_t mantissa = v & ((1u << mantissa_bits) - 1);
  const unsigned exponent = (v >> mantissa_bits) & 7;
  return (mantissa | 1u << mantissa_bits) << (exponent + 3);
}

// MLDv2 query: " [max resp delay=N] [gaddr G sflag robustness=N qqi=N, N source(s)]" (-v).
bool append_mldv2_query(const Context& c, const std::uint8_t* m, std::uint32_t off) {
  OutputBuffer& out = c.out;
  const bool verbose = c.options.verbose > 0;
  const std::uint32_t length = c.s.transport_length;
  if (!c.captured(off, 6)) return false;
  if (verbose) {
    out.append(" [max resp delay=");
    out.append_uint(mldv2_time(load_be16(m + 4), 32768, 12));
    out.append(']');
  }
  if (!c.captured(off, 24)) return false;
  out.append(" [gaddr ");
  append_ipv6(out, m + 8);
  if (verbose) {
    if (!c.captured(off, 25)) return false;
    if (m[24] & 0x08) out.append(" sflag");
    if (m[24] & 0x07) {
      out.append(" robustness=");
      out.append_uint(m[24] & 0x07);
    }
    if (!c.captured(off, 26)) return false;
    out.append(" qqi=");
    out.append_uint(mldv2_time(m[25], 128, 4));
  }
  if (!c.captured(off, 28)) return false;
  const std::uint32_t sources = load_be16(m + 26);
  if (sources > 0) {
    if (length < 28 + sources * 16) {
      out.append(" [invalid number of sources]");
    } else if (!append_mld_sources(c, m, off, 28, sources)) {
      return false;
    }
  }
  out.append(']');
  return true;
}

// MLDv2 report: ", N group record(s)", and with -v each record
// " [gaddr G is_in, N source(s)]".
bool append_mldv2_report(const Context& c, const std::uint8_t* m, std::uint32_t off) {
  OutputBuffer& out = c.out;
  const std::uint32_t length = c.s.transport_length;
  if (length < 8) {
    out.append(" [invalid len ");
    out.append_uint(length);
    out.append(']');
    return true;
  }
  if (!c.captured(off, 8)) return false;
  const std::uint32_t groups = load_be16(m + 6);
  out.append(", ");
  out.append_uint(groups);
  out.append(" group record(s)");
  if (c.options.verbose == 0) return true;
  static constexpr std::string_view kRecordTypes[] = {"is_in"sv, "is_ex"sv, "to_in"sv,
                                                      "to_ex"sv, "allow"sv, "block"sv};
  std::uint32_t at = 8;
  for (std::uint32_t g = 0; g < groups; ++g) {
    if (length < at + 20) {
      out.append(" [invalid number of groups]");
      return true;
    }
    if (!c.captured(off + at, 20)) return false;
    out.append(" [gaddr ");
    append_ipv6(out, m + at + 4);
    out.append(' ');
    const std::uint8_t type = m[at];
    if (type >= 1 && type <= 6) {
      out.append(kRecordTypes[type - 1]);
    } else {
      out.append(" [v2-report-#");
      out.append_uint(type);
      out.append(']');
    }
    const std::uint32_t sources = load_be16(m + at + 2);
    if (length < at + 20 + sources * 16) {
      out.append(" [invalid number of sources ");
      out.append_uint(sources);
      out.append(']');
      return true;
    }
    if (!append_mld_sources(c, m, off, at + 20, sources)) return false;
    at += 20 + sources * 16;
    out.append(']');
  }
  return true;
}

void print_icmp6_message(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint32_t off = s.transport_offset;
  if (s.transport_length == 0) {
    out.append("ICMP6, length 0 (invalid)");
    return;
  }
  if (!c.captured(off, 1)) {
    out.append(" [|icmp6]");
    c.dump_whole = true;
    return;
  }
  const std::uint8_t* m = c.data() + off;
  const bool verbose = c.options.verbose > 0;
  if (verbose && !s.ipv6_fragmented && c.captured(off, s.transport_length)) {
    if (!c.captured(off, 4)) {  // tcpdump reads the checksum field and gives up
      out.append(" [|icmp6]");
      c.dump_whole = true;
      return;
    }
    append_checksum_verdict(out, "icmp6"sv, load_be16(m + 2),
                            transport_checksum(s, m, s.transport_length, 58));
  }
  out.append("ICMP6, ");
  const std::string_view name = icmp6_type_name(m[0]);
  if (name.empty()) {
    out.append("unknown icmp6 type (");
    out.append_uint(m[0]);
    out.append(')');
  } else {
    out.append(name);
  }
  const auto cut = [&] {
    out.append(" [|icmp6]");
    // tcpdump checks the bounds of these before reading (no longjmp): its dump then starts
    // after the link header as usual.
    c.dump_whole = !(c.captured(off, 2) &&
                     ((s.icmp_type == 1 && s.icmp_code == 4) || s.icmp_type == 4));
  };
  auto length = [&] {
    out.append(", length ");
    out.append_uint(s.transport_length);
  };
  // tcpdump's dump of a message it has no printer for: the ICMPv6 message as far as captured
  // (the view ends with the message, print_transport()), in -x's format.
  const auto dump_message = [&] {
    append_dump(out, std::span<const std::uint8_t>(m, c.caplen() - off), DumpStyle::hex);
  };
  // ", id 0xNNNN" of the mobile IPv6 messages; false when it is not captured.
  const auto append_id = [&] {
    if (!c.captured(off, 6)) return false;
    out.append(", id 0x");
    out.append_hex_padded(load_be16(m + 4), 4);
    return true;
  };
  // tcpdump -v prints neighbor discovery's length right after the name.
  const bool nd = (m[0] >= 133 && m[0] <= 137) || m[0] == 145 || m[0] == 147;
  if (verbose && nd) length();
  if (!c.captured(off, 2)) return cut();  // the code
  const std::uint8_t* inner = m + 8;  // the quoted IPv6 packet of error messages
  switch (s.icmp_type) {
    case 128:
    case 129:
      if (!c.captured(off, 8)) return cut();
      out.append(", id ");
      out.append_uint(s.icmp_id);
      out.append(", seq ");
      out.append_uint(s.icmp_seq);
      if (!verbose) length();
      return;
    case 1:
      static constexpr std::string_view kUnreachable[] = {
          ", unreachable route"sv, ",  unreachable prohibited"sv,  // sic: tcpdump's two spaces
          ", beyond scope"sv, ", unreachable address"sv, ", unreachable port"sv};
      if (!append_code_text(out, kUnreachable, s.icmp_code, ", unknown unreach code ("sv, ")"sv)) {
        if (c.options.verbose <= 1) dump_message();
        return;
      }
      if (!c.captured(off, 48)) return cut();
      if (s.icmp_code == 4) {
        const std::uint8_t next = inner[6];
        if (!c.captured(off, 52)) return cut();
        out.append(", ");
        append_ipv6(out, inner + 24);
        out.append(next == 6 ? " tcp port "sv : next == 17 ? " udp port "sv : " protocol "sv);
        if (next == 6 || next == 17)
          out.append_uint(load_be16(inner + 42));
        else
          out.append_uint(next);
      } else {
        out.append(' ');
        append_ipv6(out, inner + 24);
        if (s.icmp_code == 2) {
          out.append(", source address ");
          append_ipv6(out, inner + 8);
        }
      }
      break;
    case 2:
      if (!c.captured(off, 8)) return cut();
      out.append(", mtu ");
      out.append_uint(load_be32(m + 4));
      break;
    case 3:
      if (s.icmp_code == 0) {
        if (!c.captured(off, 48)) return cut();
        out.append(" for ");
        append_ipv6(out, inner + 24);
      } else if (s.icmp_code == 1) {
        out.append(" (reassembly)");
      } else {
        out.append(", unknown code (");
        out.append_uint(s.icmp_code);
        out.append(')');
      }
      break;
    case 4:
      if (!c.captured(off, 48)) return cut();
      static constexpr std::string_view kParameterProblem[] = {
          ", erroneous - octet "sv, ", next header - octet "sv, ", option - octet "sv,
          ", incomplete header chain - octet "sv};
      if (append_code_text(out, kParameterProblem, s.icmp_code, ", code-#"sv, ""sv))
        out.append_uint(load_be32(m + 4));
      break;
    case 135:
    case 136: {
      const bool solicitation = s.icmp_type == 135;
      if (!c.captured(off, 24)) return cut();
      out.append(solicitation ? ", who has "sv : ", tgt is "sv);
      append_ipv6(out, m + 8);
      if (!verbose) {
        length();
        return;
      }
      if (!solicitation) {
        out.append(", Flags [");
        append_flag_names(out, m[4], {{{0x80, "router"sv}, {0x40, "solicited"sv}, {0x20, "override"sv}}});
        out.append(']');
      }
      append_nd_options(c, off + 24, off + s.transport_length);
      return;
    }
    case 133:
      if (!verbose) break;
      append_nd_options(c, off + 8, off + s.transport_length);
      return;
    case 134: {
      if (!verbose) break;
      if (!c.captured(off, 16)) return cut();
      const std::uint8_t flags = m[5];
      out.append("\n\thop limit ");
      out.append_uint(m[4]);
      out.append(", Flags [");
      append_flag_names(out, flags,
                        {{{0x80, "managed"sv}, {0x40, "other stateful"sv}, {0x20, "home agent"sv}}});
      out.append("], pref ");
      out.append(kRouterPreference[(flags >> 3) & 3]);
      out.append(", router lifetime ");
      out.append_uint(load_be16(m + 6));
      out.append("s, reachable time ");
      out.append_uint(load_be32(m + 8));
      out.append("ms, retrans timer ");
      out.append_uint(load_be32(m + 12));
      out.append("ms");
      append_nd_options(c, off + 16, off + s.transport_length);
      return;
    }
    case 137:  // redirect: destination, then the better first hop
      if (!c.captured(off, 40)) return cut();
      out.append(", ");
      append_ipv6(out, m + 24);
      out.append(" to ");
      append_ipv6(out, m + 8);
      if (!verbose) break;
      append_nd_options(c, off + 40, off + s.transport_length);
      return;
    case 130:  // MLD query: version 1 is 24 bytes long, version 2 at least 28
      if (s.transport_length == 24) {
        append_mld(c, m, off);
      } else if (s.transport_length >= 28) {
        out.append(" v2");
        if (!append_mldv2_query(c, m, off)) return cut();
      } else {
        out.append(" unknown-version (len ");
        out.append_uint(s.transport_length);
        out.append(") ");
      }
      break;
    case 131:
    case 132:
      append_mld(c, m, off);
      break;
    case 143:
      if (!append_mldv2_report(c, m, off)) return cut();
      break;
    case 141:  // inverse neighbor discovery: the name only
    case 142:
      break;
    case 144:  // home agent discovery request, mobile prefix solicitation
    case 146:
      if (!append_id()) return cut();
      break;
    case 145:  // home agent discovery reply: -v prints the id and the addresses
      if (!verbose) break;
      if (!append_id()) return cut();
      for (std::uint32_t a = 8; a < s.transport_length; a += 16) {
        if (!c.captured(off + a, 16)) return cut();
        out.append(", ");
        append_ipv6(out, m + a);
      }
      return;
    case 147:  // mobile prefix advertisement: -v prints the id, flags and options
      if (!verbose) break;
      if (!append_id() || !c.captured(off, 8)) return cut();
      // tcpdump reads the 16-bit field (hence 8 bytes) but tests the bits in its first byte.
      if (m[6] & 0xc0) out.append(' ');
      if (m[6] & 0x80) out.append('M');
      if (m[6] & 0x40) out.append('O');
      append_nd_options(c, off + 8, off + s.transport_length);
      return;
    case 138:  // router renumbering, node information, RPL: tcpdump decodes these further,
    case 139:  // slimcap prints the name and the length (man page, BUGS)
    case 140:
    case 155:
      break;
    default:  // no printer in tcpdump: the length, then the message in hex
      length();
      if (c.options.verbose <= 1) dump_message();
      return;
  }
  // tcpdump -v leaves the length out (or printed it after the name).
  if (!verbose) length();
}

void print_transport_here(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  switch (s.protocol) {
    case 6: print_tcp(c, with_addresses); return;
    case 17: print_udp(c, with_addresses); return;
    case 1: print_icmp_message(c); return;
    case 58: print_icmp6_message(c); return;
    case 59: out.append("no next header"); return;
    default:
      out.append(" ip-proto-");
      out.append_uint(s.protocol);
      out.append(' ');
      out.append_uint(s.transport_length);
      return;
  }
}

// tcpdump reads a transport only up to the end of its IP datagram (nd_push_snaplen): bytes
// after it (padding, or a length field shorter than the datagram) count as not captured.
[[gnu::noinline]] void print_transport_clamped(const Context& c, bool with_addresses,
                                               std::uint32_t end) {
  PacketView view = c.packet;
  view.data = view.data.first(end);
  const Context clamped{c.options, view, c.s, c.out};
  print_transport_here(clamped, with_addresses);
  c.dump_whole = clamped.dump_whole;
}

// (TCP needs no cut view: the decoder stopped at the datagram's end, and the printer reads
// nothing past the TCP header and the segment's length.)
inline void print_transport(const Context& c, bool with_addresses) {
  const std::uint64_t end = std::uint64_t{c.s.transport_offset} + c.s.transport_length;
  if (end >= c.caplen() || c.s.protocol == 6) return print_transport_here(c, with_addresses);
  print_transport_clamped(c, with_addresses, static_cast<std::uint32_t>(end));
}

std::string_view ipv4_option_name(std::uint8_t kind) {
  switch (kind) {
    case 0: return "EOL"sv;
    case 1: return "NOP"sv;
    case 7: return "RR"sv;
    case 68: return "TS"sv;
    case 130: return "security"sv;
    case 131: return "LSRR"sv;
    case 137: return "SSRR"sv;
    case 148: return "RA"sv;
    default: return {};
  }
}

// tcpdump -v on an IPv4 header cut inside its options: the options it can read, then either
// its longjmp (" [|ip]") or "[truncated-option]" and the address line with the marker.
void append_cut_ipv4_options(const Context& c, std::uint32_t captured) {
  OutputBuffer& out = c.out;
  const Summary& s = c.s;
  const std::uint8_t* o = c.data() + s.network_offset;
  out.append(", options (");
  for (std::uint32_t i = 20; i < s.ip_header_length;) {
    if (i > 20) out.append(',');
    if (i >= captured) break;
    const std::uint8_t kind = o[i];
    const std::string_view name = ipv4_option_name(kind);
    if (name.empty()) {
      out.append("unknown ");
      out.append_uint(kind);
    } else {
      out.append(name);
    }
    if (kind <= 1) {
      ++i;
      continue;
    }
    if (i + 1 >= captured) break;
    const std::uint32_t len = o[i + 1];
    if (len < 2 || i + len > captured) {
      out.append(" [truncated-option])");
      out.append(")\n    ");
      append_ipv4(out, s.source_ip);
      out.append(" > ");
      append_ipv4(out, s.destination_ip);
      out.append(":  [|ip]");
      return;
    }
    i += len;
  }
  out.append(" [|ip]");
  c.dump_whole = true;
}

// tcpdump -v's "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 52".
void append_ipv4_verbose_fields(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  out.append("(tos 0x");
  out.append_hex(s.tos);
  switch (s.tos & 3) {
    case 1: out.append(",ECT(1)"); break;
    case 2: out.append(",ECT(0)"); break;
    case 3: out.append(",CE"); break;
    default: break;
  }
  if (s.ttl != 0) append_number(out, ", ttl "sv, s.ttl);  // tcpdump leaves a TTL of 0 out
  append_number(out, ", id "sv, s.ip_id);
  append_number(out, ", offset "sv, s.fragment_offset);
  out.append(", flags [");
  {
    // tcpdump's order: more fragments, don't fragment, the reserved bit.
    static constexpr std::string_view kFlags[8] = {
        "none"sv, "+"sv, "DF"sv, "+, DF"sv, "rsvd"sv, "+, rsvd"sv, "DF, rsvd"sv, "+, DF, rsvd"sv};
    out.append(kFlags[(s.more_fragments ? 1 : 0) | (s.dont_fragment ? 2 : 0) |
                      (s.reserved_fragment_bit ? 4 : 0)]);
  }
  out.append("], proto ");
  out.append(ip_protocol_name(s.protocol));
  append_number(out, " ("sv, s.protocol);
  append_number(out, "), length "sv, s.ip_total_length);
}

// tcpdump's checks of an IPv4 header before it prints it; false when one ended the line.
// `name` puts "IP " in front, once the version is known to be 4.
[[gnu::noinline, gnu::cold]] bool check_ipv4_header(const Context& c, bool name) {
  OutputBuffer& out = c.out;
  const std::uint32_t off = c.s.network_offset;
  const std::uint8_t* ip = c.data() + off;
  const unsigned version = ip[0] >> 4;
  if (version != 4) {
    if (version == 6) {
      out.append("IP6, wrong link-layer encapsulation (invalid)");
    } else {
      out.append("IP");
      out.append_uint(version);
      out.append(" (invalid)");
    }
    return false;
  }
  if (name) out.append("IP ");
  if (!c.captured(off, 20)) {
    out.append(" [|ip]");
    return false;
  }
  // The lengths against the bytes on the wire (tcpdump's "length"), not the captured ones.
  const std::uint32_t length = c.packet.wire_length > off ? c.packet.wire_length - off : 0;
  if (length < 20) {
    out.append("truncated-ip ");
    out.append_uint(length);
    return false;
  }
  const std::uint32_t header_length = (ip[0] & 15u) * 4u;
  if (header_length < 20) {
    out.append("bad-hlen ");
    out.append_uint(header_length);
    return false;
  }
  const std::uint32_t total_length = load_be16(ip + 2);
  if (total_length > length) {
    out.append("truncated-ip - ");
    out.append_uint(total_length - length);
    out.append(" bytes missing! ");
  }
  if (total_length < header_length) {
    out.append("bad-len ");
    out.append_uint(total_length);
    return false;
  }
  return true;
}

void print_ipv4(const Context& c, bool name) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  // The decoder stops in the IPv4 header for everything check_ipv4_header() reports but a
  // total length past the wire's; a good header only needs its name.
  if (s.truncated == Layer::ip ||
      s.ip_total_length > c.packet.wire_length - s.network_offset) [[unlikely]] {
    if (!check_ipv4_header(c, name)) return;
  } else if (name) {
    out.append("IP ");
  }
  if (s.truncated == Layer::ip) {
    const std::uint32_t captured = c.caplen() - s.network_offset;
    if (captured >= 20 && s.ip_header_length > captured && c.options.verbose > 0) {
      // tcpdump -v prints the fixed header, then stops in the options.
      append_ipv4_verbose_fields(c);
      append_cut_ipv4_options(c, captured);
      return;
    }
    if (captured >= 20 && s.ip_header_length > captured) {
      out.append(" [remaining caplen(");
      out.append_uint(captured);
      out.append(") < header length(");
      out.append_uint(s.ip_header_length);
      out.append(")]");
      c.dump_whole = true;
    }
    out.append(" [|ip]");
    return;
  }
  if (c.options.verbose > 0) {
    append_ipv4_verbose_fields(c);
    if (s.ip_header_length > 20) {
      out.append(", options (");
      const std::uint8_t* o = c.data() + s.network_offset + 20;
      const std::uint32_t n = s.ip_header_length - 20u;
      std::uint32_t i = 0;
      bool first = true;
      while (i < n) {
        if (!first) out.append(',');
        first = false;
        const std::uint8_t kind = o[i];
        const std::uint32_t len = (kind == 0 || kind == 1) ? 1 : (i + 1 < n ? o[i + 1] : 1);
        switch (kind) {
          case 0: out.append("EOL"); break;
          case 1: out.append("NOP"); break;
          case 7: out.append("RR"); break;
          case 68: out.append("TS"); break;
          case 130: out.append("security"); break;
          case 131: out.append("LSRR"); break;
          case 137: out.append("SSRR"); break;
          case 148:
            out.append("RA");
            if (len == 4 && i + 4 <= n && load_be16(o + i + 2) != 0) {
              out.append(" value ");
              out.append_uint(load_be16(o + i + 2));
            }
            break;
          default:
            out.append("unknown ");
            out.append_uint(kind);
            break;
        }
        if (kind == 0) break;
        i += len < 1 ? 1 : len;
      }
      out.append(')');
    }
    if (c.options.verify_checksums) {
      const std::uint8_t* h = c.data() + s.network_offset;
      const std::uint16_t computed = internet_checksum(h, s.ip_header_length);
      if (computed != 0) {
        const std::uint16_t field = load_be16(h + 10);
        out.append(", bad cksum ");
        out.append_hex(field);
        out.append(" (->");
        out.append_hex(checksum_should_be(field, computed));
        out.append(")!");
      }
    }
    out.append(")\n    ");
  }
  if (s.later_fragment) {
    append_ipv4(out, s.source_ip);
    out.append(" > ");
    append_ipv4(out, s.destination_ip);
    out.append(": ip-proto-");
    out.append_uint(s.protocol);
    return;
  }
  if (s.protocol != 6 && s.protocol != 17) {
    append_ipv4(out, s.source_ip);
    out.append(" > ");
    append_ipv4(out, s.destination_ip);
    out.append(": ");
  }
  print_transport(c, true);
}

// tcpdump -v's list of hop-by-hop / destination options: "(rtalert: 0x0000) (padn) ".
void append_ipv6_options(const Context& c, std::uint32_t offset) {
  OutputBuffer& out = c.out;
  const std::uint32_t length = (c.data()[offset + 1] + 1u) * 8u;
  if (!c.captured(offset, length)) return;
  const std::uint8_t* o = c.data() + offset;
  std::uint32_t i = 2;
  while (i < length) {
    const std::uint8_t type = o[i];
    if (type == 0) {
      out.append("(pad1)");
      ++i;
      continue;
    }
    if (i + 1 >= length) break;
    const std::uint32_t len = o[i + 1];
    if (i + 2 + len > length) break;
    switch (type) {
      case 1: out.append("(padn)"); break;
      case 5:
        out.append("(rtalert: 0x");
        out.append_hex_padded(len >= 2 ? load_be16(o + i + 2) : 0, 4);
        out.append(") ");
        break;
      case 0xc2: {
        const std::uint32_t jumbo = len >= 4 ? load_be32(o + i + 2) : 0;
        out.append("(jumbo: ");
        out.append_uint(jumbo);
        if (c.s.ip_total_length != 0)
          out.append(" - payload len != 0");
        else if (jumbo <= 0xffff)
          out.append(" - < 65536");
        out.append(") ");
        break;
      }
      default:
        out.append("(opt_type 0x");
        out.append_hex_padded(type, 2);
        out.append(": len=");
        out.append_uint(len);
        out.append(") ");
        break;
    }
    i += 2 + len;
  }
  out.append(' ');
}

// tcpdump's "RT6 (len=2, type=0 [Deprecated], segleft=1, [0]2001:db8::9) ", field by field
// as far as the capture goes. Returns false after the " [|rt6]" marker.
bool append_routing_header(const Context& c, std::uint32_t at) {
  OutputBuffer& out = c.out;
  const std::uint8_t* r = c.data() + at;
  const auto cut = [&] {
    out.append(" [|rt6]");
    c.dump_whole = true;  // tcpdump reads these fields without a bounds check first
    return false;
  };
  out.append("RT6");
  if (!c.captured(at, 2)) return cut();
  out.append(" (len=");
  out.append_uint(r[1]);
  if (!c.captured(at, 3)) return cut();
  const std::uint8_t type = r[2];
  out.append(", type=");
  out.append_uint(type);
  if (type == 0) out.append(" [Deprecated]");
  if (!c.captured(at, 4)) return cut();
  out.append(", segleft=");
  out.append_uint(r[3]);
  const std::uint32_t length = (r[1] + 1u) * 8u;
  std::uint32_t addresses = 0;
  if (type == 0 || type == 2) {
    if (!c.captured(at, 8)) return cut();
    if (c.options.verbose > 0) {
      out.append(", rsv=0x");
      out.append_hex(load_be32(r + 4));
    }
    addresses = r[1] / 2u;
  } else if (type == 4) {
    if (!c.captured(at, 5)) return cut();
    out.append(", last-entry=");
    out.append_uint(r[4]);
    if (c.options.verbose > 0) {
      if (!c.captured(at, 6)) return cut();
      out.append(", flags=0x");
      out.append_hex(r[5]);
    }
    if (!c.captured(at, 8)) return cut();
    out.append(", tag=");
    out.append_hex(load_be16(r + 6));
    addresses = r[4] + 1u;
  }
  // Each address as far as the capture goes, then tcpdump's marker.
  for (std::uint32_t i = 0; i < addresses && 8 + 16 * (i + 1) <= length; ++i) {
    if (!c.captured(at, 8 + 16 * (i + 1))) return cut();
    out.append(", [");
    out.append_uint(i);
    out.append(']');
    append_ipv6(out, r + 8 + 16 * i);
  }
  out.append(") ");
  return true;
}

void print_ipv6(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint8_t* ip = c.data() + s.network_offset;
  if ((ip[0] >> 4) != 6) {
    out.append("version error: ");
    out.append_uint(ip[0] >> 4);
    out.append(" != 6");
    return;
  }
  // The payload length against the bytes on the wire (tcpdump's "length").
  const std::uint32_t length = c.packet.wire_length - s.network_offset;
  if (s.ip_total_length != 0 && s.ip_total_length + 40u > length) {
    out.append("truncated-ip6 - ");
    out.append_uint(s.ip_total_length + 40u - length);
    out.append(" bytes missing!");
  }
  if (c.options.verbose > 0) {
    out.append('(');
    if (s.tos != 0) {
      out.append("class 0x");
      out.append_hex_padded(s.tos, 2);
      out.append(", ");
    }
    if (s.flow_label != 0) {
      out.append("flowlabel 0x");
      out.append_hex_padded(s.flow_label, 5);
      out.append(", ");
    }
    out.append("hlim ");
    out.append_uint(s.ttl);
    out.append(", next-header ");
    out.append(ip_protocol_name(s.ipv6_first_next_header));
    out.append(" (");
    out.append_uint(s.ipv6_first_next_header);
    out.append(") payload length: ");
    out.append_uint(s.ip_total_length);
    out.append(") ");
  }
  const std::uint8_t first = s.ipv6_first_next_header;
  if (first != 6 && first != 17) {
    append_ipv6(out, s.source_ip);
    out.append(" > ");
    append_ipv6(out, s.destination_ip);
    out.append(": ");
  }
  for (std::uint8_t i = 0; i < s.ipv6_extension_count; ++i) {
    const Ipv6Extension& e = s.ipv6_extensions[i];
    switch (e.type) {
      case 0:
      case 60: {
        // tcpdump needs the whole header before it prints its name.
        if (!c.captured(e.offset, 2) ||
            !c.captured(e.offset, (c.data()[e.offset + 1] + 1u) * 8u)) {
          out.append(e.type == 0 ? " [|hbhopt]"sv : " [|dstopt]"sv);
          c.dump_whole = !c.captured(e.offset, 2);
          // tcpdump goes on to miss the Jumbo Payload option a payload length of 0 needs.
          if (e.type == 0 && s.ip_total_length == 0 && !c.dump_whole)
            out.append("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
          return;
        }
        out.append(e.type == 0 ? "HBH "sv : "DSTOPT "sv);
        if (c.options.verbose > 0) append_ipv6_options(c, e.offset);
        if (e.type == 0 && s.ip_total_length == 0 && s.ipv6_jumbo_length <= 0xffff) {
          out.append("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
          return;
        }
        break;
      }
      case 43:
        if (!c.captured(e.offset, 1)) {
          out.append(" [|ip6]");
          return;
        }
        if (!append_routing_header(c, e.offset)) return;
        break;
      case 44: {
        if (!c.captured(e.offset, c.options.verbose > 0 ? 8 : 4)) {
          out.append(" [|frag6]");
          c.dump_whole = true;
          return;
        }
        const std::uint16_t frag = load_be16(c.data() + e.offset + 2);
        const std::uint32_t offset = frag & 0xfff8u;
        const std::uint32_t after = e.offset + 8 - (s.network_offset + 40);
        const std::uint32_t length = s.ip_total_length > after ? s.ip_total_length - after : 0;
        out.append("frag (");
        if (c.options.verbose > 0) {
          out.append("0x");
          out.append_hex_padded(load_be32(c.data() + e.offset + 4), 8);
          out.append(':');
        }
        out.append_uint(offset);
        out.append('|');
        out.append_uint(length);
        out.append(')');
        if (offset != 0) return;
        out.append(' ');
        // tcpdump's header walk ends silently at the end of the capture.
        if (!c.captured(e.offset + 8, 1)) return;
        break;
      }
      default: break;
    }
  }
  if (s.truncated == Layer::ip6) {
    // A payload length of 0 without a jumbogram leaves no room for extension headers.
    out.append(s.ip_total_length == 0 ? " [|ip6]"sv : "[|ip6]"sv);
    return;
  }
  print_transport(c, first == s.protocol);
}

// tcpdump's names of ARP hardware types.
std::string_view arp_hardware_name(std::uint16_t type) {
  switch (type) {
    case 1: return "Ethernet"sv;
    case 6: return "TokenRing"sv;
    case 7: return "ArcNet"sv;
    case 15: return "FrameRelay"sv;
    case 19: return "ATM"sv;
    case 23: return "Strip"sv;
    case 24: return "IEEE 1394"sv;
    case 32: return "InfiniBand"sv;
    default: return {};
  }
}

// tcpdump's name of an ARP opcode (empty for an unknown one).
std::string_view arp_op_name(std::uint16_t op) {
  switch (op) {
    case 1: return "Request"sv;
    case 2: return "Reply"sv;
    case 3: return "Reverse Request"sv;
    case 4: return "Reverse Reply"sv;
    case 8: return "Inverse Request"sv;
    case 9: return "Inverse Reply"sv;
    case 10: return "NACK Reply"sv;
    default: return {};
  }
}

// `name`, or when the table has none, `unknown` (which opens a parenthesis), the number and
// ")": tcpdump's "Unknown Hardware (37)".
void append_name_or_number(OutputBuffer& out, std::string_view name, std::string_view unknown,
                           std::uint32_t value) {
  if (!name.empty()) return out.append(name);
  out.append(unknown);
  out.append_uint(value);
  out.append(')');
}

// An ARP protocol type by its ethertype name, or tcpdump's "Unknown Protocol (0x....)".
void append_arp_protocol(OutputBuffer& out, std::uint16_t protocol) {
  const std::string_view name = ethertype_name(protocol);
  if (name.empty()) {
    out.append("Unknown Protocol (0x");
    out.append_hex_padded(protocol, 4);
    out.append(')');
  } else {
    out.append(name);
  }
}

// ATM ARP (RFC 2225) as tcpdump's atmarp_print() shows it; the decoder checked that the
// whole packet is captured.
[[gnu::noinline]] void print_atm_arp(const Context& c) {
  OutputBuffer& out = c.out;
  const Summary& s = c.s;
  const std::uint8_t* a = c.data() + s.network_offset;
  const std::uint32_t sha = a[4] & 0x3fu, ssa = a[5] & 0x3fu, spa = a[8];
  const std::uint32_t tha = a[9] & 0x3fu, tsa = a[10] & 0x3fu, tpa = a[11];
  const std::uint8_t* source = a + 12;
  const std::uint8_t* source_ip = source + sha + ssa;
  const std::uint8_t* target = source_ip + spa;
  const std::uint8_t* target_ip = target + tha + tsa;
  const bool ip = s.arp_protocol == 0x0800 || s.arp_protocol == 0x1000;
  const bool verbose = c.options.verbose > 0;
  if (!ip || spa != 4 || tpa != 4 || verbose) {
    out.append("ATM, ");
    append_arp_protocol(out, s.arp_protocol);
    out.append(" (len ");
    out.append_uint(spa);
    out.append('/');
    out.append_uint(tpa);
    out.append(')');
    if (!verbose) {
      out.append(", length ");
      out.append_uint(c.packet.wire_length - s.network_offset);
      return;
    }
    out.append(", ");
  }
  append_name_or_number(out, arp_op_name(s.arp_op), "Unknown (", s.arp_op);
  out.append(' ');
  // An ATM number and subaddress, in hex.
  const auto address = [&](const std::uint8_t* p, std::uint32_t n, std::uint32_t sub) {
    if (n == 0) return out.append("<No address>");
    for (std::uint32_t i = 0; i < n; ++i) {
      if (i) out.append(':');
      out.append_hex8(p[i]);
    }
    if (sub == 0) return;
    out.append(',');
    for (std::uint32_t i = 0; i < sub; ++i) {
      if (i) out.append(':');
      out.append_hex8(p[n + i]);
    }
  };
  const auto protocol_address = [&](const std::uint8_t* p, std::uint32_t n, std::string_view bad) {
    if (!ip)
      out.append("<wrong proto type>");
    else if (n != 4)
      out.append(bad);
    else
      append_ipv4(out, p);
  };
  switch (s.arp_op) {
    case 1:
      out.append("who-has ");
      protocol_address(target_ip, tpa, "<wrong tplen>"sv);
      if (tha != 0) {
        out.append(" (");
        address(target, tha, tsa);
        out.append(')');
      }
      out.append(" tell ");
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      break;
    case 2:
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      out.append(" is-at ");
      address(source, sha, ssa);
      break;
    case 8:
      out.append("who-is ");
      address(target, tha, tsa);
      out.append(" tell ");
      address(source, sha, ssa);
      break;
    case 9:
      address(source, sha, ssa);
      out.append("at ");
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      break;
    case 10:
      out.append("for ");
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      break;
    default:
      append_dump(out, c.packet.data.subspan(s.network_offset), DumpStyle::hex_ascii);
      return;
  }
  out.append(", length ");
  out.append_uint(c.packet.wire_length - s.network_offset);
}

void print_arp(const Context& c, bool prefix) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (prefix) out.append("ARP, ");
  if (s.truncated == Layer::arp) {
    out.append("[|ARP]");
    return;
  }
  if (s.arp_hardware == 19) return print_atm_arp(c);
  const std::uint32_t length = c.packet.wire_length - s.network_offset;
  const std::uint32_t hardware_length = s.arp_hardware_length;
  // tcpdump prints protocol addresses for IPv4 (and the old trailer type) only.
  const bool ip = s.arp_protocol == 0x0800 || s.arp_protocol == 0x1000;
  if (!ip || s.arp_protocol_length != 4 || hardware_length == 0 || c.options.verbose > 0) {
    append_name_or_number(out, arp_hardware_name(s.arp_hardware), "Unknown Hardware (",
                          s.arp_hardware);
    out.append(" (len ");
    out.append_uint(hardware_length);
    out.append("), ");
    append_arp_protocol(out, s.arp_protocol);
    out.append(" (len ");
    out.append_uint(s.arp_protocol_length);
    out.append(')');
    if (c.options.verbose == 0) {  // tcpdump knows no address formats then
      out.append(", length ");
      out.append_uint(length);
      return;
    }
    out.append(", ");
  }
  const auto protocol_address = [&](const std::uint8_t* a) {
    if (!ip)
      out.append("<wrong proto type>");
    else if (s.arp_protocol_length != 4)
      out.append("<wrong len>");
    else
      append_ipv4(out, a);
  };
  // tcpdump's linkaddr_string(): a MAC address, else the bytes in hex joined by ':'; frame
  // relay's two-byte Q.922 address as its DLCI.
  const auto hardware_address = [&](const std::uint8_t* a) {
    if (hardware_length == 0) return out.append("<empty>");
    if (s.arp_hardware == 15 && hardware_length == 2 && (a[1] & 1)) {
      out.append("DLCI ");
      out.append_uint(((a[0] & 0xfcu) << 2) | ((a[1] & 0xf0u) >> 4));
      return;
    }
    for (std::uint32_t i = 0; i < hardware_length; ++i) {
      if (i) out.append(':');
      out.append_hex8(a[i]);
    }
  };
  switch (s.arp_op) {
    case 1: {
      out.append("Request who-has ");
      protocol_address(s.arp_target_ip);
      if (std::any_of(s.arp_target_mac, s.arp_target_mac + hardware_length,
                      [](std::uint8_t b) { return b != 0; })) {
        out.append(" (");
        hardware_address(s.arp_target_mac);
        out.append(')');
      }
      out.append(" tell ");
      protocol_address(s.arp_sender_ip);
      break;
    }
    case 2:
      out.append("Reply ");
      protocol_address(s.arp_sender_ip);
      out.append(" is-at ");
      hardware_address(s.arp_sender_mac);
      break;
    case 3:  // RARP, and inverse ARP (RFC 2390)
    case 8:
      out.append(s.arp_op == 3 ? "Reverse Request who-is "sv : "Inverse Request who-is "sv);
      hardware_address(s.arp_target_mac);
      out.append(" tell ");
      hardware_address(s.arp_sender_mac);
      break;
    case 4:
      out.append("Reverse Reply ");
      hardware_address(s.arp_target_mac);
      out.append(" at ");
      protocol_address(s.arp_target_ip);
      break;
    case 9:
      out.append("Inverse Reply ");
      hardware_address(s.arp_sender_mac);
      out.append(" at ");
      protocol_address(s.arp_sender_ip);
      break;
    default:
      // tcpdump names the opcode, then dumps the ARP packet (and prints no length).
      if (s.arp_op == 10) {
        out.append(arp_op_name(10));
      } else {
        out.append("Unknown (");
        out.append_uint(s.arp_op);
        out.append(')');
      }
      out.append(' ');
      append_dump(out, c.packet.data.subspan(s.network_offset), DumpStyle::hex_ascii);
      return;
  }
  out.append(", length ");
  out.append_uint(length);
}

// The part of the line after the link layer: "IP ...", "IP6 ...", "ARP, ...".
void print_network(const Context& c, bool name) {
  // tcpdump's marker without the protocol's name: for IPv4 when not one byte was captured,
  // for IPv6 and ARP whenever their fixed header was cut.
  const bool cut = c.s.network == Network::ipv4
                       ? !c.captured(c.s.network_offset, 1)
                       : (c.s.network == Network::ipv6 && !c.captured(c.s.network_offset, 40)) ||
                             c.s.truncated == Layer::arp;
  if (cut) {
    switch (c.s.network) {
      case Network::ipv4:
        c.out.append(" [|ip]");
        c.dump_whole = true;
        return;
      case Network::ipv6: c.out.append(" [|ip6]"); return;
      case Network::arp:
        c.out.append(" [|arp]");
        c.dump_whole = true;
        return;
      default: return;
    }
  }
  switch (c.s.network) {
    case Network::ipv4:
      print_ipv4(c, name);
      return;
    case Network::ipv6:
      if (name) c.out.append("IP6 ");
      print_ipv6(c);
      return;
    case Network::arp:
      print_arp(c, name);
      return;
    default:
      return;
  }
}

void print_ipv4_inner(const Context& outer, std::uint32_t offset, std::uint32_t caplen) {
  PacketView inner;
  // tcpdump reads the quoted datagram up to its own total length, which is its length too.
  const std::uint32_t total_length = load_be16(outer.data() + offset + 2);
  inner.data = outer.packet.data.subspan(offset, std::min(caplen, total_length));
  inner.wire_length = total_length;
  inner.link_type = link_type::kIpv4;
  Summary s;
  decode(inner, s);
  PrintOptions options = outer.options;
  const Context c{options, inner, s, outer.out};
  print_ipv4(c, !options.link_header);
}

std::string_view address_family_name(std::uint32_t family) {
  switch (family) {
    case 2: return "IPv4"sv;
    case 7: return "OSI"sv;
    case 16: return "Appletalk"sv;
    case 23: return "IPX"sv;
    case 24: case 28: case 30: return "IPv6"sv;
    default: return "Unknown"sv;
  }
}

// The link header of the non-Ethernet link types as tcpdump -e prints it (and as it prints
// it without -e in front of a payload it cannot decode).
// `length` is the length it shows (the packet's, less the VLAN tags tcpdump took off).
void append_cooked_header(const Context& c, std::uint32_t length) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data();
  switch (c.packet.link_type) {
    case link_type::kLinuxSll:
    case link_type::kLinuxSll2: {
      const bool sll2 = c.packet.link_type == link_type::kLinuxSll2;
      if (sll2) {
        out.append("ifindex ");
        out.append_uint(s.sll_interface);
        out.append(' ');
      } else {
        const std::string_view direction = packet_type_name(s.sll_packet_type);
        out.append_repeat(' ', 3 - (direction.size() < 3 ? direction.size() : 3));
        out.append(direction);
        out.append(' ');
      }
      const std::uint16_t address_length = sll2 ? d[11] : load_be16(d + 4);
      if (address_length == 6) {
        append_mac(out, d + (sll2 ? 12 : 6));
        out.append(' ');
      }
      if (c.options.quiet) return;
      const std::uint16_t protocol = load_be16(d + (sll2 ? 0 : 14));
      if (protocol < 0x0600) {
        if (protocol == 1) {
          out.append("802.3");
        } else if (protocol == 4) {
          out.append("802.2");
        } else {
          out.append("ethertype Unknown (0x");
          out.append_hex_padded(protocol, 4);
          out.append(')');
        }
      } else {
        append_ethertype(out, protocol);
      }
      break;
    }
    case link_type::kNull:
    case link_type::kLoop: {
      const std::string_view name = address_family_name(s.link_family);
      if (!c.options.quiet) {
        out.append("AF ");
        out.append(name);
        out.append(" (");
        out.append_uint(s.link_family);
        out.append(')');
      } else if (name == "Unknown"sv) {
        out.append("Unknown AF ");
        out.append_uint(s.link_family);
      } else {
        out.append(name);
      }
      break;
    }
    default:  // RAW, IPV4, IPV6
      out.append("ip: ");
      return;
  }
  out.append(", length ");
  out.append_uint(length);
  out.append(": ");
}

// One 802.1Q/802.1ad tag as tcpdump's -e shows it: "vlan 100, p 0, " (", DEI" when set).
void append_vlan_tag(OutputBuffer& out, const VlanTag& tag) {
  out.append("vlan ");
  out.append_uint(tag.id());
  out.append(", p ");
  out.append_uint(tag.priority());
  if (tag.tci & 0x1000) out.append(", DEI");
  out.append(", ");
}

// The 802.1Q tags of a Linux cooked frame, as tcpdump's SLL printers show them: with -e
// "vlan 100, p 0, ", and unless -q the type they carry ("ethertype IPv4, ").
void append_cooked_vlans(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
    if (c.options.link_header) append_vlan_tag(out, s.vlans[i]);
    if (c.options.quiet) continue;
    // (Behind the last tag: the network's type, or a cut tag's TPID.)
    const std::uint16_t next = i + 1 < s.vlan_count ? s.vlans[i + 1].tpid : s.ethertype;
    const std::string_view name = ethertype_name(next < 0x0600 ? 4 : next);
    out.append("ethertype ");
    out.append(name.empty() ? "Unknown"sv : name);
    out.append(", ");
  }
}

// "[Invalid header: caplen==0, len==0]", as tcpdump 4.99 prints a record header it rejects.
void append_invalid_header(OutputBuffer& out, const PacketView& packet) {
  bool any = false;
  const auto item = [&] {
    out.append(any ? ","sv : "[Invalid header:"sv);
    any = true;
  };
  if (packet.caplen() == 0) {
    out.append("[Invalid header: caplen==0");
    any = true;
  }
  if (packet.wire_length == 0) {
    item();
    out.append(" len==0");
  } else if (packet.wire_length < packet.caplen()) {
    item();
    out.append(" len(");
    out.append_uint(packet.wire_length);
    out.append(") < caplen(");
    out.append_uint(packet.caplen());
    out.append(')');
  }
  if (packet.caplen() > kMaxSnaplen) {
    item();
    out.append(" caplen(");
    out.append_uint(packet.caplen());
    out.append(") > ");
    out.append_uint(kMaxSnaplen);
  }
  if (packet.wire_length > kMaxSnaplen) {
    item();
    out.append(" len(");
    out.append_uint(packet.wire_length);
    out.append(") > ");
    out.append_uint(kMaxSnaplen);
  }
  out.append("]\n");
}

}  // namespace

struct Printer::Impl {
  PrintOptions options;
  TimestampFormatter timestamps;
  std::uint64_t count = 0;
  Summary summary;  // reused: decode() resets it, so there is one reset per packet, not two
  explicit Impl(const PrintOptions& o)
      : options(o), timestamps(o.timestamp_style, o.nano, o.utc) {}

  // A pcap record's fraction field that is a whole second or more, per record_unit (none,
  // µs, ns): libpcap passes it on as stored, and tcpdump prints it so.
  // A pcapng time beyond 64-bit nanoseconds (3) always takes this way.
  static constexpr std::uint32_t kWholeSecond[4] = {UINT32_MAX, 1000000, 1000000000, 0};

  [[gnu::cold, gnu::noinline]] void append_unnormalised_time(OutputBuffer& out,
                                                             const PacketView& packet) {
    // The fraction in the printed unit, converted as libpcap converts between precisions
    // (in 32 bits: it wraps, and so does what tcpdump prints).
    std::uint64_t fraction = packet.record_fraction;
    if (packet.record_unit == 1 && options.nano) fraction = packet.record_fraction * 1000u;
    if (packet.record_unit >= 2 && !options.nano) fraction /= 1000;
    // libpcap reads a pcap record's seconds as a signed 32-bit number; a pcapng time keeps
    // all 64 bits.
    const std::int64_t seconds =
        packet.record_unit == 3
            ? packet.record_seconds
            : static_cast<std::int32_t>(static_cast<std::uint32_t>(packet.record_seconds));
    timestamps.append_unnormalised(out, seconds, fraction, packet.timestamp_ns);
  }

  // tcpdump 4.99: "%-5s %-3s " of the interface name ("?" when unknown) and the direction.
  void append_sll2_interface(const Context& c) {
    std::string_view name = interface_name(c.s.sll_interface);  // cached: no syscall
    if (name.empty()) name = "?";
    const std::size_t n = name.size();
    c.out.append(name);
    c.out.append_repeat(' ', n < 5 ? 6 - n : 1);
    const std::string_view direction = packet_type_name(c.s.sll_packet_type);
    c.out.append(direction);
    c.out.append_repeat(' ', direction.size() < 3 ? 4 - direction.size() : 1);
  }
  // The link types without an Ethernet header (cooked, NULL/LOOP, raw IP): out of line, so
  // that the Ethernet path keeps its registers.
  [[gnu::noinline]] void print_other_link(const Context& c, bool& default_dump,
                                          std::uint32_t& header_length) {
    const PacketView& packet = c.packet;
    const PrintOptions& o = c.options;
    const Summary& s = c.s;
    OutputBuffer& out = c.out;
    if (s.truncated == Layer::link && s.vlan_count == 0 &&
        !(packet.link_type == link_type::kLinuxSll ? packet.caplen() >= 16
                                                    : packet.link_type == link_type::kLinuxSll2 &&
                                                          packet.caplen() >= 20)) {
      switch (packet.link_type) {
        case link_type::kLinuxSll: out.append(" [|sll]"); break;
        case link_type::kLinuxSll2: out.append(" [|sll2]"); break;
        default: out.append(" [|null]"); break;
      }
      return;
    }
    {
      const bool known = s.network == Network::ipv4 || s.network == Network::ipv6 ||
                         s.network == Network::arp;
      // tcpdump names the SLL2 interface and direction on every line.
      if (packet.link_type == link_type::kLinuxSll2) append_sll2_interface(c);
      const std::uint32_t tags = 4u * s.vlan_count;
      if (s.vlan_count == 0 && s.truncated != Layer::link) {
        if (o.link_header || !known) append_cooked_header(c, packet.wire_length);
      } else {
        if (o.link_header) append_cooked_header(c, packet.wire_length);
        append_cooked_vlans(c);
        if (s.truncated == Layer::link) {  // a cut tag: nothing more is dumped
          out.append(" [|vlan]");
          header_length = packet.caplen();
          return;
        }
        if (!known && !o.link_header) append_cooked_header(c, packet.wire_length - tags);
      }
      if (!known) {
        default_dump = true;
        return;
      }
      if (packet.link_type == link_type::kRaw || packet.link_type == link_type::kIpv4 ||
          packet.link_type == link_type::kIpv6) {
        if (const unsigned version = packet.data[0] >> 4; version != 4 && version != 6) {
          out.append("unknown ip ");  // tcpdump's ipN_print()
          out.append_uint(version);
          return;
        }
      }
      print_network(c, !o.link_header);
    }
  }
};

Printer::Printer(const PrintOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Printer::~Printer() = default;

void Printer::print(const PacketView& packet, OutputBuffer& out) {
  Impl& p = *impl_;
  const PrintOptions& o = p.options;
  ++p.count;
  if (o.number) {
    // tcpdump -#: "%5u  "
    char digits[20];
    unsigned n = 0;
    for (std::uint64_t v = p.count; v != 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
    for (unsigned i = n; i < 5; ++i) out.append(' ');
    while (n > 0) out.append(digits[--n]);
    out.append("  ");
  }
  // tcpdump's sanity checks of the record header come first and replace the whole line.
  if (packet.caplen() == 0 || packet.wire_length == 0 || packet.wire_length < packet.caplen() ||
      packet.caplen() > kMaxSnaplen || packet.wire_length > kMaxSnaplen) [[unlikely]] {
    append_invalid_header(out, packet);
    return;
  }
  if (packet.record_fraction >= Impl::kWholeSecond[packet.record_unit & 3]) [[unlikely]]
    p.append_unnormalised_time(out, packet);
  else
    p.timestamps.append(out, packet.timestamp_ns);

  Summary& s = p.summary;
  decode(packet, s);
  const Context c{o, packet, s, out};
  bool default_dump = false;  // tcpdump's hex dump of what it could not decode
  std::uint32_t header_length = s.link_header_length;

  switch (packet.link_type) {
    case link_type::kEthernet: {
      // The common lines, IPv4 and TCP or UDP without -e or -v, straight to the transport's
      // printer: the general path costs a chain of calls per packet.
      if (s.network == Network::ipv4 && (s.protocol == 6 || s.protocol == 17) &&
          s.truncated == Layer::none && !s.later_fragment && !o.link_header && o.verbose == 0 &&
          s.ip_total_length <= packet.wire_length - s.network_offset) {
        std::memcpy(out.reserve(3), "IP ", 3);
        out.advance(3);
        if (s.protocol == 6)
          print_tcp(c, true);
        else
          print_transport(c, true);
        break;
      }
      if (s.truncated == Layer::link && s.source_mac == nullptr) {
        out.append(" [|ether]");
        break;
      }
      if (s.truncated == Layer::link && !o.link_header) {
        out.append(" [|vlan]");  // a cut VLAN tag
        break;
      }
      const bool known = s.network == Network::ipv4 || s.network == Network::ipv6 ||
                         s.network == Network::arp;
      if (o.link_header || !known) {
        append_mac(out, s.source_mac);
        out.append(" > ");
        append_mac(out, s.destination_mac);
        out.append(", ");
        if (!known && o.quiet && !o.link_header) {
          append_ethertype(out, s.ethertype, true);
          out.append(", length ");
          out.append_uint(packet.wire_length);
          out.append(": ");
          break;
        }
        if (s.outer_ethertype < 0x0600) {
          out.append("802.3, length ");
          out.append_uint(packet.wire_length);
          out.append(": ");
          default_dump = true;
          break;
        }
        // tcpdump names an ethertype only once the header it announces was captured.
        const bool cut_tag = s.truncated == Layer::link;
        if (cut_tag && s.vlan_count == 0) {
          out.append(" [|vlan]");
          break;
        }
        append_ethertype(out, s.outer_ethertype, o.quiet);
        out.append(", length ");
        out.append_uint(packet.wire_length);
        out.append(": ");
        for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
          append_vlan_tag(out, s.vlans[i]);
          if (cut_tag && i + 1 == s.vlan_count) break;
          const std::uint16_t next = i + 1 < s.vlan_count ? s.vlans[i + 1].tpid : s.ethertype;
          append_ethertype(out, next, o.quiet);
          out.append(", ");
        }
        if (cut_tag) {
          out.append(" [|vlan]");
          break;
        }
        if (!known) {
          default_dump = !o.quiet;
          break;
        }
        print_network(c, false);
      } else {
        print_network(c, true);
      }
      break;
    }
    case link_type::kLinuxSll:
    case link_type::kLinuxSll2:
    case link_type::kNull:
    case link_type::kLoop:
    case link_type::kRaw:
    case link_type::kIpv4:
    case link_type::kIpv6:
      p.print_other_link(c, default_dump, header_length);
      break;
    default: {
      const std::string_view name = link_type_name(packet.link_type);
      if (name.empty()) {
        out.append("LINKTYPE_");
        out.append_uint(packet.link_type);
      } else {
        out.append(name);
      }
      out.append(", length ");
      out.append_uint(packet.wire_length);
      header_length = 0;
      break;
    }
  }

  if (c.dump_whole) header_length = 0;
  // A cut link header: tcpdump dumps nothing more for Ethernet (and a cooked header's cut
  // VLAN tag), everything for the others.
  if (s.truncated == Layer::link && header_length != packet.caplen())
    header_length = packet.link_type == link_type::kEthernet ? packet.caplen() : 0;
  // tcpdump dumps what it could not decode unless -x/-X asked for a dump of everything.
  // (-q suppresses it, as tcpdump's -q does.)
  if (default_dump && !o.quiet && (o.dump == DumpStyle::none || o.dump == DumpStyle::ascii) &&
      packet.caplen() > header_length)
    append_dump(out, packet.data.subspan(header_length), DumpStyle::hex_ascii);
  if (o.dump != DumpStyle::none) {
    if (o.dump_link_header) {
      append_dump(out, packet.data, o.dump);
    } else if (packet.caplen() > header_length) {
      append_dump(out, packet.data.subspan(header_length), o.dump);
    }
  }
  out.append('\n');
}

}  // namespace slimcap
