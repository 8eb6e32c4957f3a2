// PTP (IEEE 1588) on UDP 319 and 320 as tcpdump 4.99 prints it (print-ptp.c): "PTPv2, v1
// compat : no, msg type : sync msg, length : 44, domain : 0, ..." with every header field and
// the message's body; version 1 is "(not implemented)" there too.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

constexpr std::uint32_t kHeaderLength = 34;

std::string_view message_name(unsigned type) {
  switch (type) {
    case 0x0: return "sync msg"sv;
    case 0x1: return "delay req msg"sv;
    case 0x2: return "peer delay req msg"sv;
    case 0x3: return "peer delay resp msg"sv;
    case 0x8: return "follow up msg"sv;
    case 0x9: return "delay resp msg"sv;
    case 0xa: return "pdelay resp fup msg"sv;
    case 0xb: return "announce msg"sv;
    case 0xc: return "signalling msg"sv;
    case 0xd: return "management msg"sv;
    default: return "Reserved"sv;
  }
}

std::string_view control_name(unsigned control) {
  switch (control) {
    case 0: return "Sync"sv;
    case 1: return "Delay_Req"sv;
    case 2: return "Follow_Up"sv;
    case 3: return "Delay_Resp"sv;
    case 4: return "Management"sv;
    case 5: return "Other"sv;
    default: return "Reserved"sv;
  }
}

struct FlagName {
  std::uint16_t mask;
  std::string_view name;
};
// tcpdump's table; a name is shown when all its bits are set ("unknown" is several bits).
constexpr FlagName kFlags[] = {
    {0x0001, "l1 61"sv},          {0x0002, "l1 59"sv},
    {0x0004, "utc reasonable"sv}, {0x0008, "timescale"sv},
    {0x0010, "time tracable"sv},  {0x0020, "frequency tracable"sv},
    {0x0100, "alternate master"sv}, {0x0200, "two step"sv},
    {0x0400, "unicast"sv},        {0x1000, "profile specific 1"sv},
    {0x2000, "profile specific 2"sv}, {0x4000, "security mask"sv},
    {0x18c0, "unknown"sv}};

std::uint64_t load_be48(const std::uint8_t* p) {
  return (std::uint64_t{load_be16(p)} << 32) | load_be32(p + 2);
}

std::uint64_t load_be64(const std::uint8_t* p) {
  return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}

// Reads of the message at `offset`: each field is printed only when captured; the first one
// that is not ends the line with tcpdump's " [|ptp]" (its longjmp).
struct Reader {
  const Context& c;
  std::uint32_t offset;
  bool cut = false;
  const std::uint8_t* at(std::uint32_t i, std::uint32_t n) {
    if (cut || !c.captured(offset + i, n)) {
      if (!cut) {
        c.out.append(" [|ptp]");
        c.dump_whole = true;
      }
      cut = true;
      return nullptr;
    }
    return c.data() + offset + i;
  }
  bool decimal(std::string_view label, std::uint32_t i, std::uint32_t n) {
    const std::uint8_t* p = at(i, n);
    if (p == nullptr) return false;
    c.out.append(label);
    c.out.append_uint(n == 1 ? p[0] : n == 2 ? load_be16(p) : n == 4 ? load_be32(p) : load_be48(p));
    return true;
  }
  bool hex(std::string_view label, std::uint32_t i, std::uint32_t n) {
    const std::uint8_t* p = at(i, n);
    if (p == nullptr) return false;
    c.out.append(label);
    c.out.append_hex(n == 1 ? p[0] : load_be64(p));
    return true;
  }
  // ", NAME : S seconds, N nanoseconds" (announce messages: no comma after the seconds).
  bool timestamp(std::string_view name, bool comma) {
    c.out.append(", ");
    c.out.append(name);
    c.out.append(" :");
    if (!decimal(" "sv, 34, 6)) return false;
    c.out.append(comma ? " seconds,"sv : " seconds"sv);
    if (!decimal(" "sv, 40, 4)) return false;
    c.out.append(" nanoseconds");
    return true;
  }
  bool port_identity(std::uint32_t i) {
    return hex(", port identity : 0x"sv, i, 8) && decimal(", port id : "sv, i + 8, 2);
  }
};

void print_v2(const Context& c, std::uint32_t offset) {
  OutputBuffer& out = c.out;
  Reader r{c, offset};
  const std::uint8_t* h = r.at(0, 1);
  if (h == nullptr) return;
  out.append((h[0] & 0x10) ? ", v1 compat : yes"sv : ", v1 compat : no"sv);
  const unsigned type = h[0] & 0x0f;
  out.append(", msg type : ");
  out.append(message_name(type));
  if (!r.decimal(", length : "sv, 2, 2)) return;
  if (!r.at(4, 2)) return;
  append_number(out, ", domain : "sv, h[4]);
  append_number(out, ", reserved1 : "sv, h[5]);
  const std::uint8_t* f = r.at(6, 2);
  if (f == nullptr) return;
  out.append(", Flags [");
  {
    const std::uint16_t flags = load_be16(f);
    bool any = false;
    for (const FlagName& fl : kFlags) {
      if ((flags & fl.mask) != fl.mask) continue;
      if (any) out.append(", ");
      out.append(fl.name);
      any = true;
    }
    if (!any) out.append("none");
  }
  out.append(']');
  if (!r.decimal(", NS correction : "sv, 8, 6) || !r.decimal(", sub NS correction : "sv, 14, 2) ||
      !r.decimal(", reserved2 : "sv, 16, 4) || !r.hex(", clock identity : 0x"sv, 20, 8) ||
      !r.decimal(", port id : "sv, 28, 2) || !r.decimal(", seq id : "sv, 30, 2))
    return;
  const std::uint8_t* control = r.at(32, 1);
  if (control == nullptr) return;
  append_number(out, ", control : "sv, control[0]);
  out.append(" (");
  out.append(control_name(control[0]));
  out.append(')');
  if (!r.decimal(", log message interval : "sv, 33, 1)) return;
  // (tcpdump reads the interval as the low byte of bytes 32-33: the same test as byte 33.)
  switch (type) {
    case 0x0:
    case 0x1: r.timestamp("originTimeStamp"sv, true); return;
    case 0x8: r.timestamp("preciseOriginTimeStamp"sv, true); return;
    case 0x2:
    case 0xa:
      if (r.timestamp("preciseOriginTimeStamp"sv, true)) r.port_identity(44);
      return;
    case 0x3:
    case 0x9:
      if (r.timestamp("receiveTimeStamp"sv, true)) r.port_identity(44);
      return;
    case 0xb:
      if (!r.timestamp("originTimeStamp"sv, false)) return;
      (void)(r.decimal(", origin cur utc :"sv, 44, 2) && r.decimal(", rsvd : "sv, 46, 1) &&
             r.decimal(", gm priority_1 : "sv, 47, 1) &&
             r.decimal(", gm clock class : "sv, 48, 1) &&
             r.decimal(", gm clock accuracy : "sv, 49, 1) &&
             r.decimal(", gm clock variance : "sv, 50, 2) &&
             r.decimal(", gm priority_2 : "sv, 52, 1) &&
             r.hex(", gm clock id : 0x"sv, 53, 8) && r.decimal(", steps removed : "sv, 61, 2) &&
             r.hex(", time source : 0x"sv, 63, 1));
      return;
    case 0xc: r.port_identity(34); return;
    case 0xd:
      // tcpdump reads the four one-byte fields all at the body's first byte.
      if (!r.port_identity(34)) return;
      (void)(r.decimal(", , start boundary hops  "sv, 34, 1) &&
             r.decimal(", , boundary hops  "sv, 34, 1) && r.hex(", , flags  0x"sv, 34, 1) &&
             r.hex(", , reserved  0x"sv, 34, 1));
      return;
    default: return;
  }
}

}  // namespace

void print_ptp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (length < kHeaderLength) {
    append_number(out, " [length "sv, length);
    out.append(" < 34] (invalid)");
    return;
  }
  if (!c.captured(offset, 2)) {
    out.append(" [|ptp]");
    c.dump_whole = true;
    return;
  }
  const unsigned version = c.data()[offset + 1];
  append_number(out, "PTPv"sv, version);
  if (version == 1) {
    out.append(" (not implemented)");
  } else if (version == 2) {
    print_v2(c, offset);
  }
}

}  // namespace slimcap::detail
