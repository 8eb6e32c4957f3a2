// BFD (UDP destination ports 3784 control, 4784 multihop, 6784 LAG, 3785 echo) as tcpdump 4.99
// prints it (print-bfd.c): "BFDv1, Control, State Up, Flags: [none], length: 24", and under
// -v the multi-line dump of the control header and its authentication section.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

// `label` and the decimal text of v (labels of any length, unlike append_number).
void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

constexpr std::string_view kCut = " [|bfd]"sv;

constexpr Bit kV0Flags[] = {{0x80, "I Hear You"sv},
                             {0x40, "Demand"sv},
                             {0x20, "Poll"sv},
                             {0x10, "Final"sv},
                             {0x08, "Control Plane Independent"sv},
                             {0x04, "Authentication Present"sv},
                             {0x02, "Reserved"sv},
                             {0x01, "Reserved"sv}};
constexpr Bit kV1Flags[] = {{0x20, "Poll"sv},
                             {0x10, "Final"sv},
                             {0x08, "Control Plane Independent"sv},
                             {0x04, "Authentication Present"sv},
                             {0x02, "Demand"sv},
                             {0x01, "Multipoint"sv}};

std::string_view diagnostic_name(unsigned diag) {
  static constexpr std::string_view kNames[] = {"No Diagnostic"sv,
                                                "Control Detection Time Expired"sv,
                                                "Echo Function Failed"sv,
                                                "Neighbor Signaled Session Down"sv,
                                                "Forwarding Plane Reset"sv,
                                                "Path Down"sv,
                                                "Concatenated Path Down"sv,
                                                "Administratively Down"sv,
                                                "Reverse Concatenated Path Down"sv};
  return diag < 9 ? kNames[diag] : "unknown"sv;
}

void append_port_name(OutputBuffer& out, std::uint16_t port) {
  switch (port) {
    case 3784: out.append("Control"); break;
    case 4784: out.append("Multihop"); break;
    case 6784: out.append("Lag"); break;
    default:
      labeled(out, "unknown ("sv, port);
      out.append(')');
      break;
  }
}

// "%4u ms": right-aligned in four columns.
void append_interval(OutputBuffer& out, std::string_view label, std::uint32_t microseconds) {
  out.append(label);
  const std::uint32_t ms = microseconds / 1000;
  for (std::uint32_t limit = 1000; limit > 1 && ms < limit; limit /= 10) out.append(' ');
  out.append_uint(ms);
  out.append(" ms");
}

void append_hex_bytes(OutputBuffer& out, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) out.append_hex8(p[i]);
}

// The authentication section after the 24-byte header; false when cut.
bool print_auth(const Context& c, std::uint32_t at) {
  OutputBuffer& out = c.out;
  if (!c.captured(at, 4)) return false;
  const std::uint8_t* a = c.data() + at;
  const std::uint8_t type = a[0], len = a[1];
  out.append("\n\tAuthentication: ");
  switch (type) {
    case 1: out.append("Simple Password"); break;
    case 2: out.append("Keyed MD5"); break;
    case 3: out.append("Meticulous Keyed MD5"); break;
    case 4: out.append("Keyed SHA1"); break;
    case 5: out.append("Meticulous Keyed SHA1"); break;
    default: out.append("Unknown"); break;
  }
  labeled(out, " ("sv, type);
  labeled(out, "), length: "sv, len);
  labeled(out, "\n\t  Auth Key ID: "sv, a[2]);
  switch (type) {
    case 1: {
      if (len < 4 || len > 19) {
        labeled(out, "[invalid length "sv, len);
        out.append(']');
        return true;
      }
      out.append(", Password: ");
      for (std::uint32_t i = 0; i < len - 3u; ++i) {
        if (!c.captured(at + 3 + i, 1)) return false;
        append_safe_char(out, a[3 + i]);
      }
      return true;
    }
    case 2:
    case 3:
    case 4:
    case 5: {
      const bool md5 = type <= 3;
      const std::uint32_t field = md5 ? 24 : 28, hash = md5 ? 16 : 20;
      if (len != field) {
        labeled(out, "[invalid length "sv, len);
        out.append(']');
        return true;
      }
      if (!c.captured(at + 4, 4)) return false;
      out.append(", Sequence Number: 0x");
      out.append_hex_padded(load_be32(a + 4), 8);
      if (!c.captured(at + 8, hash)) return false;
      out.append(md5 ? "\n\t  Digest: "sv : "\n\t  Hash: "sv);
      append_hex_bytes(out, a + 8, hash);
      return true;
    }
    default: return true;
  }
}

// print_unknown_data(): the bytes of the message that were captured, as hex lines.
void append_unknown(const Context& c, std::uint32_t at, std::uint32_t len) {
  const std::uint32_t available = c.caplen() > at ? c.caplen() - at : 0;
  append_hex_lines(c.out, c.packet.data.subspan(std::min(at, c.caplen()), std::min(len, available)), "\n\t"sv);
}

// False when cut.
bool print_control(const Context& c, std::uint32_t at, std::uint32_t len, std::uint16_t port) {
  OutputBuffer& out = c.out;
  if (!c.captured(at, 24)) return false;
  const std::uint8_t* h = c.data() + at;
  const unsigned version = h[0] >> 5, diag = h[0] & 0x1fu;
  const std::uint8_t flags = h[1];
  if (version > 1) {
    labeled(out, "BFDv"sv, version);
    labeled(out, ", Control, length: "sv, len);
    if (c.options.verbose > 0) append_unknown(c, at, len);
    return true;
  }
  static constexpr std::string_view kStates[] = {"AdminDown"sv, "Down"sv, "Init"sv, "Up"sv};
  const auto append_v1_head = [&] {
    append_port_name(out, port);
    out.append(", State ");
    out.append(kStates[flags >> 6]);
    out.append(", Flags: [");
    append_bits(out, kV1Flags, flags & 0x3f, "none"sv);
  };
  if (c.options.verbose == 0) {
    if (version == 0) {
      out.append("BFDv0, Control, Flags: [");
      append_bits(out, kV0Flags, flags, "none"sv);
    } else {
      out.append("BFDv1, ");
      append_v1_head();
    }
    labeled(out, "], length: "sv, len);
    return true;
  }
  labeled(out, version == 0 ? "BFDv0, length: "sv : "BFDv1, length: "sv, len);
  if (version == 0) {
    out.append("\n\tControl, Flags: [");
    append_bits(out, kV0Flags, flags, "none"sv);
  } else {
    out.append("\n\t");
    append_v1_head();
  }
  out.append("], Diagnostic: ");
  out.append(diagnostic_name(diag));
  out.append(" (0x");
  out.append_hex_padded(diag, 2);
  const std::uint32_t tx = load_be32(h + 12);
  labeled(out, ")\n\tDetection Timer Multiplier: "sv, h[2]);
  labeled(out, " ("sv, static_cast<std::uint32_t>(h[2] * tx) / 1000);
  labeled(out, " ms Detection time), BFD Length: "sv, h[3]);
  out.append("\n\tMy Discriminator: 0x");
  out.append_hex_padded(load_be32(h + 4), 8);
  out.append(", Your Discriminator: 0x");
  out.append_hex_padded(load_be32(h + 8), 8);
  append_interval(out, "\n\t  Desired min Tx Interval:    "sv, tx);
  append_interval(out, "\n\t  Required min Rx Interval:   "sv, load_be32(h + 16));
  append_interval(out, "\n\t  Required min Echo Interval: "sv, load_be32(h + 20));
  if (flags & 0x04) return print_auth(c, at + 24);
  return true;
}

}  // namespace

void print_bfd(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint16_t port = c.s.destination_port;
  if (port == 3785) {
    labeled(out, "BFD, Echo, length: "sv, length);
    if (c.options.verbose > 0) append_unknown(c, offset, length);
    return;
  }
  if (!print_control(c, offset, length, port)) out.append(kCut);
}

}  // namespace slimcap::detail
