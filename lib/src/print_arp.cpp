// ARP and RARP (and ATM ARP) as tcpdump 4.99 prints them.

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

// tcpdump's names of ARP hardware types.
std::string_view arp_hardware_name(std::uint16_t type) {
  switch (type) {
    case 1: return "Ethernet"sv;
    case 6: return "TokenRing"sv;
    case 7: return "ArcNet"sv;
    case 15: return "FrameRelay"sv;
    case 19: return "ATM"sv;
    case 23: return "Strip"sv;
    case 24: return "IEEE 1394"sv;
    case 32: return "InfiniBand"sv;
    default: return {};
  }
}

// tcpdump's name of an ARP opcode (empty for an unknown one).
std::string_view arp_op_name(std::uint16_t op) {
  switch (op) {
    case 1: return "Request"sv;
    case 2: return "Reply"sv;
    case 3: return "Reverse Request"sv;
    case 4: return "Reverse Reply"sv;
    case 8: return "Inverse Request"sv;
    case 9: return "Inverse Reply"sv;
    case 10: return "NACK Reply"sv;
    default: return {};
  }
}

// `name`, or when the table has none, `unknown` (which opens a parenthesis), the number and
// ")": tcpdump's "Unknown Hardware (37)".
void append_name_or_number(OutputBuffer& out, std::string_view name, std::string_view unknown,
                           std::uint32_t value) {
  if (!name.empty()) return out.append(name);
  out.append(unknown);
  out.append_uint(value);
  out.append(')');
}

// An ARP protocol type by its ethertype name, or tcpdump's "Unknown Protocol (0x....)".
void append_arp_protocol(OutputBuffer& out, std::uint16_t protocol) {
  const std::string_view name = ethertype_name(protocol);
  if (name.empty()) {
    out.append("Unknown Protocol (0x");
    out.append_hex_padded(protocol, 4);
    out.append(')');
  } else {
    out.append(name);
  }
}

// ATM ARP (RFC 2225) as tcpdump's atmarp_print() shows it; the decoder checked that the
// whole packet is captured.
[[gnu::noinline]] void print_atm_arp(const Context& c) {
  OutputBuffer& out = c.out;
  const Summary& s = c.s;
  const std::uint8_t* a = c.data() + s.network_offset;
  const std::uint32_t sha = a[4] & 0x3fu, ssa = a[5] & 0x3fu, spa = a[8];
  const std::uint32_t tha = a[9] & 0x3fu, tsa = a[10] & 0x3fu, tpa = a[11];
  const std::uint8_t* source = a + 12;
  const std::uint8_t* source_ip = source + sha + ssa;
  const std::uint8_t* target = source_ip + spa;
  const std::uint8_t* target_ip = target + tha + tsa;
  const bool ip = s.arp_protocol == 0x0800 || s.arp_protocol == 0x1000;
  const bool verbose = c.options.verbose > 0;
  if (!ip || spa != 4 || tpa != 4 || verbose) {
    out.append("ATM, ");
    append_arp_protocol(out, s.arp_protocol);
    out.append(" (len ");
    out.append_uint(spa);
    out.append('/');
    out.append_uint(tpa);
    out.append(')');
    if (!verbose) {
      out.append(", length ");
      out.append_uint(c.packet.wire_length - s.network_offset);
      return;
    }
    out.append(", ");
  }
  append_name_or_number(out, arp_op_name(s.arp_op), "Unknown (", s.arp_op);
  out.append(' ');
  // An ATM number and subaddress, in hex.
  const auto address = [&](const std::uint8_t* p, std::uint32_t n, std::uint32_t sub) {
    if (n == 0) return out.append("<No address>");
    for (std::uint32_t i = 0; i < n; ++i) {
      if (i) out.append(':');
      out.append_hex8(p[i]);
    }
    if (sub == 0) return;
    out.append(',');
    for (std::uint32_t i = 0; i < sub; ++i) {
      if (i) out.append(':');
      out.append_hex8(p[n + i]);
    }
  };
  const auto protocol_address = [&](const std::uint8_t* p, std::uint32_t n, std::string_view bad) {
    if (!ip)
      out.append("<wrong proto type>");
    else if (n != 4)
      out.append(bad);
    else
      append_ipv4(out, p);
  };
  switch (s.arp_op) {
    case 1:
      out.append("who-has ");
      protocol_address(target_ip, tpa, "<wrong tplen>"sv);
      if (tha != 0) {
        out.append(" (");
        address(target, tha, tsa);
        out.append(')');
      }
      out.append(" tell ");
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      break;
    case 2:
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      out.append(" is-at ");
      address(source, sha, ssa);
      break;
    case 8:
      out.append("who-is ");
      address(target, tha, tsa);
      out.append(" tell ");
      address(source, sha, ssa);
      break;
    case 9:
      address(source, sha, ssa);
      out.append("at ");
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      break;
    case 10:
      out.append("for ");
      protocol_address(source_ip, spa, "<wrong splen>"sv);
      break;
    default:
      append_dump(out, c.packet.data.subspan(s.network_offset), DumpStyle::hex_ascii);
      return;
  }
  out.append(", length ");
  out.append_uint(c.packet.wire_length - s.network_offset);
}

}  // namespace

void print_arp(const Context& c, bool prefix) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (prefix) out.append("ARP, ");
  if (s.truncated == Layer::arp) {
    out.append("[|ARP]");
    return;
  }
  if (s.arp_hardware == 19) return print_atm_arp(c);
  const std::uint32_t length = c.packet.wire_length - s.network_offset;
  const std::uint32_t hardware_length = s.arp_hardware_length;
  // tcpdump prints protocol addresses for IPv4 (and the old trailer type) only.
  const bool ip = s.arp_protocol == 0x0800 || s.arp_protocol == 0x1000;
  if (!ip || s.arp_protocol_length != 4 || hardware_length == 0 || c.options.verbose > 0) {
    append_name_or_number(out, arp_hardware_name(s.arp_hardware), "Unknown Hardware (",
                          s.arp_hardware);
    out.append(" (len ");
    out.append_uint(hardware_length);
    out.append("), ");
    append_arp_protocol(out, s.arp_protocol);
    out.append(" (len ");
    out.append_uint(s.arp_protocol_length);
    out.append(')');
    if (c.options.verbose == 0) {  // tcpdump knows no address formats then
      out.append(", length ");
      out.append_uint(length);
      return;
    }
    out.append(", ");
  }
  const auto protocol_address = [&](const std::uint8_t* a) {
    if (!ip)
      out.append("<wrong proto type>");
    else if (s.arp_protocol_length != 4)
      out.append("<wrong len>");
    else
      append_ipv4(out, a);
  };
  // tcpdump's linkaddr_string(): a MAC address, else the bytes in hex joined by ':'; frame
  // relay's two-byte Q.922 address as its DLCI.
  const auto hardware_address = [&](const std::uint8_t* a) {
    if (hardware_length == 0) return out.append("<empty>");
    if (s.arp_hardware == 15 && hardware_length == 2 && (a[1] & 1)) {
      out.append("DLCI ");
      out.append_uint(((a[0] & 0xfcu) << 2) | ((a[1] & 0xf0u) >> 4));
      return;
    }
    for (std::uint32_t i = 0; i < hardware_length; ++i) {
      if (i) out.append(':');
      out.append_hex8(a[i]);
    }
  };
  switch (s.arp_op) {
    case 1: {
      out.append("Request who-has ");
      protocol_address(s.arp_target_ip);
      if (std::any_of(s.arp_target_mac, s.arp_target_mac + hardware_length,
                      [](std::uint8_t b) { return b != 0; })) {
        out.append(" (");
        hardware_address(s.arp_target_mac);
        out.append(')');
      }
      out.append(" tell ");
      protocol_address(s.arp_sender_ip);
      break;
    }
    case 2:
      out.append("Reply ");
      protocol_address(s.arp_sender_ip);
      out.append(" is-at ");
      hardware_address(s.arp_sender_mac);
      break;
    case 3:  // RARP, and inverse ARP (RFC 2390)
    case 8:
      out.append(s.arp_op == 3 ? "Reverse Request who-is "sv : "Inverse Request who-is "sv);
      hardware_address(s.arp_target_mac);
      out.append(" tell ");
      hardware_address(s.arp_sender_mac);
      break;
    case 4:
      out.append("Reverse Reply ");
      hardware_address(s.arp_target_mac);
      out.append(" at ");
      protocol_address(s.arp_target_ip);
      break;
    case 9:
      out.append("Inverse Reply ");
      hardware_address(s.arp_sender_mac);
      out.append(" at ");
      protocol_address(s.arp_sender_ip);
      break;
    default:
      // tcpdump names the opcode, then dumps the ARP packet (and prints no length).
      if (s.arp_op == 10) {
        out.append(arp_op_name(10));
      } else {
        out.append("Unknown (");
        out.append_uint(s.arp_op);
        out.append(')');
      }
      out.append(' ');
      append_dump(out, c.packet.data.subspan(s.network_offset), DumpStyle::hex_ascii);
      return;
  }
  out.append(", length ");
  out.append_uint(length);
}

}  // namespace slimcap::detail
