// PIM (IP protocol 103) as tcpdump 4.99 prints it (print-pim.c): "PIMv2, Hello, length 34";
// under -v the checksum verdict and each PIMv2 message: Hello options, Register (the inner
// packet on the same line), Register-Stop, Join/Prune, Graft, Graft-Ack, Bootstrap, Assert,
// Candidate-RP advertisement, Prune Refresh, DF Election. PIMv1 is named with its length.

#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kCut = " [|pimv2]"sv;

void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

std::string_view type_name(unsigned type) {
  static constexpr std::string_view kNames[] = {"Hello"sv,
                                                "Register"sv,
                                                "Register Stop"sv,
                                                "Join / Prune"sv,
                                                "Bootstrap"sv,
                                                "Assert"sv,
                                                "Graft"sv,
                                                "Graft Acknowledgement"sv,
                                                "Candidate RP Advertisement"sv,
                                                "Prune Refresh"sv,
                                                "DF Election"sv,
                                                "ECMP Redirect"sv};
  return type < 12 ? kNames[type] : "Unknown Type"sv;
}

std::string_view option_name(unsigned type) {
  switch (type) {
    case 1: return "Hold Time"sv;
    case 2: return "LAN Prune Delay"sv;
    case 18: return "DR Priority (Old)"sv;
    case 19: return "DR Priority"sv;
    case 20: return "Generation ID"sv;
    case 21: return "State Refresh Capability"sv;
    case 22: return "Bi-Directional Capability"sv;
    case 24: return "Address List"sv;
    case 65001: return "Address List (Old)"sv;
    default: return "Unknown"sv;
  }
}

enum class AddressKind { unicast, group, source };

struct Pim {
  const Context& c;
  OutputBuffer& out;
  std::uint32_t address_length;  // the header's RFC 2117 length, 0 for encoded addresses
  const std::uint8_t* p(std::uint32_t off) const { return c.data() + off; }
  bool have(std::uint32_t off, std::uint32_t n) const { return c.captured(off, n); }

  // tcpdump's pimv2_addr_print(): the encoded address at `at`, `len` bytes left in the
  // message; its size, or 0 when tcpdump gives up (a cut, or an address it cannot read).
  std::uint32_t address(std::uint32_t at, std::uint32_t len, AddressKind kind) const {
    std::uint32_t size = address_length, header = 0;
    if (size == 0) {
      if (len < 2 || !have(at, 1)) return 0;
      switch (p(at)[0]) {
        case 1: size = 4; break;
        case 2: size = 16; break;
        default: return 0;
      }
      if (!have(at + 1, 1) || p(at)[1] != 0) return 0;
      header = 2;
    } else if (size != 4 && size != 16) {
      return 0;
    }
    at += header;
    len -= header;
    if (kind == AddressKind::unicast) {
      if (len < size || !have(at, size)) return 0;
      if (size == 4)
        append_ipv4(out, p(at));
      else
        append_ipv6(out, p(at));
      return header + size;
    }
    if (len < size + 2 || !have(at, size + 2)) return 0;
    if (size == 4)
      append_ipv4(out, p(at + 2));
    else
      append_ipv6(out, p(at + 2));
    if (p(at)[1] != (size == 4 ? 32 : 128)) labeled(out, "/"sv, p(at)[1]);
    const std::uint8_t flags = p(at)[0];
    if (flags != 0) {
      if (kind == AddressKind::group) {
        out.append("(0x");
        out.append_hex_padded(flags, 2);
        out.append(')');
      } else {
        out.append('(');
        if (flags & 0x04) out.append('S');
        if (flags & 0x02) out.append('W');
        if (flags & 0x01) out.append('R');
        if (flags & 0xf8) {
          out.append("+0x");
          out.append_hex_padded(flags & 0xf8, 2);
        }
        out.append(')');
      }
    }
    return header + 2 + size;
  }
  void unknown_data(std::uint32_t at, std::uint32_t len) const {
    const std::uint32_t available = c.caplen() > at ? c.caplen() - at : 0;
    append_hex_lines(out, c.packet.data.subspan(at < c.caplen() ? at : c.caplen(), len < available ? len : available),
                     "\n\t    "sv);
  }
  bool hello(std::uint32_t bp, std::uint32_t len) const;
  bool join_prune(unsigned type, std::uint32_t bp, std::uint32_t len) const;
  bool bootstrap(std::uint32_t bp, std::uint32_t len) const;
  bool df_election(std::uint32_t bp, std::uint32_t len, unsigned subtype) const;
};

// False when tcpdump's marker follows; `invalid` is set where it ends with " (invalid)".
bool Pim::hello(std::uint32_t bp, std::uint32_t len) const {
  const auto invalid = [&](std::uint32_t olen, std::string_view want) {
    labeled(out, "[option length "sv, olen);
    out.append(want);
    out.append(" (invalid)");
    return true;
  };
  while (len > 0) {
    if (len < 4 || !have(bp, 4)) return false;
    const std::uint32_t type = load_be16(p(bp)), olen = load_be16(p(bp + 2));
    out.append("\n\t  ");
    out.append(option_name(type));
    labeled(out, " Option ("sv, type);
    labeled(out, "), length "sv, olen);
    out.append(", Value: ");
    bp += 4;
    len -= 4;
    if (len < olen || !have(bp, olen)) return false;
    const std::uint8_t* v = p(bp);
    switch (type) {
      case 1:
        if (olen != 2) return invalid(olen, " != 2]"sv);
        append_relative_time(out, load_be16(v));
        break;
      case 2: {
        if (olen != 4) return invalid(olen, " != 4]"sv);
        const std::uint32_t delay = load_be16(v);
        labeled(out, "\n\t    T-bit="sv, delay >> 15);
        labeled(out, ", LAN delay "sv, delay & 0x7fff);
        labeled(out, "ms, Override interval "sv, load_be16(v + 2));
        out.append("ms");
        break;
      }
      case 18:
      case 19:
        if (olen == 0)
          out.append("Bi-Directional Capability (Old)");
        else if (olen == 4)
          out.append_uint(load_be32(v));
        else
          return invalid(olen, " != 4]"sv);
        break;
      case 20:
        if (olen != 4) return invalid(olen, " != 4]"sv);
        out.append("0x");
        out.append_hex_padded(load_be32(v), 8);
        break;
      case 21:
        if (olen != 4) return invalid(olen, " != 4]"sv);
        labeled(out, "v"sv, v[0]);
        if (v[1] != 0) {
          out.append(", interval ");
          append_relative_time(out, v[1]);
        }
        if (load_be16(v + 2) != 0) {
          out.append(" ?0x");
          out.append_hex_padded(load_be16(v + 2), 4);
          out.append('?');
        }
        break;
      case 22: break;
      case 24:
      case 65001:
        if (c.options.verbose > 1) {
          std::uint32_t plen = len;
          for (std::uint32_t a = bp; a < bp + olen;) {
            out.append("\n\t    ");
            const std::uint32_t n = address(a, plen, AddressKind::unicast);
            if (n == 0) return false;
            a += n;
            plen -= n;
          }
        }
        break;
      default:
        if (c.options.verbose <= 1) unknown_data(bp, olen);
        break;
    }
    if (c.options.verbose > 1) unknown_data(bp, olen);
    bp += olen;
    len -= olen;
  }
  return true;
}

bool Pim::join_prune(unsigned type, std::uint32_t bp, std::uint32_t len) const {
  std::uint32_t n = 0;
  if (type != 7) {
    out.append(", upstream-neighbor: ");
    if ((n = address(bp, len, AddressKind::unicast)) == 0) return false;
    bp += n;
    len -= n;
  }
  if (len < 4 || !have(bp, 4)) return false;
  const std::uint32_t groups = p(bp)[1], holdtime = load_be16(p(bp + 2));
  labeled(out, "\n\t  "sv, groups);
  out.append(" group(s)");
  if (type != 7) {
    out.append(", holdtime: ");
    if (holdtime == 0xffff)
      out.append("infinite");
    else
      append_relative_time(out, holdtime);
  }
  bp += 4;
  len -= 4;
  for (std::uint32_t i = 0; i < groups; ++i) {
    labeled(out, "\n\t    group #"sv, i + 1);
    out.append(": ");
    if ((n = address(bp, len, AddressKind::group)) == 0) return false;
    bp += n;
    len -= n;
    if (len < 4 || !have(bp, 4)) return false;
    const std::uint32_t joined = load_be16(p(bp)), pruned = load_be16(p(bp + 2));
    labeled(out, ", joined sources: "sv, joined);
    labeled(out, ", pruned sources: "sv, pruned);
    bp += 4;
    len -= 4;
    for (std::uint32_t j = 0; j < joined + pruned; ++j) {
      labeled(out, j < joined ? "\n\t      joined source #"sv : "\n\t      pruned source #"sv,
              (j < joined ? j : j - joined) + 1);
      out.append(": ");
      if ((n = address(bp, len, AddressKind::source)) == 0) return false;
      bp += n;
      len -= n;
    }
  }
  return true;
}

bool Pim::bootstrap(std::uint32_t bp, std::uint32_t len) const {
  if (len < 2 || !have(bp, 2)) return false;
  out.append(" tag=");
  out.append_hex(load_be16(p(bp)));
  bp += 2;
  len -= 2;
  if (len < 1 || !have(bp, 1)) return false;
  labeled(out, " hashmlen="sv, p(bp)[0]);
  if (len < 2 || !have(bp + 2, 1)) return false;
  labeled(out, " BSRprio="sv, p(bp)[1]);
  bp += 2;
  len -= 2;
  out.append(" BSR=");
  std::uint32_t n = address(bp, len, AddressKind::unicast);
  if (n == 0) return false;
  bp += n;
  len -= n;
  for (std::uint32_t i = 0; len > 0; ++i) {
    labeled(out, " (group"sv, i);
    out.append(": ");
    if ((n = address(bp, len, AddressKind::group)) == 0) return false;
    bp += n;
    len -= n;
    if (len < 1 || !have(bp, 1)) return false;
    labeled(out, " RPcnt="sv, p(bp)[0]);
    if (len < 2 || !have(bp + 1, 1)) return false;
    const std::uint32_t fragment_count = p(bp)[1];
    labeled(out, " FRPcnt="sv, fragment_count);
    if (len < 4) return false;
    bp += 4;
    len -= 4;
    for (std::uint32_t j = 0; j < fragment_count && len > 0; ++j) {
      labeled(out, " RP"sv, j);
      out.append('=');
      if ((n = address(bp, len, AddressKind::unicast)) == 0) return false;
      bp += n;
      len -= n;
      if (len < 2) return false;
      out.append(",holdtime=");
      if (!have(bp, 2)) return false;
      append_relative_time(out, load_be16(p(bp)));
      if (len < 3 || !have(bp + 2, 1)) return false;
      labeled(out, ",prio="sv, p(bp)[2]);
      if (len < 4) return false;
      bp += 4;
      len -= 4;
    }
    out.append(')');
  }
  return true;
}

bool Pim::df_election(std::uint32_t bp, std::uint32_t len, unsigned subtype) const {
  static constexpr std::string_view kNames[] = {"Offer"sv, "Winner"sv, "Backoff"sv, "Pass"sv};
  out.append("\n\t  ");
  out.append(subtype >= 1 && subtype <= 4 ? kNames[subtype - 1] : "Unknown"sv);
  out.append(", rpa=");
  std::uint32_t n = address(bp, len, AddressKind::unicast);
  if (n == 0) return false;
  bp += n;
  len -= n;
  if (!have(bp, 4)) return false;
  labeled(out, " sender pref="sv, load_be32(p(bp)));
  if (!have(bp + 4, 4)) return false;
  labeled(out, " sender metric="sv, load_be32(p(bp + 4)));
  bp += 8;
  len -= 8;
  if (subtype == 3 || subtype == 4) {
    const std::string_view who = subtype == 3 ? "offer"sv : "new winner"sv;
    out.append("\n\t  ");
    out.append(who);
    out.append(" addr=");
    if ((n = address(bp, len, AddressKind::unicast)) == 0) return false;
    bp += n;
    if (!have(bp, 4)) return false;
    out.append(' ');
    out.append(who);
    labeled(out, " pref="sv, load_be32(p(bp)));
    if (!have(bp + 4, 4)) return false;
    out.append(' ');
    out.append(who);
    labeled(out, " metric="sv, load_be32(p(bp + 4)));
    if (subtype == 3) {
      if (!have(bp + 8, 2)) return false;
      labeled(out, " interval "sv, load_be16(p(bp + 8)));
      out.append("ms");
    }
  }
  return true;
}

// tcpdump's verdict on the checksum of `len` bytes at `at`: 0 correct, 1 incorrect, 2 not
// verified (not all captured).
int checksum_status(const Context& c, std::uint32_t at, std::uint32_t len) {
  if (!c.captured(at, len)) return 2;
  const std::uint8_t* d = c.data() + at;
  const std::uint16_t sum = c.s.network == Network::ipv6 ? transport_checksum(c.s, d, len, 103)
                                                         : internet_checksum(d, len);
  return sum == 0 ? 0 : 1;
}

// PIMv2 under -v, after "PIMv2, length N\n\tType"; false when cut.
bool print_v2(const Context& c, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  if (len < 2) {
    labeled(out, "[length "sv, len);
    out.append(" < 2] (invalid)");
    return true;
  }
  if (!c.captured(at, 2)) return false;
  const std::uint8_t* h = c.data() + at;
  const unsigned type = h[0] & 15u;
  const Pim pim{c, out, h[1] & 15u};
  if (pim.address_length != 0) out.append(", RFC2117-encoding");
  if (len < 4) {
    labeled(out, "[length "sv, len);
    out.append(" < 4] (invalid)");
    return true;
  }
  if (!c.captured(at + 2, 2)) return false;
  const std::uint16_t field = load_be16(h + 2);
  out.append(", cksum 0x");
  out.append_hex_padded(field, 4);
  out.append(' ');
  if (field == 0) {
    out.append("(unverified)");
  } else {
    int status = checksum_status(c, at, type == 1 ? 8 : len);
    if (type == 1 && status == 1) status = checksum_status(c, at, len);
    out.append(status == 0 ? "(correct)"sv : status == 1 ? "(incorrect)"sv : "(unverified)"sv);
  }
  std::uint32_t bp = at + 4;
  len -= 4;
  std::uint32_t n = 0;
  switch (type) {
    case 0: return pim.hello(bp, len);
    case 1: {
      if (len < 4 || !c.captured(bp, 4)) return false;
      const std::uint32_t flags = load_be32(c.data() + bp);
      out.append(", Flags [ ");
      out.append(flags == 0x80000000 ? "Border"sv : flags == 0x40000000 ? "Null"sv : "none"sv);
      out.append(" ]\n\t");
      bp += 4;
      len -= 4;
      if (len == 0 || !c.captured(bp, 1)) return false;
      const unsigned version = c.data()[bp] >> 4;
      switch (version) {
        case 0:
          if (!c.captured(bp + 12, 8)) return false;
          out.append("IP-Null-header ");
          append_ipv4(out, c.data() + bp + 12);
          out.append(" > ");
          append_ipv4(out, c.data() + bp + 16);
          return true;
        case 4:
        case 6:
          print_inner_frame(c, bp, len, version == 4 ? link_type::kIpv4 : link_type::kIpv6);
          return true;
        default:
          labeled(out, "IP ver "sv, version);
          return true;
      }
    }
    case 2:
      out.append(" group=");
      if ((n = pim.address(bp, len, AddressKind::group)) == 0) return false;
      out.append(" source=");
      return pim.address(bp + n, len - n, AddressKind::unicast) != 0;
    case 3:
    case 6:
    case 7: return pim.join_prune(type, bp, len);
    case 4: return pim.bootstrap(bp, len);
    case 5: {
      out.append(" group=");
      if ((n = pim.address(bp, len, AddressKind::group)) == 0) return false;
      bp += n;
      len -= n;
      out.append(" src=");
      if ((n = pim.address(bp, len, AddressKind::unicast)) == 0) return false;
      bp += n;
      len -= n;
      if (len < 8 || !c.captured(bp, 8)) return false;
      const std::uint8_t* a = c.data() + bp;
      if (a[0] & 0x80) out.append(" RPT");
      labeled(out, " pref="sv, load_be32(a) & 0x7fffffff);
      labeled(out, " metric="sv, load_be32(a + 4));
      return true;
    }
    case 8: {
      if (len < 1 || !c.captured(bp, 1)) return false;
      const std::uint32_t prefixes = c.data()[bp];
      labeled(out, " prefix-cnt="sv, prefixes);
      if (len < 2 || !c.captured(bp + 1, 1)) return false;
      labeled(out, " prio="sv, c.data()[bp + 1]);
      if (len < 4) return false;
      out.append(" holdtime=");
      if (!c.captured(bp + 2, 2)) return false;
      append_relative_time(out, load_be16(c.data() + bp + 2));
      bp += 4;
      len -= 4;
      out.append(" RP=");
      if ((n = pim.address(bp, len, AddressKind::unicast)) == 0) return false;
      bp += n;
      len -= n;
      for (std::uint32_t i = 0; i < prefixes && len > 0; ++i) {
        labeled(out, " Group"sv, i);
        out.append('=');
        if ((n = pim.address(bp, len, AddressKind::group)) == 0) return false;
        bp += n;
        len -= n;
      }
      return true;
    }
    case 9: {
      out.append(" src=");
      if ((n = pim.address(bp, len, AddressKind::unicast)) == 0) return false;
      bp += n;
      len -= n;
      out.append(" grp=");
      if ((n = pim.address(bp, len, AddressKind::group)) == 0) return false;
      bp += n;
      len -= n;
      out.append(" forwarder=");
      if ((n = pim.address(bp, len, AddressKind::unicast)) == 0) return false;
      bp += n;
      len -= n;
      if (len < 2) return false;
      out.append(" TUNR ");
      if (!c.captured(bp, 2)) return false;
      append_relative_time(out, load_be16(c.data() + bp));
      return true;
    }
    case 10: return pim.df_election(bp, len, h[1] >> 4);
    default:
      labeled(out, " [type "sv, type);
      out.append(']');
      return true;
  }
}

}  // namespace

void print_pim(const Context& c, bool /*with_addresses*/) {
  OutputBuffer& out = c.out;
  const std::uint32_t at = c.s.transport_offset, len = c.s.transport_length;
  if (!c.captured(at, 1)) {
    out.append(" [|pim]");
    return;
  }
  const unsigned version = c.data()[at] >> 4, type = c.data()[at] & 15u;
  labeled(out, "PIMv"sv, version);
  if (version != 2) {
    labeled(out, ", length "sv, len);
    return;
  }
  if (c.options.verbose == 0) {
    out.append(", ");
    out.append(type_name(type));
    labeled(out, ", length "sv, len);
    return;
  }
  labeled(out, ", length "sv, len);
  out.append("\n\t");
  out.append(type_name(type));
  if (!print_v2(c, at, len)) out.append(kCut);
}

}  // namespace slimcap::detail
