#pragma once
// Reading capture files: pcap (µs and ns magics, both byte orders), pcapng (SHB, IDB with
// if_tsresol and if_tsoffset, EPB, SPB, unknown blocks skipped, several interfaces and
// sections), and either of them inside a zstd or gzip stream, detected by magic, never by name.
// Constant memory: the input is read in large chunks whatever its size. docs/design.md §4 has
// libpcap's rules for odd records, which this follows.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "slimcap/packet.hpp"

namespace slimcap {

enum class FileFormat { pcap, pcapng };

// The timestamp a reader delivers for a pcapng time that signed 64-bit nanoseconds cannot hold
// (before 1677 or after 2262, reachable through if_tsoffset or a fine if_tsresol); the time
// itself is then in PacketView's record fields (record_unit 3).
inline constexpr std::int64_t kUnrepresentableTime = INT64_MIN;
enum class Compression { none, zstd, gzip };
enum class TimePrecision { micro, nano };

// Identity of an opened file, so that a writer can refuse to overwrite one of its inputs.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  bool regular = false;  // only regular files have a meaningful identity
};

// The identity of the file at `path` (regular == false when it does not exist or is not a
// regular file), to compare with the inputs' identity().
FileIdentity file_identity(const std::string& path) noexcept;

// One interface of the file, as capinfos describes it: pcap files have one (from the file
// header), pcapng files one per Interface Description Block of the current section.
struct FileInterface {
  std::uint32_t link_type = 0;
  std::uint32_t snaplen = 0;        // adjusted as snaplen() is (0 in the file: the maximum)
  std::uint64_t ticks_per_second = 1000000;
  std::uint8_t tsresol = 6;         // if_tsresol's byte (pcap: 6 or 9)
  bool has_tsresol = false;         // the IDB carried if_tsresol
  std::string name;                 // if_name
  std::string description;          // if_description
  std::string os;                   // if_os
  std::uint32_t statistics = 0;     // Interface Statistics Blocks read so far
};

// The first section header's options (pcapng): shb_hardware, shb_os, shb_userappl.
struct SectionInfo {
  std::string hardware;
  std::string os;
  std::string application;
};

class PcapReader {
 public:
  // Opens `path`; "-" reads standard input. Reads the file header (for pcapng up to the first
  // interface description, as libpcap), so format(), link_type() and snaplen() are known when
  // this returns. `stop`: see set_stop_flag(); given here, it also ends a wait for the header
  // (a FIFO without a writer, a pipe whose writer is idle): stopped() then says so.
  // Throws Error: "PATH: No such file or directory",
  // "PATH: not a pcap, pcapng or zstd-compressed capture file", libpcap's texts for pcapng
  // files it refuses ("PATH: the capture file has a packet block before any Interface
  // Description Blocks", "... if_tsresol option resolution 10^-20 is too high"), ...
  explicit PcapReader(const std::string& path, const std::atomic<bool>* stop = nullptr);
  ~PcapReader();
  PcapReader(const PcapReader&) = delete;
  PcapReader& operator=(const PcapReader&) = delete;

  // The next packet, or false at the clean end of the input. `packet` borrows the reader's
  // buffer and stays valid until the next call. After every complete packet was delivered,
  // a damaged input throws Error, e.g. "PATH: truncated capture file (12 bytes into a record)".
  bool next(PacketView& packet);
  // True when the next packet is already in memory, so next() will not read (nor wait on a
  // pipe). False when it may have to: `read -U` writes its output out before that.
  bool next_is_buffered() const noexcept;

  // While blocked on a slow input (a pipe, a terminal), a signal interrupts the read; when
  // `*stop` is then true, next() returns false as at the end of the input. The CLI passes
  // its SIGINT/SIGTERM flag here so that Ctrl-C on `slimcap read -` ends the run promptly.
  void set_stop_flag(const std::atomic<bool>* stop) noexcept;
  // True when a stop request ended reading before the end of the input.
  bool stopped() const noexcept;

  const std::string& path() const noexcept;  // as given ("-" for stdin)
  FileFormat format() const noexcept;
  Compression compression() const noexcept;
  TimePrecision precision() const noexcept;  // pcap: from the magic; pcapng: of interface 0
  // pcap: the file's link type; pcapng: of the first interface (0 before any IDB).
  std::uint32_t link_type() const noexcept;
  // The file's snapshot length as libpcap reports it: 0 or above INT_MAX mean the link type's
  // maximum, any other value is kept (also above 262144; records are still refused above the
  // link type's maximum).
  std::uint32_t snaplen() const noexcept;
  // pcapng: the if_name of interface `interface_id` of the current section ("" when it has
  // none, and for pcap files).
  std::string interface_name(std::uint32_t interface_id) const;
  FileIdentity identity() const noexcept;
  // The interfaces known so far (pcapng: the IDBs of the current section read up to here).
  std::size_t interface_count() const noexcept;
  FileInterface interface_info(std::uint32_t interface_id) const;
  // pcapng numbers interfaces per section; capinfos and Wireshark number them in the whole
  // file: the interfaces of the earlier sections first. A packet's interface in the file is
  // interface_base() + PacketView::interface_index (0 for pcap and a first section).
  std::size_t interface_base() const noexcept;
  // The interfaces of the file so far, every section's, in that numbering.
  std::size_t file_interface_count() const noexcept;
  FileInterface file_interface_info(std::size_t id) const;
  const SectionInfo& section_info() const noexcept;
  // The snapshot length field of a pcap file header as written (0 when unset); 0 for pcapng.
  std::uint32_t header_snaplen() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
