// Babel (UDP port 6696, and 6697 of the old drafts) as tcpdump 4.99 prints it (print-babel.c):
// "babel 2 (24) hello ihu" without -v, one line per TLV with -v, sub-TLVs included.

#include <cstdint>
#include <cstring>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

constexpr std::uint8_t kV4Prefix[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0};

// "4.00s", "0.0s (bogus)" for 0.
void append_interval(OutputBuffer& out, std::uint32_t i) {
  if (i == 0) {
    out.append("0.0s (bogus)");
    return;
  }
  out.append_uint(i / 100);
  out.append('.');
  out.append_uint_padded(i % 100, 2);
  out.append('s');
}

void append_update_interval(OutputBuffer& out, std::uint32_t i) {
  if (i == 0xffff)
    out.append("infinity");
  else
    append_interval(out, i);
}

void append_timestamp(OutputBuffer& out, std::uint32_t t) {
  out.append_uint(t / 1000000);
  out.append('.');
  out.append_uint_padded(t % 1000000, 6);
  out.append('s');
}

void append_id(OutputBuffer& out, const std::uint8_t* id) {
  for (int i = 0; i < 8; ++i) {
    if (i > 0) out.append(':');
    out.append_hex8(id[i]);
  }
}

void append_address(OutputBuffer& out, const std::uint8_t* a) {
  if (std::memcmp(a, kV4Prefix, 12) == 0)
    append_ipv4(out, a + 12);
  else
    append_ipv6(out, a);
}

void append_prefix(OutputBuffer& out, const std::uint8_t* a, std::uint8_t plen) {
  if (plen >= 96 && std::memcmp(a, kV4Prefix, 12) == 0) {
    append_ipv4(out, a + 12);
    labeled(out, "/"sv, plen - 96u);
  } else {
    append_ipv6(out, a);
    labeled(out, "/"sv, plen);
  }
}

// tcpdump's network_prefix(): the bytes used at p, or -1 for an encoding error.
int network_prefix(int ae, int plen, unsigned omitted, const std::uint8_t* p,
                   const std::uint8_t* dp, unsigned len, std::uint8_t* result) {
  unsigned pb;
  if (plen >= 0)
    pb = static_cast<unsigned>(plen + 7) / 8;
  else if (ae == 1)
    pb = 4;
  else
    pb = 16;
  if (pb > 16) return -1;
  std::uint8_t prefix[16] = {};
  int consumed = 0;
  switch (ae) {
    case 0: break;
    case 1:
      if (omitted > 4 || pb > 4 || (pb > omitted && len < pb - omitted)) return -1;
      std::memcpy(prefix, kV4Prefix, 12);
      if (omitted) {
        if (dp == nullptr) return -1;
        std::memcpy(prefix, dp, 12 + omitted);
      }
      if (pb > omitted) {
        std::memcpy(prefix + 12 + omitted, p, pb - omitted);
        consumed = static_cast<int>(pb - omitted);
      }
      break;
    case 2:
      if (omitted > 16 || (pb > omitted && len < pb - omitted)) return -1;
      if (omitted) {
        if (dp == nullptr) return -1;
        std::memcpy(prefix, dp, omitted);
      }
      if (pb > omitted) {
        std::memcpy(prefix + omitted, p, pb - omitted);
        consumed = static_cast<int>(pb - omitted);
      }
      break;
    case 3:
      if (pb > 8 && len < pb - 8) return -1;
      prefix[0] = 0xfe;
      prefix[1] = 0x80;
      if (pb > 8) {
        std::memcpy(prefix + 8, p, pb - 8);
        consumed = static_cast<int>(pb - 8);
      }
      break;
    default: return -1;
  }
  std::memcpy(result, prefix, 16);
  return consumed;
}

// Sub-TLVs in [cp, ep); false after tcpdump's " (invalid)" (which ends its TLV, not the list).
void print_subtlvs(const Context& c, const std::uint8_t* cp, const std::uint8_t* ep,
                   std::uint8_t tlv_type) {
  OutputBuffer& out = c.out;
  while (cp < ep) {
    const std::uint8_t subtype = *cp++;
    if (subtype == 0) {
      out.append(" sub-pad1");
      continue;
    }
    if (subtype & 0x80) out.append(" (M)");
    if (cp == ep) {
      out.append(" (invalid)");
      return;
    }
    std::uint32_t sublen = *cp++;
    if (cp + sublen > ep) {
      out.append(" (invalid)");
      return;
    }
    switch (subtype) {
      case 1:
        out.append(" sub-padn");
        cp += sublen;
        break;
      case 2: {
        out.append(" sub-diversity");
        if (sublen == 0) {
          out.append(" empty");
          break;
        }
        std::string_view sep = " "sv;
        for (; sublen != 0; --sublen, ++cp) {
          out.append(sep);
          if (*cp == 0)
            out.append("reserved");
          else if (*cp == 255)
            out.append("all");
          else
            out.append_uint(*cp);
          sep = "-"sv;
        }
        if (tlv_type != 8 && tlv_type != 13) out.append(" (bogus)");
        break;
      }
      case 3:
        out.append(" sub-timestamp");
        if (tlv_type == 4) {
          if (sublen < 4) {
            out.append(" (invalid)");
            return;
          }
          out.append(' ');
          append_timestamp(out, load_be32(cp));
        } else if (tlv_type == 5) {
          if (sublen < 8) {
            out.append(" (invalid)");
            return;
          }
          out.append(' ');
          append_timestamp(out, load_be32(cp));
          out.append('|');
          append_timestamp(out, load_be32(cp + 4));
        } else {
          out.append(" (bogus)");
        }
        cp += sublen;
        break;
      default:
        out.append(" sub-unknown-0x");
        out.append_hex_padded(subtype, 2);
        cp += sublen;
        break;
    }
  }
}

enum class Result { ok, cut, invalid };

// The TLVs at `at`: tcpdump's babel_print_v2_tlvs().
Result print_tlvs(const Context& c, std::uint32_t at, std::uint32_t tlvs_length,
                  std::uint32_t remaining) {
  OutputBuffer& out = c.out;
  const bool v = c.options.verbose > 0;
  std::uint8_t v4_prefix[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0};
  std::uint8_t v6_prefix[16] = {};
  const auto fits = [&](std::uint32_t i, std::uint32_t l) {
    return std::uint64_t{i} + l <= tlvs_length && std::uint64_t{i} + l <= remaining;
  };
  for (std::uint32_t i = 0; i < tlvs_length;) {
    const std::uint32_t m = at + i;
    if (!fits(i, 1)) return Result::invalid;
    if (!c.captured(m, 1)) return Result::cut;
    const std::uint8_t type = c.data()[m];
    if (type == 0) {
      out.append(v ? "\n\tPad 1"sv : " pad1"sv);
      i += 1;
      continue;
    }
    if (!fits(i, 2)) return Result::invalid;
    if (!c.captured(m, 2)) return Result::cut;
    const std::uint32_t len = c.data()[m + 1];
    if (!fits(i, 2 + len)) return Result::invalid;
    if (!c.captured(m, 2 + len)) return Result::cut;
    const std::uint8_t* msg = c.data() + m;
    const std::uint8_t* end = msg + 2 + len;
    switch (type) {
      case 1:
        if (!v)
          out.append(" padN");
        else
          labeled(out, "\n\tPad "sv, len + 2);
        break;
      case 2:
        if (!v) {
          out.append(" ack-req");
        } else {
          out.append("\n\tAcknowledgment Request ");
          if (len < 6) return Result::invalid;
          out.append_hex_padded(load_be16(msg + 4), 4);
          out.append(' ');
          append_interval(out, load_be16(msg + 6));
        }
        break;
      case 3:
        if (!v) {
          out.append(" ack");
        } else {
          out.append("\n\tAcknowledgment ");
          if (len < 2) return Result::invalid;
          out.append_hex_padded(load_be16(msg + 2), 4);
        }
        break;
      case 4:
        if (!v) {
          out.append(" hello");
        } else {
          out.append("\n\tHello ");
          if (len < 6) return Result::invalid;
          if (load_be16(msg + 2) & 0x8000) out.append("(Unicast) ");
          labeled(out, "seqno "sv, load_be16(msg + 4));
          out.append(' ');
          const std::uint32_t interval = load_be16(msg + 6);
          if (interval != 0) {
            out.append("interval ");
            append_interval(out, interval);
          } else {
            out.append("unscheduled");
          }
          if (len > 6) print_subtlvs(c, msg + 8, end, type);
        }
        break;
      case 5:
        if (!v) {
          out.append(" ihu");
        } else {
          out.append("\n\tIHU ");
          if (len < 6) return Result::invalid;
          std::uint8_t address[16];
          const std::uint8_t ae = msg[2];
          const int rc = network_prefix(ae, -1, 0, msg + 8, nullptr, len - 6, address);
          if (rc < 0) {
            out.append(" [|babel]");
            break;
          }
          if (ae == 0)
            out.append("any");
          else
            append_address(out, address);
          labeled(out, " rxcost "sv, load_be16(msg + 4));
          out.append(" interval ");
          append_interval(out, load_be16(msg + 6));
          if (static_cast<std::uint32_t>(rc) < len - 6) print_subtlvs(c, msg + 8 + rc, end, type);
        }
        break;
      case 6:
        if (!v) {
          out.append(" router-id");
        } else {
          out.append("\n\tRouter Id");
          if (len < 10) return Result::invalid;
          out.append(' ');
          append_id(out, msg + 4);
        }
        break;
      case 7:
        if (!v) {
          out.append(" nh");
        } else {
          out.append("\n\tNext Hop");
          if (len < 2) return Result::invalid;
          std::uint8_t nh[16];
          const std::uint8_t ae = msg[2];
          if (network_prefix(ae, -1, 0, msg + 4, nullptr, len - 2, nh) < 0)
            return Result::invalid;
          out.append(' ');
          if (ae == 0)
            out.append("invalid AE 0");
          else
            append_address(out, nh);
        }
        break;
      case 8: {
        const auto flags = [&] {
          if (msg[3] & 0x80) out.append("/prefix");
          if (msg[3] & 0x40) out.append("/id");
          if (msg[3] & 0x3f) out.append("/unknown");
        };
        if (!v) {
          out.append(" update");
          if (len < 10) return Result::invalid;
          flags();
        } else {
          out.append("\n\tUpdate");
          if (len < 10) return Result::invalid;
          const std::uint8_t ae = msg[2];
          const auto plen = static_cast<std::uint8_t>(msg[4] + (ae == 1 ? 96 : 0));
          std::uint8_t prefix[16];
          const int rc = network_prefix(ae, msg[4], msg[5], msg + 12,
                                        ae == 1 ? v4_prefix : v6_prefix, len - 10, prefix);
          if (rc < 0) return Result::invalid;
          flags();
          out.append(' ');
          if (ae == 0)
            out.append("any");
          else
            append_prefix(out, prefix, plen);
          labeled(out, " metric "sv, load_be16(msg + 10));
          labeled(out, " seqno "sv, load_be16(msg + 8));
          out.append(" interval ");
          append_update_interval(out, load_be16(msg + 6));
          if (msg[3] & 0x80) std::memcpy(ae == 1 ? v4_prefix : v6_prefix, prefix, 16);
          if (static_cast<std::uint32_t>(rc) < len - 10) print_subtlvs(c, msg + 12 + rc, end, type);
        }
        break;
      }
      case 9:
        if (!v) {
          out.append(" route-request");
        } else {
          out.append("\n\tRoute Request ");
          if (len < 2) return Result::invalid;
          const std::uint8_t ae = msg[2];
          const auto plen = static_cast<std::uint8_t>(msg[3] + (ae == 1 ? 96 : 0));
          std::uint8_t prefix[16];
          if (network_prefix(ae, msg[3], 0, msg + 4, nullptr, len - 2, prefix) < 0)
            return Result::invalid;
          out.append("for ");
          if (ae == 0)
            out.append("any");
          else
            append_prefix(out, prefix, plen);
        }
        break;
      case 10:
        if (!v) {
          out.append(" seqno-request");
        } else {
          out.append("\n\tSeqno Request ");
          if (len < 14) return Result::invalid;
          const std::uint8_t ae = msg[2];
          std::uint8_t prefix[16];
          if (network_prefix(ae, msg[3], 0, msg + 16, nullptr, len - 14, prefix) < 0)
            return Result::invalid;
          const auto plen = static_cast<std::uint8_t>(msg[3] + (ae == 1 ? 96 : 0));
          labeled(out, "("sv, msg[6]);
          out.append(" hops) for ");
          if (ae == 0)
            out.append("invalid AE 0");
          else
            append_prefix(out, prefix, plen);
          labeled(out, " seqno "sv, load_be16(msg + 4));
          out.append(" id ");
          append_id(out, msg + 8);
        }
        break;
      case 11:
        if (!v) {
          out.append(" tspc");
        } else {
          out.append("\n\tTS/PC ");
          if (len < 6) return Result::invalid;
          labeled(out, "timestamp "sv, load_be32(msg + 4));
          labeled(out, " packetcounter "sv, load_be16(msg + 2));
        }
        break;
      case 12:
        if (!v) {
          out.append(" hmac");
        } else {
          out.append("\n\tHMAC ");
          if (len < 18) return Result::invalid;
          labeled(out, "key-id "sv, load_be16(msg + 2));
          labeled(out, " digest-"sv, len - 2);
          out.append(' ');
          static constexpr char kHex[] = "0123456789ABCDEF";
          for (std::uint32_t j = 0; j < len - 2; ++j) {
            out.append(kHex[msg[j + 4] >> 4]);
            out.append(kHex[msg[j + 4] & 15]);
          }
        }
        break;
      default:
        // Source-specific TLVs (13-15) and the MAC / PC / challenge ones: not decoded.
        if (type >= 13 && type <= 19) {
          out.append(" [|babel-tlv]");
          return Result::ok;
        }
        if (!v)
          out.append(" unknown");
        else
          labeled(out, "\n\tUnknown message type "sv, type);
        break;
    }
    i += len + 2;
  }
  return Result::ok;
}

}  // namespace

void print_babel(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  out.append("babel");
  if (!c.captured(offset, 4)) {
    out.append(" [|babel]");
    return;
  }
  const std::uint8_t* h = c.data() + offset;
  if (h[0] != 42) {
    out.append(" invalid header");
    return;
  }
  labeled(out, " "sv, h[1]);
  if (h[1] != 2) {
    out.append(" unknown version");
    return;
  }
  if (length < 4) {
    out.append(" (invalid)");
    return;
  }
  const std::uint32_t body = load_be16(h + 2);
  labeled(out, " ("sv, body);
  out.append(')');
  length -= 4;
  offset += 4;
  if (length < body) {
    out.append(" (invalid)");
    return;
  }
  Result r = print_tlvs(c, offset, body, length);
  if (r == Result::ok && length != body) {
    out.append(c.options.verbose > 0 ? "\n\t----"sv : " |"sv);
    r = print_tlvs(c, offset + body, length - body, length - body);
  }
  if (r == Result::cut) out.append(" [|babel]");
  if (r == Result::invalid) out.append(" (invalid)");
}

}  // namespace slimcap::detail
