// IGMP v1-v3 (IP protocol 2) as tcpdump 4.99 prints it (print-igmp.c): queries, reports,
// leaves, v3 group records under -v, mtrace / mresp, the checksum under -v. DVMRP and PIMv1
// inside IGMP are named, then left to a marker (see docs/dissectors/routing.md).

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

// `label` and the decimal text of v (labels of any length, unlike append_number).
void labeled(OutputBuffer& out, std::string_view label, std::uint32_t v) {
  out.append(label);
  out.append_uint(v);
}

constexpr std::string_view kCut = " [|igmp]"sv;

bool is_class_d(const std::uint8_t* a) { return (a[0] & 0xf0) == 0xe0; }

// " v3 [max resp time 20.8s] [gaddr 239.1.1.1, 2 source(s)]"; false when cut.
bool print_v3_query(const Context& c, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  const std::uint8_t* p = c.data() + at;
  out.append(" v3");
  if (len < 12 || (len & 3) != 0) {
    labeled(out, " [invalid len "sv, len);
    out.append(']');
    return true;
  }
  if (!c.captured(at, 2)) return false;
  const std::uint32_t mrc = p[1];
  const std::uint32_t mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc != 100) {
    out.append(" [max resp time ");
    if (mrt < 600) {
      out.append_uint(mrt / 10);
      out.append('.');
      out.append_uint(mrt % 10);
      out.append('s');
    } else {
      append_relative_time(out, mrt / 10);
    }
    out.append(']');
  }
  if (!c.captured(at, 8)) return false;
  if (load_be32(p + 4) == 0) return true;
  out.append(" [gaddr ");
  append_ipv4(out, p + 4);
  if (!c.captured(at, 12)) return false;
  const std::uint32_t sources = load_be16(p + 10);
  if (sources > 0) {
    if (len < 12 + (sources << 2)) {
      out.append(" [invalid number of sources]");
    } else if (c.options.verbose > 1) {
      out.append(" {");
      for (std::uint32_t i = 0; i < sources; ++i) {
        if (!c.captured(at + 12 + 4 * i, 4)) return false;
        out.append(' ');
        append_ipv4(out, p + 12 + 4 * i);
      }
      out.append(" }");
    } else {
      labeled(out, ", "sv, sources);
      out.append(" source(s)");
    }
  }
  out.append(']');
  return true;
}

std::string_view record_type_name(std::uint8_t type) {
  static constexpr std::string_view kNames[] = {"is_in"sv, "is_ex"sv, "to_in"sv,
                                                "to_ex"sv, "allow"sv, "block"sv};
  return type >= 1 && type <= 6 ? kNames[type - 1] : std::string_view{};
}

// ", 2 group record(s)" and, under -v, the records; false when cut.
bool print_v3_report(const Context& c, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  const std::uint8_t* p = c.data() + at;
  if (len < 16 || (len & 3) != 0) {
    labeled(out, " [invalid len "sv, len);
    out.append(']');
    return true;
  }
  if (!c.captured(at, 8)) return false;
  const std::uint32_t groups = load_be16(p + 6);
  labeled(out, ", "sv, groups);
  out.append(" group record(s)");
  if (c.options.verbose == 0) return true;
  std::uint32_t group = 8;
  for (std::uint32_t i = 0; i < groups; ++i) {
    if (len < group + 8) {
      out.append(" [invalid number of groups]");
      return true;
    }
    if (!c.captured(at + group, 8)) return false;
    out.append(" [gaddr ");
    append_ipv4(out, p + group + 4);
    out.append(' ');
    const std::uint8_t type = p[group];
    const std::string_view name = record_type_name(type);
    if (name.empty()) {
      labeled(out, " [v3-report-#"sv, type);
      out.append(']');
    } else {
      out.append(name);
    }
    const std::uint32_t sources = load_be16(p + group + 2);
    if (len < group + 8 + (sources << 2)) {
      labeled(out, " [invalid number of sources "sv, sources);
      out.append(']');
      return true;
    }
    if (c.options.verbose == 1) {
      labeled(out, ", "sv, sources);
      out.append(" source(s)");
    } else {
      out.append(" {");
      for (std::uint32_t j = 0; j < sources; ++j) {
        if (!c.captured(at + group + 8 + 4 * j, 4)) return false;
        out.append(' ');
        append_ipv4(out, p + group + 8 + 4 * j);
      }
      out.append(" }");
    }
    group += 8 + (sources << 2);
    out.append(']');
  }
  return true;
}

// "mtrace 5: 10.0.0.1 to 10.0.0.2 reply-to 239.1.1.1 with-ttl 64"; false when cut.
bool print_mtrace(const Context& c, std::string_view name, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  if (len < 8 + 16) {
    labeled(out, " [invalid len "sv, len);
    out.append(']');
    return true;
  }
  if (!c.captured(at + 8, 16)) return false;
  const std::uint8_t* q = c.data() + at + 8;
  out.append(name);
  out.append(' ');
  out.append_uint(load_be32(q + 12) & 0xffffff);
  out.append(": ");
  append_ipv4(out, q);
  out.append(" to ");
  append_ipv4(out, q + 4);
  out.append(" reply-to ");
  append_ipv4(out, q + 8);
  if (is_class_d(q + 8)) labeled(out, " with-ttl "sv, q[12]);
  return true;
}

// One message; false when tcpdump's read past the capture ends it.
bool print_message(const Context& c, std::uint32_t at, std::uint32_t len) {
  OutputBuffer& out = c.out;
  if (!c.captured(at, 1)) return false;
  const std::uint8_t* p = c.data() + at;
  switch (p[0]) {
    case 0x11:
      out.append("igmp query");
      if (len >= 12) return print_v3_query(c, at, len);
      if (!c.captured(at, 2)) return false;
      if (p[1] != 0) {
        out.append(" v2");
        if (p[1] != 100) {
          labeled(out, " [max resp time "sv, p[1]);
          out.append(']');
        }
      } else {
        out.append(" v1");
      }
      if (!c.captured(at, 8)) return false;
      if (load_be32(p + 4) != 0) {
        out.append(" [gaddr ");
        append_ipv4(out, p + 4);
        out.append(']');
      }
      if (len != 8) {
        labeled(out, " [len "sv, len);
        out.append(']');
      }
      return true;
    case 0x12:
      if (!c.captured(at, 8)) return false;
      out.append("igmp v1 report ");
      append_ipv4(out, p + 4);
      if (len != 8) {
        labeled(out, " [len "sv, len);
        out.append(']');
      }
      return true;
    case 0x16:
    case 0x17:
      if (!c.captured(at, 8)) return false;
      out.append(p[0] == 0x16 ? "igmp v2 report "sv : "igmp leave "sv);
      append_ipv4(out, p + 4);
      return true;
    case 0x22:
      out.append("igmp v3 report");
      return print_v3_report(c, at, len);
    case 0x13:
      // DVMRP is not decoded: its name, then the marker.
      out.append("igmp dvmrp");
      if (len < 8) {
        labeled(out, " [len "sv, len);
        out.append(']');
        return true;
      }
      out.append(" [|dvmrp]");
      return true;
    case 0x14:
      out.append("igmp pimv1 [|pimv1]");  // PIMv1 is not decoded
      return true;
    case 0x1e: return print_mtrace(c, "mresp"sv, at, len);
    case 0x1f: return print_mtrace(c, "mtrace"sv, at, len);
    default:
      labeled(out, "igmp-"sv, p[0]);
      return true;
  }
}

}  // namespace

void print_igmp(const Context& c, bool /*with_addresses*/) {
  OutputBuffer& out = c.out;
  if (c.s.network != Network::ipv4) {
    out.append("[IGMP requires IPv4] (invalid)");
    return;
  }
  if (c.options.quiet) {
    out.append("igmp");
    return;
  }
  const std::uint32_t at = c.s.transport_offset;
  const std::uint32_t len = c.s.transport_length;
  if (!print_message(c, at, len)) {
    out.append(kCut);
    return;
  }
  if (c.options.verbose > 0 && len >= 4 && c.captured(at, len)) {
    const std::uint8_t* p = c.data() + at;
    if (internet_checksum(p, len) != 0) {
      out.append(" bad igmp cksum ");
      out.append_hex(load_be16(p + 2));
      out.append('!');
    }
  }
}

}  // namespace slimcap::detail
