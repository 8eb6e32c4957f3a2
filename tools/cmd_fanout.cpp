// `slimcap fanout`: one interface's packets spread over N capture workers in one
// PACKET_FANOUT group (docs/fanout.md). Each worker is a thread with its own socket, ring,
// filter and sink, running live's capture loop (capture_setup.hpp); nothing on the per-packet
// path is shared between workers. Output is one file per worker (-w with %n), or one stream
// merged in time order through lib/merge (a file, text or JSON), or per-worker counter rows
// (--stats, in slimcap stats' formats).

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "capture_setup.hpp"
#include "command_support.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "signals.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/fanout.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/interval.hpp"
#include "slimcap/merge.hpp"
#include "slimcap/timestamp.hpp"

namespace slimcap::cli {

namespace {

// The interface's receive queues (/sys/class/net/IF/queues/rx-*); 0 when unknown.
std::size_t receive_queues(const std::string& interface) {
  DIR* dir = ::opendir(("/sys/class/net/" + interface + "/queues").c_str());
  if (!dir) return 0;
  std::size_t n = 0;
  while (const dirent* e = ::readdir(dir))
    if (std::string_view(e->d_name).substr(0, 3) == "rx-") ++n;
  ::closedir(dir);
  return n;
}

// The running kernel's major.minor, e.g. {6, 18}.
std::pair<int, int> kernel_version() {
  utsname u{};
  if (::uname(&u) != 0) return {0, 0};
  int major = 0;
  int minor = 0;
  std::sscanf(u.release, "%d.%d", &major, &minor);
  return {major, minor};
}

// --stats rows: one per worker (label "worker"), the keys documented in docs/fanout.md.
enum WorkerCounter : std::size_t {
  capture_packets, capture_bytes, received, socket_drops, ring_freezes, rolled_over, ring_used,
  ring_size, kWorkerCounters,
};

using K = CounterKind;
constexpr CounterSpec kWorkerSpecs[kWorkerCounters] = {
    {"capture_packets", "Packets the worker captured", "cap pkt/s", "capture_pps", 1, 64,
     K::counter},
    {"capture_bytes", "Wire bytes of the packets the worker captured", "cap bit/s",
     "capture_bps", 8, 64, K::counter},
    {"received", "Packets the worker's filter accepted: captured, dropped or still queued",
     "received", "", 1, 64, K::counter},
    {"socket_drops", "Packets the filter accepted but the worker's full ring dropped",
     "sock drop", "", 1, 64, K::counter},
    {"ring_freezes", "Times the worker's ring was full and froze its queue", "freezes", "", 1,
     64, K::counter},
    {"rolled_over", "Packets the kernel gave to another worker because this one was full "
     "(--rollover, --cluster rollover)", "rollover", "", 1, 64, K::counter},
    {"ring_used", "Ring units (blocks; frames; bytes in socket mode) waiting for the worker",
     "ring", "", 1, 64, K::gauge},
    {"ring_size", "Ring units in all", "", "", 1, 64, K::gauge},
};

constexpr std::string_view kLabel = "worker";

// A worker's packets into its queue for the merger. A full queue makes the worker wait (its
// ring keeps filling meanwhile, and the kernel counts what does not fit); `abandon` ends the
// wait when the merger has failed.
class QueueSink final : public PacketSink {
 public:
  QueueSink(PacketQueue& queue, const std::atomic<bool>& abandon)
      : queue_(queue), abandon_(abandon) {}
  void packet(const PacketView& packet) override {
    while (!queue_.push(packet)) {
      if (abandon_.load(std::memory_order_relaxed)) return;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  }
  void caught_up() override {}

 private:
  PacketQueue& queue_;
  const std::atomic<bool>& abandon_;
};

// A worker's own -w file (%n), its queue for the merged stream, or both (--print with %n).
class WorkerSink final : public PacketSink {
 public:
  WorkerSink(PacketSink* file, PacketSink* queue) : file_(file), queue_(queue) {}
  void packet(const PacketView& packet) override {
    if (file_) file_->packet(packet);
    if (queue_) queue_->packet(packet);
  }
  void caught_up() override {
    if (file_) file_->caught_up();
  }
  bool pending() const noexcept override { return file_ && file_->pending(); }

 private:
  PacketSink* file_;
  PacketSink* queue_;
};

struct Worker {
  std::size_t index = 0;
  int cpu = -1;  // --cpus; -1: not pinned
  std::unique_ptr<Filter> filter;  // each worker's own: it compiles lazily and caches
  std::unique_ptr<CaptureSocket> capture;
  std::unique_ptr<RotatingWriter> writer;
  std::unique_ptr<OutputSink> file;
  std::unique_ptr<PacketQueue> queue;
  std::unique_ptr<QueueSink> queue_sink;
  std::unique_ptr<WorkerSink> tee;
  PacketSink* sink = nullptr;
  LoopCounts counts;
  std::thread thread;
  std::exception_ptr error;
  std::atomic<bool> running{false};
  std::atomic<bool> done{false};
  // --stats
  std::unique_ptr<CounterTrack> track;
  std::array<std::uint64_t, kWorkerCounters> values{};
  CounterTrack::Sample sample = CounterTrack::Sample::baseline;
  std::string name;
};

// The merged stream: live's output (one -w file, text or JSON) with the worker's number in
// JSON.
class MergedOutput final : public MergeSink {
 public:
  explicit MergedOutput(OutputSink& out) : out_(out) {}
  void take(const PacketView& packet, std::size_t worker) override {
    out_.set_worker(static_cast<std::int64_t>(worker));
    out_.packet(packet);
  }

 private:
  OutputSink& out_;
};

void run_worker(Worker& w, const LoopLimits& limits) {
  if (w.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(w.cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  }
  w.running.store(true, std::memory_order_release);
  try {
    run_capture_loop(*w.capture, *w.sink, limits, w.counts);
  } catch (...) {
    w.error = std::current_exception();
  }
  w.done.store(true, std::memory_order_release);
}

// What the kernel would accept but would not do what the user asked for.
void check_flags(const FanoutFlags& flags, const FanoutSpec& spec, const std::string& interface,
                 std::size_t workers) {
  const LiveFlags& c = flags.capture;
  if (flags.stats_interval > 0 && c.print)
    throw UsageError("--print: with --stats, stdout carries counter rows, not packets");
  if ((spec.mode == FanoutMode::cpu || spec.mode == FanoutMode::qm) && workers > 1 &&
      interface != kAnyInterface && receive_queues(interface) <= 1)
    throw Error(fmt::format("{}: --cluster {} would give every packet to one worker: the "
                            "interface has one receive queue (use hash)",
                            interface, flags.cluster));
  if (spec.rollover && spec.mode == FanoutMode::rollover)
    throw UsageError("--rollover: --cluster rollover rolls over already");
  if (spec.ignore_outgoing) {
    const auto [major, minor] = kernel_version();
    if (major < 6 || (major == 6 && minor < 2))
      throw Error(fmt::format("--ignore-outgoing needs Linux 6.2 or later (this is {}.{})",
                              major, minor));
  }
  if (flags.sample_flows > 0) {
    if (!fanout_keeps_flows(spec.mode))
      throw UsageError(fmt::format("--sample-flows: --cluster {} does not keep flows whole "
                                   "(use hash, flow2, flow4 or tcp5)",
                                   flags.cluster));
    if (spec.rollover) throw UsageError("--sample-flows: --rollover would split flows");
    if (spec.group) throw UsageError("--sample-flows: needs a group of its own (no --fanout-group)");
    if (workers * flags.sample_flows > 256)
      throw UsageError(fmt::format("--sample-flows: {} workers x {} needs {} group members; "
                                   "the kernel allows 256",
                                   workers, flags.sample_flows, workers * flags.sample_flows));
  }
}

// The exit (and SIGUSR1) report: tcpdump's three lines for the totals, one line per worker.
std::string counters_report(std::vector<std::unique_ptr<Worker>>& workers, bool rollover,
                            std::uint32_t sample, const Merger* merger,
                            std::uint32_t window_ms) {
  CaptureCounters total;
  std::uint64_t captured = 0;
  std::string lines;
  const auto plural = [](std::uint64_t n) { return n == 1 ? "" : "s"; };
  for (auto& w : workers) {
    const CaptureCounters c = w->capture->counters();
    const std::uint64_t n = w->counts.packets.load(std::memory_order_relaxed);
    captured += n;
    total.received += c.received;
    total.dropped += c.dropped;
    total.freezes += c.freezes;
    lines += fmt::format("worker {}{}: {} packet{} captured, {} received by filter, {} dropped "
                         "by kernel",
                         w->index, w->cpu >= 0 ? fmt::format(" (CPU {})", w->cpu) : "", n,
                         plural(n), c.received, c.dropped);
    if (c.freezes != 0) lines += fmt::format(", {} ring freeze{}", c.freezes, plural(c.freezes));
    if (rollover) lines += fmt::format(", {} rolled over", w->capture->rollover_counters().all);
    lines += '\n';
  }
  std::string text = counter_text(captured, total, false) + lines;
  text += sampled_out_text(total.received, sample);
  if (merger && merger->out_of_order() != 0)
    text += fmt::format("{} packet{} merged out of time order (later than the {} ms reorder "
                        "window)\n",
                        merger->out_of_order(), plural(merger->out_of_order()), window_ms);
  return text;
}

// A worker with more than twice the mean share of the packets (of at least 100 in all:
// fewer say nothing about the spread).
std::string imbalance_warning(std::vector<std::unique_ptr<Worker>>& workers) {
  if (workers.size() < 2) return {};
  std::uint64_t total = 0;
  std::vector<std::uint64_t> got;
  for (auto& w : workers) {
    got.push_back(w->capture->counters().received);
    total += got.back();
  }
  if (total < 100) return {};
  std::string text;
  const double mean = static_cast<double>(total) / static_cast<double>(workers.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    if (static_cast<double>(got[i]) > 2 * mean)
      text += fmt::format("slimcap: warning: worker {} got {:.0f}% of the packets, more than "
                          "twice the mean share ({:.0f}%)\n",
                          i, 100.0 * static_cast<double>(got[i]) / static_cast<double>(total),
                          100.0 / static_cast<double>(workers.size()));
  return text;
}

}  // namespace

int run_fanout(const FanoutFlags& flags) {
  if (flags.self_test) return run_fanout_self_test(flags);
  const LiveFlags& c = flags.capture;
  // -D, -d, -L and -J are about the interface, not the workers: as live does them.
  if (c.list_interfaces || c.dump_filter > 0 || c.list_link_types || c.list_timestamp_types)
    return run_live(c);
  const std::string expression = filter_expression(c.positionals, 0, c.filter_file);
  const std::string interface = resolve_interface(c.interface);
  const FanoutSpec spec = fanout_spec(flags);
  std::vector<int> cpus;
  if (!flags.cpus.empty()) cpus = parse_cpu_list(flags.cpus);
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  const std::size_t worker_count =
      flags.workers > 0 ? flags.workers : static_cast<std::size_t>(std::max(1L, online));
  check_flags(flags, spec, interface, worker_count);

  const bool writing = !c.write_file.empty();
  const bool per_worker_files = writing && names_worker(c.write_file);
  const bool stats = flags.stats_interval > 0;
  const bool printing = !stats && (!writing || c.print);
  if (writing && c.write_file == "-" && printing)
    throw UsageError("-w - writes the capture to standard output; it cannot also carry text "
                     "(--print)");
  const bool merging = printing || (writing && !per_worker_files);
  const RotationOptions rotation = rotation_options(c);
  const std::int64_t idle_grace_ns = (2 * std::int64_t{c.ring.block_timeout_ms} + 500) * 1'000'000;
  const std::uint32_t window_ms =
      flags.reorder_window_ms > 0 ? flags.reorder_window_ms : 2 * c.ring.block_timeout_ms + 100;

  // The sockets, each held (rejecting everything) until every member has joined: a bound
  // socket outside the group sees every packet (docs/fanout.md, "A clean start").
  CaptureOptions options = live_capture_options(c, interface);
  options.held = true;
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t i = 0; i < worker_count; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    w->name = std::to_string(i);
    if (!cpus.empty()) w->cpu = cpus[i % cpus.size()];
    w->filter = std::make_unique<Filter>(expression, c.ring.snaplen);
    w->capture = open_capture(options, *w->filter);
    workers.push_back(std::move(w));
  }
  note_smaller_ring(*workers.front()->capture, options);
  std::uint16_t group = 0;
  for (auto& w : workers) {
    const bool first = &w == &workers.front();
    group = w->capture->join_fanout(spec, group, first && !spec.group);
  }
  // --sample-flows N: N - 1 members that take nothing for every worker, so that about 1 in N
  // of the flows' hash values lands on a worker.
  std::vector<std::unique_ptr<FanoutDecoy>> decoys;
  if (flags.sample_flows > 1)
    for (std::size_t i = 0; i < worker_count * (flags.sample_flows - 1); ++i)
      decoys.push_back(std::make_unique<FanoutDecoy>(workers.front()->capture->interface_index(),
                                                     spec, group));
  if (fanout_is_program(spec.mode)) {
    const std::vector<BpfInstruction> program = fanout_kernel_program(spec.mode);
    workers.front()->capture->set_fanout_program(program);
  }
  if (!c.user.empty()) drop_privileges(c.user);

  // Outputs: a file per worker, or the merged stream.
  std::unique_ptr<RotatingWriter> merged_writer;
  const std::uint32_t link = workers.front()->capture->link_type();
  if (writing && !per_worker_files)
    merged_writer = std::make_unique<RotatingWriter>(
        c.write_file, live_writer_options(c, c.write_file, link), rotation, realtime_ns());
  std::atomic<bool> abandon{false};
  for (auto& w : workers) {
    if (per_worker_files) {
      const std::string path = worker_file_name(c.write_file, w->index);
      w->writer = std::make_unique<RotatingWriter>(path, live_writer_options(c, path, link),
                                                   rotation, realtime_ns());
      w->file = std::make_unique<OutputSink>(w->writer.get(), false, c.print_flags, nullptr,
                                             idle_grace_ns);
    }
    if (merging) {
      w->queue = std::make_unique<PacketQueue>(std::size_t{32} << 20, c.ring.snaplen + 64);
      w->queue_sink = std::make_unique<QueueSink>(*w->queue, abandon);
    }
    // The loop calls the one sink there is directly; the tee only when there are two.
    if (w->file && w->queue_sink) {
      w->tee = std::make_unique<WorkerSink>(w->file.get(), w->queue_sink.get());
      w->sink = w->tee.get();
    } else {
      w->sink = w->file ? static_cast<PacketSink*>(w->file.get()) : w->queue_sink.get();
    }
  }
  std::vector<PacketQueue*> queues;
  for (auto& w : workers) queues.push_back(w->queue.get());
  std::optional<Merger> merger;
  if (merging) merger.emplace(queues, std::int64_t{window_ms} * 1'000'000);
  TextOutput text(STDOUT_FILENO, c.print_flags.line_buffered || stats);
  OutputSink merged_sink(merged_writer.get(), printing, c.print_flags, &text, idle_grace_ns);
  MergedOutput merged(merged_sink);

  install_report_handler();
  fmt::print(stderr, "listening on {}, link-type {}, snapshot length {} bytes\n", interface,
             link_type_text(link), c.ring.snaplen);
  std::string cpu_text;
  if (!cpus.empty()) {
    std::vector<int> used;
    for (auto& w : workers) used.push_back(w->cpu);
    cpu_text = fmt::format(" on CPUs {}", fmt::join(used, ","));
  }
  fmt::print(stderr, "slimcap: {} worker{}{} in fanout group {} ({}{}{}{})\n", worker_count,
             worker_count == 1 ? "" : "s", cpu_text, group, flags.cluster,
             spec.defrag ? ", defrag" : "", spec.rollover ? ", rollover" : "",
             spec.ignore_outgoing ? ", ignore outgoing" : "");
  if (c.sample > 1)
    fmt::print(stderr, "slimcap: keeping about 1 in {} packets, chosen at random in the kernel\n",
               c.sample);
  if (flags.sample_flows > 1)
    fmt::print(stderr, "slimcap: keeping about 1 in {} flows ({} members that take nothing)\n",
               flags.sample_flows, decoys.size());

  // The workers: signals stay with this thread, which sleeps with them unblocked.
  const SignalsBlocked blocked;
  std::optional<PacketBudget> budget;
  if (c.max_packets >= 0) budget.emplace(static_cast<std::uint64_t>(c.max_packets));
  std::atomic<bool> stop{false};
  LoopLimits limits;
  limits.budget = budget ? &*budget : nullptr;
  limits.stop = &stop;
  // The real filters go in last, once every output is ready, so that no worker's packets
  // wait in its ring while the others are still being set up; the merger starts when every
  // worker runs.
  for (auto& w : workers) w->capture->start();
  for (auto& w : workers) w->thread = std::thread(run_worker, std::ref(*w), std::cref(limits));
  while (!std::all_of(workers.begin(), workers.end(), [](const auto& w) {
    return w->running.load(std::memory_order_acquire);
  }))
    std::this_thread::sleep_for(std::chrono::microseconds(200));

  MonotonicClock clock(blocked.before());
  const std::int64_t start = clock.now_ns();
  const std::int64_t end =
      c.duration > 0 ? start + static_cast<std::int64_t>(std::llround(c.duration * 1e9)) : INT64_MAX;
  // --stats
  const std::span<const CounterSpec> specs(kWorkerSpecs, kWorkerCounters);
  TextTable table(kLabel, specs, screen_rows());
  const bool table_out = stats && !c.print_flags.json && !flags.csv && flags.prom_file.empty();
  std::optional<IntervalSchedule> schedule;
  std::vector<Row> rows(worker_count);
  const auto take_readings = [&](std::int64_t now) {
    const std::int64_t wall = realtime_ns();
    for (std::size_t i = 0; i < workers.size(); ++i) {
      Worker& w = *workers[i];
      const CaptureCounters cc = w.capture->counters();
      const RingFill fill = w.capture->ring_fill();
      w.values = {w.counts.packets.load(std::memory_order_relaxed),
                  w.counts.bytes.load(std::memory_order_relaxed),
                  cc.received,
                  cc.dropped,
                  cc.freezes,
                  w.capture->rollover_counters().all,
                  fill.used,
                  fill.size};
      w.sample = w.track->update(w.values, now, 0);
      rows[i] = interval_row(*w.track, w.sample, wall, kLabel, w.name, -1);
    }
  };
  if (stats) {
    for (auto& w : workers) w->track = std::make_unique<CounterTrack>(specs);
    if (flags.csv) append_csv_header(text.buffer(), kLabel, specs);
    take_readings(start);
    schedule.emplace(start, static_cast<std::int64_t>(std::llround(flags.stats_interval * 1e9)));
  }
  const auto write_rows = [&] {
    OutputBuffer& out = text.buffer();
    for (const Row& row : rows) {
      if (c.print_flags.json)
        append_row_json(out, row);
      else if (flags.csv)
        append_row_csv(out, row);
      else if (table_out)
        table.append_row(out, row);
    }
    if (!flags.prom_file.empty()) replace_file(flags.prom_file, prometheus_text(rows));
    text.flush();
  };
  const bool rollover = spec.rollover || spec.mode == FanoutMode::rollover;
  const auto report = [&] {
    const std::string r = counters_report(workers, rollover, c.sample,
                                          merger ? &*merger : nullptr, window_ms);
    write_all(STDERR_FILENO, r.data(), r.size());
  };

  const auto any_worker_failed = [&] {
    return std::any_of(workers.begin(), workers.end(), [](const auto& w) {
      return w->done.load(std::memory_order_acquire) && w->error;
    });
  };
  const auto all_done = [&] {
    return std::all_of(workers.begin(), workers.end(),
                       [](const auto& w) { return w->done.load(std::memory_order_acquire); });
  };
  const auto stop_workers = [&] {
    stop.store(true, std::memory_order_relaxed);
    for (auto& w : workers) w->capture->wake();
  };
  const auto join_workers = [&] {
    stop_workers();
    for (auto& w : workers)
      if (w->thread.joinable()) w->thread.join();
  };

  std::exception_ptr failure;
  try {
    while (!stop_requested() && !any_worker_failed() && !all_done()) {
      const std::int64_t now = clock.now_ns();
      if (now >= end || (budget && budget->exhausted())) break;
      if (g_report_requested.exchange(false)) {
        text.flush();
        report();
      }
      if (schedule && now >= schedule->deadline()) {
        take_readings(now);
        schedule->advance(now);
        write_rows();
      }
      std::int64_t wake = std::min(end, now + (merging ? 2'000'000 : 100'000'000));
      if (schedule) wake = std::min(wake, schedule->deadline());
      if (merging && merger->drain(realtime_ns(), merged, 65536) > 0) {
        clock.sleep_until(now + 1000);  // lets a pending signal in
        continue;
      }
      if (merging) merged_sink.caught_up();
      clock.sleep_until(wake);
    }
    // Stopping: the workers finish their packet at hand; the merger takes what they queued.
    stop_workers();
    if (merging) {
      while (!all_done()) {
        if (merger->drain(realtime_ns(), merged, 65536) == 0)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    join_workers();
    if (merging) merger->flush(merged);
    if (stats) {
      const std::int64_t now = clock.now_ns();
      if (schedule && now > schedule->deadline() - schedule->interval_ns()) {
        take_readings(now);
        write_rows();
      }
    }
    text.flush();
  } catch (...) {
    failure = std::current_exception();
    abandon.store(true, std::memory_order_relaxed);
    join_workers();
    try {
      text.flush();
    } catch (...) {
    }
  }
  // Files are closed (their last batch may still fail: ENOSPC), then the counters.
  for (auto& w : workers) {
    if (!failure && w->error) failure = w->error;
    try {
      if (w->writer) w->writer->close();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  try {
    if (merged_writer) merged_writer->close();
  } catch (...) {
    if (!failure) failure = std::current_exception();
  }
  if (stats) {
    OutputBuffer totals;
    TextTable stderr_table(kLabel, specs, 0);
    const std::int64_t wall = realtime_ns();
    for (auto& w : workers) {
      const Row row = run_row(*w->track, wall, kLabel, w->name, -1);
      if (c.print_flags.json)
        append_row_json(text.buffer(), row);
      else
        (table_out ? table : stderr_table).append_row(table_out ? text.buffer() : totals, row);
    }
    try {
      text.flush();
    } catch (...) {
    }
    if (!totals.empty()) write_all(STDERR_FILENO, totals.data(), totals.size());
  }
  report();
  const std::string warning = imbalance_warning(workers);
  if (!warning.empty()) write_all(STDERR_FILENO, warning.data(), warning.size());
  if (failure) std::rethrow_exception(failure);
  return kExitOk;
}

}  // namespace slimcap::cli
