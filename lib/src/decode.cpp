#include "slimcap/decode.hpp"

#include <net/if.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "slimcap/bytes.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {
namespace {

constexpr std::uint16_t kEthertypeIpv4 = 0x0800;
constexpr std::uint16_t kEthertypeArp = 0x0806;
constexpr std::uint16_t kEthertypeRarp = 0x8035;
constexpr std::uint16_t kEthertypeIpv6 = 0x86dd;

bool is_vlan_tpid(std::uint16_t t) noexcept { return t == 0x8100 || t == 0x88a8 || t == 0x9100; }

struct Cursor {
  const std::uint8_t* data;
  std::uint32_t caplen;
  std::uint32_t wire;  // the packet's length on the wire
  bool has(std::uint32_t offset, std::uint32_t n) const noexcept {
    return offset <= caplen && n <= caplen - offset;
  }
};

bool stop(Summary& s, Layer layer) noexcept {
  s.truncated = layer;
  return false;
}

bool decode_transport(Cursor c, Summary& s, std::uint32_t off, std::uint32_t length) noexcept {
  s.transport_offset = off;
  s.transport_length = length;
  switch (s.protocol) {
    case 6: {  // TCP
      if (!c.has(off, 4)) return stop(s, Layer::tcp);
      s.has_ports = true;
      s.source_port = load_be16(c.data + off);
      s.destination_port = load_be16(c.data + off + 2);
      if (!c.has(off, 20)) return stop(s, Layer::tcp);
      s.seq = load_be32(c.data + off + 4);
      s.ack = load_be32(c.data + off + 8);
      s.tcp_header_length = static_cast<std::uint8_t>((c.data[off + 12] >> 4) * 4);
      s.tcp_flags = c.data[off + 13];
      s.window = load_be16(c.data + off + 14);
      s.urgent = load_be16(c.data + off + 18);
      if (s.tcp_header_length < 20 || s.tcp_header_length > length) return stop(s, Layer::tcp);
      s.payload_length = length - s.tcp_header_length;
      return true;
    }
    case 17: {  // UDP
      if (!c.has(off, 4)) return stop(s, Layer::udp);
      s.has_ports = true;
      s.source_port = load_be16(c.data + off);
      s.destination_port = load_be16(c.data + off + 2);
      if (!c.has(off, 6)) return stop(s, Layer::udp);
      s.udp_length = load_be16(c.data + off + 4);
      if (!c.has(off, 8)) return stop(s, Layer::udp);
      // A jumbogram's UDP length field is 0 (RFC 2675 4): the IP length counts.
      const std::uint32_t udp_length = s.udp_length == 0 && length > 0xffff ? length : s.udp_length;
      s.payload_length = udp_length >= 8 ? udp_length - 8u : 0u;
      return true;
    }
    case 1:    // ICMP
    case 58: { // ICMPv6
      const Layer layer = s.protocol == 1 ? Layer::icmp : Layer::icmp6;
      if (!c.has(off, 2)) return stop(s, layer);
      s.has_icmp = true;
      s.icmp_type = c.data[off];
      s.icmp_code = c.data[off + 1];
      s.payload_length = length >= 8 ? length - 8 : 0;
      if (!c.has(off, 8)) return stop(s, layer);
      s.icmp_id = load_be16(c.data + off + 4);
      s.icmp_seq = load_be16(c.data + off + 6);
      return true;
    }
    default:
      s.payload_length = length;
      return true;
  }
}

// The cursor cut at the end of an IP datagram that ends at `end` (tcpdump's nd_push_snaplen).
Cursor within(const Cursor& c, std::uint64_t end) noexcept {
  return end < c.caplen ? Cursor{c.data, static_cast<std::uint32_t>(end), c.wire} : c;
}

bool decode_ipv4(const Cursor& c, Summary& s, std::uint32_t off) noexcept {
  s.network = Network::ipv4;
  s.network_offset = off;
  if (!c.has(off, 20)) return stop(s, Layer::ip);
  const std::uint8_t* ip = c.data + off;
  if ((ip[0] >> 4) != 4) return stop(s, Layer::ip);
  s.ip_header_length = static_cast<std::uint8_t>((ip[0] & 15) * 4);
  s.tos = ip[1];
  s.ip_total_length = load_be16(ip + 2);
  s.ip_id = load_be16(ip + 4);
  const std::uint16_t frag = load_be16(ip + 6);
  s.dont_fragment = frag & 0x4000;
  s.more_fragments = frag & 0x2000;
  s.reserved_fragment_bit = frag & 0x8000;
  s.fragment_offset = static_cast<std::uint16_t>((frag & 0x1fff) * 8);
  s.later_fragment = (frag & 0x1fff) != 0;
  s.ttl = ip[8];
  s.protocol = ip[9];
  s.source_ip = ip + 12;
  s.destination_ip = ip + 16;
  if (s.ip_header_length < 20 || s.ip_total_length < s.ip_header_length) return stop(s, Layer::ip);
  if (!c.has(off, s.ip_header_length)) return stop(s, Layer::ip);
  if (s.later_fragment) return true;
  return decode_transport(within(c, std::uint64_t{off} + s.ip_total_length), s,
                          off + s.ip_header_length, s.ip_total_length - s.ip_header_length);
}

// The value of a hop-by-hop header's Jumbo Payload option (RFC 2675) at `at`, 0 for none.
[[gnu::noinline, gnu::cold]] std::uint32_t jumbo_option(const Cursor& c, std::uint32_t at) noexcept {
  const std::uint32_t length = (c.data[at + 1] + 1u) * 8u;
  if (!c.has(at, length)) return 0;
  for (std::uint32_t i = 2; i < length;) {
    const std::uint8_t type = c.data[at + i];
    if (type == 0) {
      ++i;
      continue;
    }
    if (i + 2 > length) return 0;
    const std::uint32_t len = c.data[at + i + 1];
    if (i + 2 + len > length) return 0;
    if (type == 0xc2 && len == 4) return load_be32(c.data + at + i + 2);
    i += 2 + len;
  }
  return 0;
}

// The packet's final destination in a routing header: the last address of type 0 and 2, the
// first of a segment routing header (its list is in reverse); nullptr for other types or when
// it is not captured. Checked against tcpdump's checksum verdicts.
[[gnu::noinline]] const std::uint8_t* routing_final_destination(const Cursor& c, std::uint32_t at) noexcept {
  const std::uint8_t type = c.data[at + 2];
  const std::uint32_t length = (c.data[at + 1] + 1u) * 8u;
  if (!c.has(at, length)) return nullptr;
  if (type == 0 || type == 2) {  // the last address
    const std::uint32_t addresses = c.data[at + 1] / 2u;
    return addresses == 0 ? nullptr : c.data + at + 8 + 16 * (addresses - 1);
  }
  if (type == 4) {  // segment list in reverse order: [0] is the last segment
    if (length < 8 + 16) return nullptr;
    return c.data + at + 8;
  }
  return nullptr;
}

// Out of line: its extension-header walk would cost the IPv4 path its registers.
[[gnu::noinline]] bool decode_ipv6(const Cursor& c, Summary& s, std::uint32_t off) noexcept {
  s.network = Network::ipv6;
  s.network_offset = off;
  s.ipv6_jumbo_length = 0;
  s.final_destination_ip = nullptr;
  if (!c.has(off, 40)) return stop(s, Layer::ip6);
  const std::uint8_t* ip = c.data + off;
  if ((ip[0] >> 4) != 6) return stop(s, Layer::ip6);
  const std::uint32_t first = load_be32(ip);
  s.ip_header_length = 40;
  s.tos = static_cast<std::uint8_t>(first >> 20);
  s.flow_label = first & 0xfffff;
  s.ip_total_length = load_be16(ip + 4);
  s.ipv6_first_next_header = ip[6];
  s.ttl = ip[7];
  s.source_ip = ip + 8;
  s.destination_ip = ip + 24;
  std::uint8_t next = ip[6];
  std::uint32_t at = off + 40;
  // A payload length of 0: a jumbogram when a hop-by-hop Jumbo Payload option (RFC 2675)
  // says so, else an empty payload. Like tcpdump, walk the extension headers over the bytes
  // on the wire (tcpdump counts the fixed header in that length too).
  const bool zero_length = s.ip_total_length == 0;
  const Cursor d = zero_length ? c : within(c, std::uint64_t{off} + 40 + s.ip_total_length);
  std::uint32_t remaining = zero_length ? c.wire - std::min(c.wire, off) : s.ip_total_length;
  bool jumbo = false;
  for (;;) {
    if (next == 0 || next == 43 || next == 60 || next == 44) {
      if (!d.has(at, 8)) {
        // Kept, so that the printer can say which header was cut (tcpdump's "[|frag6]").
        if (s.ipv6_extension_count < 8) s.ipv6_extensions[s.ipv6_extension_count++] = {next, at};
        s.protocol = next;
        return stop(s, Layer::ip6);
      }
      const std::uint32_t length = next == 44 ? 8u : (d.data[at + 1] + 1u) * 8u;
      if (s.ipv6_extension_count < 8) s.ipv6_extensions[s.ipv6_extension_count++] = {next, at};
      if (next == 0 && at == off + 40) {
        s.ipv6_jumbo_length = jumbo_option(d, at);
        jumbo = zero_length && s.ipv6_jumbo_length > 0xffff;
        if (zero_length && !jumbo) {  // tcpdump: "No valid Jumbo Payload option found"
          s.protocol = d.data[at];
          return stop(s, Layer::ip6);
        }
      } else if (next == 43 && s.final_destination_ip == nullptr) {
        s.final_destination_ip = routing_final_destination(d, at);
      } else if (next == 44) {
        const std::uint16_t frag = load_be16(d.data + at + 2);
        s.ipv6_fragmented = true;
        s.fragment_offset = static_cast<std::uint16_t>(frag & 0xfff8);
        s.more_fragments = frag & 1;
        s.fragment_id = load_be32(d.data + at + 4);
        if (s.fragment_offset != 0) {
          s.later_fragment = true;
          s.protocol = d.data[at];
          return true;
        }
      }
      next = d.data[at];
      if (length > remaining) {
        s.protocol = next;
        return stop(s, Layer::ip6);
      }
      remaining -= length;
      at += length;
      continue;
    }
    s.protocol = next;
    if (jumbo) {
      const std::uint64_t end = std::uint64_t{off} + 40 + s.ipv6_jumbo_length;
      if (end < at) return stop(s, Layer::ip6);
      return decode_transport(within(c, end), s, at, static_cast<std::uint32_t>(end - at));
    }
    if (zero_length) {
      // No payload: an extension header there is a cut header, a transport has no bytes.
      if (s.ipv6_extension_count > 0) return stop(s, Layer::ip6);
      return decode_transport(within(c, at), s, at, 0);
    }
    return decode_transport(d, s, at, remaining);
  }
}

bool decode_arp(const Cursor& c, Summary& s, std::uint32_t off) noexcept {
  s.network = Network::arp;
  s.network_offset = off;
  if (!c.has(off, 8)) return stop(s, Layer::arp);
  const std::uint8_t* a = c.data + off;
  s.arp_hardware = load_be16(a);
  s.arp_protocol = load_be16(a + 2);
  s.arp_hardware_length = a[4];
  s.arp_protocol_length = a[5];
  s.arp_op = load_be16(a + 6);
  if (s.arp_hardware == 19) {
    // ATM ARP (RFC 2225): a 12-byte header with six address lengths; the printer reads the
    // addresses itself (the pointers below stay null).
    if (!c.has(off, 12)) return stop(s, Layer::arp);
    const std::uint32_t total = 12u + (a[4] & 0x3fu) + (a[5] & 0x3fu) + a[8] + (a[9] & 0x3fu) +
                                (a[10] & 0x3fu) + a[11];
    if (!c.has(off, total)) return stop(s, Layer::arp);
    return true;
  }
  const std::uint32_t hl = a[4];
  const std::uint32_t pl = a[5];
  if (!c.has(off, 8 + 2 * (hl + pl))) return stop(s, Layer::arp);
  s.arp_sender_mac = a + 8;
  s.arp_sender_ip = a + 8 + hl;
  s.arp_target_mac = a + 8 + hl + pl;
  s.arp_target_ip = a + 8 + 2 * hl + pl;
  return true;
}

bool decode_network(const Cursor& c, Summary& s, std::uint32_t off) noexcept {
  s.link_header_length = off;
  switch (s.ethertype) {
    case kEthertypeIpv4: return decode_ipv4(c, s, off);
    case kEthertypeIpv6: return decode_ipv6(c, s, off);
    case kEthertypeArp:
    case kEthertypeRarp: return decode_arp(c, s, off);
    default:
      s.network = Network::other;
      s.network_offset = off;
      return true;
  }
}

// VLAN tags from `off`, where the ethertype field `type` announced the first one. Linux
// cooked headers carry 802.1Q (0x8100) tags only, as tcpdump decodes them.
template <bool kCooked = false>
bool decode_vlans(const Cursor& c, Summary& s, std::uint32_t off, std::uint16_t type,
                  std::uint32_t& network) noexcept {
  while (kCooked ? type == 0x8100 : is_vlan_tpid(type)) {
    if (!c.has(off, 4)) {
      s.ethertype = type;
      s.link_header_length = off;
      return stop(s, Layer::link);
    }
    const std::uint16_t tci = load_be16(c.data + off);
    if (s.vlan_count < 4) s.vlans[s.vlan_count++] = {type, tci};
    type = load_be16(c.data + off + 2);
    off += 4;
  }
  s.ethertype = type;
  network = off;
  return true;
}

std::uint16_t ethertype_from_family(std::uint32_t family) noexcept {
  switch (family) {
    case 2: return kEthertypeIpv4;
    case 10: case 24: case 28: case 30: return kEthertypeIpv6;
    default: return 0;
  }
}

// Cisco HDLC: address, control, then an ethertype.
bool decode_cisco_hdlc(const Cursor& c, Summary& s) noexcept {
  if (!c.has(0, 4)) {
    s.link_header_length = 4;
    return stop(s, Layer::link);
  }
  s.outer_ethertype = s.ethertype = load_be16(c.data + 2);
  return decode_network(c, s, 4);
}

// An 802.11 frame at `off` (after a radiotap header, with `fcs` bytes of frame check sequence
// at its end): the network layer of an unprotected data frame that carries LLC/SNAP with an
// Ethernet OUI, as tcpdump finds it (print-802_11.c); other frames stop at the link layer
// with Network::other. The FCS is not part of the packet's data: the cursor ends before it.
bool decode_80211(const Cursor& whole, Summary& s, std::uint32_t off, std::uint32_t fcs,
                  bool pad) noexcept {
  s.link_header_length = off;
  if (whole.wire < off + fcs) return stop(s, Layer::link);
  Cursor c = whole;
  c.wire -= fcs;
  if (c.caplen > c.wire) c.caplen = c.wire;
  if (!c.has(off, 2)) return stop(s, Layer::link);
  const std::uint16_t fc = static_cast<std::uint16_t>(c.data[off] | c.data[off + 1] << 8);
  const unsigned type = (fc >> 2) & 3, subtype = (fc >> 4) & 15;
  s.network = Network::other;
  s.network_offset = off;
  if (type != 2) return true;  // management, control: no network layer
  std::uint32_t header = (fc & 0x0300) == 0x0300 ? 30 : 24;
  if (subtype & 8) header += 2;  // QoS
  if (pad) header = (header + 3) & ~3u;
  if (!c.has(off, header)) return stop(s, Layer::link);
  s.link_header_length = off + header;
  s.network_offset = off + header;
  if ((subtype & 4) || (fc & 0x4000)) return true;  // no data, or protected
  const std::uint32_t llc = off + header;
  if (!c.has(llc, 8) || c.data[llc] != 0xaa || c.data[llc + 1] != 0xaa || c.data[llc + 2] != 3 ||
      c.data[llc + 3] != 0 || c.data[llc + 4] != 0 || c.data[llc + 5] != 0)
    return true;
  s.ethertype = load_be16(c.data + llc + 6);
  return decode_network(c, s, llc + 8);
}

// Linux NFLOG (https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html): family, version,
// resource id, then type-length-value records in host byte order, each padded to 4 bytes;
// the packet is the value of the NFULA_PAYLOAD (9) record. The walk is tcpdump's
// nflog_if_print(): every record before the payload must be captured whole, and the length
// left after the records is the network layer's. A file from a host of the other byte order
// would need its records swapped (libpcap does so when it reads one; slimcap does not).
bool decode_nflog(const Cursor& c, Summary& s) noexcept {
  if (!c.has(0, 4)) {
    s.link_header_length = 4;
    return stop(s, Layer::link);
  }
  s.link_family = c.data[0];
  s.link_header_length = 4;
  if (c.data[1] != 0) {  // a version tcpdump does not know: nothing more is decoded
    s.network = Network::other;
    s.network_offset = 4;
    return true;
  }
  std::uint32_t off = 4;
  std::uint32_t length = c.wire - 4;
  while (length > 0) {
    s.link_header_length = off;
    if (!c.has(off, 4)) return stop(s, Layer::link);
    std::uint32_t size;
    std::uint16_t type;
    std::memcpy(&type, c.data + off + 2, 2);
    {
      std::uint16_t v;
      std::memcpy(&v, c.data + off, 2);
      size = (v + 3u) & ~3u;
    }
    if (size < 4 || !c.has(off, size)) return stop(s, Layer::link);
    if (type == 9) {
      off += 4;
      length -= 4;
      break;
    }
    off += size;
    length -= size;
  }
  s.ethertype = ethertype_from_family(s.link_family == 10 ? 10 : s.link_family == 2 ? 2 : 0);
  if (s.ethertype == 0) {
    s.network = Network::other;
    s.link_header_length = off;
    s.network_offset = off;
    return true;
  }
  return decode_network(c, s, off);
}

}  // namespace

bool decode(const PacketView& packet, Summary& s) noexcept {
  // Every field's initial value is zero (nullptr, Layer::none, Network::none): one inlined
  // clear of the whole struct is the cheapest reset.
  static_assert(std::is_trivially_copyable_v<Summary> && std::is_standard_layout_v<Summary>);
  std::memset(static_cast<void*>(&s), 0, offsetof(Summary, vlans));
  const Cursor c{packet.data.data(), packet.caplen(), packet.wire_length};
  std::uint32_t network = 0;
  switch (packet.link_type) {
    case link_type::kEthernet: {
      if (!c.has(0, 14)) {
        s.link_header_length = 14;
        return stop(s, Layer::link);
      }
      s.destination_mac = c.data;
      s.source_mac = c.data + 6;
      s.outer_ethertype = load_be16(c.data + 12);
      if (!decode_vlans(c, s, 14, s.outer_ethertype, network)) return false;
      // 802.3 length field instead of an ethertype (LLC frames): not decoded further.
      if (s.ethertype < 0x0600) {
        s.network = Network::other;
        s.link_header_length = network;
        s.network_offset = network;
        return true;
      }
      return decode_network(c, s, network);
    }
    case link_type::kLinuxSll: {
      if (!c.has(0, 16)) return stop(s, Layer::link);
      s.sll_packet_type = load_be16(c.data);
      if (!decode_vlans<true>(c, s, 16, load_be16(c.data + 14), network)) return false;
      return decode_network(c, s, network);
    }
    case link_type::kLinuxSll2: {
      if (!c.has(0, 20)) return stop(s, Layer::link);
      s.sll_interface = load_be32(c.data + 4);
      s.sll_packet_type = c.data[10];
      if (!decode_vlans<true>(c, s, 20, load_be16(c.data), network)) return false;
      return decode_network(c, s, network);
    }
    case link_type::kNull:
    case link_type::kLoop: {
      if (!c.has(0, 4)) return stop(s, Layer::link);
      std::uint32_t family = packet.link_type == link_type::kLoop ? load_be32(c.data)
                                                                   : load_host32(c.data);
      // A NULL header written on a host of the other byte order: tcpdump accepts both.
      if ((family & 0xffff0000u) != 0) family = __builtin_bswap32(family);
      s.link_family = family;
      s.ethertype = ethertype_from_family(family);
      if (s.ethertype == 0) {
        s.network = Network::other;
        s.link_header_length = 4;
        s.network_offset = 4;
        return true;
      }
      return decode_network(c, s, 4);
    }
    case link_type::kPpp:
    case link_type::kPppSerial: {
      // Address and control (0xff 0x03) when present, then the protocol (one byte when
      // compressed); IP and IPv6 are decoded. PPP in HDLC framing also carries Cisco HDLC.
      if (packet.link_type == link_type::kPppSerial && c.has(0, 1) &&
          (c.data[0] == 0x0f || c.data[0] == 0x8f))
        return decode_cisco_hdlc(c, s);
      // (0x00 and 0x01 for 0xff: pppd's direction, in and out.)
      std::uint32_t off =
          c.has(0, 2) && (c.data[0] == 0xff || c.data[0] <= 1) && c.data[1] == 0x03 ? 2 : 0;
      if (!c.has(off, 1)) {
        s.link_header_length = off;
        return stop(s, Layer::link);
      }
      std::uint16_t protocol = c.data[off];
      if ((protocol & 1) == 0) {
        if (!c.has(off, 2)) {
          s.link_header_length = off;
          return stop(s, Layer::link);
        }
        protocol = load_be16(c.data + off);
        off += 2;
      } else {
        off += 1;
      }
      s.ethertype = protocol == 0x0021 ? kEthertypeIpv4 : protocol == 0x0057 ? kEthertypeIpv6 : 0;
      if (s.ethertype == 0) {
        s.network = Network::other;
        s.link_header_length = off;
        s.network_offset = off;
        return true;
      }
      return decode_network(c, s, off);
    }
    case link_type::kCiscoHdlc: return decode_cisco_hdlc(c, s);
    case link_type::kIpoib: {
      // 40 bytes of addresses and flags, then the ethertype (and 2 reserved bytes).
      if (!c.has(0, 44) || c.wire < 44) {
        s.link_header_length = 44;
        return stop(s, Layer::link);
      }
      s.outer_ethertype = s.ethertype = load_be16(c.data + 40);
      return decode_network(c, s, 44);
    }
    case link_type::kNflog: return decode_nflog(c, s);
    case link_type::kIeee80211: return decode_80211(c, s, 0, 0, false);
    case link_type::kIeee80211Radiotap: {
      const RadiotapInfo r = radiotap_info(c.data, c.caplen);
      if (!r.valid) {
        s.link_header_length = c.caplen;
        return stop(s, Layer::link);
      }
      return decode_80211(c, s, r.length, r.fcs ? 4 : 0, r.pad);
    }
    case link_type::kRaw:
    case link_type::kIpv4:
    case link_type::kIpv6: {
      // tcpdump 4.99 decodes all three by the version nibble (IPV4 and IPV6 files can
      // carry the other version).
      if (!c.has(0, 1)) {
        s.ethertype = packet.link_type == link_type::kIpv6 ? kEthertypeIpv6 : kEthertypeIpv4;
        s.network = packet.link_type == link_type::kIpv6 ? Network::ipv6 : Network::ipv4;
        return stop(s, Layer::ip);
      }
      s.ethertype = (c.data[0] >> 4) == 6 ? kEthertypeIpv6 : kEthertypeIpv4;
      return decode_network(c, s, 0);
    }
    default:
      return true;
  }
}

RadiotapInfo radiotap_info(const std::uint8_t* p, std::uint32_t caplen) noexcept {
  RadiotapInfo r;
  if (caplen < 8) return r;
  const std::uint32_t length = static_cast<std::uint32_t>(p[2] | p[3] << 8);
  if (length < 8 || caplen < length) return r;
  // The presence words: one more while bit 31 is set and the next fits in the header.
  std::uint32_t end = 8;
  while (end + 4 <= length && (p[end - 1] & 0x80) != 0) end += 4;
  if ((p[end - 1] & 0x80) != 0) return r;  // more words announced than the header holds
  r.valid = true;
  r.length = length;
  // The Flags field (bit 1) comes after TSFT (bit 0, 8 bytes aligned to 8 from the start).
  const std::uint32_t present = load_le32(p + 4);
  std::uint32_t at = end;
  if (present & 1) {
    at = (at + 7) & ~7u;
    at += 8;
  }
  if ((present & 2) && at < length) {
    r.fcs = (p[at] & 0x10) != 0;
    r.pad = (p[at] & 0x20) != 0;
  }
  return r;
}

std::string_view packet_type_name(std::uint16_t type) noexcept {
  switch (type) {
    case 0: return "In";
    case 1: return "B";
    case 2: return "M";
    case 3: return "P";
    case 4: return "Out";
    default: return "?";
  }
}

// The name of a LINUX_SLL2 interface index, as the text printer shows it; empty when the
// index names no interface here. if_indextoname() is a system call, so the names of the last
// few indexes are kept (on "any" packets alternate between interfaces: a veth pair's two
// ends, a bridge and its ports); per thread, for printers on several threads.
std::string_view interface_name(std::uint32_t index) noexcept {
  struct Entry {
    std::uint32_t index = 0;
    bool used = false;
    char name[IF_NAMESIZE + 1] = {};
  };
  constexpr std::size_t kEntries = 8;
  thread_local Entry cache[kEntries];
  thread_local std::size_t next = 0;
  for (const Entry& e : cache)
    if (e.used && e.index == index) return std::string_view(e.name, std::strlen(e.name));
  Entry& e = cache[next];
  next = (next + 1) % kEntries;
  if (::if_indextoname(index, e.name) == nullptr) e.name[0] = '\0';
  e.index = index;
  e.used = true;
  return std::string_view(e.name, std::strlen(e.name));
}

}  // namespace slimcap
