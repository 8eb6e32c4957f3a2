#pragma once
// Writing pcap files, optionally as zstd in independent frames. Records are gathered in a large
// buffer and written in one write() per batch: no syscall per packet. Whatever ends the run
// (a write error, ENOSPC, EPIPE, a signal handled by the caller), the file on disk is a valid
// capture holding every complete packet that reached it: a partial batch is cut back to the
// last whole record (pcap) or whole frame (zstd).

#include <cstdint>
#include <memory>
#include <string>

#include "slimcap/packet.hpp"
#include "slimcap/pcap_reader.hpp"

namespace slimcap {

struct WriterOptions {
  std::uint32_t link_type = 1;          // written in the file header
  std::uint32_t snaplen = 262144;       // written in the file header
  TimePrecision precision = TimePrecision::micro;
  int compression_level = 0;            // 0: plain pcap; 1..19: zstd at that level
  std::size_t batch_size = 1 << 20;     // bytes gathered per write(), and per zstd frame
};

class PcapWriter {
 public:
  // Creates (truncates) `path`; "-" writes to standard output.
  // Throws SystemError: "PATH: Permission denied", ...
  PcapWriter(const std::string& path, const WriterOptions& options);
  ~PcapWriter();  // flushes; errors there are swallowed, call close() to see them
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Appends one record. The caller makes sure packet.link_type matches the file's.
  // Throws SystemError ("PATH: No space left on device", EPIPE, ...) when a batch cannot be
  // written; the file then already holds every complete record before that batch.
  void write(const PacketView& packet);
  // Writes out every buffered record (and ends the current zstd frame).
  void flush();
  // flush() and close the file. Idempotent.
  void close();

  const std::string& path() const noexcept;
  const WriterOptions& options() const noexcept;
  std::uint64_t packets_written() const noexcept;  // records handed to write()
  FileIdentity identity() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
