// The timestamp column: every -t style, --nano, local time with the per-second cache.

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "slimcap/timestamp.hpp"

using namespace slimcap;

namespace {

constexpr std::int64_t kSecond = 1000000000;
// 2023-11-14 22:13:20 UTC.
constexpr std::int64_t kBase = 1700000000 * kSecond;

std::string format(TimestampFormatter& f, std::int64_t ns) {
  OutputBuffer out;
  f.append(out, ns);
  return std::string(out.view());
}

struct ScopedTz {
  explicit ScopedTz(const char* tz) {
    const char* old = std::getenv("TZ");
    had_ = old != nullptr;
    if (had_) old_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTz() {
    if (had_)
      ::setenv("TZ", old_.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }
  bool had_;
  std::string old_;
};

}  // namespace

TEST_SUITE("timestamp") {
  TEST_CASE("maps the number of -t flags to tcpdump's styles") {
    CHECK(timestamp_style_from_count(0) == TimestampStyle::time_of_day);
    CHECK(timestamp_style_from_count(1) == TimestampStyle::none);
    CHECK(timestamp_style_from_count(2) == TimestampStyle::epoch);
    CHECK(timestamp_style_from_count(3) == TimestampStyle::delta_previous);
    CHECK(timestamp_style_from_count(4) == TimestampStyle::date_time);
    CHECK(timestamp_style_from_count(5) == TimestampStyle::delta_first);
  }

  TEST_CASE("formats each style as tcpdump does, with µs or ns digits") {
    TimestampFormatter tod(TimestampStyle::time_of_day, false, true);
    CHECK(format(tod, kBase + 123456789) == "22:13:20.123456 ");
    TimestampFormatter tod_nano(TimestampStyle::time_of_day, true, true);
    CHECK(format(tod_nano, kBase + 123456789) == "22:13:20.123456789 ");
    TimestampFormatter none(TimestampStyle::none, false, true);
    CHECK(format(none, kBase) == "");
    TimestampFormatter epoch(TimestampStyle::epoch, false, true);
    CHECK(format(epoch, kBase + 5000) == "1700000000.000005 ");
    TimestampFormatter date(TimestampStyle::date_time, false, true);
    CHECK(format(date, kBase + 1000) == "2023-11-14 22:13:20.000001 ");
  }

  TEST_CASE("prints deltas to the previous and to the first packet, hours unwrapped") {
    TimestampFormatter prev(TimestampStyle::delta_previous, false, true);
    CHECK(format(prev, kBase) == " 00:00:00.000000 ");
    CHECK(format(prev, kBase + 2500) == " 00:00:00.000002 ");
    CHECK(format(prev, kBase + 2500 + 3723 * kSecond) == " 01:02:03.000000 ");
    CHECK(format(prev, kBase) == "-01:02:03.000002 ");
    TimestampFormatter first(TimestampStyle::delta_first, false, true);
    CHECK(format(first, kBase) == " 00:00:00.000000 ");
    CHECK(format(first, kBase + 1000) == " 00:00:00.000001 ");
    // tcpdump wraps the hours of a delta at 24 (checked with tcpdump 4.99.3 -ttttt).
    CHECK(format(first, kBase + 100 * 3600 * kSecond) == " 04:00:00.000000 ");
  }

  TEST_CASE("uses local time, and the per-second cache never shows a stale second") {
    ScopedTz tz("Asia/Kolkata");  // UTC+05:30, no DST
    TimestampFormatter local(TimestampStyle::date_time, false);
    CHECK(format(local, kBase) == "2023-11-15 03:43:20.000000 ");
    // Walk across second, minute, hour and day boundaries, both ways, comparing the cached
    // formatter with a fresh one per call.
    std::int64_t t = kBase - 3 * kSecond;
    for (int i = 0; i < 2000; ++i) {
      t += (i % 7 == 0) ? 59 * kSecond + 999999999 : 1234567;
      if (i % 13 == 0) t -= 90 * kSecond;
      TimestampFormatter fresh(TimestampStyle::date_time, false);
      REQUIRE(format(local, t) == format(fresh, t));
    }
  }

  TEST_CASE("survives negative and far-future timestamps") {
    // tcpdump prints "[Error converting time]" for times before the epoch.
    TimestampFormatter tod(TimestampStyle::time_of_day, false, true);
    CHECK(format(tod, -1) == "[Error converting time] ");
    TimestampFormatter date(TimestampStyle::date_time, false, true);
    CHECK(format(date, INT64_MAX).size() > 20);
    CHECK(format(date, INT64_MIN).size() > 20);
  }
}
