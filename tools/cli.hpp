#pragma once
// The command line: every subcommand and flag of slimcap is defined once, in cli.cpp. The
// doc-sync test walks the same CLI::App to check --help, the man page and the completions.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "slimcap/error.hpp"

namespace slimcap::cli {

// Exit statuses; man/slimcap.1 (EXIT STATUS) lists exactly these.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // runtime error: unreadable or damaged input, I/O error
inline constexpr int kExitUsage = 2;    // bad command line or filter expression

// A command line that does not parse (a bad value, a missing value, an unknown option) or makes
// no sense (no input, -F with an expression, ...). Its message is the whole line after
// "slimcap: ".
class UsageError : public Error {
 public:
  using Error::Error;
};

// Flags shared by every subcommand that prints packets (read now; live later).
struct PrintFlags {
  int link_header = 0;  // -e
  int hex = 0;          // -x (1), -xx (2)
  int hex_ascii = 0;    // -X (1), -XX (2)
  bool ascii = false;   // -A
  int timestamp = 0;    // -t given 0..5 times
  bool nano = false;    // --nano
  bool quiet = false;   // -q
  bool number = false;  // -#
  int verbose = 0;      // -v
  bool no_checksums = false;  // -K, --dont-verify-checksums
  int numeric = 0;      // -n / -nn: accepted, slimcap never resolves names
  bool absolute_seq = false;  // -S: TCP sequence numbers as on the wire, not relative
  bool line_buffered = false;  // -l
  bool packet_buffered = false;  // -U
  bool json = false;    // --json
};

struct ReadFlags {
  std::vector<std::string> positionals;  // FILE... [EXPRESSION...]
  std::vector<std::string> read_files;   // -r FILE (repeatable)
  std::string file_list;                 // -V FILE: capture file names, one per line
  std::string filter_file;               // -F FILE
  std::int64_t max_packets = -1;         // -c N
  bool count = false;                    // --count
  std::string write_file;                // -w FILE
  int compress_level = 0;                // --compress[=LEVEL]
  bool print = false;                    // --print
  int dump_filter = 0;                   // -d (1), -dd, -ddd
  std::string time_stamp_precision;      // --time-stamp-precision micro|nano ("": --nano decides)
  PrintFlags print_flags;
};

// The capture socket's flags, the same on every subcommand that captures (live, stats
// --capture, fanout); each subcommand may start from other defaults.
struct RingFlags {
  bool operator==(const RingFlags&) const = default;
  std::uint32_t snaplen = 262144;        // -s
  bool no_promiscuous = false;           // -p
  std::string direction = "inout";       // -Q in|out|inout
  std::uint32_t buffer_kib = 65536;      // -B KiB: the whole ring
  std::uint32_t block_kib = 4096;        // --block-size KiB
  std::uint32_t block_timeout_ms = 50;   // --block-timeout MS
  std::string mode = "ring";             // --mode ring|socket
};

struct LiveFlags {
  std::string interface;                 // -i IF or N ("" = the first interface -D lists)
  bool list_interfaces = false;          // -D
  std::vector<std::string> positionals;  // the filter expression
  std::string filter_file;               // -F FILE
  std::int64_t max_packets = -1;         // -c N
  double duration = 0;                   // --duration SECONDS (0: until stopped)
  std::string write_file;                // -w FILE
  int compress_level = 0;                // --compress[=LEVEL]
  bool print = false;                    // --print
  RingFlags ring;                        // -s -p -Q -B --block-size --block-timeout --mode
  std::string rotate_size;               // -C SIZE (tcpdump's units: millions of bytes, k/m/g)
  std::uint32_t rotate_seconds = 0;      // -G SECONDS
  std::uint32_t rotate_files = 0;        // -W N
  std::string user;                      // -Z USER
  int dump_filter = 0;                   // -d (1), -dd, -ddd: for the interface's link type
  bool list_link_types = false;          // -L
  std::string link_type;                 // -y TYPE
  bool list_timestamp_types = false;     // -J
  std::string timestamp_type;            // -j TYPE
  bool immediate = false;                // --immediate-mode
  std::string post_rotate_command;       // -z COMMAND
  std::int32_t fanout_group = -1;        // --fanout-group ID (-1: none; fanout: a new group)
  std::uint32_t sample = 0;              // --sample N (0: every packet)
  PrintFlags print_flags;
};

// fanout: live's flags, applied by every worker to its own socket, and the group's.
struct FanoutFlags {
  LiveFlags capture;
  std::uint32_t workers = 0;             // --workers N (0: the number of online CPUs)
  std::string cpus;                      // --cpus LIST
  std::string cluster = "hash";          // --cluster MODE
  bool defrag = false;                   // --defrag
  bool rollover = false;                 // --rollover
  bool ignore_outgoing = false;          // --ignore-outgoing
  std::uint32_t sample_flows = 0;        // --sample-flows N
  double stats_interval = 0;             // --stats SECONDS (0: packets, not counters)
  bool csv = false;                      // --csv (with --stats)
  std::string prom_file;                 // --prom FILE (with --stats)
  std::uint32_t reorder_window_ms = 0;   // --reorder-window MS (0: from --block-timeout)
  bool self_test = false;                // --self-test
};

// stats --capture keeps only the headers the protocol mix and the talkers read: Ethernet,
// two VLAN tags, IPv6 with room for extension headers, then the transport's ports.
inline constexpr std::uint32_t kStatsSnaplen = 128;

// stats' ring defaults (live's, scaled down to headers-only packets); a capture file summary
// refuses ring flags that differ from them.
RingFlags stats_ring_defaults();

struct StatsFlags {
  std::vector<std::string> positionals;  // FILE... [EXPRESSION], or live: the filter expression
  std::vector<std::string> interfaces;   // -i IF (repeatable; none: every up interface but lo)
  double interval = 1;                   // -I SECONDS (live rows)
  std::int64_t rows = -1;                // -c ROWS (live)
  double duration = 0;                   // --duration SECONDS (live; 0: until stopped)
  bool json = false;                     // --json
  bool csv = false;                      // --csv
  bool no_header = false;                // --no-header (CSV)
  std::string prom_file;                 // --prom FILE
  std::vector<std::string> capture;      // --capture [FILTER]: given at all = capture
  std::uint32_t top = 0;                 // --top N
  std::string filter_file;               // -F FILE
  double series = 0;                     // --series SECONDS (files)
  std::string svg_file;                  // --svg FILE (files, with --series)
  // --capture's ring, as live's, from a headers-only snapshot length (kStatsSnaplen).
  RingFlags ring = stats_ring_defaults();
};

struct Command {
  std::unique_ptr<CLI::App> app;
  // The option value CLI11 checked or converted last, already worded as slimcap's complaint
  // (`-c: invalid packet count 'abc'`): CLI11 checks and converts one option at a time, so when
  // a ValidationError or ConversionError ends the parse, this is the value it is about.
  std::string last_value_complaint;
  ReadFlags read;
  LiveFlags live;
  StatsFlags stats;
  FanoutFlags fanout;
  CLI::App* read_app = nullptr;
  CLI::App* live_app = nullptr;
  CLI::App* stats_app = nullptr;
  CLI::App* fanout_app = nullptr;
};

// Builds the whole command line definition (no parsing).
std::unique_ptr<Command> make_command();

// Parses argv (program name first) into cmd. Without a subcommand the arguments are tcpdump's:
// -r or -V make it `read`, anything else `live` (see implied_subcommand). Throws UsageError with
// slimcap's one-line message for every command line that does not parse; CLI::Success
// (--help, --version) goes through for CLI::App::exit.
void parse_command_line(Command& cmd, const std::vector<std::string>& args);

// The subcommand a tcpdump-style command line (no subcommand word) stands for: "read" when it
// reads files (-r FILE or -V FILE, also inside a cluster such as -nr), else "live". args
// excludes the program name.
std::string implied_subcommand(const Command& cmd, const std::vector<std::string>& args);

// How error messages name an option: its short name when it has one, as tcpdump users type it
// ("-y" for -y,--linktype), else its long name.
std::string flag_name(const CLI::Option& option);

// How error messages name the argument of a value option: "packet count" for -c.
std::string value_noun(const CLI::Option& option);

}  // namespace slimcap::cli
