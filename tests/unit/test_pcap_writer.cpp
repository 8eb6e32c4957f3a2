// The pcap writer: round trips through the reader (µs, ns, zstd, standard output), batching,
// and a file that stays valid when the disk fills up.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/pcap_writer.hpp"

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

PacketView view(const Record& r, std::uint32_t link_type = 1) {
  PacketView p;
  p.data = r.data;
  p.timestamp_ns = r.timestamp_ns;
  p.wire_length = r.wire_length ? r.wire_length : static_cast<std::uint32_t>(r.data.size());
  p.link_type = link_type;
  return p;
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
      // Incompressible payloads, so that zstd fills the disk too.
      std::uint32_t seed = 12345;
      for (auto& r : input)
        for (std::size_t i = 42; i < r.data.size(); ++i) {
          seed = seed * 1103515245u + 12345u;
          r.data[i] = static_cast<std::uint8_t>(seed >> 24);
        }
      WriterOptions o;
      o.compression_level = level;
      o.batch_size = 16 * 1024;
      int error = 0;
      std::uint64_t handed = 0;
      try {
        PcapWriter w(path, o);
        for (const auto& r : input) {
          w.write(view(r));
          ++handed;
        }
        w.close();
      } catch (const SystemError& e) {
        error = e.error_number();
        CHECK(std::string(e.what()) == path + ": No space left on device");
      }
      CHECK(error == ENOSPC);
      std::string read_error;
      const auto got = read_back(path, &read_error);
      CHECK(read_error == "");
      CHECK(got.size() > 0);
      CHECK(got.size() < handed);
      for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].first == input[i].data);
      ::unlink(path.c_str());
    }
    ::umount(dir);
    ::rmdir(dir);
  }
}
