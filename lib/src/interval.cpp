#include "slimcap/interval.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "slimcap/error.hpp"
#include "slimcap/stats_format.hpp"

namespace slimcap {

// ---- Time ----

std::int64_t MonotonicClock::now_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

void MonotonicClock::sleep_until(std::int64_t deadline_ns) {
  if (masked_) {
    // ppoll takes a relative time: computed from the absolute deadline each time, so a late
    // or interrupted sleep does not move the next deadline.
    const std::int64_t left = deadline_ns - now_ns();
    if (left <= 0) return;
    const timespec relative{static_cast<time_t>(left / 1'000'000'000),
                            static_cast<long>(left % 1'000'000'000)};
    ::ppoll(nullptr, 0, &relative, &sleep_mask_);
    return;
  }
  timespec t{};
  t.tv_sec = deadline_ns / 1'000'000'000;
  t.tv_nsec = deadline_ns % 1'000'000'000;
  // EINTR (a signal: Ctrl-C, SIGUSR1) returns early; the caller looks at why and calls again.
  ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nullptr);
}

std::uint64_t IntervalSchedule::advance(std::int64_t now_ns) noexcept {
  const std::int64_t due = deadline();
  if (now_ns < due) {  // called early: the deadline stays, nothing skipped
    return 0;
  }
  // The first deadline strictly after now: k = floor((now - start) / interval) + 1.
  const std::int64_t next_k = (now_ns - start_ns_) / interval_ns_ + 1;
  const std::uint64_t skipped = static_cast<std::uint64_t>(next_k - k_ - 1);
  k_ = next_k;
  return skipped;
}

// ---- Counters ----

bool counter_delta(std::uint64_t before, std::uint64_t after, unsigned bits,
                   std::uint64_t& delta) noexcept {
  if (bits < 64) {
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    delta = (after - before) & mask;
    return true;
  }
  if (after < before) return false;
  delta = after - before;
  return true;
}

CounterTrack::CounterTrack(std::span<const CounterSpec> specs)
    : specs_(specs), values_(specs.size()), deltas_(specs.size()), run_(specs.size()) {}

CounterTrack::Sample CounterTrack::update(std::span<const std::uint64_t> values,
                                          std::int64_t now_ns, std::uint64_t identity) {
  const std::size_t n = specs_.size();
  Sample sample = Sample::interval;
  if (!have_) {
    sample = Sample::baseline;
  } else if (identity != identity_) {
    sample = Sample::reset;
  } else {
    for (std::size_t i = 0; i < n && sample == Sample::interval; ++i) {
      if (specs_[i].kind == CounterKind::gauge) {
        deltas_[i] = values[i];
      } else if (!counter_delta(values_[i], values[i], specs_[i].bits, deltas_[i])) {
        sample = Sample::reset;
      }
    }
  }
  if (sample == Sample::interval) {
    elapsed_ns_ = now_ns - last_ns_;
    run_ns_ += elapsed_ns_;
    for (std::size_t i = 0; i < n; ++i)
      run_[i] = specs_[i].kind == CounterKind::gauge ? values[i] : run_[i] + deltas_[i];
  } else {
    elapsed_ns_ = seen_ ? now_ns - last_ns_ : 0;
    for (std::size_t i = 0; i < n; ++i) deltas_[i] = 0;
    if (sample == Sample::reset) ++resets_;
  }
  for (std::size_t i = 0; i < n; ++i) values_[i] = values[i];
  last_ns_ = now_ns;
  identity_ = identity;
  have_ = true;
  seen_ = true;
  return sample;
}

CounterTrack::Sample CounterTrack::absent(std::int64_t now_ns) {
  elapsed_ns_ = seen_ ? now_ns - last_ns_ : 0;
  seen_ = true;
  std::fill(deltas_.begin(), deltas_.end(), 0);
  if (have_) ++resets_;
  have_ = false;
  last_ns_ = now_ns;
  return Sample::reset;
}

// ---- Rows ----

Row interval_row(const CounterTrack& track, CounterTrack::Sample sample, std::int64_t time_ns,
                 std::string_view label, std::string_view source, std::int64_t ifindex) {
  Row row;
  row.type = sample == CounterTrack::Sample::interval ? Row::Type::interval : Row::Type::reset;
  row.time_ns = time_ns;
  row.elapsed_ns = track.elapsed_ns();
  row.label = label;
  row.source = source;
  row.ifindex = ifindex;
  row.specs = track.specs();
  row.deltas = track.deltas();
  row.values = track.values();
  return row;
}

Row run_row(const CounterTrack& track, std::int64_t time_ns, std::string_view label,
            std::string_view source, std::int64_t ifindex) {
  Row row = interval_row(track, CounterTrack::Sample::interval, time_ns, label, source, ifindex);
  row.type = Row::Type::run;
  row.elapsed_ns = track.run_ns();
  row.deltas = track.run();
  return row;
}

double row_rate(const Row& row, std::size_t i) noexcept {
  if (row.elapsed_ns <= 0) return 0;
  return static_cast<double>(row.deltas[i]) * row.specs[i].rate_scale * 1e9 /
         static_cast<double>(row.elapsed_ns);
}

namespace {

// A rate with enough digits for scripts and no exponent: 1234.567.
void append_decimal(OutputBuffer& out, double value, int digits) {
  char text[64];
  const int n = std::snprintf(text, sizeof text, "%.*f", digits, value);
  out.append(std::string_view(text, n > 0 ? static_cast<std::size_t>(n) : 0));
}

// Seconds since the epoch with nanoseconds: 1764576000.123456789.
void append_time(OutputBuffer& out, std::int64_t ns) {
  out.append_int(ns / 1'000'000'000);
  out.append('.');
  out.append_uint_padded(static_cast<std::uint64_t>(ns % 1'000'000'000), 9);
}

bool has_deltas(const Row& row) { return row.type != Row::Type::reset; }

std::string_view type_name(Row::Type t) {
  switch (t) {
    case Row::Type::interval: return "interval";
    case Row::Type::reset: return "interval";
    case Row::Type::run: return "run";
  }
  return "interval";
}


}  // namespace

void append_row_json(OutputBuffer& out, const Row& row) {
  out.append("{\"version\":");
  out.append_int(kRowFormatVersion);
  out.append(",\"type\":\"");
  out.append(type_name(row.type));
  out.append("\",\"time\":");
  append_time(out, row.time_ns);
  out.append(",\"");
  out.append(row.label);
  out.append("\":");
  append_json_string(out, row.source);
  if (row.ifindex >= 0) {
    out.append(",\"ifindex\":");
    out.append_int(row.ifindex);
  }
  out.append(",\"elapsed\":");
  append_decimal(out, static_cast<double>(row.elapsed_ns) / 1e9, 6);
  out.append(",\"reset\":");
  out.append(row.type == Row::Type::reset ? std::string_view("true") : "false");
  if (has_deltas(row)) {
    for (std::size_t i = 0; i < row.specs.size(); ++i) {
      out.append(",\"");
      out.append(row.specs[i].name);
      out.append("\":");
      out.append_uint(row.deltas[i]);
    }
    for (std::size_t i = 0; i < row.specs.size(); ++i) {
      if (row.specs[i].rate_name.empty()) continue;
      out.append(",\"");
      out.append(row.specs[i].rate_name);
      out.append("\":");
      append_decimal(out, row_rate(row, i), 3);
    }
  }
  for (std::size_t i = 0; i < row.specs.size(); ++i) {
    if (row.specs[i].kind != CounterKind::counter) continue;
    out.append(",\"");
    out.append(row.specs[i].name);
    out.append("_total\":");
    out.append_uint(row.values[i]);
  }
  if (!row.json_extra.empty()) out.append(row.json_extra);  // (a null view: no memcpy)
  out.append("}\n");
}

void append_csv_header(OutputBuffer& out, std::string_view label,
                       std::span<const CounterSpec> specs) {
  out.append("time,");
  out.append(label);
  out.append(",ifindex,elapsed,reset");
  for (const CounterSpec& s : specs) {
    out.append(',');
    out.append(s.name);
  }
  for (const CounterSpec& s : specs) {
    if (s.rate_name.empty()) continue;
    out.append(',');
    out.append(s.rate_name);
  }
  for (const CounterSpec& s : specs) {
    if (s.kind != CounterKind::counter) continue;
    out.append(',');
    out.append(s.name);
    out.append("_total");
  }
  out.append('\n');
}

void append_row_csv(OutputBuffer& out, const Row& row) {
  append_time(out, row.time_ns);
  out.append(',');
  out.append(csv_field(row.source));
  out.append(',');
  if (row.ifindex >= 0) out.append_int(row.ifindex);
  out.append(',');
  append_decimal(out, static_cast<double>(row.elapsed_ns) / 1e9, 6);
  out.append(row.type == Row::Type::reset ? std::string_view(",1") : ",0");
  const bool deltas = has_deltas(row);
  for (std::size_t i = 0; i < row.specs.size(); ++i) {
    out.append(',');
    if (deltas) out.append_uint(row.deltas[i]);
  }
  for (std::size_t i = 0; i < row.specs.size(); ++i) {
    if (row.specs[i].rate_name.empty()) continue;
    out.append(',');
    if (deltas) append_decimal(out, row_rate(row, i), 3);
  }
  for (std::size_t i = 0; i < row.specs.size(); ++i) {
    if (row.specs[i].kind != CounterKind::counter) continue;
    out.append(',');
    out.append_uint(row.values[i]);
  }
  out.append('\n');
}


std::string prometheus_text(std::span<const Row> rows) {
  std::string out;
  if (rows.empty()) return out;
  const std::span<const CounterSpec> specs = rows.front().specs;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const CounterSpec& s = specs[i];
    const bool counter = s.kind == CounterKind::counter;
    const std::string metric =
        fmt::format("slimcap_{}{}", s.name, counter ? "_total" : "");
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", metric, s.help, metric,
                       counter ? "counter" : "gauge");
    bool global_done = false;
    for (const Row& row : rows) {
      if (!row.present || global_done) continue;
      out += metric;
      if (!s.global) {
        out += '{';
        out += row.label;
        out += "=\"";
        out += prometheus_label_value(row.source);
        out += "\"}";
      }
      out += fmt::format(" {}\n", row.values[i]);
      global_done = s.global;
    }
  }
  return out;
}

void replace_file(const std::string& path, std::string_view text) {
  const std::string temporary = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw SystemError(temporary, errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw SystemError(temporary, error);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw SystemError(temporary, error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw SystemError(path, error);
  }
}

// ---- Text ----

namespace {

constexpr std::size_t kTimeWidth = 8;    // "12:34:56"
constexpr std::size_t kNumberWidth = 6;  // "1.23M", "999k" with room

void append_right(OutputBuffer& out, std::string_view text, std::size_t width) {
  if (text.size() < width) out.append_repeat(' ', width - text.size());
  out.append(text);
}

}  // namespace

TextTable::TextTable(std::string_view label, std::span<const CounterSpec> specs, int screen_rows)
    : label_(label), specs_(specs), screen_rows_(screen_rows) {}

void TextTable::append_header(OutputBuffer& out) {
  out.append("time    ");
  out.append(' ');
  out.append(label_);
  out.append_repeat(' ', label_.size() < 12 ? 12 - label_.size() : 1);
  for (const CounterSpec& s : specs_) {
    if (s.column.empty()) continue;
    out.append(' ');
    append_right(out, s.column, std::max(kNumberWidth, s.column.size()));
  }
  out.append('\n');
  lines_since_header_ = 0;
}

void TextTable::append_row(OutputBuffer& out, const Row& row) {
  if (lines_since_header_ < 0 || (screen_rows_ > 2 && lines_since_header_ >= screen_rows_ - 2))
    append_header(out);
  ++lines_since_header_;
  if (row.type == Row::Type::run) {
    out.append("total   ");
  } else {
    const std::time_t seconds = row.time_ns / 1'000'000'000;
    std::tm local{};
    ::localtime_r(&seconds, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M:%S", &local);
    out.append(std::string_view(text, kTimeWidth));
  }
  out.append(' ');
  out.append(row.source);
  out.append_repeat(' ', row.source.size() < 12 ? 12 - row.source.size() : 1);
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const CounterSpec& s = specs_[i];
    if (s.column.empty()) continue;
    const std::string cell =
        row.type == Row::Type::reset ? std::string("-")
        : s.kind == CounterKind::counter && !s.rate_name.empty()
            ? human_units(row_rate(row, i))
            : human_units(static_cast<double>(row.deltas[i]));
    out.append(' ');
    append_right(out, cell, std::max(kNumberWidth, s.column.size()));
  }
  if (row.type == Row::Type::reset) out.append("  (counters reset)");
  out.append('\n');
}

}  // namespace slimcap
