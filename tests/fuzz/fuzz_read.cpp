// libFuzzer target: any bytes as a capture file, read by PcapReader, every packet printed with
// several option sets, written as JSON, run through a filter, and written by PcapWriter as
// plain pcap and as .zst; then the same bytes are read again through a pipe that stalls. A
// slimcap::Error is the expected answer to a damaged file; anything else (a crash, a sanitizer
// report, another exception, a hang, a broken invariant below) is a bug.
//
// The input goes through a memfd opened by path (/proc/self/fd/N), so the reader takes the same
// path as for a real file: open, fstat, read in chunks, zstd/gzip detection by magic. The
// written files are memfds too.
//
// Invariants checked (abort on failure):
// - every packet written reads back from the plain and the .zst file, the same bytes;
// - read through a pipe whose writer pauses half-way and then stays open without writing, the
//   reader delivers the same packets as from the file, and a stop request (the CLI's Ctrl-C)
//   ends the wait at the end promptly.

#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <thread>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/json.hpp"
#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/pcap_writer.hpp"
#include "slimcap/print.hpp"

namespace {

constexpr std::size_t kOptionSets = 6;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_read: %s\n", what);
  std::abort();
}

int new_memfd(const char* name) {
  const int f = memfd_create(name, MFD_CLOEXEC);
  if (f < 0) {
    std::perror("memfd_create");
    std::abort();
  }
  return f;
}

// One memfd for the whole run, rewritten for every input.
int input_fd() {
  static const int fd = new_memfd("fuzz_read");
  return fd;
}

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// FNV-1a over the packets' bytes and lengths: two reads agree when their digests do.
struct Digest {
  std::uint64_t hash = 1469598103934665603ULL;
  std::uint64_t packets = 0;
  void add(const slimcap::PacketView& p) {
    for (std::uint8_t b : p.data) hash = (hash ^ b) * 1099511628211ULL;
    hash = (hash ^ p.caplen()) * 1099511628211ULL;
    hash = (hash ^ p.wire_length) * 1099511628211ULL;
    ++packets;
  }
  bool operator==(const Digest&) const = default;
};

// Reads a whole file into a digest; the error message (without the path) if it ends in one.
Digest read_digest(const std::string& path, std::string* error,
                   const std::atomic<bool>* stop = nullptr) {
  Digest d;
  try {
    slimcap::PcapReader reader(path, stop);
    slimcap::PacketView packet;
    while (reader.next(packet)) d.add(packet);
  } catch (const slimcap::Error& e) {
    if (error) *error = std::string(e.what()).substr(path.size());
  }
  return d;
}

// The writer: every packet of the input's first link type, as pcap, as zstd and as pcapng,
// into memfds, read back.
void write_and_read_back(const std::string& input) {
  static const int plain_fd = new_memfd("fuzz_write");
  static const int zstd_fd = new_memfd("fuzz_write_zst");
  static const int pcapng_fd = new_memfd("fuzz_write_pcapng");
  Digest written;
  std::uint32_t link_type = 0;
  for (const int fd : {plain_fd, zstd_fd, pcapng_fd}) {
    written = {};
    try {
      slimcap::PcapReader reader(input);
      link_type = reader.link_type();
      slimcap::WriterOptions options;
      options.link_type = link_type;
      // The largest snaplen, so that no record of another interface is cut on reading back.
      options.snaplen = slimcap::max_snaplen_for(link_type);
      options.precision = fd == zstd_fd ? slimcap::TimePrecision::nano : slimcap::TimePrecision::micro;
      options.compression_level = fd == zstd_fd ? 1 : 0;
      if (fd == pcapng_fd) options.format = slimcap::FileFormat::pcapng;
      options.batch_size = 4096;  // several batches (and flushes) for larger inputs
      slimcap::PcapWriter writer(fd_path(fd), options);
      slimcap::PacketView packet;
      try {
        while (reader.next(packet)) {
          if (packet.link_type != link_type) continue;  // the CLI refuses those
          writer.write(packet);
          written.add(packet);
          if (written.packets % 7 == 0) writer.flush();  // -U's path
        }
      } catch (const slimcap::Error&) {
        // Damaged input: what was written before stays a valid file.
      }
      writer.close();
    } catch (const slimcap::Error&) {
      continue;  // not a capture: nothing written
    }
    std::string error;
    const Digest back = read_digest(fd_path(fd), &error);
    if (!error.empty() || !(back == written)) {
      std::fprintf(stderr, "wrote %llu packets, read back %llu (%s)\n",
                   static_cast<unsigned long long>(written.packets),
                   static_cast<unsigned long long>(back.packets), error.c_str());
      broken(fd == zstd_fd     ? "the .zst file does not read back"
             : fd == pcapng_fd ? "the pcapng file does not read back"
                               : "the pcap file does not read back");
    }
  }
}

extern "C" void on_wake(int) {}

// Reads `data` through a pipe: the first part, a pause until the reader has taken it all, the
// rest, then the writer stays open and idle until the reader has drained the pipe, when a stop
// request (with a signal to interrupt its poll, as Ctrl-C does) must end the read.
Digest read_through_stalling_pipe(const std::uint8_t* data, std::size_t size, std::string* error) {
  static const bool handler = [] {
    struct sigaction a {};
    a.sa_handler = on_wake;  // no SA_RESTART: a blocked poll() returns EINTR
    sigemptyset(&a.sa_mask);
    sigaction(SIGUSR2, &a, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // the feeder sees EPIPE when the reader gave up
    return true;
  }();
  (void)handler;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) broken("pipe2");
  std::atomic<bool> stop{false};
  std::atomic<bool> done{false};
  const pthread_t reader_thread = pthread_self();
  auto drained = [&] {
    int pending = 0;
    return ioctl(fds[0], FIONREAD, &pending) == 0 && pending == 0;
  };
  std::thread feeder([&] {
    const std::size_t first = size == 0 ? 0 : (data[0] * 131u + size / 3) % (size + 1);
    for (const auto& [from, to] : {std::pair{std::size_t{0}, first}, std::pair{first, size}}) {
      std::size_t at = from;
      while (at < to && !done.load()) {
        const ssize_t n = write(fds[1], data + at, to - at);
        if (n <= 0) break;  // the reader gave up (EPIPE): it stopped on a damaged input
        at += static_cast<std::size_t>(n);
      }
      while (!drained() && !done.load()) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    stop.store(true);
    const auto stopped_at = std::chrono::steady_clock::now();
    while (!done.load()) {  // until the reader returns: a signal may land before its poll()
      pthread_kill(reader_thread, SIGUSR2);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (std::chrono::steady_clock::now() - stopped_at > std::chrono::seconds(5))
        broken("a stop request did not end a read from a stalled pipe within 5 s");
    }
  });
  Digest d = read_digest(fd_path(fds[0]), error, &stop);
  done.store(true);
  close(fds[0]);  // before the join: a feeder blocked in write() gets EPIPE
  feeder.join();
  close(fds[1]);
  return d;
}

void store_input(const std::uint8_t* data, std::size_t size) {
  const int fd = input_fd();
  if (ftruncate(fd, 0) != 0) std::abort();
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
}

// The printer option sets: default, the CLI test's flags, and the combinations that reach the
// most code (link header, verbose, every dump style, every timestamp style).
std::array<slimcap::PrintOptions, kOptionSets> print_option_sets() {
  using slimcap::DumpStyle;
  using slimcap::TimestampStyle;
  std::array<slimcap::PrintOptions, kOptionSets> sets{};
  sets[1].link_header = true;  // -e -v -X
  sets[1].verbose = 1;
  sets[1].dump = DumpStyle::hex_ascii;
  sets[2].verbose = 2;  // -vv -XX -tttt --nano
  sets[2].dump = DumpStyle::hex_ascii;
  sets[2].dump_link_header = true;
  sets[2].timestamp_style = TimestampStyle::date_time;
  sets[2].nano = true;
  sets[3].quiet = true;  // -q -A -ttt -#
  sets[3].dump = DumpStyle::ascii;
  sets[3].timestamp_style = TimestampStyle::delta_previous;
  sets[3].number = true;
  sets[4].dump = DumpStyle::hex;  // -xx -ttttt, UTC
  sets[4].dump_link_header = true;
  sets[4].timestamp_style = TimestampStyle::delta_first;
  sets[4].utc = true;
  sets[5].link_header = true;  // -e -q -tt
  sets[5].quiet = true;
  sets[5].timestamp_style = TimestampStyle::epoch;
  return sets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  store_input(data, size);
  const std::string path = "/proc/self/fd/" + std::to_string(input_fd());

  // Compiled once per link type for the whole run (libpcap's compiler is slow and not
  // what is being fuzzed here); matches() runs the program on every packet.
  static slimcap::Filter filter("tcp port 80 or (vlan and udp) or icmp6 or greater 1000");
  static slimcap::OutputBuffer out(1 << 20);
  static const auto option_sets = print_option_sets();

  std::array<std::unique_ptr<slimcap::Printer>, kOptionSets> printers;
  for (std::size_t i = 0; i < kOptionSets; ++i)
    printers[i] = std::make_unique<slimcap::Printer>(option_sets[i]);

  try {
    slimcap::PcapReader reader(path);
    // The accessors must be meaningful right after opening.
    volatile std::uint32_t sink = reader.link_type() + reader.snaplen() +
                                  static_cast<std::uint32_t>(reader.format()) +
                                  static_cast<std::uint32_t>(reader.compression()) +
                                  static_cast<std::uint32_t>(reader.precision());
    (void)sink;
    slimcap::PacketView packet;
    while (reader.next(packet)) {
      for (auto& printer : printers) printer->print(packet, out);
      slimcap::append_json(out, packet);
      try {
        volatile bool matched = filter.matches(packet);
        (void)matched;
      } catch (const slimcap::FilterError&) {
        // libpcap cannot compile for some link types; the CLI reports that once.
      }
      out.clear();
    }
  } catch (const slimcap::Error&) {
    // A damaged capture: the expected outcome for most inputs.
  }
  out.clear();

  write_and_read_back(path);

  // The same bytes through a stalling pipe deliver the same packets. Where the file ends in
  // damage other than a cut, where exactly a decompressor stops may depend on how its input
  // was chunked, so only a clean or cut file is compared.
  std::string file_error;
  const Digest from_file = read_digest(path, &file_error);
  std::string pipe_error;
  const Digest from_pipe = read_through_stalling_pipe(data, size, &pipe_error);
  const bool comparable = file_error.empty() || file_error.find("truncated") != std::string::npos;
  if (comparable && !(from_pipe == from_file)) {
    std::fprintf(stderr, "file: %llu packets (%s); pipe: %llu packets (%s)\n",
                 static_cast<unsigned long long>(from_file.packets), file_error.c_str(),
                 static_cast<unsigned long long>(from_pipe.packets), pipe_error.c_str());
    broken("reading through a pipe differs from reading the file");
  }
  return 0;
}
