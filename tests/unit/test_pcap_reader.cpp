// The capture-file reader: every pcap magic and byte order, pcapng variants, zstd, and the
// odd and damaged files of docs/design.md §4.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/error.hpp"
#include "slimcap/pcap_reader.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

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
    CHECK(r.error.find("FILE: packet for interface 3") == 0);
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

  TEST_CASE("treats an absurd or zero snaplen as the link maximum") {
    for (std::uint32_t snaplen : {0u, 0xffffffffu, 262145u}) {
      PcapSpec spec;
      spec.snaplen = snaplen;
      TempPath tmp;
      write_file(tmp.path, pcap_file(spec, some_records()));
      PcapReader reader(tmp.path);
      CHECK(reader.snaplen() == 262144);
      check_same(read_all(tmp.path), some_records(), false);
    }
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
}
