// The text printer: tcpdump -n -S line shapes (tcpdump 4.99), built from the decoder's
// Summary with OutputBuffer appenders only: no fmt, no snprintf, no allocation per packet.

#include "slimcap/print.hpp"

#include <cstring>
#include <string_view>

#include "slimcap/bytes.hpp"
#include "slimcap/decode.hpp"
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

void append_ethertype(OutputBuffer& out, std::uint16_t t) {
  const std::string_view name = ethertype_name(t);
  out.append("ethertype ");
  out.append(name.empty() ? "Unknown"sv : name);
  out.append(" (0x");
  out.append_hex_padded(t, 4);
  out.append(')');
}

std::string_view ip_protocol_name(std::uint8_t p) {
  switch (p) {
    case 0: return "Options"sv;
    case 1: return "ICMP"sv;
    case 2: return "IGMP"sv;
    case 4: return "IPIP"sv;
    case 6: return "TCP"sv;
    case 17: return "UDP"sv;
    case 41: return "IPv6"sv;
    case 43: return "Routing"sv;
    case 44: return "Fragment"sv;
    case 47: return "GRE"sv;
    case 50: return "ESP"sv;
    case 51: return "AH"sv;
    case 58: return "ICMPv6"sv;
    case 89: return "OSPF"sv;
    case 103: return "PIM"sv;
    case 112: return "VRRP"sv;
    case 132: return "SCTP"sv;
    default: return "unknown"sv;
  }
}

// The Internet checksum over the pseudo-header and `length` bytes at `data`.
std::uint16_t transport_checksum(const Summary& s, const std::uint8_t* data, std::uint32_t length,
                                 std::uint8_t protocol) {
  std::uint64_t sum = 0;
  const unsigned address_size = s.network == Network::ipv6 ? 16 : 4;
  for (unsigned i = 0; i < address_size; i += 2) {
    sum += load_be16(s.source_ip + i);
    sum += load_be16(s.destination_ip + i);
  }
  sum += protocol;
  sum += length;
  std::uint32_t i = 0;
  for (; i + 1 < length; i += 2) sum += load_be16(data + i);
  if (i < length) sum += static_cast<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

struct Context {
  const PrintOptions& options;
  const PacketView& packet;
  const Summary& s;
  OutputBuffer& out;
  const std::uint8_t* data() const { return packet.data.data(); }
  std::uint32_t caplen() const { return packet.caplen(); }
  bool captured(std::uint32_t offset, std::uint32_t n) const {
    return offset <= caplen() && n <= caplen() - offset;
  }
};

void append_tcp_flags(OutputBuffer& out, std::uint8_t f) {
  if ((f & 0xff) == 0) {
    out.append("none");
    return;
  }
  if (f & kFin) out.append('F');
  if (f & kSyn) out.append('S');
  if (f & kRst) out.append('R');
  if (f & kPsh) out.append('P');
  if (f & kAck) out.append('.');
  if (f & kUrg) out.append('U');
  if (f & kEce) out.append('E');
  if (f & kCwr) out.append('W');
}

// tcpdump's TCP option list: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7".
// Returns false when the options run past the captured bytes.
bool append_tcp_options(OutputBuffer& out, const std::uint8_t* o, std::uint32_t length) {
  std::uint32_t i = 0;
  bool first = true;
  while (i < length) {
    if (!first) out.append(',');
    first = false;
    const std::uint8_t kind = o[i];
    if (kind == 0) {
      out.append("eol");
      ++i;
      continue;
    }
    if (kind == 1) {
      out.append("nop");
      ++i;
      continue;
    }
    if (i + 1 >= length) return false;
    const std::uint32_t len = o[i + 1];
    if (len < 2 || i + len > length) return false;
    const std::uint8_t* v = o + i + 2;
    switch (kind) {
      case 2:
        out.append("mss ");
        if (len == 4) out.append_uint(load_be16(v));
        break;
      case 3:
        out.append("wscale ");
        if (len == 3) out.append_uint(v[0]);
        break;
      case 4:
        out.append("sackOK");
        break;
      case 5: {
        out.append("sack ");
        const std::uint32_t blocks = (len - 2) / 8;
        out.append_uint(blocks);
        out.append(' ');
        for (std::uint32_t b = 0; b < blocks; ++b) {
          out.append('{');
          out.append_uint(load_be32(v + 8 * b));
          out.append(':');
          out.append_uint(load_be32(v + 8 * b + 4));
          out.append('}');
        }
        break;
      }
      case 8:
        if (len == 10) {
          out.append("TS val ");
          out.append_uint(load_be32(v));
          out.append(" ecr ");
          out.append_uint(load_be32(v + 4));
        } else {
          out.append("TS");
        }
        break;
      default:
        out.append("opt-");
        out.append_uint(kind);
        out.append(':');
        for (std::uint32_t b = 2; b < len; ++b) out.append_hex8(o[i + b]);
        break;
    }
    i += len;
  }
  return true;
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
    p = OutputBuffer::put_uint32(p, s.source_port);
    std::memcpy(p, " > ", 3);
    p = put_ipv4(p + 3, s.destination_ip);
    *p++ = '.';
    p = OutputBuffer::put_uint32(p, s.destination_port);
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
  out.append("Flags [");
  append_tcp_flags(out, s.tcp_flags);
  out.append(']');
  if (s.tcp_header_length > s.transport_length) {
    out.append(", [bad hdr length ");
    out.append_uint(s.tcp_header_length);
    out.append(" - too long, > ");
    out.append_uint(s.transport_length);
    out.append(']');
    return;
  }
  const std::uint32_t length = s.transport_length - s.tcp_header_length;
  if (c.options.verbose > 0 && !s.more_fragments && !s.later_fragment &&
      c.captured(s.transport_offset, s.transport_length)) {
    const std::uint8_t* t = c.data() + s.transport_offset;
    const std::uint16_t field = load_be16(t + 16);
    const std::uint16_t sum = transport_checksum(s, t, s.transport_length, 6);
    out.append(", cksum 0x");
    out.append_hex_padded(field, 4);
    if (sum == 0) {
      out.append(" (correct)");
    } else {
      // What the field should have been.
      std::uint32_t fixed = static_cast<std::uint16_t>(~field) + static_cast<std::uint32_t>(sum);
      while (fixed >> 16) fixed = (fixed & 0xffff) + (fixed >> 16);
      out.append(" (incorrect -> 0x");
      out.append_hex_padded(static_cast<std::uint16_t>(~fixed), 4);
      out.append(')');
    }
  }
  if (length > 0 || (s.tcp_flags & (kSyn | kFin | kRst))) {
    out.append(", seq ");
    out.append_uint(s.seq);
    if (length > 0) {
      out.append(':');
      out.append_uint(static_cast<std::uint32_t>(s.seq + length));
    }
  }
  if (s.tcp_flags & kAck) {
    out.append(", ack ");
    out.append_uint(s.ack);
  }
  out.append(", win ");
  out.append_uint(s.window);
  if (s.tcp_flags & kUrg) {
    out.append(", urg ");
    out.append_uint(s.urgent);
  }
  if (s.tcp_header_length > 20) {
    out.append(", options [");
    const std::uint32_t options_length = s.tcp_header_length - 20u;
    if (!c.captured(s.transport_offset + 20, options_length)) {
      out.append(" [|tcp]");
      return;
    }
    if (!append_tcp_options(out, c.data() + s.transport_offset + 20, options_length)) {
      out.append("[|tcp]");
    }
    out.append(']');
  }
  out.append(", length ");
  out.append_uint(length);
}

void print_udp(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_ports) {
    out.append(" [|udp]");
    return;
  }
  append_endpoints(c, with_addresses);
  if (s.truncated == Layer::udp) {
    out.append(" [|udp]");
    return;
  }
  if (s.udp_length < 8) {
    out.append("UDP, bad length ");
    out.append_uint(s.udp_length);
    out.append(" < 8");
    return;
  }
  if (s.udp_length > s.transport_length && !s.more_fragments && !s.ipv6_fragmented) {
    out.append("UDP, bad length ");
    out.append_uint(s.udp_length);
    out.append(" > ");
    out.append_uint(s.transport_length);
    return;
  }
  if (c.options.verbose > 0 && s.network == Network::ipv6 && !s.ipv6_fragmented &&
      c.captured(s.transport_offset, s.udp_length)) {
    const std::uint8_t* u = c.data() + s.transport_offset;
    const std::uint16_t sum = transport_checksum(s, u, s.udp_length, 17);
    if (sum == 0) {
      out.append("[udp sum ok] ");
    } else {
      out.append("[bad udp cksum 0x");
      out.append_hex_padded(load_be16(u + 6), 4);
      out.append("!] ");
    }
  }
  out.append("UDP, length ");
  out.append_uint(s.udp_length - 8u);
}

void print_ipv4_inner(const Context& c, std::uint32_t offset, std::uint32_t length);

void print_icmp(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_icmp) {
    out.append(" [|icmp]");
    return;
  }
  const std::uint32_t off = s.transport_offset;
  out.append("ICMP ");
  bool embedded = false;
  switch (s.icmp_type) {
    case 0:
    case 8:
      out.append(s.icmp_type == 8 ? "echo request"sv : "echo reply"sv);
      if (!c.captured(off, 8)) {
        out.append(" [|icmp]");
        return;
      }
      out.append(", id ");
      out.append_uint(s.icmp_id);
      out.append(", seq ");
      out.append_uint(s.icmp_seq);
      break;
    case 3: {
      embedded = true;
      // The embedded datagram names what was unreachable.
      const std::uint32_t inner = off + 8;
      if (!c.captured(inner, 20)) {
        out.append("unreachable [|icmp]");
        return;
      }
      const std::uint8_t* ip = c.data() + inner;
      const std::uint32_t ihl = (ip[0] & 15u) * 4u;
      switch (s.icmp_code) {
        case 0:
          out.append("net ");
          append_ipv4(out, ip + 16);
          out.append(" unreachable");
          break;
        case 1:
          out.append("host ");
          append_ipv4(out, ip + 16);
          out.append(" unreachable");
          break;
        case 2:
          append_ipv4(out, ip + 16);
          out.append(" protocol ");
          out.append_uint(ip[9]);
          out.append(" unreachable");
          break;
        case 3:
          append_ipv4(out, ip + 16);
          if (!c.captured(inner + ihl, 4)) {
            out.append(" port unreachable");
            break;
          }
          out.append(ip[9] == 6 ? " tcp port "sv : ip[9] == 17 ? " udp port "sv : " protocol "sv);
          if (ip[9] == 6 || ip[9] == 17)
            out.append_uint(load_be16(c.data() + inner + ihl + 2));
          else
            out.append_uint(ip[9]);
          out.append(" unreachable");
          break;
        case 4:
          append_ipv4(out, ip + 16);
          out.append(" unreachable - need to frag (mtu ");
          out.append_uint(c.captured(off + 6, 2) ? load_be16(c.data() + off + 6) : 0);
          out.append(')');
          break;
        default:
          append_ipv4(out, ip + 16);
          out.append(" unreachable - code ");
          out.append_uint(s.icmp_code);
          break;
      }
      break;
    }
    case 11:
      embedded = true;
      out.append(s.icmp_code == 0 ? "time exceeded in-transit"sv
                                  : "ip reassembly time exceeded"sv);
      break;
    case 4: out.append("source quench"); break;
    case 5: out.append("redirect"); break;
    case 9: out.append("router advertisement"); break;
    case 10: out.append("router solicitation"); break;
    case 12: out.append("parameter problem"); break;
    case 13: out.append("time stamp request"); break;
    case 14: out.append("time stamp reply"); break;
    case 17: out.append("address mask request"); break;
    case 18: out.append("address mask reply"); break;
    default:
      out.append("type-#");
      out.append_uint(s.icmp_type);
      break;
  }
  out.append(", length ");
  out.append_uint(s.transport_length);
  if (embedded && c.options.verbose > 0 && c.captured(off + 8, 20)) {
    out.append("\n\t");
    print_ipv4_inner(c, off + 8, c.caplen() - (off + 8));
  }
}

void print_icmp6(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_icmp) {
    out.append(" [|icmp6]");
    return;
  }
  const std::uint32_t off = s.transport_offset;
  const bool verbose = c.options.verbose > 0;
  if (verbose && c.captured(off, s.transport_length)) {
    const std::uint16_t sum = transport_checksum(s, c.data() + off, s.transport_length, 58);
    out.append(sum == 0 ? "[icmp6 sum ok] "sv : "[bad icmp6 cksum] "sv);
  }
  out.append("ICMP6, ");
  auto length = [&] {
    out.append(", length ");
    out.append_uint(s.transport_length);
  };
  switch (s.icmp_type) {
    case 128:
    case 129:
      out.append(s.icmp_type == 128 ? "echo request"sv : "echo reply"sv);
      if (!c.captured(off, 8)) {
        out.append(" [|icmp6]");
        return;
      }
      out.append(", id ");
      out.append_uint(s.icmp_id);
      out.append(", seq ");
      out.append_uint(s.icmp_seq);
      if (!verbose) length();
      return;
    case 135:
    case 136: {
      const bool solicitation = s.icmp_type == 135;
      out.append(solicitation ? "neighbor solicitation"sv : "neighbor advertisement"sv);
      if (!c.captured(off, 24)) {
        out.append(" [|icmp6]");
        return;
      }
      if (verbose) length();
      out.append(solicitation ? ", who has "sv : ", tgt is "sv);
      append_ipv6(out, c.data() + off + 8);
      if (!verbose) {
        length();
        return;
      }
      if (!solicitation) {
        const std::uint8_t flags = c.data()[off + 4];
        out.append(", Flags [");
        bool any = false;
        auto flag = [&](std::uint8_t bit, std::string_view name) {
          if (!(flags & bit)) return;
          if (any) out.append(", ");
          out.append(name);
          any = true;
        };
        flag(0x80, "router"sv);
        flag(0x40, "solicited"sv);
        flag(0x20, "override"sv);
        if (!any) out.append("none");
        out.append(']');
      }
      // Options: link-layer addresses.
      std::uint32_t o = off + 24;
      const std::uint32_t end = off + s.transport_length;
      while (o + 2 <= end && c.captured(o, 2)) {
        const std::uint8_t type = c.data()[o];
        const std::uint32_t units = c.data()[o + 1];
        if (units == 0 || !c.captured(o, units * 8)) break;
        out.append("\n\t  ");
        if (type == 1 || type == 2) {
          out.append(type == 1 ? "source link-address option (1), length "sv
                               : "destination link-address option (2), length "sv);
          out.append_uint(units * 8);
          out.append(" (");
          out.append_uint(units);
          out.append("): ");
          for (std::uint32_t i = 2; i < units * 8; ++i) {
            if (i > 2) out.append(':');
            out.append_hex8(c.data()[o + i]);
          }
        } else {
          out.append("option (");
          out.append_uint(type);
          out.append("), length ");
          out.append_uint(units * 8);
        }
        o += units * 8;
      }
      return;
    }
    case 133: out.append("router solicitation"); break;
    case 134: out.append("router advertisement"); break;
    case 137: out.append("redirect"); break;
    case 1: out.append("destination unreachable"); break;
    case 2: out.append("packet too big"); break;
    case 3: out.append("time exceeded in-transit"); break;
    case 4: out.append("parameter problem"); break;
    case 130: out.append("multicast listener query"); break;
    case 131: out.append("multicast listener report"); break;
    case 132: out.append("multicast listener done"); break;
    case 143: out.append("multicast listener report v2"); break;
    default:
      out.append("type-#");
      out.append_uint(s.icmp_type);
      break;
  }
  length();
}

void print_transport(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  switch (s.protocol) {
    case 6: print_tcp(c, with_addresses); return;
    case 17: print_udp(c, with_addresses); return;
    case 1: print_icmp(c); return;
    case 58: print_icmp6(c); return;
    default:
      out.append(" ip-proto-");
      out.append_uint(s.protocol);
      out.append(' ');
      out.append_uint(s.transport_length);
      return;
  }
}

void print_ipv4(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (s.truncated == Layer::ip) {
    out.append(" [|ip]");
    return;
  }
  if (c.options.verbose > 0) {
    out.append("(tos 0x");
    out.append_hex(s.tos);
    switch (s.tos & 3) {
      case 1: out.append(",ECT(1)"); break;
      case 2: out.append(",ECT(0)"); break;
      case 3: out.append(",CE"); break;
      default: break;
    }
    out.append(", ttl ");
    out.append_uint(s.ttl);
    out.append(", id ");
    out.append_uint(s.ip_id);
    out.append(", offset ");
    out.append_uint(s.fragment_offset);
    out.append(", flags [");
    if (s.dont_fragment) out.append("DF");
    if (s.more_fragments) out.append('+');
    if (!s.dont_fragment && !s.more_fragments) out.append("none");
    out.append("], proto ");
    out.append(ip_protocol_name(s.protocol));
    out.append(" (");
    out.append_uint(s.protocol);
    out.append("), length ");
    out.append_uint(s.ip_total_length);
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
      case 0xc2:
        out.append("(jumbo: ");
        out.append_uint(len >= 4 ? load_be32(o + i + 2) : 0);
        out.append(") ");
        break;
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

void print_ipv6(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (s.truncated == Layer::ip6 && s.source_ip == nullptr) {
    out.append(" [|ip6]");
    return;
  }
  if (c.options.verbose > 0) {
    out.append('(');
    if (s.tos != 0) {
      out.append("class 0x");
      out.append_hex(s.tos);
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
      case 60:
        out.append(e.type == 0 ? "HBH "sv : "DSTOPT "sv);
        if (c.options.verbose > 0) append_ipv6_options(c, e.offset);
        break;
      case 43: out.append("srcrt "); break;
      case 44: {
        const std::uint16_t frag = load_be16(c.data() + e.offset + 2);
        const std::uint32_t offset = frag & 0xfff8u;
        const std::uint32_t after = e.offset + 8 - (s.network_offset + 40);
        const std::uint32_t length = s.ip_total_length > after ? s.ip_total_length - after : 0;
        out.append("frag (");
        if (c.options.verbose > 0) {
          out.append("0x");
          out.append_hex_padded(s.fragment_id, 8);
          out.append(':');
        }
        out.append_uint(offset);
        out.append('|');
        out.append_uint(length);
        out.append(')');
        if (offset != 0) return;
        out.append(' ');
        break;
      }
      default: break;
    }
  }
  if (s.truncated == Layer::ip6) {
    out.append("[|ip6]");
    return;
  }
  print_transport(c, first == s.protocol);
}

void print_arp(const Context& c, bool prefix) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (prefix) out.append("ARP, ");
  if (s.truncated == Layer::arp) {
    out.append("[|ARP]");
    return;
  }
  const std::uint32_t length = c.packet.wire_length - s.network_offset;
  const bool ethernet_ipv4 = s.arp_hardware == 1 && s.arp_protocol == 0x0800 &&
                             s.arp_hardware_length == 6 && s.arp_protocol_length == 4;
  if (c.options.verbose > 0) {
    out.append(s.arp_hardware == 1 ? "Ethernet"sv : "Unknown Hardware"sv);
    out.append(" (len ");
    out.append_uint(s.arp_hardware_length);
    out.append("), ");
    out.append(s.arp_protocol == 0x0800 ? "IPv4"sv : "Unknown Protocol"sv);
    out.append(" (len ");
    out.append_uint(s.arp_protocol_length);
    out.append("), ");
  }
  if (!ethernet_ipv4) {
    out.append("Unknown ARP, length ");
    out.append_uint(length);
    return;
  }
  switch (s.arp_op) {
    case 1: {
      out.append("Request who-has ");
      append_ipv4(out, s.arp_target_ip);
      static constexpr std::uint8_t kZero[6] = {};
      if (std::memcmp(s.arp_target_mac, kZero, 6) != 0) {
        out.append(" (");
        append_mac(out, s.arp_target_mac);
        out.append(')');
      }
      out.append(" tell ");
      append_ipv4(out, s.arp_sender_ip);
      break;
    }
    case 2:
      out.append("Reply ");
      append_ipv4(out, s.arp_sender_ip);
      out.append(" is-at ");
      append_mac(out, s.arp_sender_mac);
      break;
    default:
      out.append("Unknown ARP opcode ");
      out.append_uint(s.arp_op);
      break;
  }
  out.append(", length ");
  out.append_uint(length);
}

// The part of the line after the link layer: "IP ...", "IP6 ...", "ARP, ...".
void print_network(const Context& c, bool name) {
  switch (c.s.network) {
    case Network::ipv4:
      if (name) c.out.append("IP ");
      print_ipv4(c);
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
  inner.data = outer.packet.data.subspan(offset, caplen);
  inner.wire_length = caplen;
  inner.link_type = link_type::kIpv4;
  Summary s;
  decode(inner, s);
  PrintOptions options = outer.options;
  const Context c{options, inner, s, outer.out};
  c.out.append("IP ");
  print_ipv4(c);
}

}  // namespace

struct Printer::Impl {
  PrintOptions options;
  TimestampFormatter timestamps;
  std::uint64_t count = 0;
  Summary summary;  // reused: decode() resets it, so there is one reset per packet, not two
  explicit Impl(const PrintOptions& o)
      : options(o), timestamps(o.timestamp_style, o.nano, o.utc) {}
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
  p.timestamps.append(out, packet.timestamp_ns);

  Summary& s = p.summary;
  decode(packet, s);
  const Context c{o, packet, s, out};
  bool default_dump = false;  // tcpdump's hex dump of what it could not decode
  std::uint32_t header_length = s.link_header_length;

  switch (packet.link_type) {
    case link_type::kEthernet: {
      if (s.truncated == Layer::link && s.source_mac == nullptr) {
        out.append("[|ether]");
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
          out.append(ethertype_name(s.ethertype).empty() ? "Unknown"sv
                                                         : ethertype_name(s.ethertype));
          out.append(" Ethertype (0x");
          out.append_hex_padded(s.ethertype, 4);
          out.append("), length ");
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
        append_ethertype(out, s.outer_ethertype);
        out.append(", length ");
        out.append_uint(packet.wire_length);
        out.append(": ");
        for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
          out.append("vlan ");
          out.append_uint(s.vlans[i].id());
          out.append(", p ");
          out.append_uint(s.vlans[i].priority());
          if (s.vlans[i].tci & 0x1000) out.append(", DEI");
          out.append(", ");
          const std::uint16_t next = i + 1 < s.vlan_count ? s.vlans[i + 1].tpid : s.ethertype;
          append_ethertype(out, next);
          out.append(", ");
        }
        if (s.truncated == Layer::link) {
          out.append("[|vlan]");
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
      if (s.truncated == Layer::link) {
        out.append("[|");
        out.append(link_type_name(packet.link_type));
        out.append(']');
        break;
      }
      if (s.network == Network::other || s.network == Network::none) {
        if (s.ethertype != 0) {
          append_ethertype(out, s.ethertype);
        } else {
          out.append("AF ");
          out.append_uint(s.link_family);
        }
        out.append(", length ");
        out.append_uint(packet.wire_length);
        out.append(": ");
        default_dump = true;
        break;
      }
      print_network(c, true);
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

  // tcpdump dumps what it could not decode unless -x/-X asked for a dump of everything.
  if (default_dump && (o.dump == DumpStyle::none || o.dump == DumpStyle::ascii) &&
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
