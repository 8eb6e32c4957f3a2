// Syslog (UDP 514) as tcpdump 4.99 prints it (print-syslog.c): "SYSLOG facility.severity,
// length: N"; with -v the facility and severity on their own line and the message text, with
// -vv also the whole message as hex lines. docs/dissectors/syslog.md has the shapes.

#include <cstdint>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kTrunc = " [|syslog]"sv;

constexpr std::string_view kSeverities[] = {"emergency"sv, "alert"sv,  "critical"sv, "error"sv,
                                            "warning"sv,   "notice"sv, "info"sv,     "debug"sv};
constexpr std::string_view kFacilities[] = {
    "kernel"sv, "user"sv,     "mail"sv,    "daemon"sv,   "auth"sv,    "syslog"sv,
    "lpr"sv,    "news"sv,     "uucp"sv,    "cron"sv,     "authpriv"sv, "ftp"sv,
    "ntp"sv,    "security"sv, "console"sv, "cron"sv,     "local0"sv,  "local1"sv,
    "local2"sv, "local3"sv,   "local4"sv,  "local5"sv,   "local6"sv,  "local7"sv};

void append_name(OutputBuffer& out, std::uint32_t v, const std::string_view* names,
                 std::uint32_t count) {
  if (v < count) {
    out.append(names[v]);
  } else {
    out.append("unknown ("sv);
    out.append_uint(v);
    out.append(')');
  }
}

}  // namespace

void print_syslog(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data() + offset;
  // A byte read past the capture: tcpdump's longjmp.
  const auto cut = [&c, &out] {
    out.append(kTrunc);
    c.dump_whole = true;
  };
  if (!c.captured(offset, 1)) return cut();
  if (d[0] != '<') {
    out.append(" (invalid)"sv);
    return;
  }
  std::uint32_t at = 1, priority = 0;
  for (;;) {
    if (at > 3) break;
    if (!c.captured(offset + at, 1)) return cut();
    if (d[at] < '0' || d[at] > '9') break;
    priority = priority * 10 + (d[at] - '0');
    ++at;
  }
  if (!c.captured(offset + at, 1)) return cut();
  if (d[at] != '>') {
    out.append(" (invalid)"sv);
    return;
  }
  ++at;
  const std::uint32_t facility = (priority & 0x3f8) >> 3, severity = priority & 7;
  if (c.options.verbose == 0) {
    out.append("SYSLOG "sv);
    append_name(out, facility, kFacilities, 24);
    out.append('.');
    append_name(out, severity, kSeverities, 8);
    out.append(", length: "sv);
    out.append_uint(length);
    return;
  }
  out.append("SYSLOG, length: "sv);
  out.append_uint(length);
  out.append("\n\tFacility "sv);
  append_name(out, facility, kFacilities, 24);
  out.append(" ("sv);
  out.append_uint(facility);
  out.append("), Severity "sv);
  append_name(out, severity, kSeverities, 8);
  out.append(" ("sv);
  out.append_uint(severity);
  out.append(")\n\tMsg: "sv);
  for (; at < length; ++at) {
    if (!c.captured(offset + at, 1)) return cut();
    append_safe_char(out, d[at]);
  }
  if (c.options.verbose > 1) {
    std::uint32_t n = length;
    if (offset + n > c.caplen()) n = c.caplen() > offset ? c.caplen() - offset : 0;
    append_hex_lines(out, std::span<const std::uint8_t>(d, n), "\n\t"sv);
  }
}

}  // namespace slimcap::detail
