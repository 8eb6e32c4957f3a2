// The pcap writer: round trips through the reader (µs, ns, zstd, standard output, pipes),
// batching through the writer thread, errors raised on that thread, and a file that stays valid
// when the disk fills up.

#include <doctest/doctest.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/pcap_writer.hpp"

#include <zstd.h>

using namespace slimcap;
using namespace slimcap::test;

namespace {

std::vector<Record> records(int n, std::size_t payload = 100) {
  std::vector<Record> out;
  for (int i = 0; i < n; ++i) {
    Ipv4Spec ip;
    ip.id = static_cast<std::uint16_t>(i);
    out.push_back({udp4_frame(ip, static_cast<std::uint16_t>(1000 + i), 5001, payload + i % 7),
                   1700000000000000000 + i * 1234567LL, 0});
  }
  return out;
}

// Random payloads after the headers, so that zstd cannot shrink them below a size limit.
void make_incompressible(std::vector<Record>& input) {
  std::uint32_t seed = 12345;
  for (auto& r : input)
    for (std::size_t i = 42; i < r.data.size(); ++i) {
      seed = seed * 1103515245u + 12345u;
      r.data[i] = static_cast<std::uint8_t>(seed >> 24);
    }
}

PacketView view(const Record& r, std::uint32_t link_type = 1) {
  PacketView p;
  p.data = r.data;
  p.timestamp_ns = r.timestamp_ns;
  p.wire_length = r.wire_length ? r.wire_length : static_cast<std::uint32_t>(r.data.size());
  p.link_type = link_type;
  return p;
}

// What writing a series of records ended with: the error (0 if none), its text, and how
// many records write() took before it.
struct WriteOutcome {
  int error = 0;
  std::string message;
  std::uint64_t accepted = 0;
};

// Opens `path`, writes every record and closes; stops at the first SystemError.
WriteOutcome write_until_error(const std::string& path, const WriterOptions& o,
                               const std::vector<Record>& input) {
  WriteOutcome out;
  try {
    PcapWriter w(path, o);
    for (const auto& r : input) {
      w.write(view(r));
      ++out.accepted;
    }
    w.close();
  } catch (const SystemError& e) {
    out.error = e.error_number();
    out.message = e.what();
  }
  return out;
}

// Reads back every packet; `error` gets the reader's final error, if any.
std::vector<std::pair<Bytes, std::int64_t>> read_back(const std::string& path,
                                                      std::string* error = nullptr) {
  std::vector<std::pair<Bytes, std::int64_t>> out;
  try {
    PcapReader reader(path);
    PacketView p;
    while (reader.next(p)) out.emplace_back(Bytes(p.data.begin(), p.data.end()), p.timestamp_ns);
  } catch (const Error& e) {
    if (error) *error = e.what();
  }
  return out;
}

// Checks that `got` holds exactly `input`, at µs precision.
void check_same_packets(const std::vector<std::pair<Bytes, std::int64_t>>& got,
                        const std::vector<Record>& input) {
  REQUIRE(got.size() == input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    CHECK(got[i].first == input[i].data);
    CHECK(got[i].second == input[i].timestamp_ns / 1000 * 1000);
  }
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The number of zstd frames in `data`, or -1 when it does not end on a frame's end.
int zstd_frames(const std::string& data) {
  int frames = 0;
  for (std::size_t at = 0; at < data.size(); ++frames) {
    const std::size_t n = ZSTD_findFrameCompressedSize(data.data() + at, data.size() - at);
    if (ZSTD_isError(n)) return -1;
    at += n;
  }
  return frames;
}

// A path that opens the write end of the pipe `fd` again (while it still has a reader).
std::string pipe_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// The signal mask of thread `tid` of this process, from the SigBlk line of its status.
std::uint64_t blocked_signals(const std::string& tid) {
  std::ifstream status("/proc/self/task/" + tid + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("SigBlk:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  return 0;
}

std::vector<std::string> other_threads() {
  std::vector<std::string> out;
  DIR* dir = ::opendir("/proc/self/task");
  if (!dir) return out;
  while (const dirent* e = ::readdir(dir)) {
    const std::string name = e->d_name;
    if (name != "." && name != ".." && name != std::to_string(::getpid())) out.push_back(name);
  }
  ::closedir(dir);
  return out;
}

constexpr std::uint64_t signal_bit(int signal) { return std::uint64_t{1} << (signal - 1); }

}  // namespace

TEST_SUITE("pcap_writer") {
  TEST_CASE("round-trips packets through µs, ns and zstd files") {
    const auto input = records(3000);  // several batches of the default 1 MiB
    struct Case {
      TimePrecision precision;
      int level;
    };
    for (const Case c : {Case{TimePrecision::micro, 0}, Case{TimePrecision::nano, 0},
                         Case{TimePrecision::micro, 3}, Case{TimePrecision::nano, 19}}) {
      CAPTURE(c.level);
      TempPath tmp;
      WriterOptions o;
      o.precision = c.precision;
      o.compression_level = c.level;
      o.batch_size = 64 * 1024;
      {
        PcapWriter w(tmp.path, o);
        for (const auto& r : input) w.write(view(r));
        CHECK(w.packets_written() == input.size());
        w.close();
      }
      PcapReader reader(tmp.path);
      CHECK(reader.precision() == c.precision);
      CHECK(reader.compression() == (c.level ? Compression::zstd : Compression::none));
      const auto got = read_back(tmp.path);
      REQUIRE(got.size() == input.size());
      for (std::size_t i = 0; i < input.size(); ++i) {
        CHECK(got[i].first == input[i].data);
        const std::int64_t want = c.precision == TimePrecision::nano
                                      ? input[i].timestamp_ns
                                      : input[i].timestamp_ns / 1000 * 1000;
        CHECK(got[i].second == want);
      }
    }
  }

  TEST_CASE("writes a header tcpdump understands: magic, version, snaplen, link type") {
    TempPath tmp;
    WriterOptions o;
    o.link_type = 276;
    o.snaplen = 1500;
    { PcapWriter w(tmp.path, o); }
    const Bytes b = read_file(tmp.path);
    REQUIRE(b.size() == 24);
    CHECK(b[0] == 0xd4);
    CHECK(b[3] == 0xa1);
    CHECK(b[4] == 2);
    CHECK(b[6] == 4);
    CHECK((b[16] | b[17] << 8) == 1500);
    CHECK((b[20] | b[21] << 8) == 276);
    PcapReader reader(tmp.path);
    CHECK(reader.link_type() == 276);
    CHECK(reader.snaplen() == 1500);
  }

  TEST_CASE("keeps records in memory until a batch is full, then writes them in one go") {
    TempPath tmp;
    WriterOptions o;
    o.batch_size = 1 << 20;
    PcapWriter w(tmp.path, o);
    const auto input = records(10);
    for (const auto& r : input) w.write(view(r));
    struct stat st{};
    ::stat(tmp.path.c_str(), &st);
    CHECK(st.st_size == 0);
    w.flush();
    ::stat(tmp.path.c_str(), &st);
    CHECK(st.st_size > 24);
    CHECK(read_back(tmp.path).size() == 10);
  }

  TEST_CASE("writes to standard output when the path is '-'") {
    TempPath tmp;
    const int saved = ::dup(STDOUT_FILENO);
    const int fd = ::open(tmp.path.c_str(), O_WRONLY | O_TRUNC);
    ::dup2(fd, STDOUT_FILENO);
    ::close(fd);
    {
      PcapWriter w("-", {});
      for (const auto& r : records(5)) w.write(view(r));
      w.close();
    }
    ::dup2(saved, STDOUT_FILENO);
    ::close(saved);
    CHECK(read_back(tmp.path).size() == 5);
  }

  TEST_CASE("reports an unwritable path as the system says it") {
    CHECK_THROWS_WITH_AS(PcapWriter("/nonexistent/dir/x.pcap", {}),
                         "/nonexistent/dir/x.pcap: No such file or directory", SystemError);
  }

  TEST_CASE("leaves a valid file of whole packets when the disk fills up") {
    if (::geteuid() != 0) {
      MESSAGE("skipped: mounting a small tmpfs needs root");
      return;
    }
    char dir_template[] = "/tmp/slimcap-full-XXXXXX";
    const char* dir = ::mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    if (::mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0) {
      MESSAGE("skipped: cannot mount a tmpfs here");
      ::rmdir(dir);
      return;
    }
    for (int level : {0, 1}) {
      CAPTURE(level);
      const std::string path = std::string(dir) + (level ? "/out.pcap.zst" : "/out.pcap");
      auto input = records(2000, 300);
      make_incompressible(input);  // so that zstd fills the disk too
      WriterOptions o;
      o.compression_level = level;
      o.batch_size = 16 * 1024;
      const WriteOutcome result = write_until_error(path, o, input);
      const std::uint64_t handed = result.accepted;
      CHECK(result.error == ENOSPC);
      CHECK(result.message == path + ": No space left on device");
      std::string read_error;
      const auto got = read_back(path, &read_error);
      CHECK(read_error == "");
      CHECK(got.size() > 0);
      CHECK(got.size() < handed);
      if (level) CHECK(zstd_frames(file_bytes(path)) == 1);  // cut back, then ended
      for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].first == input[i].data);
      ::unlink(path.c_str());
    }
    ::umount(dir);
    ::rmdir(dir);
  }

  TEST_CASE("round-trips many batches through the writer thread's queue, plain and zstd") {
    const auto input = records(3000);
    std::uint64_t plain_bytes = 0;
    for (int level : {0, 1}) {
      CAPTURE(level);
      TempPath tmp;
      WriterOptions o;
      o.compression_level = level;
      o.batch_size = 4096;  // about 120 batches: the ring of buffers goes round many times
      PcapWriter w(tmp.path, o);
      CHECK(w.bytes() == 24);
      for (const auto& r : input) w.write(view(r));
      w.close();
      check_same_packets(read_back(tmp.path), input);
      if (level == 0) {
        plain_bytes = w.bytes();
        struct stat st{};
        REQUIRE(::stat(tmp.path.c_str(), &st) == 0);
        CHECK(static_cast<std::uint64_t>(st.st_size) == w.bytes());
      } else {
        CHECK(w.bytes() == plain_bytes);  // counted before compression
      }
    }
  }

  TEST_CASE("a stop while compression is slow still writes every packet and ends the frame") {
    // Level 19 takes over a second per 1 MiB batch here: slow, but no stall, so a stop
    // (Ctrl-C) waits for it rather than abandoning a regular file.
    TempPath tmp(".pcap.zst");
    auto input = records(2070, 1450);
    std::uint32_t seed = 1;
    for (auto& r : input)  // 16 letters at random: slow to compress at level 19
      for (std::size_t i = 42; i < r.data.size(); ++i) {
        seed = seed * 1103515245u + 12345u;
        r.data[i] = static_cast<std::uint8_t>('a' + (seed >> 24) % 16);
      }
    std::atomic<bool> stop{false};
    WriterOptions o;
    o.compression_level = 19;
    o.batch_size = 4 << 20;  // one batch: about 2 s of compression, more than the stall limit
    o.stop = &stop;
    {
      PcapWriter w(tmp.path, o);
      for (const auto& r : input) w.write(view(r));
      stop = true;
      w.close();
      CHECK(w.packets_written() == input.size());
    }
    std::string error;
    check_same_packets(read_back(tmp.path, &error), input);
    CHECK(error == "");
    CHECK(zstd_frames(file_bytes(tmp.path)) == 1);
  }

  TEST_CASE("a stop while the output does not drain ends promptly and touches no batch in flight") {
    // A pipe nobody reads: the writer thread blocks in write(). With the stop set, write()
    // stops taking packets once that has lasted a second, and close() interrupts it. Under
    // ASan this also shows that no batch the writer thread holds is reallocated.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::atomic<bool> stop{true};
    WriterOptions o;
    o.stop = &stop;
    const auto start = std::chrono::steady_clock::now();
    {
      PcapWriter w(pipe_path(fds[1]), o);
      const auto input = records(5000, 1400);  // about 7 MB: more than every batch
      for (const auto& r : input) w.write(view(r));
      CHECK(w.packets_written() < input.size());
      w.close();
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    ::close(fds[0]);
    ::close(fds[1]);
  }

  TEST_CASE("writes pcapng: an interface block per link type and interface, named, ns times") {
    for (int level : {0, 3}) {
      CAPTURE(level);
      TempPath tmp(level ? ".pcapng.zst" : ".pcapng");
      const auto input = records(40);
      WriterOptions o;
      o.format = FileFormat::pcapng;
      o.compression_level = level;
      o.batch_size = 4096;
      std::vector<std::uint32_t> asked;
      o.interface_name = [&](std::uint32_t index) {
        asked.push_back(index);
        return index == 7 ? std::string() : "if" + std::to_string(index);
      };
      {
        PcapWriter w(tmp.path, o);
        for (std::size_t i = 0; i < input.size(); ++i) {
          PacketView p = view(input[i], i % 4 == 3 ? 101 : 1);  // Ethernet, and RAW
          p.interface_index = i % 2 ? 7 : 9;
          if (p.link_type == 101) p.data = p.data.subspan(14);
          p.wire_length = static_cast<std::uint32_t>(p.data.size()) - (i == 5 ? 10 : 0);
          w.write(p);
        }
        w.close();
      }
      // (1, 9), (1, 7), (101, 7): three interfaces, each name asked once.
      CHECK(asked == std::vector<std::uint32_t>{9, 7, 7});
      PcapReader reader(tmp.path);
      CHECK(reader.format() == FileFormat::pcapng);
      PacketView p;
      std::size_t i = 0;
      for (; reader.next(p); ++i) {
        REQUIRE(i < input.size());
        CHECK(p.link_type == (i % 4 == 3 ? 101u : 1u));
        CHECK(p.interface_index == (i == 0 ? 0u : i % 4 == 3 ? 2u : i % 2 ? 1u : 0u));
        CHECK(p.timestamp_ns == input[i].timestamp_ns);  // nanoseconds, exactly
        const std::size_t skip = p.link_type == 101 ? 14 : 0;
        CHECK(Bytes(p.data.begin(), p.data.end()) == Bytes(input[i].data.begin() + skip, input[i].data.end()));
        CHECK(p.wire_length == p.caplen() - (i == 5 ? 10 : 0));  // below caplen, as given
      }
      CHECK(i == input.size());
    }
  }

  TEST_CASE("a pcapng file without packets still describes an interface") {
    TempPath tmp(".pcapng");
    WriterOptions o;
    o.format = FileFormat::pcapng;
    o.link_type = 113;
    PcapWriter(tmp.path, o).close();
    PcapReader reader(tmp.path);  // libpcap's rule: no IDB, no file
    CHECK(reader.link_type() == 113);
    PacketView p;
    CHECK_FALSE(reader.next(p));
  }

  TEST_CASE("writes a .zst file as one zstd frame however many batches and flushes it holds") {
    // Wireshark 4.0 reads only the first frame of a multi-frame file.
    TempPath tmp(".pcap.zst");
    const auto input = records(3000);
    WriterOptions o;
    o.compression_level = 3;
    o.batch_size = 4096;  // about 120 batches
    {
      PcapWriter w(tmp.path, o);
      for (std::size_t i = 0; i < input.size(); ++i) {
        w.write(view(input[i]));
        if (i % 500 == 0) w.flush();
      }
      w.close();
    }
    CHECK(zstd_frames(file_bytes(tmp.path)) == 1);
    check_same_packets(read_back(tmp.path), input);
    // No packets: still one whole frame, holding the file header.
    TempPath empty(".pcap.zst");
    PcapWriter(empty.path, o).close();
    CHECK(zstd_frames(file_bytes(empty.path)) == 1);
    std::string error;
    CHECK(read_back(empty.path, &error).empty());
    CHECK(error == "");
  }

  TEST_CASE("a .zst file cut at any flush point gives back every packet flushed before it") {
    // What SIGKILL or a crash leaves: the frame has no end, and the file ends where the last
    // flush left it (or anywhere later, inside the next batch).
    const auto input = records(2000, 200);
    WriterOptions o;
    o.compression_level = 1;
    o.batch_size = 8192;
    TempPath tmp(".pcap.zst");
    std::vector<std::pair<std::size_t, std::size_t>> flushed;  // (file size, packets) at flushes
    {
      PcapWriter w(tmp.path, o);
      for (std::size_t i = 0; i < input.size(); ++i) {
        w.write(view(input[i]));
        if (i % 97 == 96) {
          w.flush();
          flushed.emplace_back(file_bytes(tmp.path).size(), i + 1);
        }
      }
      w.close();
    }
    const std::string whole = file_bytes(tmp.path);
    REQUIRE(flushed.size() > 10);
    for (const auto& [size, packets] : flushed) {
      CAPTURE(size);
      for (std::size_t extra : {std::size_t{0}, std::size_t{1}, std::size_t{700}}) {
        CAPTURE(extra);
        if (size + extra >= whole.size()) continue;
        TempPath cut(".pcap.zst");
        std::ofstream(cut.path, std::ios::binary) << whole.substr(0, size + extra);
        std::string error;
        const auto got = read_back(cut.path, &error);
        CHECK(error == cut.path + ": truncated zstd stream");
        CHECK(got.size() >= packets);
        REQUIRE(got.size() <= input.size());
        for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].first == input[i].data);
      }
    }
  }

  TEST_CASE("flush() makes the records readable at once, while the writer stays open") {
    for (int level : {0, 3}) {
      CAPTURE(level);
      TempPath tmp;
      WriterOptions o;
      o.compression_level = level;
      PcapWriter w(tmp.path, o);
      const auto input = records(20);
      for (int i = 0; i < 5; ++i) w.write(view(input[i]));
      w.flush();
      CHECK(read_back(tmp.path).size() == 5);
      for (int i = 5; i < 20; ++i) w.write(view(input[i]));
      w.flush();
      check_same_packets(read_back(tmp.path), input);
    }
  }

  TEST_CASE("round-trips through a slow pipe: write() waits while every buffer is in flight") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    Bytes received;
    std::thread reader([&] {
      std::uint8_t chunk[4096];
      ssize_t n;
      while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0) {
        received.insert(received.end(), chunk, chunk + n);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    const auto input = records(3000);
    WriterOptions o;
    o.batch_size = 4096;
    {
      PcapWriter w(pipe_path(fds[1]), o);
      ::close(fds[1]);
      for (const auto& r : input) w.write(view(r));
      w.close();
    }
    reader.join();
    ::close(fds[0]);
    TempPath tmp;
    write_file(tmp.path, received);
    check_same_packets(read_back(tmp.path), input);
  }

  TEST_CASE("an error on the writer thread is thrown once, by a later call, with its text") {
    WriterOptions o;
    o.batch_size = 4096;
    PcapWriter w("/dev/full", o);  // every write() fails with ENOSPC
    const auto input = records(200);
    int error = 0;
    std::string message;
    std::size_t accepted = 0;
    try {
      for (const auto& r : input) {
        w.write(view(r));
        ++accepted;
      }
      w.flush();
    } catch (const SystemError& e) {
      error = e.error_number();
      message = e.what();
    }
    CHECK(error == ENOSPC);
    CHECK(message == "/dev/full: No space left on device");
    CHECK(accepted > 0);  // the first batch fails on the writer thread, not in write()
    CHECK_THROWS_WITH_AS(w.write(view(input[0])), "/dev/full: the capture file is already closed",
                         Error);
    CHECK_NOTHROW(w.flush());
    CHECK_NOTHROW(w.close());
  }

  TEST_CASE("flush() reports an error of the writer thread") {
    PcapWriter w("/dev/full", {});
    w.write(view(records(1)[0]));
    CHECK_THROWS_WITH_AS(w.flush(), "/dev/full: No space left on device", SystemError);
  }

  TEST_CASE("a pipe whose reader went away gives EPIPE, not a SIGPIPE death") {
    // SIGPIPE keeps its default action here (death): only the writer thread's mask saves us.
    REQUIRE((std::signal(SIGPIPE, SIG_DFL) != SIG_ERR));
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string path = pipe_path(fds[1]);
    PcapWriter w(path, {});
    ::close(fds[1]);
    ::close(fds[0]);
    for (const auto& r : records(10)) w.write(view(r));
    try {
      w.flush();
      FAIL("flush() into a closed pipe did not throw");
    } catch (const SystemError& e) {
      CHECK(e.error_number() == EPIPE);
      CHECK(std::string(e.what()) == path + ": Broken pipe");
    }
    CHECK_NOTHROW(w.close());
  }

  TEST_CASE("-w - appended to a file (>>): a failed write cuts back behind the earlier data") {
    TempPath tmp;
    const Bytes before(3000, 'x');
    write_file(tmp.path, before);
    const int fd = ::open(tmp.path.c_str(), O_WRONLY | O_APPEND);
    REQUIRE(fd >= 0);
    const int saved_stdout = ::dup(STDOUT_FILENO);
    REQUIRE(::dup2(fd, STDOUT_FILENO) == STDOUT_FILENO);
    ::close(fd);
    rlimit old{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    rlimit small = old;
    small.rlim_cur = 20000;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    WriterOptions o;
    o.batch_size = 4096;
    const auto input = records(300);
    const WriteOutcome result = write_until_error("-", o, input);
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::dup2(saved_stdout, STDOUT_FILENO);
    ::close(saved_stdout);
    CHECK(result.error == EFBIG);
    const Bytes all = read_file(tmp.path);
    REQUIRE(all.size() > before.size() + 24);
    CHECK(all.size() <= 20000);
    CHECK(Bytes(all.begin(), all.begin() + 3000) == before);
    TempPath tail;
    write_file(tail.path, Bytes(all.begin() + 3000, all.end()));
    std::string read_error;
    const auto got = read_back(tail.path, &read_error);
    CHECK(read_error == "");
    CHECK(got.size() > 50);
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].first == input[i].data);
  }

  TEST_CASE("the destructor without close() writes everything and returns") {
    TempPath tmp;
    const auto input = records(3000);
    WriterOptions o;
    o.compression_level = 3;
    o.batch_size = 4096;
    {
      PcapWriter w(tmp.path, o);
      for (const auto& r : input) w.write(view(r));
    }
    check_same_packets(read_back(tmp.path), input);
    {
      // The writer thread's error is swallowed (if write() did not throw it already), and
      // nothing waits forever.
      PcapWriter w("/dev/full", o);
      try {
        for (int i = 0; i < 40; ++i) w.write(view(input[i]));  // the first batch fails
      } catch (const SystemError&) {
        // write() may see the error first: the destructor must cope either way.
      }
    }
  }

  TEST_CASE("runs its writer thread with SIGINT, SIGTERM and SIGPIPE blocked") {
    TempPath tmp;
    const auto threads_before = other_threads();  // a sanitizer may have its own
    sigset_t before;
    REQUIRE(::pthread_sigmask(SIG_BLOCK, nullptr, &before) == 0);
    PcapWriter w(tmp.path, {});
    sigset_t after;
    REQUIRE(::pthread_sigmask(SIG_BLOCK, nullptr, &after) == 0);
    CHECK(::sigismember(&after, SIGINT) == ::sigismember(&before, SIGINT));
    CHECK(::sigismember(&after, SIGTERM) == ::sigismember(&before, SIGTERM));
    // After a written batch: glibc starts a thread with every signal blocked until it has set
    // the mask it inherits, so a look at a thread that has not run yet proves nothing.
    w.write(view(records(1)[0]));
    w.flush();
    std::vector<std::string> added;
    for (const auto& t : other_threads())
      if (std::find(threads_before.begin(), threads_before.end(), t) == threads_before.end())
        added.push_back(t);
    REQUIRE(added.size() == 1);
    const std::uint64_t mask = blocked_signals(added[0]);
    CHECK((mask & signal_bit(SIGINT)) != 0);
    CHECK((mask & signal_bit(SIGTERM)) != 0);
    CHECK((mask & signal_bit(SIGPIPE)) != 0);
    w.close();
    CHECK(other_threads() == threads_before);
  }

  TEST_CASE("leaves a valid file of whole packets when the file size limit stops a write") {
    // RLIMIT_FSIZE applies to root too, so this runs everywhere; SIGXFSZ stays blocked on the
    // writer thread and the write fails with EFBIG.
    for (int level : {0, 1}) {
      CAPTURE(level);
      TempPath tmp(level ? ".pcap.zst" : ".pcap");
      auto input = records(2000, 300);
      make_incompressible(input);
      WriterOptions o;
      o.compression_level = level;
      o.batch_size = 16 * 1024;
      rlimit old{};
      REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
      rlimit small = old;
      small.rlim_cur = 100000;  // inside the seventh batch
      REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
      const WriteOutcome result = write_until_error(tmp.path, o, input);
      const std::uint64_t handed = result.accepted;
      ::setrlimit(RLIMIT_FSIZE, &old);
      CHECK(result.error == EFBIG);
      CHECK(result.message == tmp.path + ": File too large");
      struct stat st{};
      REQUIRE(::stat(tmp.path.c_str(), &st) == 0);
      CHECK(st.st_size <= 100000);
      std::string read_error;
      const auto got = read_back(tmp.path, &read_error);
      CHECK(read_error == "");
      CHECK(got.size() > 100);
      CHECK(got.size() < handed);
      for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].first == input[i].data);
    }
  }
}
