// SCTP (IP protocol 132) as tcpdump 4.99 prints it (print-sctp.c): "a.b.c.d.port >
// e.f.g.h.port: sctp" (SCTP names its endpoints itself, in place of the IP layer's "src >
// dst: "), then every chunk: " (1) [INIT] [init tag: ...] ..., (2) [DATA] ..." or, with -vv,
// "\n\t1) [DATA] ... [Payload:" and the payload's hex and ASCII dump.

#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

std::string_view chunk_name(std::uint8_t type) {
  switch (type) {
    case 0: return "DATA"sv;
    case 1: return "INIT"sv;
    case 2: return "INIT ACK"sv;
    case 3: return "SACK"sv;
    case 4: return "HB REQ"sv;
    case 5: return "HB ACK"sv;
    case 6: return "ABORT"sv;
    case 7: return "SHUTDOWN"sv;
    case 8: return "SHUTDOWN ACK"sv;
    case 9: return "OP ERR"sv;
    case 10: return "COOKIE ECHO"sv;
    case 11: return "COOKIE ACK"sv;
    case 12: return "ECN ECHO"sv;
    case 13: return "ECN CWR"sv;
    case 14: return "SHUTDOWN COMPLETE"sv;
    case 0xc0: return "FOR CUM TSN"sv;
    case 0xc1: return "REL CTRL"sv;
    case 0xc2: return "REL CTRL ACK"sv;
    default: return {};
  }
}

// tcpdump's names of DATA payload protocol identifiers.
std::string_view ppid_name(std::uint32_t ppid) {
  static constexpr std::string_view kNames[] = {
      {},         "ISDN Q.921"sv, "M2UA"sv,      "M3UA"sv,      "SUA"sv,    "M2PA"sv,
      "V5.2"sv,   "H.248"sv,      "BICC"sv,      "TALI"sv,      "DUA"sv,    "ASAP"sv,
      "ENRP"sv,   "H.323"sv,      "Q.IPC"sv,     "SIMCO"sv,     "DDPSC"sv,  "DDPSSC"sv,
      "S1AP"sv,   "RUA"sv,        "HNBAP"sv,     "ForCES HP"sv, "ForCES MP"sv, "ForCES LP"sv,
      "SBc-AP"sv, "NBAP"sv,       {},            "X2AP"sv};
  return ppid < std::size(kNames) ? kNames[ppid] : std::string_view{};
}

std::string_view forces_channel(std::uint16_t port) {
  switch (port) {
    case 6704: return "ForCES HP"sv;
    case 6705: return "ForCES MP"sv;
    case 6706: return "ForCES LP"sv;
    default: return {};
  }
}

// The IP layer has printed "src > dst: " for a protocol it does not know to print its own
// endpoints; SCTP does, so it takes that text back ("IP ", "\n    " or the link header's
// ": " stays). Only when the addresses were printed right before (no IPv6 extension header
// between them and SCTP).
void take_back_addresses(const Context& c) {
  const Summary& s = c.s;
  if (s.network == Network::ipv6 && s.ipv6_first_next_header != 132) return;
  const std::string_view text = c.out.view();
  std::size_t end = text.size();
  if (end < 2 || text.substr(end - 2) != ": "sv) return;
  std::size_t i = end - 2;
  while (i > 0 && text[i - 1] != ' ') --i;  // the destination
  if (i < 3 || text.substr(i - 3, 3) != " > "sv) return;
  i -= 3;
  while (i > 0 && text[i - 1] != ' ' && text[i - 1] != '\n') --i;  // the source
  c.out.truncate(i);
}

// `label` and the decimal `v` (labels of any length).
void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

void append_endpoint(const Context& c, const std::uint8_t* address, std::uint16_t port) {
  append_ip(c.out, c.s, address);
  append_number(c.out, "."sv, port);
}

}  // namespace

void print_sctp(const Context& c, bool) {
  OutputBuffer& out = c.out;
  const Summary& s = c.s;
  take_back_addresses(c);
  const std::uint32_t length = s.transport_length;
  std::uint32_t p = s.transport_offset;
  if (length < 12) {
    labeled(out, "truncated-sctp - "sv, 12 - length);
    out.append(" bytes missing!");
    return;
  }
  if (!c.captured(p, 12)) {
    out.append(" [|sctp]");
    return;
  }
  const std::uint16_t source_port = load_be16(c.data() + p);
  const std::uint16_t destination_port = load_be16(c.data() + p + 2);
  append_endpoint(c, s.source_ip, source_port);
  out.append(" > ");
  append_endpoint(c, s.destination_ip, destination_port);
  out.append(": sctp");
  bool forces = false;
  for (const std::uint16_t port : {source_port, destination_port}) {
    const std::string_view channel = forces_channel(port);
    if (channel.empty()) continue;
    out.append('[');
    out.append(channel);
    out.append(']');
    forces = true;
  }
  p += 12;
  std::uint32_t remaining = length - 12;
  const bool vv = c.options.verbose >= 2;
  std::string_view separator = vv ? "\n\t"sv : " ("sv;
  for (std::uint32_t n = 1; remaining != 0; ++n) {
    const auto chunk_number = [&] {
      out.append(separator);
      out.append_uint(n);
      out.append(") ");
    };
    if (remaining < 4) {
      chunk_number();
      out.append("[chunk descriptor cut off at end of packet]");
      return;
    }
    if (!c.captured(p, 4)) {
      out.append(" [|sctp]");
      return;
    }
    const std::uint8_t* d = c.data() + p;
    const std::uint16_t chunk_length = load_be16(d + 2);
    if (chunk_length < 4) {
      chunk_number();
      labeled(out, "[Bad chunk length "sv, chunk_length);
      out.append(", < size of chunk descriptor]");
      return;
    }
    const std::uint32_t align = (4u - chunk_length % 4u) % 4u;
    if (remaining < align) {
      chunk_number();
      labeled(out, "[Bad chunk length "sv, chunk_length);
      out.append(", > remaining data in packet]");
      return;
    }
    if (!c.captured(p, chunk_length) || chunk_length > remaining) {
      out.append(" [|sctp]");
      return;
    }
    chunk_number();
    const std::uint8_t type = d[0];
    const std::string_view name = chunk_name(type);
    out.append('[');
    if (name.empty()) {
      out.append("Unknown chunk type: 0x");
      out.append_hex(type);
    } else {
      out.append(name);
    }
    out.append("] ");
    std::uint32_t left = chunk_length - 4u;  // of the chunk, after its descriptor
    const std::uint8_t* b = d + 4;
    const auto bogus = [&] {
      labeled(out, "bogus chunk length "sv, chunk_length);
      out.append(']');
    };
    switch (type) {
      case 0: {  // DATA
        const std::uint8_t flags = d[1];
        if (flags & 4) out.append("(U)");
        if (flags & 2) out.append("(B)");
        if (flags & 1) out.append("(E)");
        if (flags & 7) out.append(' ');
        if (left < 12) return bogus();
        const std::uint32_t ppid = load_be32(b + 8);
        labeled(out, "[TSN: "sv, load_be32(b));
        labeled(out, "] [SID: "sv, load_be16(b + 4));
        labeled(out, "] [SSEQ "sv, load_be16(b + 6));
        out.append("] [PPID ");
        const std::string_view protocol = ppid_name(ppid);
        if (protocol.empty()) {
          out.append("0x");
          out.append_hex(ppid);
        } else {
          out.append(protocol);
        }
        out.append("] ");
        forces = forces || (ppid >= 21 && ppid <= 23);
        left -= 12;
        b += 12;
        if (left == 0) return bogus();
        if (forces) {
          out.append(" [|forces]");  // ForCES is not decoded
          return;
        }
        if (vv) {
          if (ppid == 3) {
            out.append(" [|m3ua]");  // M3UA is not decoded
            return;
          }
          out.append("[Payload:");
          append_dump(out, std::span<const std::uint8_t>(b, left), DumpStyle::hex_ascii);
          out.append(']');
        }
        break;
      }
      case 1:
      case 2:  // INIT, INIT ACK
        if (left < 16) return bogus();
        labeled(out, "[init tag: "sv, load_be32(b));
        labeled(out, "] [rwnd: "sv, load_be32(b + 4));
        labeled(out, "] [OS: "sv, load_be16(b + 8));
        labeled(out, "] [MIS: "sv, load_be16(b + 10));
        labeled(out, "] [init TSN: "sv, load_be32(b + 12));
        out.append("] ");
        break;
      case 3: {  // SACK
        if (left < 12) return bogus();
        const std::uint32_t cumulative = load_be32(b);
        const std::uint16_t gaps = load_be16(b + 8);
        const std::uint16_t duplicates = load_be16(b + 10);
        labeled(out, "[cum ack "sv, cumulative);
        labeled(out, "] [a_rwnd "sv, load_be32(b + 4));
        labeled(out, "] [#gap acks "sv, gaps);
        labeled(out, "] [#dup tsns "sv, duplicates);
        out.append("] ");
        left -= 12;
        b += 12;
        for (std::uint32_t i = 0; left != 0 && i < gaps; ++i, left -= 4, b += 4) {
          if (left < 4) return bogus();
          labeled(out, "\n\t\t[gap ack block #"sv, i + 1);
          labeled(out, ": start = "sv, cumulative + load_be16(b));
          labeled(out, ", end = "sv, cumulative + load_be16(b + 2));
          out.append("] ");
        }
        for (std::uint32_t i = 0; left != 0 && i < duplicates; ++i, left -= 4, b += 4) {
          if (left < 4) return bogus();
          labeled(out, "\n\t\t[dup TSN #"sv, i + 1);
          labeled(out, ": "sv, load_be32(b));
          out.append("] ");
        }
        break;
      }
      default: break;
    }
    p += chunk_length;
    remaining -= chunk_length;
    if (!vv) separator = ", ("sv;
    if (align != 0) {
      if (!c.captured(p, align) || remaining < align) {
        out.append(" [|sctp]");
        return;
      }
      p += align;
      remaining -= align;
    }
  }
}

}  // namespace slimcap::detail
