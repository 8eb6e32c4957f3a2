// VRRP v2 and v3 (IP protocol 112) as tcpdump 4.99 prints it (print-vrrp.c):
// "VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl 1s, length 20", and under -v
// the checksum verdict, the virtual addresses (IPv4 or IPv6) and a simple-text password.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

// `label` and the decimal text of v (labels of any length, unlike append_number).
void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

constexpr std::string_view kCut = " [|vrrp]"sv;

// The VRRPv3 checksum, over the IPv4 or IPv6 pseudo-header.
std::uint16_t v3_checksum(const Context& c, std::uint32_t at, std::uint32_t len) {
  return transport_checksum(c.s, c.data() + at, len, 112);
}

// False when tcpdump's read past the capture ends the line.
bool print_message(const Context& c, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  const std::uint8_t* p = c.data() + at;
  out.append("VRRP");
  if (!c.captured(at, 1)) return false;
  const unsigned version = p[0] >> 4, type = p[0] & 15u;
  labeled(out, "v"sv, version);
  if (type == 1) {
    out.append(", Advertisement");
  } else {
    labeled(out, ", unknown type ("sv, type);
    out.append(')');
  }
  if (c.s.ttl != 255) {
    labeled(out, ", (ttl "sv, c.s.ttl);
    out.append(')');
  }
  if (version < 2 || version > 3 || type != 1) return true;
  if (!c.captured(at, 3)) return false;
  labeled(out, ", vrid "sv, p[1]);
  labeled(out, ", prio "sv, p[2]);
  std::uint8_t auth_type = 0;
  if (version == 2) {
    if (!c.captured(at, 5)) return false;
    auth_type = p[4];
    out.append(", authtype ");
    switch (auth_type) {
      case 0: out.append("none"); break;
      case 1: out.append("simple"); break;
      case 2: out.append("ah"); break;
      default: labeled(out, "#"sv, auth_type); break;
    }
    if (!c.captured(at, 6)) return false;
    labeled(out, ", intvl "sv, p[5]);
    out.append('s');
  } else {
    if (!c.captured(at, 6)) return false;
    labeled(out, ", intvl "sv, (p[4] & 0x0fu) << 8 | p[5]);
    out.append("cs");
  }
  labeled(out, ", length "sv, len);
  if (c.options.verbose == 0) return true;
  const unsigned addresses = p[3];
  if (c.captured(at, len)) {
    const std::uint16_t sum =
        version == 2 ? internet_checksum(p, len) : v3_checksum(c, at, len);
    if (sum != 0) {
      if (!c.captured(at, 8)) return false;
      out.append(", (bad vrrp cksum ");
      out.append_hex(load_be16(p + 6));
      out.append(')');
    }
  }
  out.append(", addrs");
  if (addresses > 1) {
    labeled(out, "("sv, addresses);
    out.append(')');
  }
  out.append(':');
  const bool ipv6 = c.s.network == Network::ipv6;
  const std::uint32_t size = ipv6 ? 16 : 4;
  std::uint32_t next = at + 8;
  for (unsigned i = 0; i < addresses; ++i, next += size) {
    if (!c.captured(next, size)) return false;
    out.append(i == 0 ? ' ' : ',');
    append_ip(out, c.s, c.data() + next);
  }
  if (version == 2 && auth_type == 1) {
    out.append(" auth \"");
    for (unsigned i = 0; i < 8; ++i) {
      if (!c.captured(next + i, 1)) return false;
      const std::uint8_t ch = c.data()[next + i];
      if (ch == 0) break;
      append_safe_char(out, ch);
    }
    out.append('"');
  }
  return true;
}

}  // namespace

void print_vrrp(const Context& c, bool /*with_addresses*/) {
  if (!print_message(c, c.s.transport_offset, c.s.transport_length)) c.out.append(kCut);
}

}  // namespace slimcap::detail
