// Interval counting: deadlines on a fake clock, counter wraps and resets on synthetic counters,
// and the row formats (JSON, CSV, Prometheus, text).

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "slimcap/error.hpp"
#include "slimcap/interval.hpp"

using namespace slimcap;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

// A clock that sleeps by jumping, late by `lateness` on every sleep.
class FakeClock final : public Clock {
 public:
  std::int64_t now = 1000 * kSecond;
  std::int64_t lateness = 0;
  std::int64_t now_ns() override { return now; }
  void sleep_until(std::int64_t deadline) override {
    if (deadline > now) now = deadline;
    now += lateness;
  }
};

constexpr CounterSpec kSpecs[] = {
    {"rx_packets", "Packets received", "rx pkt/s", "rx_pps", 1, 64, CounterKind::counter, false},
    {"rx_bytes", "Bytes received", "rx bit/s", "rx_bps", 8, 64, CounterKind::counter, false},
    {"backlog_dropped", "Backlog drops", "backlog", "", 1, 32, CounterKind::counter, true},
    {"ring_full", "Ring blocks full", "ring", "", 1, 64, CounterKind::gauge, false},
};

}  // namespace

TEST_CASE("deadlines are absolute: lateness does not drift, a missed row is skipped") {
  FakeClock clock;
  clock.lateness = 3'000'000;  // every wake-up 3 ms late
  const std::int64_t start = clock.now_ns();
  IntervalSchedule schedule(start, kSecond);
  for (int row = 1; row <= 100; ++row) {
    clock.sleep_until(schedule.deadline());
    // Each row is 3 ms after its own deadline, never 3 ms times the row number.
    CHECK(clock.now_ns() - (start + row * kSecond) == 3'000'000);
    CHECK(schedule.advance(clock.now_ns()) == 0);
  }
  // The process was stopped for 3.5 intervals: 3 deadlines skipped, the next is on the grid.
  clock.now = schedule.deadline() + 3 * kSecond + kSecond / 2;
  CHECK(schedule.advance(clock.now_ns()) == 3);
  CHECK((schedule.deadline() - start) % kSecond == 0);
  CHECK(schedule.deadline() > clock.now_ns());
  CHECK(schedule.deadline() - clock.now_ns() == kSecond / 2);
  // Woken early (a signal): the deadline stays.
  const std::int64_t due = schedule.deadline();
  CHECK(schedule.advance(due - 1) == 0);
  CHECK(schedule.deadline() == due);
}

TEST_CASE("fractional intervals keep their grid") {
  IntervalSchedule schedule(0, kSecond / 4);
  for (int i = 1; i <= 1000; ++i) {
    CHECK(schedule.deadline() == i * (kSecond / 4));
    schedule.advance(schedule.deadline() + 1);
  }
}

TEST_CASE("counter deltas: 32-bit wraps, 64-bit resets") {
  std::uint64_t d = 0;
  CHECK(counter_delta(0xfffffff0, 0x10, 32, d));
  CHECK(d == 0x20);
  CHECK(counter_delta(5, 5, 32, d));
  CHECK(d == 0);
  CHECK(counter_delta(UINT64_MAX - 1, UINT64_MAX, 64, d));
  CHECK(d == 1);
  CHECK(counter_delta(1, UINT64_MAX, 64, d));
  CHECK(d == UINT64_MAX - 1);
  CHECK_FALSE(counter_delta(100, 99, 64, d));
}

TEST_CASE("a track: baseline, intervals, wrap, reset by value and by identity") {
  CounterTrack track(kSpecs);
  using S = CounterTrack::Sample;
  auto values = [](std::uint64_t p, std::uint64_t b, std::uint64_t backlog, std::uint64_t ring) {
    return std::array<std::uint64_t, 4>{p, b, backlog, ring};
  };
  CHECK(track.update(values(1000, 64000, 0xfffffffe, 3), 0, 7) == S::baseline);
  CHECK(track.update(values(1100, 70400, 0x00000003, 5), kSecond, 7) == S::interval);
  CHECK(track.deltas()[0] == 100);
  CHECK(track.deltas()[1] == 6400);
  CHECK(track.deltas()[2] == 5);  // across the 32-bit wrap
  CHECK(track.deltas()[3] == 5);  // a gauge: the value
  CHECK(track.elapsed_ns() == kSecond);
  // The interface counters went backwards: a reset, no deltas, not counted in the run.
  CHECK(track.update(values(10, 640, 4, 0), 2 * kSecond, 7) == S::reset);
  CHECK(track.deltas()[0] == 0);
  CHECK(track.update(values(60, 3840, 6, 1), 3 * kSecond, 7) == S::interval);
  CHECK(track.deltas()[0] == 50);
  // The same name with another ifindex, counters higher than before: still a reset.
  CHECK(track.update(values(5000, 320000, 7, 1), 4 * kSecond, 9) == S::reset);
  CHECK(track.update(values(5001, 320064, 7, 1), 5 * kSecond, 9) == S::interval);
  // Gone for two readings, back: reset rows until the new baseline has a successor.
  CHECK(track.absent(6 * kSecond) == S::reset);
  CHECK(track.absent(7 * kSecond) == S::reset);
  CHECK(track.update(values(3, 192, 7, 1), 8 * kSecond, 11) == S::baseline);
  CHECK(interval_row(track, S::baseline, 0, "interface", "eth0", 11).type == Row::Type::reset);
  CHECK(track.update(values(3, 192, 7, 1), 9 * kSecond, 11) == S::interval);
  CHECK(track.run()[0] == 100 + 50 + 1);
  CHECK(track.run()[1] == 6400 + 3200 + 64);
  CHECK(track.run_ns() == 4 * kSecond);
  CHECK(track.resets() == 3);

  const Row run = run_row(track, 0, "interface", "eth0", 9);
  CHECK(row_rate(run, 0) == doctest::Approx(151.0 / 4));
  CHECK(row_rate(run, 1) == doctest::Approx((6400 + 3200 + 64) * 8.0 / 4));
}

TEST_CASE("JSON and CSV rows: stable keys, resets without deltas, escaped names") {
  CounterTrack track(kSpecs);
  const std::array<std::uint64_t, 4> a{10, 1000, 1, 2}, b{30, 3000, 2, 4};
  track.update(a, 0, 1);
  auto sample = track.update(b, kSecond / 2, 1);
  Row row = interval_row(track, sample, 1'764'576'000 * kSecond + 5, "interface", "e\"th0", 1);
  OutputBuffer out;
  append_row_json(out, row);
  CHECK(std::string(out.view()) ==
        "{\"version\":1,\"type\":\"interval\",\"time\":1764576000.000000005,"
        "\"interface\":\"e\\\"th0\",\"ifindex\":1,\"elapsed\":0.500000,\"reset\":false,"
        "\"rx_packets\":20,\"rx_bytes\":2000,\"backlog_dropped\":1,\"ring_full\":4,"
        "\"rx_pps\":40.000,\"rx_bps\":32000.000,"
        "\"rx_packets_total\":30,\"rx_bytes_total\":3000,\"backlog_dropped_total\":2}\n");

  out.clear();
  append_csv_header(out, "interface", kSpecs);
  append_row_csv(out, row);
  sample = track.update(a, kSecond, 1);
  row = interval_row(track, sample, 1'764'576'001 * kSecond, "interface", "a,b", 1);
  append_row_csv(out, row);
  std::istringstream lines{std::string(out.view())};
  std::string header, first, reset;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, reset);
  CHECK(header ==
        "time,interface,ifindex,elapsed,reset,rx_packets,rx_bytes,backlog_dropped,ring_full,"
        "rx_pps,rx_bps,rx_packets_total,rx_bytes_total,backlog_dropped_total");
  CHECK(first == "1764576000.000000005,\"e\"\"th0\",1,0.500000,0,20,2000,1,4,40.000,32000.000,30,3000,2");
  CHECK(reset == "1764576001.000000000,\"a,b\",1,0.500000,1,,,,,,,10,1000,1");

  out.clear();
  append_row_json(out, row);
  const std::string json(out.view());
  CHECK(json.find("\"reset\":true") != std::string::npos);
  CHECK(json.find("\"rx_pps\"") == std::string::npos);
  CHECK(json.find("\"rx_packets\":") == std::string::npos);
  CHECK(json.find("\"rx_packets_total\":10") != std::string::npos);
}

TEST_CASE("Prometheus text: counters with _total, gauges, global metrics once, escaped labels") {
  CounterTrack one(kSpecs), two(kSpecs);
  const std::array<std::uint64_t, 4> a{10, 1000, 7, 2}, b{20, 2000, 7, 3};
  one.update(a, 0, 1);
  two.update(b, 0, 2);
  const std::vector<Row> rows = {
      interval_row(one, CounterTrack::Sample::baseline, 0, "interface", "eth0", 1),
      interval_row(two, CounterTrack::Sample::baseline, 0, "interface", "we\"ird\\", 2)};
  const std::string text = prometheus_text(rows);
  CHECK(text ==
        "# HELP slimcap_rx_packets_total Packets received\n"
        "# TYPE slimcap_rx_packets_total counter\n"
        "slimcap_rx_packets_total{interface=\"eth0\"} 10\n"
        "slimcap_rx_packets_total{interface=\"we\\\"ird\\\\\"} 20\n"
        "# HELP slimcap_rx_bytes_total Bytes received\n"
        "# TYPE slimcap_rx_bytes_total counter\n"
        "slimcap_rx_bytes_total{interface=\"eth0\"} 1000\n"
        "slimcap_rx_bytes_total{interface=\"we\\\"ird\\\\\"} 2000\n"
        "# HELP slimcap_backlog_dropped_total Backlog drops\n"
        "# TYPE slimcap_backlog_dropped_total counter\n"
        "slimcap_backlog_dropped_total 7\n"
        "# HELP slimcap_ring_full Ring blocks full\n"
        "# TYPE slimcap_ring_full gauge\n"
        "slimcap_ring_full{interface=\"eth0\"} 2\n"
        "slimcap_ring_full{interface=\"we\\\"ird\\\\\"} 3\n");
  // An interface that is gone is left out; the global counter still appears once.
  std::vector<Row> gone = rows;
  gone[0].present = false;
  const std::string without = prometheus_text(gone);
  CHECK(without.find("interface=\"eth0\"") == std::string::npos);
  CHECK(without.find("slimcap_backlog_dropped_total 7\n") != std::string::npos);
  CHECK(without.find("slimcap_rx_packets_total{interface=\"we") != std::string::npos);
}

TEST_CASE("replace_file swaps the whole file and leaves no temporary behind") {
  char dir[] = "/tmp/slimcap-interval-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/m.prom";
  replace_file(path, "a 1\n");
  replace_file(path, "b 2\n");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "b 2\n");
  CHECK(::rmdir(dir) != 0);  // not empty: the file is there...
  CHECK(::unlink(path.c_str()) == 0);
  CHECK(::rmdir(dir) == 0);  // ...and nothing else was
  CHECK_THROWS_AS(replace_file("/nonexistent-dir/m.prom", "x"), SystemError);
}

TEST_CASE("text rows: a header per screen, rates in human units, resets marked") {
  CounterTrack track(kSpecs);
  const std::array<std::uint64_t, 4> a{0, 0, 0, 0}, b{1000, 125000, 1, 2};
  track.update(a, 0, 1);
  TextTable table("interface", kSpecs, 5);  // a 5-line screen: header every 3 rows
  OutputBuffer out;
  for (int i = 0; i < 4; ++i) {
    const auto s = track.update(i % 2 ? a : b, (i + 1) * kSecond, 1);
    table.append_row(out, interval_row(track, s, 0, "interface", "eth0", 1));
  }
  std::istringstream lines{std::string(out.view())};
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  REQUIRE(got.size() == 6);
  CHECK(got[0].find("interface") != std::string::npos);
  CHECK(got[0].find("rx pkt/s") != std::string::npos);
  CHECK(got[1].substr(8) == " eth0           1.00 k   1.00 M       1      2");
  CHECK(got[2].find("(counters reset)") != std::string::npos);
  CHECK(got[4] == got[0]);
}
