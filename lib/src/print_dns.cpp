// DNS as tcpdump 4.99 prints it (print-domain.c): over UDP port 53, over TCP port 53 (the
// 2-byte length prefix of RFC 1035 4.2.2) and multicast DNS on UDP port 5353 (the QU and
// cache-flush bits of the class). The --json "dns" object is here too (append_dns_json).
//
// tcpdump walks the message with pointers bounded by its snapend (the end of the captured
// part of the IP datagram), not by the DNS length; its helpers return NULL when a read would
// pass it, and the caller then prints " [|domain]" -- or, in a few places, carries on
// regardless. This file follows the same walk with offsets into the packet (kNone for NULL),
// so that a cut message stops at the very byte where tcpdump's does. A few reads in tcpdump
// are not bounds-checked first (its GET_ macros longjmp instead): those set `jumped`, which
// ends the line the same way and makes the -x dump start at the first byte, as tcpdump's does.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

constexpr std::uint64_t kNone = ~std::uint64_t{0};  // tcpdump's NULL
constexpr unsigned kMaxName = 255;                  // MAXCDNAME
constexpr unsigned kTypeOpt = 41;
constexpr unsigned kClassIn = 1;
constexpr unsigned kMdnsBit = 0x8000;  // QU in a question, cache flush in a record

// tcpdump's ns_type2str.
std::string_view type_name(unsigned t) {
  switch (t) {
    case 1: return "A"sv;
    case 2: return "NS"sv;
    case 3: return "MD"sv;
    case 4: return "MF"sv;
    case 5: return "CNAME"sv;
    case 6: return "SOA"sv;
    case 7: return "MB"sv;
    case 8: return "MG"sv;
    case 9: return "MR"sv;
    case 10: return "NULL"sv;
    case 11: return "WKS"sv;
    case 12: return "PTR"sv;
    case 13: return "HINFO"sv;
    case 14: return "MINFO"sv;
    case 15: return "MX"sv;
    case 16: return "TXT"sv;
    case 17: return "RP"sv;
    case 18: return "AFSDB"sv;
    case 19: return "X25"sv;
    case 20: return "ISDN"sv;
    case 21: return "RT"sv;
    case 22: return "NSAP"sv;
    case 23: return "NSAP_PTR"sv;
    case 24: return "SIG"sv;
    case 25: return "KEY"sv;
    case 26: return "PX"sv;
    case 27: return "GPOS"sv;
    case 28: return "AAAA"sv;
    case 29: return "LOC"sv;
    case 30: return "NXT"sv;
    case 31: return "EID"sv;
    case 32: return "NIMLOC"sv;
    case 33: return "SRV"sv;
    case 34: return "ATMA"sv;
    case 35: return "NAPTR"sv;
    case 36: return "KX"sv;
    case 37: return "CERT"sv;
    case 38: return "A6"sv;
    case 39: return "DNAME"sv;
    case 40: return "SINK"sv;
    case 41: return "OPT"sv;
    case 42: return "APL"sv;
    case 43: return "DS"sv;
    case 44: return "SSHFP"sv;
    case 45: return "IPSECKEY"sv;
    case 46: return "RRSIG"sv;
    case 47: return "NSEC"sv;
    case 48: return "DNSKEY"sv;
    case 99: return "SPF"sv;
    case 100: return "UINFO"sv;
    case 101: return "UID"sv;
    case 102: return "GID"sv;
    case 103: return "UNSPEC"sv;
    case 104: return "UNSPECA"sv;
    case 249: return "TKEY"sv;
    case 250: return "TSIG"sv;
    case 251: return "IXFR"sv;
    case 252: return "AXFR"sv;
    case 253: return "MAILB"sv;
    case 254: return "MAILA"sv;
    case 255: return "ANY"sv;
    case 256: return "URI"sv;
    default: return {};
  }
}

// "A", or "Type65534" for a type tcpdump does not name.
void append_type(OutputBuffer& out, unsigned t) {
  const std::string_view name = type_name(t);
  if (!name.empty()) return out.append(name);
  out.append("Type");
  out.append_uint(t);
}

// tcpdump's ns_class2str, "(Class 7)" for the rest.
void append_class(OutputBuffer& out, unsigned c) {
  switch (c) {
    case 1: return out.append("IN");
    case 3: return out.append("CHAOS");
    case 4: return out.append("HS");
    case 255: return out.append("ANY");
    default:
      out.append("(Class ");
      out.append_uint(c);
      out.append(')');
  }
}

constexpr std::string_view kOpcodes[16] = {
    ""sv,         " inv_q"sv,   " stat"sv,     " op3"sv,      " notify"sv,   " update"sv,
    " op6"sv,     " op7"sv,     " op8"sv,      " updateA"sv,  " updateD"sv,  " updateDA"sv,
    " updateM"sv, " updateMA"sv, " zoneInit"sv, " zoneRef"sv,
};

// tcpdump's ns_resp, spaces as it has them (17 and 21 lack theirs).
constexpr std::string_view kRcodes[24] = {
    ""sv,         " FormErr"sv, " ServFail"sv, " NXDomain"sv, " NotImp"sv,  " Refused"sv,
    " YXDomain"sv, " YXRRSet"sv, " NXRRSet"sv,  " NotAuth"sv,  " NotZone"sv, " Resp11"sv,
    " Resp12"sv,  " Resp13"sv,  " Resp14"sv,   " NoChange"sv, " BadVers"sv, "Resp17"sv,
    " Resp18"sv,  " Resp19"sv,  " Resp20"sv,   "Resp21"sv,    " Resp22"sv,  " BadCookie"sv,
};

void append_rcode(OutputBuffer& out, unsigned rcode) {
  if (rcode < 24) return out.append(kRcodes[rcode]);
  out.append(" Resp");
  out.append_uint(rcode & 0xfff);
}

// tcpdump's unsigned_relts_print(): "1w2d3h4m5s", "0s".
void append_duration(OutputBuffer& out, std::uint32_t secs) {
  static constexpr std::uint32_t kSeconds[] = {31536000, 604800, 86400, 3600, 60, 1};
  static constexpr char kUnits[] = "ywdhms";
  if (secs == 0) return out.append("0s");
  for (int i = 0; secs > 0; ++i) {
    if (secs >= kSeconds[i]) {
      out.append_uint(secs / kSeconds[i]);
      out.append(kUnits[i]);
      secs %= kSeconds[i];
    }
  }
}

std::string_view edns_option_name(unsigned o) {
  switch (o) {
    case 1: return "LLQ"sv;
    case 2: return "UL"sv;
    case 3: return "NSID"sv;
    case 5: return "DAU"sv;
    case 6: return "DHU"sv;
    case 7: return "N3U"sv;
    case 8: return "ECS"sv;
    case 9: return "EXPIRE"sv;
    case 10: return "COOKIE"sv;
    case 11: return "KEEPALIVE"sv;
    case 12: return "PADDING"sv;
    case 13: return "CHAIN"sv;
    case 14: return "KEY-TAG"sv;
    case 16: return "CLIENT-TAG"sv;
    case 17: return "SERVER-TAG"sv;
    default: return {};
  }
}

// DNSSEC algorithm (DAU), DS hash (DHU) and NSEC3 hash (N3U) names.
std::string_view algorithm_name(unsigned option, unsigned a) {
  if (option == 5) {
    switch (a) {
      case 0: return "DELETE"sv;
      case 1: return "RSAMD5"sv;
      case 2: return "DH"sv;
      case 3: return "DS"sv;
      case 5: return "RSASHA1"sv;
      case 6: return "DSA-NSEC3-SHA1"sv;
      case 7: return "RSASHA1-NSEC3-SHA1"sv;
      case 8: return "RSASHA256"sv;
      case 10: return "RSASHA512"sv;
      case 12: return "ECC-GOST"sv;
      case 13: return "ECDSAP256SHA256"sv;
      case 14: return "ECDSAP384SHA384"sv;
      case 15: return "ED25519"sv;
      case 16: return "ED448"sv;
      case 252: return "INDIRECT"sv;
      case 253: return "PRIVATEDNS"sv;
      case 254: return "PRIVATEOID"sv;
      default: return {};
    }
  }
  if (option == 6) {
    switch (a) {
      case 1: return "SHA-1"sv;
      case 2: return "SHA-256"sv;
      case 3: return "GOST_R_34.11-94"sv;
      case 4: return "SHA-384"sv;
      default: return {};
    }
  }
  return a == 1 ? "SHA-1"sv : std::string_view{};
}

// One message being printed: tcpdump's walk over it.
struct Message {
  OutputBuffer& out;
  const std::uint8_t* d;
  std::uint64_t end;  // tcpdump's snapend
  bool mdns;
  int verbose;
  bool jumped = false;  // a read tcpdump makes without a check went past the capture

  bool have(std::uint64_t at, std::uint64_t n) const { return at <= end && n <= end - at; }
  unsigned u16(std::uint64_t at) const { return load_be16(d + at); }
  std::uint32_t u32(std::uint64_t at) const { return load_be32(d + at); }
  bool jump() {
    jumped = true;
    return false;
  }

  // ns_nskip(): past a name without printing it.
  std::uint64_t skip_name(std::uint64_t cp) const {
    if (!have(cp, 1)) return kNone;
    unsigned i = d[cp++];
    while (i != 0) {
      if ((i & 0xc0) == 0) [[likely]] {  // a plain label
        cp += i;
      } else if ((i & 0xc0) == 0xc0) {  // a pointer ends the name
        return cp + 1;
      } else if ((i & 0xc0) == 0x40 && (i & 0x3f) == 1) {  // a bit-string label
        if (!have(cp, 1)) return kNone;
        const unsigned bits = d[cp] != 0 ? d[cp] : 256;
        cp += 1 + (bits + 7) / 8;
      } else {
        return kNone;
      }
      if (!have(cp, 1)) return kNone;
      i = d[cp++];
    }
    return cp;
  }

  // labellen(): the length of the label at cp (a pointer's first byte for a pointer), -1
  // (after tcpdump's complaint for a bad type) when it cannot tell.
  int label_length(std::uint64_t cp) {
    if (!have(cp, 1)) return -1;
    const unsigned i = d[cp];
    switch (i & 0xc0) {
      case 0x40: {
        if ((i & 0x3f) != 1) {
          out.append("<ELT ");
          out.append_uint(i & 0x3f);
          out.append('>');
          return -1;
        }
        if (!have(cp + 1, 1)) return -1;
        const unsigned bits = d[cp + 1] != 0 ? d[cp + 1] : 256;
        return static_cast<int>((bits + 7) / 8 + 1);
      }
      case 0x80: out.append("<BAD LABEL TYPE>"); return -1;
      default: return static_cast<int>(i);
    }
  }

  // blabel_print(): an EDNS0 bit-string label at cp (its length byte) as "\[xHEX/BITS]".
  bool bit_label(std::uint64_t cp) {
    if (!have(cp, 1)) return false;
    const unsigned bits = d[cp] != 0 ? d[cp] : 256;
    const std::uint64_t limit = cp + 1 + (bits + 3) / 4;
    out.append("\\[x");
    std::uint64_t at = cp + 1;
    int b = static_cast<int>(bits);
    for (; at < limit && b > 7; b -= 8, ++at) {
      if (!have(at, 1)) return jump();
      out.append_hex8(d[at]);
    }
    if (b > 4) {
      if (!have(at, 1)) return jump();
      out.append_hex8(static_cast<std::uint8_t>(d[at] & (0xff << (8 - b))));
    } else if (b > 0) {
      if (!have(at, 1)) return jump();
      out.append_hex(((d[at] >> 4) & 0x0fu) & (0x0fu << (4 - b)));
    }
    out.append('/');
    out.append_uint(bits);
    out.append(']');
    return true;
  }

  // nd_printn() bounded by snapend: false when the capture ends first.
  bool print_chars(std::uint64_t cp, std::uint32_t n) {
    const std::uint64_t stop = cp + n < end ? cp + n : end;
    append_safe_text(out, d + cp, static_cast<std::size_t>(stop - cp));
    return stop == cp + n;
  }

  // fqdn_print(): the name at cp, compression pointers relative to bp, which must point
  // backwards ("<BAD PTR>" otherwise: no loop can form). Returns the offset after the name
  // where it started (after its first pointer), kNone for tcpdump's NULL.
  std::uint64_t name(std::uint64_t cp, std::uint64_t bp) {
    int l = label_length(cp);
    if (l < 0) return kNone;
    std::uint32_t max_offset = static_cast<std::uint32_t>(cp - bp);
    unsigned i = d[cp++];
    std::uint64_t rp = kNone;
    bool compress = false;
    unsigned name_chars = 0;
    if ((i & 0xc0) != 0xc0) rp = cp + static_cast<unsigned>(l);
    if (i == 0) {
      out.append('.');
      return rp;
    }
    while (i != 0 && cp < end) {
      switch (i & 0xc0) {
        case 0xc0: {
          if (!compress) {
            rp = cp + 1;
            compress = true;
          }
          const std::uint32_t offset = ((i << 8) | d[cp]) & 0x3fff;
          if (offset >= max_offset) {
            out.append("<BAD PTR>");
            return kNone;
          }
          max_offset = offset;
          cp = bp + offset;
          if (!have(cp, 1)) return kNone;
          i = d[cp];
          if ((l = label_length(cp)) < 0) return kNone;
          ++cp;
          continue;
        }
        case 0x40:
          if ((i & 0x3f) != 1) {
            out.append("<ELT ");
            out.append_uint(i & 0x3f);
            out.append('>');
            return kNone;
          }
          if (!bit_label(cp)) return kNone;
          break;
        case 0x80: out.append("<BAD LABEL TYPE>"); return kNone;
        default: {
          // A plain label (at most 63 bytes) and its dot in one reservation: the common case.
          const unsigned n = static_cast<unsigned>(l);
          const unsigned shown = name_chars + n <= kMaxName  ? n
                                 : name_chars < kMaxName     ? kMaxName - name_chars
                                                             : 0;
          const std::uint64_t stop = cp + shown < end ? cp + shown : end;
          char* const start = out.reserve(4 * 63 + 1);
          char* o = put_safe_text(start, d + cp, static_cast<std::size_t>(stop - cp));
          if (stop != cp + shown) {
            out.advance(static_cast<std::size_t>(o - start));
            return kNone;
          }
          name_chars += n;
          cp += n;
          if (name_chars <= kMaxName) *o++ = '.';
          out.advance(static_cast<std::size_t>(o - start));
          ++name_chars;
          if (!have(cp, 1)) return kNone;
          i = d[cp];
          if ((i & 0xc0) == 0) {
            l = static_cast<int>(i);
          } else if ((l = label_length(cp)) < 0) {
            return kNone;
          }
          ++cp;
          if (!compress) rp += static_cast<unsigned>(l) + 1;
          continue;
        }
      }
      cp += static_cast<unsigned>(l);
      if (name_chars <= kMaxName) out.append('.');
      ++name_chars;
      if (!have(cp, 1)) return kNone;
      i = d[cp];
      if ((l = label_length(cp)) < 0) return kNone;
      ++cp;
      if (!compress) rp += static_cast<unsigned>(l) + 1;
    }
    if (name_chars > kMaxName) out.append("<DOMAIN NAME TOO LONG>");
    return rp;
  }

  // ns_cprint(): a <character-string>.
  std::uint64_t character_string(std::uint64_t cp) {
    if (!have(cp, 1)) return kNone;
    const unsigned n = d[cp++];
    if (!print_chars(cp, n)) return kNone;
    return cp + n;
  }

  // ns_qprint(): " A? example.com." (mDNS: " (QU)" / " (QM)" before the "?").
  std::uint64_t question(std::uint64_t cp, std::uint64_t bp) {
    const std::uint64_t start = cp;
    cp = skip_name(cp);
    if (cp == kNone || !have(cp, 4)) return kNone;
    out.append(' ');
    append_type(out, u16(cp));
    const unsigned raw = u16(cp + 2);
    const unsigned klass = mdns ? raw & ~kMdnsBit : raw;
    if (klass != kClassIn) {
      out.append(' ');
      append_class(out, klass);
    }
    if (mdns) out.append((raw & kMdnsBit) ? " (QU)"sv : " (QM)"sv);
    out.append("? ");
    cp = name(start, bp);
    return cp == kNone ? kNone : cp + 4;
  }

  // print_eopt_ecs(): "192.0.2.0/24/0".
  void client_subnet(std::uint64_t cp, unsigned length) {
    if (length < 4) return out.append(" (invalid)");
    const unsigned family = u16(cp), source = d[cp + 2], scope = d[cp + 3];
    const unsigned bits = family == 1 ? 32 : family == 2 ? 128 : 0;
    if (bits == 0 || length - 4 > bits / 8 || source > bits || scope > bits ||
        (source + 7) / 8 != length - 4)
      return out.append(" (invalid)");
    std::uint8_t address[16] = {};
    std::copy_n(d + cp + 4, length - 4, address);
    if (family == 1)
      append_ipv4(out, address);
    else
      append_ipv6(out, address);
    out.append('/');
    out.append_uint(source);
    out.append('/');
    out.append_uint(scope);
  }

  // eopt_print(): one EDNS option of an OPT record.
  std::uint64_t edns_option(std::uint64_t cp) {
    if (!have(cp, 2)) return kNone;
    const unsigned option = u16(cp);
    cp += 2;
    const std::string_view option_name = edns_option_name(option);
    if (option_name.empty()) {
      out.append("Opt");
      out.append_uint(option);
    } else {
      out.append(option_name);
    }
    if (!have(cp, 2)) return kNone;
    const unsigned length = u16(cp);
    cp += 2;
    if (!have(cp, length)) return kNone;
    if (length == 0) return cp;
    out.append(' ');
    switch (option) {
      case 8: client_subnet(cp, length); break;
      case 10:  // cookie: client (8 bytes), then server
        if (length < 8 || (length > 8 && length < 16) || length > 40) {
          out.append(" (invalid)");
          break;
        }
        for (unsigned i = 0; i < length; ++i) {
          if (i == 8) out.append(' ');
          out.append_hex8(d[cp + i]);
        }
        break;
      case 11:  // keepalive, in units of 100 ms
        if (length != 2) {
          out.append(" (invalid)");
          break;
        }
        out.append_uint(u16(cp) / 10);
        out.append('.');
        out.append_uint(u16(cp) % 10);
        out.append(" sec");
        break;
      case 9:  // expire
        if (length != 4) {
          out.append(" (invalid)");
          break;
        }
        out.append_uint(u32(cp));
        out.append(" sec");
        break;
      case 12:  // padding: its length only
        out.append('(');
        out.append_uint(length);
        out.append(')');
        break;
      case 14:  // key tags
        if (length % 2 != 0) {
          out.append(" (invalid)");
          break;
        }
        for (unsigned i = 0; i < length; i += 2) {
          if (i > 0) out.append(' ');
          out.append_uint(u16(cp + i));
        }
        break;
      case 5:
      case 6:
      case 7:
        for (unsigned i = 0; i < length; ++i) {
          if (i > 0) out.append(' ');
          const std::string_view a = algorithm_name(option, d[cp + i]);
          if (a.empty()) {
            out.append("Alg_");
            out.append_uint(d[cp + i]);
          } else {
            out.append(a);
          }
        }
        break;
      case 13:  // chain: a name, whose pointers tcpdump takes relative to the option's end
        name(cp, cp + length);
        if (jumped) return kNone;
        break;
      default:
        for (unsigned i = 0; i < length; ++i) out.append_hex8(d[cp + i]);
    }
    return cp + length;
  }

  // The data of a record of `type` at cp, `length` bytes ending at rp (captured); false for
  // tcpdump's NULL.
  bool record_data(unsigned type, unsigned klass, unsigned opt_flags, std::uint64_t cp,
                   unsigned length, std::uint64_t rp, std::uint64_t bp) {
    switch (type) {
      case 1:  // A
        if (!have(cp, 4)) return false;
        out.append(' ');
        append_ipv4(out, d + cp);
        return true;
      case 2:   // NS
      case 5:   // CNAME
      case 12:  // PTR
      case 39:  // DNAME
        out.append(' ');
        return name(cp, bp) != kNone;
      case 6:  // SOA, with -v
        if (verbose == 0) return true;
        out.append(' ');
        if ((cp = name(cp, bp)) == kNone) return false;
        out.append(' ');
        if ((cp = name(cp, bp)) == kNone) return false;
        if (!have(cp, 20)) return false;
        for (int i = 0; i < 5; ++i) {
          out.append(' ');
          out.append_uint(u32(cp + 4 * static_cast<unsigned>(i)));
        }
        return true;
      case 15:  // MX: exchange, then preference
        out.append(' ');
        if (!have(cp, 2)) return false;
        if (name(cp + 2, bp) == kNone) return false;
        out.append(' ');
        out.append_uint(u16(cp));
        return true;
      case 16:  // TXT
        while (cp < rp) {
          out.append(" \"");
          if ((cp = character_string(cp)) == kNone) return false;
          out.append('"');
        }
        return true;
      case 33:  // SRV: target:port priority weight
        out.append(' ');
        if (!have(cp, 6)) return false;
        if (name(cp + 6, bp) == kNone) return false;
        out.append(':');
        out.append_uint(u16(cp + 4));
        out.append(' ');
        out.append_uint(u16(cp));
        out.append(' ');
        out.append_uint(u16(cp + 2));
        return true;
      case 28:  // AAAA
        if (!have(cp, 16)) return false;
        out.append(' ');
        append_ipv6(out, d + cp);
        return true;
      case 38: {  // A6: prefix length, address suffix, prefix name
        if (!have(cp, 1)) return false;
        const unsigned prefix = d[cp];
        const unsigned prefix_bytes = (prefix & ~7u) / 8;
        if (prefix > 128) {
          out.append(' ');
          out.append_uint(prefix);
          out.append("(bad plen)");
          return true;
        }
        if (prefix < 128) {
          if (!have(cp + 1, 16 - prefix_bytes)) return jump();
          std::uint8_t a[16] = {};
          std::copy_n(d + cp + 1, 16 - prefix_bytes, a + prefix_bytes);
          out.append(' ');
          out.append_uint(prefix);
          out.append(' ');
          append_ipv6(out, a);
        }
        if (prefix > 0) {
          out.append(' ');
          if (name(cp + 1 + 16 - prefix_bytes, bp) == kNone) return false;
        }
        return true;
      }
      case 256:  // URI: priority weight target
        if (!have(cp, length)) return false;
        if (!have(cp, 4)) return jump();
        out.append(' ');
        out.append_uint(u16(cp));
        out.append(' ');
        out.append_uint(u16(cp + 2));
        out.append(' ');
        return print_chars(cp + 4, static_cast<std::uint32_t>(length - 4));
      case kTypeOpt:
        out.append(" UDPsize=");
        out.append_uint(klass);
        if (opt_flags & 0x8000) out.append(" DO");
        if (cp < rp) {
          out.append(" [");
          while (cp < rp) {
            if ((cp = edns_option(cp)) == kNone) return false;
            if (cp < rp) out.append(',');
          }
          out.append(']');
        }
        return true;
      case 104:  // UNSPECA: one long string, straight after the type
        if (!have(cp, length)) return false;
        return print_chars(cp, length);
      case 250: {  // TSIG, with -v
        if (verbose == 0) return true;
        out.append(' ');
        if ((cp = name(cp, bp)) == kNone) return false;
        cp += 6;  // time signed
        static constexpr std::string_view kFields[] = {" fudge="sv, " maclen="sv, " origid="sv,
                                                       " error="sv, " otherlen="sv};
        for (int i = 0; i < 5; ++i) {
          if (!have(cp, 2)) return false;
          out.append(kFields[i]);
          out.append_uint(u16(cp));
          cp += 2 + (i == 1 ? u16(cp) : 0u);
        }
        return true;
      }
      default: return true;
    }
  }

  // ns_rprint(): a resource record; `end` (tcpdump's snapend) when it cannot read the fixed
  // part, which ends its section without a marker.
  std::uint64_t record(std::uint64_t cp, std::uint64_t bp) {
    if (verbose > 0) {
      out.append(' ');
      if ((cp = name(cp, bp)) == kNone) return kNone;
    } else {
      cp = skip_name(cp);
    }
    if (cp == kNone || !have(cp, 10)) return end;
    const unsigned type = u16(cp);
    const unsigned raw = u16(cp + 2);
    const unsigned klass = mdns ? raw & ~kMdnsBit : raw;
    if (klass != kClassIn && type != kTypeOpt) {
      out.append(' ');
      append_class(out, klass);
    }
    if (mdns && (raw & kMdnsBit)) out.append(" (Cache flush)");
    unsigned opt_flags = 0;
    if (type == kTypeOpt) {
      opt_flags = u16(cp + 6);
    } else if (verbose > 2) {
      out.append(" [");
      append_duration(out, u32(cp + 4));
      out.append(']');
    }
    const unsigned length = u16(cp + 8);
    cp += 10;
    const std::uint64_t rp = cp + length;
    out.append(' ');
    append_type(out, type);
    if (rp > end) return kNone;
    if (!record_data(type, klass, opt_flags, cp, length, rp, bp)) return kNone;
    return rp;
  }

  // A section of `count` records after the question(s): the first one unconditionally
  // (`check_first` false) or while bytes are left, then while bytes are left, "," between.
  // False: print the marker.
  bool section(std::uint64_t& cp, std::uint64_t bp, unsigned count, std::string_view label,
               bool check_first) {
    if (count != 0 && (!check_first || cp < end)) {
      out.append(label);
      if ((cp = record(cp, bp)) == kNone) return false;
      --count;
      while (cp < end && count != 0) {
        out.append(',');
        if ((cp = record(cp, bp)) == kNone) return false;
        --count;
      }
    }
    return count == 0;
  }

  // The extended rcode: the high 8 bits in an OPT record's TTL, if one is found among the
  // additional records before the capture ends.
  unsigned extended_rcode(std::uint64_t cp, unsigned rcode, unsigned qd, unsigned an_ns,
                          unsigned ar) const {
    if (ar == 0) return rcode;  // no OPT record to find: the common case, no walk
    for (unsigned i = 0; i < qd; ++i) {
      if ((cp = skip_name(cp)) == kNone) return rcode;
      cp += 4;
      if (cp >= end) return rcode;
    }
    for (unsigned i = 0; i < an_ns; ++i) {
      if ((cp = skip_name(cp)) == kNone) return rcode;
      cp += 8;
      if (cp + 2 > end) return rcode;
      cp += 2 + u16(cp);
      if (cp >= end) return rcode;
    }
    for (unsigned i = 0; i < ar; ++i) {
      if ((cp = skip_name(cp)) == kNone) return rcode;
      if (cp + 2 > end) return rcode;
      const unsigned type = u16(cp);
      cp += 4;
      if (cp + 1 > end) return rcode;
      if (type == kTypeOpt) return rcode | (unsigned{d[cp]} << 4);
      cp += 4;
      if (cp + 2 > end) return rcode;
      cp += 2 + u16(cp);
      if (cp >= end) return rcode;
    }
    return rcode;
  }

  // The message at bp, `length` bytes long; false: the line ends in the marker.
  bool print(std::uint64_t bp, std::uint32_t length) {
    if (length < 12) {
      out.append("domain [length ");
      out.append_uint(length);
      out.append(" < 12] (invalid)");
      return true;
    }
    if (!have(bp, 12)) return false;
    const unsigned id = u16(bp), flags = u16(bp + 2);
    unsigned qd = u16(bp + 4), an = u16(bp + 6), ns = u16(bp + 8), ar = u16(bp + 10);
    const unsigned opcode = (flags >> 11) & 0xf;
    std::uint64_t cp = bp + 12;
    if (flags & 0x8000) {  // a response
      out.append_uint(id);
      out.append(kOpcodes[opcode]);
      append_rcode(out, extended_rcode(cp, flags & 0xf, qd, an + ns, ar));
      if (flags & 0x0400) out.append('*');
      if (!(flags & 0x0080)) out.append('-');
      if (flags & 0x0200) out.append('|');
      if (flags & 0x0020) out.append('$');
      if (qd != 1) {
        out.append(" [");
        out.append_uint(qd);
        out.append("q]");
      }
      for (unsigned i = 0; i < qd; ++i) {
        if (i != 0) out.append(',');
        if (verbose > 1) {
          out.append(" q:");
          if ((cp = question(cp, bp)) == kNone) return false;
        } else {
          if ((cp = skip_name(cp)) == kNone) return false;
          cp += 4;
        }
      }
      out.append(' ');
      out.append_uint(an);
      out.append('/');
      out.append_uint(ns);
      out.append('/');
      out.append_uint(ar);
      if (!section(cp, bp, an, ""sv, false)) return false;
    } else {  // a query
      out.append_uint(id);
      out.append(kOpcodes[opcode]);
      if (flags & 0x0100) out.append('+');
      if (flags & 0x0010) out.append('%');
      if (flags & 0x6cf) {
        out.append(" [b2&3=0x");
        out.append_hex(flags);
        out.append(']');
      }
      const auto count = [&](unsigned n, std::string_view suffix) {
        out.append(" [");
        out.append_uint(n);
        out.append(suffix);
      };
      if (opcode == 1) {  // inverse query
        if (qd != 0) count(qd, "q]"sv);
        if (an != 1) count(an, "a]"sv);
      } else {
        if (an != 0) count(an, "a]"sv);
        if (qd != 1) count(qd, "q]"sv);
      }
      if (ns != 0) count(ns, "n]"sv);
      if (ar != 0) count(ar, "au]"sv);
      if (qd != 0) {
        if ((cp = question(cp, bp)) == kNone) return false;
        --qd;
        while (cp < end && qd != 0) {
          if ((cp = question(cp, bp)) == kNone) return false;
          --qd;
        }
      }
      if (qd != 0) return false;
      if (verbose > 1 && !section(cp, bp, an, ""sv, false)) return false;
    }
    if (verbose > 1) {
      if (!section(cp, bp, ns, " ns:"sv, true)) return false;
      if (!section(cp, bp, ar, " ar:"sv, true)) return false;
    }
    out.append(" (");
    out.append_uint(length);
    out.append(')');
    return true;
  }
};

// The end of what tcpdump may read: the captured part of the IP datagram.
std::uint64_t datagram_end(const Context& c) {
  return std::min<std::uint64_t>(c.caplen(),
                                 std::uint64_t{c.s.transport_offset} + c.s.transport_length);
}

void print_domain(const Context& c, std::uint32_t offset, std::uint32_t length, bool mdns) {
  Message m{c.out, c.data(), datagram_end(c), mdns, c.options.verbose};
  if (!m.print(offset, length)) {
    c.out.append(" [|domain]");
    if (m.jumped) c.dump_whole = true;
  }
}

}  // namespace

void print_dns_udp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  print_domain(c, offset, length, false);
}

void print_mdns(const Context& c, std::uint32_t offset, std::uint32_t length) {
  print_domain(c, offset, length, true);
}

// DNS over TCP: the 2-byte length prefix must hold the rest of the segment's length.
void print_dns_tcp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (length < 2) {
    out.append(" [DNS over TCP: length ");
    out.append_uint(length);
    out.append(" < 2] (invalid)");
    return;
  }
  length -= 2;
  if (!(std::uint64_t{offset} + 2 <= datagram_end(c))) {  // tcpdump reads it unchecked
    out.append(" [|domain]");
    c.dump_whole = true;
    return;
  }
  const std::uint32_t prefix = load_be16(c.data() + offset);
  if (prefix != length) {
    out.append(" [prefix length(");
    out.append_uint(prefix);
    out.append(") != length(");
    out.append_uint(length);
    out.append(")] (invalid)");
    return;
  }
  out.append(' ');
  print_domain(c, offset + 2, length, false);
}

// --- --json -------------------------------------------------------------------------------

namespace {

// A name as JSON string content: dotted, pointers followed backwards only (as tcpdump), at
// most 255 characters; bytes outside printable ASCII, '"' and '\' escaped. Returns the
// offset after the name where it started, kNone when it cannot be read whole (the caller
// drops what was written).
std::uint64_t append_json_name(OutputBuffer& out, const std::uint8_t* d, std::uint64_t end,
                               std::uint64_t bp, std::uint64_t cp) {
  std::uint64_t after = kNone;
  std::uint64_t limit = cp - bp;  // pointers must point before this
  unsigned chars = 0;
  for (;;) {
    if (cp >= end) return kNone;
    const unsigned i = d[cp];
    if (i == 0) {
      if (chars == 0) out.append('.');
      return after == kNone ? cp + 1 : after;
    }
    if ((i & 0xc0) == 0xc0) {
      if (cp + 1 >= end) return kNone;
      const std::uint64_t offset = ((i << 8) | d[cp + 1]) & 0x3fff;
      if (offset >= limit) return kNone;
      if (after == kNone) after = cp + 2;
      limit = offset;
      cp = bp + offset;
      continue;
    }
    if ((i & 0xc0) != 0 || cp + 1 + i > end) return kNone;
    chars += i + 1;
    if (chars > kMaxName) return kNone;
    for (unsigned k = 1; k <= i; ++k) {
      const std::uint8_t ch = d[cp + k];
      if (ch == '"' || ch == '\\') {
        out.append('\\');
        out.append(static_cast<char>(ch));
      } else if (ch < 0x20 || ch >= 0x7f) {
        out.append("\\u00");
        out.append_hex8(ch);
      } else {
        out.append(static_cast<char>(ch));
      }
    }
    out.append('.');
    cp += 1 + i;
  }
}

constexpr std::string_view kRcodeNames[11] = {
    "NoError"sv, "FormErr"sv, "ServFail"sv, "NXDomain"sv, "NotImp"sv,  "Refused"sv,
    "YXDomain"sv, "YXRRSet"sv, "NXRRSet"sv, "NotAuth"sv,  "NotZone"sv,
};
constexpr std::string_view kOpcodeNames[7] = {
    "Query"sv, "IQuery"sv, "Status"sv, "Opcode3"sv, "Notify"sv, "Update"sv, "DSO"sv,
};

}  // namespace

void append_dns_json(OutputBuffer& out, const PacketView& packet, const Summary& s) {
  if (!s.has_ports || s.later_fragment) return;
  const std::uint8_t* d = packet.data.data();
  // What tcpdump may read: the captured part of the IP datagram.
  const std::uint64_t end = std::min<std::uint64_t>(
      packet.caplen(), std::uint64_t{s.transport_offset} + s.transport_length);
  std::uint64_t bp;
  std::uint64_t length;
  if (s.protocol == 17) {
    const PayloadPrinter p = udp_payload_printer(s.source_port, s.destination_port);
    if (p != print_dns_udp && p != print_mdns) return;
    if (s.udp_length < 8 || s.transport_length < 8) return;
    bp = s.transport_offset + 8u;
    length = std::min<std::uint32_t>(s.udp_length, s.transport_length) - 8u;
  } else if (s.protocol == 6) {
    if (tcp_payload_printer(s.source_port, s.destination_port) != print_dns_tcp) return;
    if (s.tcp_header_length < 20 || s.tcp_header_length > s.transport_length) return;
    bp = s.transport_offset + s.tcp_header_length;
    length = s.transport_length - s.tcp_header_length;
    // One whole message behind its length prefix, as the text printer wants it.
    if (length < 2 || bp + 2 > end || load_be16(d + bp) != length - 2) return;
    bp += 2;
    length -= 2;
  } else {
    return;
  }
  const unsigned flags = load_be16(d + bp + 2);
  out.append(",\"dns\":{\"id\":");
  out.append_uint(load_be16(d + bp));
  out.append((flags & 0x8000) ? ",\"qr\":\"response\""sv : ",\"qr\":\"query\""sv);
  out.append(",\"opcode\":\"");
  const unsigned opcode = (flags >> 11) & 0xf;
  if (opcode < 7) {
    out.append(kOpcodeNames[opcode]);
  } else {
    out.append("Opcode");
    out.append_uint(opcode);
  }
  out.append("\",\"rcode\":\"");
  const unsigned rcode = flags & 0xf;
  if (rcode < 11) {
    out.append(kRcodeNames[rcode]);
  } else {
    out.append("RCode");
    out.append_uint(rcode);
  }
  out.append('"');
  if (load_be16(d + bp + 4) != 0) {
    const std::size_t mark = out.size();
    out.append(",\"qname\":\"");
    const std::uint64_t after = append_json_name(out, d, end, bp, bp + 12);
    if (after == kNone || after + 4 > end) {
      out.truncate(mark);
    } else {
      out.append("\",\"qtype\":\"");
      append_type(out, load_be16(d + after));
      out.append('"');
    }
  }
  out.append(",\"answers\":");
  out.append_uint(load_be16(d + bp + 6));
  out.append('}');
}

}  // namespace slimcap::detail
