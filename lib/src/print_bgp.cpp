// BGP (TCP port 179) as tcpdump 4.99 prints it (print-bgp.c): ": BGP" after the TCP header,
// and under -v each message found in the segment: Open (parameters, capabilities), Update
// (withdrawn routes, the common path attributes, IPv4 NLRI), Notification (codes, the data of
// the cease subcodes), Keepalive, Route Refresh. Attributes with multi-protocol or extended
// contents (MP_REACH/UNREACH, extended communities, PMSI, AIGP) are left to a
// marker (docs/dissectors/routing.md).

#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kCut = " [|bgp]"sv;

void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

// "NAME (N)" for a value, `unknown` when the table has no name.
void named(OutputBuffer& out, std::string_view name, std::uint32_t v) {
  out.append(name);
  labeled(out, " ("sv, v);
  out.append(')');
}

std::string_view message_name(unsigned type) {
  switch (type) {
    case 1: return "Open"sv;
    case 2: return "Update"sv;
    case 3: return "Notification"sv;
    case 4: return "Keepalive"sv;
    case 5: return "Route Refresh"sv;
    default: return {};
  }
}

std::string_view afi_name(std::uint32_t afi) {
  static constexpr std::string_view kNames[] = {
      "Reserved"sv, "IPv4"sv,    "IPv6"sv,          "NSAP"sv,         "HDLC"sv,
      "BBN 1822"sv, "802"sv,     "E.163"sv,         "E.164"sv,        "F.69"sv,
      "X.121"sv,    "Novell IPX"sv, "Appletalk"sv,  "Decnet IV"sv,    "Banyan Vines"sv,
      "E.164 with NSAP subaddress"sv};
  if (afi < 16) return kNames[afi];
  if (afi == 25) return "VPLS"sv;
  if (afi == 196) return "Layer-2 VPN"sv;
  return "Unknown"sv;
}

std::string_view safi_name(std::uint32_t safi) {
  switch (safi) {
    case 0: return "Reserved"sv;
    case 1: return "Unicast"sv;
    case 2: return "Multicast"sv;
    case 3: return "Unicast+Multicast"sv;
    case 4: return "labeled Unicast"sv;
    case 5: return "Multicast VPN"sv;
    case 64: return "Tunnel"sv;
    case 65: return "VPLS"sv;
    case 66: return "MDT"sv;
    case 70: return "EVPN"sv;
    case 128: return "labeled VPN Unicast"sv;
    case 129: return "labeled VPN Multicast"sv;
    case 130: return "labeled VPN Unicast+Multicast"sv;
    case 132: return "Route Target Routing Information"sv;
    default: return "Unknown"sv;
  }
}

std::string_view capability_name(unsigned code) {
  switch (code) {
    case 1: return "Multiprotocol Extensions"sv;
    case 2: return "Route Refresh"sv;
    case 3: return "Cooperative Route Filtering"sv;
    case 4: return "Multiple Routes to a Destination"sv;
    case 5: return "Extended Next Hop Encoding"sv;
    case 8: return "Multiple Labels"sv;
    case 64: return "Graceful Restart"sv;
    case 65: return "32-Bit AS Number"sv;
    case 67: return "Dynamic Capability"sv;
    case 68: return "Multisession BGP"sv;
    case 69: return "Multiple Paths"sv;
    case 70: return "Enhanced Route Refresh"sv;
    case 71: return "Long-lived Graceful Restart"sv;
    case 128: return "Route Refresh (Cisco)"sv;
    default: return "Unknown"sv;
  }
}

std::string_view attribute_name(unsigned type) {
  switch (type) {
    case 1: return "Origin"sv;
    case 2: return "AS Path"sv;
    case 3: return "Next Hop"sv;
    case 4: return "Multi Exit Discriminator"sv;
    case 5: return "Local Preference"sv;
    case 6: return "Atomic Aggregate"sv;
    case 7: return "Aggregator"sv;
    case 8: return "Community"sv;
    case 9: return "Originator ID"sv;
    case 10: return "Cluster List"sv;
    case 11: return "DPA"sv;
    case 12: return "Advertisers"sv;
    case 13: return "RCID Path / Cluster ID"sv;
    case 14: return "Multi-Protocol Reach NLRI"sv;
    case 15: return "Multi-Protocol Unreach NLRI"sv;
    case 16: return "Extended Community"sv;
    case 17: return "AS4 Path"sv;
    case 18: return "Aggregator4"sv;
    case 22: return "PMSI Tunnel"sv;
    case 26: return "AIGP"sv;
    case 28: return "Entropy Label"sv;
    case 32: return "Large Community"sv;
    case 128: return "Attribute Set"sv;
    case 255: return "Reserved for development"sv;
    default: return "Unknown Attribute"sv;
  }
}

// Notification subcode names, by major code; empty when the major code has none.
std::string_view minor_name(unsigned major, unsigned minor, bool& has_minor) {
  has_minor = true;
  switch (major) {
    case 1: {
      static constexpr std::string_view k[] = {"Connection Not Synchronized"sv,
                                               "Bad Message Length"sv, "Bad Message Type"sv};
      return minor >= 1 && minor <= 3 ? k[minor - 1] : "Unknown"sv;
    }
    case 2: {
      static constexpr std::string_view k[] = {
          "Unsupported Version Number"sv, "Bad Peer AS"sv, "Bad BGP Identifier"sv,
          "Unsupported Optional Parameter"sv, "Authentication Failure"sv,
          "Unacceptable Hold Time"sv, "Capability Message Error"sv};
      return minor >= 1 && minor <= 7 ? k[minor - 1] : "Unknown"sv;
    }
    case 3: {
      static constexpr std::string_view k[] = {
          "Malformed Attribute List"sv, "Unrecognized Well-known Attribute"sv,
          "Missing Well-known Attribute"sv, "Attribute Flags Error"sv,
          "Attribute Length Error"sv, "Invalid ORIGIN Attribute"sv, "AS Routing Loop"sv,
          "Invalid NEXT_HOP Attribute"sv, "Optional Attribute Error"sv,
          "Invalid Network Field"sv, "Malformed AS_PATH"sv};
      return minor >= 1 && minor <= 11 ? k[minor - 1] : "Unknown"sv;
    }
    case 5: {
      static constexpr std::string_view k[] = {"Unspecified Error"sv, "In OpenSent State"sv,
                                               "In OpenConfirm State"sv,
                                               "In Established State"sv};
      return minor <= 3 ? k[minor] : "Unknown"sv;
    }
    case 6: {
      static constexpr std::string_view k[] = {
          "Maximum Number of Prefixes Reached"sv, "Administrative Shutdown"sv,
          "Peer Unconfigured"sv, "Administrative Reset"sv, "Connection Rejected"sv,
          "Other Configuration Change"sv, "Connection Collision Resolution"sv};
      return minor >= 1 && minor <= 7 ? k[minor - 1] : "Unknown"sv;
    }
    case 7: {
      static constexpr std::string_view k[] = {
          "Invalid Action Value"sv, "Invalid Capability Length"sv,
          "Malformed Capability Value"sv, "Unsupported Capability Code"sv};
      return minor >= 1 && minor <= 4 ? k[minor - 1] : "Unknown"sv;
    }
    default: has_minor = false; return {};
  }
}

struct Bgp {
  const Context& c;
  OutputBuffer& out;
  const std::uint8_t* p(std::uint32_t off) const { return c.data() + off; }
  bool have(std::uint32_t off, std::uint32_t n) const { return c.captured(off, n); }
  void hex(std::uint32_t at, std::uint32_t len, std::string_view indent) const {
    const std::uint32_t available = c.caplen() > at ? c.caplen() - at : 0;
    append_hex_lines(out, c.packet.data.subspan(at < c.caplen() ? at : c.caplen(), len < available ? len : available), indent);
  }

  bool open(std::uint32_t at, std::uint32_t length) const;
  bool capabilities(std::uint32_t at, std::uint32_t length) const;
  bool update(std::uint32_t at, std::uint32_t length) const;
  bool attribute(unsigned type, std::uint32_t at, std::uint32_t len, bool& stop) const;
  bool notification(std::uint32_t at, std::uint32_t length) const;
  // tcpdump's decode_prefix4(): bytes used, 0 for an illegal length, -1 when cut.
  int prefix4(std::uint32_t at, std::uint32_t len) const {
    if (!have(at, 1)) return -1;
    const std::uint32_t bits = p(at)[0];
    if (bits > 32) return 0;
    const std::uint32_t bytes = (bits + 7) / 8;
    if (len - 1 < bytes || !have(at + 1, bytes)) return -1;
    std::uint8_t a[4] = {};
    for (std::uint32_t i = 0; i < bytes; ++i) a[i] = p(at + 1)[i];
    if (bits % 8 != 0) a[bytes - 1] &= static_cast<std::uint8_t>(0xff00 >> (bits % 8));
    append_ipv4(out, a);
    labeled(out, "/"sv, bits);
    return static_cast<int>(1 + bytes);
  }
  bool add_path(std::uint32_t at, std::uint32_t length) const;
  // The prefixes; `used` gets the bytes read (less than `length` after an illegal prefix).
  bool routes(std::uint32_t at, std::uint32_t length, std::string_view title,
              std::uint32_t& used) const;
};

bool Bgp::capabilities(std::uint32_t at, std::uint32_t length) const {
  for (std::uint32_t i = 0; i < length;) {
    const std::uint32_t o = at + i;
    if (!have(o, 2)) return false;
    const unsigned code = p(o)[0], len = p(o)[1];
    out.append("\n\t      ");
    named(out, capability_name(code), code);
    labeled(out, ", length: "sv, len);
    if (!have(o + 2, len)) return false;
    const std::uint8_t* v = p(o + 2);
    switch (code) {
      case 1:
        if (len < 4) {
          out.append(" (too short, < 4)");
          return true;
        }
        out.append("\n\t\tAFI ");
        named(out, afi_name(load_be16(v)), load_be16(v));
        out.append(", SAFI ");
        named(out, safi_name(v[3]), v[3]);
        break;
      case 64: {
        if (len < 2) {
          out.append(" (too short, < 2)");
          return true;
        }
        out.append("\n\t\tRestart Flags: [");
        out.append((v[0] & 0x80) ? "R"sv : "none"sv);
        labeled(out, "], Restart Time "sv, load_be16(v) & 0xfff);
        out.append('s');
        for (std::uint32_t k = 2; k + 4 <= len; k += 4) {
          out.append("\n\t\t  AFI ");
          named(out, afi_name(load_be16(v + k)), load_be16(v + k));
          out.append(", SAFI ");
          named(out, safi_name(v[k + 2]), v[k + 2]);
          out.append(", Forwarding state preserved: ");
          out.append((v[k + 3] & 0x80) ? "yes"sv : "no"sv);
        }
        break;
      }
      case 2:
      case 128: break;
      case 65:
        if (len < 4) {
          out.append(" (too short, < 4)");
          return true;
        }
        labeled(out, "\n\t\t 4 Byte AS "sv, load_be32(v));
        break;
      case 69: {
        if (len == 0) {
          out.append(" (bogus)");
          break;
        }
        if (len % 4 != 0) {
          out.append(" (invalid)");
          break;
        }
        for (std::uint32_t k = 0; k < len; k += 4) {
          out.append("\n\t\tAFI ");
          named(out, afi_name(load_be16(v + k)), load_be16(v + k));
          out.append(", SAFI ");
          named(out, safi_name(v[k + 2]), v[k + 2]);
          out.append(", Send/Receive: ");
          switch (v[k + 3]) {
            case 1: out.append("Receive"); break;
            case 2: out.append("Send"); break;
            case 3: out.append("Both"); break;
            default:
              out.append("Bogus (0x");
              out.append_hex_padded(v[k + 3], 2);
              out.append(')');
              break;
          }
        }
        break;
      }
      default:
        labeled(out, "\n\t\tno decoder for Capability "sv, code);
        if (c.options.verbose <= 1) hex(o + 2, len, "\n\t\t"sv);
        break;
    }
    if (c.options.verbose > 1 && len > 0) hex(o + 2, len, "\n\t\t"sv);
    i += 2 + len;
  }
  return true;
}

bool Bgp::open(std::uint32_t at, std::uint32_t length) const {
  if (!have(at, 29) || length < 29) return false;
  const std::uint8_t* h = p(at);
  labeled(out, "\n\t  Version "sv, h[19]);
  labeled(out, ", my AS "sv, load_be16(h + 20));
  labeled(out, ", Holdtime "sv, load_be16(h + 22));
  out.append("s, ID ");
  append_ipv4(out, h + 24);
  const std::uint32_t options = h[28];
  labeled(out, "\n\t  Optional parameters, length: "sv, options);
  const std::uint32_t o = at + 29;
  for (std::uint32_t i = 0; i < options;) {
    if (!have(o + i, 2)) return false;
    const unsigned type = p(o + i)[0], len = p(o + i)[1];
    if (i + 2 + len > options) {
      labeled(out, "\n\t     Option "sv, type);
      labeled(out, ", length: "sv, len);
      out.append(", goes past the end of the options");
      break;
    }
    out.append("\n\t    Option ");
    named(out, type == 1 ? "Authentication Information"sv
               : type == 2 ? "Capabilities Advertisement"sv
                           : "Unknown"sv,
          type);
    labeled(out, ", length: "sv, len);
    if (type == 2) {
      // A cut capability ends the list with the marker, not the message (tcpdump returns).
      if (!capabilities(o + i + 2, len)) out.append(kCut);
    } else {
      labeled(out, "\n\t      no decoder for option "sv, type);
    }
    i += 2 + len;
  }
  return true;
}

bool Bgp::notification(std::uint32_t at, std::uint32_t length) const {
  if (length < 21 || !have(at, 21)) return false;
  const unsigned major = p(at)[19], minor = p(at)[20];
  out.append(", ");
  switch (major) {
    case 1: out.append("Message Header Error"); break;
    case 2: out.append("OPEN Message Error"); break;
    case 3: out.append("UPDATE Message Error"); break;
    case 4: out.append("Hold Timer Expired"); break;
    case 5: out.append("Finite State Machine Error"); break;
    case 6: out.append("Cease"); break;
    case 7: out.append("Capability Message Error"); break;
    default: out.append("Unknown Error"); break;
  }
  labeled(out, " ("sv, major);
  out.append(')');
  bool has_minor = false;
  const std::string_view name = minor_name(major, minor, has_minor);
  if (!has_minor) return true;
  out.append(major == 5 || major == 7 ? " subcode "sv : ", subcode "sv);
  named(out, name, minor);
  if (major != 6) return true;
  const std::uint32_t d = at + 21;
  if (minor == 1 && length >= 21 + 7) {
    if (!have(d, 7)) return false;
    out.append(", AFI ");
    named(out, afi_name(load_be16(p(d))), load_be16(p(d)));
    out.append(", SAFI ");
    named(out, safi_name(p(d)[2]), p(d)[2]);
    labeled(out, ", Max Prefixes: "sv, load_be32(p(d + 3)));
  } else if ((minor == 2 || minor == 4) && length >= 21 + 1) {
    if (!have(d, 1)) return false;
    const std::uint32_t text = p(d)[0];
    std::uint32_t rest_at = d, rest = length - 21;
    if (text > length - 22) {
      out.append(", invalid Shutdown Communication length");
    } else if (text > 128) {
      out.append(", max-length (128) exceeded");
    } else if (text == 0) {
      out.append(", empty Shutdown Communication");
      rest_at = d + 1;
      rest -= 1;
    } else {
      labeled(out, ", Shutdown Communication (length: "sv, text);
      out.append("): \"");
      if (!have(d + 1, text)) return false;
      for (std::uint32_t i = 0; i < text; ++i) append_safe_char(out, p(d + 1)[i]);
      out.append('"');
      rest_at = d + 1 + text;
      rest -= 1 + text;
    }
    if (rest > 0) {
      labeled(out, ", Data: (length: "sv, rest);
      out.append(')');
      hex(rest_at, rest, "\n\t\t"sv);
    }
  }
  return true;
}

// Whether tcpdump reads a list of prefixes as ADD-PATH (each after a 4-byte path ID).
bool Bgp::add_path(std::uint32_t at, std::uint32_t length) const {
  if (length < 5) return false;
  std::uint32_t offset = 0;
  while (offset < length) {
    offset += 4;
    if (!have(at + offset, 1)) return false;
    const std::uint32_t bits = p(at + offset)[0];
    if (bits > 32) return false;
    offset += 1 + (bits + 7) / 8;
  }
  if (offset > length) return false;
  for (offset = 0; offset < length;) {
    if (!have(at + offset, 1)) return false;
    const std::uint32_t bits = p(at + offset)[0];
    if (bits == 0 || bits > 32) return true;
    offset += 1 + (bits + 7) / 8;
  }
  return offset > length;
}

// "\n\t  Withdrawn routes:" / "Updated routes:" and the prefixes; false when cut.
bool Bgp::routes(std::uint32_t at, std::uint32_t length, std::string_view title,
                 std::uint32_t& used) const {
  const std::uint32_t start = at;
  used = length;
  out.append(title);
  const bool paths = add_path(at, length);
  while (length != 0) {
    std::uint32_t path_id = 0;
    if (paths) {
      if (length < 4) return true;
      if (!have(at, 4)) return false;
      path_id = load_be32(p(at));
      at += 4;
      length -= 4;
    }
    const std::size_t mark = out.size();
    out.append("\n\t    ");
    const int n = prefix4(at, length);
    if (n == 0) {
      out.truncate(mark);
      out.append("\n\t    (illegal prefix length)");
      used = at - start;
      return true;
    }
    if (n < 0) {
      out.truncate(mark);
      return false;
    }
    if (paths) labeled(out, "   Path Id: "sv, path_id);
    at += static_cast<std::uint32_t>(n);
    length -= static_cast<std::uint32_t>(n);
  }
  return true;
}

// One path attribute's value; false when cut. `stop` is set after a marker for an attribute
// slimcap does not decode.
bool Bgp::attribute(unsigned type, std::uint32_t at, std::uint32_t len, bool& stop) const {
  const std::uint8_t* v = p(at);
  if (!have(at, len)) return false;
  switch (type) {
    case 1:
      if (len != 1) {
        out.append("invalid len");
        break;
      }
      out.append(v[0] == 0   ? "IGP"sv
                 : v[0] == 1 ? "EGP"sv
                 : v[0] == 2 ? "Incomplete"sv
                             : "Unknown Origin Typecode"sv);
      break;
    case 2:
    case 17: {
      if (len % 2 != 0) {
        out.append("invalid len");
        break;
      }
      if (len == 0) {
        out.append("empty");
        break;
      }
      std::uint32_t size = 4;
      if (type == 2) {
        // tcpdump's guess: 2-byte numbers when the segments add up exactly with them.
        std::uint32_t t = 0;
        bool valid = true;
        while (t < len) {
          if (v[t] < 1 || v[t] > 4) {
            valid = false;
            break;
          }
          if (t + 1 >= len) {
            valid = false;
            break;
          }
          t += 2 + v[t + 1] * 2u;
        }
        if (valid && t == len) size = 2;
      }
      for (std::uint32_t t = 0; t < len;) {
        if (!have(at + t, 2)) return false;
        const unsigned segment = v[t], count = v[t + 1];
        static constexpr std::string_view kOpen[] = {"?"sv, "{ "sv, ""sv, "( "sv, "({ "sv};
        static constexpr std::string_view kClose[] = {"?"sv, "}"sv, ""sv, ")"sv, "})"sv};
        out.append(segment <= 4 ? kOpen[segment] : "?"sv);
        for (std::uint32_t k = 0; k < count; ++k) {  // each read as far as the capture goes
          if (!have(at + t + 2 + k * size, size)) return false;
          const std::uint8_t* a = v + t + 2 + k * size;
          out.append_uint(size == 2 ? load_be16(a) : load_be32(a));
          out.append(' ');
        }
        out.append(segment <= 4 ? kClose[segment] : "?"sv);
        t += 2 + count * size;
      }
      break;
    }
    case 3:
    case 9:
      if (len != 4) {
        out.append("invalid len");
        break;
      }
      append_ipv4(out, v);
      break;
    case 4:
    case 5:
      if (len != 4) {
        out.append("invalid len");
        break;
      }
      out.append_uint(load_be32(v));
      break;
    case 6:
      if (len != 0) out.append("invalid len");
      break;
    case 7:
    case 18: {
      const std::uint32_t size = type == 18 ? 4 : len == 8 ? 4 : 2;
      if ((type == 7 && len != 6 && len != 8) || (type == 18 && len != 8)) {
        out.append("invalid len");
        break;
      }
      labeled(out, " AS #"sv, size == 2 ? load_be16(v) : load_be32(v));
      out.append(", origin ");
      append_ipv4(out, v + size);
      break;
    }
    case 8:
      if (len % 4 != 0) {
        out.append("invalid len");
        break;
      }
      for (std::uint32_t t = 0; t < len; t += 4) {
        const std::uint32_t community = load_be32(v + t);
        switch (community) {
          case 0xffffff01: out.append(" NO_EXPORT"); break;
          case 0xffffff02: out.append(" NO_ADVERTISE"); break;
          case 0xffffff03: out.append(" NO_EXPORT_SUBCONFED"); break;
          default:
            out.append_uint(community >> 16);
            out.append(':');
            out.append_uint(community & 0xffff);
            if (len - t > 4) out.append(", ");
            break;
        }
      }
      break;
    case 10:
      if (len % 4 != 0) {
        out.append("invalid len");
        break;
      }
      for (std::uint32_t t = 0; t < len; t += 4) {
        append_ipv4(out, v + t);
        if (len - t > 4) out.append(", ");
      }
      break;
    case 32:
      if (len == 0 || len % 12 != 0) {
        out.append("invalid len");
        break;
      }
      out.append("\n\t    ");
      for (std::uint32_t t = 0; t < len; t += 12) {
        out.append_uint(load_be32(v + t));
        out.append(':');
        out.append_uint(load_be32(v + t + 4));
        out.append(':');
        out.append_uint(load_be32(v + t + 8));
        if (len - t > 12) out.append(", ");
      }
      return true;  // tcpdump's loop used up the length: no -vv dump
    case 128: {
      if (len < 4) return false;
      labeled(out, "\n\t    Origin AS: "sv, load_be32(v));
      std::uint32_t t = 4;
      while (t < len) {
        if (len - t < 2) return false;
        const unsigned flags = v[t], type2 = v[t + 1];
        t += 2;
        const std::uint32_t size_of_length = (flags & 0x10) ? 2 : 1;
        if (len - t < size_of_length) return false;
        const std::uint32_t alen = size_of_length == 2 ? load_be16(v + t) : v[t];
        t += size_of_length;
        out.append("\n\t      ");
        named(out, attribute_name(type2), type2);
        labeled(out, ", length: "sv, alen);
        if (flags != 0) {
          out.append(", Flags [");
          if (flags & 0x80) out.append('O');
          if (flags & 0x40) out.append('T');
          if (flags & 0x20) out.append('P');
          if (flags & 0x10) out.append('E');
          if (flags & 0x0f) {
            out.append('+');
            out.append_hex(flags & 0x0f);
          }
          out.append("]: ");
        }
        if (!have(at + t, alen)) return false;
        if (!attribute(type2, at + t, alen, stop)) return false;
        if (stop) return true;
        t += alen;
      }
      return true;  // tcpdump's loop used up the length: no -vv dump
    }
    case 14:
    case 15:
    case 16:
    case 22:
    case 26:
      out.append(" [|bgp-attribute]");  // not decoded: an honest marker, the line ends
      stop = true;
      return true;
    default:
      labeled(out, "\n\t    no Attribute "sv, type);
      out.append(" decoder");
      if (c.options.verbose <= 1) hex(at, len, "\n\t    "sv);
      break;
  }
  if (c.options.verbose > 1 && len > 0) hex(at, len, "\n\t    "sv);
  return true;
}

bool Bgp::update(std::uint32_t at, std::uint32_t length) const {
  std::uint32_t q = at + 19;
  length -= 19;
  if (length < 2 || !have(q, 2)) return false;
  std::uint32_t withdrawn = load_be16(p(q));
  q += 2;
  length -= 2;
  if (!have(q, withdrawn) || length < withdrawn) return false;
  std::uint32_t used = withdrawn;
  // After an illegal prefix tcpdump reads on from where it stopped.
  if (withdrawn > 1 && !routes(q, withdrawn, "\n\t  Withdrawn routes:"sv, used)) return false;
  q += used;
  length -= used;
  if (used != withdrawn) withdrawn = 1;  // not 0: no End-of-RIB marker
  if (length < 2 || !have(q, 2)) return false;
  std::uint32_t attributes = load_be16(p(q));
  q += 2;
  length -= 2;
  if (withdrawn == 0 && attributes == 0 && length == 0) {
    out.append("\n\t  End-of-Rib Marker (empty NLRI)");
    return true;
  }
  if (length < attributes) return false;
  const auto too_short = [&] {
    out.append("\n\t  [path attrs too short]");
    q += attributes;
    length -= attributes;
  };
  while (attributes != 0) {
    if (attributes < 2) {
      too_short();
      break;
    }
    if (!have(q, 2)) return false;
    const unsigned flags = p(q)[0], type = p(q)[1];
    q += 2;
    attributes -= 2;
    length -= 2;
    const std::uint32_t size_of_length = (flags & 0x10) ? 2 : 1;
    if (!have(q, size_of_length)) return false;
    if (attributes < size_of_length) {
      too_short();
      break;
    }
    const std::uint32_t len = size_of_length == 2 ? load_be16(p(q)) : p(q)[0];
    q += size_of_length;
    attributes -= size_of_length;
    length -= size_of_length;
    out.append("\n\t  ");
    named(out, attribute_name(type), type);
    labeled(out, ", length: "sv, len);
    if (flags != 0) {
      out.append(", Flags [");
      if (flags & 0x80) out.append('O');
      if (flags & 0x40) out.append('T');
      if (flags & 0x20) out.append('P');
      if (flags & 0x10) out.append('E');
      if (flags & 0x0f) {
        out.append('+');
        out.append_hex(flags & 0x0f);
      }
      out.append("]: ");
    }
    if (attributes < len) {
      out.append(" [path attrs too short]");
      q += attributes;
      length -= attributes;
      break;
    }
    if (length < len) return false;
    bool stop = false;
    if (!attribute(type, q, len, stop)) return false;
    if (stop) return true;
    q += len;
    attributes -= len;
    length -= len;
  }
  if (length != 0) return routes(q, length, "\n\t  Updated routes:"sv, used);
  return true;
}

}  // namespace

void print_bgp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  out.append(": BGP");
  if (c.options.verbose == 0) return;
  const Bgp bgp{c, out};
  const std::uint32_t end = offset + length;
  std::uint32_t start = offset;
  for (std::uint32_t q = offset; q < end;) {
    if (!c.captured(q, 1)) break;
    if (c.data()[q] != 0xff) {
      ++q;
      continue;
    }
    if (!c.captured(q, 16)) break;
    bool marker = true;
    for (int i = 0; i < 16; ++i) marker = marker && c.data()[q + i] == 0xff;
    if (!marker) {
      ++q;
      continue;
    }
    if (!c.captured(q, 19)) {
      out.append(kCut);
      return;
    }
    if (start != q) out.append(kCut);
    const std::uint32_t hlen = load_be16(c.data() + q + 16);
    const unsigned type = c.data()[q + 18];
    const std::string_view name = message_name(type);
    if (hlen < 19) {
      labeled(out, "\nmessage length "sv, hlen);
      out.append(" < 19 (invalid)");
      return;
    }
    if (!c.captured(q, hlen)) {
      out.append("\n[|BGP ");
      out.append(name.empty() ? "Unknown Message Type"sv : name);
      out.append(']');
      return;
    }
    out.append("\n\t");
    out.append(name.empty() ? "Unknown"sv : name);
    labeled(out, " Message ("sv, type);
    labeled(out, "), length: "sv, hlen);
    bool whole = true;
    switch (type) {
      case 1: whole = bgp.open(q, hlen); break;
      case 2: whole = bgp.update(q, hlen); break;
      case 3: whole = bgp.notification(q, hlen); break;
      case 4: break;
      case 5:
        if (hlen < 23) {
          whole = false;
          break;
        }
        out.append("\n\t  AFI ");
        named(out, afi_name(load_be16(c.data() + q + 19)), load_be16(c.data() + q + 19));
        out.append(", SAFI ");
        named(out, safi_name(c.data()[q + 22]), c.data()[q + 22]);
        if (c.options.verbose > 1) bgp.hex(q, hlen, "\n\t  "sv);
        break;
      default:
        labeled(out, "\n\t  no Message "sv, type);
        out.append(" decoder");
        bgp.hex(q, hlen, "\n\t  "sv);
        break;
    }
    if (!whole) {
      out.append(kCut);
      return;
    }
    q += hlen;
    start = q;
  }
}

}  // namespace slimcap::detail
