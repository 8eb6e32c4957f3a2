// IEEE 802.2 LLC and SNAP (tcpdump 4.99's print-llc.c and the 802.3 branch of print-ether.c):
// the Ethernet frames whose type field is a length, what their LLC header carries (STP BPDUs,
// SNAP with an ethertype or a Cisco PID, RFC 948 IP), and the names and flags tcpdump shows.
//
// tcpdump cuts the capture at the end of the 802.3 payload (the length field, when it is
// shorter than the frame: the rest is padding), so everything here reads through a view that
// ends there. What tcpdump cannot decode it dumps (hex and ASCII, from the LLC header on, up to
// that end) unless -q, -x or -X.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

std::string_view sap_name(std::uint8_t sap) {
  switch (sap) {
    case 0x00: return "Null"sv;
    case 0xff: return "Global"sv;
    case 0x02: return "802.1B I"sv;
    case 0x03: return "802.1B G"sv;
    case 0x06: return "IP"sv;
    case 0x04: return "SNA"sv;
    case 0x0e: return "ProWay NM"sv;
    case 0x42: return "STP"sv;
    case 0x4e: return "RS511"sv;
    case 0x7e: return "ISO8208"sv;
    case 0x8e: return "ProWay"sv;
    case 0xaa: return "SNAP"sv;
    case 0xe0: return "IPX"sv;
    case 0xf0: return "NetBeui"sv;
    case 0xfe: return "OSI"sv;
    default: return {};
  }
}

std::string_view u_command_name(std::uint8_t command) {
  switch (command) {
    case 0x03: return "ui"sv;
    case 0xe3: return "test"sv;
    case 0xaf: return "xid"sv;
    case 0x63: return "ua"sv;
    case 0x43: return "disc"sv;
    case 0x0f: return "dm"sv;
    case 0x6f: return "sabme"sv;
    case 0x87: return "frmr"sv;
    default: return {};
  }
}

// tcpdump's llc_flag_values: the command/response bit of the SSAP with the poll/final bit.
std::string_view llc_flags(unsigned v) {
  switch (v) {
    case 0x000: return "Command"sv;
    case 0x001: return "Response"sv;
    case 0x010: case 0x100: return "Poll"sv;
    case 0x011: case 0x101: return "Final"sv;
    default: return "?"sv;
  }
}

}  // namespace

std::string_view oui_name(std::uint32_t oui) {
  switch (oui) {
    case 0x000000: return "Ethernet"sv;
    case 0x00000c: return "Cisco"sv;
    case 0x00005e: return "IANA"sv;
    case 0x000081: return "Nortel Networks SONMP"sv;
    case 0x0000f8: return "Cisco bridged"sv;
    case 0x0080c2: return "Ethernet bridged"sv;
    case 0x00a03e: return "ATM Forum"sv;
    case 0x00e02f: return "DOCSIS Spanning Tree"sv;
    case 0x080007: return "Appletalk"sv;
    case 0x009069: return "Juniper"sv;
    case 0x080009: return "Hewlett-Packard"sv;
    case 0x00120f: return "IEEE 802.3 Private"sv;
    case 0x0012bb: return "ANSI/TIA"sv;
    case 0x001b21: return "DCBX"sv;
    case 0x002320: return "Nicira Networks"sv;
    case 0x5c16c7: return "Big Switch Networks"sv;
    case 0xb0d2f5: return "Vello Systems"sv;
    case 0x002481: return "HP"sv;
    case 0x0004ea: return "HP-Labs"sv;
    case 0x748771: return "Infoblox Inc"sv;
    case 0xa42305: return "Open Networking Lab"sv;
    case 0x00049f: return "Freescale"sv;
    case 0x0015ad: return "Netronome"sv;
    case 0x001018: return "Broadcom"sv;
    case 0x00e004: return "PMC-Sierra"sv;
    case 0xd0f0db: return "Ericsson"sv;
    default: return {};
  }
}

namespace {

std::string_view cisco_pid_name(std::uint16_t pid) {
  switch (pid) {
    case 0x2000: return "CDP"sv;
    case 0x2003: return "VTP"sv;
    case 0x2004: return "DTP"sv;
    case 0x0111: return "UDLD"sv;
    case 0x010b: return "PVST"sv;
    case 0x010c: return "VLAN Bridge"sv;
    default: return {};
  }
}

std::string_view bridged_pid_name(std::uint16_t pid) {
  switch (pid) {
    case 0x0001: return "Ethernet + FCS"sv;
    case 0x0007: return "Ethernet w/o FCS"sv;
    case 0x0002: return "802.4 + FCS"sv;
    case 0x0008: return "802.4 w/o FCS"sv;
    case 0x0003: return "Token Ring + FCS"sv;
    case 0x0009: return "Token Ring w/o FCS"sv;
    case 0x0004: return "FDDI + FCS"sv;
    case 0x000a: return "FDDI w/o FCS"sv;
    case 0x0005: return "802.6 + FCS"sv;
    case 0x000b: return "802.6 w/o FCS"sv;
    case 0x000e: return "BPDU"sv;
    default: return {};
  }
}

// The name of a SNAP PID as tcpdump looks it up for the OUI (an ethertype for some).
std::string_view pid_name(std::uint32_t oui, std::uint16_t pid) {
  switch (oui) {
    case 0x000000:
    case 0x0000f8:
    case 0x080007: return ethertype_name(pid);
    case 0x00000c: return cisco_pid_name(pid);
    case 0x0080c2: return bridged_pid_name(pid);
    default: return {};
  }
}

void append_name(OutputBuffer& out, std::string_view name, std::string_view unknown) {
  out.append(name.empty() ? unknown : name);
}

// "Unknown DSAP 0x%02x" where the SAP has no name.
void append_sap(OutputBuffer& out, std::uint8_t sap, std::string_view unknown) {
  const std::string_view name = sap_name(sap);
  if (!name.empty()) return out.append(name);
  out.append(unknown);
  out.append_hex8(sap);
}

// tcpdump's default print: the undecoded bytes, hex and ASCII, unless -q, -x or -X.
void default_print(const Context& c, std::uint32_t offset) {
  if (c.options.quiet || c.options.dump == DumpStyle::hex || c.options.dump == DumpStyle::hex_ascii)
    return;
  if (offset < c.caplen()) append_dump(c.out, c.packet.data.subspan(offset), DumpStyle::hex_ascii);
}

// tcpdump's " [|llc]" of a cut header and the dump of what there is, whatever the flags.
void llc_cut(const Context& c, std::uint32_t offset) {
  c.out.append(" [|llc]");
  if (offset < c.caplen()) append_dump(c.out, c.packet.data.subspan(offset), DumpStyle::hex_ascii);
}

// An ARP packet inside SNAP: the decoder's ARP fields, read here.
void print_snap_arp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  PacketView inner;
  inner.data = c.packet.data.subspan(offset);
  inner.wire_length = length;
  inner.link_type = c.packet.link_type;
  inner.timestamp_ns = c.packet.timestamp_ns;
  Summary s;
  s.network = Network::arp;
  s.ethertype = 0x0806;
  const std::uint8_t* a = inner.data.data();
  const std::uint32_t caplen = inner.caplen();
  if (caplen < 8) {
    s.truncated = Layer::arp;
  } else {
    s.arp_hardware = load_be16(a);
    s.arp_protocol = load_be16(a + 2);
    s.arp_hardware_length = a[4];
    s.arp_protocol_length = a[5];
    s.arp_op = load_be16(a + 6);
    if (s.arp_hardware == 19) {
      if (caplen < 12 ||
          caplen < 12u + (a[4] & 0x3fu) + (a[5] & 0x3fu) + a[8] + (a[9] & 0x3fu) +
                       (a[10] & 0x3fu) + a[11])
        s.truncated = Layer::arp;
    } else {
      const std::uint32_t hl = a[4], pl = a[5];
      if (caplen < 8 + 2 * (hl + pl)) {
        s.truncated = Layer::arp;
      } else {
        s.arp_sender_mac = a + 8;
        s.arp_sender_ip = a + 8 + hl;
        s.arp_target_mac = a + 8 + hl + pl;
        s.arp_target_ip = a + 8 + 2 * hl + pl;
      }
    }
  }
  const Context ic{c.options, inner, s, c.out, c.conversations};
  print_network(ic, !c.options.link_header);
  if (ic.dump_whole) c.dump_whole = true;
}

// IPv4 or IPv6 inside SNAP or an IP-SAP LLC frame: decoded on its own, printed as tcpdump's
// ip_print()/ip6_print() do (no "IP " name with -e).
void print_inner_ip(const Context& c, std::uint32_t offset, std::uint32_t length, bool v6) {
  PacketView inner;
  inner.data = c.packet.data.subspan(std::min(offset, c.caplen()));
  inner.wire_length = length;
  inner.link_type = v6 ? link_type::kIpv6 : link_type::kIpv4;
  inner.timestamp_ns = c.packet.timestamp_ns;
  if (inner.caplen() == 0) {
    c.out.append(v6 ? " [|ip6]"sv : " [|ip]"sv);
    if (!v6) c.dump_whole = true;
    return;
  }
  if ((inner.data[0] >> 4) != (v6 ? 6 : 4)) {
    // tcpdump's "IP4 bad version" / "IP6 bad version" texts: not implemented here.
    c.out.append(v6 ? " [|ip6]"sv : " [|ip]"sv);
    return;
  }
  Summary s;
  decode(inner, s);
  const Context ic{c.options, inner, s, c.out, c.conversations};
  print_network(ic, !c.options.link_header);
  if (ic.dump_whole) c.dump_whole = true;
}

// tcpdump's ethertype_print() for a SNAP frame's ethertype: true when it printed the payload
// (or, for a protocol tcpdump knows and slimcap does not, a marker after what tcpdump prints
// first); false for a type tcpdump does not know.
bool print_snap_ethertype(const Context& c, std::uint16_t type, std::uint32_t offset,
                          std::uint32_t length) {
  switch (type) {
    case 0x0800: print_inner_ip(c, offset, length, false); return true;
    case 0x86dd: print_inner_ip(c, offset, length, true); return true;
    case 0x0806:
    case 0x8035: print_snap_arp(c, offset, length); return true;
    default: break;
  }
  if (const PayloadPrinter print = ethertype_printer(type)) {
    print(c, offset, length);
    return true;
  }
  switch (type) {
    // The types tcpdump 4.99 decodes and slimcap does not (yet): an honest marker.
    case 0x6003: c.out.append(" [|decnet]"); return true;
    case 0x809b: c.out.append(c.options.verbose ? "et1  [|atalk]"sv : " [|atalk]"sv); return true;
    case 0x80f3: c.out.append(" [|aarp]"); return true;
    case 0x8137: c.out.append("(NOV-ETHII)  [|ipx]"); return true;
    case 0xfefe: c.out.append(" [|isoclns]"); return true;
    case 0x8863: case 0x8864: case 0x3c12: case 0x3c13: c.out.append(" [|pppoe]"); return true;
    case 0x8899: c.out.append(" [|rrcp]"); return true;
    case 0x880b: c.out.append(" [|ppp]"); return true;
    case 0x8808: c.out.append(" [|mpcp]"); return true;
    case 0x8902: case 0xabcd: c.out.append(" [|cfm]"); return true;
    case 0x894f: c.out.append(" [|nsh]"); return true;
    case 0x9000: c.out.append(" [|loopback]"); return true;
    case 0x8847: case 0x8848: c.out.append(" [|mpls]"); return true;
    case 0x88ca: c.out.append(" [|tipc]"); return true;
    case 0x886f: c.out.append(" [|msnlb]"); return true;
    case 0x0707: case 0x8947: c.out.append(" [|geonet]"); return true;
    case 0x1111: c.out.append(" [|calm_fast]"); return true;
    case 0x88a2: c.out.append(" [|aoe]"); return true;
    case 0x88f7: c.out.append(" [|ptp]"); return true;
    case 0x88cc: case 0x8809: case 0x888e: return false;  // (never: their printers are in the table)
    default: return false;
  }
}

// tcpdump's snap_print(): the 5-byte SNAP header at `offset`, `length` bytes on the wire from
// there. Returns 1 when it printed the payload (or a marker), 0 when tcpdump dumps it.
int print_snap(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (!c.captured(offset, 5) || length < 5) {
    out.append(" [|snap]");
    return 1;
  }
  const std::uint8_t* p = c.data() + offset;
  const std::uint32_t oui = std::uint32_t{p[0]} << 16 | std::uint32_t{p[1]} << 8 | p[2];
  const std::uint16_t pid = load_be16(p + 3);
  if (c.options.link_header) {
    out.append("oui ");
    append_name(out, oui_name(oui), "Unknown"sv);
    out.append(" (0x");
    out.append_hex_padded(oui, 6);
    out.append(oui == 0 ? "), ethertype "sv : "), pid "sv);
    append_name(out, pid_name(oui, pid), "Unknown"sv);
    out.append(" (0x");
    out.append_hex_padded(pid, 4);
    out.append("), length ");
    out.append_uint(length - 5);
    out.append(": ");
  }
  offset += 5;
  length -= 5;
  switch (oui) {
    case 0x000000:
    case 0x0000f8:
      if (print_snap_ethertype(c, pid, offset, length)) return 1;
      break;
    case 0x080007:
      if (pid == 0x809b && print_snap_ethertype(c, pid, offset, length)) return 1;
      break;
    case 0x00000c:
      switch (pid) {
        case 0x2000: print_cdp(c, offset, length); return 1;
        case 0x2004: out.append(" [|dtp]"); return 1;
        case 0x0111: out.append(" [|udld]"); return 1;
        case 0x2003: out.append(" [|vtp]"); return 1;
        case 0x010b:
        case 0x010c: print_stp(c, offset, length); return 1;
        default: break;
      }
      break;
    case 0x0080c2:
      switch (pid) {
        case 0x0001:
        case 0x0007:
          if (!c.captured(offset, 2)) {
            out.append(" [|snap]");
            return 1;
          }
          print_inner_frame(c, offset + 2, length - std::min<std::uint32_t>(length, 2),
                            link_type::kEthernet);
          return 1;
        case 0x0003: case 0x0009: out.append(" [|token-ring]"); return 1;
        case 0x0004: case 0x000a: out.append(" [|fddi]"); return 1;
        case 0x000e: print_stp(c, offset, length); return 1;
        default: break;
      }
      break;
    default: break;
  }
  if (!c.options.link_header) {
    if (c.s.source_mac != nullptr) {  // (none in a Linux cooked header)
      append_mac(out, c.s.source_mac);
      out.append(" > ");
      append_mac(out, c.s.destination_mac);
      out.append(' ');
    }
    if (oui == 0) {
      out.append("SNAP, ethertype ");
      append_name(out, ethertype_name(pid), "Unknown"sv);
      out.append(" (0x");
      out.append_hex_padded(pid, 4);
    } else {
      out.append("SNAP, oui ");
      append_name(out, oui_name(oui), "Unknown"sv);
      out.append(" (0x");
      out.append_hex_padded(oui, 6);
      out.append("), pid ");
      append_name(out, pid_name(oui, pid), "Unknown"sv);
      out.append(" (0x");
      out.append_hex_padded(pid, 4);
    }
    out.append("), length ");
    out.append_uint(length);
    out.append(": ");
  }
  return 0;
}

// tcpdump's llc_print(): the LLC header at `offset`, `length` bytes on the wire from there.
// Returns the length of the LLC (and SNAP) header, negative when tcpdump dumps the payload.
int print_llc(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint32_t available = c.caplen() > offset ? c.caplen() - offset : 0;
  if (available < 3) {
    llc_cut(c, offset);
    return static_cast<int>(available);
  }
  if (length < 3) {
    llc_cut(c, offset);
    return static_cast<int>(length);
  }
  const std::uint8_t* p = c.data() + offset;
  const std::uint8_t dsap_field = p[0], ssap_field = p[1];
  unsigned control = p[2];
  const bool is_u = (control & 3) == 3;
  int header = 3;
  if (!is_u) {
    if (available < 4) {
      llc_cut(c, offset);
      return static_cast<int>(available);
    }
    if (length < 4) {
      llc_cut(c, offset);
      return static_cast<int>(length);
    }
    control = load_le16(p + 2);
    header = 4;
  }
  if (dsap_field == 0xff && ssap_field == 0xff) {
    // Ethernet_802.3 IPX (no LLC header): not decoded here.
    out.append(c.options.link_header ? "IPX 802.3:  [|ipx]"sv : "IPX  [|ipx]"sv);
    return 0;
  }
  const std::uint8_t dsap = dsap_field & 0xfe, ssap = ssap_field & 0xfe;
  if (c.options.link_header) {
    out.append("LLC, dsap ");
    append_name(out, sap_name(dsap), "Unknown"sv);
    out.append(" (0x");
    out.append_hex8(dsap);
    out.append(dsap_field & 1 ? ") Group, ssap "sv : ") Individual, ssap "sv);
    append_name(out, sap_name(ssap), "Unknown"sv);
    out.append(" (0x");
    out.append_hex8(ssap);
    out.append(ssap_field & 1 ? ") Response, ctrl 0x"sv : ") Command, ctrl 0x"sv);
    out.append_hex_padded(control, is_u ? 2 : 4);
    out.append(": ");
  }
  const std::uint32_t payload = offset + static_cast<std::uint32_t>(header);
  length -= static_cast<std::uint32_t>(header);
  const bool ui = control == 0x03;
  if (ssap == 0xaa && dsap == 0xaa && ui)
    return print_snap(c, payload, length) ? header + 5 : -(header + 5);
  if (ssap == 0x42 && dsap == 0x42 && ui) {
    print_stp(c, payload, length);
    return header;
  }
  if (ssap == 0x06 && dsap == 0x06 && ui) {
    print_inner_ip(c, payload, length, false);
    return header;
  }
  if (ssap == 0xe0 && dsap == 0xe0 && ui) {
    out.append(c.options.link_header ? "IPX 802.2:  [|ipx]"sv : "IPX  [|ipx]"sv);
    return header;
  }
  if (ssap == 0xfe && dsap == 0xfe && ui) {
    out.append(" [|isoclns]");
    return header;
  }
  if (!c.options.link_header) {
    const bool macs = c.s.source_mac != nullptr;  // (none in a Linux cooked header)
    if (macs) {
      append_mac(out, c.s.source_mac);
      out.append(ssap == dsap ? " > "sv : " "sv);
    }
    if (ssap != dsap) {
      append_sap(out, ssap, "Unknown SSAP 0x"sv);
      out.append(" > ");
    }
    if (macs) {
      append_mac(out, c.s.destination_mac);
      out.append(' ');
    }
    append_sap(out, dsap, "Unknown DSAP 0x"sv);
    out.append(' ');
  }
  const std::uint32_t total = length + static_cast<std::uint32_t>(header);
  if (is_u) {
    out.append("Unnumbered, ");
    const std::uint8_t command = control & 0xef;
    if (const std::string_view name = u_command_name(command); !name.empty())
      out.append(name);
    else
      out.append_hex8(command);
    out.append(", Flags [");
    out.append(llc_flags((ssap_field & 1u) | (control & 0x10u)));
    out.append("], length ");
    out.append_uint(total);
    if ((control & ~0x10u) == 0xaf) {  // XID
      if (length == 0) return header;
      const std::uint32_t left = available - static_cast<std::uint32_t>(header);
      if (left < 1) {
        out.append(" [|llc]");
        return header;
      }
      if (c.data()[payload] == 0x81) {
        if (left < 3 || length < 3) {
          llc_cut(c, payload);
        } else {
          out.append(": ");
          out.append_hex8(c.data()[payload + 1]);
          out.append(' ');
          out.append_hex8(c.data()[payload + 2]);
        }
        return header;
      }
    }
  } else if (control & 1) {
    out.append("Supervisory, ");
    switch ((control >> 2) & 3) {
      case 0: out.append("Receiver Ready"); break;
      case 1: out.append("Receiver not Ready"); break;
      case 2: out.append("Reject"); break;
      default: out.append("?"); break;
    }
    out.append(", rcv seq ");
    out.append_uint((control >> 9) & 0x7f);
    out.append(", Flags [");
    out.append(llc_flags((ssap_field & 1u) | (control & 0x100u)));
    out.append("], length ");
    out.append_uint(total);
    return header;
  } else {
    out.append("Information, send seq ");
    out.append_uint((control >> 1) & 0x7f);
    out.append(", rcv seq ");
    out.append_uint((control >> 9) & 0x7f);
    out.append(", Flags [");
    out.append(llc_flags((ssap_field & 1u) | (control & 0x100u)));
    out.append("], length ");
    out.append_uint(total);
  }
  return -header;
}

}  // namespace

std::uint32_t print_ieee8023(const Context& c) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  const std::uint32_t offset = s.link_header_length;
  // The payload's length: the field's, when it is less than what follows the header.
  std::uint32_t length = c.packet.wire_length - offset;
  if (s.ethertype < length) length = s.ethertype;
  if (c.options.link_header) {
    append_mac(out, s.source_mac);
    out.append(" > ");
    append_mac(out, s.destination_mac);
    out.append(", ");
    if (s.vlan_count == 0) {
      out.append("802.3, length ");
      out.append_uint(length);
      out.append(": ");
    } else {
      append_ethertype(out, s.outer_ethertype, c.options.quiet);
      out.append(", length ");
      out.append_uint(c.packet.wire_length);
      out.append(": ");
      for (std::uint8_t i = 0; i < s.vlan_count; ++i) {
        append_vlan_tag(out, s.vlans[i]);
        if (i + 1 < s.vlan_count) {
          append_ethertype(out, s.vlans[i + 1].tpid, c.options.quiet);
          out.append(", ");
        }
      }
      out.append("802.3");
    }
  }
  // tcpdump's view ends with the 802.3 payload.
  PacketView view = c.packet;
  const std::uint64_t end = std::uint64_t{offset} + length;
  if (end < view.caplen()) view.data = view.data.first(static_cast<std::size_t>(end));
  const Context v{c.options, view, s, out, c.conversations};
  const int header = print_llc(v, offset, length);
  if (header < 0) default_print(v, offset);
  if (v.dump_whole) c.dump_whole = true;
  return offset + static_cast<std::uint32_t>(header < 0 ? -header : header);
}

std::uint32_t print_llc_payload(const Context& c, std::uint32_t offset, std::uint32_t length) {
  int header = print_llc(c, offset, length);
  if (header < 0) {
    default_print(c, offset);
    header = -header;
  }
  return offset + static_cast<std::uint32_t>(header);
}

std::uint32_t print_cooked_llc(const Context& c) {
  const std::uint32_t offset = c.s.link_header_length;
  const int header = print_llc(c, offset, c.packet.wire_length - offset);
  if (header < 0) {
    default_print(c, offset);
    return offset;  // (tcpdump counts no LLC header then)
  }
  return offset + static_cast<std::uint32_t>(header);
}

}  // namespace slimcap::detail
