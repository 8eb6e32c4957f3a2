// The timestamp column: every -t style, --nano, local time with the per-second cache, and
// agreement with tcpdump 4.99 when it is installed.

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/timestamp.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

constexpr std::int64_t kSecond = 1000000000;
// 2023-11-14 22:13:20 UTC, 2023-11-15 03:43:20 in Asia/Kolkata (UTC+05:30, no DST).
constexpr std::int64_t kBase = 1700000000 * kSecond;
constexpr const char* kError = "[Error converting time] ";

std::string format(TimestampFormatter& f, std::int64_t ns) {
  OutputBuffer out(16);
  f.append(out, ns);
  return std::string(out.view());
}

// The same instant through a formatter that has never seen another second (no cache).
std::string fresh(TimestampStyle style, bool nano, std::int64_t ns, bool utc = false) {
  TimestampFormatter f(style, nano, utc);
  return format(f, ns);
}

// The same instant formatted the slow way, with strftime, for the cache checks.
std::string reference(bool date, std::int64_t ns) {
  const std::int64_t seconds = ns >= 0 ? ns / kSecond : -((-ns + kSecond - 1) / kSecond);
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
  const std::string micro = std::to_string(1000000 + (ns - seconds * kSecond) / 1000);
  return std::string(buf) + "." + micro.substr(1) + " ";
}

// Sets TZ for the scope (and tzset, which localtime_r needs to see the change).
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
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;
  bool had_;
  std::string old_;
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_SUITE("timestamp") {
  TEST_CASE("maps the number of -t flags to tcpdump's styles") {
    CHECK(timestamp_style_from_count(0) == TimestampStyle::time_of_day);
    CHECK(timestamp_style_from_count(1) == TimestampStyle::none);
    CHECK(timestamp_style_from_count(2) == TimestampStyle::epoch);
    CHECK(timestamp_style_from_count(3) == TimestampStyle::delta_previous);
    CHECK(timestamp_style_from_count(4) == TimestampStyle::date_time);
    CHECK(timestamp_style_from_count(5) == TimestampStyle::delta_first);
    CHECK(timestamp_style_from_count(9) == TimestampStyle::delta_first);
  }

  TEST_CASE("formats each style as tcpdump does, with six or nine fraction digits") {
    const std::int64_t t = kBase + 123456789;
    CHECK(fresh(TimestampStyle::time_of_day, false, t, true) == "22:13:20.123456 ");
    CHECK(fresh(TimestampStyle::time_of_day, true, t, true) == "22:13:20.123456789 ");
    CHECK(fresh(TimestampStyle::none, false, t, true) == "");
    CHECK(fresh(TimestampStyle::none, true, t, true) == "");
    CHECK(fresh(TimestampStyle::epoch, false, t, true) == "1700000000.123456 ");
    CHECK(fresh(TimestampStyle::epoch, true, t, true) == "1700000000.123456789 ");
    CHECK(fresh(TimestampStyle::date_time, false, t, true) == "2023-11-14 22:13:20.123456 ");
    CHECK(fresh(TimestampStyle::date_time, true, t, true) == "2023-11-14 22:13:20.123456789 ");
    CHECK(fresh(TimestampStyle::delta_previous, false, t, true) == " 00:00:00.000000 ");
    CHECK(fresh(TimestampStyle::delta_first, true, t, true) == " 00:00:00.000000000 ");
    // Microseconds are truncated, never rounded; leading zeros are kept.
    CHECK(fresh(TimestampStyle::epoch, false, kBase + 999, true) == "1700000000.000000 ");
    CHECK(fresh(TimestampStyle::epoch, false, kBase + 999999999, true) == "1700000000.999999 ");
    CHECK(fresh(TimestampStyle::epoch, true, kBase + 7, true) == "1700000000.000000007 ");
    CHECK(fresh(TimestampStyle::epoch, false, 0, true) == "0.000000 ");
    CHECK(fresh(TimestampStyle::date_time, false, 0, true) == "1970-01-01 00:00:00.000000 ");
  }

  TEST_CASE("crosses a day boundary in the date and in the time of day") {
    // 2023-11-14 23:59:59.999999 UTC, then one microsecond later.
    const std::int64_t midnight = (1700006400 - 0) * kSecond;  // 2023-11-15 00:00:00 UTC
    TimestampFormatter date(TimestampStyle::date_time, false, true);
    CHECK(format(date, midnight - 1000) == "2023-11-14 23:59:59.999999 ");
    CHECK(format(date, midnight) == "2023-11-15 00:00:00.000000 ");
    CHECK(format(date, midnight - 1) == "2023-11-14 23:59:59.999999 ");
    TimestampFormatter tod(TimestampStyle::time_of_day, true, true);
    CHECK(format(tod, midnight - 1) == "23:59:59.999999999 ");
    CHECK(format(tod, midnight) == "00:00:00.000000000 ");
    // A leap year's 29 February.
    CHECK(fresh(TimestampStyle::date_time, false, 1709251199 * kSecond, true) ==
          "2024-02-29 23:59:59.000000 ");
  }

  TEST_CASE("prints deltas to the previous packet with a sign, hours wrapping at 24") {
    TimestampFormatter prev(TimestampStyle::delta_previous, false, true);
    CHECK(format(prev, kBase) == " 00:00:00.000000 ");  // the first packet: no delta yet
    CHECK(format(prev, kBase + 123000) == " 00:00:00.000123 ");
    CHECK(format(prev, kBase + 123000 + 3723 * kSecond) == " 01:02:03.000000 ");
    CHECK(format(prev, kBase) == "-01:02:03.000123 ");
    CHECK(format(prev, kBase) == " 00:00:00.000000 ");
    // gmtime() of the delta, as tcpdump does: 100 hours print as 04:00:00.
    CHECK(format(prev, kBase + 100 * 3600 * kSecond) == " 04:00:00.000000 ");
    CHECK(format(prev, kBase + 100 * 3600 * kSecond + 86399 * kSecond) == " 23:59:59.000000 ");
  }

  TEST_CASE("prints deltas to the first packet, which stays the reference") {
    TimestampFormatter first(TimestampStyle::delta_first, true, true);
    CHECK(format(first, kBase + 5) == " 00:00:00.000000000 ");
    CHECK(format(first, kBase + 6) == " 00:00:00.000000001 ");
    CHECK(format(first, kBase + 61 * kSecond + 5) == " 00:01:01.000000000 ");
    CHECK(format(first, kBase + 4) == "-00:00:00.000000001 ");
    CHECK(format(first, kBase + 25 * 3600 * kSecond + 5) == " 01:00:00.000000000 ");
  }

  TEST_CASE("takes microsecond deltas between truncated microsecond times, as tcpdump does") {
    // 0.000000999 and 0.000001000 print as .000000 and .000001: the delta is 1 µs, not 1 ns.
    TimestampFormatter prev(TimestampStyle::delta_previous, false, true);
    CHECK(format(prev, kBase + 999) == " 00:00:00.000000 ");
    CHECK(format(prev, kBase + 1000) == " 00:00:00.000001 ");
    CHECK(format(prev, kBase + 1999) == " 00:00:00.000000 ");
    TimestampFormatter nano(TimestampStyle::delta_previous, true, true);
    CHECK(format(nano, kBase + 999) == " 00:00:00.000000000 ");
    CHECK(format(nano, kBase + 1000) == " 00:00:00.000000001 ");
  }

  TEST_CASE("treats a reference time of exactly zero as unset, like tcpdump") {
    TimestampFormatter first(TimestampStyle::delta_first, false, true);
    CHECK(format(first, 0) == " 00:00:00.000000 ");
    CHECK(format(first, 5 * kSecond) == " 00:00:00.000000 ");  // 5 s became the reference
    CHECK(format(first, 7 * kSecond) == " 00:00:02.000000 ");
  }

  TEST_CASE("prints tcpdump's conversion error for times it cannot convert") {
    // Seconds with bit 31 set: negative in a pcap file (libpcap reads them as signed).
    for (const TimestampStyle style :
         {TimestampStyle::time_of_day, TimestampStyle::epoch, TimestampStyle::date_time}) {
      for (const bool nano : {false, true}) {
        CHECK(fresh(style, nano, -1, true) == kError);
        CHECK(fresh(style, nano, -kSecond, true) == kError);
        CHECK(fresh(style, nano, std::int64_t{2147483648} * kSecond, true) == kError);
        CHECK(fresh(style, nano, INT64_MIN, true) == kError);
        CHECK(fresh(style, nano, INT64_MIN + 1, true) == kError);
      }
    }
    CHECK(fresh(TimestampStyle::epoch, false, std::int64_t{2147483647} * kSecond + 1000, true) ==
          "2147483647.000001 ");
    CHECK(fresh(TimestampStyle::date_time, false, std::int64_t{2147483647} * kSecond, true) ==
          "2038-01-19 03:14:07.000000 ");
    // A delta of 2^31 seconds or more: the sign, then the error.
    TimestampFormatter prev(TimestampStyle::delta_previous, false, true);
    CHECK(format(prev, std::int64_t{2147483647} * kSecond) == " 00:00:00.000000 ");
    CHECK(format(prev, -std::int64_t{2147483647} * kSecond) == std::string("-") + kError);
    // Extreme values never crash and stay on one line.
    TimestampFormatter first(TimestampStyle::delta_first, true, true);
    CHECK(format(first, INT64_MAX) == " 00:00:00.000000000 ");
    CHECK(format(first, INT64_MIN) == "-23:34:33.709551615 ");  // 2^64 ns: low 32 bits convert
    // Past 2^32 seconds (pcapng) tcpdump looks at bit 31 of the low 32 bits only.
    CHECK(fresh(TimestampStyle::time_of_day, true, INT64_MAX, true) == "23:47:16.854775807 ");
    CHECK(fresh(TimestampStyle::epoch, true, std::int64_t{4294967296} * kSecond, true) ==
          "0.000000000 ");
    CHECK(fresh(TimestampStyle::date_time, false, std::int64_t{4294967396} * kSecond, true) ==
          "2106-02-07 06:29:56.000000 ");
    CHECK(fresh(TimestampStyle::date_time, false, std::int64_t{6442450949} * kSecond, true) ==
          kError);
  }

  TEST_CASE("agrees with tcpdump on pcapng times after 2106, in every style") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    const Bytes packet = ipv4_packet({.protocol = ip_proto::kUdp, .options = {}},
                                     udp_datagram(1, 2, {}));
    // Seconds past 2^32 whose low 32 bits have bit 31 clear (printed) and set (refused),
    // backwards and forwards, up to 2262 (the end of 64-bit nanoseconds).
    const std::vector<std::int64_t> times = {
        std::int64_t{4294967396} * kSecond + 123456000,  // 2106-02-07 06:29:56 UTC
        std::int64_t{6442450949} * kSecond + 5000,       // bit 31 set in the low 32 bits
        std::int64_t{5000000000} * kSecond + 999999000,
        std::int64_t{2147483648} * kSecond,
        std::int64_t{8589934592} * kSecond + 1000,       // 2^33: low 32 bits zero
        std::int64_t{9000000000} * kSecond + 7000,
        kBase,
    };
    PcapngBuilder b;
    b.section().interface(101);
    for (const std::int64_t t : times) b.packet(0, {packet, t, 0});
    TempPath file(".pcapng");
    write_file(file.path, b.bytes());
    for (int count = 0; count <= 5; ++count) {
      CAPTURE(count);
      const std::string flags = count ? " -" + std::string(static_cast<std::size_t>(count), 't') : "";
      const std::vector<std::string> theirs =
          lines(run_command("TZ=UTC tcpdump -n -r " + file.path + flags + " 2>/dev/null"));
      REQUIRE(theirs.size() == times.size());
      TimestampFormatter f(timestamp_style_from_count(count), false, true);
      for (std::size_t i = 0; i < times.size(); ++i) {
        CAPTURE(i);
        const std::string ours = format(f, times[i]);
        CHECK(theirs[i].substr(0, ours.size()) == ours);
        CHECK(theirs[i].compare(ours.size(), 3, "IP ") == 0);
      }
    }
  }

  TEST_CASE("uses local time, and utc ignores TZ") {
    {
      ScopedTz tz("UTC");
      CHECK(fresh(TimestampStyle::time_of_day, false, kBase) == "22:13:20.000000 ");
      CHECK(fresh(TimestampStyle::date_time, false, kBase) == "2023-11-14 22:13:20.000000 ");
    }
    {
      ScopedTz tz("Asia/Kolkata");
      CHECK(fresh(TimestampStyle::time_of_day, false, kBase) == "03:43:20.000000 ");
      CHECK(fresh(TimestampStyle::date_time, false, kBase) == "2023-11-15 03:43:20.000000 ");
      CHECK(fresh(TimestampStyle::date_time, false, kBase, true) == "2023-11-14 22:13:20.000000 ");
      CHECK(fresh(TimestampStyle::date_time, false, 0) == "1970-01-01 05:30:00.000000 ");
      // Deltas and the epoch style do not depend on the zone.
      CHECK(fresh(TimestampStyle::epoch, false, kBase) == "1700000000.000000 ");
    }
    {
      ScopedTz tz("America/New_York");  // with DST: -05:00 in November, -04:00 in July
      CHECK(fresh(TimestampStyle::date_time, false, kBase) == "2023-11-14 17:13:20.000000 ");
      CHECK(fresh(TimestampStyle::date_time, false, 1688400000 * kSecond) ==
            "2023-07-03 12:00:00.000000 ");
      CHECK(fresh(TimestampStyle::date_time, false, 0) == "1969-12-31 19:00:00.000000 ");
    }
  }

  TEST_CASE("the per-second cache gives what uncached formatting gives across boundaries") {
    for (const char* zone : {"UTC", "Asia/Kolkata", "America/New_York"}) {
      CAPTURE(zone);
      ScopedTz tz(zone);
      for (const bool date : {false, true}) {
        const TimestampStyle style = date ? TimestampStyle::date_time : TimestampStyle::time_of_day;
        TimestampFormatter cached(style, false);
        // Walk across second, minute, hour and local-day boundaries and the 2023-11-05 DST
        // change in New York, forwards and sometimes backwards.
        std::int64_t t = 1699160000 * kSecond;  // 2023-11-05 04:53:20 UTC
        int checked = 0;
        for (int i = 0; i < 20000; ++i) {
          t += (i % 7 == 0) ? 59 * kSecond + 999999000 : (i % 5 == 0 ? 977 * kSecond : 123457000);
          if (i % 13 == 0) t -= 90 * kSecond;
          const std::string ours = format(cached, t);
          if (ours != reference(date, t)) {
            CAPTURE(t);
            REQUIRE(ours == reference(date, t));
          }
          ++checked;
        }
        CHECK(checked == 20000);
        CHECK(t > 1699160000 * kSecond + 86400 * kSecond);  // more than a day was walked
      }
    }
  }

  TEST_CASE("agrees with tcpdump for every style, in µs and ns, in a local zone") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    ScopedTz tz("Asia/Kolkata");
    const Bytes packet = ipv4_packet({.protocol = ip_proto::kUdp, .options = {}},
                                     udp_datagram(1, 2, {}));
    // Times a pcap file can hold (32-bit signed seconds as libpcap reads them), with local
    // midnight (18:30 UTC), backwards jumps, gaps over 24 h and negative seconds.
    const std::vector<std::int64_t> times = {
        kBase + 123456789,
        kBase + 123579001,
        kBase + 3723 * kSecond + 999999999,
        kBase + kSecond,
        1700073000 * kSecond - 1,  // 2023-11-15 23:59:59.999999999 local
        1700073000 * kSecond,
        kBase + 360000 * kSecond + 5000,
        std::int64_t{2147483647} * kSecond + 1000,
        -std::int64_t{2147483648} * kSecond + 2000,
        -kSecond + 3000,
        0,
        999,
        5 * kSecond + 1500,
    };
    for (const bool nano : {false, true}) {
      std::vector<Record> records;
      for (const std::int64_t t : times) records.push_back({packet, t, 0});
      PcapSpec spec;
      spec.link_type = 101;
      spec.nano = nano;
      TempPath file;
      write_file(file.path, pcap_file(spec, records));
      for (int count = 0; count <= 5; ++count) {
        CAPTURE(nano);
        CAPTURE(count);
        const std::string flags = (nano ? " --nano" : "") +
                                  (count ? " -" + std::string(static_cast<std::size_t>(count), 't') : "");
        const std::vector<std::string> theirs = lines(run_command(
            "TZ=Asia/Kolkata tcpdump -n -r " + file.path + flags + " 2>/dev/null"));
        REQUIRE(theirs.size() == times.size());
        TimestampFormatter f(timestamp_style_from_count(count), nano);
        for (std::size_t i = 0; i < times.size(); ++i) {
          CAPTURE(i);
          // In a µs file the times are truncated to µs, as the reader would deliver them.
          const std::int64_t t = nano ? times[i] : times[i] - ((times[i] % 1000 + 1000) % 1000);
          const std::string ours = format(f, t);
          CHECK(theirs[i].substr(0, ours.size()) == ours);
          CHECK(theirs[i].compare(ours.size(), 3, "IP ") == 0);
        }
      }
    }
  }
}
