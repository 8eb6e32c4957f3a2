#include "slimcap/rotation.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <utility>

#include <fmt/format.h>

#include "slimcap/error.hpp"

namespace slimcap {
namespace {

constexpr std::uint64_t kRecordHeaderSize = 16;  // a pcap record's header, before its data
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Seconds east of UTC at `t`, in the local time zone (TZ).
std::int64_t utc_offset(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm local{};
  if (::localtime_r(&tt, &local) == nullptr) return 0;
  return local.tm_gmtoff;
}

bool has_conversion(const std::string& pattern) {
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (pattern[i + 1] != '%') return true;
    ++i;  // "%%" is a literal percent sign
  }
  return false;
}

std::string format_time(const std::string& pattern, std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm local{};
  ::localtime_r(&tt, &local);
  std::string out(pattern.size() + 256, '\0');
  for (;;) {
    const std::size_t n = std::strftime(out.data(), out.size(), pattern.c_str(), &local);
    if (n > 0 || out.size() > 65536) {
      out.resize(n);
      return out;
    }
    out.resize(out.size() * 4);  // 0 means "did not fit" (or an empty result)
  }
}

std::string counter_text(std::uint64_t counter, std::uint32_t max_files) {
  const std::size_t width = max_files > 0 ? fmt::formatted_size("{}", max_files - 1) : 0;
  return fmt::format("{:0{}}", counter, width > 4 ? width : 4);
}

// `name` with "-NNNN" before its extension.
std::string with_counter(const std::string& name, std::uint64_t counter, std::uint32_t max_files) {
  const std::size_t ext = extension_start(name);
  std::string out(name, 0, ext);
  out += '-';
  out += counter_text(counter, max_files);
  out.append(name, ext);
  return out;
}

}  // namespace

std::size_t extension_start(std::string_view name) noexcept {
  const std::size_t slash = name.rfind('/');
  const std::size_t base = slash == std::string_view::npos ? 0 : slash + 1;
  const std::size_t pcap = name.rfind(".pcap");
  if (pcap != std::string_view::npos && pcap > base) return pcap;
  constexpr std::string_view kZst = ".zst";
  if (name.size() > base + kZst.size() && name.ends_with(kZst)) return name.size() - kZst.size();
  return name.size();
}

std::int64_t period_start(std::int64_t t, std::uint32_t seconds) {
  if (seconds == 0) return t;
  // Align in local time, so -G 86400 turns at local midnight. The offset that counts is the
  // one at the period's start: after a DST change earlier in the period, the offset at `t`
  // puts the start an hour off, and the start's own offset puts it right.
  const auto aligned = [&](std::int64_t offset) {
    return floor_div(t + offset, seconds) * seconds - offset;
  };
  const std::int64_t offset = utc_offset(t);
  const std::int64_t start = aligned(offset);
  const std::int64_t start_offset = utc_offset(start);
  if (start_offset != offset) {
    const std::int64_t other = aligned(start_offset);
    if (other <= t && utc_offset(other) == start_offset) return other;
  }
  return start;
}

std::int64_t period_end(std::int64_t begin, std::uint32_t seconds) {
  // In local time a period is not always `seconds` long: the day a DST change happens lasts
  // 23 or 25 hours. The end is the first boundary after `begin` among the candidates.
  const std::int64_t naive = begin + seconds;
  for (const std::int64_t end : {naive - 3600, naive, naive + 3600}) {
    if (end > begin && period_start(end, seconds) == end) return end;
  }
  return naive;
}

std::string rotated_name(const std::string& pattern, const RotationOptions& rotation,
                         std::int64_t period_begin, bool with_counter_suffix,
                         std::uint64_t counter) {
  std::string name = rotation.seconds > 0 ? format_time(pattern, period_begin) : pattern;
  return with_counter_suffix ? with_counter(name, counter, rotation.max_files) : name;
}

RotatingWriter::RotatingWriter(std::string pattern, const WriterOptions& options,
                               const RotationOptions& rotation, std::int64_t now_ns)
    : pattern_(std::move(pattern)), options_(options), rotation_(rotation) {
  with_counter_ = rotation_.max_bytes > 0 || (rotation_.seconds > 0 && !has_conversion(pattern_));
  open_next(now_ns);
}

RotatingWriter::~RotatingWriter() = default;

void RotatingWriter::close_current(bool rotated) {
  writer_->close();
  writer_.reset();
  if (rotated && !rotation_.post_rotate_command.empty()) run_post_rotate_command(current_path_);
}

void RotatingWriter::run_post_rotate_command(const std::string& path) {
  // Reap the commands of earlier files that have finished; never wait for one.
  std::erase_if(commands_, [](int pid) { return ::waitpid(pid, nullptr, WNOHANG) != 0; });
  const std::string& command = rotation_.post_rotate_command;
  char* const argv[] = {const_cast<char*>(command.c_str()), const_cast<char*>(path.c_str()),
                        nullptr};
  const pid_t pid = ::fork();
  if (pid < 0) throw SystemError("-z " + command + ": cannot start a process", errno);
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec (the parent has threads). The
    // command starts as from a shell: SIGPIPE back to its default (slimcap ignores it, and an
    // ignored signal stays ignored across exec), no signal blocked.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &default_action, nullptr);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::setpriority(PRIO_PROCESS, 0, 19);
    ::execvp(argv[0], argv);
    const int error = errno;
    const char* parts[] = {"slimcap: -z ", argv[0], ": ", std::strerror(error), "\n"};
    for (const char* part : parts)
      if (::write(STDERR_FILENO, part, std::strlen(part)) < 0) break;
    ::_exit(127);
  }
  commands_.push_back(pid);
}

void RotatingWriter::open_next(std::int64_t timestamp_ns) {
  if (writer_) close_current(true);
  std::int64_t begin = 0;
  if (rotation_.seconds > 0) {
    // Never back to an earlier period: a packet the kernel hands over late, after idle()
    // closed its period's file, goes into the current period.
    begin = std::max(period_start(floor_div(timestamp_ns, kNanosPerSecond), rotation_.seconds),
                     period_begin_);
    period_begin_ = begin;
    period_end_ns_ = period_end(begin, rotation_.seconds) * kNanosPerSecond;
  }
  const std::string base = rotation_.seconds > 0 ? format_time(pattern_, begin) : pattern_;
  // A name this run already made (a conversion coarser than -G, the hour a DST change repeats,
  // a late packet) takes the next counter instead of overwriting the earlier file.
  auto [next, first_use] = next_counter_.try_emplace(base, 0);
  const std::string path = with_counter_ || !first_use
                               ? with_counter(base, next->second, rotation_.max_files)
                               : base;
  ++next->second;
  if (rotation_.max_files > 0 && with_counter_) next->second %= rotation_.max_files;

  // -W: the oldest file goes before the new one is made (unless it is the same name, which
  // opening truncates anyway).
  std::erase(files_, path);
  while (rotation_.max_files > 0 && files_.size() >= rotation_.max_files) {
    if (::unlink(files_.front().c_str()) != 0 && errno != ENOENT)
      throw SystemError(files_.front() + ": cannot remove the oldest file (-W)", errno);
    files_.pop_front();
  }
  writer_ = std::make_unique<PcapWriter>(path, options_);
  current_path_ = path;
  if (rotation_.enabled()) files_.push_back(path);
  ++opened_;
}

void RotatingWriter::write(const PacketView& packet) {
  const bool size_full =
      rotation_.max_bytes > 0 && writer_ && writer_->packets_written() > 0 &&
      writer_->bytes() + kRecordHeaderSize + packet.caplen() > rotation_.max_bytes;
  const bool period_over = rotation_.seconds > 0 && packet.timestamp_ns >= period_end_ns_;
  if (!writer_ || size_full || period_over) open_next(packet.timestamp_ns);
  writer_->write(packet);
  ++packets_;
}

void RotatingWriter::flush() {
  if (writer_) writer_->flush();
}

void RotatingWriter::idle(std::int64_t now_ns) {
  if (writer_ && rotation_.seconds > 0 && now_ns >= period_end_ns_) close_current(true);
}

void RotatingWriter::close() {
  if (writer_) writer_->close();
}

std::uint64_t RotatingWriter::packets_written() const noexcept { return packets_; }

std::uint64_t RotatingWriter::files_opened() const noexcept { return opened_; }

}  // namespace slimcap
