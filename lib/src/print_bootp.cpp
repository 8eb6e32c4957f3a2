// BOOTP and DHCP (UDP 67/68) as tcpdump 4.99 prints them (print-bootp.c): the one-line
// summary, with -v the header fields and the RFC 1048 option list (or CMU vendor area), one
// field per "\n\t  " line. docs/dissectors/dhcp.md has the shapes.
//
// tcpdump reads up to the end of the IP datagram (c.caplen() here, which print_transport has
// clamped to it); `length` is only printed. A read past the capture ends the text with
// " [|bootp]" where tcpdump's does.

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kTrunc = " [|bootp]"sv;

// tcpdump's tag2str[]: the value format ('i' addresses, 'l' unsigned 32-bit, 'L' signed,
// 's' 16-bit, 'b' bytes, 'B' booleans, 'p' address pairs, 'a' text, '$' special, ' ' none)
// and the name.
struct Tag {
  char format = '?';
  std::string_view name = "Unknown"sv;
};

struct TagTable {
  std::array<Tag, 256> tags{};
  constexpr TagTable() {
    const auto set = [this](unsigned t, char f, std::string_view n) { tags[t] = Tag{f, n}; };
    set(0, ' ', "PAD"sv);
    set(1, 'i', "Subnet-Mask"sv);
    set(2, 'L', "Time-Zone"sv);
    set(3, 'i', "Default-Gateway"sv);
    set(4, 'i', "Time-Server"sv);
    set(5, 'i', "IEN-Name-Server"sv);
    set(6, 'i', "Domain-Name-Server"sv);
    set(7, 'i', "LOG"sv);
    set(8, 'i', "CS"sv);
    set(9, 'i', "LPR-Server"sv);
    set(10, 'i', "IM"sv);
    set(11, 'i', "RL"sv);
    set(12, 'a', "Hostname"sv);
    set(13, 's', "BS"sv);
    set(255, ' ', "END"sv);
    set(14, 'a', "DP"sv);
    set(15, 'a', "Domain-Name"sv);
    set(16, 'i', "SS"sv);
    set(17, 'a', "RP"sv);
    set(18, 'a', "EP"sv);
    set(19, 'B', "IPF"sv);
    set(20, 'B', "SRT"sv);
    set(21, 'p', "PF"sv);
    set(22, 's', "RSZ"sv);
    set(23, 'b', "TTL"sv);
    set(24, 'l', "MTU-Timeout"sv);
    set(25, 's', "MTU-Table"sv);
    set(26, 's', "MTU"sv);
    set(27, 'B', "LSN"sv);
    set(28, 'i', "BR"sv);
    set(29, 'B', "MD"sv);
    set(30, 'B', "MS"sv);
    set(31, 'B', "Router-Discovery"sv);
    set(32, 'i', "RSA"sv);
    set(33, 'p', "Static-Route"sv);
    set(34, 'B', "UT"sv);
    set(35, 'l', "AT"sv);
    set(36, 'B', "IE"sv);
    set(37, 'b', "TT"sv);
    set(38, 'l', "KI"sv);
    set(39, 'B', "KG"sv);
    set(40, 'a', "YD"sv);
    set(41, 'i', "YS"sv);
    set(42, 'i', "NTP"sv);
    set(43, 'b', "Vendor-Option"sv);
    set(44, 'i', "Netbios-Name-Server"sv);
    set(45, 'i', "WDD"sv);
    set(46, '$', "Netbios-Node"sv);
    set(47, 'a', "Netbios-Scope"sv);
    set(48, 'i', "XFS"sv);
    set(49, 'i', "XDM"sv);
    set(64, 's', "N+D"sv);
    set(65, 'i', "N+S"sv);
    set(68, 'i', "MH"sv);
    set(69, 'i', "SMTP"sv);
    set(70, 'i', "POP3"sv);
    set(71, 'i', "NNTP"sv);
    set(72, 'i', "WWW"sv);
    set(73, 'i', "FG"sv);
    set(74, 'i', "IRC"sv);
    set(75, 'i', "STS"sv);
    set(76, 'i', "STDA"sv);
    set(50, 'i', "Requested-IP"sv);
    set(51, 'l', "Lease-Time"sv);
    set(52, '$', "OO"sv);
    set(66, 'a', "TFTP"sv);
    set(67, 'a', "BF"sv);
    set(53, ' ', "DHCP-Message"sv);
    set(54, 'i', "Server-ID"sv);
    set(55, 'b', "Parameter-Request"sv);
    set(56, 'a', "MSG"sv);
    set(57, 's', "MSZ"sv);
    set(58, 'l', "RN"sv);
    set(59, 'l', "RB"sv);
    set(60, 'a', "Vendor-Class"sv);
    set(61, '$', "Client-ID"sv);
    set(98, 'a', "UAP"sv);
    set(116, 'B', "NOAUTO"sv);
    set(78, 'b', "SLP-DA"sv);
    set(79, 'b', "SLP-SCOPE"sv);
    set(117, 's', "NSSEARCH"sv);
    set(77, '$', "User-Class"sv);
    set(118, 'i', "SUBNET"sv);
    set(121, '$', "Classless-Static-Route"sv);
    set(249, '$', "Classless-Static-Route-Microsoft"sv);
    set(150, 'i', "TFTP-Server-Address"sv);
    set(80, 'a', "SLP-NA"sv);
    set(81, '$', "FQDN"sv);
    set(82, '$', "Agent-Information"sv);
    set(83, 'b', "ARMT"sv);
    set(88, 'a', "TZSTR"sv);
    set(89, 'b', "FQDNS"sv);
    set(90, 'b', "AUTH"sv);
    set(91, 'L', "Last-Transaction-Time"sv);
    set(92, 'i', "Associated-IP"sv);
    set(93, 's', "ARCH"sv);
    set(94, 'b', "NDI"sv);
    set(97, 'b', "GUID"sv);
    set(95, 'a', "LDAP"sv);
    set(100, 'a', "POSIX-TZ"sv);
    set(101, 'a', "TZ-Name"sv);
    set(112, 'i', "NI"sv);
    set(113, 'a', "NITAG"sv);
    set(114, 'a', "URL"sv);
    set(161, 'a', "MUD-URL"sv);
  }
};
constexpr TagTable kTags;

std::string_view dhcp_message_name(std::uint8_t v) {
  switch (v) {
    case 1: return "Discover"sv;
    case 2: return "Offer"sv;
    case 3: return "Request"sv;
    case 4: return "Decline"sv;
    case 5: return "ACK"sv;
    case 6: return "NACK"sv;
    case 7: return "Release"sv;
    case 8: return "Inform"sv;
    case 10: return "LeaseQuery"sv;
    case 11: return "LeaseUnassigned"sv;
    case 12: return "LeaseUnknown"sv;
    case 13: return "LeaseActive"sv;
    default: return {};
  }
}

std::string_view arp_hardware_name(std::uint8_t v) {
  switch (v) {
    case 0x1: return "ether"sv;
    case 0x6: return "ieee802"sv;
    case 0x7: return "arcnet"sv;
    case 0xf: return "frelay"sv;
    case 0x17: return "strip"sv;
    case 0x18: return "ieee1394"sv;
    default: return {};
  }
}

void append_text(OutputBuffer& out, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) append_safe_char(out, p[i]);
}

// The value of a tag whose `len` bytes at p are captured; returns the bytes left undecoded
// (tcpdump's "trailing data").
std::uint32_t print_special(OutputBuffer& out, std::uint8_t tag, const std::uint8_t* p,
                            std::uint32_t len) {
  switch (tag) {
    case 46:    // Netbios-Node
    case 52: {  // OO
      if (len < 1) {
        out.append("[ERROR: length < 1 bytes]"sv);
        return 0;
      }
      const std::uint8_t v = p[0];
      std::string_view name;
      if (tag == 46) {
        switch (v) {
          case 1: name = "b-node"sv; break;
          case 2: name = "p-node"sv; break;
          case 4: name = "m-node"sv; break;
          case 8: name = "h-node"sv; break;
          default: break;
        }
      } else {
        switch (v) {
          case 1: name = "file"sv; break;
          case 2: name = "sname"sv; break;
          case 3: name = "file+sname"sv; break;
          default: break;
        }
      }
      if (name.empty()) {
        out.append('#');
        out.append_uint(v);
      } else {
        out.append(name);
      }
      return len - 1;
    }
    case 81: {  // FQDN
      if (len < 3) {
        out.append("[ERROR: length < 3 bytes]"sv);
        return 0;
      }
      const std::uint8_t flags = p[0];
      if (flags & 0xf0) {
        out.append("[ERROR: MBZ nibble 0x"sv);
        out.append_hex(flags >> 4);
        out.append(" != 0] "sv);
      }
      if (flags & 0x0f) {
        out.append('[');
        if (flags & 1) out.append('S');
        if (flags & 2) out.append('O');
        if (flags & 4) out.append('E');
        if (flags & 8) out.append('N');
        out.append("] "sv);
      }
      if (p[1] || p[2]) {
        out.append_uint(p[1]);
        out.append('/');
        out.append_uint(p[2]);
        out.append(' ');
      }
      out.append('"');
      append_text(out, p + 3, len - 3);
      out.append('"');
      return 0;
    }
    case 61: {  // Client-ID
      if (len < 1) {
        out.append("[ERROR: length < 1 bytes]"sv);
        return 0;
      }
      const std::uint8_t type = p[0];
      if (type == 0) {
        out.append('"');
        append_text(out, p + 1, len - 1);
        out.append('"');
        return 0;
      }
      const std::string_view name = arp_hardware_name(type);
      if (name.empty()) {
        out.append("hardware-type "sv);
        out.append_uint(type);
        out.append(',');
      } else {
        out.append(name);
      }
      out.append(' ');
      for (std::uint32_t i = 1; i < len; ++i) {
        if (i > 1) out.append(':');
        out.append_hex8(p[i]);
      }
      return 0;
    }
    case 82: {  // Agent-Information: sub-options
      while (len >= 2) {
        const std::uint8_t sub = p[0], sublen = p[1];
        p += 2;
        len -= 2;
        std::string_view name = "Unknown"sv;
        if (sub == 1) name = "Circuit-ID"sv;
        if (sub == 2) name = "Remote-ID"sv;
        if (sub == 6) name = "Subscriber-ID"sv;
        out.append("\n\t      "sv);
        out.append(name);
        out.append(" SubOption "sv);
        out.append_uint(sub);
        out.append(", length "sv);
        out.append_uint(sublen);
        if (sublen > len) {
          out.append(": length goes past end of option"sv);
          return 0;
        }
        out.append(": "sv);
        if (sub == 1 || sub == 2 || sub == 6)
          append_text(out, p, sublen);
        else
          append_hex_lines(out, std::span<const std::uint8_t>(p, sublen), "\n\t\t"sv);
        p += sublen;
        len -= sublen;
      }
      return len;
    }
    case 121:
    case 249: {  // Classless-Static-Route
      if (len < 5) {
        out.append("[ERROR: length < 5 bytes]"sv);
        return 0;
      }
      bool first = true;
      while (len > 0) {
        if (!first) out.append(',');
        first = false;
        const std::uint32_t width = p[0];
        ++p;
        --len;
        if (width > 32) {
          out.append("[ERROR: Mask width ("sv);
          out.append_uint(width);
          out.append(") > 32]"sv);
          return 0;
        }
        const std::uint32_t significant = (width + 7) / 8;
        if (len < significant + 4) {
          out.append("[ERROR: Remaining length ("sv);
          out.append_uint(len);
          out.append(") < "sv);
          out.append_uint(significant + 4);
          out.append(" bytes]"sv);
          return 0;
        }
        out.append('(');
        if (width == 0) {
          out.append("default"sv);
        } else {
          for (std::uint32_t i = 0; i < significant; ++i) {
            if (i) out.append('.');
            out.append_uint(p[i]);
          }
          for (std::uint32_t i = significant; i < 4; ++i) out.append(".0"sv);
          out.append('/');
          out.append_uint(width);
        }
        p += significant;
        out.append(':');
        append_ipv4(out, p);
        out.append(')');
        p += 4;
        len -= significant + 4;
      }
      return 0;
    }
    case 77: {  // User-Class
      if (len < 2) {
        out.append("[ERROR: length < 2 bytes]"sv);
        return 0;
      }
      std::uint32_t number = 1;
      while (len > 0) {
        const std::uint8_t sublen = p[0];
        ++p;
        --len;
        out.append("\n\t      instance#"sv);
        out.append_uint(number);
        out.append(": "sv);
        if (sublen == 0) {
          out.append("[ERROR: suboption length must be non-zero]"sv);
          return 0;
        }
        if (len < sublen) {
          out.append("[ERROR: invalid option]"sv);
          return 0;
        }
        out.append('"');
        append_text(out, p, sublen);
        out.append("\", length "sv);
        out.append_uint(sublen);
        ++number;
        p += sublen;
        len -= sublen;
      }
      return 0;
    }
    default:
      out.append("[unknown special tag "sv);
      out.append_uint(tag);
      out.append(", size "sv);
      out.append_uint(len);
      out.append(']');
      return 0;
  }
}

// The value of a tag in its format; returns the bytes left over.
std::uint32_t print_value(OutputBuffer& out, std::uint8_t tag, char format, const std::uint8_t* p,
                          std::uint32_t len) {
  if (format == '?') format = (len & 1) ? 'b' : (len & 2) ? 's' : 'l';
  bool first = true;
  switch (format) {
    case 'a':
      out.append('"');
      append_text(out, p, len);
      out.append('"');
      return 0;
    case 'i':
    case 'l':
    case 'L':
      for (; len >= 4; p += 4, len -= 4, first = false) {
        if (!first) out.append(',');
        if (format == 'i')
          append_ipv4(out, p);
        else if (format == 'L')
          out.append_int(static_cast<std::int32_t>(load_be32(p)));
        else
          out.append_uint(load_be32(p));
      }
      return len;
    case 'p':
      for (; len >= 8; p += 8, len -= 8, first = false) {
        if (!first) out.append(',');
        out.append('(');
        append_ipv4(out, p);
        out.append(':');
        append_ipv4(out, p + 4);
        out.append(')');
      }
      return len;
    case 's':
      for (; len >= 2; p += 2, len -= 2, first = false) {
        if (!first) out.append(',');
        out.append_uint(load_be16(p));
      }
      return len;
    case 'B':
      for (; len > 0; ++p, --len, first = false) {
        if (!first) out.append(',');
        if (*p == 0) {
          out.append('N');
        } else if (*p == 1) {
          out.append('Y');
        } else {
          out.append_uint(*p);
          out.append('?');
        }
      }
      return 0;
    case '$':
      return print_special(out, tag, p, len);
    default:  // 'b' and the tags without a format: dotted decimal bytes
      for (; len > 0; ++p, --len, first = false) {
        if (!first) out.append('.');
        out.append_uint(*p);
      }
      return 0;
  }
}

// The RFC 1048 options from `offset` (the magic cookie, captured) to the capture's end.
void print_rfc1048(const Context& c, std::uint32_t offset) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data();
  out.append("\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x"sv);
  out.append_hex_padded(load_be32(d + offset), 8);
  std::uint32_t at = offset + 4;
  const bool all = c.options.verbose > 2;  // -vvv shows PAD and END
  while (at < c.caplen()) {
    const std::uint8_t tag = d[at++];
    if (tag == 0 && !all) continue;
    if (tag == 255 && !all) return;
    std::uint32_t len = 0;
    if (tag != 0 && tag != 255) {
      if (at >= c.caplen()) {  // tcpdump's longjmp
        out.append(kTrunc);
        c.dump_whole = true;
        return;
      }
      len = d[at++];
    }
    const Tag& t = kTags.tags[tag];
    out.append("\n\t    "sv);
    out.append(t.name);
    out.append(" ("sv);
    out.append_uint(tag);
    out.append("), length "sv);
    out.append_uint(len);
    if (len > 0) out.append(": "sv);
    if (tag == 0) {
      std::uint32_t count = 1;
      while (at < c.caplen() && d[at] == 0) {
        ++at;
        ++count;
      }
      if (count > 1) {
        out.append(", occurs "sv);
        out.append_uint(count);
      }
    }
    if (!c.captured(at, len)) {
      out.append(kTrunc);
      return;
    }
    const std::uint8_t* p = d + at;
    at += len;
    if (tag == 53 && len == 1) {
      const std::string_view name = dhcp_message_name(p[0]);
      if (name.empty()) {
        out.append("Unknown ("sv);
        out.append_uint(p[0]);
        out.append(')');
      } else {
        out.append(name);
      }
      continue;
    }
    if (tag == 55) {  // Parameter-Request: names, four a line
      for (std::uint32_t i = 0; i < len; ++i) {
        out.append(i % 4 == 0 ? "\n\t      "sv : ", "sv);
        out.append(kTags.tags[p[i]].name);
        out.append(" ("sv);
        out.append_uint(p[i]);
        out.append(')');
      }
      continue;
    }
    const std::uint32_t left = print_value(out, tag, t.format, p, len);
    if (left) {
      out.append("\n\t  trailing data length "sv);
      out.append_uint(left);
    }
  }
}

// The CMU vendor area at `offset` (its magic captured).
void print_cmu(const Context& c, std::uint32_t offset) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data() + offset;
  out.append(" vend-cmu"sv);
  if (!c.captured(offset + 4, 4)) {
    out.append(kTrunc);
    return;
  }
  const std::uint8_t flags = d[4];  // tcpdump reads the first byte of the 32-bit field
  if (flags & ~1u) {
    out.append(" F:0x"sv);
    out.append_hex(flags);
  }
  struct Field {
    std::uint32_t at;
    std::string_view name;
  };
  const Field fields[] = {{12, "DG"sv},  {8, (flags & 1) ? "SM"sv : "SM*"sv},
                          {16, "NS1"sv}, {20, "NS2"sv},
                          {24, "IEN1"sv}, {28, "IEN2"sv},
                          {32, "TS1"sv}, {36, "TS2"sv}};
  for (const Field& f : fields) {
    if (!c.captured(offset + f.at, 4)) {
      out.append(kTrunc);
      return;
    }
    if (load_be32(d + f.at) == 0) continue;
    out.append(' ');
    out.append(f.name);
    out.append(':');
    append_ipv4(out, d + f.at);
  }
}

// sname / file: the text up to its NUL within `size` bytes; false (after the closing quote
// and the marker) when the capture or the field ends first.
bool print_name_field(const Context& c, std::uint32_t offset, std::uint32_t size,
                      std::string_view label) {
  OutputBuffer& out = c.out;
  if (!c.captured(offset, 1)) {  // its first byte: tcpdump's longjmp
    out.append(kTrunc);
    c.dump_whole = true;
    return false;
  }
  const std::uint8_t* d = c.data();
  if (d[offset] == 0) return true;
  out.append(label);
  for (std::uint32_t i = 0;; ++i) {
    if (i == size || !c.captured(offset + i, 1)) {
      out.append('"');
      out.append(kTrunc);
      return false;
    }
    const std::uint8_t ch = d[offset + i];
    if (ch == 0) break;
    append_safe_char(out, ch);
  }
  out.append('"');
  return true;
}

}  // namespace

void print_bootp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data() + offset;
  // A field read past the capture: tcpdump's longjmp.
  const auto cut = [&c, &out] {
    out.append(kTrunc);
    c.dump_whole = true;
  };
  if (!c.captured(offset, 1)) return cut();
  const std::uint8_t op = d[0];
  out.append("BOOTP/DHCP, "sv);
  if (op == 1) {
    out.append("Request"sv);
  } else if (op == 2) {
    out.append("Reply"sv);
  } else {
    out.append("unknown (0x"sv);
    out.append_hex8(op);
    out.append(')');
  }
  if (!c.captured(offset, 3)) return cut();
  const std::uint8_t htype = d[1], hlen = d[2];
  const bool ethernet = htype == 1 && hlen == 6;
  if (ethernet && op == 1) {
    if (!c.captured(offset + 28, 6)) return cut();
    out.append(" from "sv);
    append_mac(out, d + 28);
  }
  out.append(", length "sv);
  out.append_uint(length);
  if (c.options.verbose == 0) return;

  if (!c.captured(offset, 10)) {  // through secs: a bounds check, not a longjmp
    out.append(kTrunc);
    return;
  }
  if (htype != 1) {
    out.append(", htype "sv);
    out.append_uint(htype);
  }
  if (!ethernet) {
    out.append(", hlen "sv);
    out.append_uint(hlen);
  }
  if (d[3]) {
    out.append(", hops "sv);
    out.append_uint(d[3]);
  }
  if (const std::uint32_t xid = load_be32(d + 4)) {
    out.append(", xid 0x"sv);
    out.append_hex(xid);
  }
  if (const std::uint16_t secs = load_be16(d + 8)) {
    out.append(", secs "sv);
    out.append_uint(secs);
  }
  if (!c.captured(offset, 12)) return cut();
  const std::uint16_t flags = load_be16(d + 10);
  out.append(", Flags ["sv);
  out.append((flags & 0x8000) ? "Broadcast"sv : "none"sv);
  out.append(']');
  if (c.options.verbose > 1) {
    out.append(" (0x"sv);
    out.append_hex_padded(flags, 4);
    out.append(')');
  }
  static constexpr std::string_view kAddresses[] = {"\n\t  Client-IP "sv, "\n\t  Your-IP "sv,
                                                    "\n\t  Server-IP "sv, "\n\t  Gateway-IP "sv};
  for (std::uint32_t i = 0; i < 4; ++i) {
    const std::uint32_t at = 12 + 4 * i;
    if (!c.captured(offset + at, 4)) return cut();
    if (load_be32(d + at) == 0) continue;
    out.append(kAddresses[i]);
    append_ipv4(out, d + at);
  }
  if (ethernet) {
    if (!c.captured(offset + 28, 6)) return cut();
    out.append("\n\t  Client-Ethernet-Address "sv);
    append_mac(out, d + 28);
  }
  if (!print_name_field(c, offset + 44, 64, "\n\t  sname \""sv)) return;
  if (!print_name_field(c, offset + 108, 128, "\n\t  file \""sv)) return;
  if (!c.captured(offset + 236, 4)) {
    out.append(kTrunc);
    return;
  }
  const std::uint8_t* vend = d + 236;
  if (vend[0] == 99 && vend[1] == 130 && vend[2] == 83 && vend[3] == 99) {
    print_rfc1048(c, offset + 236);
  } else if (vend[0] == 'C' && vend[1] == 'M' && vend[2] == 'U' && vend[3] == 0) {
    print_cmu(c, offset + 236);
  } else if (const std::uint32_t v = load_be32(vend)) {
    out.append("\n\t  Vendor-#0x"sv);
    out.append_hex(v);
  }
}

void append_dhcp_json(OutputBuffer& out, const PacketView& packet, std::uint32_t offset,
                      std::uint32_t length) {
  const std::uint32_t caplen = packet.caplen();
  if (length < 8 || offset > caplen || caplen - offset < 8) return;
  const std::uint8_t* d = packet.data.data() + offset;
  const std::uint32_t end = std::min(caplen - offset, length);  // bytes of the message here
  std::string_view type;
  if (end >= 240 && d[236] == 99 && d[237] == 130 && d[238] == 83 && d[239] == 99) {
    for (std::uint32_t at = 240; at < end;) {  // the DHCP message type option
      const std::uint8_t tag = d[at++];
      if (tag == 0) continue;
      if (tag == 255 || at >= end) break;
      const std::uint32_t len = d[at++];
      if (tag == 53 && len == 1 && at < end) {
        type = dhcp_message_name(d[at]);
        if (type.empty()) type = "Unknown"sv;
        break;
      }
      at += len;
    }
  }
  out.append(",\"dhcp\":{"sv);
  if (!type.empty()) {
    out.append("\"type\":\""sv);
    out.append(type);
    out.append("\","sv);
  }
  out.append("\"xid\":\"0x"sv);
  out.append_hex_padded(load_be32(d + 4), 8);
  out.append('"');
  if (d[1] == 1 && d[2] == 6 && end >= 34) {
    out.append(",\"client\":\""sv);
    append_mac(out, d + 28);
    out.append('"');
  }
  out.append('}');
}

}  // namespace slimcap::detail
