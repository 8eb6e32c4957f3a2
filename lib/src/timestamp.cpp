#include "slimcap/timestamp.hpp"

#include <ctime>

namespace slimcap {
namespace {

constexpr std::int64_t kNsPerSecond = 1000000000;

// Splits ns since the epoch into whole seconds (floor) and the nanoseconds within.
void split(std::int64_t ns, std::int64_t& seconds, std::int64_t& fraction) noexcept {
  seconds = ns / kNsPerSecond;
  fraction = ns % kNsPerSecond;
  if (fraction < 0) {
    fraction += kNsPerSecond;
    --seconds;
  }
}

}  // namespace

TimestampStyle timestamp_style_from_count(int count) noexcept {
  switch (count) {
    case 0: return TimestampStyle::time_of_day;
    case 1: return TimestampStyle::none;
    case 2: return TimestampStyle::epoch;
    case 3: return TimestampStyle::delta_previous;
    case 4: return TimestampStyle::date_time;
    default: return TimestampStyle::delta_first;
  }
}

TimestampFormatter::TimestampFormatter(TimestampStyle style, bool nano, bool utc)
    : style_(style), nano_(nano), utc_(utc) {}

void TimestampFormatter::append(OutputBuffer& out, std::int64_t timestamp_ns) {
  std::int64_t seconds;
  std::int64_t fraction;
  switch (style_) {
    case TimestampStyle::none:
      return;
    case TimestampStyle::epoch:
      split(timestamp_ns, seconds, fraction);
      out.append_int(seconds);
      out.append('.');
      break;
    case TimestampStyle::delta_previous:
    case TimestampStyle::delta_first: {
      // tcpdump: " HH:MM:SS.ffffff" with a leading blank, or "-" when time went backwards;
      // hours are not wrapped at 24.
      if (!have_first_) {
        have_first_ = true;
        first_ns_ = previous_ns_ = timestamp_ns;
      }
      const std::int64_t reference =
          style_ == TimestampStyle::delta_previous ? previous_ns_ : first_ns_;
      previous_ns_ = timestamp_ns;
      std::int64_t delta = timestamp_ns - reference;
      out.append(delta < 0 ? '-' : ' ');
      if (delta < 0) delta = -delta;
      seconds = delta / kNsPerSecond;
      fraction = delta % kNsPerSecond;
      const std::int64_t hours = seconds / 3600;
      if (hours < 100) {
        out.append_uint_padded(static_cast<std::uint64_t>(hours), 2);
      } else {
        out.append_uint(static_cast<std::uint64_t>(hours));
      }
      out.append(':');
      out.append_uint_padded(static_cast<std::uint64_t>(seconds % 3600 / 60), 2);
      out.append(':');
      out.append_uint_padded(static_cast<std::uint64_t>(seconds % 60), 2);
      out.append('.');
      break;
    }
    case TimestampStyle::time_of_day:
    case TimestampStyle::date_time:
    default: {
      split(timestamp_ns, seconds, fraction);
      if (seconds != cached_second_) {
        // The broken-down time changes once a second: compute it then, not per packet.
        const std::time_t t = static_cast<std::time_t>(seconds);
        std::tm tm{};
        if (utc_ ? gmtime_r(&t, &tm) == nullptr : localtime_r(&t, &tm) == nullptr) tm = std::tm{};
        OutputBuffer prefix(32);
        if (style_ == TimestampStyle::date_time) {
          prefix.append_uint_padded(static_cast<std::uint64_t>(tm.tm_year + 1900), 4);
          prefix.append('-');
          prefix.append_uint_padded(static_cast<std::uint64_t>(tm.tm_mon + 1), 2);
          prefix.append('-');
          prefix.append_uint_padded(static_cast<std::uint64_t>(tm.tm_mday), 2);
          prefix.append(' ');
        }
        prefix.append_uint_padded(static_cast<std::uint64_t>(tm.tm_hour), 2);
        prefix.append(':');
        prefix.append_uint_padded(static_cast<std::uint64_t>(tm.tm_min), 2);
        prefix.append(':');
        prefix.append_uint_padded(static_cast<std::uint64_t>(tm.tm_sec), 2);
        prefix.append('.');
        cached_prefix_size_ = static_cast<unsigned>(prefix.size());
        __builtin_memcpy(cached_prefix_, prefix.data(), cached_prefix_size_);
        cached_second_ = seconds;
      }
      char* p = out.reserve(cached_prefix_size_);
      __builtin_memcpy(p, cached_prefix_, cached_prefix_size_);
      out.advance(cached_prefix_size_);
      break;
    }
  }
  if (nano_) {
    out.append_uint_padded(static_cast<std::uint64_t>(fraction), 9);
  } else {
    out.append_uint_padded(static_cast<std::uint64_t>(fraction / 1000), 6);
  }
  out.append(' ');
}

}  // namespace slimcap
