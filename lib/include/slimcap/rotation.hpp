#pragma once
// File rotation for -w: -C SIZE, -G SECONDS and -W N, one rule set for every combination.
//
//  - -G SECONDS: a file covers one period; periods are aligned to the local wall clock (-G 3600
//    starts files on the hour, -G 86400 at local midnight). The packet's timestamp picks its
//    period; the name is the pattern passed through strftime() at the period's start.
//  - -C SIZE: a new file starts before a packet that would take the current one past SIZE
//    bytes of pcap (counted before compression), so no file exceeds SIZE unless a single
//    packet does.
//  - A counter goes before the extension ("cap-0003.pcap.zst") whenever names could repeat:
//    with -C, or with -G when the pattern has no strftime conversion. It starts at 0 for each
//    strftime name. A name that repeats anyway (a conversion coarser than -G, the hour a DST
//    change repeats) gets the next counter rather than overwriting the earlier file: no file
//    of this run is ever truncated by the run itself, except by -W's ring of names.
//  - -W N: at most N files of this run exist at once; opening file N+1 deletes the oldest. With
//    a counter, the counter wraps at N, so the names cycle like tcpdump's -C -W ring.
//
// Every file is closed (complete and valid) before the next one is opened; with -G a file is
// also closed when its period ends while the link is idle (idle()), and the next packet opens
// the next file.
//
// -z COMMAND: each file closed by rotation is handed to `COMMAND FILE`, started (fork, then
// exec with the PATH search) at the lowest priority and not waited for, as tcpdump does; the
// last file, closed by close() at the end of the run, is not (tcpdump does not either). The
// command runs with the process's privileges at that time, i.e. after -Z dropped them.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "slimcap/packet.hpp"
#include "slimcap/pcap_writer.hpp"

namespace slimcap {

struct RotationOptions {
  std::uint64_t max_bytes = 0;   // -C, in bytes; 0: no size limit
  std::uint32_t seconds = 0;     // -G; 0: no time rotation
  std::uint32_t max_files = 0;   // -W; 0: keep every file
  std::string post_rotate_command;  // -z; empty: none

  bool enabled() const noexcept { return max_bytes > 0 || seconds > 0; }
};

// Where the extension of a capture name starts: at ".pcap" (so ".pcap", ".pcap.zst",
// ".pcapng" stay whole), else at a final ".zst", else the end of the name.
std::size_t extension_start(std::string_view name) noexcept;

// The name of a rotated file: strftime(pattern) at `period_start` (seconds since the epoch,
// local time) when rotating by time, then "-NNNN" before the extension when `with_counter`.
// The counter has 4 digits, more when -W N needs them.
std::string rotated_name(const std::string& pattern, const RotationOptions& rotation,
                         std::int64_t period_start, bool with_counter, std::uint64_t counter);

// The start of the -G period holding `t` (seconds since the epoch), aligned to the local clock.
std::int64_t period_start(std::int64_t t, std::uint32_t seconds);
// The end of the period that starts at `begin`: `seconds` later, except across a DST change,
// where a day period still ends at local midnight.
std::int64_t period_end(std::int64_t begin, std::uint32_t seconds);

// A PcapWriter that moves on to the next file by the rules above. Without rotation it writes
// the one file `pattern` ("-" is stdout) and is a plain PcapWriter.
class RotatingWriter {
 public:
  // Opens the first file (its -G period is the one holding `now_ns`).
  // Throws SystemError ("PATH: Permission denied") when a file cannot be created.
  RotatingWriter(std::string pattern, const WriterOptions& options, const RotationOptions& rotation,
                 std::int64_t now_ns);
  ~RotatingWriter();
  RotatingWriter(const RotatingWriter&) = delete;
  RotatingWriter& operator=(const RotatingWriter&) = delete;

  void write(const PacketView& packet);
  void flush();
  // With -G: closes the current file once the clock (`now_ns`) has left its period.
  void idle(std::int64_t now_ns);
  void close();

  std::uint64_t packets_written() const noexcept;
  std::uint64_t files_opened() const noexcept;

 private:
  void open_next(std::int64_t timestamp_ns);
  // Closes the current file; `rotated`: because the next one starts (then -z runs on it).
  void close_current(bool rotated);
  void run_post_rotate_command(const std::string& path);

  std::string pattern_;
  WriterOptions options_;
  RotationOptions rotation_;
  bool with_counter_ = false;
  std::unique_ptr<PcapWriter> writer_;
  std::int64_t period_begin_ = 0;     // start of the current -G period (seconds)
  std::int64_t period_end_ns_ = 0;    // and its end
  std::map<std::string, std::uint64_t> next_counter_;  // per name made: its next counter
  std::deque<std::string> files_;     // the files of this run that still exist, oldest first
  std::string current_path_;
  std::vector<int> commands_;          // -z processes not yet reaped
  std::uint64_t packets_ = 0;
  std::uint64_t opened_ = 0;
};

}  // namespace slimcap
