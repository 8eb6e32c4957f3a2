#pragma once
// Helpers that more than one subcommand uses: filter expressions from the command line or a
// file, link-type text for banners, and the -w writer's options.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/pcap_writer.hpp"

namespace slimcap::cli {

bool path_exists(const std::string& path);

// Positional arguments as `read` and `stats` split them: capture files first, then the filter
// expression. The first argument is a file when `first_is_file`; later ones are files while
// they name something that exists (or are "-"). Appends the files; returns the index of the
// first expression word.
std::size_t take_file_arguments(const std::vector<std::string>& args, bool first_is_file,
                                std::vector<std::string>& files);

// `slimcap read a.pcap typo.pcap`: when the expression that failed to compile starts with a
// word that looks like a file name (a path, a capture extension) and names nothing, the
// missing file is the error (SystemError ENOENT), not libpcap's syntax complaint.
void throw_if_missing_file(const std::string& expression);

// What tcpdump meets when it compiles its filter for a file's link type: libpcap refuses link
// types its compiler does not know ("unknown data link type 65535 (min 104, max 289)", also
// for an empty expression), and, reading a file, inbound/outbound on a link type whose headers
// carry no direction. Throws Error (the file's fault, exit 1) or FilterError (exit 2).
void check_link_type(Filter& any_packet, Filter& filter, const std::string& path,
                     std::uint32_t link_type);

// words[from..] joined with single spaces, as tcpdump joins its trailing arguments.
std::string join_words(const std::vector<std::string>& words, std::size_t from = 0);

// tcpdump -F: the whole file is the expression; '#' starts a comment that runs to the end of
// the line.
std::string read_filter_file(const std::string& path);

// tcpdump -V: the capture file names in FILE ('-': standard input), one per line; blank lines
// are skipped. Throws SystemError when FILE cannot be read, UsageError when it names no file.
std::vector<std::string> read_file_list(const std::string& path);

// The expression from the trailing words, or from -F FILE; both at once is a usage error.
std::string filter_expression(const std::vector<std::string>& words, std::size_t from,
                              const std::string& filter_file);

// "EN10MB (Ethernet)", as tcpdump's banners print a link type.
std::string link_type_text(std::uint32_t link_type);

// -C SIZE as tcpdump reads it: a plain number counts millions of bytes; a k, m or g suffix
// (either case) counts KiB, MiB or GiB. Throws UsageError for anything else, or 0.
std::uint64_t parse_rotate_size(const std::string& text);

// -Z USER: initgroups, setgid and setuid to USER (name or numeric uid). Throws Error. Without
// root it does nothing, as tcpdump: a user running with capabilities has no root to give up.
void drop_privileges(const std::string& user);

// What -w PATH asks for, into `options`: its name, read case-insensitively, picks the format
// (".pcapng", also before ".zst", writes pcapng; anything else pcap) and compression (".zst",
// or --compress[=LEVEL] whatever the name: zstd at LEVEL, 3 by default). A name that asks for
// what slimcap cannot write (.gz, .bz2, .xz, .lz4, .zip) is a UsageError, never a silent plain
// pcap.
void set_output_kind(WriterOptions& options, const std::string& path, int compress_flag);

// The capture socket's options from -s -p -Q -B --block-size --block-timeout --mode.
// Throws UsageError for a block size that is not a power of two.
CaptureOptions capture_options(const RingFlags& flags, const std::string& interface);

// Opens the capture; without the privilege, the error says what is needed
// ("eth0: cannot open packet socket: Operation not permitted (needs root or CAP_NET_RAW)").
std::unique_ptr<CaptureSocket> open_capture(const CaptureOptions& options, Filter& filter);

// fanout's --cpus LIST ("0-3,8": those CPUs in that order; UsageError otherwise), and -w's
// name for one worker: every %n becomes its number (%% is left for strftime).
std::vector<int> parse_cpu_list(const std::string& text);
std::string worker_file_name(const std::string& pattern, std::size_t worker);
bool names_worker(const std::string& pattern);

// fanout's group from its flags: --cluster, --defrag, --rollover, --ignore-outgoing,
// --fanout-group (shared by the capture and --self-test).
FanoutSpec fanout_spec(const FanoutFlags& flags);

// The terminal's height, for repeating a table's header every screen; 0 when not a terminal.
int screen_rows();

}  // namespace slimcap::cli
