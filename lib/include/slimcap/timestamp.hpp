#pragma once
// tcpdump's timestamp column (-t ... -ttttt, --nano). Local time, like tcpdump, but the
// broken-down time is computed once per second, not per packet (tcpdump spends a large share
// of its time in time-zone handling).

#include <cstdint>

#include "slimcap/output_buffer.hpp"

namespace slimcap {

enum class TimestampStyle {
  time_of_day,     // default: "HH:MM:SS.ffffff"
  none,            // -t
  epoch,           // -tt: "1700000000.123456"
  delta_previous,  // -ttt: "00:00:00.000123" since the previous packet
  date_time,       // -tttt: "2026-11-22 18:42:39.123456"
  delta_first,     // -ttttt: "00:00:01.000000" since the first packet
};

// seconds and nanoseconds (a timespec, a ring header's tp_sec/tp_nsec) as nanoseconds.
constexpr std::int64_t to_ns(std::int64_t seconds, std::int64_t nanoseconds) noexcept {
  return seconds * 1'000'000'000 + nanoseconds;
}

// Now, in nanoseconds since the Unix epoch: CLOCK_REALTIME, the clock packets are stamped with.
std::int64_t realtime_ns() noexcept;

// -t given `count` times (0..5) as a style.
TimestampStyle timestamp_style_from_count(int count) noexcept;

class TimestampFormatter {
 public:
  // nano: nine fractional digits instead of six (--nano). utc: for tests and TZ-free output.
  TimestampFormatter(TimestampStyle style, bool nano, bool utc = false);

  // Appends the timestamp followed by one space; appends nothing for TimestampStyle::none.
  void append(OutputBuffer& out, std::int64_t timestamp_ns);
  // A pcap record whose fraction field is a whole second or more (libpcap passes it on as
  // stored): tcpdump prints the seconds field's time and that fraction as a number of more
  // than six (nine) digits, "22:13:21.1500000". `fraction` is in the printed unit. The delta
  // styles print the normalised time, as append() does.
  void append_unnormalised(OutputBuffer& out, std::int64_t seconds, std::uint64_t fraction,
                           std::int64_t timestamp_ns);

 private:
  TimestampStyle style_;
  bool nano_;
  bool utc_;
  bool have_first_ = false;
  std::int64_t first_ns_ = 0;
  std::int64_t previous_ns_ = 0;
  // Cache of the formatted date/time prefix of one second.
  std::int64_t cached_second_ = INT64_MIN;
  std::int64_t cached_second_ns_ = 0;  // cached_second_ in ns, when cache_valid_
  bool cache_valid_ = false;
  char cached_prefix_[32] = {};
  unsigned cached_prefix_size_ = 0;
};

}  // namespace slimcap
