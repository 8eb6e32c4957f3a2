#include "slimcap/timestamp.hpp"

#include <array>
#include <cstring>
#include <string>
#include <ctime>
#include <string_view>

// tcpdump 4.99's ts_print() (util-print.c), checked against /usr/sbin/tcpdump 4.99.3:
// - time of day and date: localtime(), "%H:%M:%S" or "%Y-%m-%d %H:%M:%S", then ".%06u"/".%09u";
// - -tt: "%u" seconds, then the fraction;
// - -ttt / -ttttt: a '-' or ' ' sign, then the absolute delta through gmtime(), so the hours
//   wrap at 24 ("100 h" prints as "04:00:00"). The delta is taken at the printed precision
//   (µs deltas are differences of truncated µs values, as libpcap hands tcpdump µs), and a
//   reference of exactly 0 counts as "unset" (tcpdump's netdissect_timevalisset);
// - seconds with bit 31 of their low 32 bits set (negative in a pcap file, whose seconds
//   libpcap reads as signed 32 bits) print "[Error converting time]" with no fraction, in
//   every style; the other times convert whole, so pcapng times after 2106 print their date
//   (and -tt prints the low 32 bits of the seconds, tcpdump's "%u").

namespace slimcap {
namespace {

constexpr std::int64_t kNsPerSecond = 1000000000;
constexpr std::string_view kError = "[Error converting time]";

// "00" .. "99", two characters each.
constexpr std::array<char, 200> make_digit_pairs() {
  std::array<char, 200> t{};
  for (std::size_t i = 0; i < 100; ++i) {
    t[2 * i] = static_cast<char>('0' + i / 10);
    t[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return t;
}
constexpr std::array<char, 200> kDigitPairs = make_digit_pairs();

// v in decimal, as many digits as it takes.
inline char* put_decimal(char* p, unsigned v) noexcept {
  char digits[10];
  unsigned n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = digits[--n];
  return p;
}

inline char* put2(char* p, unsigned v) noexcept {
  std::memcpy(p, &kDigitPairs[2 * v], 2);
  return p + 2;
}

// Six digits of a value below 10^6.
inline char* put6(char* p, unsigned v) noexcept {
  p = put2(p, v / 10000);
  p = put2(p, v / 100 % 100);
  return put2(p, v % 100);
}

// Nine digits of a value below 10^9.
inline char* put9(char* p, unsigned v) noexcept {
  *p++ = static_cast<char>('0' + v / 100000000);
  v %= 100000000;
  p = put2(p, v / 1000000);
  p = put2(p, v / 10000 % 100);
  p = put2(p, v / 100 % 100);
  return put2(p, v % 100);
}

// Splits ns since the epoch into whole seconds (floor) and the nanoseconds within.
inline void split(std::int64_t ns, std::int64_t& seconds, std::int64_t& fraction) noexcept {
  seconds = ns / kNsPerSecond;
  fraction = ns % kNsPerSecond;
  if (fraction < 0) {
    fraction += kNsPerSecond;
    --seconds;
  }
}

// tcpdump refuses seconds with bit 31 of their low 32 bits set (`(unsigned)sec &
// 0x80000000`): every time before 1970 and from 2038-01-19 03:14:08 UTC on, as a pcap file
// holds them; past 2^32 seconds (pcapng only) it converts those whose bit 31 is clear.
inline bool convertible(std::int64_t seconds) noexcept {
  return (static_cast<std::uint64_t>(seconds) & 0x80000000u) == 0;
}

// Writes "HH:MM:SS." or "YYYY-MM-DD HH:MM:SS." for `seconds` (or tcpdump's conversion error)
// into `out` (32 bytes) and returns its size. Once a second: kept out of line so that the
// per-packet path stays small.
[[gnu::noinline, gnu::cold]] unsigned format_prefix(char* out, std::int64_t seconds, bool date,
                                                    bool utc) noexcept {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  const bool ok = convertible(seconds) &&
                  (utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) != nullptr &&
                  tm.tm_year + 1900 >= 0;
  char* q = out;
  if (!ok) {
    std::memcpy(q, kError.data(), kError.size());
    return static_cast<unsigned>(kError.size());
  }
  if (date) {
    // strftime's %Y: four digits, more after the year 9999 (pcapng times reach them).
    const unsigned year = static_cast<unsigned>(tm.tm_year + 1900);
    if (year > 9999) q = put_decimal(q, year / 10000);
    q = put2(q, year / 100 % 100);
    q = put2(q, year % 100);
    *q++ = '-';
    q = put2(q, static_cast<unsigned>(tm.tm_mon + 1));
    *q++ = '-';
    q = put2(q, static_cast<unsigned>(tm.tm_mday));
    *q++ = ' ';
  }
  q = put2(q, static_cast<unsigned>(tm.tm_hour));
  *q++ = ':';
  q = put2(q, static_cast<unsigned>(tm.tm_min));
  *q++ = ':';
  q = put2(q, static_cast<unsigned>(tm.tm_sec));  // 60 for a leap second, as tcpdump
  *q++ = '.';
  return static_cast<unsigned>(q - out);
}

}  // namespace

std::int64_t realtime_ns() noexcept {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return to_ns(now.tv_sec, now.tv_nsec);
}

TimestampStyle timestamp_style_from_count(int count) noexcept {
  switch (count) {
    case 0: return TimestampStyle::time_of_day;
    case 1: return TimestampStyle::none;
    case 2: return TimestampStyle::epoch;
    case 3: return TimestampStyle::delta_previous;
    case 4: return TimestampStyle::date_time;
    default: return count < 0 ? TimestampStyle::time_of_day : TimestampStyle::delta_first;
  }
}

TimestampFormatter::TimestampFormatter(TimestampStyle style, bool nano, bool utc)
    : style_(style), nano_(nano), utc_(utc) {}

void TimestampFormatter::append(OutputBuffer& out, std::int64_t timestamp_ns) {
  std::int64_t seconds;
  std::int64_t fraction = 0;
  // Room for the longest column: a sign, "[Error converting time]" or a 20-digit epoch, the
  // fraction and the blank.
  char* const start = out.reserve(64);
  char* p = start;
  switch (style_) {
    case TimestampStyle::time_of_day:
    case TimestampStyle::date_time: {
      // Within the cached second (the common case) the fraction is a subtraction away.
      const std::uint64_t since = static_cast<std::uint64_t>(timestamp_ns) -
                                  static_cast<std::uint64_t>(cached_second_ns_);
      if (cache_valid_ && since < static_cast<std::uint64_t>(kNsPerSecond)) [[likely]] {
        fraction = static_cast<std::int64_t>(since);
      } else {
        split(timestamp_ns, seconds, fraction);
        // The broken-down time changes once a second: compute it then, not per packet.
        cached_second_ = seconds;
        // Modulo 2^64, as `since` is computed: INT64_MIN's second starts below INT64_MIN.
        cached_second_ns_ = static_cast<std::int64_t>(static_cast<std::uint64_t>(timestamp_ns) -
                                                      static_cast<std::uint64_t>(fraction));
        cache_valid_ = true;
        cached_prefix_size_ =
            format_prefix(cached_prefix_, seconds, style_ == TimestampStyle::date_time, utc_);
      }
      // A fixed-size copy (two vector moves) of the whole cache; only the prefix counts.
      std::memcpy(p, cached_prefix_, sizeof cached_prefix_);
      p += cached_prefix_size_;
      if (p[-1] != '.') {  // "[Error converting time]": tcpdump prints no fraction then
        *p++ = ' ';
        out.advance(static_cast<std::size_t>(p - start));
        return;
      }
      break;
    }
    case TimestampStyle::none:
      return;
    case TimestampStyle::epoch: {
      split(timestamp_ns, seconds, fraction);
      if (!convertible(seconds)) {
        std::memcpy(p, kError.data(), kError.size());
        p += kError.size();
        *p++ = ' ';
        out.advance(static_cast<std::size_t>(p - start));
        return;
      }
      char digits[20];
      char* d = digits + sizeof digits;
      auto s = static_cast<std::uint32_t>(seconds);  // tcpdump's "%u" of the seconds
      do {
        *--d = static_cast<char>('0' + s % 10);
        s /= 10;
      } while (s != 0);
      const auto n = static_cast<std::size_t>(digits + sizeof digits - d);
      std::memcpy(p, d, n);
      p += n;
      *p++ = '.';
      break;
    }
    case TimestampStyle::delta_previous:
    case TimestampStyle::delta_first: {
      // In the printed unit (µs or ns), floored: what libpcap hands tcpdump.
      const std::int64_t per_second = nano_ ? kNsPerSecond : 1000000;
      std::int64_t now = timestamp_ns;
      if (!nano_) {
        now = timestamp_ns / 1000;
        if (timestamp_ns % 1000 < 0) --now;
      }
      // previous_ns_ is tcpdump's tv_ref, in the printed unit: the first packet's time for
      // -ttttt, the previous packet's for -ttt. tcpdump takes a zero reference for "not set
      // yet" (netdissect_timevalisset), so a packet at exactly 0 becomes the reference again.
      if (previous_ns_ == 0) previous_ns_ = now;
      const std::int64_t reference = previous_ns_;
      if (style_ == TimestampStyle::delta_previous) previous_ns_ = now;
      const bool negative = now < reference;
      const std::uint64_t delta = negative ? static_cast<std::uint64_t>(reference) -
                                                 static_cast<std::uint64_t>(now)
                                           : static_cast<std::uint64_t>(now) -
                                                 static_cast<std::uint64_t>(reference);
      *p++ = negative ? '-' : ' ';
      const std::uint64_t delta_seconds = delta / static_cast<std::uint64_t>(per_second);
      fraction = static_cast<std::int64_t>(delta % static_cast<std::uint64_t>(per_second));
      if (!nano_) fraction *= 1000;
      if (!convertible(static_cast<std::int64_t>(delta_seconds))) {
        std::memcpy(p, kError.data(), kError.size());
        p += kError.size();
        *p++ = ' ';
        out.advance(static_cast<std::size_t>(p - start));
        return;
      }
      // gmtime() of the delta: the time of day, hours modulo 24.
      const auto day_seconds = static_cast<unsigned>(delta_seconds % 86400);
      p = put2(p, day_seconds / 3600);
      *p++ = ':';
      p = put2(p, day_seconds / 60 % 60);
      *p++ = ':';
      p = put2(p, day_seconds % 60);
      *p++ = '.';
      break;
    }
  }
  if (nano_) {
    p = put9(p, static_cast<unsigned>(fraction));
  } else {
    p = put6(p, static_cast<unsigned>(fraction / 1000));
  }
  *p++ = ' ';
  out.advance(static_cast<std::size_t>(p - start));
}

[[gnu::cold]] void TimestampFormatter::append_unnormalised(OutputBuffer& out, std::int64_t seconds,
                                                        std::uint64_t fraction,
                                                        std::int64_t timestamp_ns) {
  char prefix[32];
  unsigned size = 0;
  switch (style_) {
    case TimestampStyle::time_of_day:
    case TimestampStyle::date_time:
      size = format_prefix(prefix, seconds, style_ == TimestampStyle::date_time, utc_);
      break;
    case TimestampStyle::epoch:
      if (convertible(seconds)) {
        const std::string epoch = std::to_string(static_cast<std::uint32_t>(seconds)) + ".";
        size = static_cast<unsigned>(epoch.size());
        std::memcpy(prefix, epoch.data(), size);
      } else {
        size = static_cast<unsigned>(kError.size());
        std::memcpy(prefix, kError.data(), size);
      }
      break;
    default:
      append(out, timestamp_ns);
      return;
  }
  out.append(std::string_view(prefix, size));
  if (prefix[size - 1] == '.') {  // no "[Error converting time]"
    const std::string digits = std::to_string(fraction);
    const std::size_t width = nano_ ? 9 : 6;
    for (std::size_t i = digits.size(); i < width; ++i) out.append('0');
    out.append(digits);
  }
  out.append(' ');
}

}  // namespace slimcap
