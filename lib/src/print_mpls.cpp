// MPLS label stacks as tcpdump 4.99 prints them (print-mpls.c): ethertypes 0x8847/0x8848 and
// GRE's 0x8847, "MPLS (label 100, tc 0, [S], ttl 64) IP ...", the payload guessed from the
// bottom label or its first byte.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

void print_mpls(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const bool verbose = c.options.verbose > 0;
  static constexpr std::string_view kReserved[16] = {
      "IPv4 explicit NULL"sv, "router alert"sv, "IPv6 explicit NULL"sv, "implicit NULL"sv,
      "rsvd"sv, "rsvd"sv, "rsvd"sv, "rsvd"sv, "rsvd"sv, "rsvd"sv, "rsvd"sv, "rsvd"sv,
      "rsvd"sv, "rsvd"sv, "rsvd"sv, "rsvd"sv};
  out.append("MPLS");
  std::uint32_t at = offset;
  std::uint32_t entry = 0;
  bool first = true;
  do {
    if (length < 4) {
      out.append(" (invalid)");
      return;
    }
    if (!c.captured(at, 4)) {
      out.append(" [|mpls]");
      return;
    }
    entry = load_be32(c.data() + at);
    const std::uint32_t label = entry >> 12;
    out.append(!first && verbose ? "\n\t("sv : " ("sv);
    first = false;
    append_number(out, "label "sv, label);
    if (verbose && label < 16) {
      out.append(" (");
      out.append(kReserved[label]);
      out.append(')');
    }
    append_number(out, ", tc "sv, (entry >> 9) & 7u);
    if (entry & 0x100) out.append(", [S]");
    append_number(out, ", ttl "sv, entry & 0xffu);
    out.append(')');
    at += 4;
    length -= 4;
  } while (!(entry & 0x100));

  // The payload: the bottom label says IPv4 or IPv6, or its first byte is guessed.
  unsigned version = 0;  // 4, 6, 1 for OSI, 0 unknown
  switch (entry >> 12) {
    case 0:
    case 3: version = 4; break;
    case 2: version = 6; break;
    default: {
      if (length < 1) return;  // nothing to print
      if (!c.captured(at, 1)) {
        out.append(" [|mpls]");
        return;
      }
      const std::uint8_t b = c.data()[at];
      if (b >= 0x45 && b <= 0x4f) version = 4;
      else if (b >= 0x60 && b <= 0x6f) version = 6;
      else if (b >= 0x81 && b <= 0x83) version = 1;
      break;
    }
  }
  if (version == 0) {
    // tcpdump's default print: a dump of the payload (not with -q, -x, -X).
    const PrintOptions& o = c.options;
    if (!o.quiet && (o.dump == DumpStyle::none || o.dump == DumpStyle::ascii)) {
      const std::uint32_t captured = c.caplen() > at ? c.caplen() - at : 0;
      append_dump(out, c.packet.data.subspan(at, captured < length ? captured : length),
                  DumpStyle::hex_ascii);
      if (captured < length) out.append(" [|mpls]");  // tcpdump dumps the length, cut
    }
    return;
  }
  out.append(verbose ? "\n\t"sv : " "sv);
  if (version == 1) {
    out.append("[|isoclns]");  // OSI, which slimcap does not decode
    return;
  }
  print_inner_ip(c, at, length, version);
}

}  // namespace slimcap::detail
