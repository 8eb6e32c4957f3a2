// Link types other than Ethernet and the cooked/NULL/raw family of print.cpp: PPP (bare and
// in HDLC framing), Cisco HDLC, Linux NFLOG and IP over InfiniBand, as tcpdump 4.99 prints
// them (print-ppp.c, print-chdlc.c, print-nflog.c, print-ipoib.c). The decoder (decode.cpp) finds their network layer; these
// print the link header tcpdump shows (always, or with -e) and hand the rest to
// print_network() or to the ethertype's dissector.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

bool network_known(const Summary& s) {
  return s.network == Network::ipv4 || s.network == Network::ipv6 || s.network == Network::arp;
}

// Cisco HDLC: "unicast, ethertype IPv4 (0x0800), length 44: " with -e.
void print_cisco_hdlc(const Context& c, bool& default_dump, std::uint32_t& header_length) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const bool e = c.options.link_header;
  if (s.truncated == Layer::link) {
    out.append(" [|chdlc]");
    header_length = 0;  // tcpdump dumps the cut header with -x
    return;
  }
  header_length = 4;
  const std::uint8_t* p = c.data();
  if (e) {
    switch (p[0]) {
      case 0x0f: out.append("unicast"); break;
      case 0x8f: out.append("bcast"); break;
      default:
        out.append("0x");
        out.append_hex8(p[0]);
        break;
    }
    out.append(", ethertype ");
    const std::string_view name = ethertype_name(s.ethertype);
    out.append(name.empty() ? "Unknown"sv : name);
    out.append(" (0x");
    out.append_hex8(static_cast<std::uint8_t>(s.ethertype >> 8));
    out.append_hex8(static_cast<std::uint8_t>(s.ethertype));
    append_number(out, "), length "sv, c.packet.wire_length);
    out.append(": ");
  }
  switch (s.ethertype) {
    case 0x0800:
    case 0x86dd: print_network(c, !e); return;
    case 0x8035: {  // SLARP
      // tcpdump's chdlc_slarp_print().
      const std::uint32_t off = 4;
      const std::uint32_t length = c.packet.wire_length - 4;
      append_number(out, "SLARP (length: "sv, length);
      out.append("), ");
      if (length < 14 || !c.captured(off, 14)) {
        out.append(" [|chdlc_slarp]");
        return;
      }
      const std::uint8_t* q = p + off;
      const std::uint32_t code = load_be32(q);
      auto hex32 = [&](std::uint32_t v) {
        for (int i = 24; i >= 0; i -= 8) out.append_hex8(static_cast<std::uint8_t>(v >> i));
      };
      // tcpdump's print_unknown_data(): what was captured of the bytes after the code.
      // (tcpdump moves its pointer past the keepalive's fixed part before reading the
      // uptime and does not move it back: -vv then dumps from 14 bytes further on.)
      std::uint32_t base = off;
      auto unknown_data = [&] {
        const std::uint32_t from = base + 4;
        const std::uint32_t available = c.caplen() > from ? c.caplen() - from : 0;
        const std::uint32_t n = length - 4 < available ? length - 4 : available;
        append_dump(out, c.packet.data.subspan(from, n), DumpStyle::hex);
      };
      switch (code) {
        case 0: out.append("request"); break;
        case 1:
          out.append("reply ");
          append_ipv4(out, q + 4);
          out.append('/');
          append_ipv4(out, q + 8);
          break;
        case 2: {
          out.append("keepalive: mineseen=0x");
          hex32(load_be32(q + 4));
          out.append(", yourseen=0x");
          hex32(load_be32(q + 8));
          out.append(", reliability=0x");
          out.append_hex8(q[12]);
          out.append_hex8(q[13]);
          if (length >= 18) {
            if (!c.captured(off + 14, 4)) {
              out.append(" [|chdlc_slarp]");
              c.dump_whole = true;
              return;
            }
            base = off + 14;
            std::uint32_t sec = load_be32(q + 14) / 1000;
            std::uint32_t min = sec / 60;
            sec -= min * 60;
            std::uint32_t hrs = min / 60;
            min -= hrs * 60;
            const std::uint32_t days = hrs / 24;
            hrs -= days * 24;
            append_number(out, ", link uptime="sv, days);
            append_number(out, "d"sv, hrs);
            append_number(out, "h"sv, min);
            append_number(out, "m"sv, sec);
            out.append('s');
          }
          break;
        }
        default:
          // printf("0x%02x") of the 32-bit code: at least two digits.
          out.append("0x");
          if (code > 0xff) {
            char digits[8];
            int n = 0;
            for (std::uint32_t v = code; v != 0; v >>= 4) digits[n++] = "0123456789abcdef"[v & 15];
            while (n > 0) out.append(digits[--n]);
          } else {
            out.append_hex8(static_cast<std::uint8_t>(code));
          }
          out.append(" unknown");
          if (c.options.verbose <= 1) unknown_data();
          break;
      }
      if (length > 18 && c.options.verbose > 0) {
        append_number(out, ", (trailing junk: "sv, length - 18);
        out.append(" bytes)");
      }
      if (c.options.verbose > 1) unknown_data();
      return;
    }
    default:
      if (const PayloadPrinter dissect = ethertype_printer(s.ethertype);
          dissect != nullptr && (s.ethertype == 0x8847 || s.ethertype == 0x8848)) {
        dissect(c, 4, c.packet.wire_length - 4);
        return;
      }
      if (s.ethertype == 0x8847 || s.ethertype == 0x8848 || s.ethertype == 0x00fe) {
        out.append("[|chdlc]");  // MPLS and OSI: not decoded here
        return;
      }
      if (!e) {
        out.append("unknown CHDLC protocol (0x");
        out.append_hex8(static_cast<std::uint8_t>(s.ethertype >> 8));
        out.append_hex8(static_cast<std::uint8_t>(s.ethertype));
        out.append(')');
      }
      return;
  }
  (void)default_dump;
}

void append_nflog_header(const Context& c, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint8_t* p = c.data();
  append_number(out, "version "sv, p[1]);
  append_number(out, ", resource ID "sv, load_be16(p + 2));
  const std::string_view family = p[0] == 2 ? "IPv4"sv : p[0] == 10 ? "IPv6"sv : ""sv;
  if (!c.options.quiet) {
    out.append(", family ");
    out.append(family.empty() ? "Unknown"sv : family);
    append_number(out, " ("sv, p[0]);
    out.append(')');
  } else if (family.empty()) {
    out.append(", Unknown NFLOG (0x");
    out.append_hex8(p[0]);
    out.append(')');
  } else {
    out.append(", ");
    out.append(family);
  }
  append_number(out, ", length "sv, length);
  out.append(": ");
}

// Linux NFLOG: the header only with -e ("version 0, resource ID 5, family IPv4 (2), length
// 64: "), or when the family is not IP.
void print_nflog(const Context& c, bool& default_dump, std::uint32_t& header_length) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const bool e = c.options.link_header;
  header_length = s.link_header_length;
  if (c.caplen() < 4) {
    out.append(" [|nflog]");
    header_length = c.caplen();
    return;
  }
  const std::uint8_t* p = c.data();
  if (p[1] != 0) {
    append_number(out, "version "sv, p[1]);
    out.append(" (unknown)");
    header_length = 4;
    return;
  }
  if (e) append_nflog_header(c, c.packet.wire_length);
  if (s.truncated == Layer::link) {
    out.append(" [|nflog]");
    return;
  }
  if (s.network == Network::ipv4 || s.network == Network::ipv6) {
    print_network(c, !e);
    return;
  }
  if (!e) append_nflog_header(c, c.packet.wire_length - s.network_offset + 4);
  default_dump = true;
}

// IP over InfiniBand: "IPOIB, ethertype IPv4 (0x0800), length 44: " with -e, then the
// ethertype's printer; an ethertype nothing prints gets the header without "IPOIB" and a dump.
void print_ipoib(const Context& c, bool& default_dump, std::uint32_t& header_length) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const bool e = c.options.link_header;
  header_length = 44;
  if (s.truncated == Layer::link) {
    out.append(" [|ipoib]");
    return;
  }
  const PayloadPrinter dissect = network_known(s) ? nullptr : ethertype_printer(s.ethertype);
  const bool known = network_known(s) || dissect != nullptr;
  if (e || !known) {
    if (e) out.append("IPOIB");
    out.append(", ethertype ");
    const std::string_view name = ethertype_name(s.ethertype);
    out.append(name.empty() ? "Unknown"sv : name);
    if (!c.options.quiet) {
      out.append(" (0x");
      out.append_hex8(static_cast<std::uint8_t>(s.ethertype >> 8));
      out.append_hex8(static_cast<std::uint8_t>(s.ethertype));
      out.append(')');
    }
    append_number(out, ", length "sv, c.packet.wire_length);
    out.append(": ");
  }
  if (dissect != nullptr) {
    dissect(c, 44, c.packet.wire_length - 44);
  } else if (known) {
    print_network(c, !e);
  } else {
    default_dump = true;
  }
}

// LINKTYPE_PPP: tcpdump's ppp_if_print(), the frame from its address and control fields on.
void print_ppp_link(const Context& c, std::uint32_t& header_length) {
  header_length = 4;  // tcpdump's PPP_HDRLEN, whatever the header's real length
  if (c.caplen() < 4) {
    c.out.append(" [|ppp]");
    header_length = c.caplen();
    return;
  }
  print_ppp(c, 0, c.packet.wire_length);
}

// LINKTYPE_PPP_HDLC (PPP in HDLC-like framing, RFC 1662): tcpdump's ppp_hdlc_if_print(),
// which also takes Cisco HDLC frames.
void print_ppp_serial(const Context& c, bool& default_dump, std::uint32_t& header_length) {
  OutputBuffer& out = c.out;
  const std::uint8_t* p = c.data();
  const std::uint32_t wire = c.packet.wire_length;
  header_length = 0;
  if (c.caplen() < 2) {
    out.append(" [|ppp_hdlc]");
    header_length = c.caplen();
    return;
  }
  if (p[0] == 0x0f || p[0] == 0x8f) {
    print_cisco_hdlc(c, default_dump, header_length);
    return;
  }
  if (c.caplen() < 4) {
    out.append(" [|ppp_hdlc]");
    header_length = c.caplen();
    return;
  }
  if (c.options.link_header) {
    out.append_hex8(p[0]);
    out.append(' ');
    out.append_hex8(p[1]);
    append_number(out, " "sv, wire);
    out.append(' ');
  }
  header_length = 2;
  if (p[0] != 0xff) {
    out.append("unknown addr ");
    out.append_hex8(p[2]);
    out.append("; ctrl ");
    out.append_hex8(p[3]);
    return;
  }
  const std::uint16_t protocol = load_be16(p + 2);
  header_length = 4;
  const std::string_view name = ppp_protocol_name(protocol);
  if (name.empty()) {
    out.append("unknown PPP protocol (0x");
    for (int shift = 12; shift >= 0; shift -= 4) out.append("0123456789abcdef"[(protocol >> shift) & 15]);
    out.append(')');
  } else {
    out.append(name);
  }
  out.append(": ");
  print_ppp_protocol(c, protocol, 4, wire - 4, " [|ppp_hdlc]"sv);
}

}  // namespace

bool print_more_link_types(const Context& c, bool& default_dump, std::uint32_t& header_length) {
  switch (c.packet.link_type) {
    case link_type::kPpp: print_ppp_link(c, header_length); return true;
    case link_type::kPppSerial: print_ppp_serial(c, default_dump, header_length); return true;
    case link_type::kCiscoHdlc: print_cisco_hdlc(c, default_dump, header_length); return true;
    case link_type::kNflog: print_nflog(c, default_dump, header_length); return true;
    case link_type::kIpoib: print_ipoib(c, default_dump, header_length); return true;
    case link_type::kIeee80211:
    case link_type::kIeee80211Radiotap: print_80211(c, default_dump, header_length); return true;
    default: return false;
  }
}

}  // namespace slimcap::detail
