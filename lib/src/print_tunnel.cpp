// Tunnels as tcpdump 4.99 prints them, the inner packet on the same line: IP in IP (IP
// protocols 4 and 41), GRE (47; versions 0 and 1, PPTP's), VXLAN (UDP 4789) and Geneve
// (UDP 6081); and --json's "tunnel" object. MPLS is in print_mpls.cpp, PPPoE and PPP in
// print_pppoe.cpp. docs/dissectors/tunnel.md lists what is covered.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

inline std::uint32_t load_be24(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 16 | static_cast<std::uint32_t>(p[1]) << 8 | p[2];
}

// tcpdump's ethertype_values: the name of a GRE / Geneve protocol type, "unknown" for the rest.
std::string_view protocol_type_name(std::uint16_t t) {
  switch (t) {
    case 0x00fe: return "GRE-OSI"sv;
    case 0x0200: return "PUP"sv;
    case 0x0500: return "Sprite"sv;
    case 0x0600: return "NS"sv;
    case 0x0707: return "GeoNet (old)"sv;
    case 0x0800: return "IPv4"sv;
    case 0x0806: return "ARP"sv;
    case 0x1000: return "Trail"sv;
    case 0x1111: return "CALM FAST"sv;
    case 0x6001: return "MOP DL"sv;
    case 0x6002: return "MOP RC"sv;
    case 0x6003: return "DN"sv;
    case 0x6004: return "LAT"sv;
    case 0x6007: return "SCA"sv;
    case 0x6558: return "TEB"sv;
    case 0x8035: return "Reverse ARP"sv;
    case 0x8038: return "Lanbridge"sv;
    case 0x803c: return "DEC DNS"sv;
    case 0x803e: return "DEC DTS"sv;
    case 0x805b: return "VEXP"sv;
    case 0x805c: return "VPROD"sv;
    case 0x809b: return "Appletalk"sv;
    case 0x80f3: return "Appletalk ARP"sv;
    case 0x8100: return "802.1Q"sv;
    case 0x8137: return "IPX"sv;
    case 0x86dd: return "IPv6"sv;
    case 0x8808: return "MPCP"sv;
    case 0x8809: return "Slow Protocols"sv;
    case 0x880b: return "PPP"sv;
    case 0x8847: return "MPLS unicast"sv;
    case 0x8848: return "MPLS multicast"sv;
    case 0x8863: return "PPPoE D"sv;
    case 0x8864: return "PPPoE S"sv;
    case 0x886f: return "MS NLB heartbeat"sv;
    case 0x8870: return "Jumbo"sv;
    case 0x888e: return "EAPOL"sv;
    case 0x8899: return "Realtek protocols"sv;
    case 0x88a2: return "AoE"sv;
    case 0x88a8: return "802.1Q-QinQ"sv;
    case 0x88ca: return "TIPC"sv;
    case 0x88cc: return "LLDP"sv;
    case 0x88e5: return "802.1AE MACsec"sv;
    case 0x88f7: return "PTP"sv;
    case 0x8902: return "CFM"sv;
    case 0x893a: return "IEEE1905.1"sv;
    case 0x8947: return "GeoNet"sv;
    case 0x894f: return "NSH"sv;
    case 0x9000: return "Loopback"sv;
    case 0x9100: return "802.1Q-9100"sv;
    case 0x9200: return "802.1Q-9200"sv;
    case 0xabcd: return "CFM (old)"sv;
    case 0xd28b: return "Arista Vendor Specific Protocol"sv;
    case 0xfefe: return "OSI"sv;
    default: return "unknown"sv;
  }
}

// ", proto IPv4 (0x0800)" (tcpdump -e).
void append_protocol_type(OutputBuffer& out, std::uint16_t t) {
  out.append(", proto ");
  out.append(protocol_type_name(t));
  out.append(" (0x");
  out.append_hex_padded(t, 4);
  out.append(')');
}

// --- GRE (print-gre.c) -------------------------------------------------------------------------

constexpr std::uint16_t kGreChecksum = 0x8000;
constexpr std::uint16_t kGreRouting = 0x4000;
constexpr std::uint16_t kGreKey = 0x2000;
constexpr std::uint16_t kGreSequence = 0x1000;
constexpr std::uint16_t kGreStrictRoute = 0x0800;
constexpr std::uint16_t kGreAck = 0x0080;

void append_gre_flags(OutputBuffer& out, std::uint16_t flags) {
  static constexpr struct {
    std::uint16_t bit;
    std::string_view name;
  } kNames[] = {{kGreChecksum, "checksum present"sv},   {kGreRouting, "routing present"sv},
                {kGreKey, "key present"sv},             {kGreSequence, "sequence# present"sv},
                {kGreStrictRoute, "source routing present"sv}, {kGreAck, "ack present"sv}};
  out.append(", Flags [");
  bool any = false;
  for (const auto& n : kNames) {
    if (!(flags & n.bit)) continue;
    if (any) out.append(", ");
    out.append(n.name);
    any = true;
  }
  if (!any) out.append("none");
  out.append(']');
}

// The GRE header's fields, read in order against both the capture and the GRE length.
struct GreCursor {
  const Context& c;
  std::uint32_t at;   // next field
  std::uint32_t len;  // GRE bytes left from `at`
  bool take(std::uint32_t n) const { return c.captured(at, n) && len >= n; }
  void skip(std::uint32_t n) {
    at += n;
    len -= n;
  }
  const std::uint8_t* here() const { return c.data() + at; }
};

// One source route entry of RFC 1701 ("(rtaf=ip *192.0.2.1 192.0.2.2)"); false when cut.
bool append_gre_route(GreCursor& g, std::uint16_t family, std::uint8_t offset,
                      std::uint8_t length) {
  OutputBuffer& out = g.c.out;
  if (family == 0x0800 || family == 0xfffe) {
    const bool ip = family == 0x0800;
    const std::uint32_t unit = ip ? 4 : 2;
    out.append(ip ? ", (rtaf=ip"sv : ", (rtaf=asn"sv);
    if (offset % unit != 0) {
      out.append(", badoffset=");
      out.append_uint(offset);
    } else if (length % unit != 0) {
      out.append(", badlength=");
      out.append_uint(length);
    } else if (offset >= length) {
      out.append(", badoff/len=");
      out.append_uint(offset);
      out.append('/');
      out.append_uint(length);
    } else {
      for (std::uint32_t i = 0; i < length; i += unit) {
        if (!g.c.captured(g.at + i, unit) || g.len < i + unit) {
          out.append(')');
          return false;
        }
        out.append(i == offset ? " *"sv : " "sv);
        if (ip)
          append_ipv4(out, g.here() + i);
        else
          out.append_hex(load_be16(g.here() + i));
      }
    }
    out.append(')');
    return true;
  }
  out.append(", (rtaf=0x");
  out.append_hex(family);
  out.append(')');
  return true;
}

void print_gre_v0(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint16_t flags = load_be16(c.data() + offset);
  if (c.options.verbose > 0) append_gre_flags(out, flags);
  GreCursor g{c, offset + 2, length - 2};
  const auto cut = [&] { out.append(" [|gre]"); };
  if (!g.take(2)) return cut();
  const std::uint16_t type = load_be16(g.here());
  g.skip(2);
  if (flags & (kGreChecksum | kGreRouting)) {
    if (!g.take(2)) return cut();
    if (c.options.verbose > 0) {
      out.append(", sum 0x");
      out.append_hex(load_be16(g.here()));
    }
    g.skip(2);
    if (!g.take(2)) return cut();
    out.append(", off 0x");
    out.append_hex(load_be16(g.here()));
    g.skip(2);
  }
  if (flags & kGreKey) {
    if (!g.take(4)) return cut();
    out.append(", key=0x");
    out.append_hex(load_be32(g.here()));
    g.skip(4);
  }
  if (flags & kGreSequence) {
    if (!g.take(4)) return cut();
    append_number(out, ", seq "sv, load_be32(g.here()));
    g.skip(4);
  }
  if (flags & kGreRouting) {
    for (;;) {
      if (!g.take(4)) return cut();
      const std::uint16_t family = load_be16(g.here());
      const std::uint8_t sre_offset = g.here()[2];
      const std::uint8_t sre_length = g.here()[3];
      g.skip(4);
      if (family == 0 && sre_length == 0) break;
      if (!append_gre_route(g, family, sre_offset, sre_length)) return cut();
      if (g.len < sre_length) return cut();
      g.skip(sre_length);
    }
  }
  if (c.options.link_header) append_protocol_type(out, type);
  append_number(out, ", length "sv, length);
  out.append(c.options.verbose > 0 ? "\n\t"sv : ": "sv);
  switch (type) {
    case 0x0800: print_inner_ip(c, g.at, g.len, 4); return;
    case 0x86dd: print_inner_ip(c, g.at, g.len, 6); return;
    case 0x8847: print_mpls(c, g.at, g.len); return;
    case 0x6558: print_inner_frame(c, g.at, g.len, link_type::kEthernet); return;
    // tcpdump decodes these; slimcap does not.
    case 0x8137: out.append("[|ipx]"); return;
    case 0x809b: out.append("[|atalk]"); return;
    case 0x00fe: out.append("[|isoclns]"); return;
    default:
      out.append("gre-proto-0x");
      out.append_hex(type);
      return;
  }
}

// Version 1: PPTP's enhanced GRE (RFC 2637), carrying PPP.
void print_gre_v1(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint16_t flags = load_be16(c.data() + offset);
  if (c.options.verbose > 0) append_gre_flags(out, flags);
  GreCursor g{c, offset + 2, length - 2};
  const auto cut = [&] { out.append(" [|gre]"); };
  if (!g.take(2)) return cut();
  const std::uint16_t type = load_be16(g.here());
  g.skip(2);
  if (flags & kGreKey) {
    if (!g.take(4)) return cut();
    append_number(out, ", call "sv, load_be32(g.here()) & 0xffff);
    g.skip(4);
  }
  if (flags & kGreSequence) {
    if (!g.take(4)) return cut();
    append_number(out, ", seq "sv, load_be32(g.here()));
    g.skip(4);
  }
  if (flags & kGreAck) {
    if (!g.take(4)) return cut();
    append_number(out, ", ack "sv, load_be32(g.here()));
    g.skip(4);
  }
  if (!(flags & kGreSequence)) out.append(", no-payload");
  if (c.options.link_header) append_protocol_type(out, type);
  append_number(out, ", length "sv, length);
  if (!(flags & kGreSequence)) return;
  out.append(c.options.verbose > 0 ? "\n\t"sv : ": "sv);
  if (type == 0x880b) {
    print_ppp(c, g.at, g.len);
    return;
  }
  out.append("gre-proto-0x");
  out.append_hex(type);
}

// --- Geneve (print-geneve.c) -------------------------------------------------------------------

std::string_view geneve_class_name(std::uint16_t c) {
  switch (c) {
    case 0x0100: return "Linux"sv;
    case 0x0101: return "Open vSwitch"sv;
    case 0x0102: return "Open Virtual Networking (OVN)"sv;
    case 0x0103: return "In-band Network Telemetry (INT)"sv;
    case 0x0104: return "VMware"sv;
    default:
      if (c <= 0x00ff) return "Standard"sv;
      if (c >= 0xfff0) return "Experimental"sv;
      return "Unknown"sv;
  }
}

// -v: "class Linux (0x100) type 0x1 len 8" for each option (all captured), -vv its data.
void append_geneve_options(const Context& c, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  bool first = true;
  while (len > 0) {
    if (!first) out.append(", ");
    first = false;
    const std::uint8_t* o = c.data() + at;
    const std::uint16_t option_class = load_be16(o);
    const std::uint8_t type = o[2];
    const std::uint32_t option_length = 4 + (o[3] & 0x1fu) * 4;
    out.append("class ");
    out.append(geneve_class_name(option_class));
    out.append(" (0x");
    out.append_hex(option_class);
    out.append(") type 0x");
    out.append_hex(type);
    if (type & 0x80) out.append("(C)");
    append_number(out, " len "sv, option_length);
    if (option_length > len) {
      out.append(" [bad length]");
      return;
    }
    if (c.options.verbose > 1 && option_length > 4) {
      out.append(" data");
      for (std::uint32_t i = 4; i < option_length; i += 4) {
        out.append(' ');
        out.append_hex_padded(load_be32(o + i), 8);
      }
    }
    at += option_length;
    len -= option_length;
  }
}

// The ethertypes tcpdump's ethertype_print() decodes and slimcap does not: a marker.
std::string_view undecoded_ethertype_marker(std::uint16_t t) {
  switch (t) {
    case 0x0806:
    case 0x8035: return "[|arp]"sv;
    case 0x8137: return "[|ipx]"sv;
    case 0x809b: return "[|atalk]"sv;
    case 0x80f3: return "[|aarp]"sv;
    case 0x888e: return "[|eap]"sv;
    case 0x88cc: return "[|lldp]"sv;
    case 0x8809: return "[|slow]"sv;
    case 0x894f: return "[|nsh]"sv;
    case 0x9000: return "[|loopback]"sv;
    case 0x880b: return "[|ppp]"sv;
    default: return {};
  }
}

}  // namespace

// --- IP in IP ----------------------------------------------------------------------------------

void print_ipip(const Context& c, bool) {
  print_inner_ip(c, c.s.transport_offset, c.s.transport_length, 4);
}

void print_ipv6_in_ip(const Context& c, bool) {
  print_inner_ip(c, c.s.transport_offset, c.s.transport_length, 6);
}

void print_gre(const Context& c, bool) {
  OutputBuffer& out = c.out;
  const std::uint32_t offset = c.s.transport_offset;
  const std::uint32_t length = c.s.transport_length;
  if (!c.captured(offset, 2)) {
    out.append(" [|gre]");
    return;
  }
  out.append("GRE");
  if (length < 2) {
    out.append(" [|gre]");
    return;
  }
  const unsigned version = c.data()[offset + 1] & 7u;
  out.append('v');
  out.append_uint(version);
  switch (version) {
    case 0: print_gre_v0(c, offset, length); return;
    case 1: print_gre_v1(c, offset, length); return;
    default: out.append(" ERROR: unknown-version"); return;
  }
}

// "VXLAN, flags [I] (0x08), vni 100" and a new line (tcpdump's), then the inner frame.
void print_vxlan(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  out.append("VXLAN");
  if (length < 8) {
    out.append(" (invalid)");
    return;
  }
  const auto cut = [&] { out.append(" [|vxlan]"); };
  if (!c.captured(offset, 1)) return cut();
  const std::uint8_t* h = c.data() + offset;
  out.append(", flags [");
  out.append((h[0] & 0x08) ? "I"sv : "invalid"sv);
  out.append("] (0x");
  out.append_hex_padded(h[0], 2);
  out.append("), ");
  if (!c.captured(offset + 4, 3)) return cut();
  append_number(out, "vni "sv, load_be24(h + 4));
  out.append('\n');
  if (!c.captured(offset, 8)) return cut();
  print_inner_frame(c, offset + 8, length - 8, link_type::kEthernet);
}

void print_geneve(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  out.append("Geneve");
  if (length < 8) {
    append_number(out, " [length "sv, length);
    out.append(" < 8] (invalid)");
    return;
  }
  if (!c.captured(offset, 8)) {
    out.append(" [|geneve]");
    return;
  }
  const std::uint8_t* h = c.data() + offset;
  if (const unsigned version = h[0] >> 6; version != 0) {
    append_number(out, " ERROR: unknown-version "sv, version);
    return;
  }
  const std::uint16_t type = load_be16(h + 2);
  out.append(", Flags [");
  if (h[1] == 0) {
    out.append("none");
  } else {
    static constexpr std::string_view kFlags[8] = {"O"sv,  "C"sv,  "R1"sv, "R2"sv,
                                                   "R3"sv, "R4"sv, "R5"sv, "R6"sv};
    for (unsigned i = 0; i < 8; ++i)
      if (h[1] & (0x80u >> i)) out.append(kFlags[i]);
  }
  out.append("], vni 0x");
  out.append_hex(load_be24(h + 4));
  if (h[7] != 0) {
    out.append(", rsvd 0x");
    out.append_hex(h[7]);
  }
  if (c.options.link_header) append_protocol_type(out, type);
  const std::uint32_t options = (h[0] & 0x3fu) * 4;
  // (tcpdump's length left after the fixed header, in its unsigned arithmetic.)
  const std::uint32_t len = length - 8;
  if (len < options) {
    append_number(out, " truncated-geneve - "sv, options - len);
    out.append(" bytes missing");
    return;
  }
  if (!c.captured(offset + 8, options)) {
    out.append(" [|geneve]");
    return;
  }
  if (options > 0) {
    out.append(", options [");
    if (c.options.verbose > 0) {
      append_geneve_options(c, offset + 8, options);
    } else {
      out.append_uint(options);
      out.append(" bytes");
    }
    out.append(']');
  }
  out.append(c.options.verbose > 0 ? "\n\t"sv : ": "sv);
  const std::uint32_t inner = offset + 8 + options;
  const std::uint32_t inner_length = len - options;
  switch (type) {
    case 0x0800: print_inner_ip(c, inner, inner_length, 4); return;
    case 0x86dd: print_inner_ip(c, inner, inner_length, 6); return;
    case 0x8847:
    case 0x8848: print_mpls(c, inner, inner_length); return;
    case 0x8863:
    case 0x8864: print_pppoe(c, inner, inner_length); return;
    case 0x6558: print_inner_frame(c, inner, inner_length, link_type::kEthernet); return;
    default: {
      const std::string_view marker = undecoded_ethertype_marker(type);
      if (!marker.empty()) {
        out.append(marker);
        return;
      }
      out.append("geneve-proto-0x");
      out.append_hex(type);
      return;
    }
  }
}

// --- --json's "tunnel" -------------------------------------------------------------------------

namespace {

struct TunnelFound {
  std::string_view type;
  bool has_id = false;
  std::uint32_t id = 0;
  // The inner packet: where it starts, its link type (Ethernet or an IP version's).
  bool has_inner = false;
  std::uint32_t inner_offset = 0;
  std::uint32_t inner_link = 0;
};

// The link type of an IP packet announced by an ethertype, 0 for other types.
std::uint32_t ip_link_of(std::uint16_t ethertype) {
  return ethertype == 0x0800 ? link_type::kIpv4 : ethertype == 0x86dd ? link_type::kIpv6 : 0;
}

bool find_mpls(const PacketView& p, std::uint32_t at, TunnelFound& t) {
  const std::uint32_t caplen = p.caplen();
  const std::uint8_t* d = p.data.data();
  t.type = "mpls"sv;
  if (at > caplen || caplen - at < 4) return true;
  t.has_id = true;
  t.id = load_be32(d + at) >> 12;
  std::uint32_t label = t.id;
  while (at <= caplen && caplen - at >= 4) {
    const std::uint32_t entry = load_be32(d + at);
    label = entry >> 12;
    at += 4;
    if (entry & 0x100) {
      if (label == 0 || label == 3) {
        t.inner_link = link_type::kIpv4;
      } else if (label == 2) {
        t.inner_link = link_type::kIpv6;
      } else if (at < caplen) {
        const unsigned nibble = d[at] >> 4;
        t.inner_link = nibble == 4 && d[at] >= 0x45 ? link_type::kIpv4
                       : nibble == 6               ? link_type::kIpv6
                                                   : 0;
      }
      t.has_inner = t.inner_link != 0;
      t.inner_offset = at;
      return true;
    }
  }
  return true;
}

bool find_pppoe(const PacketView& p, std::uint32_t at, std::uint16_t ethertype,
                TunnelFound& t) {
  const std::uint32_t caplen = p.caplen();
  const std::uint8_t* d = p.data.data();
  t.type = "pppoe"sv;
  if (at > caplen || caplen - at < 6) return true;
  t.has_id = true;
  t.id = load_be16(d + at + 2);
  if (ethertype != 0x8864 || d[at + 1] != 0 || caplen - at < 8) return true;
  std::uint32_t ppp = at + 6;
  if (load_be16(d + ppp) == 0xff03) {
    ppp += 2;
    if (caplen - ppp < 2) return true;
  }
  std::uint16_t protocol;
  if (d[ppp] & 1) {
    protocol = d[ppp];
    ppp += 1;
  } else {
    protocol = load_be16(d + ppp);
    ppp += 2;
  }
  t.inner_link = protocol == 0x0021 || protocol == 0x0800   ? link_type::kIpv4
                 : protocol == 0x0057 || protocol == 0x86dd ? link_type::kIpv6
                                                            : 0;
  t.has_inner = t.inner_link != 0;
  t.inner_offset = ppp;
  return true;
}

// The tunnel a decoded packet carries, if any.
bool find_tunnel(const PacketView& p, const Summary& s, TunnelFound& t) {
  const std::uint32_t caplen = p.caplen();
  const std::uint8_t* d = p.data.data();
  if (s.network == Network::other) {
    if (s.ethertype == 0x8847 || s.ethertype == 0x8848)
      return find_mpls(p, s.network_offset, t);
    if (s.ethertype == 0x8863 || s.ethertype == 0x8864)
      return find_pppoe(p, s.network_offset, s.ethertype, t);
    return false;
  }
  if (s.network != Network::ipv4 && s.network != Network::ipv6) return false;
  if (s.later_fragment || s.truncated == Layer::ip || s.truncated == Layer::ip6) return false;
  const std::uint32_t at = s.transport_offset;
  switch (s.protocol) {
    case 4:
    case 41:
      t.type = "ipip"sv;
      t.has_inner = true;
      t.inner_offset = at;
      t.inner_link = s.protocol == 4 ? link_type::kIpv4 : link_type::kIpv6;
      return true;
    case 47: {
      t.type = "gre"sv;
      if (at > caplen || caplen - at < 4) return true;
      const std::uint16_t flags = load_be16(d + at);
      const std::uint16_t type = load_be16(d + at + 2);
      std::uint32_t next = at + 4;
      if ((flags & 7) == 0) {
        if (flags & (kGreChecksum | kGreRouting)) next += 4;
        if (flags & kGreKey) {
          if (next > caplen || caplen - next < 4) return true;
          t.has_id = true;
          t.id = load_be32(d + next);
          next += 4;
        }
        if (flags & kGreSequence) next += 4;
        if (flags & kGreRouting) return true;  // the inner packet is past the route entries
        if (type == 0x6558) {
          t.inner_link = link_type::kEthernet;
        } else {
          t.inner_link = ip_link_of(type);
        }
      } else if ((flags & 7) == 1) {
        if (flags & kGreKey) {
          if (next > caplen || caplen - next < 4) return true;
          t.has_id = true;
          t.id = load_be16(d + next + 2);  // the call id
          next += 4;
        }
        return true;
      }
      t.has_inner = t.inner_link != 0;
      t.inner_offset = next;
      return true;
    }
    case 17: {
      if (!s.has_ports || s.truncated == Layer::udp) return false;
      const bool vxlan = s.source_port == 4789 || s.destination_port == 4789;
      const bool geneve = s.source_port == 6081 || s.destination_port == 6081;
      if (!vxlan && !geneve) return false;
      t.type = vxlan ? "vxlan"sv : "geneve"sv;
      const std::uint32_t h = at + 8;
      if (h > caplen || caplen - h < 8) return true;
      t.has_id = true;
      t.id = load_be24(d + h + 4);
      if (vxlan) {
        t.inner_link = link_type::kEthernet;
        t.inner_offset = h + 8;
      } else {
        const std::uint16_t type = load_be16(d + h + 2);
        t.inner_link = type == 0x6558 ? link_type::kEthernet : ip_link_of(type);
        t.inner_offset = h + 8 + (d[h] & 0x3fu) * 4;
      }
      t.has_inner = t.inner_link != 0;
      return true;
    }
    default: return false;
  }
}

void append_json_address(OutputBuffer& out, const std::uint8_t* a, bool v6) {
  out.append('"');
  if (v6)
    append_ipv6(out, a);
  else
    append_ipv4(out, a);
  out.append('"');
}

}  // namespace

void append_json_tunnel(OutputBuffer& out, const PacketView& packet, const Summary& s) {
  TunnelFound t;
  if (!find_tunnel(packet, s, t)) return;
  out.append(",\"tunnel\":{\"type\":\"");
  out.append(t.type);
  out.append('"');
  if (t.has_id) {
    out.append(",\"id\":");
    out.append_uint(t.id);
  }
  if (t.has_inner && t.inner_offset < packet.caplen()) {
    PacketView inner;
    inner.data = packet.data.subspan(t.inner_offset);
    inner.wire_length = packet.wire_length > t.inner_offset
                            ? std::max(packet.wire_length - t.inner_offset, inner.caplen())
                            : inner.caplen();
    inner.link_type = t.inner_link;
    Summary is;
    decode(inner, is);
    // An IP header announced as one version must hold it.
    const bool v6 = is.network == Network::ipv6;
    const bool expected = t.inner_link == link_type::kEthernet ||
                          (t.inner_link == link_type::kIpv6) == v6;
    if ((is.network == Network::ipv4 || v6) && is.source_ip != nullptr && expected &&
        is.truncated != Layer::ip && is.truncated != Layer::ip6) {
      out.append(",\"inner_src\":");
      append_json_address(out, is.source_ip, v6);
      out.append(",\"inner_dst\":");
      append_json_address(out, is.destination_ip, v6);
    }
  }
  out.append('}');
}

}  // namespace slimcap::detail
