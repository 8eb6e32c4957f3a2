#pragma once
// Counting over intervals, for `stats` (one source per interface) and `fanout` (one per worker):
// when rows are taken, how a counter's change is worked out, and how rows are written for
// people (aligned text), scripts (JSON lines, CSV) and Prometheus (the textfile collector).
//
// The rules (docs/stats.md, "Honest counters"):
// - Rows fall on absolute deadlines of CLOCK_MONOTONIC, start + k * interval: a late wake-up
//   does not push the next row back, and a row that is missed entirely (the process was
//   stopped) is skipped, never made up by a burst. Each row carries the time it measured since
//   the previous one, and every rate is delta / that time.
// - Deltas are unsigned. A 32-bit counter (softnet_stat) wraps: its delta is taken modulo 2^32.
//   A 64-bit counter that goes backwards, or a source that comes back with another identity
//   (an interface re-created with a new ifindex), was reset: that row says "reset" and carries
//   no deltas and no rates, and the next row counts from the new values.

#include <signal.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slimcap/output_buffer.hpp"

namespace slimcap {

// ---- Time ----

// The clock the schedule reads and sleeps on. MonotonicClock is the real one; tests use a fake.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ns() = 0;
  // Sleeps until `deadline_ns` (absolute, this clock's time), or less when a signal arrives.
  virtual void sleep_until(std::int64_t deadline_ns) = 0;
};

class MonotonicClock final : public Clock {
 public:
  MonotonicClock() = default;
  // A caller that keeps its stop and report signals blocked passes the mask to sleep with
  // (its own without them): they are unblocked only while it sleeps (ppoll), so a signal that
  // arrives between the caller's check of its flags and the sleep ends the sleep at once
  // instead of being noticed a whole interval late.
  explicit MonotonicClock(const sigset_t& sleep_mask) : sleep_mask_(sleep_mask), masked_(true) {}
  std::int64_t now_ns() override;                       // CLOCK_MONOTONIC
  void sleep_until(std::int64_t deadline_ns) override;  // clock_nanosleep(TIMER_ABSTIME), or ppoll

 private:
  sigset_t sleep_mask_{};
  bool masked_ = false;
};

// Deadlines start + k * interval. After a row is taken at `now`, advance(now) moves to the
// first deadline after it; the deadlines that passed meanwhile are counted as skipped.
class IntervalSchedule {
 public:
  IntervalSchedule(std::int64_t start_ns, std::int64_t interval_ns) noexcept
      : start_ns_(start_ns), interval_ns_(interval_ns) {}
  std::int64_t deadline() const noexcept { return start_ns_ + k_ * interval_ns_; }
  std::int64_t interval_ns() const noexcept { return interval_ns_; }
  // Returns how many deadlines were skipped (0 when on time).
  std::uint64_t advance(std::int64_t now_ns) noexcept;

 private:
  std::int64_t start_ns_;
  std::int64_t interval_ns_;
  std::int64_t k_ = 1;
};

// ---- Counters ----

enum class CounterKind : std::uint8_t {
  counter,  // only goes up; rows carry its delta, Prometheus its value as <name>_total
  gauge,    // a level (ring fill): rows carry the value as read
};

// One counter of a source, described once (a table per source kind).
struct CounterSpec {
  std::string_view name;       // JSON and CSV key of the delta: "rx_packets"
  std::string_view help;       // Prometheus HELP text, and the docs
  std::string_view column;     // header in the text table; "" = not shown there
  std::string_view rate_name;  // JSON/CSV key of its rate ("rx_pps"); "" = no rate
  std::uint8_t rate_scale = 1; // 8 for bytes -> bits/s
  std::uint8_t bits = 64;      // 32: wraps modulo 2^32
  CounterKind kind = CounterKind::counter;
  bool global = false;         // the same for every source (softnet): once in Prometheus
};

// The change of a counter of `bits` between two reads; false (a reset) when a 64-bit counter
// went backwards. A 32-bit counter's change is taken modulo 2^32 and is never a reset.
bool counter_delta(std::uint64_t before, std::uint64_t after, unsigned bits,
                   std::uint64_t& delta) noexcept;

// One source's counters from read to read (an interface, a worker).
class CounterTrack {
 public:
  enum class Sample { baseline, interval, reset };

  explicit CounterTrack(std::span<const CounterSpec> specs);

  // Takes a reading of every counter (in specs' order) at `now_ns`. `identity` is what makes
  // the source the same one (an ifindex): when it changes, the reading is a reset. The first
  // reading is the baseline (no row). Counts toward the run's totals unless it is a reset.
  Sample update(std::span<const std::uint64_t> values, std::int64_t now_ns,
                std::uint64_t identity);
  // The source could not be read at `now_ns` (an interface that is gone): a reset row, and the
  // next reading is a new baseline (also a reset row).
  Sample absent(std::int64_t now_ns);

  std::span<const CounterSpec> specs() const noexcept { return specs_; }
  std::span<const std::uint64_t> deltas() const noexcept { return deltas_; }   // last interval
  std::span<const std::uint64_t> values() const noexcept { return values_; }   // last reading
  std::span<const std::uint64_t> run() const noexcept { return run_; }         // sum of deltas
  std::int64_t elapsed_ns() const noexcept { return elapsed_ns_; }  // of the last interval
  std::int64_t run_ns() const noexcept { return run_ns_; }          // sum of intervals counted
  std::uint64_t resets() const noexcept { return resets_; }
  bool has_reading() const noexcept { return have_; }

 private:
  std::span<const CounterSpec> specs_;
  std::vector<std::uint64_t> values_, deltas_, run_;
  std::int64_t last_ns_ = 0, elapsed_ns_ = 0, run_ns_ = 0;
  std::uint64_t identity_ = 0, resets_ = 0;
  bool have_ = false;  // a reading to take deltas from
  bool seen_ = false;  // any reading or absence: elapsed times count from it
};

// ---- Rows ----

// What one output line says about one source.
struct Row {
  enum class Type { interval, reset, run };
  Type type = Type::interval;
  std::int64_t time_ns = 0;     // wall clock (CLOCK_REALTIME) of the reading
  std::int64_t elapsed_ns = 0;  // interval measured (run: the whole run)
  std::string_view label;       // the source's kind: "interface", "worker"
  std::string_view source;      // "eth0", "3"
  std::int64_t ifindex = -1;    // -1: none
  bool present = true;          // false: the source could not be read (an interface gone)
  std::span<const CounterSpec> specs;
  std::span<const std::uint64_t> deltas;  // interval: the deltas; run: the run's sums
  std::span<const std::uint64_t> values;  // the counters as read (Prometheus, *_total keys)
  // Extra JSON members, already formatted (",\"mix\":{...}"): the capture's mix and talkers.
  std::string_view json_extra;
};

// A track's latest row (a baseline or reset sample gives a reset row: no deltas) and its run
// row.
Row interval_row(const CounterTrack& track, CounterTrack::Sample sample, std::int64_t time_ns,
                 std::string_view label, std::string_view source, std::int64_t ifindex);
Row run_row(const CounterTrack& track, std::int64_t time_ns, std::string_view label,
            std::string_view source, std::int64_t ifindex);

// A row's rate for spec i, per second of its elapsed time.
double row_rate(const Row& row, std::size_t i) noexcept;

// Keys in every JSON object and CSV row; bump kRowFormatVersion when one changes meaning.
inline constexpr int kRowFormatVersion = 1;

// One JSON object and a newline: {"version":1,"type":"interval","time":...,"interface":...,
// "ifindex":...,"elapsed":...,"reset":false, each delta, each rate, each "<name>_total"
// (counters as read), then json_extra}. A reset row has no deltas and no rates; a run row has
// the run's sums as deltas and its average rates.
void append_row_json(OutputBuffer& out, const Row& row);

// CSV: a header line and rows with the same columns (time, label, ifindex, elapsed, reset,
// deltas, rates, totals); a reset row leaves deltas and rates empty.
void append_csv_header(OutputBuffer& out, std::string_view label,
                       std::span<const CounterSpec> specs);
void append_row_csv(OutputBuffer& out, const Row& row);

// The Prometheus text exposition format of the latest readings of every source:
// "# HELP slimcap_rx_packets_total ...", "# TYPE ... counter", then one sample per source,
// slimcap_rx_packets_total{interface="eth0"} 1234. Global counters appear once, unlabelled.
// Rows of sources that are not present (an interface gone) are left out.
std::string prometheus_text(std::span<const Row> rows);

// Replaces `path` with `text` atomically: a temporary file in the same directory, then
// rename(2), so a scraper never sees a half-written file. Throws SystemError.
void replace_file(const std::string& path, std::string_view text);

// Text rows for people: a header naming the columns (specs with a column; counters with a
// rate show the rate, other counters the delta, gauges the value), human units (human_units()
// of stats_format.hpp), right-aligned.
class TextTable {
 public:
  // `screen_rows` > 0 repeats the header every screen (a terminal); 0 prints it once.
  TextTable(std::string_view label, std::span<const CounterSpec> specs, int screen_rows);
  void append_row(OutputBuffer& out, const Row& row);
  // Counts lines appended between rows (a capture's mix and talkers), for the header's repeat.
  void count_lines(int lines) noexcept { lines_since_header_ += lines; }

 private:
  void append_header(OutputBuffer& out);
  std::string label_;
  std::span<const CounterSpec> specs_;
  int screen_rows_;
  int lines_since_header_ = -1;
};

}  // namespace slimcap
