// The capture-file reader: every pcap magic and byte order, pcapng variants, zstd, and the
// odd and damaged files of docs/design.md §4.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/pcap_reader.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

// Threads of this process, as the kernel lists them.
std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// Waits up to two seconds for the count to come back (a joined thread leaves the list at once
// on Linux, but give the kernel room).
bool thread_count_becomes(std::size_t want) {
  for (int i = 0; i < 200 && thread_count() != want; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return thread_count() == want;
}

std::vector<Record> some_records() {
  std::vector<Record> records;
  Ipv4Spec ip;
  TcpSpec tcp;
  records.push_back({tcp4_frame(ip, tcp, 10), 1700000000123456000, 0});
  records.push_back({udp4_frame(ip, 40000, 5001, 100), 1700000001000001000, 0});
  records.push_back({icmp4_echo_frame(ip, false, 1, 2, 56), 1700000002999999000, 0});
  Bytes cut = udp4_frame(ip, 1, 2, 200);
  const auto wire = static_cast<std::uint32_t>(cut.size());
  cut.resize(60);
  records.push_back({cut, 1700000003000000000, wire});
  return records;
}

struct Read {
  std::vector<PacketView> packets;  // data spans copied into `bytes`
  std::vector<Bytes> bytes;
  std::string error;
};

// Reads the whole file, copying every packet, and catches the final error if any.
Read read_all(const std::string& path) {
  Read out;
  try {
    PcapReader reader(path);
    PacketView p;
    while (reader.next(p)) {
      out.bytes.emplace_back(p.data.begin(), p.data.end());
      out.packets.push_back(p);
    }
  } catch (const Error& e) {
    out.error = e.what();
  }
  return out;
}

Read read_bytes(const Bytes& file) {
  TempPath tmp;
  write_file(tmp.path, file);
  Read r = read_all(tmp.path);
  // Replace the temp path in messages, so tests can compare them.
  if (auto at = r.error.find(tmp.path); at != std::string::npos)
    r.error.replace(at, tmp.path.size(), "FILE");
  return r;
}

// An Interface Description Block (host byte order) with raw options: (code, value) pairs.
Bytes idb_body(std::uint16_t link_type, const std::vector<std::pair<std::uint16_t, Bytes>>& options) {
  Bytes b(8, 0);
  std::memcpy(b.data(), &link_type, 2);
  const std::uint32_t snaplen = 262144;
  std::memcpy(b.data() + 4, &snaplen, 4);
  for (const auto& [code, value] : options) {
    const auto length = static_cast<std::uint16_t>(value.size());
    b.insert(b.end(), reinterpret_cast<const std::uint8_t*>(&code),
             reinterpret_cast<const std::uint8_t*>(&code) + 2);
    b.insert(b.end(), reinterpret_cast<const std::uint8_t*>(&length),
             reinterpret_cast<const std::uint8_t*>(&length) + 2);
    b.insert(b.end(), value.begin(), value.end());
    b.resize((b.size() + 3) & ~std::size_t{3}, 0);
  }
  if (!options.empty()) b.resize(b.size() + 4, 0);  // opt_endofopt
  return b;
}

Bytes le64(std::int64_t v) {
  Bytes b(8);
  std::memcpy(b.data(), &v, 8);
  return b;
}

// An Enhanced Packet Block body (host byte order) for interface 0 with a raw timestamp.
Bytes epb_body(std::uint64_t units, const Bytes& data) {
  const std::uint32_t fields[5] = {0, static_cast<std::uint32_t>(units >> 32),
                                   static_cast<std::uint32_t>(units),
                                   static_cast<std::uint32_t>(data.size()),
                                   static_cast<std::uint32_t>(data.size())};
  Bytes b(sizeof fields + data.size());
  std::memcpy(b.data(), fields, sizeof fields);
  std::copy(data.begin(), data.end(), b.begin() + sizeof fields);
  return b;
}

// A pipe whose write end the test holds: the reader sees a FIFO that stays open and idle.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { REQUIRE(::pipe(fds) == 0); }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fds[0]); }
  void write(const Bytes& b) const { REQUIRE(::write(fds[1], b.data(), b.size()) == static_cast<ssize_t>(b.size())); }
};

// Sets `stop` after `delay` on another thread.
std::jthread stop_after(std::atomic<bool>& stop, std::chrono::milliseconds delay) {
  return std::jthread([&stop, delay] {
    std::this_thread::sleep_for(delay);
    stop.store(true);
  });
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check_same(const Read& got, const std::vector<Record>& want, bool nano) {
  REQUIRE(got.error == "");
  REQUIRE(got.packets.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(got.bytes[i] == want[i].data);
    const std::int64_t ts = nano ? want[i].timestamp_ns : want[i].timestamp_ns / 1000 * 1000;
    CHECK(got.packets[i].timestamp_ns == ts);
    const std::uint32_t wire =
        want[i].wire_length ? want[i].wire_length : static_cast<std::uint32_t>(want[i].data.size());
    CHECK(got.packets[i].wire_length == wire);
    CHECK(got.packets[i].link_type == 1);
  }
}

}  // namespace

TEST_SUITE("pcap_reader") {
  TEST_CASE("reads pcap with the µs and ns magics in both byte orders") {
    const auto records = some_records();
    for (bool nano : {false, true}) {
      for (bool swapped : {false, true}) {
        CAPTURE(nano);
        CAPTURE(swapped);
        PcapSpec spec;
        spec.nano = nano;
        spec.swapped = swapped;
        TempPath tmp;
        write_file(tmp.path, pcap_file(spec, records));
        PcapReader reader(tmp.path);
        CHECK(reader.format() == FileFormat::pcap);
        CHECK(reader.compression() == Compression::none);
        CHECK(reader.precision() == (nano ? TimePrecision::nano : TimePrecision::micro));
        CHECK(reader.link_type() == 1);
        CHECK(reader.snaplen() == 262144);
        check_same(read_all(tmp.path), records, nano);
      }
    }
  }

  TEST_CASE("next_is_buffered says whether the next packet is already in memory") {
    const auto records = some_records();
    Bytes file = pcap_file(PcapSpec{}, records);
    file.resize(file.size() - 10);  // the last record is cut: reading it needs more input
    TempPath tmp;
    write_file(tmp.path, file);
    PcapReader reader(tmp.path);
    PacketView p;
    for (std::size_t i = 0; i + 1 < records.size(); ++i) {
      CHECK(reader.next_is_buffered());
      REQUIRE(reader.next(p));
    }
    CHECK_FALSE(reader.next_is_buffered());
  }

  TEST_CASE("reads zstd-compressed pcap and pcapng, recognised by magic") {
    const auto records = some_records();
    const Bytes plain = pcap_file({}, records);
    const Bytes z = zstd_compress(plain, 3);
    TempPath tmp(".pcap");  // no .zst in the name on purpose
    write_file(tmp.path, z);
    PcapReader reader(tmp.path);
    CHECK(reader.compression() == Compression::zstd);
    check_same(read_all(tmp.path), records, false);

    PcapngBuilder ng;
    ng.section().interface(1);
    for (const auto& r : records) ng.packet(0, r);
    write_file(tmp.path, zstd_compress(ng.bytes(), 5));
    check_same(read_all(tmp.path), records, false);
  }

  TEST_CASE("reads a zstd stream of several frames, larger than the read buffer") {
    std::vector<Record> records;
    for (int i = 0; i < 6000; ++i)
      records.push_back({udp4_frame({}, static_cast<std::uint16_t>(i), 9, 1000),
                         1700000000000000000 + i * 1000000LL, 0});
    const Bytes plain = pcap_file({}, records);
    Bytes z;
    for (std::size_t off = 0; off < plain.size(); off += 100000) {
      const std::size_t n = std::min<std::size_t>(100000, plain.size() - off);
      const Bytes part = zstd_compress(std::span(plain).subspan(off, n), 1);
      z.insert(z.end(), part.begin(), part.end());
    }
    const Read r = read_bytes(z);
    CHECK(r.error == "");
    CHECK(r.packets.size() == 6000);
    CHECK(r.bytes.back() == records.back().data);
  }

  TEST_CASE("reports a zstd stream cut inside a frame after the packets before it") {
    const auto records = some_records();
    Bytes z = zstd_compress(pcap_file({}, records), 3);
    z.resize(z.size() - 3);  // loses the checksum and end of the last block
    const Read r = read_bytes(z);
    CHECK(r.error.find("FILE: ") == 0);
    CHECK(!r.error.empty());
  }

  TEST_CASE("reads pcapng: interfaces with different link types and resolutions, SPB, "
            "unknown blocks, a second section in the other byte order") {
    const auto records = some_records();
    Record raw{ipv4_packet({}, udp_datagram(1, 2, Bytes(20, 0x41))), 1700000000000000001, 0};
    PcapngBuilder first;
    const std::uint8_t unknown_body[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    first.section()
        .block(0x0bad, unknown_body)
        .interface(1, 262144, 9)          // ns
        .interface(101, 65535, 0x80 | 20) // 2^-20 s
        .packet(0, records[0])
        .packet(1, raw)
        .block(5, unknown_body)           // an interface statistics block: skipped
        .packet(0, records[1]);
    PcapngBuilder second(true);
    second.section().interface(1).simple_packet(records[2]).packet(0, records[3]);
    Bytes file = first.bytes();
    file.insert(file.end(), second.bytes().begin(), second.bytes().end());

    TempPath tmp(".pcapng");
    write_file(tmp.path, file);
    {
      PcapReader reader(tmp.path);
      CHECK(reader.format() == FileFormat::pcapng);
      CHECK(reader.link_type() == 1);
      CHECK(reader.precision() == TimePrecision::nano);
    }
    const Read r = read_all(tmp.path);
    REQUIRE(r.error == "");
    REQUIRE(r.packets.size() == 5);
    CHECK(r.packets[0].timestamp_ns == records[0].timestamp_ns);
    CHECK(r.packets[0].link_type == 1);
    CHECK(r.packets[1].link_type == 101);
    CHECK(r.packets[1].interface_index == 1);
    CHECK(r.bytes[1] == raw.data);
    // 2^-20 s resolution: within one unit (about 954 ns) of the true time.
    CHECK(std::llabs(r.packets[1].timestamp_ns - raw.timestamp_ns) < 954);
    CHECK(r.bytes[2] == records[1].data);
    CHECK(r.bytes[3] == records[2].data);  // the SPB
    CHECK(r.packets[3].wire_length == records[2].data.size());
    CHECK(r.bytes[4] == records[3].data);
    CHECK(r.packets[4].wire_length == records[3].wire_length);
    CHECK(r.packets[4].timestamp_ns == records[3].timestamp_ns);  // µs default resolution
  }

  TEST_CASE("rejects a pcapng packet for an interface the section did not describe") {
    PcapngBuilder ng;
    ng.section().interface(1).packet(3, some_records()[0]);
    const Read r = read_bytes(ng.bytes());
    CHECK(r.packets.empty());
    CHECK(r.error == "FILE: a packet arrived on interface 3, but there's no Interface "
                     "Description Block for that interface");
  }

  TEST_CASE("delivers every complete record of a file truncated at any byte offset") {
    const auto records = some_records();
    const Bytes pcap = pcap_file({}, records);
    PcapngBuilder ng;
    ng.section().interface(1);
    for (const auto& r : records) ng.packet(0, r);
    std::vector<std::size_t> pcap_ends{24};
    for (const auto& r : records) pcap_ends.push_back(pcap_ends.back() + 16 + r.data.size());

    for (const Bytes* file : {&pcap, &ng.bytes()}) {
      const bool is_pcap = file == &pcap;
      for (std::size_t cut = 0; cut < file->size(); ++cut) {
        CAPTURE(is_pcap);
        CAPTURE(cut);
        const Bytes part(file->begin(), file->begin() + static_cast<std::ptrdiff_t>(cut));
        const Read r = read_bytes(part);
        REQUIRE(r.packets.size() <= records.size());
        for (std::size_t i = 0; i < r.packets.size(); ++i) CHECK(r.bytes[i] == records[i].data);
        if (!is_pcap) continue;
        if (cut < 24) {
          CHECK(!r.error.empty());
          continue;
        }
        std::size_t whole = 0;
        while (whole < records.size() && pcap_ends[whole + 1] <= cut) ++whole;
        CHECK(r.packets.size() == whole);
        if (cut == pcap_ends[whole]) {
          CHECK(r.error == "");  // a cut between records is a clean, shorter file
        } else {
          CHECK(r.error == "FILE: truncated capture file (" +
                               std::to_string(cut - pcap_ends[whole]) + " bytes into a record)");
        }
      }
      // The whole file reads cleanly.
      CHECK(read_bytes(*file).error == "");
    }
  }

  TEST_CASE("follows libpcap for a caplen above the snaplen and above the link maximum") {
    PcapSpec spec;
    spec.snaplen = 100;
    Record big{udp4_frame({}, 1, 2, 400), 1700000000000000000, 0};
    const Read kept = read_bytes(pcap_file(spec, std::vector<Record>{big, big}));
    REQUIRE(kept.error == "");
    REQUIRE(kept.packets.size() == 2);
    CHECK(kept.bytes[0] == Bytes(big.data.begin(), big.data.begin() + 100));
    CHECK(kept.packets[0].wire_length == big.data.size());

    Bytes file = pcap_file({}, {});
    const Bytes h = pcap_record_header({}, 1, 0, 300000, 300000);
    file.insert(file.end(), h.begin(), h.end());
    file.resize(file.size() + 300000);
    const Read r = read_bytes(file);
    CHECK(r.packets.empty());
    CHECK(r.error == "FILE: invalid packet capture length 300000, bigger than the maximum of 262144");
  }

  TEST_CASE("treats a zero or absurd snaplen as the link maximum and keeps a large one, as "
            "libpcap") {
    for (const auto& [snaplen, want] : {std::pair{0u, 262144u}, std::pair{0xffffffffu, 262144u},
                                        std::pair{0x80000000u, 262144u},
                                        std::pair{262145u, 262145u}, std::pair{500000u, 500000u}}) {
      CAPTURE(snaplen);
      PcapSpec spec;
      spec.snaplen = snaplen;
      TempPath tmp;
      write_file(tmp.path, pcap_file(spec, some_records()));
      PcapReader reader(tmp.path);
      CHECK(reader.snaplen() == want);
      check_same(read_all(tmp.path), some_records(), false);
      PcapngBuilder ng;
      ng.section().interface(1, snaplen);
      write_file(tmp.path, ng.bytes());
      CHECK(PcapReader(tmp.path).snaplen() == want);
    }
  }

  TEST_CASE("computes if_tsoffset and extreme resolutions without overflow, with libpcap's "
            "arithmetic") {
    const Bytes frame = udp4_frame({}, 1, 2, 10);
    const std::uint64_t t = 1700000000ULL * 1000000 + 123456;  // µs units
    struct Case {
      std::uint8_t tsresol;
      std::int64_t offset;
      std::uint64_t units;
      std::int64_t want_ns;
    };
    const Case cases[] = {
        {6, 5, t, 1700000005123456000},
        {6, -1700000000, t, 123456000},
        {6, -1800000000, t, -99999999876544000},  // before 1970
        // Seconds past what 64-bit nanoseconds hold, either way: the one unrepresentable time.
        {6, 1000000000000, t, kUnrepresentableTime},
        {6, -1000000000000, t, kUnrepresentableTime},
        // libpcap adds the offset modulo 2^64: near the limits it wraps, it never traps.
        {6, INT64_MAX, t, kUnrepresentableTime},
        {6, INT64_MIN, t, kUnrepresentableTime},
        {6, INT64_MIN, 0, kUnrepresentableTime},
        {6, 0, UINT64_MAX, kUnrepresentableTime},
        {9, 0, UINT64_MAX, kUnrepresentableTime},
        {9, -18000000000, UINT64_MAX, 446744073709551615},
        {19, 0, UINT64_MAX, 1844674407},              // 10^-19 s units
        {0x80 | 63, 0, UINT64_MAX, 1999999999},       // 2^-63 s units
        {0x80 | 63, INT64_MIN, UINT64_MAX, kUnrepresentableTime},
        {0, INT64_MAX, 1, kUnrepresentableTime},                 // whole seconds
        {0x80, -1, 1, 0},                             // 2^0: whole seconds too
    };
    for (const Case& c : cases) {
      CAPTURE(c.tsresol);
      CAPTURE(c.offset);
      CAPTURE(c.units);
      PcapngBuilder ng;
      ng.section()
          .block(1, idb_body(1, {{9, Bytes{c.tsresol}}, {14, le64(c.offset)}}))
          .block(6, epb_body(c.units, frame));
      const Read r = read_bytes(ng.bytes());
      REQUIRE(r.error == "");
      REQUIRE(r.packets.size() == 1);
      CHECK(r.packets[0].timestamp_ns == c.want_ns);
    }
  }

  TEST_CASE("refuses, with libpcap's texts and before any packet, the pcapng files tcpdump "
            "refuses") {
    const Bytes frame = udp4_frame({}, 1, 2, 10);
    const Bytes packet = epb_body(1, frame);
    auto error_of = [](PcapngBuilder& ng) {
      TempPath tmp(".pcapng");
      write_file(tmp.path, ng.bytes());
      try {
        PcapReader reader(tmp.path);  // refused when opened, so no -w file is started
      } catch (const Error& e) {
        std::string message = e.what();
        return message.substr(message.find(": ") + 2);
      }
      return std::string("(opened)");
    };
    {
      PcapngBuilder ng;
      ng.section().block(6, packet).interface(1);
      CHECK(error_of(ng) ==
            "the capture file has a packet block before any Interface Description Blocks");
    }
    {
      PcapngBuilder ng;
      ng.section().simple_packet({frame, 0, 0});
      CHECK(error_of(ng) ==
            "the capture file has a packet block before any Interface Description Blocks");
    }
    {
      PcapngBuilder ng;
      const std::uint8_t body[4] = {1, 2, 3, 4};
      ng.section().block(0x0bad, body);
      CHECK(error_of(ng) == "the capture file has no Interface Description Blocks");
    }
    const std::pair<std::vector<std::pair<std::uint16_t, Bytes>>, std::string> refused[] = {
        {{{9, Bytes{100}}}, "Interface Description Block if_tsresol option resolution 10^-100 is too high"},
        {{{9, Bytes{20}}}, "Interface Description Block if_tsresol option resolution 10^-20 is too high"},
        {{{9, Bytes{0x80 | 127}}}, "Interface Description Block if_tsresol option resolution 2^-127 is too high"},
        {{{9, Bytes{0x80 | 64}}}, "Interface Description Block if_tsresol option resolution 2^-64 is too high"},
        {{{9, Bytes{6, 0}}}, "Interface Description Block has if_tsresol option with length 2 != 1"},
        {{{9, Bytes{6}}, {9, Bytes{9}}}, "Interface Description Block has more than one if_tsresol option"},
        {{{14, Bytes{1, 2, 3, 4}}}, "Interface Description Block has if_tsoffset option with length 4 != 8"},
        {{{14, le64(1)}, {14, le64(2)}}, "Interface Description Block has more than one if_tsoffset option"},
    };
    for (const auto& [options, message] : refused) {
      CAPTURE(message);
      PcapngBuilder ng;
      ng.section().block(1, idb_body(1, options)).block(6, packet);
      CHECK(error_of(ng) == message);
    }
    // The finest resolutions libpcap accepts are accepted.
    for (std::uint8_t tsresol : {std::uint8_t{19}, std::uint8_t{0x80 | 63}}) {
      PcapngBuilder ng;
      ng.section().block(1, idb_body(1, {{9, Bytes{tsresol}}})).block(6, packet);
      CHECK(error_of(ng) == "(opened)");
    }
    // In a later section, after the packets before it.
    PcapngBuilder later;
    later.section().interface(1).block(6, packet).section().block(6, packet);
    const Read r = read_bytes(later.bytes());
    CHECK(r.packets.size() == 1);
    CHECK(r.error == "FILE: a packet arrived on interface 0, but there's no Interface "
                     "Description Block for that interface");
  }

  TEST_CASE("reads gzip-compressed pcap and pcapng, recognised by magic, and delivers the "
            "complete packets of a cut stream before the error") {
    if (!have_program("gzip")) {
      MESSAGE("skipped: gzip is not installed");
      return;
    }
    std::vector<Record> records;
    for (int i = 0; i < 3000; ++i)
      records.push_back({udp4_frame({}, static_cast<std::uint16_t>(i), 9, 300),
                         1700000000000000000 + i * 1000000LL, 0});
    PcapngBuilder ng;
    ng.section().interface(1);
    for (const auto& r : records) ng.packet(0, r);
    for (const Bytes& plain : {pcap_file({}, records), ng.bytes()}) {
      TempPath in(".pcap");
      TempPath gz(".cap");  // no .gz in the name on purpose
      write_file(in.path, plain);
      int status = 1;
      run_command("gzip -n -c " + in.path + " >" + gz.path, &status);
      REQUIRE(status == 0);
      {
        PcapReader reader(gz.path);
        CHECK(reader.compression() == Compression::gzip);
      }
      check_same(read_all(gz.path), records, false);

      // Two gzip members, as `cat a.gz b.gz` makes: one stream of the whole file.
      const Bytes whole = read_file(gz.path);
      TempPath half(".pcap");
      write_file(half.path, Bytes(plain.begin(), plain.begin() + 100000));
      TempPath rest(".pcap");
      write_file(rest.path, Bytes(plain.begin() + 100000, plain.end()));
      run_command("{ gzip -n -c " + half.path + "; gzip -n -c " + rest.path + "; } >" + gz.path,
                  &status);
      check_same(read_all(gz.path), records, false);

      Bytes cut = whole;
      cut.resize(cut.size() / 2);
      const Read r = read_bytes(cut);
      CHECK(r.packets.size() > 100);
      CHECK(r.packets.size() < records.size());
      for (std::size_t i = 0; i < r.packets.size(); ++i) CHECK(r.bytes[i] == records[i].data);
      CHECK(r.error == "FILE: truncated gzip stream");

      Bytes damaged = whole;
      for (std::size_t i = 100; i < 140; ++i) damaged[i] ^= 0x5a;
      CHECK(read_bytes(damaged).error.find("FILE: gzip: ") == 0);
    }
  }

  TEST_CASE("a stop request ends a wait for the header of a pipe whose writer is idle") {
    Pipe pipe;
    std::atomic<bool> stop{false};
    const auto start = std::chrono::steady_clock::now();
    auto stopper = stop_after(stop, std::chrono::milliseconds(100));
    PcapReader reader(pipe.path(), &stop);
    CHECK(reader.stopped());
    CHECK(seconds_since(start) < 2.0);
    PacketView p;
    CHECK_FALSE(reader.next(p));
  }

  TEST_CASE("a stop request inside the pcap file header delivers no packet") {
    // 20 bytes: enough for a 16-byte record header, which they are not (found by fuzzing).
    Pipe pipe;
    const Bytes file = pcap_file({}, some_records());
    pipe.write(Bytes(file.begin(), file.begin() + 20));
    std::atomic<bool> stop{false};
    auto stopper = stop_after(stop, std::chrono::milliseconds(100));
    PcapReader reader(pipe.path(), &stop);
    CHECK(reader.stopped());
    PacketView p;
    CHECK_FALSE(reader.next(p));
  }

  TEST_CASE("a stop request ends a pcapng stream that stalls inside a second section header") {
    Pipe pipe;
    PcapngBuilder ng;
    ng.section().interface(1).packet(0, some_records()[0]).section();
    Bytes stalled = ng.bytes();
    stalled.resize(stalled.size() - 10);
    pipe.write(stalled);
    std::atomic<bool> stop{false};
    PcapReader reader(pipe.path(), &stop);
    PacketView p;
    REQUIRE(reader.next(p));
    const auto start = std::chrono::steady_clock::now();
    auto stopper = stop_after(stop, std::chrono::milliseconds(100));
    CHECK_FALSE(reader.next(p));
    CHECK_FALSE(reader.next(p));  // and stays ended: no loop over the same block
    CHECK(reader.stopped());
    CHECK(seconds_since(start) < 2.0);
  }

  TEST_CASE("says what is wrong with empty, short and non-capture files") {
    CHECK(read_bytes({}).error == "FILE: empty file, not a capture");
    const Bytes text{'h', 'e', 'l', 'l', 'o', ',', ' ', 'w', 'o', 'r', 'l', 'd'};
    CHECK(read_bytes(text).error == "FILE: not a pcap, pcapng or zstd-compressed capture file");
    CHECK(read_bytes({0xd4, 0xc3}).error ==
          "FILE: not a pcap, pcapng or zstd-compressed capture file");
    const Bytes header_only = pcap_file({}, {});
    const Read h = read_bytes(header_only);
    CHECK(h.error == "");
    CHECK(h.packets.empty());
    CHECK(read_bytes(Bytes(header_only.begin(), header_only.begin() + 10)).error ==
          "FILE: truncated capture file (in the 24-byte file header)");
    const Read missing = read_all("/nonexistent/x.pcap");
    CHECK(missing.error == "/nonexistent/x.pcap: No such file or directory");
  }

  TEST_CASE("reads standard input when the path is '-'") {
    const auto records = some_records();
    TempPath tmp;
    write_file(tmp.path, pcap_file({}, records));
    const int saved = ::dup(STDIN_FILENO);
    const int fd = ::open(tmp.path.c_str(), O_RDONLY);
    ::dup2(fd, STDIN_FILENO);
    ::close(fd);
    Read r;
    {
      PcapReader reader("-");
      CHECK(reader.path() == "-");
      PacketView p;
      while (reader.next(p)) r.packets.push_back(p);
    }
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    CHECK(r.packets.size() == records.size());
  }

  TEST_CASE("reports the identity of its file, for refusing to overwrite an input") {
    TempPath tmp;
    write_file(tmp.path, pcap_file({}, some_records()));
    PcapReader reader(tmp.path);
    const FileIdentity a = reader.identity();
    const FileIdentity b = file_identity(tmp.path);
    CHECK(a.regular);
    CHECK(a.inode == b.inode);
    CHECK(a.device == b.device);
    CHECK(!file_identity("/nonexistent/x.pcap").regular);
  }

  // 40,000 records of 200 bytes, numbered in their first byte: 8 MiB decompressed, twice the
  // inflater's four 1 MiB chunks.
  std::vector<Record> long_records() {
    std::vector<Record> records;
    for (std::uint32_t i = 0; i < 40000; ++i) {
      Bytes data(200, static_cast<std::uint8_t>(i));
      records.push_back(Record{data, 1700000000LL * 1000000000 + i * 1000LL, 0});
    }
    return records;
  }

  TEST_CASE("delivers every packet of a compressed file longer than the decompression ring, in order") {
    const std::vector<Record> records = long_records();
    const Bytes z = zstd_compress(pcap_file({}, records), 1);
    TempPath whole(".pcap.zst");
    write_file(whole.path, z);
    PcapReader reader(whole.path);
    PacketView p;
    std::uint32_t n = 0;
    bool in_order = true;
    while (reader.next(p)) {
      in_order = in_order && p.timestamp_ns == records[n].timestamp_ns &&
                 p.data[0] == static_cast<std::uint8_t>(n);
      ++n;
    }
    CHECK(n == 40000);
    CHECK(in_order);

    // Cut short: every complete packet, then the stream's error.
    TempPath cut(".pcap.zst");
    write_file(cut.path, Bytes(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(z.size() * 3 / 4)));
    PcapReader cut_reader(cut.path);
    std::uint32_t delivered = 0;
    std::string error;
    try {
      while (cut_reader.next(p)) ++delivered;
    } catch (const Error& e) {
      error = e.what();
    }
    CHECK(delivered > 20000);
    CHECK(delivered < 40000);
    CHECK(error == cut.path + ": truncated zstd stream");

    // Abandoned half-way: the reader goes away while its thread waits for room.
    {
      PcapReader early(whole.path);
      for (int i = 0; i < 10; ++i) REQUIRE(early.next(p));
    }
  }

  TEST_CASE("a compressed file starts its decompression thread at the first read and ends it at the end") {
    // `read` opens every input up front: a reader not read yet holds no thread (and no
    // chunk, which the thread allocates), and a finished one holds neither any more.
    const std::vector<Record> records = long_records();  // the thread waits for room
    const Bytes z = zstd_compress(pcap_file({}, records), 1);
    TempPath whole(".pcap.zst");
    write_file(whole.path, z);
    const std::size_t base = thread_count();
    std::vector<std::unique_ptr<PcapReader>> readers;
    for (int i = 0; i < 8; ++i) readers.push_back(std::make_unique<PcapReader>(whole.path));
    CHECK(readers[0]->link_type() == 1);
    CHECK(thread_count() == base);

    // The first packets come from what open() decompressed; the thread comes with the next
    // bytes (15,000 records: 3,240,000 bytes, more than the 2 MiB buffer).
    PacketView p;
    std::uint32_t n = 0;
    for (; n < 15000; ++n) REQUIRE(readers[0]->next(p));
    CHECK(thread_count() == base + 1);
    while (readers[0]->next(p)) ++n;
    CHECK(n == 40000);
    CHECK(thread_count_becomes(base));
    CHECK_FALSE(readers[0]->next(p));  // and stays at its end

    // Ended by an error: the thread goes too, and the error stays.
    TempPath cut(".pcap.zst");
    write_file(cut.path, Bytes(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(z.size() / 2)));
    PcapReader cut_reader(cut.path);
    CHECK(thread_count() == base);
    std::string error;
    try {
      while (cut_reader.next(p)) {
      }
    } catch (const Error& e) {
      error = e.what();
    }
    CHECK(error == cut.path + ": truncated zstd stream");
    CHECK(thread_count_becomes(base));
    CHECK_THROWS_AS(cut_reader.next(p), Error);
  }
}
