// OSPFv2 (IP protocol 89 over IPv4) and OSPFv3 (over IPv6) as tcpdump 4.99 prints it (print-ospf.c):
// "OSPFv2, Hello, length 44", and under -v the header's fields, the authentication, and each
// message type's body: Hello, Database Description, LS-Request, LS-Update (router, network,
// summary, ASBR summary, external, NSSA and group LSAs), LS-Ack, and the LLS block. Opaque LSAs
// of the TE, grace and router-information kinds are left to a marker (docs/dissectors/routing.md).

#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kCut = " [|ospf2]"sv;

void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

void append_hex32(OutputBuffer& out, std::uint32_t v) {
  out.append("0x");
  out.append_hex_padded(v, 8);
}

constexpr Bit kOptions[] = {{0x01, "MultiTopology"sv}, {0x02, "External"sv},
                            {0x04, "Multicast"sv},     {0x08, "NSSA"sv},
                            {0x10, "LLS"sv},           {0x20, "Demand Circuit"sv},
                            {0x40, "Opaque"sv},        {0x80, "Up/Down"sv}};
constexpr Bit kDdFlags[] = {
    {0x04, "Init"sv}, {0x02, "More"sv}, {0x01, "Master"sv}, {0x08, "OOBResync"sv}};
constexpr Bit kRouterFlags[] = {{0x01, "ABR"sv},      {0x02, "ASBR"sv}, {0x04, "Virtual"sv},
                                {0x08, "Wildcard"sv}, {0x10, "Nt"sv},   {0x80, "Host"sv}};
constexpr Bit kLlsOptions[] = {{0x00000001, "LSDB resync"sv}, {0x00000002, "Restart"sv}};

std::string_view lsa_name(std::uint32_t type) {
  static constexpr std::string_view kNames[] = {
      "Router"sv,          "Network"sv, "Summary"sv,           "ASBR Summary"sv,
      "External"sv,        "Multicast Group"sv, "NSSA"sv,     "Link Local Opaque"sv,
      "Area Local Opaque"sv, "Domain Wide Opaque"sv};
  if (type == 8 || type == 0 || type > 11) return "unknown"sv;
  return kNames[type < 8 ? type - 1 : type - 2];
}

std::string_view opaque_name(std::uint8_t type) {
  switch (type) {
    case 1: return "Traffic Engineering"sv;
    case 3: return "Graceful restart"sv;
    case 4: return "Router Information"sv;
    default: return "unknown"sv;
  }
}

std::string_view topology_name(std::uint32_t t) {
  switch (t) {
    case 0: return "default"sv;
    case 1: return "multicast"sv;
    case 2: return "management"sv;
    default: return "Unknown"sv;
  }
}

// The message at `at`; `end` is where tcpdump stops reading (the capture, the datagram, less
// an MD5 trailer).
struct Ospf {
  const Context& c;
  OutputBuffer& out;
  std::uint32_t at;
  std::uint32_t end;
  const std::uint8_t* p(std::uint32_t off) const { return c.data() + off; }
  bool have(std::uint32_t off, std::uint32_t n) const {
    return off <= end && n <= end - off;
  }
  // tcpdump's print_unknown_data(): the bytes that were captured, as hex lines.
  void unknown_data(std::uint32_t off, std::uint32_t len, std::string_view indent) const {
    const std::uint32_t available = off < end ? end - off : 0;
    append_hex_lines(out, std::span(p(off), len < available ? len : available), indent);
  }
  void address(std::uint32_t off) const { append_ipv4(out, p(off)); }

  bool lsa_header(std::uint32_t h, std::uint32_t& ls_length, bool& bogus) const;
  bool lsa(std::uint32_t h, std::uint32_t& next) const;
  bool body(std::uint8_t type, std::uint32_t dataend) const;
  bool lls(std::uint32_t length) const;
};

// "Advertising Router 10.0.0.1, seq 0x80000001, age 10s, length 16 ..."; false when cut.
bool Ospf::lsa_header(std::uint32_t h, std::uint32_t& ls_length, bool& bogus) const {
  bogus = false;
  if (!have(h + 18, 2)) return false;
  ls_length = load_be16(p(h + 18));
  if (ls_length < 20) {
    labeled(out, "\n\t    Bogus length "sv, ls_length);
    out.append(" < header (20)");
    bogus = true;
    return true;
  }
  if (!have(h, 16)) return false;
  out.append("\n\t  Advertising Router ");
  address(h + 8);
  out.append(", seq ");
  append_hex32(out, load_be32(p(h + 12)));
  labeled(out, ", age "sv, load_be16(p(h)));
  labeled(out, "s, length "sv, ls_length - 20);
  const std::uint8_t type = p(h)[3];
  out.append("\n\t    ");
  out.append(lsa_name(type));
  labeled(out, " LSA ("sv, type);
  if (type >= 9 && type <= 11) {
    out.append("), Opaque-Type ");
    out.append(opaque_name(p(h)[4]));
    labeled(out, " LSA ("sv, p(h)[4]);
    labeled(out, "), Opaque-ID "sv, load_be32(p(h + 4)) & 0xffffff);
  } else {
    out.append("), LSA-ID: ");
    address(h + 4);
  }
  out.append("\n\t    Options: [");
  append_bits(out, kOptions, p(h)[2], "none"sv);
  out.append(']');
  return true;
}

// A whole LSA; `next` gets the offset after it. False when cut (tcpdump's marker follows).
bool Ospf::lsa(std::uint32_t h, std::uint32_t& next) const {
  std::uint32_t ls_length = 0;
  bool bogus = false;
  if (!lsa_header(h, ls_length, bogus) || bogus) return false;
  const std::uint32_t ls_end = h + ls_length;
  next = ls_end;
  const std::uint32_t b = h + 20, body_length = ls_length - 20;
  const std::uint8_t type = p(h)[3];
  switch (type) {
    case 1: {
      if (!have(b, 1)) return false;
      out.append("\n\t    Router LSA Options: [");
      append_bits(out, kRouterFlags, p(b)[0], "none"sv);
      out.append(']');
      if (!have(b + 2, 2)) return false;
      std::uint32_t links = load_be16(p(b + 2));
      if (!have(b + 4, 12)) return false;
      std::uint32_t l = b + 4;
      for (; links != 0; --links) {
        if (!have(l, 12)) return false;
        const std::uint8_t link_type = p(l)[8];
        switch (link_type) {
          case 4: out.append("\n\t      Virtual Link: Neighbor Router-ID: "); break;
          case 1: out.append("\n\t      Neighbor Router-ID: "); break;
          case 2: out.append("\n\t      Neighbor Network-ID: "); break;
          case 3: out.append("\n\t      Stub Network: "); break;
          default:
            labeled(out, "\n\t      Unknown Router Link Type ("sv, link_type);
            out.append(')');
            return true;
        }
        address(l);
        out.append(link_type == 3 ? ", Mask: "sv : ", Interface Address: "sv);
        address(l + 4);
        const std::uint32_t count = p(l)[9];
        for (std::uint32_t i = 0; i <= count; ++i) {
          const std::uint32_t m = l + 8 + 4 * i;
          if (!have(m, 4)) return false;
          const std::uint32_t topology = i == 0 ? 0 : p(m)[0];
          out.append("\n\t\ttopology ");
          out.append(topology_name(topology));
          labeled(out, " ("sv, topology);
          labeled(out, "), metric "sv, load_be16(p(m + 2)));
        }
        l += 12 + 4 * count;
      }
      break;
    }
    case 2: {
      if (!have(b, 4)) return false;
      out.append("\n\t    Mask ");
      address(b);
      out.append("\n\t    Connected Routers:");
      for (std::uint32_t r = b + 4; r < ls_end; r += 4) {
        if (!have(r, 4)) return false;
        out.append("\n\t      ");
        address(r);
      }
      break;
    }
    case 3:
    case 4: {
      if (type == 3) {
        if (!have(b, 4)) return false;
        out.append("\n\t    Mask ");
        address(b);
      }
      if (!have(b + 4, 4)) return false;
      for (std::uint32_t m = b + 4; m < ls_end; m += 4) {
        if (!have(m, 4)) return false;
        const std::uint32_t v = load_be32(p(m));
        const std::uint32_t topology = (v & 0x7f000000) >> 24;
        out.append("\n\t\ttopology ");
        out.append(topology_name(topology));
        labeled(out, " ("sv, topology);
        labeled(out, ") metric "sv, v & 0xffffff);
      }
      break;
    }
    case 5:
    case 7: {
      if (!have(b, 4)) return false;
      out.append("\n\t    Mask ");
      address(b);
      if (!have(b + 4, 4)) return false;
      for (std::uint32_t m = b + 4; m < ls_end; m += 12) {
        if (!have(m, 4)) return false;
        const std::uint32_t v = load_be32(p(m));
        const std::uint32_t topology = (v & 0x7f000000) >> 24;
        out.append("\n\t\ttopology ");
        out.append(topology_name(topology));
        labeled(out, " ("sv, topology);
        labeled(out, "), type "sv, (v & 0x80000000) ? 2 : 1);
        out.append(", metric");
        if ((v & 0xffffff) == 0xffffff)
          out.append(" infinite");
        else
          labeled(out, " "sv, v & 0xffffff);
        if (!have(m + 4, 4)) return false;
        if (load_be32(p(m + 4)) != 0) {
          out.append(", forward ");
          address(m + 4);
        }
        if (!have(m + 8, 4)) return false;
        if (load_be32(p(m + 8)) != 0) {
          out.append(", tag ");
          address(m + 8);
        }
      }
      break;
    }
    case 6: {
      for (std::uint32_t m = b; m < ls_end; m += 8) {
        if (!have(m, 4)) return false;
        const std::uint32_t vertex = load_be32(p(m));
        if (vertex == 1 || vertex == 2) {
          if (!have(m + 4, 4)) return false;
          out.append(vertex == 1 ? "\n\t    Router Router-ID "sv
                                 : "\n\t    Network Designated Router "sv);
          address(m + 4);
        } else {
          labeled(out, "\n\t    unknown VertexType ("sv, vertex);
          out.append(')');
        }
      }
      break;
    }
    case 9:
    case 10:
    case 11: {
      const std::uint8_t opaque = p(h)[4];
      if (opaque == 1 || opaque == 3 || opaque == 4) {
        out.append(" [|ospf-opaque]");  // not decoded: an honest marker, then the line ends
        next = 0;
        return true;
      }
      if (c.options.verbose <= 1) unknown_data(b, body_length, "\n\t    "sv);
      break;
    }
    default: break;
  }
  if (c.options.verbose > 1) unknown_data(b, body_length, "\n\t    "sv);
  return true;
}

// The body of a version 2 message; false when cut.
bool Ospf::body(std::uint8_t type, std::uint32_t dataend) const {
  const std::uint32_t b = at + 24;
  switch (type) {
    case 1: {
      if (!have(b + 6, 1)) return false;
      out.append("\n\tOptions [");
      append_bits(out, kOptions, p(b + 6)[0], "none"sv);
      out.append(']');
      if (!have(b, 12)) return false;
      labeled(out, "\n\t  Hello Timer "sv, load_be16(p(b + 4)));
      labeled(out, "s, Dead Timer "sv, load_be32(p(b + 8)));
      out.append("s, Mask ");
      address(b);
      labeled(out, ", Priority "sv, p(b + 7)[0]);
      if (!have(b + 12, 4)) return false;
      if (load_be32(p(b + 12)) != 0) {
        out.append("\n\t  Designated Router ");
        address(b + 12);
      }
      if (!have(b + 16, 4)) return false;
      if (load_be32(p(b + 16)) != 0) {
        out.append(", Backup Designated Router ");
        address(b + 16);
      }
      std::uint32_t n = b + 20;
      if (n < dataend) out.append("\n\t  Neighbor List:");
      for (; n < dataend; n += 4) {
        if (!have(n, 4)) return false;
        out.append("\n\t    ");
        address(n);
      }
      return true;
    }
    case 2: {
      if (!have(b + 2, 1)) return false;
      out.append("\n\tOptions [");
      append_bits(out, kOptions, p(b + 2)[0], "none"sv);
      out.append(']');
      if (!have(b + 3, 1)) return false;
      out.append(", DD Flags [");
      append_bits(out, kDdFlags, p(b + 3)[0], "none"sv);
      out.append(']');
      if (!have(b, 2)) return false;
      if (load_be16(p(b)) != 0) labeled(out, ", MTU: "sv, load_be16(p(b)));
      if (!have(b + 4, 4)) return false;
      out.append(", Sequence: ");
      append_hex32(out, load_be32(p(b + 4)));
      for (std::uint32_t h = b + 8; h < dataend; h += 20) {
        std::uint32_t ls_length = 0;
        bool bogus = false;
        if (!lsa_header(h, ls_length, bogus)) return false;
        if (bogus) break;
      }
      return true;
    }
    case 3: {
      for (std::uint32_t r = b; r < dataend; r += 12) {
        if (!have(r, 12)) return false;
        const std::uint32_t ls_type = load_be32(p(r));
        out.append("\n\t  Advertising Router: ");
        address(r + 8);
        out.append(", ");
        out.append(lsa_name(ls_type));
        labeled(out, " LSA ("sv, ls_type);
        out.append(')');
        if (ls_type >= 9 && ls_type <= 11) {
          out.append(", Opaque-Type: ");
          out.append(opaque_name(p(r + 4)[0]));
          labeled(out, " LSA ("sv, p(r + 4)[0]);
          labeled(out, "), Opaque-ID: "sv, load_be32(p(r + 4)) & 0xffffff);
        } else {
          out.append(", LSA-ID: ");
          address(r + 4);
        }
      }
      return true;
    }
    case 4: {
      if (!have(b, 4)) return false;
      const std::uint32_t count = load_be32(p(b));
      labeled(out, ", "sv, count);
      out.append(count == 1 ? " LSA"sv : " LSAs"sv);
      std::uint32_t h = b + 4;
      for (std::uint32_t i = 1; i <= count && i != 0; ++i) {
        labeled(out, "\n\t  LSA #"sv, i);
        std::uint32_t next = 0;
        if (!lsa(h, next)) return false;
        if (next == 0) return true;  // an opaque LSA left to its marker
        h = next;
      }
      return true;
    }
    case 5: {
      // tcpdump 4.99.3 reads LSA headers until one is bogus or cut, whatever the lengths say:
      // a whole LS-Ack ends with its marker too.
      for (std::uint32_t h = b;; h += 20) {
        std::uint32_t ls_length = 0;
        bool bogus = false;
        if (!lsa_header(h, ls_length, bogus)) return false;
        if (bogus) return true;
      }
    }
    default: return true;
  }
}

// RFC 4813's link-local signalling after the message; false when cut.
bool Ospf::lls(std::uint32_t length) const {
  const std::uint8_t* h = p(at);
  const std::uint8_t options = h[1] == 1 ? p(at + 30)[0] : p(at + 26)[0];
  if ((options & 0x10) == 0) return true;
  std::uint32_t length2 = load_be16(h + 2);
  std::uint32_t d = at + length2;
  if (load_be16(h + 14) == 2) {
    d += h[19];
    length2 += h[19];
  }
  if (length2 >= length) {
    out.append("\n\t[LLS truncated]");
    return true;
  }
  if (!have(d, 2)) return false;
  out.append("\n\t  LLS: checksum: 0x");
  out.append_hex_padded(load_be16(p(d)), 4);
  if (!have(d + 2, 2)) return false;
  labeled(out, ", length: "sv, load_be16(p(d + 2)));
  const std::uint32_t dataend = at + length;
  for (d += 4; d < dataend;) {
    if (!have(d, 2)) return false;
    const std::uint32_t type = load_be16(p(d));
    out.append("\n\t    ");
    out.append(type == 1 ? "Extended Options"sv : type == 2 ? "MD5 Authentication"sv
                                                            : "Unknown TLV"sv);
    labeled(out, " ("sv, type);
    out.append(')');
    if (!have(d + 2, 2)) return false;
    std::uint32_t len = load_be16(p(d + 2));
    labeled(out, ", length: "sv, len);
    d += 4;
    if (type == 1) {
      if (len != 4) {
        out.append(" [should be 4]");
        len = 4;
      }
      if (!have(d, 4)) return false;
      const std::uint32_t flags = load_be32(p(d));
      out.append("\n\t      Options: ");
      append_hex32(out, flags);
      out.append(" [");
      append_bits(out, kLlsOptions, flags, "?"sv);
      out.append(']');
    } else if (type == 2) {
      if (len != 20) {
        out.append(" [should be 20]");
        len = 20;
      }
      if (!have(d, 4)) return false;
      out.append("\n\t      Sequence number: ");
      append_hex32(out, load_be32(p(d)));
    }
    d += len;
  }
  return true;
}

std::string_view type_name(std::uint8_t type) {
  switch (type) {
    case 1: return "Hello"sv;
    case 2: return "Database Description"sv;
    case 3: return "LS-Request"sv;
    case 4: return "LS-Update"sv;
    case 5: return "LS-Ack"sv;
    default: return {};
  }
}

// False when cut.
bool print_v2(const Context& c, std::uint32_t at, std::uint32_t length) {
  OutputBuffer& out = c.out;
  Ospf o{c, out, at, c.caplen()};
  if (!o.have(at + 14, 2)) return false;
  const std::uint16_t auth_type = load_be16(o.p(at + 14));
  if (auth_type == 2) {
    length -= 16;
    o.end = o.end >= 16 ? o.end - 16 : 0;
  }
  if (!o.have(at, 2)) return false;
  const std::uint8_t* h = o.p(at);
  const std::string_view name = type_name(h[1]);
  labeled(out, "OSPFv"sv, h[0]);
  if (name.empty()) {
    labeled(out, ", unknown LS-type "sv, h[1]);
  } else {
    out.append(", ");
    out.append(name);
  }
  labeled(out, ", length "sv, length);
  if (name.empty() || c.options.verbose == 0) return true;
  if (!o.have(at + 2, 2)) return false;
  const std::uint32_t ospf_length = load_be16(h + 2);
  if (length != ospf_length) {
    labeled(out, " [len "sv, ospf_length);
    out.append(']');
  }
  const std::uint32_t dataend = at + (length > ospf_length ? ospf_length : length);
  if (!o.have(at + 4, 4)) return false;
  out.append("\n\tRouter-ID ");
  o.address(at + 4);
  if (!o.have(at + 8, 4)) return false;
  if (load_be32(h + 8) != 0) {
    out.append(", Area ");
    o.address(at + 8);
  } else {
    out.append(", Backbone Area");
  }
  if (!o.have(at + 16, 8)) return false;
  out.append(", Authentication Type: ");
  out.append(auth_type == 0   ? "none"sv
             : auth_type == 1 ? "simple"sv
             : auth_type == 2 ? "MD5"sv
                              : "unknown"sv);
  labeled(out, " ("sv, auth_type);
  out.append(')');
  switch (auth_type) {
    case 0: break;
    case 1:
      out.append("\n\tSimple text password: ");
      for (std::uint32_t i = 0; i < 8 && h[16 + i] != 0; ++i) append_safe_char(out, h[16 + i]);
      break;
    case 2:
      labeled(out, "\n\tKey-ID: "sv, h[18]);
      labeled(out, ", Auth-Length: "sv, h[19]);
      out.append(", Crypto Sequence Number: ");
      append_hex32(out, load_be32(h + 20));
      break;
    default: return true;
  }
  if (h[0] != 2) {
    labeled(out, " ospf [version "sv, h[0]);
    out.append(']');
    return true;
  }
  if (!o.body(h[1], dataend)) return false;
  if (length > ospf_length && (h[1] == 1 || h[1] == 2)) {
    if (!o.have(at + (h[1] == 1 ? 30 : 26), 1)) return false;
    return o.lls(length);
  }
  return true;
}

// --- OSPFv3 (print-ospf6.c) ---------------------------------------------------------------------

constexpr Bit kV3Options[] = {{0x01, "V6"sv},           {0x02, "External"sv},
                              {0x04, "Deprecated"sv},   {0x08, "NSSA"sv},
                              {0x10, "Router"sv},       {0x20, "Demand Circuit"sv},
                              {0x0100, "AFs Support"sv}, {0x0200, "LLS"sv},
                              {0x0400, "Authentication Trailer"sv}};
constexpr Bit kV3DdFlags[] = {
    {0x04, "Init"sv}, {0x02, "More"sv}, {0x01, "Master"sv}, {0x10, "IPv6 MTU"sv}};
constexpr Bit kV3RouterFlags[] = {{0x01, "ABR"sv},
                                  {0x02, "External"sv},
                                  {0x04, "Virtual-Link Endpoint"sv},
                                  {0x08, "Deprecated"sv},
                                  {0x10, "NSSA Translator"sv}};
constexpr Bit kV3ExternalFlags[] = {
    {0x80000000, "External Type 2"sv}, {0x02000000, "Forwarding"sv}, {0x01000000, "Tag"sv}};
constexpr Bit kV3PrefixOptions[] = {{0x01, "No Unicast"sv}, {0x02, "Local address"sv},
                                    {0x04, "Deprecated"sv}, {0x08, "Propagate"sv},
                                    {0x10, "Down"sv},       {0x20, "N-bit"sv}};

std::string_view v3_lsa_name(std::uint32_t type) {
  static constexpr std::string_view kNames[] = {
      "Router"sv, "Network"sv, "Inter-Area Prefix"sv, "Inter-Area Router"sv,
      "External"sv, "Deprecated"sv, "NSSA"sv, "Link"sv, "Intra-Area Prefix"sv,
      "Intra-Area TE"sv, "Grace"sv, "Router Information"sv, "Inter-AS-TE"sv, "Layer 1 VPN"sv};
  return type >= 1 && type <= 14 ? kNames[type - 1] : "Unknown"sv;
}

struct Ospf3 {
  const Context& c;
  OutputBuffer& out;
  std::uint32_t at;
  const std::uint8_t* p(std::uint32_t off) const { return c.data() + off; }
  bool have(std::uint32_t off, std::uint32_t n) const { return c.captured(off, n); }
  void address(std::uint32_t off) const { append_ipv4(out, p(off)); }

  // "\n\t    Router LSA (1), Area Local Scope, LSA-ID 0.0.0.1"; false when cut.
  bool ls_type(std::uint32_t type, std::uint32_t id) const {
    if (!have(id, 4)) return false;
    out.append("\n\t    ");
    out.append(v3_lsa_name(type & 0x1fff));
    labeled(out, " LSA ("sv, type & 0x1fff);
    out.append("), ");
    switch (type & 0x6000) {
      case 0x0000: out.append("Link Local"); break;
      case 0x2000: out.append("Area Local"); break;
      case 0x4000: out.append("Domain Wide"); break;
      default: out.append("Unknown"); break;
    }
    out.append(" Scope");
    if (type & 0x8000) out.append(", transitive");
    out.append(", LSA-ID ");
    address(id);
    return true;
  }
  // The 20-byte LSA header; false when cut or past the message's end.
  bool lsa_header(std::uint32_t h, std::uint32_t dataend) const {
    if (h + 20 > dataend) return false;
    if (!have(h, 20)) return false;
    out.append("\n\t  Advertising Router ");
    address(h + 8);
    out.append(", seq ");
    append_hex32(out, load_be32(p(h + 12)));
    labeled(out, ", age "sv, load_be16(p(h)));
    out.append("s, length ");
    out.append_uint(std::uint64_t{load_be16(p(h + 18))} - 20u);  // tcpdump's size_t
    return ls_type(load_be16(p(h + 2)), h + 4);
  }
  // One prefix; returns its size, 0 when tcpdump gives up (its marker follows).
  std::uint32_t prefix(std::uint32_t t, std::uint32_t lsa_length) const {
    if (lsa_length < 4 || !have(t, 4)) return 0;
    const std::uint32_t bits = p(t)[0];
    const std::uint32_t words = (bits + 31) / 32;
    if (words * 4 > 16) {
      labeled(out, " bogus prefixlen /"sv, bits);
      return 0;
    }
    if (lsa_length - 4 < words * 4 || !have(t + 4, words * 4)) return 0;
    std::uint8_t a[16] = {};
    for (std::uint32_t i = 0; i < words * 4; ++i) a[i] = p(t + 4)[i];
    out.append("\n\t\t");
    append_ipv6(out, a);
    labeled(out, "/"sv, bits);
    if (p(t)[1] != 0) {
      out.append(", Options [");
      append_bits(out, kV3PrefixOptions, p(t)[1], "none"sv);
      out.append(']');
    }
    labeled(out, ", metric "sv, load_be16(p(t + 2)));
    return 4 + words * 4;
  }
  bool lsa(std::uint32_t h, std::uint32_t dataend, std::uint32_t& length) const;
  bool body(std::uint8_t type, std::uint32_t dataend) const;
  bool trailer(std::uint8_t type, std::uint32_t cp, std::uint32_t len) const;
};

// An LSA; false when tcpdump's marker follows. `length` gets the LSA's length.
bool Ospf3::lsa(std::uint32_t h, std::uint32_t dataend, std::uint32_t& length) const {
  if (!lsa_header(h, dataend)) return false;
  length = load_be16(p(h + 18));
  if (length < 20 || h + length > dataend) return false;
  std::uint32_t lsa_length = length - 20;
  std::uint32_t t = h + 20;
  const std::uint32_t type = load_be16(p(h + 2));
  switch (type) {
    case 0x2001: {
      if (lsa_length < 4) return false;
      lsa_length -= 4;
      if (!have(t, 4)) return false;
      out.append("\n\t      Options [");
      append_bits(out, kV3Options, load_be32(p(t)), "none"sv);
      out.append("], RLA-Flags [");
      append_bits(out, kV3RouterFlags, p(t)[0], "none"sv);
      out.append(']');
      for (std::uint32_t l = t + 4; lsa_length != 0; l += 16) {
        if (lsa_length < 16) return false;
        lsa_length -= 16;
        if (!have(l, 16)) return false;
        switch (p(l)[0]) {
          case 4: out.append("\n\t      Virtual Link: Neighbor Router-ID "); break;
          case 1: out.append("\n\t      Neighbor Router-ID "); break;
          case 2: out.append("\n\t      Neighbor Network-ID "); break;
          default:
            out.append("\n\t      Unknown Router Links Type 0x");
            out.append_hex_padded(p(l)[0], 2);
            return true;
        }
        address(l + 12);
        out.append("\n\t      Neighbor Interface-ID ");
        address(l + 8);
        out.append(", Interface ");
        address(l + 4);
        labeled(out, ", metric "sv, load_be16(p(l + 2)));
      }
      return true;
    }
    case 0x2002: {
      if (lsa_length < 4) return false;
      lsa_length -= 4;
      if (!have(t, 4)) return false;
      out.append("\n\t      Options [");
      append_bits(out, kV3Options, load_be32(p(t)), "none"sv);
      out.append("]\n\t      Connected Routers:");
      for (std::uint32_t r = t + 4; lsa_length != 0; r += 4) {
        if (lsa_length < 4) return false;
        lsa_length -= 4;
        if (!have(r, 4)) return false;
        out.append("\n\t\t");
        address(r);
      }
      return true;
    }
    case 0x2003: {
      if (lsa_length < 4) return false;
      lsa_length -= 4;
      if (!have(t, 4)) return false;
      labeled(out, ", metric "sv, load_be32(p(t)) & 0xffffff);
      for (std::uint32_t x = t + 4; lsa_length != 0;) {
        const std::uint32_t n = prefix(x, lsa_length);
        if (n == 0) return false;
        lsa_length -= n;
        x += n;
      }
      return true;
    }
    case 0x4005: {
      if (lsa_length < 4) return false;
      lsa_length -= 4;
      if (!have(t, 4)) return false;
      const std::uint32_t flags = load_be32(p(t));
      out.append("\n\t     Flags [");
      append_bits(out, kV3ExternalFlags, flags, "none"sv);
      labeled(out, "] metric "sv, flags & 0xffffff);
      const std::uint32_t x = t + 4;
      const std::uint32_t n = prefix(x, lsa_length);
      if (n == 0) return false;
      lsa_length -= n;
      std::uint32_t y = x + n;
      if (flags & 0x02000000) {
        if (lsa_length < 16) return false;
        lsa_length -= 16;
        if (!have(y, 16)) return false;
        out.append(" forward ");
        append_ipv6(out, p(y));
        y += 16;
      }
      if (flags & 0x01000000) {
        if (lsa_length < 4) return false;
        lsa_length -= 4;
        if (!have(y, 4)) return false;
        out.append(" tag ");
        address(y);
        y += 4;
      }
      if (p(x + 2)[0] != 0) {  // tcpdump reads one byte of the "referenced LS type"
        if (lsa_length < 4) return false;
        if (!have(y, 4)) return false;
        out.append(" RefLSID: ");
        address(y);
      }
      return true;
    }
    case 0x0008: {
      if (lsa_length < 4) return false;
      lsa_length -= 4;
      if (!have(t, 4)) return false;
      out.append("\n\t      Options [");
      append_bits(out, kV3Options, load_be32(p(t)), "none"sv);
      out.append(']');
      if (lsa_length < 20) return false;
      lsa_length -= 20;
      if (!have(t + 20, 4) || !have(t + 4, 16)) return false;
      std::uint32_t prefixes = load_be32(p(t + 20));
      labeled(out, "\n\t      Priority "sv, p(t)[0]);
      out.append(", Link-local address ");
      append_ipv6(out, p(t + 4));
      labeled(out, ", Prefixes "sv, prefixes);
      out.append(':');
      for (std::uint32_t x = t + 24; prefixes > 0; --prefixes) {
        const std::uint32_t n = prefix(x, lsa_length);
        if (n == 0) return false;
        lsa_length -= n;
        x += n;
      }
      return true;
    }
    case 0x2009: {
      if (lsa_length < 4) return false;
      lsa_length -= 4;
      if (!have(t + 8, 4)) return false;
      if (!have(t + 2, 2)) return false;
      if (!ls_type(load_be16(p(t + 2)), t + 4)) return false;
      if (lsa_length < 2) return false;
      lsa_length -= 2;
      std::uint32_t prefixes = load_be16(p(t));
      labeled(out, "\n\t      Prefixes "sv, prefixes);
      out.append(':');
      for (std::uint32_t x = t + 12; prefixes > 0; --prefixes) {
        const std::uint32_t n = prefix(x, lsa_length);
        if (n == 0) return false;
        lsa_length -= n;
        x += n;
      }
      return true;
    }
    case 0x000a:
    case 0x000b:
      out.append(" [|ospf-te-grace]");  // not decoded: an honest marker
      length = 0;
      return true;
    default: {
      const std::uint32_t available = c.caplen() > t ? c.caplen() - t : 0;
      append_hex_lines(out, c.packet.data.subspan(t < c.caplen() ? t : c.caplen(), lsa_length < available ? lsa_length : available),
                       "\n\t      "sv);
      return true;
    }
  }
}

// The message's body; false when cut.
bool Ospf3::body(std::uint8_t type, std::uint32_t dataend) const {
  const std::uint32_t b = at + 16;
  const bool vv = c.options.verbose > 1;
  switch (type) {
    case 1: {
      if (!have(b + 4, 4)) return false;
      out.append("\n\tOptions [");
      append_bits(out, kV3Options, load_be32(p(b + 4)), "none"sv);
      out.append(']');
      if (!have(b, 12)) return false;
      labeled(out, "\n\t  Hello Timer "sv, load_be16(p(b + 8)));
      labeled(out, "s, Dead Timer "sv, load_be16(p(b + 10)));
      out.append("s, Interface-ID ");
      address(b);
      labeled(out, ", Priority "sv, p(b + 4)[0]);
      if (!have(b + 12, 4)) return false;
      if (load_be32(p(b + 12)) != 0) {
        out.append("\n\t  Designated Router ");
        address(b + 12);
      }
      if (!have(b + 16, 4)) return false;
      if (load_be32(p(b + 16)) != 0) {
        out.append(", Backup Designated Router ");
        address(b + 16);
      }
      if (vv) {
        out.append("\n\t  Neighbor List:");
        for (std::uint32_t n = b + 20; n < dataend; n += 4) {
          if (!have(n, 4)) return false;
          out.append("\n\t    ");
          address(n);
        }
      }
      return true;
    }
    case 2: {
      if (!have(b, 4)) return false;
      out.append("\n\tOptions [");
      append_bits(out, kV3Options, load_be32(p(b)), "none"sv);
      out.append(']');
      if (!have(b + 7, 1)) return false;
      out.append(", DD Flags [");
      append_bits(out, kV3DdFlags, p(b + 7)[0], "none"sv);
      out.append(']');
      if (!have(b + 4, 2) || !have(b + 8, 4)) return false;
      labeled(out, ", MTU "sv, load_be16(p(b + 4)));
      out.append(", DD-Sequence ");
      append_hex32(out, load_be32(p(b + 8)));
      if (vv)
        for (std::uint32_t h = b + 12; h < dataend; h += 20)
          if (!lsa_header(h, dataend)) return false;
      return true;
    }
    case 3: {
      if (vv) {
        for (std::uint32_t r = b; r < dataend; r += 12) {
          if (!have(r, 12)) return false;
          out.append("\n\t  Advertising Router ");
          address(r + 8);
          if (!ls_type(load_be16(p(r + 2)), r + 4)) return false;
        }
      }
      return true;
    }
    case 4: {
      if (vv) {
        if (!have(b, 4)) return false;
        auto count = static_cast<std::int32_t>(load_be32(p(b)));
        for (std::uint32_t h = b + 4; h < dataend && count-- != 0;) {
          std::uint32_t length = 0;
          if (!lsa(h, dataend, length)) return false;
          if (length == 0) return true;  // left to its marker
          h += length;
        }
      }
      return true;
    }
    case 5: {
      if (vv)
        for (std::uint32_t h = b; h < dataend; h += 20)
          if (!lsa_header(h, dataend)) return false;
      return true;
    }
    default: return true;
  }
}

// What follows the message: LLS data (Hello and DD with the L bit), then an authentication
// trailer; false when tcpdump's marker follows.
bool Ospf3::trailer(std::uint8_t type, std::uint32_t cp, std::uint32_t len) const {
  const std::uint32_t b = at + 16;
  bool lls = false;
  if (type == 1 || type == 2) {
    const std::uint32_t options_at = type == 1 ? b + 4 : b;
    if (!have(options_at, 4)) return false;
    lls = (load_be32(p(options_at)) & 0x0200) != 0;
  }
  std::uint32_t lls_length = 0;
  if (lls && len != 0) {
    if (len < 4) return false;
    if (!have(cp, 2)) return false;
    out.append("\n\tLLS Checksum 0x");
    out.append_hex_padded(load_be16(p(cp)), 4);
    if (!have(cp + 2, 2)) return false;
    lls_length = load_be16(p(cp + 2));
    labeled(out, ", Data Length "sv, lls_length);
    if (lls_length < 4 || lls_length > len) return false;
    if (!have(cp + 4, lls_length - 4)) return false;
  }
  cp += lls_length;
  len -= lls_length;
  if (len == 0) return true;
  if (len < 16) return false;
  if (!have(cp, 2)) return false;
  const std::uint32_t auth_type = load_be16(p(cp));
  out.append("\n\tAuthentication Type ");
  if (auth_type == 1) {
    out.append("HMAC");
  } else {
    out.append("unknown (0x");
    out.append_hex_padded(auth_type, 4);
    out.append(')');
  }
  if (!have(cp + 2, 2)) return false;
  const std::uint32_t auth_length = load_be16(p(cp + 2));
  labeled(out, ", Length "sv, auth_length);
  if (auth_length < 16 || auth_length > len) return false;
  if (!have(cp + 6, 2)) return false;
  labeled(out, ", SAID "sv, load_be16(p(cp + 6)));
  if (!have(cp + 8, 4)) return false;
  out.append(", CSN ");
  append_hex32(out, load_be32(p(cp + 8)));
  if (!have(cp + 12, 4)) return false;
  out.append(':');
  out.append_hex_padded(load_be32(p(cp + 12)), 8);
  if (!have(cp + 16, auth_length - 16)) return false;
  if (c.options.verbose > 1)
    append_hex_lines(out, c.packet.data.subspan(cp + 16, auth_length - 16),
                     "\n\tAuthentication Data "sv);
  return true;
}

// False when cut.
bool print_v3(const Context& c, std::uint32_t at, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const Ospf3 o{c, out, at};
  if (!o.have(at, 2)) return false;
  const std::uint8_t* h = o.p(at);
  const std::string_view name = type_name(h[1]);
  labeled(out, "OSPFv"sv, h[0]);
  if (name.empty()) {
    labeled(out, ", unknown packet type ("sv, h[1]);
    out.append(')');
  } else {
    out.append(", ");
    out.append(name);
  }
  labeled(out, ", length "sv, length);
  if (name.empty() || c.options.verbose == 0) return true;
  if (!o.have(at + 2, 2)) return false;
  const std::uint32_t datalen = load_be16(h + 2);
  if (datalen > length) {
    labeled(out, " [len "sv, datalen);
    out.append(']');
    return true;
  }
  const std::uint32_t dataend = at + datalen;
  if (!o.have(at + 4, 4)) return false;
  out.append("\n\tRouter-ID ");
  o.address(at + 4);
  if (!o.have(at + 8, 4)) return false;
  if (load_be32(h + 8) != 0) {
    out.append(", Area ");
    o.address(at + 8);
  } else {
    out.append(", Backbone Area");
  }
  if (!o.have(at + 14, 1)) return false;
  if (h[14] != 0) labeled(out, ", Instance "sv, h[14]);
  if (h[0] != 3) return true;
  return o.body(h[1], dataend) && o.trailer(h[1], dataend, length - datalen);
}

}  // namespace

void print_ospf(const Context& c, bool /*with_addresses*/) {
  if (c.s.network == Network::ipv6) {
    if (!print_v3(c, c.s.transport_offset, c.s.transport_length)) c.out.append(" [|ospf3]");
    return;
  }
  if (!print_v2(c, c.s.transport_offset, c.s.transport_length)) c.out.append(kCut);
}

}  // namespace slimcap::detail
