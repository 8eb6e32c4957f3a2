#pragma once
// Network interfaces: how every subcommand lists and names them (-D), and the kernel's
// counters that `stats` turns into rates and a drop ledger. No privilege is needed for any of
// it. Two sources, read once per sample:
//
// rtnetlink, one RTM_GETLINK dump (LinkStatsReader): per interface its index, name, flags and
// the 64-bit counters of IFLA_STATS64 (struct rtnl_link_stats64; the same numbers as
// `ip -s link` and /sys/class/net/IF/statistics/). An interface counts a packet once, at the
// driver, before the stack decides anything:
//   rx_packets, rx_bytes   frames the host took from the device (on Ethernet the bytes are the
//                          frame without FCS); tx_packets, tx_bytes: handed to the device.
//   rx_errors, tx_errors   bad frames (the sum of the detailed *_errors below and others).
//   rx_dropped             received, then not processed: no memory, an unknown protocol, and on
//                          some NICs frames the address filter refused. Not the NIC's own loss.
//   tx_dropped             dropped on the way out (queue full, no route to the device).
//   rx_missed_errors       the NIC had no buffer for the frame: the host did not keep up. This
//                          is the loss that matters on a busy capture box; /proc/net/dev's
//                          "drop" column is rx_dropped + rx_missed_errors.
//   rx_fifo_errors         receive FIFO overruns (hardware; some drivers use rx_over_errors).
//   rx_nohandler           arrived on a device that is not meant to receive (a bond's backup
//                          link); since Linux 4.6.
//   multicast, collisions and the detailed error counters as the kernel documents them in
//   linux/if_link.h. A counter a driver does not keep stays 0.
// A kernel without IFLA_STATS64 (before 2.6.35) sends only IFLA_STATS, 32-bit counters that
// wrap at 2^32: LinkSample::counters_32bit says so, and deltas of that interface are taken
// modulo 2^32. Counters are per interface index: an interface deleted and created again with
// the same name has a new index and counters from 0.
//
// /proc/net/softnet_stat (SoftnetReader): one line per online CPU, hexadecimal 32-bit counters
// of the CPU's backlog, the queue between the driver (or veth, RPS, loopback) and the
// protocol stack. Column 1: packets processed from it; column 2: dropped because the backlog
// was full (net.core.netdev_max_backlog) -- a loss no interface counter shows; column 3: time
// squeezes, NAPI rounds that stopped with work left (net.core.netdev_budget or its time ran
// out: a sign the CPU is saturated, not a loss). Newer kernels print the CPU's number in column
// 13 (lines skip offline CPUs, so the line number is not always the CPU's). These counters are
// of the whole system, not of an interface, and wrap at 2^32 (in 24 minutes at 3 Mpps on one
// CPU); the reader keeps 64-bit totals from deltas taken modulo 2^32.
//
// Not counted here: the capture socket's PACKET_STATISTICS (CaptureSocket::counters()), and
// the NIC's per-queue counters, which only `ethtool -S` shows, with names that differ per
// driver.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct nlmsghdr;

namespace slimcap {

// The interface name that means every interface (link type LINUX_SLL2).
inline constexpr std::string_view kAnyInterface = "any";

// -D: a capture source as libpcap's pcap_findalldevs() describes it.
enum class LinkStatus { unknown, connected, disconnected, not_applicable };
struct InterfaceInfo {
  std::string name;
  std::string description;  // only "any" has one
  bool up = false;
  bool running = false;
  bool loopback = false;
  bool wireless = false;
  LinkStatus link = LinkStatus::unknown;
};

// The network interfaces of this network namespace and "any", in libpcap 1.10's order:
// sorted (stably, in ifindex order otherwise) by up and running first, then connected, then
// non-loopback, with "any" after the other up and running ones. libpcap's non-network sources
// (bluetooth-monitor, nflog, nfqueue, dbus-*) are not listed: slimcap cannot capture on them.
// Throws SystemError when the interfaces cannot be listed.
std::vector<InterfaceInfo> list_interfaces();

// struct rtnl_link_stats64, field for field (see the top of this file).
struct LinkCounters {
  std::uint64_t rx_packets = 0;
  std::uint64_t tx_packets = 0;
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
  std::uint64_t rx_errors = 0;
  std::uint64_t tx_errors = 0;
  std::uint64_t rx_dropped = 0;
  std::uint64_t tx_dropped = 0;
  std::uint64_t multicast = 0;
  std::uint64_t collisions = 0;
  std::uint64_t rx_length_errors = 0;
  std::uint64_t rx_over_errors = 0;
  std::uint64_t rx_crc_errors = 0;
  std::uint64_t rx_frame_errors = 0;
  std::uint64_t rx_fifo_errors = 0;
  std::uint64_t rx_missed_errors = 0;
  std::uint64_t tx_aborted_errors = 0;
  std::uint64_t tx_carrier_errors = 0;
  std::uint64_t tx_fifo_errors = 0;
  std::uint64_t tx_heartbeat_errors = 0;
  std::uint64_t tx_window_errors = 0;
  std::uint64_t rx_compressed = 0;
  std::uint64_t tx_compressed = 0;
  std::uint64_t rx_nohandler = 0;
  std::uint64_t rx_otherhost_dropped = 0;  // newer kernels only; 0 before
};

// One interface in one rtnetlink dump.
struct LinkSample {
  int ifindex = 0;
  std::string name;  // at most 15 bytes (IFNAMSIZ - 1): no allocation with libstdc++'s SSO
  bool up = false;        // IFF_UP: administratively up
  bool running = false;   // IFF_RUNNING: operationally up (carrier)
  bool loopback = false;  // IFF_LOOPBACK
  bool has_counters = false;   // the kernel sent IFLA_STATS64 or IFLA_STATS
  bool counters_32bit = false; // only IFLA_STATS: every counter wraps at 2^32
  LinkCounters counters;
};

// A NETLINK_ROUTE socket kept open across samples. Each dump() is one RTM_GETLINK dump
// request and reads its multi-part reply into a receive buffer allocated once. Errors throw
// SystemError "rtnetlink: <what>: <strerror>". Not thread-safe; one reader per thread.
class LinkStatsReader {
 public:
  LinkStatsReader();
  ~LinkStatsReader();
  LinkStatsReader(const LinkStatsReader&) = delete;
  LinkStatsReader& operator=(const LinkStatsReader&) = delete;

  // Every interface of the socket's network namespace (the one current at construction), in
  // the kernel's order (ifindex order). `into` is cleared and refilled: its capacity and its
  // elements' names are reused, so a sample allocates nothing once the vector has grown. A
  // dump the kernel marks as interrupted (NLM_F_DUMP_INTR: interfaces came or went during it)
  // is repeated, up to three times; after that its (possibly incomplete) result is returned.
  void dump(std::vector<LinkSample>& into);
  std::vector<LinkSample> dump();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

namespace detail {
// Decodes one RTM_NEWLINK message into `out`; false (out unspecified) when it is not one or is
// too short for its struct ifinfomsg. Exposed for the unit test, which builds messages with and
// without IFLA_STATS64.
bool parse_link_message(const nlmsghdr* message, LinkSample& out);
}  // namespace detail

// One line of /proc/net/softnet_stat: the raw 32-bit counters of one CPU's backlog.
struct SoftnetCpu {
  std::uint32_t cpu = 0;  // column 13 when the kernel prints it, else the line's index from 0
  std::uint32_t processed = 0;     // column 1
  std::uint32_t dropped = 0;       // column 2: backlog full
  std::uint32_t time_squeeze = 0;  // column 3
  bool numbered = false;  // cpu is the kernel's number (column 13), not a line index
};

// Parses the text of /proc/net/softnet_stat into `into` (cleared first): one entry per line.
// Throws Error "softnet_stat line N: <why>" for a line without three hexadecimal columns.
void parse_softnet_stat(std::string_view text, std::vector<SoftnetCpu>& into);
std::vector<SoftnetCpu> parse_softnet_stat(std::string_view text);

// 64-bit running totals over all CPUs.
struct SoftnetTotals {
  std::uint64_t processed = 0;
  std::uint64_t dropped = 0;
  std::uint64_t time_squeeze = 0;
  std::size_t cpus = 0;  // CPUs in the last read
};

// Accumulates softnet_stat samples into totals that do not wrap: each CPU's 32-bit delta since
// the previous sample, taken modulo 2^32, is added. The first sample's raw sums are the
// starting totals. A CPU that appears (hot-plugged, or back online) starts from its current
// values and adds nothing in that sample; one that disappears stops adding: neither is a spike.
// Without the CPU numbers of column 13, lines are matched by position: when their number
// changes, the lines no longer pair up, and that sample adds nothing (a new baseline).
class SoftnetAccumulator {
 public:
  const SoftnetTotals& add(const std::vector<SoftnetCpu>& sample);
  const SoftnetTotals& totals() const noexcept { return totals_; }

 private:
  std::vector<SoftnetCpu> last_;  // sorted by cpu
  std::vector<SoftnetCpu> merged_;
  SoftnetTotals totals_;
  bool started_ = false;
};

// /proc/net/softnet_stat opened once; read() is a pread() from offset 0 into a buffer kept
// across calls (a second one only to see the end of the file, more on machines whose file
// exceeds a page: 30 CPUs), then parse_softnet_stat() and the accumulator. Throws SystemError
// "PATH: <what>" when the file cannot be opened or read, Error when it cannot be parsed.
class SoftnetReader {
 public:
  explicit SoftnetReader(std::string path = "/proc/net/softnet_stat");
  ~SoftnetReader();
  SoftnetReader(const SoftnetReader&) = delete;
  SoftnetReader& operator=(const SoftnetReader&) = delete;

  const SoftnetTotals& read();
  const std::vector<SoftnetCpu>& last_sample() const noexcept { return sample_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string buffer_;
  std::vector<SoftnetCpu> sample_;
  SoftnetAccumulator accumulator_;
};

}  // namespace slimcap
