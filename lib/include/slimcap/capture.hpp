#pragma once
// Live capture: an AF_PACKET socket with a TPACKET_V3 receive ring (docs/design.md §2 and
// §3), yielding the same PacketView as the file reader. The setup order is the kernel's:
// socket with protocol 0, PACKET_VERSION, PACKET_RESERVE, SO_ATTACH_FILTER, PACKET_RX_RING and
// mmap, bind, then promiscuous mode. Under load the block walk makes no system call; poll()
// runs only when the current block is not ready, beside an eventfd that wake() signals.
//
// VLAN tags: the kernel strips the outer tag before the socket filter runs. The kernel program
// is therefore prefixed with "tagged frames pass"; for those, the tag is put back into the frame
// (so printed and written frames hold what was on the wire) and the offline program decides.
// The same filter thus selects the same packets live and in the written file.
//
// Two receive paths share everything but the receive loop: the ring (the default), and socket
// mode, which reads batches of up to 64 packets with recvmmsg() and takes the VLAN tag, wire
// length and timestamp from PACKET_AUXDATA and SO_TIMESTAMPNS. Socket mode needs no mapped
// memory and is what to use where a ring cannot be set up; the ring is faster.
//
// The interface "any" captures every interface of the network namespace, as libpcap does: a
// SOCK_DGRAM socket bound to ifindex 0, each packet prefixed with a LINUX_SLL2 header built
// from its sockaddr_ll (protocol, ifindex, hardware type, packet type, address). A VLAN tag the
// kernel stripped goes back after that header: protocol = the TPID, then TCI and the inner
// protocol, as in LINUX_SLL (libpcap 1.10 drops the tag on SLL2; tcpdump and slimcap decode
// this layout). The filter is compiled for LINUX_SLL2; the kernel copy is rewritten as
// libpcap's fix_offset() does, and a program that cannot be rewritten runs in userland.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slimcap/fanout.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/interfaces.hpp"  // list_interfaces(), kAnyInterface
#include "slimcap/packet.hpp"

namespace slimcap {

struct RingConfig {
  std::size_t block_size = 4 << 20;  // bytes per block (a multiple of the page size)
  std::size_t block_count = 16;      // ring size = block_size * block_count
  std::chrono::milliseconds block_timeout{50};  // a partly filled block is handed over after this
};

enum class CaptureDirection { in_out, in, out };  // -Q

enum class CaptureMode { ring, socket };  // --mode: TPACKET_V3 ring, or recvmmsg() batches

// Where packet times come from (-j), numbered as libpcap's PCAP_TSTAMP_* values so that
// libpcap's names ("host", "adapter_unsynced") and descriptions apply.
enum class TimestampSource {
  host = 0,              // the kernel's clock when the packet reached the stack
  adapter = 3,           // the NIC's clock, synchronised with the system's (SYS_HARDWARE)
  adapter_unsynced = 4,  // the NIC's raw clock (SOF_TIMESTAMPING_RAW_HARDWARE)
};

struct CaptureOptions {
  std::string interface;            // a name, e.g. "eth0", or kAnyInterface
  std::uint32_t snaplen = 262144;   // enforced in the kernel by the filter's return value
  bool promiscuous = true;          // ignored on "any", as libpcap does
  CaptureDirection direction = CaptureDirection::in_out;
  CaptureMode mode = CaptureMode::ring;
  RingConfig ring;  // socket mode: block_size * block_count is the socket receive buffer
  // -y: one of interface_link_types(interface); 0 is the interface's default (EN10MB,
  // LINUX_SLL2 on "any", RAW on tun devices).
  std::uint32_t link_type = 0;
  // -j: one of interface_timestamp_sources(interface).
  TimestampSource timestamp = TimestampSource::host;
  // --immediate-mode (ring mode): a TPACKET_V2 ring of fixed-size frames, each handed over as
  // soon as the kernel has written it, as libpcap's immediate mode; ring.block_timeout does
  // not apply. Frames hold min(snaplen, 65600) bytes of packet: a larger (GRO) packet is cut.
  bool immediate = false;
  // --sample N (N > 1): the kernel keeps about 1 in N packets, at random, before the filter
  // runs (a prefix of the kernel program loading SKF_AD_RANDOM), so a packet sampled out
  // costs no copy and is counted nowhere.
  std::uint32_t sample = 0;
  // Opens "held": a filter that rejects everything is attached until start() swaps in the
  // real one. A fanout member joins its group while held (docs/fanout.md, "A clean start").
  bool held = false;
};

// -L: the link types a capture on `interface` can deliver, in libpcap's order (EN10MB and
// DOCSIS on Ethernet devices, EN10MB on loopback, RAW on tun devices, LINUX_SLL and
// LINUX_SLL2 on "any"), and the one used without -y. Throws SystemError ("no such
// interface") or Error for a hardware type slimcap cannot capture.
std::vector<std::uint32_t> interface_link_types(const std::string& interface);
std::uint32_t default_link_type(const std::string& interface);

// -J: the time stamp sources of `interface`: host, plus the adapter's clocks where the driver
// reports them (ETHTOOL_GET_TS_INFO), as libpcap lists them. Only host on "any".
std::vector<TimestampSource> interface_timestamp_sources(const std::string& interface);

// libpcap's names: -y's link type names ("EN10MB", any case) as LINKTYPE_* values, and -j's
// time stamp type names ("host", "adapter_unsynced") as PCAP_TSTAMP_* values, with their
// descriptions ("Host"). -1 for a name libpcap does not know.
std::int64_t link_type_from_name(const std::string& name);
int timestamp_type_from_name(const std::string& name);
std::string timestamp_type_name(int type);
std::string timestamp_type_description(int type);

// 64-bit running totals; the kernel's counters reset on every read.
struct CaptureCounters {
  std::uint64_t received = 0;  // reached the socket: captured + dropped (tp_packets)
  std::uint64_t dropped = 0;   // ring or receive buffer full (tp_drops)
  std::uint64_t freezes = 0;   // times the ring froze (tp_freeze_q_cnt); 0 in socket mode
};

// How full the ring is: units waiting for the reader (handed over by the kernel, not yet given
// back). A ring that keeps filling is the leading indicator of drops. Ring mode counts blocks,
// --immediate-mode frames, socket mode bytes queued in the receive buffer (SO_MEMINFO).
struct RingFill {
  std::uint64_t used = 0;
  std::uint64_t size = 0;
};

class CaptureSocket {
 public:
  // Opens and sets up the socket (and ring) on options.interface, with `filter` compiled for
  // the link type: EN10MB, RAW for tun devices, LINUX_SLL2 on "any" (an empty filter accepts
  // everything). Throws SystemError with what failed, e.g.
  // "eth0: cannot open packet socket: Operation not permitted".
  CaptureSocket(const CaptureOptions& options, Filter& filter);
  ~CaptureSocket();
  CaptureSocket(const CaptureSocket&) = delete;
  CaptureSocket& operator=(const CaptureSocket&) = delete;

  // The next packet, waiting at most `timeout` (negative: for ever). False on timeout or when
  // woken by wake(). The packet borrows the ring (or the receive batch) until the next call.
  bool next(PacketView& packet, std::chrono::milliseconds timeout);
  // Makes a blocked next() return false; safe from another thread or a signal handler.
  void wake() noexcept;

  // Reads the kernel's counters (which resets them there) and returns the running totals.
  CaptureCounters counters();
  // A snapshot of the ring's fill; reads the ring's status words (or one getsockopt).
  RingFill ring_fill() const noexcept;
  std::uint32_t link_type() const noexcept;
  int interface_index() const noexcept;  // 0 on "any"
  // The ring's size in bytes: smaller than asked when the kernel refused the memory and the
  // ring was retried with half as many blocks. Socket mode: the receive buffer asked for.
  std::size_t buffer_size() const noexcept;

  // Joins a PACKET_FANOUT group: spec.group's id, else `id`; with `unique` (the first member
  // of a group of slimcap's own), the kernel picks a free id. Returns the group's id. Throws
  // Error "eth0: fanout group 7 exists with another mode or interface" when the kernel
  // refuses a group that exists with other settings (EINVAL), SystemError otherwise.
  std::uint16_t join_fanout(const FanoutSpec& spec, std::uint16_t id, bool unique);
  // The group's classic-BPF program (flow2, flow4, tcp5), set through this member.
  void set_fanout_program(std::span<const BpfInstruction> program);
  // A held socket (CaptureOptions::held): attaches the real filter; packets arrive from now.
  void start();
  // PACKET_ROLLOVER_STATS (zero when the group does not roll over).
  RolloverCounters rollover_counters() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
