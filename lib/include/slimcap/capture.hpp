#pragma once
// Live capture: an AF_PACKET socket with a TPACKET_V3 receive ring (shared/DESIGN.md §2 and
// §3), yielding the same PacketView as the file reader. The setup order is the kernel's:
// socket with protocol 0, PACKET_VERSION, PACKET_RESERVE, SO_ATTACH_FILTER, PACKET_RX_RING and
// mmap, bind, then promiscuous mode. Under load the block walk makes no system call; poll()
// runs only when the current block is not ready, beside an eventfd that wake() signals.
//
// VLAN tags: the kernel strips the outer tag before the socket filter runs. The kernel program
// is therefore prefixed with "tagged frames pass"; for those, the tag is put back into the frame
// (so printed and written frames hold what was on the wire) and the offline program decides.
// The same filter thus selects the same packets live and in the written file.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slimcap/filter.hpp"
#include "slimcap/packet.hpp"

namespace slimcap {

struct RingConfig {
  std::size_t block_size = 1 << 20;  // bytes per block (a multiple of the page size)
  std::size_t block_count = 32;      // ring size = block_size * block_count
  std::chrono::milliseconds block_timeout{50};  // a partly filled block is handed over after this
};

enum class CaptureDirection { in_out, in, out };  // -Q

struct CaptureOptions {
  std::string interface;            // a name, e.g. "eth0"
  std::uint32_t snaplen = 262144;   // enforced in the kernel by the filter's return value
  bool promiscuous = true;
  CaptureDirection direction = CaptureDirection::in_out;
  RingConfig ring;
};

// 64-bit running totals; the kernel's counters reset on every read.
struct CaptureCounters {
  std::uint64_t received = 0;  // reached the socket: captured + dropped (tp_packets)
  std::uint64_t dropped = 0;   // ring full (tp_drops)
  std::uint64_t freezes = 0;   // times the ring froze (tp_freeze_q_cnt)
};

class CaptureSocket {
 public:
  // Opens and sets up the socket and ring on options.interface, with `filter` compiled for
  // EN10MB (an empty filter accepts everything). Throws SystemError with what failed, e.g.
  // "eth0: cannot open packet socket: Operation not permitted".
  CaptureSocket(const CaptureOptions& options, Filter& filter);
  ~CaptureSocket();
  CaptureSocket(const CaptureSocket&) = delete;
  CaptureSocket& operator=(const CaptureSocket&) = delete;

  // The next packet, waiting at most `timeout` (negative: for ever). False on timeout or when
  // woken by wake(). The packet borrows the ring until the next call.
  bool next(PacketView& packet, std::chrono::milliseconds timeout);
  // Makes a blocked next() return false; safe from another thread or a signal handler.
  void wake() noexcept;

  // Reads the kernel's counters (which resets them there) and returns the running totals.
  CaptureCounters counters();
  std::uint32_t link_type() const noexcept;
  int interface_index() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
