// `slimcap stats`: per-interval interface counters and drop ledger (and, with --capture, the
// capture socket's view of the same traffic); with capture files as arguments, their summaries
// (cmd_stats_files.cpp). The counting itself (deadlines, deltas, resets, row formats) is in
// lib/interval; the counters come from lib/interfaces and the capture socket.

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "signals.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/interfaces.hpp"
#include "slimcap/interval.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/timestamp.hpp"
#include "slimcap/traffic.hpp"

namespace slimcap::cli {
namespace {

// The counters of one row, in this order (Counter indexes kSpecs). The interface's come from
// rtnetlink, softnet's from /proc/net/softnet_stat (the whole system), the capture's from the
// socket; man/slimcap.1 and docs/stats.md list the same keys.
enum Counter : std::size_t {
  rx_packets, rx_bytes, tx_packets, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped,
  rx_missed_errors, rx_fifo_errors, rx_nohandler, softnet_dropped, softnet_time_squeeze,
  kLinkCounters,
  capture_packets = kLinkCounters, capture_bytes, socket_drops, ring_freezes, ring_used,
  ring_size, kAllCounters,
};

using K = CounterKind;
constexpr CounterSpec kSpecs[kAllCounters] = {
    {"rx_packets", "Packets the interface received", "rx pkt/s", "rx_pps", 1, 64, K::counter},
    {"rx_bytes", "Bytes the interface received", "rx bit/s", "rx_bps", 8, 64, K::counter},
    {"tx_packets", "Packets the interface sent", "tx pkt/s", "tx_pps", 1, 64, K::counter},
    {"tx_bytes", "Bytes the interface sent", "tx bit/s", "tx_bps", 8, 64, K::counter},
    {"rx_errors", "Bad frames received", "errors", "", 1, 64, K::counter},
    {"tx_errors", "Frames that failed to send", "", "", 1, 64, K::counter},
    {"rx_dropped", "Frames received and dropped by the stack (no buffer, unknown protocol)",
     "dropped", "", 1, 64, K::counter},
    {"tx_dropped", "Frames dropped on the way out", "", "", 1, 64, K::counter},
    {"rx_missed_errors", "Frames the NIC had no buffer for (the host did not keep up)", "missed",
     "", 1, 64, K::counter},
    {"rx_fifo_errors", "Receive FIFO overruns", "fifo", "", 1, 64, K::counter},
    {"rx_nohandler", "Frames on a device not meant to receive (bond backup)", "nohandlr", "", 1,
     64, K::counter},
    {"softnet_dropped", "Packets dropped because a CPU's backlog was full (all CPUs)",
     "backlog", "", 1, 64, K::counter, true},
    {"softnet_time_squeeze", "NAPI rounds that ran out of budget with work left (all CPUs)",
     "squeeze", "", 1, 64, K::counter, true},
    {"capture_packets", "Packets the capture socket's filter accepted and slimcap read",
     "cap pkt/s", "capture_pps", 1, 64, K::counter},
    {"capture_bytes", "Wire bytes of the captured packets", "cap bit/s", "capture_bps", 8, 64,
     K::counter},
    {"socket_drops", "Packets the filter accepted but the full ring dropped", "sock drop", "", 1,
     64, K::counter},
    {"ring_freezes", "Times the ring was full and froze its queue", "freezes", "", 1, 64,
     K::counter},
    {"ring_used", "Ring units (blocks; frames; bytes in socket mode) waiting for slimcap",
     "ring", "", 1, 64, K::gauge},
    {"ring_size", "Ring units in all", "", "", 1, 64, K::gauge},
};

constexpr std::string_view kLabel = "interface";

// One interface's capture, on a thread of its own so that the rows keep their deadlines
// whatever the traffic. The thread counts under `mutex`; the row thread reads under it.
class CaptureWorker {
 public:
  CaptureWorker(const StatsFlags& flags, const std::string& interface,
                const std::string& expression)
      : filter_(expression, flags.ring.snaplen), traffic_(traffic_options(flags)) {
    CaptureOptions options = capture_options(flags.ring, interface);
    options.link_type = default_link_type(interface);
    capture_ = open_capture(options, filter_);
    fmt::print(stderr, "listening on {}, link-type {}, snapshot length {} bytes\n", interface,
               link_type_text(capture_->link_type()), flags.ring.snaplen);
  }
  ~CaptureWorker() { stop(); }

  void start() { thread_ = std::thread([this] { run(); }); }
  void stop() {
    if (!thread_.joinable()) return;
    stopping_.store(true, std::memory_order_relaxed);
    capture_->wake();
    thread_.join();
  }
  // The table sizes of the protocol mix and the talkers: enough for --top N to be exact while
  // the flows of an interval fit, fixed whatever the traffic.
  static TrafficOptions traffic_options(const StatsFlags& flags) {
    return TrafficOptions{flags.top == 0 ? 0 : std::max<std::uint32_t>(4096, 8 * flags.top)};
  }

  // The capture's counters as of now, into values[capture_packets..ring_size], and the
  // interval's mix and talkers into `traffic` (the worker goes on with an empty one). False
  // when the capture ended because its interface went down or away (the caller reopens it
  // once the interface is back); any other error of the capture is thrown.
  bool read(std::array<std::uint64_t, kAllCounters>& values, TrafficStats& traffic) {
    const std::lock_guard lock(mutex_);
    std::swap(traffic, traffic_);
    traffic_.clear();
    if (error_) {
      try {
        std::rethrow_exception(error_);
      } catch (const SystemError& e) {
        const int n = e.error_number();
        if (n != ENETDOWN && n != ENXIO && n != ENODEV) throw;
        fmt::print(stderr, "slimcap: {} (counting goes on; the capture resumes when the "
                           "interface is back up)\n", e.what());
        return false;
      }
    }
    values[capture_packets] = packets_;
    values[capture_bytes] = bytes_;
    const CaptureCounters c = capture_->counters();
    values[socket_drops] = c.dropped;
    values[ring_freezes] = c.freezes;
    const RingFill fill = capture_->ring_fill();
    values[ring_used] = fill.used;
    values[ring_size] = fill.size;
    return true;
  }

 private:
  // Takes the lock for a batch of packets, not for each one.
  void run() {
    PacketView packet;
    while (!stopping_.load(std::memory_order_relaxed)) {
      try {
        if (!capture_->next(packet, std::chrono::milliseconds(250))) continue;
        const std::lock_guard lock(mutex_);
        int batch = 0;
        do {
          ++packets_;
          bytes_ += packet.wire_length;
          traffic_.add(packet);
        } while (++batch < 4096 && capture_->next(packet, std::chrono::milliseconds(0)));
      } catch (...) {
        const std::lock_guard lock(mutex_);
        error_ = std::current_exception();
        return;
      }
    }
  }

  Filter filter_;
  std::unique_ptr<CaptureSocket> capture_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::exception_ptr error_;
  std::uint64_t packets_ = 0;
  std::uint64_t bytes_ = 0;
  TrafficStats traffic_;
};

// One watched interface: its name as asked, its counters' track and, with --capture, its
// capture.
struct Watched {
  std::string name;
  std::int64_t ifindex = -1;  // -1 while absent
  bool up = false;            // administratively and operationally up
  CounterTrack track;
  std::unique_ptr<CaptureWorker> capture;
  std::array<std::uint64_t, kAllCounters> values{};
  CounterTrack::Sample sample = CounterTrack::Sample::baseline;
  TrafficStats interval_traffic{TrafficOptions{0}};  // --capture: the last interval's
  TrafficStats run_traffic{TrafficOptions{0}};       // and the whole run's
  OutputBuffer json_extra{256};
  explicit Watched(std::string n, std::span<const CounterSpec> specs)
      : name(std::move(n)), track(specs) {}
};

// -i as given (each once, in order), or every interface that is up but loopback.
std::vector<std::string> watched_names(const StatsFlags& flags,
                                       const std::vector<LinkSample>& links) {
  std::vector<std::string> names;
  for (const std::string& name : flags.interfaces) {
    if (name == kAnyInterface)
      throw UsageError("stats: 'any' has no counters of its own; name the interfaces with -i "
                       "(repeatable), or give none for every interface that is up");
    const bool known = std::any_of(links.begin(), links.end(),
                                   [&](const LinkSample& l) { return l.name == name; });
    if (!known) throw Error(fmt::format("{}: No such device exists", name));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (flags.interfaces.empty())
    for (const LinkSample& l : links)
      if (l.up && !l.loopback) names.push_back(l.name);
  if (names.empty()) throw Error("stats: no interface is up (name one with -i)");
  return names;
}

// The interface's counters into values[0..kLinkCounters); false when it is not there.
bool read_link(const std::vector<LinkSample>& links, const SoftnetTotals& softnet,
               Watched& w) {
  const auto it = std::find_if(links.begin(), links.end(),
                               [&](const LinkSample& l) { return l.name == w.name; });
  auto& v = w.values;
  v[softnet_dropped] = softnet.dropped;
  v[softnet_time_squeeze] = softnet.time_squeeze;
  if (it == links.end()) {
    std::fill(v.begin(), v.begin() + softnet_dropped, 0);
    w.ifindex = -1;
    w.up = false;
    return false;
  }
  const LinkCounters& c = it->counters;
  v[rx_packets] = c.rx_packets;
  v[rx_bytes] = c.rx_bytes;
  v[tx_packets] = c.tx_packets;
  v[tx_bytes] = c.tx_bytes;
  v[rx_errors] = c.rx_errors;
  v[tx_errors] = c.tx_errors;
  v[rx_dropped] = c.rx_dropped;
  v[tx_dropped] = c.tx_dropped;
  v[rx_missed_errors] = c.rx_missed_errors;
  v[rx_fifo_errors] = c.rx_fifo_errors;
  v[rx_nohandler] = c.rx_nohandler;
  w.ifindex = it->ifindex;
  w.up = it->up && it->running;
  return true;
}

void check_live_flags(const StatsFlags& flags) {
  if (flags.series > 0) throw UsageError("--series: only for capture files");
  if (flags.top > 0 && flags.capture.empty())
    throw UsageError("--top: needs --capture on interfaces (or capture files)");
  if (flags.capture.empty() && (!flags.positionals.empty() || !flags.filter_file.empty()))
    throw UsageError(fmt::format(
        "'{}': not a capture file; a filter expression on interfaces needs --capture",
        flags.positionals.empty() ? flags.filter_file : flags.positionals.front()));
}

int run_stats_live(const StatsFlags& flags) {
  check_live_flags(flags);
  const bool capturing = !flags.capture.empty();
  std::vector<std::string> words = flags.capture;
  words.insert(words.end(), flags.positionals.begin(), flags.positionals.end());
  const std::string expression = filter_expression(words, 0, flags.filter_file);
  const std::span<const CounterSpec> specs(kSpecs, capturing ? kAllCounters : kLinkCounters);

  LinkStatsReader link_reader;
  SoftnetReader softnet_reader;
  std::vector<LinkSample> links;
  link_reader.dump(links);
  std::vector<std::unique_ptr<Watched>> watched;
  for (std::string& name : watched_names(flags, links))
    watched.push_back(std::make_unique<Watched>(std::move(name), specs));
  install_report_handler();
  const SignalsBlocked blocked;
  if (capturing) {
    for (auto& w : watched) {
      w->capture = std::make_unique<CaptureWorker>(flags, w->name, expression);
      w->interval_traffic = TrafficStats(CaptureWorker::traffic_options(flags));
      w->run_traffic = TrafficStats(CaptureWorker::traffic_options(flags));
    }
    for (auto& w : watched) w->capture->start();
  }

  TextOutput text(STDOUT_FILENO, true);
  OutputBuffer& out = text.buffer();
  TextTable table(kLabel, specs, screen_rows());
  const bool table_out = !flags.json && !flags.csv && flags.prom_file.empty();
  if (flags.csv && !flags.no_header) append_csv_header(out, kLabel, specs);
  std::vector<Row> rows(watched.size());

  // The capture's part of a reading. A capture whose interface went down or away counts 0
  // (its counters going back to 0 make the row a reset) until the interface is up again and
  // a new capture is open.
  const auto read_capture = [&](Watched& w, bool present) {
    const bool read = w.capture && w.capture->read(w.values, w.interval_traffic);
    if (!read) {
      w.capture.reset();
      std::fill(w.values.begin() + capture_packets, w.values.end(), 0);
      w.interval_traffic.clear();
    }
    if (!w.capture && present && w.up) {
      try {
        w.capture = std::make_unique<CaptureWorker>(flags, w.name, expression);
        w.capture->start();
      } catch (const SystemError&) {
        w.capture.reset();  // not ready yet: the next interval tries again
      }
    }
  };

  // One reading of everything: the links, softnet, each capture. Rows for every source.
  const auto take_readings = [&](std::int64_t now) {
    link_reader.dump(links);
    const SoftnetTotals& softnet = softnet_reader.read();
    const std::int64_t wall = realtime_ns();
    for (std::size_t i = 0; i < watched.size(); ++i) {
      Watched& w = *watched[i];
      const bool present = read_link(links, softnet, w);
      if (capturing) read_capture(w, present);
      w.sample = present ? w.track.update(std::span<const std::uint64_t>(w.values.data(),
                                                                      specs.size()),
                                          now, static_cast<std::uint64_t>(w.ifindex))
                         : w.track.absent(now);
      rows[i] = interval_row(w.track, w.sample, wall, kLabel, w.name, w.ifindex);
      rows[i].present = present;
      // The run's mix covers the intervals its counters cover: not the traffic before the
      // baseline, nor a reset interval's.
      if (capturing && w.sample == CounterTrack::Sample::interval)
        w.run_traffic.merge(w.interval_traffic);
      if (capturing && flags.json) {
        w.json_extra.clear();
        append_traffic_json(w.json_extra, w.interval_traffic, flags.top);
        rows[i].json_extra = w.json_extra.view();
      }
    }
  };
  // Text: under the interval's rows, each capture's mix on one line, and its top talkers.
  const auto append_traffic_lines = [&](bool run) {
    for (const auto& w : watched) {
      if (!capturing) continue;
      const TrafficStats& t = run ? w->run_traffic : w->interval_traffic;
      std::string text = fmt::format("{:>8} {} {}\n", run ? "total" : "", w->name,
                                     mix_line(t.mix()));
      if (run)
        append_traffic_text(text, t, flags.top);
      else
        append_traffic_text(text, t, flags.top, false);
      out.append(text);
      if (!run) table.count_lines(static_cast<int>(std::count(text.begin(), text.end(), '\n')));
    }
  };

  MonotonicClock clock(blocked.before());
  const std::int64_t start = clock.now_ns();
  take_readings(start);
  const auto interval_ns = static_cast<std::int64_t>(std::llround(flags.interval * 1e9));
  IntervalSchedule schedule(start, interval_ns);
  const std::int64_t end =
      flags.duration > 0 ? start + static_cast<std::int64_t>(std::llround(flags.duration * 1e9))
                         : INT64_MAX;
  // SIGUSR1: the run's totals so far on standard error, as text, without stopping.
  const auto report_so_far = [&] {
    OutputBuffer report;
    TextTable report_table(kLabel, specs, 0);
    const std::int64_t wall = realtime_ns();
    for (const auto& w : watched)
      report_table.append_row(report, run_row(w->track, wall, kLabel, w->name, w->ifindex));
    text.flush();
    write_all(STDERR_FILENO, report.data(), report.size());
  };
  std::int64_t rows_done = 0;
  while (!stop_requested() && (flags.rows < 0 || rows_done < flags.rows)) {
    // --duration ends the run at its time, with a last (shorter) row.
    const std::int64_t due = std::min(schedule.deadline(), end);
    clock.sleep_until(due);
    const std::int64_t now = clock.now_ns();
    if (g_report_requested.exchange(false)) report_so_far();
    if (now < due) continue;  // a signal: stop, report, or sleep on
    take_readings(now);
    schedule.advance(now);
    ++rows_done;
    for (const Row& row : rows) {
      if (flags.json)
        append_row_json(out, row);
      else if (flags.csv)
        append_row_csv(out, row);
      else if (table_out)
        table.append_row(out, row);
    }
    if (table_out) append_traffic_lines(false);
    if (!flags.prom_file.empty()) {
      std::string prom = prometheus_text(rows);
      if (capturing) {
        std::vector<LabelledMix> mixes;
        for (const auto& w : watched) mixes.push_back({w->name, &w->run_traffic.mix()});
        prom += mix_prometheus(kLabel, mixes);
      }
      replace_file(flags.prom_file, prom);
    }
    text.flush();
    if (now >= end) break;
  }
  for (auto& w : watched)
    if (w->capture) w->capture->stop();

  // The run's totals: JSON "run" objects, or the text table's total rows (on stderr, with a
  // header of their own, when stdout carries CSV or nothing).
  OutputBuffer totals;
  TextTable stderr_table(kLabel, specs, 0);
  const std::int64_t wall = realtime_ns();
  for (const auto& w : watched) {
    Row row = run_row(w->track, wall, kLabel, w->name, w->ifindex);
    if (capturing && flags.json) {
      w->json_extra.clear();
      append_traffic_json(w->json_extra, w->run_traffic, flags.top);
      row.json_extra = w->json_extra.view();
    }
    if (flags.json)
      append_row_json(out, row);
    else
      (table_out ? table : stderr_table).append_row(table_out ? out : totals, row);
  }
  if (table_out) append_traffic_lines(true);
  text.flush();
  if (!totals.empty()) write_all(STDERR_FILENO, totals.data(), totals.size());
  return kExitOk;
}


// Files when the first argument names one ("-": stdin) and no interface or capture is asked
// for; otherwise the arguments are the capture's filter expression.
bool summarises_files(const StatsFlags& flags) {
  if (!flags.interfaces.empty() || !flags.capture.empty() || flags.positionals.empty())
    return false;
  const std::string& first = flags.positionals.front();
  return first == "-" || path_exists(first);
}

}  // namespace

int run_stats(const StatsFlags& flags) {
  if (summarises_files(flags)) return run_stats_files(flags);
  // `slimcap stats -i eth0 f.pcap`: the file would be read as a filter expression.
  if (!flags.positionals.empty() && flags.positionals.front() != "-" &&
      path_exists(flags.positionals.front()) && flags.capture.empty())
    throw UsageError(fmt::format("'{}': a capture file; -i watches interfaces (slimcap stats "
                                 "FILE summarises it)",
                                 flags.positionals.front()));
  // `slimcap stats typo.pcap`: the file's error, not a complaint about a filter expression.
  if (flags.capture.empty() && !flags.positionals.empty())
    throw_if_missing_file(flags.positionals.front());
  return run_stats_live(flags);
}

}  // namespace slimcap::cli
