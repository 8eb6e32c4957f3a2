// PPPoE (ethertypes 0x8863 discovery, 0x8864 session) and the PPP it carries, as tcpdump
// 4.99 prints them (print-pppoe.c, print-ppp.c): discovery tags, the PPP protocol, IP and
// IPv6 inside, control protocols' (LCP, IPCP...) first line. PPP is shared with GRE v1.

#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

// tcpdump's ppptype2str.
std::string_view ppp_protocol_name(std::uint16_t p) {
  switch (p) {
    case 0x0021: return "IP"sv;
    case 0x0023: return "OSI"sv;
    case 0x0025: return "NS"sv;
    case 0x0027: return "DECNET"sv;
    case 0x0029: return "APPLE"sv;
    case 0x002b: return "IPX"sv;
    case 0x002d: return "VJC IP"sv;
    case 0x002f: return "VJNC IP"sv;
    case 0x0031: return "BRPDU"sv;
    case 0x0033: return "STII"sv;
    case 0x0035: return "VINES"sv;
    case 0x0281:
    case 0x0283: return "MPLS"sv;
    case 0x00fd: return "Compressed"sv;
    case 0x003d: return "MLPPP"sv;
    case 0x0057: return "IP6"sv;
    case 0x0201: return "HELLO"sv;
    case 0x0231: return "LUXCOM"sv;
    case 0x8021: return "IPCP"sv;
    case 0x8023: return "OSICP"sv;
    case 0x8025: return "NSCP"sv;
    case 0x8027: return "DECNETCP"sv;
    case 0x8029: return "APPLECP"sv;
    case 0x802b: return "IPXCP"sv;
    case 0x8033: return "STIICP"sv;
    case 0x8035: return "VINESCP"sv;
    case 0x8057: return "IP6CP"sv;
    case 0x8281: return "MPLSCP"sv;
    case 0xc021: return "LCP"sv;
    case 0xc023: return "PAP"sv;
    case 0xc025: return "LQM"sv;
    case 0xc223: return "CHAP"sv;
    case 0xc227: return "EAP"sv;
    case 0xc027: return "SPAP"sv;
    case 0xc02b: return "BACP"sv;
    case 0xc02d: return "BAP"sv;
    case 0xc03d: return "MLPPP-CP"sv;
    case 0x80fd: return "CCP"sv;
    default: return {};
  }
}

namespace {

// tcpdump's cpcodes: the codes of LCP, IPCP and the other control protocols.
std::string_view control_code_name(std::uint8_t code) {
  static constexpr std::string_view kNames[16] = {
      "Vendor-Extension"sv, "Conf-Request"sv, "Conf-Ack"sv,     "Conf-Nack"sv,
      "Conf-Reject"sv,      "Term-Request"sv, "Term-Ack"sv,     "Code-Reject"sv,
      "Prot-Reject"sv,      "Echo-Request"sv, "Echo-Reply"sv,   "Disc-Req"sv,
      "Ident"sv,            "Time-Rem"sv,     "Reset-Req"sv,    "Reset-Ack"sv};
  return code < 16 ? kNames[code] : "Unknown Opcode"sv;
}

// The marker of the protocol a control protocol's options belong to.
std::string_view control_marker(std::uint16_t protocol) {
  switch (protocol) {
    case 0xc021: return "[|lcp]"sv;
    case 0x8021: return "[|ipcp]"sv;
    case 0x8057: return "[|ip6cp]"sv;
    case 0x80fd: return "[|ccp]"sv;
    case 0xc02b: return "[|bacp]"sv;
    default: return "[|ppp]"sv;
  }
}

std::string_view lcp_option_name(std::uint8_t o) {
  static constexpr std::string_view kNames[31] = {
      "Vend-Ext"sv,      "MRU"sv,         "ACCM"sv,           "Auth-Prot"sv,
      "Qual-Prot"sv,     "Magic-Num"sv,   "deprecated(6)"sv,  "PFC"sv,
      "ACFC"sv,          "FCS-Alt"sv,     "SDP"sv,            "Num-Mode"sv,
      "deprecated(12)"sv, "Call-Back"sv,  "deprecated(14)"sv, "deprecated(15)"sv,
      "deprecated(16)"sv, "MRRU"sv,       "12-Bit seq #"sv,   "End-Disc"sv,
      "Proprietary"sv,   "DCE-Id"sv,      "MP+"sv,            "Link-Disc"sv,
      "LCP-Auth-Opt"sv,  "COBS"sv,        "Prefix-elision"sv, "Multilink-header-Form"sv,
      "I18N"sv,          "SDL-over-SONET/SDH"sv, "PPP-Muxing"sv};
  return o < 31 ? kNames[o] : std::string_view{};
}

std::string_view ipcp_option_name(std::uint8_t o) {
  switch (o) {
    case 1: return "IP-Addrs"sv;
    case 2: return "IP-Comp"sv;
    case 3: return "IP-Addr"sv;
    case 4: return "Home-Addr"sv;
    case 129: return "Pri-DNS"sv;
    case 130: return "Pri-NBNS"sv;
    case 131: return "Sec-DNS"sv;
    case 132: return "Sec-NBNS"sv;
    default: return "unknown"sv;
  }
}

// The options of an LCP or IPCP Configure message, as far as slimcap decodes them (the common
// ones); the others end the list with tcpdump's marker of a cut option.
// (tcpdump checks an option's length against the message's encoded length, `encoded`, and
// only afterwards against what is left of the list.)
void append_options(const Context& c, std::uint16_t protocol, std::uint32_t at,
                    std::uint32_t length, std::uint32_t encoded, std::string_view trunc) {
  OutputBuffer& out = c.out;
  const bool lcp = protocol == 0xc021;
  const std::string_view marker = lcp ? "[|lcp]"sv : "[|ipcp]"sv;
  while (length > 0) {
    if (length < 2) return;
    if (!c.captured(at, 2)) return out.append(marker);
    const std::uint8_t* o = c.data() + at;
    const std::uint8_t type = o[0];
    const std::uint32_t len = o[1];
    if (encoded < len) return;
    const std::string_view name = lcp ? lcp_option_name(type) : ipcp_option_name(type);
    if (lcp && name.empty()) {
      out.append("\n\tunknown LCP option 0x");
      out.append_hex_padded(type, 2);
      if (len < 2) return;
      at += len;
      length -= len;
      continue;
    }
    out.append("\n\t  ");
    out.append(name);
    out.append(" Option (0x");
    out.append_hex_padded(type, 2);
    append_number(out, "), length "sv, len);
    if (len < 2) {
      out.append(" (length bogus, should be >= 2)");
      return;
    }
    // The value: a number or an address of a fixed length, or (for the options tcpdump
    // shows no value of) the data dump; the rest are not decoded here.
    unsigned value = 0;  // 2: 16-bit decimal, 4: 32-bit hex, 5: IPv4 address, 1: dump
    std::uint32_t want = 0;
    if (lcp) {
      switch (type) {
        case 1:
        case 17: value = 2, want = 4; break;
        case 2:
        case 5: value = 4, want = 6; break;
        case 0:
        case 3:
        case 4:
        case 13:
        case 19:
        case 23: return out.append(marker);
        default: value = 1; break;
      }
    } else {
      switch (type) {
        case 3:
        case 129:
        case 130:
        case 131:
        case 132: value = 5, want = 6; break;
        case 1:
        case 2:
        case 4: return out.append(marker);
        default: value = 1; break;
      }
    }
    const bool bogus = want != 0 && len != want;
    if (bogus) {
      append_number(out, " (length bogus, should be = "sv, want);
      out.append(')');
      // tcpdump goes on after LCP's MRU and ACCM, and ends the list after the others.
      if (!(lcp && (type == 1 || type == 2))) return;
    } else if (value != 1) {
      if (!c.captured(at + 2, len - 2)) {
        out.append(trunc);
        c.dump_whole = true;
        return;
      }
      if (value == 2) {
        append_number(out, ": "sv, load_be16(o + 2));
      } else if (value == 4) {
        out.append(": 0x");
        out.append_hex_padded(load_be32(o + 2), 8);
      } else {
        out.append(": ");
        append_ipv4(out, o + 2);
      }
    }
    if (!bogus && (value == 1 || c.options.verbose > 1)) {
      const std::uint32_t captured = c.caplen() > at + 2 ? c.caplen() - (at + 2) : 0;
      if (at + 2 <= c.caplen())
        append_hex_lines(out,
                         c.packet.data.subspan(at + 2, captured < len - 2 ? captured : len - 2),
                         "\n\t    "sv);
    }
    if (length < len) {  // tcpdump has read past the list by now
      append_number(out, " [remaining options length "sv, length);
      append_number(out, " < "sv, len);
      out.append("] (invalid)");
      return;
    }
    at += len;
    length -= len;
  }
}

// tcpdump's handle_ctrl_proto(): "LCP, Conf-Request (0x01), id 1, length 16"; with -v the
// encoded length, then (not decoded here) the options behind a marker.
void print_control_protocol(const Context& c, std::uint16_t protocol, std::uint32_t at,
                            std::uint32_t length, std::string_view trunc) {
  OutputBuffer& out = c.out;
  out.append(ppp_protocol_name(protocol));
  out.append(", ");
  if (length < 4 || !c.captured(at, 2)) {
    out.append("[|");
    out.append(ppp_protocol_name(protocol));
    out.append(']');
    return;
  }
  const std::uint8_t* p = c.data() + at;
  out.append(control_code_name(p[0]));
  out.append(" (0x");
  out.append_hex_padded(p[0], 2);
  append_number(out, "), id "sv, p[1]);
  append_number(out, ", length "sv, length + 2);
  if (c.options.verbose == 0) return;
  if (!c.captured(at + 2, 2)) {
    out.append(trunc);
    c.dump_whole = true;
    return;
  }
  const std::uint32_t encoded = load_be16(p + 2);
  if (encoded < 4) {
    append_number(out, "\n\tencoded length "sv, encoded);
    out.append(" (< 4))");
    return;
  }
  if (encoded > length) {
    append_number(out, "\n\tencoded length "sv, encoded);
    append_number(out, " (> packet length "sv, length);
    out.append("))");
    return;
  }
  append_number(out, "\n\tencoded length "sv, encoded);
  append_number(out, " (=Option(s) length "sv, encoded - 4);
  out.append(')');
  if (encoded == 4) return;
  if (c.options.verbose > 1) {
    // The protocol field and the header, as print_unknown_data() shows them.
    const std::uint32_t from = at - 2;
    const std::uint32_t captured = c.caplen() - from;
    append_hex_lines(out, c.packet.data.subspan(from, captured < 6 ? captured : 6), "\n\t"sv);
  }
  const std::uint8_t code = p[0];
  switch (code) {
    case 1:
    case 2:
    case 3:
    case 4:
      if (protocol == 0xc021 || protocol == 0x8021) {
        append_options(c, protocol, at + 4, encoded - 4, encoded, trunc);
        return;
      }
      break;
    case 5:
    case 6: return;  // tcpdump does not decode a Terminate's data
    default:
      if (code >= 16) {  // an unknown code: tcpdump -v dumps the message, protocol field on
        if (c.options.verbose == 1) {
          const std::uint32_t from = at - 2;
          const std::uint32_t captured = c.caplen() - from;
          append_hex_lines(out,
                           c.packet.data.subspan(from, captured < length + 2 ? captured : length + 2),
                           "\n\t  "sv);
        }
        return;
      }
      break;
    case 9:
    case 10:
    case 11:
      if (encoded == 8) {
        if (!c.captured(at + 4, 4)) {
          out.append(trunc);
          c.dump_whole = true;
          return;
        }
        out.append("\n\t  Magic-Num 0x");
        out.append_hex_padded(load_be32(p + 4), 8);
        return;
      }
      break;
  }
  out.append(control_marker(protocol));
}
}  // namespace

void print_ppp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint32_t whole = length;
  std::uint32_t at = offset;
  const auto cut = [&] { out.append(" [|ppp]"); };
  if (length < 2 || !c.captured(at, 2)) return cut();
  const std::uint16_t header = load_be16(c.data() + at);
  if (header == 0xff03 || header == 0x0103 || header == 0x0003) {
    // The address and control fields; pppd's direction bytes 0x00 in / 0x01 out with -e.
    if (c.options.link_header && header != 0xff03) out.append(header == 0x0003 ? "In  "sv : "Out "sv);
    at += 2;
    length -= 2;
  }
  if (length < 2 || !c.captured(at, 1)) return cut();
  std::uint16_t protocol;
  if (c.data()[at] & 1) {  // a compressed protocol field (PFC)
    protocol = c.data()[at];
    at += 1;
    length -= 1;
  } else {
    if (!c.captured(at, 2)) {
      c.dump_whole = true;
      return cut();
    }
    protocol = load_be16(c.data() + at);
    at += 2;
    length -= 2;
  }
  const std::string_view name = ppp_protocol_name(protocol);
  if (c.options.link_header) {
    out.append(name.empty() ? "unknown"sv : name);
    out.append(" (0x");
    out.append_hex_padded(protocol, 4);
    append_number(out, "), length "sv, whole);
    if (name.empty()) return;
    out.append(": ");
  }
  print_ppp_protocol(c, protocol, at, length, " [|ppp]"sv);
}

// What a PPP protocol field announces, from `at` on (tcpdump's handle_ppp()).
void print_ppp_protocol(const Context& c, std::uint16_t protocol, std::uint32_t at,
                        std::uint32_t length, std::string_view trunc) {
  OutputBuffer& out = c.out;
  const auto cut = [&] { out.append(trunc); };
  const std::string_view name = ppp_protocol_name(protocol);
  if ((protocol & 0xff00) == 0x7e00) {  // HDLC escapes: not decoded here
    cut();
    return;
  }
  switch (protocol) {
    case 0xc021:
    case 0x8021:
    case 0x8023:
    case 0x8281:
    case 0x8057:
    case 0x80fd:
    case 0xc02b: print_control_protocol(c, protocol, at, length, trunc); return;
    case 0x0021:
    case 0x002f:
    case 0x0800: print_inner_ip(c, at, length, 4); return;
    case 0x0057:
    case 0x86dd: print_inner_ip(c, at, length, 6); return;
    case 0x0281:
    case 0x0283: print_mpls(c, at, length); return;
    case 0x00fd: out.append("compressed PPP data"); return;
    // tcpdump decodes these; slimcap does not.
    case 0xc023: out.append("[|pap]"); return;
    case 0xc223: out.append("[|chap]"); return;
    case 0xc02d: out.append("[|bap]"); return;
    case 0x003d: out.append("[|mlppp]"); return;
    case 0x0023: out.append("[|isoclns]"); return;
    case 0x002b: out.append("[|ipx]"); return;
    default: {
      if (name.empty()) {
        out.append("unknown PPP protocol (0x");
        out.append_hex_padded(protocol, 4);
        out.append(") ");
      } else {
        out.append(name);
        out.append(' ');
      }
      const std::uint32_t captured = c.caplen() > at ? c.caplen() - at : 0;
      append_hex_lines(out, c.packet.data.subspan(at, captured < length ? captured : length),
                       "\n\t"sv);
      return;
    }
  }
}

namespace {

std::string_view pppoe_tag_name(std::uint16_t t) {
  switch (t) {
    case 0x0000: return "EOL"sv;
    case 0x0101: return "Service-Name"sv;
    case 0x0102: return "AC-Name"sv;
    case 0x0103: return "Host-Uniq"sv;
    case 0x0104: return "AC-Cookie"sv;
    case 0x0105: return "Vendor-Specific"sv;
    case 0x0110: return "Relay-Session-ID"sv;
    case 0x0120: return "PPP-Max-Payload"sv;
    case 0x0201: return "Service-Name-Error"sv;
    case 0x0202: return "AC-System-Error"sv;
    case 0x0203: return "Generic-Error"sv;
    default: return {};
  }
}

void append_tag_name(OutputBuffer& out, std::uint16_t t) {
  const std::string_view name = pppoe_tag_name(t);
  if (!name.empty()) return out.append(name);
  out.append("TAG-0x");
  out.append_hex(t);
}

}  // namespace

void print_pppoe(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (length < 6) {
    append_number(out, " (length "sv, length);
    out.append(" < 6) (invalid)");
    return;
  }
  if (!c.captured(offset, 6)) {
    out.append(" [|pppoe]");
    return;
  }
  length -= 6;
  const std::uint8_t* h = c.data() + offset;
  const unsigned version = h[0] >> 4, type = h[0] & 15u;
  const std::uint8_t code = h[1];
  const std::uint16_t session = load_be16(h + 2);
  std::uint32_t payload = load_be16(h + 4);
  if (version != 1) {
    append_number(out, " [ver "sv, version);
    out.append(']');
  }
  if (type != 1) {
    append_number(out, " [type "sv, type);
    out.append(']');
  }
  out.append("PPPoE ");
  switch (code) {
    case 0x09: out.append("PADI"); break;
    case 0x07: out.append("PADO"); break;
    case 0x19: out.append("PADR"); break;
    case 0x65: out.append("PADS"); break;
    case 0xa7: out.append("PADT"); break;
    case 0x00: break;
    default:
      out.append("PAD-");
      out.append_hex(code);
      break;
  }
  if (code == 0x09 && payload > 1484 - 6) {
    append_number(out, " [len "sv, payload);
    out.append("!]");
  }
  if (payload > length) {
    append_number(out, " [len "sv, payload);
    append_number(out, " > "sv, length);
    out.append("!]");
    payload = length;
  }
  if (session != 0) {
    out.append(" [ses 0x");
    out.append_hex(session);
    out.append(']');
  }
  const std::uint32_t start = offset + 6;
  if (code == 0) {
    out.append(' ');
    print_ppp(c, start, payload);
    return;
  }
  // Discovery: the tags, up to an End-Of-List tag or the payload's end.
  std::uint32_t at = start;
  std::uint16_t tag = 0xffff;
  while (tag != 0 && at < start + payload) {
    if (!c.captured(at, 4)) {
      out.append(" [|pppoe]");
      return;
    }
    tag = load_be16(c.data() + at);
    const std::uint32_t tag_length = load_be16(c.data() + at + 2);
    at += 4;
    if (tag_length == 0) {
      out.append(" [");
      append_tag_name(out, tag);
      out.append(']');
      continue;
    }
    if (!c.captured(at, tag_length)) {
      out.append(" [|pppoe]");
      return;
    }
    const std::uint8_t* v = c.data() + at;
    // Text when most of the first 79 bytes are printable, else hex.
    const std::uint32_t shown = tag_length < 79 ? tag_length : 79;
    std::uint32_t printable = 0;
    for (std::uint32_t i = 0; i < shown; ++i)
      if (v[i] >= 0x20 && v[i] < 0x7f) ++printable;
    out.append(" [");
    append_tag_name(out, tag);
    if (printable > shown - printable) {
      out.append(" \"");
      for (std::uint32_t i = 0; i < shown; ++i)
        out.append(v[i] >= 0x20 && v[i] < 0x7f ? static_cast<char>(v[i]) : '.');
      out.append("\"]");
    } else {
      out.append(" 0x");
      static constexpr char kHex[] = "0123456789ABCDEF";
      for (std::uint32_t i = 0; i < tag_length; ++i) {
        out.append(kHex[v[i] >> 4]);
        out.append(kHex[v[i] & 15]);
      }
      out.append(']');
    }
    at += tag_length;
  }
}

}  // namespace slimcap::detail
