#pragma once
// Writing pcap or pcapng files, optionally compressed as one zstd frame per file, flushed at every batch.
// Records are gathered in a large buffer and written in one write() per batch: no syscall per
// packet. Whatever ends the run (a write error, ENOSPC, EPIPE, a signal handled by the caller),
// the file on disk is a valid capture holding every complete packet that reached it: a partial
// batch is cut back to the last whole record (pcap) or flushed zstd block, and the zstd frame
// is then ended. A file cut short from outside (SIGKILL, a crash) decompresses up to its last
// flushed batch.
//
// Compression and write() run on one background thread per writer, because the caller is
// usually the thread walking the kernel's capture ring, and every millisecond spent there loses
// packets. A full batch goes to that thread through a small queue of reused buffers (three in
// flight and one being filled, no allocation per batch). When every buffer is in flight (the
// disk or the compressor is slower than the traffic), write() waits: the capture then falls
// behind, and the kernel counts the packets it drops, which slimcap reports. The writer thread
// blocks every asynchronous signal (SIGINT, SIGTERM, SIGPIPE, ...), so they reach the caller's
// thread, and a closed pipe shows up as EPIPE rather than a SIGPIPE death.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "slimcap/packet.hpp"
#include "slimcap/pcap_reader.hpp"

namespace slimcap {

struct WriterOptions {
  // pcap: one link type per file, and µs or ns. pcapng: a Section Header Block, one Interface
  // Description Block per (link type, interface index) the packets bring, written before the
  // first packet that needs it, and Enhanced Packet Blocks with nanosecond times.
  FileFormat format = FileFormat::pcap;
  std::uint32_t link_type = 1;          // pcap: written in the file header
  std::uint32_t snaplen = 262144;       // written in the file header / every IDB
  TimePrecision precision = TimePrecision::micro;  // pcap only
  // pcapng: the if_name of an interface, asked once per new IDB with the packet's
  // interface_index ("" or no function: the IDB carries no name).
  std::function<std::string(std::uint32_t interface_index)> interface_name = {};
  // The CLI's SIGINT/SIGTERM flag. It ends a wait for an output that does not drain (a
  // stalled pipe): once it is set and a wait in write() or flush() sees the writer thread
  // blocked in one write() for a second, the writer takes nothing more, and close() drops what is queued and interrupts a blocked write() (through a
  // real-time signal, SIGRTMIN+3, whose do-nothing handler it installs), so that Ctrl-C ends
  // the run promptly. What went out stays as it is: a pipe cannot be cut back.
  const std::atomic<bool>* stop = nullptr;
  int compression_level = 0;            // 0: plain pcap; 1..19: zstd at that level
  std::size_t batch_size = 1 << 20;     // bytes gathered per write(), and per zstd flush
};

class PcapWriter {
 public:
  // Creates (truncates) `path`; "-" writes to standard output.
  // Throws SystemError: "PATH: Permission denied", ...
  PcapWriter(const std::string& path, const WriterOptions& options);
  // Writes out what was handed over and joins the writer thread; errors there are swallowed,
  // call close() to see them. It can only block as long as a write() on the file blocks.
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Appends one record. pcap: the caller makes sure packet.link_type matches the file's.
  // Throws SystemError ("PATH: No space left on device", EPIPE, ...) when an earlier batch
  // could not be written; the file then holds every complete record before that batch, and
  // nothing more is written. The error is thrown once (by write(), flush() or close());
  // write() after it throws Error ("PATH: the capture file is already closed").
  void write(const PacketView& packet);
  // Hands the buffered records (flushing the zstd stream to the end of a block) to the writer thread and waits
  // until everything handed over is written. For -U and idle times. A round trip to the
  // writer thread: measured about 20 µs, ten times one write() of a small batch, so calling it
  // per packet limits the rate to some 50,000 packets/s.
  void flush();
  // flush(), stop the writer thread and close the file. Idempotent.
  void close();

  const std::string& path() const noexcept;
  const WriterOptions& options() const noexcept;
  std::uint64_t packets_written() const noexcept;  // records handed to write()
  std::uint64_t bytes() const noexcept;  // file bytes accepted so far (before compression),
                                         // file header included
  FileIdentity identity() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
