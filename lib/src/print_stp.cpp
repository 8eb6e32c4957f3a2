// Spanning tree BPDUs (tcpdump 4.99's print-stp.c): 802.1d configuration and topology change,
// 802.1w rapid STP, 802.1s MSTP with its MSTI records, 802.1aq SPB.
//
// tcpdump reads the fields with bounds-checked getters that give up on the whole packet at the
// first byte not captured (" [|stp]"); each of its printf()s is one group below, checked as a
// whole before any of it is printed, so that a cut BPDU ends where tcpdump's line ends.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"

namespace slimcap::detail {

void append_256ths(OutputBuffer& out, std::uint16_t v) {
  // v / 256 to two decimals, as printf's "%.2f" rounds the exact binary value: half to even.
  std::uint32_t whole = v >> 8;
  const std::uint32_t scaled = (v & 0xffu) * 25u;  // hundredths * 64
  std::uint32_t cents = scaled / 64, rest = scaled % 64;
  if (rest > 32 || (rest == 32 && (cents & 1))) ++cents;
  if (cents == 100) {
    cents = 0;
    ++whole;
  }
  out.append_uint(whole);
  out.append('.');
  out.append_uint_padded(cents, 2);
}

void append_bridge_id(OutputBuffer& out, const std::uint8_t* p) {
  out.append_hex8(p[0]);
  out.append_hex8(p[1]);
  out.append('.');
  append_mac(out, p + 2);
}

namespace {

constexpr std::uint32_t kConfigLength = 35;  // up to the forward delay
constexpr std::uint32_t kRstpLength = 36;    // and the version 1 length
constexpr std::uint32_t kMstpMinLength = 102;

// tcpdump's bittok2str() of the BPDU flags, "none" for none.
void append_flags(OutputBuffer& out, std::uint8_t flags) {
  static constexpr struct {
    std::uint8_t bit;
    std::string_view name;
  } kFlags[] = {{0x01, "Topology change"}, {0x02, "Proposal"},  {0x10, "Learn"},
                {0x20, "Forward"},         {0x40, "Agreement"}, {0x80, "Topology change ACK"}};
  bool any = false;
  for (const auto& f : kFlags) {
    if (!(flags & f.bit)) continue;
    if (any) out.append(", ");
    out.append(f.name);
    any = true;
  }
  if (!any) out.append("none");
}

std::string_view port_role(std::uint8_t flags) {
  switch ((flags & 0x0c) >> 2) {
    case 1: return "Alternate"sv;
    case 2: return "Root"sv;
    case 3: return "Designated"sv;
    default: return "Unknown"sv;
  }
}

struct Bpdu {
  const Context& c;
  std::uint32_t at;  // the BPDU's first byte in the packet
  bool has(std::uint32_t offset, std::uint32_t n) const { return c.captured(at + offset, n); }
  const std::uint8_t* p(std::uint32_t offset) const { return c.data() + at + offset; }
  std::uint16_t u16(std::uint32_t offset) const { return load_be16(p(offset)); }
  std::uint32_t u32(std::uint32_t offset) const { return load_be32(p(offset)); }
  // tcpdump's longjmp out of a getter: the marker, and its dump from the first byte.
  void cut() const {
    c.out.append(" [|stp]");
    c.dump_whole = true;
  }
};

void append_timers(const Bpdu& b) {
  OutputBuffer& out = b.c.out;
  out.append("\n\tmessage-age ");
  append_256ths(out, b.u16(27));
  out.append("s, max-age ");
  append_256ths(out, b.u16(29));
  out.append("s, hello-time ");
  append_256ths(out, b.u16(31));
  out.append("s, forwarding-delay ");
  append_256ths(out, b.u16(33));
  out.append('s');
}

// Returns false where the BPDU was cut (the marker printed).
bool print_config(const Bpdu& b, std::uint32_t length, std::uint8_t version) {
  OutputBuffer& out = b.c.out;
  if (!b.has(4, 1)) return b.cut(), false;
  const std::uint8_t flags = *b.p(4);
  out.append(", Flags [");
  append_flags(out, flags);
  out.append(']');
  if (!b.has(17, 10)) return b.cut(), false;
  out.append(", bridge-id ");
  append_bridge_id(out, b.p(17));
  out.append('.');
  out.append_hex_padded(b.u16(25), 4);
  out.append(", length ");
  out.append_uint(length);
  if (b.c.options.verbose == 0) return true;
  if (!b.has(27, 8)) return b.cut(), false;
  append_timers(b);
  if (!b.has(5, 12)) return b.cut(), false;
  out.append("\n\troot-id ");
  append_bridge_id(out, b.p(5));
  out.append(", root-pathcost ");
  out.append_uint(b.u32(13));
  if (version == 2) {
    out.append(", port-role ");
    out.append(port_role(flags));
  }
  return true;
}

// MSTP fields from the BPDU's start.
constexpr std::uint32_t kV3Length = 36;
constexpr std::uint32_t kConfigName = 39;
constexpr std::uint32_t kConfigDigest = 73;
constexpr std::uint32_t kCistInternalCost = 89;
constexpr std::uint32_t kCistBridgeId = 93;
constexpr std::uint32_t kCistHops = 101;
constexpr std::uint32_t kMsti = 102;

void append_digest(OutputBuffer& out, const std::uint8_t* p, unsigned words) {
  for (unsigned i = 0; i < words; ++i) out.append_hex_padded(load_be32(p + 4 * i), 8);
}

bool print_mstp(const Bpdu& b, std::uint32_t length) {
  OutputBuffer& out = b.c.out;
  if (!b.has(4, 1)) return b.cut(), false;
  const std::uint8_t flags = *b.p(4);
  out.append(", CIST Flags [");
  append_flags(out, flags);
  out.append("], length ");
  out.append_uint(length);
  if (b.c.options.verbose == 0) return true;
  out.append("\n\tport-role ");
  out.append(port_role(flags));
  out.append(", ");
  if (!b.has(5, 12)) return b.cut(), false;
  out.append("CIST root-id ");
  append_bridge_id(out, b.p(5));
  out.append(", CIST ext-pathcost ");
  out.append_uint(b.u32(13));
  if (!b.has(17, 8)) return b.cut(), false;
  out.append("\n\tCIST regional-root-id ");
  append_bridge_id(out, b.p(17));
  out.append(", ");
  if (!b.has(25, 2)) return b.cut(), false;
  out.append("CIST port-id ");
  out.append_hex_padded(b.u16(25), 4);
  out.append(',');
  if (!b.has(27, 8)) return b.cut(), false;
  append_timers(b);
  if (!b.has(kV3Length, 2)) return b.cut(), false;
  out.append("\n\tv3len ");
  out.append_uint(b.u16(kV3Length));
  out.append(", MCID Name ");
  for (std::uint32_t i = 0; i < 32; ++i) {  // (tcpdump's nd_printjnp(): up to a NUL)
    if (!b.has(kConfigName + i, 1)) return b.cut(), false;
    if (*b.p(kConfigName + i) == 0) break;
    append_safe_char(out, *b.p(kConfigName + i));
  }
  if (!b.has(kConfigName + 32, 2 + 16)) return b.cut(), false;
  out.append(", rev ");
  out.append_uint(b.u16(kConfigName + 32));
  out.append(",\n\t\tdigest ");
  append_digest(out, b.p(kConfigDigest), 4);
  out.append(", ");
  if (!b.has(kCistInternalCost, 4)) return b.cut(), false;
  out.append("CIST int-root-pathcost ");
  out.append_uint(b.u32(kCistInternalCost));
  out.append(',');
  if (!b.has(kCistBridgeId, 8)) return b.cut(), false;
  out.append("\n\tCIST bridge-id ");
  append_bridge_id(out, b.p(kCistBridgeId));
  out.append(", ");
  if (!b.has(kCistHops, 1)) return b.cut(), false;
  out.append("CIST remaining-hops ");
  out.append_uint(*b.p(kCistHops));
  const std::uint16_t v3len = b.u16(kV3Length);
  if (v3len > 64) {
    std::uint16_t left = static_cast<std::uint16_t>(v3len - 64);
    for (std::uint32_t at = kMsti; left >= 16; left = static_cast<std::uint16_t>(left - 16), at += 16) {
      if (!b.has(at, 1) || !b.has(at + 1, 2)) return b.cut(), false;
      const std::uint8_t msti_flags = *b.p(at);
      out.append("\n\tMSTI ");
      out.append_uint(b.u16(at + 1) & 0x0fff);
      out.append(", Flags [");
      append_flags(out, msti_flags);
      out.append("], port-role ");
      out.append(port_role(msti_flags));
      if (!b.has(at + 1, 12)) return b.cut(), false;
      out.append("\n\t\tMSTI regional-root-id ");
      append_bridge_id(out, b.p(at + 1));
      out.append(", pathcost ");
      out.append_uint(b.u32(at + 9));
      if (!b.has(at + 13, 3)) return b.cut(), false;
      out.append("\n\t\tMSTI bridge-prio ");
      out.append_uint(*b.p(at + 13) >> 4);
      out.append(", port-prio ");
      out.append_uint(*b.p(at + 14) >> 4);
      out.append(", hops ");
      out.append_uint(*b.p(at + 15));
    }
  }
  return true;
}

// 802.1aq SPB's part after the MSTP one, at `at` from the BPDU's start (-v only).
void print_spb(const Bpdu& b, std::uint32_t at) {
  OutputBuffer& out = b.c.out;
  if (!b.has(at, 2)) return b.cut();
  out.append("\n\tv4len ");
  out.append_uint(b.u16(at));
  out.append(", AUXMCID Name ");
  for (std::uint32_t i = 0; i < 32; ++i) {
    if (!b.has(at + 3 + i, 1)) return b.cut();
    if (*b.p(at + 3 + i) == 0) break;
    append_safe_char(out, *b.p(at + 3 + i));
  }
  if (!b.has(at + 35, 2 + 16)) return b.cut();
  out.append(", Rev ");
  out.append_uint(b.u16(at + 35));
  out.append(",\n\t\tdigest ");
  append_digest(out, b.p(at + 37), 4);
  const std::uint32_t agreement = at + 53;
  if (!b.has(agreement, 4 + 2 + 8 + 20)) return b.cut();
  const std::uint8_t a = *b.p(agreement);
  const std::uint8_t format = *b.p(agreement + 2), convention = *b.p(agreement + 3);
  out.append("\n\tAgreement num ");
  out.append_uint(a >> 6);
  out.append(", Discarded Agreement num ");
  out.append_uint((a >> 4) & 3);
  out.append(", Agreement valid-flag ");
  out.append_uint((a >> 3) & 1);
  out.append(",\n\tRestricted role-flag: ");
  out.append_uint((a >> 2) & 1);
  out.append(", Format id ");
  out.append_uint(format >> 4);
  out.append(" cap ");
  out.append_uint(format);
  out.append(", Convention id ");
  out.append_uint(convention >> 4);
  out.append(" cap ");
  out.append_uint(convention);
  out.append(",\n\tEdge count ");
  out.append_uint(b.u16(agreement + 4));
  out.append(", Agreement digest ");
  append_digest(out, b.p(agreement + 14), 5);
}

}  // namespace

void print_stp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const Bpdu b{c, offset};
  if (length < 4) {
    out.append(" (invalid)");
    return;
  }
  if (!b.has(0, 2)) return b.cut();
  if (b.u16(0) != 0) {
    out.append("unknown STP version, length ");
    out.append_uint(length);
    return;
  }
  if (!b.has(2, 1)) return b.cut();
  const std::uint8_t version = *b.p(2);
  out.append("STP ");
  switch (version) {
    case 0: out.append("802.1d"); break;
    case 2: out.append("802.1w"); break;
    case 3: out.append("802.1s"); break;
    case 4: out.append("802.1aq"); break;
    default:
      out.append("Unknown STP protocol (0x");
      out.append_hex8(version);
      out.append(')');
      return;
  }
  if (!b.has(3, 1)) return b.cut();
  const std::uint8_t type = *b.p(3);
  switch (type) {
    case 0x00: out.append(", Config"); break;
    case 0x02: out.append(", Rapid STP"); break;
    case 0x80: out.append(", Topology Change"); break;
    default:
      out.append(", Unknown BPDU Type (0x");
      out.append_hex8(type);
      out.append(')');
      break;
  }
  if (type == 0x00) {
    if (length < kConfigLength) {
      out.append(" (invalid)");
      return;
    }
    print_config(b, length, version);
    return;
  }
  if (type != 0x02) return;
  if (version == 2) {
    if (length < kRstpLength) {
      out.append(" (invalid)");
      return;
    }
    print_config(b, length, version);
    return;
  }
  if (version != 3 && version != 4) return;
  if (length < kMstpMinLength) {
    out.append(" (invalid)");
    return;
  }
  if (!b.has(35, 1)) return b.cut();
  if (*b.p(35) != 0) {
    out.append(" (invalid)");
    return;
  }
  if (!b.has(kV3Length, 2)) return b.cut();
  const std::uint32_t mstp_length = b.u16(kV3Length) + 2u;
  if (length < kRstpLength + mstp_length) {
    out.append(" (invalid)");
    return;
  }
  if (!print_mstp(b, length)) return;
  if (version != 4) return;
  const std::uint32_t v4 = kV3Length + mstp_length;
  if (!b.has(v4, 2)) return b.cut();
  const std::uint32_t spb_length = b.u16(v4) + 2u;
  if (length < kRstpLength + mstp_length + spb_length || spb_length < 87) {
    out.append(" (invalid)");
    return;
  }
  if (c.options.verbose) print_spb(b, kRstpLength + mstp_length);
}

}  // namespace slimcap::detail
