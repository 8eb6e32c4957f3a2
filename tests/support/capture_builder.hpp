#pragma once
// Builds capture files in memory for tests and fuzz seeds: pcap in every magic and byte order,
// pcapng with several sections and interfaces, unknown blocks and SPBs, and zstd copies. The
// bytes are built by hand here (not by the library's writer) so that reader tests do not trust
// the code they test.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "frame_builder.hpp"

namespace slimcap::test {

struct Record {
  Bytes data;                     // the captured bytes
  std::int64_t timestamp_ns = 0;  // since the epoch
  std::uint32_t wire_length = 0;  // 0: data.size()
};

struct PcapSpec {
  std::uint32_t link_type = 1;
  std::uint32_t snaplen = 262144;
  bool nano = false;     // a1b23c4d instead of a1b2c3d4
  bool swapped = false;  // the other byte order than this machine's
};

// A whole pcap file: header and records. A record's caplen field is data.size().
Bytes pcap_file(const PcapSpec& spec, std::span<const Record> records);
// One pcap record header with arbitrary fields (for odd-file tests), in the spec's byte order.
Bytes pcap_record_header(const PcapSpec& spec, std::uint32_t seconds, std::uint32_t fraction,
                         std::uint32_t caplen, std::uint32_t wire_length);

// pcapng, block by block.
class PcapngBuilder {
 public:
  explicit PcapngBuilder(bool swapped = false) : swapped_(swapped) {}
  PcapngBuilder& section();  // a Section Header Block
  // An Interface Description Block; tsresol is the raw if_tsresol option byte (6 = µs, 9 = ns,
  // 0x80|n = 2^-n), nullopt for no option (µs).
  PcapngBuilder& interface(std::uint32_t link_type, std::uint32_t snaplen = 262144,
                           std::optional<std::uint8_t> tsresol = std::nullopt);
  // An Enhanced Packet Block; the timestamp is in the interface's resolution units
  // computed from record.timestamp_ns and the given tsresol of that interface.
  PcapngBuilder& packet(std::uint32_t interface_id, const Record& record);
  PcapngBuilder& simple_packet(const Record& record);  // an SPB (wire length only)
  PcapngBuilder& block(std::uint32_t type, std::span<const std::uint8_t> body);  // any block
  const Bytes& bytes() const noexcept { return bytes_; }

 private:
  void put32(std::uint32_t v);
  void put16(std::uint16_t v);
  bool swapped_;
  Bytes bytes_;
  std::vector<std::optional<std::uint8_t>> tsresol_;  // per interface of the current section
};

// zstd-compressed copy of `data` (one frame).
Bytes zstd_compress(std::span<const std::uint8_t> data, int level = 3);

// A fresh, unique path under $TMPDIR (or /tmp) ending in `suffix`; removed by ~TempPath.
struct TempPath {
  explicit TempPath(const std::string& suffix = ".pcap");
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  std::string path;
};

void write_file(const std::string& path, std::span<const std::uint8_t> data);
Bytes read_file(const std::string& path);

// Runs a shell command, returns its standard output; `status` gets the exit status.
std::string run_command(const std::string& command, int* status = nullptr);
// Whether a program is on PATH (tcpdump, tshark, zstd).
bool have_program(const std::string& name);

}  // namespace slimcap::test
