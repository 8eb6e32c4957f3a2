// NTP (UDP 123) as tcpdump 4.99 prints it (print-ntp.c, ntp.c): "NTPv4, Client, length 48";
// with -v the header fields, the four timestamps (with their UTC date) and the originator's
// deltas, or a control message's fields. docs/dissectors/ntp.md has the shapes.

#include <cstdint>
#include <ctime>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kTrunc = " [|ntp]"sv;
constexpr double kTwoTo32 = 4294967296.0;

constexpr std::string_view kModes[] = {"unspecified"sv, "symmetric active"sv,
                                       "symmetric passive"sv, "Client"sv,
                                       "Server"sv, "Broadcast"sv,
                                       "Control Message"sv, "Reserved"sv};

// "%u.%09u" of a 64-bit NTP timestamp, then " (YYYY-MM-DDTHH:MM:SSZ)" unless its seconds are 0.
void append_ntp_time(OutputBuffer& out, const std::uint8_t* p) {
  const std::uint32_t seconds = load_be32(p);
  const double fraction = load_be32(p + 4) / kTwoTo32;
  out.append_uint(seconds);
  out.append('.');
  out.append_uint_padded(static_cast<std::uint32_t>(fraction * 1000000000.0), 9);
  if (seconds == 0) return;
  const std::time_t t = static_cast<std::time_t>(static_cast<std::int64_t>(seconds) - 2208988800LL);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) {
    out.append(" (unrepresentable)"sv);
    return;
  }
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  out.append(" ("sv);
  out.append(std::string_view(text, n));
  out.append(')');
}

// tcpdump's p_ntp_delta(): lfp - olfp with a sign, or lfp itself when olfp is 0.
void append_ntp_delta(OutputBuffer& out, const std::uint8_t* olfp, const std::uint8_t* lfp) {
  const std::uint32_t u = load_be32(lfp), uf = load_be32(lfp + 4);
  const std::uint32_t ou = load_be32(olfp), ouf = load_be32(olfp + 4);
  if (ou == 0 && ouf == 0) return append_ntp_time(out, lfp);
  bool negative;
  std::uint32_t i, f;
  if (u > ou) {
    negative = false;
    i = u - ou;
    f = uf - ouf;
    if (ouf > uf) i -= 1;
  } else if (u < ou) {
    negative = true;
    i = ou - u;
    f = ouf - uf;
    if (uf > ouf) i -= 1;
  } else {
    i = 0;
    negative = !(uf > ouf);
    f = negative ? ouf - uf : uf - ouf;
  }
  const double fraction = f / kTwoTo32;
  out.append(negative ? '-' : '+');
  out.append_uint(i);
  out.append('.');
  out.append_uint_padded(static_cast<std::uint32_t>(fraction * 1000000000.0), 9);
}

// tcpdump's p_sfix(): a 16.16 fixed-point number as "%d.%06d".
void append_short_fixed(OutputBuffer& out, const std::uint8_t* p) {
  out.append_uint(load_be16(p));
  out.append('.');
  const double fraction = load_be16(p + 2) / 65536.0;
  out.append_uint_padded(static_cast<std::uint32_t>(fraction * 1000000.0), 6);
}

void append_hex32(OutputBuffer& out, std::uint32_t v) { out.append_hex_padded(v, 8); }

}  // namespace

void print_ntp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data() + offset;
  // The message's first `end` bytes captured, else the marker: tcpdump reads the first 4 bytes
  // and a control message's 12-byte header with its longjmp, and checks the rest first.
  const auto have = [&c, &out, offset](std::uint32_t end, bool longjmp = false) {
    if (c.captured(offset, end)) return true;
    out.append(kTrunc);
    if (longjmp) c.dump_whole = true;
    return false;
  };
  if (!have(1, true)) return;
  const std::uint8_t status = d[0];
  const std::uint32_t version = (status >> 3) & 7, mode = status & 7;
  out.append("NTPv"sv);
  out.append_uint(version);
  out.append(", "sv);
  out.append(kModes[mode]);
  out.append(", length "sv);
  out.append_uint(length);
  if (c.options.verbose == 0) return;
  out.append("\n\tLeap indicator: "sv);
  const std::uint32_t leap = status & 0xc0;
  out.append(leap == 0x40 ? "+1s"sv : leap == 0x80 ? "-1s"sv : leap == 0xc0 ? "clock unsynchronized"sv : ""sv);
  out.append(" ("sv);
  out.append_uint(leap);
  out.append(')');
  // tcpdump's "invalid" path: the marker, then a check that the whole message was captured.
  const auto invalid = [&] {
    out.append(" (invalid)"sv);
    if (!c.captured(offset, length)) out.append(kTrunc);
  };
  if (mode == 6) {  // control message
    if (length < 12) return invalid();
    if (!have(2, true)) return;
    const std::uint8_t control = d[1];
    out.append((control & 0x80) ? ", Response"sv : ", Request"sv);
    out.append((control & 0x40) ? ", Error"sv : ", OK"sv);
    out.append((control & 0x20) ? ", More"sv : ", Last"sv);
    out.append(", OpCode="sv);
    out.append_uint(control & 0x1f);
    out.append('\n');
    if (!have(4, true)) return;
    out.append("\tSequence="sv);
    out.append_uint(load_be16(d + 2));
    if (!have(6, true)) return;
    out.append(", Status="sv);
    if (const std::uint16_t s = load_be16(d + 4)) {
      out.append("0x"sv);
      out.append_hex(s);
    } else {
      out.append('0');
    }
    if (!have(8, true)) return;
    out.append(", Assoc.="sv);
    out.append_uint(load_be16(d + 6));
    if (!have(10, true)) return;
    out.append(", Offset="sv);
    out.append_uint(load_be16(d + 8));
    if (!have(12, true)) return;
    const std::uint32_t count = load_be16(d + 10);
    out.append(", Count="sv);
    out.append_uint(count);
    if (12 + count > length) return invalid();
    if (count != 0) {
      if (!have(12 + count)) return;
      out.append("\n\tTO-BE-DONE: data not interpreted"sv);
    }
    return;
  }
  if (mode == 7) return;  // tcpdump prints nothing more
  if (length < 48) return invalid();
  if (!have(2, true)) return;
  const std::uint8_t stratum = d[1];
  out.append(", Stratum "sv);
  out.append_uint(stratum);
  out.append(" ("sv);
  out.append(stratum == 0   ? "unspecified"sv
             : stratum == 1 ? "primary reference"sv
             : stratum <= 15 ? "secondary reference"sv
                             : "reserved"sv);
  out.append(')');
  if (!have(3, true)) return;
  const int poll = static_cast<std::int8_t>(d[2]);
  out.append(", poll "sv);
  out.append_int(poll);
  if (poll > -32 && poll < 32) {
    if (poll >= 0) {
      out.append(" ("sv);
      out.append_uint(std::uint64_t{1} << poll);
      out.append("s)"sv);
    } else {
      out.append(" (1/"sv);
      out.append_uint(std::uint64_t{1} << -poll);
      out.append("s)"sv);
    }
  }
  if (!have(4, true)) return;
  out.append(", precision "sv);
  out.append_int(static_cast<std::int8_t>(d[3]));
  if (!have(8)) return;
  out.append("\n\tRoot Delay: "sv);
  append_short_fixed(out, d + 4);
  if (!have(12)) return;
  out.append(", Root dispersion: "sv);
  append_short_fixed(out, d + 8);
  if (!have(16)) return;
  out.append(", Reference-ID: "sv);
  switch (stratum) {
    case 0:
      out.append("(unspec)"sv);
      break;
    case 1:
      for (std::uint32_t i = 12; i < 16; ++i) append_safe_char(out, d[i]);
      break;
    case 62:
    case 63:
      append_ipv4(out, d + 12);
      out.append(stratum == 62 ? " INFO_QUERY"sv : " INFO_REPLY"sv);
      return;
    default:
      out.append("0x"sv);
      append_hex32(out, load_be32(d + 12));
      break;
  }
  static constexpr std::string_view kStamps[] = {
      "\n\t  Reference Timestamp:  "sv, "\n\t  Originator Timestamp: "sv,
      "\n\t  Receive Timestamp:    "sv, "\n\t  Transmit Timestamp:   "sv};
  for (std::uint32_t i = 0; i < 4; ++i) {
    if (!have(24 + 8 * i)) return;
    out.append(kStamps[i]);
    append_ntp_time(out, d + 16 + 8 * i);
  }
  out.append("\n\t    Originator - Receive Timestamp:  "sv);
  append_ntp_delta(out, d + 24, d + 32);
  out.append("\n\t    Originator - Transmit Timestamp: "sv);
  append_ntp_delta(out, d + 24, d + 40);
  if (length == 52 || length == 68 || length == 72) {
    if (!have(52)) return;
    out.append("\n\tKey id: "sv);
    out.append_uint(load_be32(d + 48));
    if (length == 52) return;
    if (!have(length)) return;
    out.append("\n\tAuthentication: "sv);
    for (std::uint32_t at = 52; at < length; at += 4) append_hex32(out, load_be32(d + at));
  } else if (length > 48) {
    out.append("\n\t("sv);
    out.append_uint(length - 48);
    out.append(" more bytes after the header)"sv);
  }
}

}  // namespace slimcap::detail
