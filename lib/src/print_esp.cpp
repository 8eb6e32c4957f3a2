// IPsec as tcpdump 4.99 prints it without keys (print-esp.c, print-ah.c): ESP's SPI and
// sequence number with the datagram's length, AH's fields and ICV, then what AH protects
// (ESP, AH again, TCP, UDP, ICMP, ICMPv6, "no next header", or a protocol with a dissector of
// its own in print_dispatch.cpp).

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

// "ESP(spi=0x00001000,seq=0x1), length 100". tcpdump wants one byte past the 8-byte header
// (its test is `esp + 1 >= snapend`) and prints its truncation mark without a longjmp.
void print_esp_at(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (!c.captured(offset, 9)) {
    out.append(" [|esp]");
    return;
  }
  const std::uint8_t* e = c.data() + offset;
  out.append("ESP(spi=0x");
  out.append_hex_padded(load_be32(e), 8);
  out.append(",seq=0x");
  out.append_hex(load_be32(e + 4));
  out.append("), length ");
  out.append_uint(length);
}

namespace {

// A read past the capture: tcpdump's longjmp.
void ah_cut(const Context& c) {
  c.out.append(" [|ah]");
  c.dump_whole = true;
}

// The transport fields of protocol `protocol` at `offset`, as decode() finds them after an IP
// header (decode.cpp's decode_transport), for what follows an AH header.
void decode_after_ah(const Context& c, Summary& s, std::uint32_t offset, std::uint32_t length) {
  s.transport_offset = offset;
  s.transport_length = length;
  s.truncated = Layer::none;
  s.has_ports = false;
  s.has_icmp = false;
  s.payload_length = length;
  const std::uint8_t* p = c.data() + offset;
  switch (s.protocol) {
    case 6:
      if (!c.captured(offset, 4)) {
        s.truncated = Layer::tcp;
        return;
      }
      s.has_ports = true;
      s.source_port = load_be16(p);
      s.destination_port = load_be16(p + 2);
      if (!c.captured(offset, 20)) {
        s.truncated = Layer::tcp;
        return;
      }
      s.seq = load_be32(p + 4);
      s.ack = load_be32(p + 8);
      s.tcp_header_length = static_cast<std::uint8_t>((p[12] >> 4) * 4);
      s.tcp_flags = p[13];
      s.window = load_be16(p + 14);
      s.urgent = load_be16(p + 18);
      if (s.tcp_header_length < 20 || s.tcp_header_length > length) {
        s.truncated = Layer::tcp;
        return;
      }
      s.payload_length = length - s.tcp_header_length;
      return;
    case 17: {
      if (!c.captured(offset, 4)) {
        s.truncated = Layer::udp;
        return;
      }
      s.has_ports = true;
      s.source_port = load_be16(p);
      s.destination_port = load_be16(p + 2);
      if (!c.captured(offset, 6)) {
        s.truncated = Layer::udp;
        return;
      }
      s.udp_length = load_be16(p + 4);
      if (!c.captured(offset, 8)) {
        s.truncated = Layer::udp;
        return;
      }
      const std::uint32_t udp_length =
          s.udp_length == 0 && length > 0xffff ? length : s.udp_length;
      s.payload_length = udp_length >= 8 ? udp_length - 8u : 0u;
      return;
    }
    case 1:
    case 58: {
      const Layer layer = s.protocol == 1 ? Layer::icmp : Layer::icmp6;
      if (!c.captured(offset, 2)) {
        s.truncated = layer;
        return;
      }
      s.has_icmp = true;
      s.icmp_type = p[0];
      s.icmp_code = p[1];
      s.payload_length = length >= 8 ? length - 8 : 0;
      if (!c.captured(offset, 8)) {
        s.truncated = layer;
        return;
      }
      s.icmp_id = load_be16(p + 4);
      s.icmp_seq = load_be16(p + 6);
      return;
    }
    default: return;
  }
}

// "AH(spi=0x00002000,seq=0x7,icv=0x...): " (-v: "AH(length=4(24-bytes),spi=..."); returns
// the header's length, 0 when the line ended.
std::uint32_t print_ah_header(const Context& c, std::uint32_t offset) {
  OutputBuffer& out = c.out;
  if (!c.captured(offset, 1)) {  // tcpdump reads the next header first
    ah_cut(c);
    return 0;
  }
  out.append("AH");
  if (!c.captured(offset, 2)) {
    ah_cut(c);
    return 0;
  }
  const std::uint8_t* a = c.data() + offset;
  const std::uint32_t header_length = (a[1] + 2u) * 4u;
  out.append('(');
  if (c.options.verbose > 0) {
    append_number(out, "length="sv, a[1]);
    append_number(out, "("sv, header_length);
    out.append("-bytes),");
  }
  if (!c.captured(offset + 4, 4)) {
    ah_cut(c);
    return 0;
  }
  out.append("spi=0x");
  out.append_hex_padded(load_be32(a + 4), 8);
  out.append(',');
  if (!c.captured(offset + 8, 4)) {
    ah_cut(c);
    return 0;
  }
  out.append("seq=0x");
  out.append_hex(load_be32(a + 8));
  out.append(",icv=0x");
  for (std::uint32_t i = 12; i < header_length; ++i) {
    if (!c.captured(offset + i, 1)) {
      ah_cut(c);
      return 0;
    }
    out.append_hex8(a[i]);
  }
  out.append("): ");
  return header_length;
}

// The protocols tcpdump's ip_demux_print() has a printer for, other than those slimcap
// prints (TCP, UDP, ICMP, ICMPv6, no next header, ESP, AH): the rest it shows as
// " ip-proto-N length", as print_transport_here() does.
bool dissected_elsewhere(std::uint8_t p) {
  switch (p) {
    case 2: case 4: case 9: case 33: case 41: case 46: case 47: case 55: case 62: case 77:
    case 88: case 89: case 103: case 108: case 112: case 113: case 132: case 135:
      return true;
    default:
      return false;
  }
}

}  // namespace

void print_esp(const Context& c, bool) {
  print_esp_at(c, c.s.transport_offset, c.s.transport_length);
}

void print_ah(const Context& c, bool) {
  std::uint32_t offset = c.s.transport_offset;
  std::uint32_t length = c.s.transport_length;
  for (;;) {
    const std::uint32_t header_length = print_ah_header(c, offset);
    if (header_length == 0) return;
    const std::uint8_t next = c.data()[offset];
    if (header_length > length) {  // more header than datagram: tcpdump's next read fails
      ah_cut(c);
      return;
    }
    offset += header_length;
    length -= header_length;
    if (next == 51) continue;
    if (next == 50) return print_esp_at(c, offset, length);
    // The rest through the ordinary transport printers, on a summary of what follows AH.
    if (dissected_elsewhere(next) && ip_protocol_printer(next) == nullptr) {
      // A protocol tcpdump may dissect and slimcap does not: an honest end.
      c.out.append("[|ah]");
      return;
    }
    Summary inner = c.s;
    inner.protocol = next;
    decode_after_ah(c, inner, offset, length);
    const Context ic{c.options, c.packet, inner, c.out, c.conversations};
    print_transport_here(ic, false);
    c.dump_whole = c.dump_whole || ic.dump_whole;
    return;
  }
}

}  // namespace slimcap::detail
