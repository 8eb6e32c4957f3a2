// IEEE 802.3 slow protocols (ethertype 0x8809; tcpdump 4.99's print-slow.c): LACP and the
// marker protocol with their TLVs under -v (and each TLV's bytes under -vv), and OAM (802.3ah):
// information TLVs, link events, loopback control.

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

template <std::size_t N>
void append_bits(OutputBuffer& out, const std::string_view (&names)[N], unsigned v) {
  bool any = false;
  for (unsigned i = 0; i < N; ++i) {
    if (!(v & (1u << i))) continue;
    if (any) out.append(", ");
    out.append(names[i]);
    any = true;
  }
  if (!any) out.append("none");
}

bool oam_cut(const Context& c) {
  c.out.append(" [|slow]");
  c.dump_whole = true;
  return false;
}

// An OAM Information TLV's value (local or remote), `length` bytes at `at`, all captured.
// Returns true when tcpdump dumps its bytes.
bool print_oam_info(const Context& c, std::uint32_t at, unsigned type) {
  OutputBuffer& out = c.out;
  if (type != 1 && type != 2) return true;
  const std::uint8_t* v = c.data() + at;
  if (v[1] != 16) {
    out.append("\n\t    ERROR: illegal length - should be 16");
    return true;
  }
  out.append("\n\t    OAM-Version ");
  out.append_uint(v[2]);
  out.append(", Revision ");
  out.append_uint(load_be16(v + 3));
  static constexpr std::string_view kParser[] = {"forwarding", "looping back", "discarding",
                                                 "reserved"};
  out.append("\n\t    State-Parser-Action ");
  out.append(kParser[v[5] & 3]);
  out.append(", State-MUX-Action ");
  out.append(v[5] & 4 ? "discarding"sv : "forwarding"sv);
  static constexpr std::string_view kConfig[] = {"Active", "Unidirectional", "Remote-Loopback",
                                                 "Link-Events", "Variable-Retrieval"};
  out.append("\n\t    OAM-Config Flags [");
  append_bits(out, kConfig, v[6]);
  out.append("], OAM-PDU-Config max-PDU size ");
  out.append_uint(load_be16(v + 7) & 0x7ffu);
  const std::uint32_t oui = std::uint32_t{v[9]} << 16 | std::uint32_t{v[10]} << 8 | v[11];
  out.append("\n\t    OUI ");
  const std::string_view name = oui_name(oui);
  out.append(name.empty() ? "Unknown"sv : name);
  out.append(" (0x");
  out.append_hex_padded(oui, 6);
  out.append("), Vendor-Private 0x");
  out.append_hex_padded(load_be32(v + 12), 8);
  return false;
}

// A link event TLV's value; true when tcpdump dumps its bytes.
bool print_oam_event(const Context& c, std::uint32_t at, unsigned type) {
  OutputBuffer& out = c.out;
  if (type < 1 || type > 4) return true;
  const std::uint8_t* v = c.data() + at;
  if (v[1] != 40) {
    out.append("\n\t    ERROR: illegal length - should be 40");
    return true;
  }
  out.append("\n\t    Timestamp ");
  out.append_uint(load_be16(v + 2) * 100u);
  out.append(" ms, Errored Window ");
  out.append_uint(load_be64(v + 4));
  out.append("\n\t    Errored Threshold ");
  out.append_uint(load_be64(v + 12));
  out.append("\n\t    Errors ");
  out.append_uint(load_be64(v + 20));
  out.append("\n\t    Error Running Total ");
  out.append_uint(load_be64(v + 28));
  out.append("\n\t    Event Running Total ");
  out.append_uint(load_be32(v + 36));
  return false;
}

std::string_view info_type_name(unsigned type) {
  switch (type) {
    case 0: return "End of TLV marker"sv;
    case 1: return "Local"sv;
    case 2: return "Remote"sv;
    case 0xfe: return "Organization specific"sv;
    default: return "Reserved"sv;
  }
}

std::string_view event_type_name(unsigned type) {
  switch (type) {
    case 0: return "End of TLV marker"sv;
    case 1: return "Errored Symbol Period Event"sv;
    case 2: return "Errored Frame Event"sv;
    case 3: return "Errored Frame Period Event"sv;
    case 4: return "Errored Frame Seconds Summary Event"sv;
    case 0xfe: return "Organization specific"sv;
    default: return "Reserved"sv;
  }
}

// The TLVs of an OAM information (events: false) or event notification PDU.
void print_oam_tlvs(const Context& c, std::uint32_t at, std::uint32_t left, bool events) {
  OutputBuffer& out = c.out;
  while (left != 0) {
    if (left < 2) return too_short(c);
    if (!c.captured(at, 2)) {
      oam_cut(c);
      return;
    }
    const unsigned type = c.data()[at], n = c.data()[at + 1];
    out.append("\n\t  ");
    out.append(events ? event_type_name(type) : info_type_name(type));
    out.append(events ? " Link Event Type ("sv : " Information Type ("sv);
    out.append_uint(type);
    out.append("), length ");
    out.append_uint(n);
    if (type == 0) return;
    if (n < 2) {
      out.append("\n\t    ERROR: illegal length - should be >= 2");
      return;
    }
    if (left < n) return too_short(c);
    if (!c.captured(at, n)) {
      oam_cut(c);
      return;
    }
    const bool hexdump = events ? print_oam_event(c, at, type) : print_oam_info(c, at, type);
    if (c.options.verbose > 1 || hexdump)
      append_hex_lines(out, std::span<const std::uint8_t>(c.data() + at, n), "\n\t  ");
    at += n;
    left -= n;
  }
}

// The OAM PDU after its subtype: flags, code and the code's body (-v).
void print_oam(const Context& c, std::uint32_t at, std::uint32_t left) {
  OutputBuffer& out = c.out;
  if (left < 3) return too_short(c);
  if (!c.captured(at, 3)) {
    oam_cut(c);
    return;
  }
  const unsigned flags = load_be16(c.data() + at), code = c.data()[at + 2];
  at += 3;
  left -= 3;
  out.append("\n\tCode ");
  switch (code) {
    case 0: out.append("Information"); break;
    case 1: out.append("Event Notification"); break;
    case 2: out.append("Variable Request"); break;
    case 3: out.append("Variable Response"); break;
    case 4: out.append("Loopback Control"); break;
    case 0xfe: out.append("Vendor Private"); break;
    default:
      out.append("Unknown (");
      out.append_uint(code);
      out.append(')');
      break;
  }
  static constexpr std::string_view kFlags[] = {"Link Fault",       "Dying Gasp",
                                                "Critical Event",   "Local Evaluating",
                                                "Local Stable",     "Remote Evaluating",
                                                "Remote Stable"};
  out.append(" OAM PDU, Flags [");
  append_bits(out, kFlags, flags);
  out.append(']');
  switch (code) {
    case 0: return print_oam_tlvs(c, at, left, false);
    case 1:
      if (left < 2) return too_short(c);
      if (!c.captured(at, 2)) {
        oam_cut(c);
        return;
      }
      out.append("\n\t  Sequence Number ");
      out.append_uint(load_be16(c.data() + at));
      return print_oam_tlvs(c, at + 2, left - 2, true);
    case 4: {
      if (left < 1) return too_short(c);
      if (!c.captured(at, 1)) {
        oam_cut(c);
        return;
      }
      const unsigned command = c.data()[at];
      out.append("\n\t  Command ");
      out.append(command == 1   ? "Enable OAM Remote Loopback"sv
                 : command == 2 ? "Disable OAM Remote Loopback"sv
                                : "Unknown"sv);
      out.append(" (");
      out.append_uint(command);
      out.append(')');
      return;
    }
    default:
      if (c.options.verbose <= 1) unknown_data(c, at, left, "\n\t  "sv);
      return;
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
    if (c.options.verbose) print_oam(c, offset + 1, length - 1);
    return;
  }
  out.append("unknown (");
  out.append_uint(subtype);
  out.append("), length ");
  out.append_uint(length);
  unknown_data(c, offset, length, "\n\t"sv);
}

}  // namespace slimcap::detail
