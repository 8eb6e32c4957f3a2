#pragma once
// What `live` and every `fanout` worker share: reading live's flags into capture and writer
// options, and the capture loop itself (packets from a CaptureSocket into a PacketSink until
// a stop, a deadline or the -c budget).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "output.hpp"
#include "print_setup.hpp"
#include "signals.hpp"
#include "slimcap/json.hpp"
#include "slimcap/print.hpp"
#include "slimcap/timestamp.hpp"

#include "cli.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/pcap_writer.hpp"
#include "slimcap/rotation.hpp"

namespace slimcap::cli {

// -i as tcpdump reads it: an interface name, else the number -D prints for one; no -i: the
// first interface -D lists.
std::string resolve_interface(const std::string& given);
// -y TYPE as a LINKTYPE_* value; 0 without -y.
std::uint32_t requested_link_type(const LiveFlags& flags);
// The link type a capture on `interface` uses: -y's after checking it is offered.
std::uint32_t chosen_link_type(const std::string& interface, std::uint32_t requested);
// -j TYPE; a type the interface does not offer is a warning, and host time stamps are used.
TimestampSource chosen_timestamp_source(const LiveFlags& flags, const std::string& interface);
// -C, -G, -W and -z, checked against -w.
RotationOptions rotation_options(const LiveFlags& flags);
// The name of interface `index` (for pcapng's interface blocks).
std::string interface_name(std::uint32_t index);

// Everything of live's flags a socket needs (-s -p -Q -B --block-size --block-timeout --mode
// -y -j --immediate-mode --sample), on `interface`. Prints -y's and -j's notes to stderr.
CaptureOptions live_capture_options(const LiveFlags& flags, const std::string& interface);
// The -w file's options for a capture of `link_type`.
WriterOptions live_writer_options(const LiveFlags& flags, const std::string& path,
                                  std::uint32_t link_type);
// The ring the kernel gave, when smaller than asked: a note on stderr.
void note_smaller_ring(const CaptureSocket& capture, const CaptureOptions& options);

// tcpdump's closing counters, one per line, or (one_line, SIGUSR1) its one-line report.
std::string counter_text(std::uint64_t captured, const CaptureCounters& c, bool one_line);
// --sample N: the line estimating how many packets were sampled out ("" without --sample).
std::string sampled_out_text(std::uint64_t received, std::uint32_t sample);

// -c over every worker of a capture: taken one packet at a time, so that exactly N are kept
// whichever workers see them. Only used with -c: without it the capture loop shares nothing.
class PacketBudget {
 public:
  explicit PacketBudget(std::uint64_t packets) : left_(static_cast<std::int64_t>(packets)) {}
  bool take() noexcept { return left_.fetch_sub(1, std::memory_order_relaxed) > 0; }
  bool exhausted() const noexcept { return left_.load(std::memory_order_relaxed) <= 0; }

 private:
  std::atomic<std::int64_t> left_;
};

// Where the capture loop's packets go: a printer and file (live), a worker's file, or the
// merge queue (fanout).
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  virtual void packet(const PacketView& packet) = 0;
  // No packet was ready (the capture caught up with the ring, or it is idle): send out what
  // is pending, do the idle chores (close a finished -G file).
  virtual void caught_up() = 0;
  // True while output waits for the next caught_up() (-U): the loop then does not wait.
  virtual bool pending() const noexcept { return false; }
};

// The loop's counts, written by the loop's thread only and readable from another (--stats):
// relaxed single-writer atomics, which cost what plain stores cost.
struct alignas(64) LoopCounts {
  std::atomic<std::uint64_t> packets{0};
  std::atomic<std::uint64_t> bytes{0};  // on the wire
};

struct LoopLimits {
  PacketBudget* budget = nullptr;             // -c; null: no limit
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* stop = nullptr;    // besides a stop signal (g_stop_requested)
};

// A capture's output: the -w file, and text or JSON on stdout (live; a fanout worker writing
// its own file). With report_to(), SIGUSR1's one-line report between packets.
class OutputSink final : public PacketSink {
 public:
  // idle_grace_ns: a -G file is closed once its period is over, with this grace for packets
  // still in a block the kernel has not handed over (up to --block-timeout).
  OutputSink(RotatingWriter* writer, bool printing, const PrintFlags& pf, TextOutput* text,
             std::int64_t idle_grace_ns)
      : writer_(writer), printing_(printing), pf_(pf), text_(text),
        idle_grace_ns_(idle_grace_ns) {
    if (printing && !pf.json) printer_.emplace(print_options(pf));
  }
  void report_to(CaptureSocket* capture) noexcept { capture_ = capture; }
  // fanout's merged stream: the worker of the next packet, for JSON's "worker" key.
  void set_worker(std::int64_t worker) noexcept { json_worker_ = worker; }

  void packet(const PacketView& packet) override {
    if (writer_) {
      writer_->write(packet);
      unflushed_ = pf_.packet_buffered;
    }
    if (printing_) {
      if (printer_)
        printer_->print(packet, text_->buffer());
      else
        append_json(text_->buffer(), packet, json_worker_);
      text_->packet_done();
    }
    if (capture_ && g_report_requested.exchange(false)) {
      text_->flush();
      report();
    }
  }

  // Caught up, or idle: send out what is pending, so a quiet link still shows its last
  // packets. -U: the file gets the packets as soon as the capture has caught up with the
  // ring, not after each packet: a flush is a round trip to the writer thread (about 20 µs),
  // and the kernel hands packets over a block at a time anyway.
  void caught_up() override {
    if (text_) text_->flush();
    if (unflushed_) writer_->flush();
    unflushed_ = false;
    if (writer_) writer_->idle(realtime_ns() - idle_grace_ns_);
    if (capture_ && g_report_requested.exchange(false)) report();
  }
  bool pending() const noexcept override { return unflushed_; }

  LoopCounts counts;

 private:
  void report() {
    const std::string line =
        counter_text(counts.packets.load(std::memory_order_relaxed), capture_->counters(), true);
    write_all(STDERR_FILENO, line.data(), line.size());
  }

  CaptureSocket* capture_ = nullptr;
  RotatingWriter* writer_;
  bool printing_;
  const PrintFlags& pf_;
  TextOutput* text_;
  std::optional<Printer> printer_;
  bool unflushed_ = false;
  std::int64_t idle_grace_ns_;
  std::int64_t json_worker_ = -1;
};

// Reads packets until a stop signal, *limits.stop, the deadline or the budget ends it.
void run_capture_loop(CaptureSocket& capture, PacketSink& sink, const LoopLimits& limits,
                      LoopCounts& counts);

}  // namespace slimcap::cli
