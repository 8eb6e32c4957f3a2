#include "command_support.hpp"

#include <grp.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cctype>
#include <fstream>
#include <iostream>
#include <string_view>

#include <fmt/format.h>

#include "cli.hpp"
#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::cli {

bool path_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

std::size_t take_file_arguments(const std::vector<std::string>& args, bool first_is_file,
                                std::vector<std::string>& files) {
  std::size_t n = 0;
  while (n < args.size()) {
    const std::string& arg = args[n];
    const bool forced = n == 0 && first_is_file;
    if (!forced && arg != "-" && !path_exists(arg)) break;
    files.push_back(arg);
    ++n;
  }
  return n;
}

// A word that names a capture file rather than a filter primitive: a path, or a name ending in
// a capture file's extension. Host names and addresses ("www.example.com", "192.0.2.1") do not.
static bool looks_like_file_name(const std::string& word) {
  if (word.find('/') != std::string::npos) return true;
  std::string lower;
  for (char c : word) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const char* ext : {".pcap", ".pcapng", ".cap", ".ntar", ".dmp", ".erf", ".gz", ".zst",
                          ".zstd"}) {
    const std::string_view e(ext);
    if (lower.size() > e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0)
      return true;
  }
  return false;
}

// SKF_AD_OFF + SKF_AD_PKTTYPE: the load libpcap compiles inbound/outbound into on Linux.
static constexpr std::uint32_t kLoadPacketType = 0xfffff004;

// What tcpdump meets when it compiles its filter for a file's link type: libpcap refuses link
// types its compiler does not know ("unknown data link type 65535 (min 104, max 289)", also
// for an empty expression), and, reading a file, inbound/outbound on a link type whose headers
// carry no direction. Throws Error (the file's fault, exit 1) or FilterError (exit 2).
void check_link_type(Filter& any_packet, Filter& filter, const std::string& path,
                     std::uint32_t link_type) {
  try {
    any_packet.program(link_type);
  } catch (const FilterError& e) {
    throw Error(fmt::format("{}: {}", path, e.what()));
  }
  for (const BpfInstruction& i : filter.program(link_type)) {
    const bool absolute_load = (i.code & 0x07) == 0x00 && (i.code & 0xe0) == 0x20;
    if (absolute_load && i.k == kLoadPacketType)
      throw FilterError(fmt::format("inbound/outbound not supported on {} when reading savefiles",
                                    link_type_description(link_type)));
  }
}


void throw_if_missing_file(const std::string& expression) {
  const std::string first_word = expression.substr(0, expression.find(' '));
  if (looks_like_file_name(first_word) && !path_exists(first_word))
    throw SystemError(first_word, ENOENT);
}

std::string join_words(const std::vector<std::string>& words, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

std::string read_filter_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SystemError(path, errno);
  std::string text;
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    text += line;
    text += ' ';
  }
  return text;
}

std::vector<std::string> read_file_list(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) throw SystemError(path, errno);
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  if (names.empty()) throw UsageError("-V " + path + ": no capture file names in it");
  return names;
}

std::string filter_expression(const std::vector<std::string>& words, std::size_t from,
                              const std::string& filter_file) {
  std::string expression = join_words(words, from);
  if (filter_file.empty()) return expression;
  if (!expression.empty())
    throw UsageError("-F " + filter_file +
                     " and a filter expression on the command line cannot be combined");
  return read_filter_file(filter_file);
}

std::string link_type_text(std::uint32_t link_type) {
  const std::string_view name = link_type_name(link_type);
  if (name.empty()) return fmt::format("{}", link_type);
  return fmt::format("{} ({})", name, link_type_description(link_type));
}

void set_output_kind(WriterOptions& options, const std::string& path, int compress_flag) {
  std::string name = path;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto strip = [&](std::string_view suffix) {
    if (!name.ends_with(suffix) || name.size() == suffix.size()) return false;
    name.resize(name.size() - suffix.size());
    return true;
  };
  for (std::string_view other : {".gz", ".bz2", ".xz", ".lz4", ".zip", ".lzma"})
    if (name.ends_with(other))
      throw UsageError(fmt::format(
          "{}: slimcap cannot write {} files; name the file .zst (or plain .pcap, .pcapng)", path,
          other.substr(1)));
  const bool zst = strip(".zst");
  options.format = strip(".pcapng") ? FileFormat::pcapng : FileFormat::pcap;
  options.compression_level = compress_flag > 0 ? compress_flag : zst ? 3 : 0;
}

std::uint64_t parse_rotate_size(const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  std::uint64_t unit = 1000000;
  if (rest + 1 == end) {
    switch (*rest) {
      case 'k': case 'K': unit = 1024; break;
      case 'm': case 'M': unit = 1024 * 1024; break;
      case 'g': case 'G': unit = 1024 * 1024 * 1024; break;
      default: unit = 0; break;
    }
  } else if (rest != end) {
    unit = 0;
  }
  if (error != std::errc{} || unit == 0 || value == 0 || value > UINT64_MAX / unit)
    throw UsageError("-C " + text + ": not a size (a number of millions of bytes, or with a k, m "
                     "or g suffix)");
  return value * unit;
}

void drop_privileges(const std::string& user) {
  // Not root (running with capabilities only): nothing to give up, as tcpdump treats -Z.
  if (::geteuid() != 0 && ::getuid() != 0) return;
  errno = 0;
  const struct passwd* pw = ::getpwnam(user.c_str());
  if (pw == nullptr) {
    std::uint32_t uid = 0;
    const auto [rest, error] = std::from_chars(user.data(), user.data() + user.size(), uid);
    if (error == std::errc{} && rest == user.data() + user.size()) pw = ::getpwuid(uid);
  }
  if (pw == nullptr) throw Error("-Z " + user + ": no such user");
  // Groups first: once the uid is gone, the groups can no longer be changed.
  if (::initgroups(pw->pw_name, pw->pw_gid) != 0 || ::setgid(pw->pw_gid) != 0 ||
      ::setuid(pw->pw_uid) != 0)
    throw SystemError("-Z " + user + ": cannot drop privileges", errno);
}

CaptureOptions capture_options(const RingFlags& flags, const std::string& interface) {
  CaptureOptions o;
  o.interface = interface;
  o.snaplen = flags.snaplen;
  o.promiscuous = !flags.no_promiscuous;
  o.direction = flags.direction == "in"    ? CaptureDirection::in
                : flags.direction == "out" ? CaptureDirection::out
                                           : CaptureDirection::in_out;
  if ((flags.block_kib & (flags.block_kib - 1)) != 0)
    throw UsageError("--block-size must be a power of two (KiB)");
  o.ring.block_size = std::size_t{flags.block_kib} * 1024;
  const std::size_t ring = std::size_t{flags.buffer_kib} * 1024;
  // At least two blocks: a small -B makes the blocks smaller rather than the ring bigger.
  while (o.ring.block_size > 4096 && o.ring.block_size * 2 > ring) o.ring.block_size /= 2;
  o.ring.block_count = ring / o.ring.block_size < 2 ? 2 : ring / o.ring.block_size;
  o.ring.block_timeout = std::chrono::milliseconds(flags.block_timeout_ms);
  o.mode = flags.mode == "socket" ? CaptureMode::socket : CaptureMode::ring;
  return o;
}


std::unique_ptr<CaptureSocket> open_capture(const CaptureOptions& options, Filter& filter) {
  try {
    return std::make_unique<CaptureSocket>(options, filter);
  } catch (const SystemError& e) {
    if (e.error_number() == EPERM || e.error_number() == EACCES)
      throw Error(fmt::format("{} (needs root or CAP_NET_RAW)", e.what()));
    throw;
  }
}

// "0-3,8": the CPUs in that order; UsageError for anything else.
std::vector<int> parse_cpu_list(const std::string& text) {
  std::vector<int> cpus;
  const auto bad = [&] { return UsageError(fmt::format("--cpus: invalid CPU list '{}'", text)); };
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    const std::size_t dash = item.find('-');
    int first = 0;
    int last = 0;
    const auto number = [&](std::string_view s, int& out) {
      const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || error != std::errc{} || end != s.data() + s.size() || out < 0 ||
          out >= CPU_SETSIZE)
        throw bad();
    };
    if (dash == std::string::npos) {
      number(item, first);
      last = first;
    } else {
      number(std::string_view(item).substr(0, dash), first);
      number(std::string_view(item).substr(dash + 1), last);
      if (last < first) throw bad();
    }
    for (int c = first; c <= last; ++c) cpus.push_back(c);
    at = comma + 1;
  }
  return cpus;
}

// -w's name for worker `worker`: every %n becomes the worker's number; %% stays as it is,
// for strftime (-G) to read.
std::string worker_file_name(const std::string& pattern, std::size_t worker) {
  std::string name;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == 'n') {
        name += std::to_string(worker);
        ++i;
        continue;
      }
      if (pattern[i + 1] == '%') {
        name += "%%";
        ++i;
        continue;
      }
    }
    name += pattern[i];
  }
  return name;
}

bool names_worker(const std::string& pattern) { return worker_file_name(pattern, 0) != pattern; }

FanoutSpec fanout_spec(const FanoutFlags& flags) {
  FanoutSpec spec;
  spec.mode = *fanout_mode_from_name(flags.cluster);
  spec.defrag = flags.defrag;
  spec.rollover = flags.rollover;
  spec.ignore_outgoing = flags.ignore_outgoing;
  if (flags.capture.fanout_group >= 0)
    spec.group = static_cast<std::uint16_t>(flags.capture.fanout_group);
  return spec;
}

// The terminal's height, for repeating the table's header every screen; 0 when not a terminal.
int screen_rows() {
  if (!::isatty(STDOUT_FILENO)) return 0;
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row < 3) return 24;
  return size.ws_row;
}

}  // namespace slimcap::cli
