// Cisco Discovery Protocol (SNAP OUI 0x00000c, PID 0x2000; tcpdump 4.99's print-cdp.c):
// "CDPv2, ttl: 180s, Device-ID 'name'" and, as tcpdump 4.99 does, the bytes of the other TLVs
// without -v; with -v every TLV by name (addresses, capabilities, version, VLAN, duplex...).
//
// tcpdump reads each value with getters that give up on the packet at the first byte not
// captured (" [|cdp]"), strings byte by byte: a cut string shows its captured part first.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

enum class Kind : std::uint8_t {
  none,  // a slot of tcpdump's table without a printer
  string,
  address,
  capability,
  version,
  prefixes,
  uint16,
  duplex,
  ata186,
  power,
  mtu,
  uint8x,
  physical_location,
};

struct TlvInfo {
  std::string_view name;  // empty: "unknown field type"
  Kind kind;
  bool always;  // printed without -v too (the device id)
  int min_length, max_length;
};

constexpr std::uint32_t kTableSize = 0x18;  // tcpdump 4.99.3's table ends at 0x17

TlvInfo tlv_info(std::uint32_t type) {
  switch (type) {
    case 0x01: return {"Device-ID", Kind::string, true, -1, -1};
    case 0x02: return {"Address", Kind::address, false, 4, -1};
    case 0x03: return {"Port-ID", Kind::string, false, -1, -1};
    case 0x04: return {"Capability", Kind::capability, false, 4, 4};
    case 0x05: return {"Version String", Kind::version, false, -1, -1};
    case 0x06: return {"Platform", Kind::string, false, -1, -1};
    case 0x07: return {"Prefixes", Kind::prefixes, false, -1, -1};
    case 0x08: return {"Protocol-Hello option", Kind::none, false, -1, -1};
    case 0x09: return {"VTP Management Domain", Kind::string, false, -1, -1};
    case 0x0a: return {"Native VLAN ID", Kind::uint16, false, 2, 2};
    case 0x0b: return {"Duplex", Kind::duplex, false, 1, 1};
    case 0x0e: return {"ATA-186 VoIP VLAN assignment", Kind::ata186, false, 3, 3};
    case 0x0f: return {"ATA-186 VoIP VLAN request", Kind::ata186, false, 2, 3};
    case 0x10: return {"power consumption", Kind::power, false, 1, 3};
    case 0x11: return {"MTU", Kind::mtu, false, 4, 4};
    case 0x12: return {"AVVID trust bitmap", Kind::uint8x, false, 1, 1};
    case 0x13: return {"AVVID untrusted ports CoS", Kind::uint8x, false, 1, 1};
    case 0x14: return {"System Name", Kind::string, false, -1, -1};
    case 0x15: return {"System Object ID (not decoded)", Kind::none, false, -1, -1};
    case 0x16: return {"Management Addresses", Kind::address, false, 4, -1};
    case 0x17: return {"Physical Location", Kind::physical_location, false, 1, -1};
    default: return {{}, Kind::none, false, 0, 0};
  }
}

// The reader of one CDP PDU: false from a read means tcpdump's getter gave up (the marker
// has been printed).
struct Reader {
  const Context& c;
  bool cut() const {
    c.out.append(" [|cdp]");
    c.dump_whole = true;
    return false;
  }
  bool has(std::uint32_t at, std::uint32_t n) const { return c.captured(at, n) || cut(); }
  const std::uint8_t* p(std::uint32_t at) const { return c.data() + at; }
  // nd_printjn(): byte by byte.
  bool text(std::uint32_t at, std::uint32_t n) const {
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!has(at + i, 1)) return false;
      append_safe_char(c.out, *p(at + i));
    }
    return true;
  }
  void hex_bytes(std::uint32_t at, std::uint32_t n) const {
    for (std::uint32_t i = 0; i < n; ++i) {
      c.out.append(' ');
      c.out.append_hex8(*p(at + i));
    }
  }
};

// cdp_print_addr(): false where the packet was cut.
bool print_addresses(const Reader& r, std::uint32_t at, std::uint32_t l) {
  OutputBuffer& out = r.c.out;
  if (!r.has(at, 4)) return false;
  std::uint32_t count = load_be32(r.p(at));
  at += 4;
  l -= 4;
  static constexpr std::uint8_t kIpv6Protocol[] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd};
  while (count) {
    if (l < 2) {
      out.append(" (not enough space for PT+PL)");
      return r.has(at, l);
    }
    if (!r.has(at, 2)) return false;
    const std::uint32_t pt = *r.p(at), pl = *r.p(at + 1);
    at += 2;
    l -= 2;
    if (l < pl + 2) {
      out.append(" (not enough space for P+AL)");
      return r.has(at, l);
    }
    if (!r.has(at + pl, 2)) return false;
    const std::uint32_t al = load_be16(r.p(at + pl));
    bool ipv4 = false, ipv6 = false;
    if (pt == 1 && pl == 1) {
      if (!r.has(at, 1)) return false;
      ipv4 = *r.p(at) == 0xcc && al == 4;
    } else if (pt == 2 && pl == 8 && al == 16) {
      // (tcpdump compares the 8 bytes without a bounds check: they precede the length.)
      ipv6 = std::equal(kIpv6Protocol, kIpv6Protocol + 8, r.p(at));
    }
    if (ipv4 || ipv6) {
      at += pl + 2;
      l -= pl + 2;
      if (l < al) {
        out.append(" (not enough space for A)");
        return r.has(at, l);
      }
      if (!r.has(at, al)) return false;
      out.append(ipv4 ? "IPv4 ("sv : "IPv6 ("sv);
      out.append_uint(count);
      out.append(") ");
      if (ipv4)
        append_ipv4(out, r.p(at));
      else
        append_ipv6(out, r.p(at));
      at += al;
      l -= al;
    } else {
      out.append("pt=0x");
      out.append_hex8(static_cast<std::uint8_t>(pt));
      out.append(", pl=");
      out.append_uint(pl);
      out.append(", pb=");
      for (std::uint32_t i = 0; i < pl; ++i) {
        if (!r.has(at, 1)) return false;
        out.append(' ');
        out.append_hex8(*r.p(at));
        ++at;
        --l;
      }
      out.append(", al=");
      out.append_uint(al);
      out.append(", a=");
      at += 2;
      l -= 2;
      if (l < al) {
        out.append(" (not enough space for A)");
        return r.has(at, l);
      }
      for (std::uint32_t i = 0; i < al; ++i) {
        if (!r.has(at, 1)) return false;
        out.append(' ');
        out.append_hex8(*r.p(at));
        ++at;
        --l;
      }
    }
    --count;
    if (count) out.append(' ');
  }
  if (l) {
    out.append(" (");
    out.append_uint(l);
    out.append(" bytes of stray data)");
  }
  return true;
}

// A TLV's value by its printer; false where the packet was cut.
bool print_value(const Reader& r, Kind kind, std::uint32_t at, std::uint32_t n) {
  OutputBuffer& out = r.c.out;
  switch (kind) {
    case Kind::none: return r.has(at, n);
    case Kind::string:
      out.append('\'');
      if (!r.text(at, n)) return false;
      out.append('\'');
      return true;
    case Kind::address: return print_addresses(r, at, n);
    case Kind::capability: {
      if (!r.has(at, 4)) return false;
      const std::uint32_t v = load_be32(r.p(at));
      out.append("(0x");
      out.append_hex_padded(v, 8);
      out.append("): ");
      static constexpr std::string_view kNames[] = {"Router",    "Transparent Bridge",
                                                    "Source Route Bridge", "L2 Switch",
                                                    "L3 capable", "IGMP snooping", "L1 capable"};
      bool any = false;
      for (unsigned i = 0; i < 7; ++i) {
        if (!(v & (1u << i))) continue;
        if (any) out.append(", ");
        out.append(kNames[i]);
        any = true;
      }
      if (!any) out.append("none");
      return true;
    }
    case Kind::version:
      out.append("\n\t  ");
      for (std::uint32_t i = 0; i < n; ++i) {
        if (!r.has(at + i, 1)) return false;
        const std::uint8_t ch = *r.p(at + i);
        if (ch == '\n')
          out.append("\n\t  ");
        else
          append_safe_char(out, ch);
      }
      return true;
    case Kind::prefixes:
      if (n % 5) {
        out.append(" [length ");
        out.append_uint(n);
        out.append(" is not a multiple of 5]");
        return r.has(at, n);
      }
      out.append(" IPv4 Prefixes (");
      out.append_uint(n / 5);
      out.append("):");
      for (std::uint32_t i = 0; i < n; i += 5) {
        if (!r.has(at + i, 5)) return false;
        out.append(' ');
        append_ipv4(out, r.p(at + i));
        out.append('/');
        out.append_uint(*r.p(at + i + 4));
      }
      return true;
    case Kind::uint16:
      if (!r.has(at, 2)) return false;
      out.append_uint(load_be16(r.p(at)));
      return true;
    case Kind::duplex:
      if (!r.has(at, 1)) return false;
      out.append(*r.p(at) ? "full"sv : "half"sv);
      return true;
    case Kind::ata186:
      if (n == 2) {
        if (!r.has(at, 2)) return false;
        out.append("unknown 0x");
        out.append_hex_padded(load_be16(r.p(at)), 4);
      } else {
        if (!r.has(at, 1) || !r.has(at + 1, 2)) return false;
        out.append("app ");
        out.append_uint(*r.p(at));
        out.append(", vlan ");
        out.append_uint(load_be16(r.p(at + 1)));
      }
      return true;
    case Kind::power: {
      if (!r.has(at, n)) return false;
      std::uint32_t v = 0;
      for (std::uint32_t i = 0; i < n; ++i) v = v << 8 | *r.p(at + i);
      // printf's "%1.2f" of a double, rounded as glibc rounds it: no allocation.
      char text[32];
      const int size = std::snprintf(text, sizeof text, "%1.2fW", v / 1000.0);
      if (size > 0) out.append(std::string_view(text, static_cast<std::size_t>(size)));
      return true;
    }
    case Kind::mtu:
      if (!r.has(at, 4)) return false;
      out.append_uint(load_be32(r.p(at)));
      out.append(" bytes");
      return true;
    case Kind::uint8x:
      if (!r.has(at, 1)) return false;
      out.append("0x");
      out.append_hex8(*r.p(at));
      return true;
    case Kind::physical_location:
      if (!r.has(at, 1)) return false;
      out.append("0x");
      out.append_hex8(*r.p(at));
      if (n > 1) {
        out.append('/');
        return r.text(at + 1, n - 1);
      }
      return true;
  }
  return true;
}

void append_type(OutputBuffer& out, std::uint32_t type) {
  out.append(" (0x");
  if (type > 0xff)
    out.append_hex_padded(type, 4);
  else
    out.append_hex8(static_cast<std::uint8_t>(type));
  out.append(')');
}

}  // namespace

void print_cdp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const Reader r{c};
  const bool verbose = c.options.verbose > 0;
  const std::uint32_t whole = length;
  std::uint32_t at = offset;
  const auto invalid = [&] {
    out.append(" (invalid)");
    r.has(at, length);
  };
  if (length < 4) {
    out.append(" (packet length ");
    out.append_uint(length);
    out.append(" < 4)");
    return invalid();
  }
  if (!r.has(at, 2)) return;
  out.append("CDPv");
  out.append_uint(*r.p(at));
  out.append(", ttl: ");
  out.append_uint(*r.p(at + 1));
  out.append('s');
  if (!r.has(at + 2, 2)) return;
  if (verbose) {
    out.append(", checksum: 0x");
    out.append_hex_padded(load_be16(r.p(at + 2)), 4);
    out.append(" (unverified), length ");
    out.append_uint(whole);
  }
  at += 4;
  length -= 4;
  while (length) {
    if (length < 4) {
      out.append(" (remaining packet length ");
      out.append_uint(length);
      out.append(" < 4)");
      return invalid();
    }
    if (!r.has(at, 4)) return;
    const std::uint32_t type = load_be16(r.p(at));
    std::uint32_t n = load_be16(r.p(at + 2));
    const bool in_table = type < kTableSize;
    const TlvInfo info = tlv_info(type);
    const std::string_view name = info.name.empty() ? "unknown field type"sv : info.name;
    if (n < 4) {
      if (verbose) {
        out.append("\n\t");
        out.append(name);
        append_type(out, type);
        out.append(", TLV length: ");
        out.append_uint(n);
        out.append(n == 1 ? " byte (too short)"sv : " bytes (too short)"sv);
      } else {
        out.append(", ");
        out.append(name);
        out.append(" TLV length ");
        out.append_uint(n);
        out.append(" too short");
      }
      return invalid();
    }
    if (n > length) {
      out.append(" (TLV length ");
      out.append_uint(n);
      out.append(" > ");
      out.append_uint(length);
      out.append(')');
      return invalid();
    }
    at += 4;
    length -= 4;
    n -= 4;
    if (verbose) {
      out.append("\n\t");
      out.append(name);
      append_type(out, type);
      out.append(", value length: ");
      out.append_uint(n);
      out.append(n == 1 ? " byte: "sv : " bytes: "sv);
    } else if (info.always) {
      out.append(", ");
      out.append(name);
      out.append(' ');
    }
    bool covered = false;
    if (in_table) {
      if ((info.min_length > 0 && n < static_cast<std::uint32_t>(info.min_length)) ||
          (info.max_length > 0 && n > static_cast<std::uint32_t>(info.max_length))) {
        out.append(" (malformed TLV)");
      } else if (verbose || info.always) {
        if (!print_value(r, info.kind, at, n)) return;
        covered = true;
      }
    }
    if (!covered) {
      if (!r.has(at, n)) return;
      append_hex_lines(out, std::span<const std::uint8_t>(c.data() + at, n), "\n\t  ");
    }
    at += n;
    length -= n;
  }
  if (!verbose) {
    out.append(", length ");
    out.append_uint(whole);
  }
}

}  // namespace slimcap::detail
