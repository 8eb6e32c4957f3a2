// IEEE 802.3 slow protocols (ethertype 0x8809; tcpdump 4.99's print-slow.c): LACP and the
// marker protocol with their TLVs under -v (and each TLV's bytes under -vv). OAM (802.3ah)
// prints its first line; its -v body is left to a marker.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

std::string_view tlv_name(unsigned subtype, unsigned type) {
  if (type == 0) return "Terminator"sv;
  if (subtype == 1) {
    switch (type) {
      case 1: return "Actor Information"sv;
      case 2: return "Partner Information"sv;
      case 3: return "Collector Information"sv;
      default: return "Unknown"sv;
    }
  }
  return type == 1 ? "Marker Information"sv : "Unknown"sv;
}

void append_state(OutputBuffer& out, std::uint8_t state) {
  static constexpr std::string_view kNames[] = {"Activity",   "Timeout",      "Aggregation",
                                                "Synchronization", "Collecting", "Distributing",
                                                "Default",    "Expired"};
  bool any = false;
  for (unsigned i = 0; i < 8; ++i) {
    if (!(state & (1u << i))) continue;
    if (any) out.append(", ");
    out.append(kNames[i]);
    any = true;
  }
  if (!any) out.append("none");
}

// The bytes tcpdump's print_unknown_data() shows: what was captured of them.
void unknown_data(const Context& c, std::uint32_t at, std::uint32_t n, std::string_view indent) {
  const std::uint32_t available = c.caplen() > at ? c.caplen() - at : 0;
  append_hex_lines(c.out, c.packet.data.subspan(std::min(at, c.caplen()), std::min(n, available)),
                   indent);
}

void too_short(const Context& c) {
  c.out.append(c.options.verbose ? "\n\t\t packet is too short"sv : " (packet is too short)"sv);
}

// The TLVs of LACP (subtype 1) and marker (2) PDUs, from `at`, `left` bytes on the wire.
void print_tlvs(const Context& c, unsigned subtype, std::uint32_t at, std::uint32_t left) {
  OutputBuffer& out = c.out;
  while (left != 0) {
    if (left < 2) return too_short(c);
    if (!c.captured(at, 2)) {
      out.append(" [|slow]");
      c.dump_whole = true;
      return;
    }
    const unsigned type = c.data()[at], n = c.data()[at + 1];
    out.append("\n\t");
    out.append(tlv_name(subtype, type));
    out.append(" TLV (0x");
    out.append_hex8(static_cast<std::uint8_t>(type));
    out.append("), length ");
    out.append_uint(n);
    if (type == 0) return;
    if (n < 2) {
      out.append("\n\t    ERROR: illegal length - should be >= 2");
      return;
    }
    if (left < n) return too_short(c);
    if (!c.captured(at, n)) {
      out.append(" [|slow]");
      c.dump_whole = true;
      return;
    }
    const std::uint8_t* v = c.data() + at + 2;
    const std::uint32_t value_length = n - 2;
    const unsigned key = subtype << 8 | type;
    if (key == 0x101 || key == 0x102) {
      if (value_length != 18) {
        out.append("\n\t    ERROR: illegal length - should be 20");
      } else {
        out.append("\n\t  System ");
        append_mac(out, v + 2);
        out.append(", System Priority ");
        out.append_uint(load_be16(v));
        out.append(", Key ");
        out.append_uint(load_be16(v + 8));
        out.append(", Port ");
        out.append_uint(load_be16(v + 12));
        out.append(", Port Priority ");
        out.append_uint(load_be16(v + 10));
        out.append("\n\t  State Flags [");
        append_state(out, v[14]);
        out.append(']');
      }
    } else if (key == 0x103) {
      if (value_length != 14) {
        out.append("\n\t    ERROR: illegal length - should be 16");
      } else {
        out.append("\n\t  Max Delay ");
        out.append_uint(load_be16(v));
      }
    } else if (key == 0x201) {
      if (value_length != 14) {
        out.append("\n\t    ERROR: illegal length - should be 16");
      } else {
        out.append("\n\t  Request System ");
        append_mac(out, v + 2);
        out.append(", Request Port ");
        out.append_uint(load_be16(v));
        out.append(", Request Transaction ID 0x");
        out.append_hex_padded(load_be32(v + 8), 8);
      }
    } else if (c.options.verbose <= 1) {
      unknown_data(c, at + 2, value_length, "\n\t  "sv);
    }
    if (c.options.verbose > 1) unknown_data(c, at + 2, value_length, "\n\t  "sv);
    at += n;
    left -= n;
  }
}

}  // namespace

void print_slow(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (length < 1) return too_short(c);
  if (!c.captured(offset, 1)) {
    out.append(" [|slow]");
    c.dump_whole = true;
    return;
  }
  const unsigned subtype = c.data()[offset];
  if (subtype == 1 || subtype == 2) {
    if (length < 2) return too_short(c);
    if (!c.captured(offset + 1, 1)) {
      out.append(" [|slow]");
      c.dump_whole = true;
      return;
    }
    const unsigned version = c.data()[offset + 1];
    out.append(subtype == 1 ? "LACP"sv : "MARKER"sv);
    if (version != 1) {
      out.append(" version ");
      out.append_uint(version);
      out.append(" packet not supported");
      return;
    }
    out.append("v1, length ");
    out.append_uint(length);
    if (c.options.verbose) print_tlvs(c, subtype, offset + 2, length - 2);
    return;
  }
  if (subtype == 3) {
    out.append("OAM, length ");
    out.append_uint(length);
    if (c.options.verbose) out.append(" [|slow]");  // the OAM PDU's fields: not decoded here
    return;
  }
  out.append("unknown (");
  out.append_uint(subtype);
  out.append("), length ");
  out.append_uint(length);
  unknown_data(c, offset, length, "\n\t"sv);
}

}  // namespace slimcap::detail
