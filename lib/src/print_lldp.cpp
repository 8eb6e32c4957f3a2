// LLDP, IEEE 802.1AB (tcpdump 4.99's print-lldp.c): "LLDP, length N" and the system name;
// with -v every TLV (chassis and port id, TTL, descriptions, capabilities, management
// address, the IEEE 802.1, IEEE 802.3 and TIA LLDP-MED organisation-specific ones), with -vv
// each TLV's bytes.
//
// tcpdump checks that a TLV was captured whole before it prints its value, and gives up with
// " [|lldp]" where one was not (or is shorter than its fields).

#include <cstdint>
#include <iterator>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

std::string_view tlv_name(unsigned type) {
  switch (type) {
    case 0: return "End"sv;
    case 1: return "Chassis ID"sv;
    case 2: return "Port ID"sv;
    case 3: return "Time to Live"sv;
    case 4: return "Port Description"sv;
    case 5: return "System Name"sv;
    case 6: return "System Description"sv;
    case 7: return "System Capabilities"sv;
    case 8: return "Management Address"sv;
    case 127: return "Organization specific"sv;
    default: return "Unknown"sv;
  }
}

std::string_view chassis_subtype_name(unsigned subtype) {
  switch (subtype) {
    case 1: return "Chassis component"sv;
    case 2: return "Interface alias"sv;
    case 3: return "Port component"sv;
    case 4: return "MAC address"sv;
    case 5: return "Network address"sv;
    case 6: return "Interface name"sv;
    case 7: return "Local"sv;
    default: return "Unknown"sv;
  }
}

std::string_view port_subtype_name(unsigned subtype) {
  switch (subtype) {
    case 1: return "Interface alias"sv;
    case 2: return "Port component"sv;
    case 3: return "MAC address"sv;
    case 4: return "Network Address"sv;
    case 5: return "Interface Name"sv;
    case 6: return "Agent circuit ID"sv;
    case 7: return "Local"sv;
    default: return "Unknown"sv;
  }
}

std::string_view address_family_name(unsigned af) {
  switch (af) {
    case 0: return "Reserved"sv;
    case 1: return "IPv4"sv;
    case 2: return "IPv6"sv;
    case 3: return "NSAP"sv;
    case 4: return "HDLC"sv;
    case 5: return "BBN 1822"sv;
    case 6: return "802"sv;
    case 7: return "E.163"sv;
    case 8: return "E.164"sv;
    case 9: return "F.69"sv;
    case 10: return "X.121"sv;
    case 11: return "Novell IPX"sv;
    case 12: return "Appletalk"sv;
    case 13: return "Decnet IV"sv;
    case 14: return "Banyan Vines"sv;
    case 15: return "E.164 with NSAP subaddress"sv;
    case 25: return "VPLS"sv;
    case 196: return "Layer-2 VPN"sv;
    default: return "Unknown"sv;
  }
}

constexpr Bit kCapabilities[] = {{1 << 0, "Other"},  {1 << 1, "Repeater"},  {1 << 2, "Bridge"},
                                 {1 << 3, "WLAN AP"}, {1 << 4, "Router"},    {1 << 5, "Telephone"},
                                 {1 << 6, "Docsis"},  {1 << 7, "Station Only"}};
constexpr Bit kProtocolVlan[] = {{1 << 1, "supported"}, {1 << 2, "enabled"}};
constexpr Bit kAggregation[] = {{1 << 0, "supported"}, {1 << 1, "enabled"}};
constexpr Bit kAutonegotiation[] = {{1 << 0, "supported"}, {1 << 1, "enabled"}};
constexpr Bit kPmdCapabilities[] = {
    {1 << 14, "10BASE-T hdx"},       {1 << 13, "10BASE-T fdx"},
    {1 << 12, "100BASE-T4"},         {1 << 11, "100BASE-TX hdx"},
    {1 << 10, "100BASE-TX fdx"},     {1 << 9, "100BASE-T2 hdx"},
    {1 << 8, "100BASE-T2 fdx"},      {1 << 7, "Pause for fdx links"},
    {1 << 6, "Asym PAUSE for fdx"},  {1 << 5, "Sym PAUSE for fdx"},
    {1 << 4, "Asym and Sym PAUSE for fdx"}, {1 << 3, "1000BASE-{X LX SX CX} hdx"},
    {1 << 2, "1000BASE-{X LX SX CX} fdx"}, {1 << 1, "1000BASE-T hdx"},
    {1 << 0, "1000BASE-T fdx"}};
constexpr Bit kMdi[] = {{1 << 0, "PSE"}, {1 << 1, "supported"}, {1 << 2, "enabled"},
                        {1 << 3, "can be controlled"}};

constexpr std::string_view kMauTypes[] = {
    "Unknown", "AUI", "10BASE_5", "FOIRL", "10BASE2", "10BASET duplex mode unknown",
    "10BASEFP", "10BASEFB", "10BASEFL duplex mode unknown", "10BROAD36", "10BASET hdx",
    "10BASET fdx", "10BASEFL hdx", "10BASEFL fdx", "100BASET4", "100BASETX hdx",
    "100BASETX fdx", "100BASEFX hdx", "100BASEFX fdx", "100BASET2 hdx", "100BASET2 fdx",
    "1000BASEX hdx", "1000BASEX fdx", "1000BASELX hdx", "1000BASELX fdx", "1000BASESX hdx",
    "1000BASESX fdx", "1000BASECX hdx", "1000BASECX fdx", "1000BASET hdx", "1000BASET fdx",
    "10GBASEX", "10GBASELX4", "10GBASER", "10GBASEER", "10GBASELR", "10GBASESR", "10GBASEW",
    "10GBASEEW", "10GBASELW", "10GBASESW"};

// tcpdump's nd_printjnp(): up to n bytes, stopping at a NUL.
void append_text(OutputBuffer& out, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n && p[i] != 0; ++i) append_safe_char(out, p[i]);
}

// tcpdump's lldp_network_addr_print(): false where it returns NULL.
bool append_network_address(OutputBuffer& out, const std::uint8_t* p, std::uint32_t length) {
  if (length < 1) return false;
  --length;
  const std::uint8_t af = p[0];
  std::uint32_t need = 0;
  switch (af) {
    case 1: need = 4; break;
    case 2: need = 16; break;
    case 6: need = 6; break;
    default: break;
  }
  if (need != 0 && length < need) return false;
  out.append("AFI ");
  out.append(address_family_name(af));
  out.append(" (");
  out.append_uint(af);
  if (need == 0) {
    out.append("), no AF printer !");
    return true;
  }
  out.append("): ");
  switch (af) {
    case 1: append_ipv4(out, p + 1); break;
    case 2: append_ipv6(out, p + 1); break;
    default: append_mac(out, p + 1); break;
  }
  return true;
}

enum class Value { done, hexdump, cut, unsupported };

// printf's "%-2d " / "%-3d" of a small value: left-justified in `width` columns.
void append_left(OutputBuffer& out, unsigned v, unsigned width) {
  const std::size_t before = out.size();
  out.append_uint(v);
  const std::size_t used = out.size() - before;
  if (used < width) out.append_repeat(' ', width - used);
}

// The 8 bits of `v`, lowest first, as "%-2d " each (the DCB priority indicators).
void append_priority_bits(OutputBuffer& out, std::uint8_t v) {
  out.append("\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : ");
  for (unsigned i = 0; i < 8; ++i) {
    append_left(out, (v >> i) & 1u, 2);
    out.append(' ');
  }
}

// The ETS tables: priority assignment (8 nibbles), TC bandwidth and TSA assignment (8 bytes).
void append_ets_tables(OutputBuffer& out, const std::uint8_t* t) {
  out.append("\n\t    Priority Assignment Table\n\t     Priority : 0   1   2   3   4   5   6   7"
             "\n\t     Value    : ");
  for (unsigned i = 0; i < 8; ++i) {
    if (i) out.append(' ');
    append_left(out, i % 2 ? t[5 + i / 2] & 0x0fu : t[5 + i / 2] >> 4u, 3);
  }
  out.append("\n\t    TC Bandwidth Table\n\t     TC%   : 0   1   2   3   4   5   6   7"
             "\n\t     Value : ");
  for (unsigned i = 0; i < 8; ++i) {
    if (i) out.append(' ');
    append_left(out, t[9 + i], 3);
  }
  out.append("\n\t    TSA Assignment Table\n\t     Traffic Class: 0   1   2   3   4   5   6   7"
             "\n\t     Value        : ");
  for (unsigned i = 0; i < 8; ++i) {
    if (i) out.append(' ');
    append_left(out, t[17 + i], 3);
  }
}

// The IEEE 802.1 DCB and EVB subtypes (8-14).
void print_8021_dcb(OutputBuffer& out, const std::uint8_t* t, std::uint32_t n, unsigned subtype) {
  switch (subtype) {
    case 8:
      if (n < 6) return;
      out.append("\n\t    Pre-Priority CNPV Indicator");
      append_priority_bits(out, t[4]);
      out.append("\n\t    Pre-Priority Ready Indicator");
      append_priority_bits(out, t[5]);
      return;
    case 9: {
      if (n < 25) return;
      const unsigned v = t[4];
      out.append("\n\t    Willing:");
      out.append_uint(v >> 7);
      out.append(", CBS:");
      out.append_uint((v >> 6) & 0x02u);
      out.append(", RES:");
      out.append_uint((v >> 3) & 0x07u);
      out.append(", Max TCs:");
      out.append_uint(v & 0x07u);
      append_ets_tables(out, t);
      return;
    }
    case 10:
      if (n < 25) return;
      out.append("\n\t    RES: ");
      out.append_uint(t[4]);
      append_ets_tables(out, t);
      return;
    case 11: {
      if (n < 6) return;
      const unsigned v = t[4];
      out.append("\n\t    Willing: ");
      out.append_uint(v >> 7);
      out.append(", MBC: ");
      out.append_uint((v >> 6) & 1u);
      out.append(", RES: ");
      out.append_uint((v >> 4) & 3u);
      out.append(", PFC cap:");
      out.append_uint(v & 0x0fu);
      out.append(" \n\t    PFC Enable");
      append_priority_bits(out, t[5]);
      return;
    }
    case 12: {
      if (n < 5) return;
      out.append("\n\t    RES: ");
      out.append_uint(t[4]);
      if (n <= 5 || (n - 5) % 3 != 0) return;
      out.append("\n\t    Application Priority Table");
      for (std::uint32_t i = 0; i < n - 5; i += 3) {
        const unsigned v = t[5 + i];
        out.append("\n\t      Priority: ");
        out.append_uint(v >> 5);
        out.append(", RES: ");
        out.append_uint((v >> 3) & 3u);
        out.append(", Sel: ");
        out.append_uint(v & 7u);
        out.append(", Protocol ID: ");
        out.append_uint(load_be16(t + 6 + i));
      }
      return;
    }
    case 13: {
      if (n < 9) return;
      out.append("\n\t    EVB Bridge Status\n\t      RES: ");
      out.append_uint(t[4] >> 3);
      out.append(", BGID: ");
      out.append_uint((t[4] >> 2) & 1u);
      out.append(", RRCAP: ");
      out.append_uint((t[4] >> 1) & 1u);
      out.append(", RRCTR: ");
      out.append_uint(t[4] & 1u);
      out.append("\n\t    EVB Station Status\n\t      RES: ");
      out.append_uint(t[5] >> 4);
      out.append(", SGID: ");
      out.append_uint((t[5] >> 3) & 1u);
      out.append(", RRREQ: ");
      out.append_uint((t[5] >> 2) & 1u);
      out.append(",RRSTAT: ");
      out.append_uint(t[5] & 3u);
      out.append("\n\t    R: ");
      out.append_uint(t[6] >> 5);
      out.append(", RTE: ");
      out.append_uint(t[6] & 0x1fu);
      static constexpr std::string_view kModes[] = {"Not Supported", "EVB Bridge", "EVB Station",
                                                    "Reserved for future Standardization"};
      out.append(", EVB Mode: ");
      out.append(kModes[t[7] >> 6]);
      out.append(" [");
      out.append_uint(t[7] >> 6);
      out.append("]\n\t    ROL: ");
      out.append_uint((t[7] >> 5) & 1u);
      out.append(", RWD: ");
      out.append_uint(t[7] & 0x1fu);
      out.append(", RES: ");
      out.append_uint(t[8] >> 6);
      out.append(", ROL: ");
      out.append_uint((t[8] >> 5) & 1u);
      out.append(", RKA: ");
      out.append_uint(t[8] & 0x1fu);
      return;
    }
    case 14: {
      if (n < 8) return;
      out.append("\n\t    Role: ");
      out.append_uint(t[4] >> 7);
      out.append(", RES: ");
      out.append_uint((t[4] >> 4) & 7u);
      out.append(", Scomp: ");
      out.append_uint((t[4] >> 3) & 1u);
      out.append(" ChnCap: ");
      out.append_uint(load_be16(t + 6) & 0x0fffu);
      if ((n - 8) % 3 != 0) return;
      for (std::uint32_t i = 8; i < n; i += 3) {
        const std::uint32_t v = std::uint32_t{t[i]} << 16 | std::uint32_t{t[i + 1]} << 8 | t[i + 2];
        out.append("\n\t    SCID: ");
        out.append_uint(v >> 12);
        out.append(", SVID: ");
        out.append_uint(v & 0xfffu);
      }
      return;
    }
    default: return;
  }
}

Value print_8021(OutputBuffer& out, const std::uint8_t* t, std::uint32_t n) {
  if (n < 4) return Value::done;
  const std::uint8_t subtype = t[3];
  out.append("\n\t  ");
  switch (subtype) {
    case 1: out.append("Port VLAN Id"); break;
    case 2: out.append("Port and Protocol VLAN ID"); break;
    case 3: out.append("VLAN name"); break;
    case 4: out.append("Protocol Identity"); break;
    case 7: out.append("Link aggregation"); break;
    case 8: out.append("Congestion Notification"); break;
    case 9: out.append("ETS Configuration"); break;
    case 10: out.append("ETS Recommendation"); break;
    case 11: out.append("Priority Flow Control Configuration"); break;
    case 12: out.append("Application Priority"); break;
    case 13: out.append("EVB"); break;
    case 14: out.append("CDCP"); break;
    default: out.append("unknown"); break;
  }
  out.append(" Subtype (");
  out.append_uint(subtype);
  out.append(')');
  switch (subtype) {
    case 1:
      if (n < 6) return Value::done;
      out.append("\n\t    port vlan id (PVID): ");
      out.append_uint(load_be16(t + 4));
      return Value::done;
    case 2:
      if (n < 7) return Value::done;
      out.append("\n\t    port and protocol vlan id (PPVID): ");
      out.append_uint(load_be16(t + 5));
      out.append(", flags [");
      append_bits(out, kProtocolVlan, t[4], "none"sv);
      out.append("] (0x");
      out.append_hex8(t[4]);
      out.append(')');
      return Value::done;
    case 3: {
      if (n < 6) return Value::done;
      out.append("\n\t    vlan id (VID): ");
      out.append_uint(load_be16(t + 4));
      if (n < 7) return Value::done;
      const std::uint32_t length = t[6];
      if (n < 7 + length) return Value::done;
      out.append("\n\t    vlan name: ");
      append_text(out, t + 7, length);
      return Value::done;
    }
    case 4: {
      if (n < 5) return Value::done;
      const std::uint32_t length = t[4];
      if (n < 5 + length) return Value::done;
      out.append("\n\t    protocol identity: ");
      append_text(out, t + 5, length);
      return Value::done;
    }
    case 7:
      if (n < 9) return Value::done;
      out.append("\n\t    aggregation status [");
      append_bits(out, kAggregation, t[4], "none"sv);
      out.append("], aggregation port ID ");
      out.append_uint(load_be32(t + 5));
      return Value::done;
    case 8: case 9: case 10: case 11: case 12: case 13: case 14:
      print_8021_dcb(out, t, n, subtype);
      return Value::done;
    default: return Value::hexdump;
  }
}

Value print_8023(OutputBuffer& out, const std::uint8_t* t, std::uint32_t n) {
  if (n < 4) return Value::done;
  const std::uint8_t subtype = t[3];
  out.append("\n\t  ");
  switch (subtype) {
    case 1: out.append("MAC/PHY configuration/status"); break;
    case 2: out.append("Power via MDI"); break;
    case 3: out.append("Link aggregation"); break;
    case 4: out.append("Max frame size"); break;
    default: out.append("unknown"); break;
  }
  out.append(" Subtype (");
  out.append_uint(subtype);
  out.append(')');
  switch (subtype) {
    case 1: {
      if (n < 9) return Value::done;
      out.append("\n\t    autonegotiation [");
      append_bits(out, kAutonegotiation, t[4], "none"sv);
      out.append("] (0x");
      out.append_hex8(t[4]);
      out.append(")\n\t    PMD autoneg capability [");
      const std::uint16_t pmd = load_be16(t + 5);
      append_bits(out, kPmdCapabilities, pmd, "unknown"sv);
      out.append("] (0x");
      out.append_hex_padded(pmd, 4);
      const std::uint16_t mau = load_be16(t + 7);
      out.append(")\n\t    MAU type ");
      out.append(mau < std::size(kMauTypes) ? kMauTypes[mau] : "unknown"sv);
      out.append(" (0x");
      out.append_hex_padded(mau, 4);
      out.append(')');
      return Value::done;
    }
    case 2:
      if (n < 7) return Value::done;
      out.append("\n\t    MDI power support [");
      append_bits(out, kMdi, t[4], "none"sv);
      out.append("], power pair ");
      out.append(t[5] == 1 ? "signal"sv : t[5] == 2 ? "spare"sv : "unknown"sv);
      out.append(", power class ");
      if (t[6] >= 1 && t[6] <= 5) {
        out.append("class");
        out.append_uint(t[6] - 1u);
      } else {
        out.append("unknown");
      }
      return Value::done;
    case 3:
      if (n < 9) return Value::done;
      out.append("\n\t    aggregation status [");
      append_bits(out, kAggregation, t[4], "none"sv);
      out.append("], aggregation port ID ");
      out.append_uint(load_be32(t + 5));
      return Value::done;
    case 4:
      if (n < 6) return Value::done;
      out.append("\n\t    MTU size ");
      out.append_uint(load_be16(t + 4));
      return Value::done;
    default: return Value::hexdump;
  }
}

std::string_view tia_subtype_name(unsigned subtype) {
  switch (subtype) {
    case 1: return "LLDP-MED Capabilities"sv;
    case 2: return "Network policy"sv;
    case 3: return "Location identification"sv;
    case 4: return "Extended power-via-MDI"sv;
    case 5: return "Inventory - hardware revision"sv;
    case 6: return "Inventory - firmware revision"sv;
    case 7: return "Inventory - software revision"sv;
    case 8: return "Inventory - serial number"sv;
    case 9: return "Inventory - manufacturer name"sv;
    case 10: return "Inventory - model name"sv;
    case 11: return "Inventory - asset ID"sv;
    default: return "unknown"sv;
  }
}

constexpr Bit kTiaCapabilities[] = {{1 << 0, "LLDP-MED capabilities"},
                                    {1 << 1, "network policy"},
                                    {1 << 2, "location identification"},
                                    {1 << 3, "extended power via MDI-PSE"},
                                    {1 << 4, "extended power via MDI-PD"},
                                    {1 << 5, "Inventory"}};
constexpr Bit kPolicyFlags[] = {{1 << 7, "Unknown"}, {1 << 6, "Tagged"}, {1 << 5, "reserved"}};

// LLDP-MED location identification: coordinates, civic address or ECS ELIN.
void print_tia_location(OutputBuffer& out, const std::uint8_t* t, std::uint32_t n) {
  if (n < 5) return;
  const std::uint8_t format = t[4];
  static constexpr std::string_view kFormats[] = {"coordinate-based LCI", "civic address LCI",
                                                  "ECS ELIN"};
  out.append("\n\t    Location data format ");
  out.append(format >= 1 && format <= 3 ? kFormats[format - 1] : "unknown"sv);
  out.append(" (0x");
  out.append_hex8(format);
  out.append(')');
  const auto latlon = [&](const std::uint8_t* p) {
    return (std::uint64_t{p[0] & 3u} << 32) | load_be32(p + 1);
  };
  switch (format) {
    case 1: {
      if (n < 21) return;
      out.append("\n\t    Latitude resolution ");
      out.append_uint(t[5] >> 2);
      out.append(", latitude value ");
      out.append_uint(latlon(t + 5));
      out.append("\n\t    Longitude resolution ");
      out.append_uint(t[10] >> 2);
      out.append(", longitude value ");
      out.append_uint(latlon(t + 10));
      const unsigned altitude = t[15] >> 4;
      out.append("\n\t    Altitude type ");
      out.append(altitude == 1 ? "meters"sv : altitude == 2 ? "floors"sv : "unknown"sv);
      out.append(" (");
      out.append_uint(altitude);
      out.append(")\n\t    Altitude resolution ");
      out.append_uint((load_be16(t + 15) >> 6) & 0x3fu);
      out.append(", altitude value 0x");
      out.append_hex(load_be32(t + 16) & 0x3fffffffu);
      static constexpr std::string_view kDatums[] = {"World Geodesic System 1984",
                                                     "North American Datum 1983 (NAVD88)",
                                                     "North American Datum 1983 (MLLW)"};
      out.append("\n\t    Datum ");
      out.append(t[20] >= 1 && t[20] <= 3 ? kDatums[t[20] - 1] : "unknown"sv);
      out.append(" (0x");
      out.append_hex8(t[20]);
      out.append(')');
      return;
    }
    case 2: {
      if (n < 6) return;
      std::uint32_t left = t[5];
      if (left < 3 || n < 7 + left) return;
      static constexpr std::string_view kWhat[] = {
          "location of DHCP server",
          "location of the network element believed to be closest to the client",
          "location of the client"};
      out.append("\n\t    LCI length ");
      out.append_uint(left);
      out.append(", LCI what ");
      out.append(t[6] <= 2 ? kWhat[t[6]] : "unknown"sv);
      out.append(" (0x");
      out.append_hex8(t[6]);
      out.append("), Country-code ");
      append_text(out, t + 7, 2);
      left -= 3;
      const std::uint8_t* p = t + 9;
      static constexpr std::string_view kCaTypes[] = {
          "national subdivisions (state,canton,region,province,prefecture)",
          "county, parish, gun, district", "city, township, shi",
          "city division, borough, city district, ward chou", "neighborhood, block", "street"};
      while (left > 0) {
        if (left < 2) return;
        const unsigned type = p[0], length = p[1];
        p += 2;
        left -= 2;
        out.append("\n\t      CA type '");
        out.append(type >= 1 && type <= 6 ? kCaTypes[type - 1] : "unknown"sv);
        out.append("' (");
        out.append_uint(type);
        out.append("), length ");
        out.append_uint(length);
        out.append(": ");
        if (type == 0 || length == 0 || left < length) return;
        append_text(out, p, length);
        p += length;
        left -= length;
      }
      return;
    }
    case 3:
      out.append("\n\t    ECS ELIN id ");
      append_text(out, t + 5, n - 5);
      return;
    default:
      out.append("\n\t    Location ID ");
      append_hex_lines(out, std::span<const std::uint8_t>(t + 5, n - 5), "\n\t      ");
      return;
  }
}

// ANSI/TIA-1057 LLDP-MED: capabilities, network policy, location, extended power, inventory.
Value print_tia(OutputBuffer& out, const std::uint8_t* t, std::uint32_t n) {
  if (n < 4) return Value::done;
  const std::uint8_t subtype = t[3];
  out.append("\n\t  ");
  out.append(tia_subtype_name(subtype));
  out.append(" Subtype (");
  out.append_uint(subtype);
  out.append(')');
  switch (subtype) {
    case 1: {
      if (n < 7) return Value::done;
      const std::uint16_t caps = load_be16(t + 4);
      out.append("\n\t    Media capabilities [");
      append_bits(out, kTiaCapabilities, caps, "none"sv);
      out.append("] (0x");
      out.append_hex_padded(caps, 4);
      out.append(")\n\t    Device type [");
      static constexpr std::string_view kDevices[] = {"endpoint class 1", "endpoint class 2",
                                                      "endpoint class 3", "network connectivity"};
      out.append(t[6] >= 1 && t[6] <= 4 ? kDevices[t[6] - 1] : "unknown"sv);
      out.append("] (0x");
      out.append_hex8(t[6]);
      out.append(')');
      return Value::done;
    }
    case 2: {
      if (n < 8) return Value::done;
      static constexpr std::string_view kApplications[] = {
          "voice",           "voice signaling",    "guest voice",     "guest voice signaling",
          "softphone voice", "video conferencing", "streaming video", "video signaling"};
      out.append("\n\t    Application type [");
      out.append(t[4] >= 1 && t[4] <= 8 ? kApplications[t[4] - 1] : "none"sv);
      out.append("] (0x");
      out.append_hex8(t[4]);
      out.append("), Flags [");
      append_bits(out, kPolicyFlags, t[5], "none"sv);
      out.append("]\n\t    Vlan id ");
      out.append_uint((load_be16(t + 5) & 0x1ffeu) >> 1);
      out.append(", L2 priority ");
      out.append_uint((load_be16(t + 6) & 0x01ffu) >> 6);
      out.append(", DSCP value ");
      out.append_uint(load_be16(t + 6) & 0x3fu);
      return Value::done;
    }
    case 4: {
      if (n < 7) return Value::done;
      const std::uint8_t b = t[4];
      // (tcpdump tests "b & 0xC0 >> 6", that is b & 3.)
      out.append(b & 3 ? "\n\t    Power type [PD device]"sv : "\n\t    Power type [PSE device]"sv);
      static constexpr std::string_view kSources[] = {"PSE - primary power source",
                                                      "local - backup power source",
                                                      "PSE+local - reserved"};
      const unsigned source = (b & 0x30u) >> 4, priority = b & 0x0fu;
      out.append(", Power source [");
      out.append(source >= 1 ? kSources[source - 1] : "none"sv);
      static constexpr std::string_view kPriorities[] = {"critical", "high", "low"};
      out.append("]\n\t    Power priority [");
      out.append(priority >= 1 && priority <= 3 ? kPriorities[priority - 1] : "none"sv);
      out.append("] (0x");
      out.append_hex8(static_cast<std::uint8_t>(priority));
      out.append(')');
      const std::uint16_t power = load_be16(t + 5);
      if (power < 1024) {
        out.append(", Power ");
        out.append_uint(power / 10u);
        out.append('.');
        out.append_uint(power % 10u);
        out.append(" Watts");
      } else {
        out.append(", Power ");
        out.append_uint(power);
        out.append(" (Reserved)");
      }
      return Value::done;
    }
    case 5: case 6: case 7: case 8: case 9: case 10: case 11: {
      static constexpr std::string_view kInventory[] = {
          "Hardware revision", "Firmware revision", "Software revision", "Serial number",
          "Manufacturer name", "Model name",        "Asset ID"};
      out.append("\n\t  ");
      out.append(kInventory[subtype - 5]);
      out.append(' ');
      append_text(out, t + 4, n - 4);
      return Value::done;
    }
    case 3: print_tia_location(out, t, n); return Value::done;
    default: return Value::hexdump;
  }
}

// The DCBX feature TLVs' common start: versions, the info block and the subtype.
void append_dcbx_feature(OutputBuffer& out, const std::uint8_t* p) {
  out.append("\n\t      Oper_Version: ");
  out.append_uint(p[0]);
  out.append("\n\t      Max_Version: ");
  out.append_uint(p[1]);
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.append("\n\t      Info block(0x");
  out.append(kHex[p[2] >> 4]);
  out.append(kHex[p[2] & 15]);
  out.append("): Enable bit: ");
  out.append_uint((p[2] & 0x80) ? 1 : 0);
  out.append(", Willing bit: ");
  out.append_uint((p[2] & 0x40) ? 1 : 0);
  out.append(", Error Bit: ");
  out.append_uint((p[2] & 0x20) ? 1 : 0);
  out.append("\n\t      SubType: ");
  out.append_uint(p[3]);
}

// DCBX (V 1.01) inside an LLDP organisation TLV of `n` bytes: its own TLVs.
Value print_dcbx(const Context& c, const std::uint8_t* t, std::uint32_t n) {
  OutputBuffer& out = c.out;
  if (n < 4) return Value::done;
  const std::uint8_t subtype = t[3];
  out.append("\n\t  ");
  out.append(subtype == 1   ? "DCB Capability Exchange Protocol Rev 1"sv
             : subtype == 2 ? "DCB Capability Exchange Protocol Rev 1.01"sv
                            : "unknown"sv);
  out.append(" Subtype (");
  out.append_uint(subtype);
  out.append(')');
  if (subtype == 1) return Value::hexdump;
  const std::uint8_t* p = t + 4;
  std::uint32_t left = n - 4;
  const std::uint8_t* const end = c.data() + c.caplen();
  bool hexdump = false;
  while (left >= 2) {
    const unsigned header = load_be16(p), type = header >> 9, length = header & 0x1ff;
    hexdump = false;
    left -= 2;
    p += 2;
    if (type == 0 || length == 0) break;
    if (static_cast<std::size_t>(end - p) < length || left < length) break;
    switch (type) {
      case 1:
        if (length < 10) return hexdump ? Value::hexdump : Value::done;
        out.append("\n\t    Control - Protocol Control (type 0x1, length ");
        out.append_uint(length);
        out.append(")\n\t      Oper_Version: ");
        out.append_uint(p[0]);
        out.append("\n\t      Max_Version: ");
        out.append_uint(p[1]);
        out.append("\n\t      Sequence Number: ");
        out.append_uint(load_be32(p + 2));
        out.append("\n\t      Acknowledgement Number: ");
        out.append_uint(load_be32(p + 6));
        break;
      case 2: {
        if (length < 17) return Value::done;
        out.append("\n\t    Feature - Priority Group (type 0x2, length ");
        out.append_uint(length);
        out.append(')');
        append_dcbx_feature(out, p);
        out.append("\n\t      Priority Allocation");
        const std::uint32_t groups = load_be32(p + 4);
        for (unsigned i = 0; i < 8; ++i) {
          out.append("\n\t          PgId_");
          out.append_uint(i);
          out.append(": ");
          out.append_uint((groups >> (28 - 4 * i)) & 0xfu);
        }
        out.append("\n\t      Priority Group Allocation");
        for (unsigned i = 0; i < 8; ++i) {
          out.append("\n\t          Pg percentage[");
          out.append_uint(i);
          out.append("]: ");
          out.append_uint(p[8 + i]);
        }
        out.append("\n\t      NumTCsSupported: ");
        out.append_uint(p[16]);
        break;
      }
      case 3: {
        if (length < 6) return Value::done;
        out.append("\n\t    Feature - Priority Flow Control (type 0x3, length ");
        out.append_uint(length);
        out.append(')');
        append_dcbx_feature(out, p);
        static constexpr char kHex[] = "0123456789ABCDEF";
        out.append("\n\t      PFC Config (0x");
        out.append(kHex[p[4] >> 4]);
        out.append(kHex[p[4] & 15]);
        out.append(')');
        for (unsigned i = 0; i < 8; ++i) {
          out.append("\n\t          Priority Bit ");
          out.append_uint(i);
          out.append(p[4] & (1u << i) ? ": Enabled"sv : ": Disabled"sv);
        }
        out.append("\n\t      NumTCPFCSupported: ");
        out.append_uint(p[5]);
        break;
      }
      case 4: {
        if (length < 4) return Value::done;
        out.append("\n\t    Feature - Application (type 0x4, length ");
        out.append_uint(length);
        out.append(')');
        append_dcbx_feature(out, p);
        for (std::uint32_t i = 4; length - i >= 6; i += 6) {
          const std::uint8_t* m = p + i;
          const std::uint32_t v = std::uint32_t{m[2]} << 16 | std::uint32_t{m[3]} << 8 | m[4];
          out.append("\n\t      Application Value\n\t          Application Protocol ID: 0x");
          out.append_hex_padded(load_be16(m), 4);
          out.append("\n\t          SF (0x");
          out.append_hex(v >> 22);
          out.append(v >> 22 ? ") Application Protocol ID is Socket Number"sv
                             : ") Application Protocol ID is L2 EtherType"sv);
          out.append("\n\t          OUI: 0x");
          out.append_hex_padded(v & 0x3fffffu, 6);
          out.append("\n\t          User Priority Map: 0x");
          out.append_hex8(m[5]);
        }
        break;
      }
      default: hexdump = true; break;
    }
    if (c.options.verbose > 1 || hexdump)
      append_hex_lines(out, std::span<const std::uint8_t>(p, length), "\n\t    ");
    left -= length;
    p += length;
  }
  return hexdump ? Value::hexdump : Value::done;
}

// A TLV's value at `t`, `n` bytes (all captured), under -v.
Value print_value(const Context& c, unsigned type, const std::uint8_t* t, std::uint32_t n) {
  OutputBuffer& out = c.out;
  switch (type) {
    case 1:
    case 2: {
      if (n < 2) return Value::cut;
      const std::uint8_t subtype = t[0];
      out.append("\n\t  Subtype ");
      out.append(type == 1 ? chassis_subtype_name(subtype) : port_subtype_name(subtype));
      out.append(" (");
      out.append_uint(subtype);
      out.append("): ");
      const unsigned mac = type == 1 ? 4 : 3, network = type == 1 ? 5 : 4;
      if (subtype == mac) {
        if (n < 7) return Value::cut;
        append_mac(out, t + 1);
      } else if (subtype == network) {
        if (!append_network_address(out, t + 1, n - 1)) return Value::cut;
      } else if (subtype >= 1 && subtype <= 7) {
        append_text(out, t + 1, n - 1);
      } else {
        return Value::hexdump;
      }
      return Value::done;
    }
    case 3:
      if (n < 2) return Value::cut;
      out.append(": TTL ");
      out.append_uint(load_be16(t));
      out.append('s');
      return Value::done;
    case 4:
      out.append(": ");
      append_text(out, t, n);
      return Value::done;
    case 5:
      out.append(": ");
      append_text(out, t, n);
      return Value::done;
    case 6:
      out.append("\n\t  ");
      append_text(out, t, n);
      return Value::done;
    case 7: {
      if (n < 4) return Value::cut;
      const std::uint16_t cap = load_be16(t), enabled = load_be16(t + 2);
      out.append("\n\t  System  Capabilities [");
      append_bits(out, kCapabilities, cap, "none"sv);
      out.append("] (0x");
      out.append_hex_padded(cap, 4);
      out.append(")\n\t  Enabled Capabilities [");
      append_bits(out, kCapabilities, enabled, "none"sv);
      out.append("] (0x");
      out.append_hex_padded(enabled, 4);
      out.append(')');
      return Value::done;
    }
    case 8: {
      if (n < 1) return Value::cut;
      const std::uint32_t address_length = t[0];
      if (n - 1 < address_length) return Value::cut;
      // (The address is printed after the length: build it after the prefix.)
      const std::size_t mark = out.size();
      out.append("\n\t  Management Address length ");
      out.append_uint(address_length);
      out.append(", ");
      if (!append_network_address(out, t + 1, address_length)) {
        out.truncate(mark);
        return Value::cut;
      }
      std::uint32_t at = 1 + address_length;
      if (n - at < 5) return Value::cut;
      const std::uint8_t numbering = t[at];
      out.append("\n\t  ");
      out.append(numbering == 2   ? "Interface Index"sv
                 : numbering == 3 ? "System Port Number"sv
                                  : "Unknown"sv);
      out.append(" Interface Numbering (");
      out.append_uint(numbering);
      out.append("): ");
      out.append_uint(load_be32(t + at + 1));
      at += 5;
      if (n > at) {
        const std::uint32_t oid_length = t[at];
        if (n - at < 1 + oid_length) return Value::cut;
        if (oid_length != 0) {
          out.append("\n\t  OID length ");
          out.append_uint(oid_length);
          append_text(out, t + at + 1, oid_length);
        }
      }
      return Value::done;
    }
    case 127: {
      if (n < 3) return Value::cut;
      const std::uint32_t oui = std::uint32_t{t[0]} << 16 | std::uint32_t{t[1]} << 8 | t[2];
      out.append(": OUI ");
      const std::string_view name = oui_name(oui);
      out.append(name.empty() ? "Unknown"sv : name);
      out.append(" (0x");
      out.append_hex_padded(oui, 6);
      out.append(')');
      switch (oui) {
        case 0x0080c2: return print_8021(out, t, n);
        case 0x00120f: return print_8023(out, t, n);
        case 0x00005e:  // IANA: the MUD URL subtype
          if (n < 8) return Value::done;
          out.append("\n\t  ");
          out.append(t[3] == 1 ? "MUD-URL"sv : "unknown"sv);
          out.append(" Subtype (");
          out.append_uint(t[3]);
          out.append(')');
          return t[3] == 1 ? Value::unsupported : Value::hexdump;
        case 0x0012bb: return print_tia(out, t, n);
        case 0x001b21: return print_dcbx(c, t, n);
        default: return Value::hexdump;
      }
    }
    default: return Value::hexdump;
  }
}

}  // namespace

void print_lldp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const int verbose = c.options.verbose;
  out.append("LLDP, length ");
  out.append_uint(length);
  std::uint32_t at = offset, left = length;
  while (left >= 2) {
    if (!c.captured(at, 2)) {
      out.append(" [|lldp]");
      return;
    }
    const std::uint16_t header = load_be16(c.data() + at);
    const unsigned type = header >> 9, n = header & 0x1ff;
    left -= 2;
    at += 2;
    if (verbose) {
      out.append("\n\t");
      out.append(tlv_name(type));
      out.append(" TLV (");
      out.append_uint(type);
      out.append("), length ");
      out.append_uint(n);
    }
    if (type == 0 || n == 0) break;
    if (!c.captured(at, n) || left < n) {
      out.append(" [|lldp]");
      return;
    }
    const std::uint8_t* t = c.data() + at;
    Value value = Value::done;
    if (verbose) {
      value = print_value(c, type, t, n);
    } else if (type == 5) {  // the system name, also without -v
      out.append(": ");
      append_text(out, t, n);
    }
    if (value == Value::cut || value == Value::unsupported) {
      out.append(" [|lldp]");
      return;
    }
    if (verbose > 1 || (verbose && value == Value::hexdump))
      append_hex_lines(out, std::span<const std::uint8_t>(t, n), "\n\t  ");
    left -= n;
    at += n;
  }
}

}  // namespace slimcap::detail
