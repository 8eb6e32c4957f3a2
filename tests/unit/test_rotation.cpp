// File rotation (-C, -G, -W): names, wall-clock alignment, and the files a run leaves behind,
// each read back and compared packet by packet.

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/rotation.hpp"

using namespace slimcap;
using namespace slimcap::test;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kStart = 1700000000LL * kSecond;  // 2023-11-14 22:13:20 UTC

// A directory of its own, removed with everything in it.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "slimcap-rot-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() { fs::remove_all(path); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
};

// Sets TZ for one test and puts the old value back.
struct TimeZone {
  std::string old;
  bool had = false;
  explicit TimeZone(const char* tz) {
    if (const char* o = ::getenv("TZ")) old = o, had = true;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~TimeZone() {
    if (had) ::setenv("TZ", old.c_str(), 1); else ::unsetenv("TZ");
    ::tzset();
  }
};

struct Packets {
  std::vector<Bytes> frames;
  std::vector<std::int64_t> times;
  PacketView view(std::size_t i) const {
    PacketView p;
    p.data = frames[i];
    p.timestamp_ns = times[i];
    p.wire_length = static_cast<std::uint32_t>(frames[i].size());
    p.link_type = 1;
    return p;
  }
};

// `n` UDP frames of 100 + i % 5 payload bytes, `step` apart from kStart.
Packets make_packets(int n, std::int64_t step) {
  Packets out;
  for (int i = 0; i < n; ++i) {
    Ipv4Spec ip;
    ip.id = static_cast<std::uint16_t>(i);
    out.frames.push_back(udp4_frame(ip, 1000, 5001, 100 + i % 5));
    out.times.push_back(kStart + i * step);
  }
  return out;
}

std::vector<Bytes> read_all(const fs::path& path) {
  std::vector<Bytes> out;
  PcapReader reader(path.string());
  PacketView p;
  while (reader.next(p)) out.emplace_back(p.data.begin(), p.data.end());
  return out;
}

}  // namespace

TEST_SUITE("rotation") {
  TEST_CASE("the counter goes before the capture extension") {
    CHECK(extension_start("cap.pcap") == 3);
    CHECK(extension_start("cap.pcap.zst") == 3);
    CHECK(extension_start("cap.pcapng") == 3);
    CHECK(extension_start("cap.zst") == 3);
    CHECK(extension_start("cap") == 3);
    CHECK(extension_start("dir.pcap/cap") == 12);  // a directory's dot is not an extension
    CHECK(extension_start(".zst") == 4);
    RotationOptions r;
    r.max_bytes = 1000;
    CHECK(rotated_name("cap.pcap.zst", r, 0, true, 3) == "cap-0003.pcap.zst");
    CHECK(rotated_name("/tmp/x/cap", r, 0, true, 12) == "/tmp/x/cap-0012");
    r.max_files = 100000;  // -W 100000 needs five digits
    CHECK(rotated_name("cap.pcap", r, 0, true, 42) == "cap-00042.pcap");
    CHECK(rotated_name("cap.pcap", r, 0, false, 42) == "cap.pcap");
  }

  TEST_CASE("-G names go through strftime at the period's start, aligned to the local clock") {
    TimeZone utc("UTC");
    RotationOptions r;
    r.seconds = 3600;
    const std::int64_t t = 1700000000;  // 22:13:20
    CHECK(period_start(t, 3600) == 1699999200);  // 22:00:00
    CHECK(period_start(t, 60) == 1699999980);
    CHECK(rotated_name("cap-%Y%m%d-%H%M.pcap.zst", r, period_start(t, 3600), false, 0) ==
          "cap-20231114-2200.pcap.zst");
    CHECK(rotated_name("100%%-%H.pcap", r, period_start(t, 3600), true, 1) ==
          "100%-22-0001.pcap");

    TimeZone india("IST-5:30");  // a half-hour offset: days start at 18:30 UTC
    const std::int64_t day = period_start(t, 86400);
    CHECK((day + 19800) % 86400 == 0);
    CHECK(day <= t);
    CHECK(t - day < 86400);
    CHECK(rotated_name("%H%M", r, day, false, 0) == "0000");
  }

  TEST_CASE("-C starts a new file before one would pass the size; files hold every packet") {
    TempDir dir;
    const Packets in = make_packets(100, 1000);
    RotationOptions r;
    r.max_bytes = 1500;  // about ten 140-byte records per file
    {
      RotatingWriter w((dir.path / "cap.pcap").string(), WriterOptions{}, r, kStart);
      for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
      w.close();
      CHECK(w.packets_written() == 100);
    }
    const auto names = dir.names();
    REQUIRE(names.size() >= 8);
    CHECK(names.front() == "cap-0000.pcap");
    std::vector<Bytes> all;
    for (const auto& n : names) {
      CHECK(fs::file_size(dir.path / n) <= 1500);
      for (auto& f : read_all(dir.path / n)) all.push_back(std::move(f));
    }
    CHECK(all == in.frames);
  }

  TEST_CASE("-C with -W keeps a ring of N files, names cycling, newest packets kept") {
    TempDir dir;
    const Packets in = make_packets(100, 1000);
    RotationOptions r;
    r.max_bytes = 1500;
    r.max_files = 3;
    RotatingWriter w((dir.path / "cap.pcap.zst").string(), WriterOptions{.compression_level = 3},
                     r, kStart);
    for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
    w.close();
    CHECK(w.files_opened() >= 8);
    CHECK(dir.names() ==
          std::vector<std::string>{"cap-0000.pcap.zst", "cap-0001.pcap.zst", "cap-0002.pcap.zst"});
    // The last file written is the one the counter reached last; together the three hold the
    // newest packets, in order, ending with the last one sent.
    const std::uint64_t last = (w.files_opened() - 1) % 3;
    std::vector<Bytes> all;
    for (std::uint64_t k = last + 1; k <= last + 3; ++k) {
      for (auto& f : read_all(dir.path / ("cap-000" + std::to_string(k % 3) + ".pcap.zst")))
        all.push_back(std::move(f));
    }
    REQUIRE(all.size() > 10);
    CHECK(std::equal(all.begin(), all.end(), in.frames.end() - static_cast<long>(all.size())));
  }

  TEST_CASE("-G turns files on the packets' time; -W deletes the oldest strftime names") {
    TimeZone utc("UTC");
    TempDir dir;
    const Packets in = make_packets(50, 10 * kSecond);  // 500 s: 22:13:20 to 22:21:30
    RotationOptions r;
    r.seconds = 120;
    {
      RotatingWriter w((dir.path / "cap-%H%M%S.pcap").string(), WriterOptions{}, r, kStart);
      for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
      w.close();
    }
    CHECK(dir.names() == std::vector<std::string>{"cap-221200.pcap", "cap-221400.pcap",
                                                  "cap-221600.pcap", "cap-221800.pcap",
                                                  "cap-222000.pcap"});
    CHECK(read_all(dir.path / "cap-221200.pcap").size() == 4);   // 22:13:20 .. 22:13:50
    CHECK(read_all(dir.path / "cap-221400.pcap").size() == 12);  // 22:14:00 .. 22:15:50

    TempDir ring;
    r.max_files = 2;
    RotatingWriter w((ring.path / "cap-%H%M%S.pcap").string(), WriterOptions{}, r, kStart);
    for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
    w.close();
    CHECK(ring.names() == std::vector<std::string>{"cap-221800.pcap", "cap-222000.pcap"});
  }

  TEST_CASE("-G without a strftime conversion numbers the files; idle() closes a finished one") {
    TimeZone utc("UTC");
    TempDir dir;
    const Packets in = make_packets(3, 0);
    RotationOptions r;
    r.seconds = 60;
    RotatingWriter w((dir.path / "cap.pcap").string(), WriterOptions{}, r, kStart);
    w.write(in.view(0));
    w.idle(kStart + 10 * kSecond);  // same period: stays open, data may still be buffered
    w.idle(kStart + 60 * kSecond);  // the period (22:13:00-22:14:00) is over: closed, complete
    CHECK(read_all(dir.path / "cap-0000.pcap").size() == 1);
    PacketView later = in.view(1);
    later.timestamp_ns = kStart + 100 * kSecond;
    w.write(later);
    w.close();
    CHECK(dir.names() == std::vector<std::string>{"cap-0000.pcap", "cap-0001.pcap"});
    CHECK(read_all(dir.path / "cap-0001.pcap").size() == 1);
  }

  TEST_CASE("-G 86400 turns at local midnight across DST changes, losing nothing") {
    TimeZone berlin("CET-1CEST,M3.5.0,M10.5.0/3");  // Europe/Berlin's rules, no tzdata needed
    for (const std::int64_t day : {1711839600LL, 1729980000LL}) {  // 2024-03-31, 2024-10-27 00:00
      CAPTURE(day);
      CHECK(period_start(day + 3 * 3600, 86400) == day);
      const std::int64_t end = period_end(day, 86400);
      CHECK(period_start(end, 86400) == end);
      CHECK(end - day == (day == 1711839600LL ? 23 : 25) * 3600);
      TempDir dir;
      RotationOptions r;
      r.seconds = 86400;
      // Packets every 20 minutes from 00:10 on the DST day to 02:10 the next day.
      Packets in = make_packets(80, 0);
      for (std::size_t i = 0; i < in.times.size(); ++i)
        in.times[i] = (day + 600 + static_cast<std::int64_t>(i) * 1200) * kSecond;
      RotatingWriter w((dir.path / "cap-%Y%m%d.pcap").string(), WriterOptions{}, r,
                       in.times[0]);
      for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
      w.close();
      const auto names = dir.names();
      REQUIRE(names.size() == 2);
      const std::size_t first_day = read_all(dir.path / names[0]).size();
      CHECK(first_day == static_cast<std::size_t>((end - day - 600 + 1199) / 1200));
      CHECK(first_day + read_all(dir.path / names[1]).size() == 80);
    }
  }

  TEST_CASE("a name that repeats gets a counter instead of overwriting an earlier file") {
    TimeZone utc("UTC");
    TempDir dir;
    RotationOptions r;
    r.seconds = 1800;  // half hours, but the name only has the hour
    const Packets in = make_packets(60, 60 * kSecond);  // one packet a minute for an hour
    {
      RotatingWriter w((dir.path / "cap-%H.pcap").string(), WriterOptions{}, r, kStart);
      for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
      w.close();
    }
    const auto names = dir.names();
    CHECK(names == std::vector<std::string>{"cap-22-0001.pcap", "cap-22.pcap", "cap-23.pcap"});
    std::size_t total = 0;
    for (const auto& n : names) total += read_all(dir.path / n).size();
    CHECK(total == 60);

    // A late packet: its period's file was closed by idle(); it goes to a new file.
    TempDir late;
    r.seconds = 60;
    RotatingWriter w((late.path / "cap-%H%M.pcap").string(), WriterOptions{}, r, kStart);
    w.write(in.view(0));
    w.write(in.view(0));
    w.idle(kStart + 120 * kSecond);
    w.write(in.view(0));  // stamped in the closed period
    w.close();
    CHECK(late.names() == std::vector<std::string>{"cap-2213-0001.pcap", "cap-2213.pcap"});
    CHECK(read_all(late.path / "cap-2213.pcap").size() == 2);
    CHECK(read_all(late.path / "cap-2213-0001.pcap").size() == 1);
  }

  TEST_CASE("a file that cannot be created is a SystemError naming it") {
    RotationOptions r;
    r.max_bytes = 1000;
    CHECK_THROWS_WITH_AS(RotatingWriter("/nonexistent-dir/cap.pcap", WriterOptions{}, r, kStart),
                         "/nonexistent-dir/cap-0000.pcap: No such file or directory", SystemError);
  }

  TEST_CASE("-z runs COMMAND FILE on each file the rotation finished, not on the last one") {
    TempDir dir;
    const fs::path log = dir.path / "z.log";
    const fs::path script = dir.path / "post-rotate";
    {
      std::ofstream out(script);
      // Also notes whether SIGPIPE is ignored (slimcap ignores it; the command must not).
      out << "#!/bin/sh\necho \"$1 $(grep '^SigIgn' /proc/self/status | cut -f2)\" >> "
          << log.string() << "\n";
    }
    fs::permissions(script, fs::perms::owner_all);
    const Packets in = make_packets(100, 1000);
    RotationOptions r;
    r.max_bytes = 1500;
    r.post_rotate_command = script.string();
    std::signal(SIGPIPE, SIG_IGN);  // as slimcap runs
    RotatingWriter w((dir.path / "cap.pcap").string(), WriterOptions{}, r, kStart);
    for (std::size_t i = 0; i < in.frames.size(); ++i) w.write(in.view(i));
    w.close();
    const std::uint64_t files = w.files_opened();
    REQUIRE(files >= 8);
    // The commands are not waited for: give them up to 10 s to finish.
    std::vector<std::string> ran;
    for (int i = 0; i < 200 && ran.size() < files - 1; ++i) {
      ::usleep(50'000);
      ran.clear();
      std::ifstream lines(log);
      for (std::string line; std::getline(lines, line);) ran.push_back(line);
    }
    std::sort(ran.begin(), ran.end());
    std::vector<std::string> want;
    // SigIgn of grep, started by the script: nothing ignored (SIGPIPE is bit 13).
    for (std::uint64_t i = 0; i + 1 < files; ++i)
      want.push_back(rotated_name((dir.path / "cap.pcap").string(), r, 0, true, i) +
                     " 0000000000000000");
    CHECK(ran == want);
  }

  TEST_CASE("-z also runs on a -G file closed while the link is idle") {
    TempDir dir;
    const fs::path log = dir.path / "z.log";
    RotationOptions r;
    r.seconds = 60;
    r.post_rotate_command = "touch";  // found through PATH, as tcpdump's execlp() does
    const Packets in = make_packets(1, 1000);
    RotatingWriter w((dir.path / "cap.pcap").string(), WriterOptions{}, r, kStart);
    w.write(in.view(0));
    const fs::path file = dir.path / rotated_name("cap.pcap", r, 0, true, 0);
    const auto before = fs::last_write_time(file);
    ::usleep(20'000);
    w.idle(kStart + 120 * kSecond);
    bool touched = false;
    for (int i = 0; i < 200 && !touched; ++i) {
      ::usleep(50'000);
      touched = fs::last_write_time(file) != before;
    }
    CHECK(touched);
  }
}
