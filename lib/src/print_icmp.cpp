// ICMP and ICMPv6 as tcpdump 4.99 prints them: every message type it names, quoted
// datagrams, neighbor discovery options and MLD with -v.

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace slimcap::detail
