#include "slimcap/interfaces.hpp"

#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "interfaces_internal.hpp"
#include "slimcap/error.hpp"

namespace slimcap {
namespace {

using detail::IoctlSocket;

// ETHTOOL_GLINK as libpcap's get_if_flags() reads it: no ethtool link state (EOPNOTSUPP,
// EINVAL) means "not applicable", as on loopback.
LinkStatus link_status(const IoctlSocket& s, const std::string& name, bool loopback) {
  if (loopback) return LinkStatus::not_applicable;
  ethtool_value value{};
  value.cmd = ETHTOOL_GLINK;
  ifreq r;
  if (!s.query(name, SIOCETHTOOL, r, &value))
    return errno == EOPNOTSUPP || errno == EINVAL ? LinkStatus::not_applicable : LinkStatus::unknown;
  return value.data != 0 ? LinkStatus::connected : LinkStatus::disconnected;
}

bool is_wireless(const std::string& name, int hardware_type) {
  const std::string sys = "/sys/class/net/" + name;
  if (::access((sys + "/phy80211").c_str(), F_OK) == 0 ||
      ::access((sys + "/wireless").c_str(), F_OK) == 0)
    return true;
  switch (hardware_type) {
    case ARPHRD_IRDA: case ARPHRD_IEEE80211: case ARPHRD_IEEE80211_PRISM:
    case ARPHRD_IEEE80211_RADIOTAP: case ARPHRD_IEEE802154:
    case 805:  // ARPHRD_IEEE802154_MONITOR (linux/if_arp.h only)
    case 825:  // ARPHRD_6LOWPAN
      return true;
    default:
      return false;
  }
}

// libpcap 1.10's get_figure_of_merit(): lower sorts first.
unsigned figure_of_merit(const InterfaceInfo& i) {
  unsigned n = 0;
  if (!i.running) n |= 0x80000000u;
  if (!i.up) n |= 0x40000000u;
  if (!i.wireless && i.link == LinkStatus::disconnected) n |= 0x20000000u;
  if (i.loopback) n |= 0x10000000u;
  if (i.name == kAnyInterface) n |= 0x08000000u;
  return n;
}


// The receive buffer of a link dump. The kernel fills each read with as many RTM_NEWLINK
// messages (1 to 2 KiB each) as fit in the larger of its own default (about 8 KiB) and the
// largest buffer this socket has read into, so a larger buffer means fewer reads per dump.
// A message larger than the buffer fails the dump (ENOSPC) instead of arriving cut.
constexpr std::size_t kReceiveBufferSize = 32768;
static_assert(kReceiveBufferSize >= 8192, "at least MNL_SOCKET_BUFFER_SIZE");
// A dump marked NLM_F_DUMP_INTR (interfaces came or went during it) is repeated this often.
constexpr int kDumpAttempts = 3;

// rtnl_link_stats64 or the 32-bit rtnl_link_stats, which has the same fields but the last.
template <typename Stats>
void copy_counters(const Stats& s, LinkCounters& c) {
  c.rx_packets = s.rx_packets;
  c.tx_packets = s.tx_packets;
  c.rx_bytes = s.rx_bytes;
  c.tx_bytes = s.tx_bytes;
  c.rx_errors = s.rx_errors;
  c.tx_errors = s.tx_errors;
  c.rx_dropped = s.rx_dropped;
  c.tx_dropped = s.tx_dropped;
  c.multicast = s.multicast;
  c.collisions = s.collisions;
  c.rx_length_errors = s.rx_length_errors;
  c.rx_over_errors = s.rx_over_errors;
  c.rx_crc_errors = s.rx_crc_errors;
  c.rx_frame_errors = s.rx_frame_errors;
  c.rx_fifo_errors = s.rx_fifo_errors;
  c.rx_missed_errors = s.rx_missed_errors;
  c.tx_aborted_errors = s.tx_aborted_errors;
  c.tx_carrier_errors = s.tx_carrier_errors;
  c.tx_fifo_errors = s.tx_fifo_errors;
  c.tx_heartbeat_errors = s.tx_heartbeat_errors;
  c.tx_window_errors = s.tx_window_errors;
  c.rx_compressed = s.rx_compressed;
  c.tx_compressed = s.tx_compressed;
  c.rx_nohandler = s.rx_nohandler;
  if constexpr (requires { s.rx_otherhost_dropped; }) c.rx_otherhost_dropped = s.rx_otherhost_dropped;
}

// The attribute's payload as a `Stats`: an older kernel's shorter struct leaves the newer
// fields 0, a newer kernel's longer one is cut to what this build knows.
template <typename Stats>
Stats stats_payload(const nlattr* attribute) {
  Stats s{};
  std::memcpy(&s, mnl_attr_get_payload(attribute),
              std::min<std::size_t>(mnl_attr_get_payload_len(attribute), sizeof s));
  return s;
}

struct LinkAttributes {
  const nlattr* name = nullptr;
  const nlattr* stats64 = nullptr;
  const nlattr* stats32 = nullptr;
};

int collect_link_attribute(const nlattr* attribute, void* data) {
  auto& found = *static_cast<LinkAttributes*>(data);
  switch (mnl_attr_get_type(attribute)) {
    case IFLA_IFNAME: found.name = attribute; break;
    case IFLA_STATS64: found.stats64 = attribute; break;
    case IFLA_STATS: found.stats32 = attribute; break;
    default: break;
  }
  return MNL_CB_OK;
}

// Hexadecimal text of softnet_stat's columns.
bool parse_hex32(std::string_view field, std::uint32_t& value) {
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value, 16);
  return error == std::errc{} && end == field.data() + field.size();
}

}  // namespace

std::vector<InterfaceInfo> list_interfaces() {
  std::vector<InterfaceInfo> out;
  struct if_nameindex* names = ::if_nameindex();
  if (names == nullptr) throw SystemError("cannot list interfaces", errno);
  try {
    IoctlSocket s;
    for (struct if_nameindex* n = names; n->if_index != 0; ++n) {
      InterfaceInfo info;
      info.name = n->if_name;
      ifreq r;
      if (!s.query(info.name, SIOCGIFFLAGS, r)) continue;  // gone since the listing
      const unsigned flags = static_cast<unsigned short>(r.ifr_flags);
      info.up = flags & IFF_UP;
      info.running = flags & IFF_RUNNING;
      info.loopback = flags & IFF_LOOPBACK;
      const int type = s.query(info.name, SIOCGIFHWADDR, r) ? r.ifr_hwaddr.sa_family : -1;
      info.wireless = !info.loopback && is_wireless(info.name, type);
      info.link = link_status(s, info.name, info.loopback);
      out.push_back(std::move(info));
    }
  } catch (...) {
    ::if_freenameindex(names);
    throw;
  }
  ::if_freenameindex(names);
  InterfaceInfo any;
  any.name = kAnyInterface;
  any.description = "Pseudo-device that captures on all interfaces";
  any.up = any.running = true;
  any.link = LinkStatus::not_applicable;
  out.push_back(std::move(any));
  std::stable_sort(out.begin(), out.end(), [](const InterfaceInfo& a, const InterfaceInfo& b) {
    return figure_of_merit(a) < figure_of_merit(b);
  });
  return out;
}

namespace detail {

bool parse_link_message(const nlmsghdr* message, LinkSample& out) {
  if (message->nlmsg_type != RTM_NEWLINK || message->nlmsg_len < mnl_nlmsg_size(sizeof(ifinfomsg)))
    return false;
  const auto* header = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(message));
  out.ifindex = header->ifi_index;
  out.up = header->ifi_flags & IFF_UP;
  out.running = header->ifi_flags & IFF_RUNNING;
  out.loopback = header->ifi_flags & IFF_LOOPBACK;
  LinkAttributes found;
  if (mnl_attr_parse(message, sizeof(ifinfomsg), collect_link_attribute, &found) < 0) return false;
  if (found.name != nullptr) {
    const char* name = static_cast<const char*>(mnl_attr_get_payload(found.name));
    out.name.assign(name, ::strnlen(name, mnl_attr_get_payload_len(found.name)));
  } else {
    out.name.clear();
  }
  out.counters = LinkCounters{};
  out.has_counters = found.stats64 != nullptr || found.stats32 != nullptr;
  out.counters_32bit = found.stats64 == nullptr && found.stats32 != nullptr;
  if (found.stats64 != nullptr)
    copy_counters(stats_payload<rtnl_link_stats64>(found.stats64), out.counters);
  else if (found.stats32 != nullptr)
    copy_counters(stats_payload<rtnl_link_stats>(found.stats32), out.counters);
  return true;
}

}  // namespace detail

struct LinkStatsReader::Impl {
  mnl_socket* socket = nullptr;
  std::uint32_t port = 0;
  std::uint32_t sequence = 0;
  std::unique_ptr<std::uint64_t[]> buffer;  // kReceiveBufferSize bytes, aligned for nlmsghdr

  ~Impl() {
    if (socket != nullptr) mnl_socket_close(socket);
  }

  void request() {
    alignas(nlmsghdr) char message[MNL_ALIGN(sizeof(nlmsghdr)) + MNL_ALIGN(sizeof(ifinfomsg))] = {};
    nlmsghdr* header = mnl_nlmsg_put_header(message);
    header->nlmsg_type = RTM_GETLINK;
    header->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    header->nlmsg_seq = ++sequence;
    auto* link = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(header, sizeof(ifinfomsg)));
    link->ifi_family = AF_UNSPEC;
    while (mnl_socket_sendto(socket, header, header->nlmsg_len) < 0) {
      if (errno != EINTR) throw SystemError("rtnetlink: cannot request the interface list", errno);
    }
  }

  // Reads the reply to the last request into `into` from its start; false when the kernel
  // marked the dump interrupted.
  bool receive(std::vector<LinkSample>& into) {
    std::size_t used = 0;
    bool consistent = true;
    char* data = reinterpret_cast<char*>(buffer.get());
    for (;;) {
      const ssize_t n = mnl_socket_recvfrom(socket, data, kReceiveBufferSize);
      if (n < 0) {
        if (errno == EINTR) continue;
        // ENOSPC: libmnl's word for a message larger than the buffer (MSG_TRUNC).
        throw SystemError("rtnetlink: cannot read the interface list", errno);
      }
      int left = static_cast<int>(n);
      for (auto* m = reinterpret_cast<const nlmsghdr*>(data); mnl_nlmsg_ok(m, left);
           m = mnl_nlmsg_next(m, &left)) {
        // A late part of a dump given up on (an exception between request and reply).
        if (m->nlmsg_seq != sequence || m->nlmsg_pid != port) continue;
        if (m->nlmsg_flags & NLM_F_DUMP_INTR) consistent = false;
        if (m->nlmsg_type == NLMSG_DONE) {
          // The payload is the dump's final status: 0, or a negative errno.
          int status = 0;
          if (mnl_nlmsg_get_payload_len(m) >= sizeof status)
            std::memcpy(&status, mnl_nlmsg_get_payload(m), sizeof status);
          if (status < 0) throw SystemError("rtnetlink: the interface list failed", -status);
          into.resize(used);
          return consistent;
        }
        if (m->nlmsg_type == NLMSG_ERROR) {
          const auto* error = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(m));
          if (mnl_nlmsg_get_payload_len(m) < sizeof(nlmsgerr))
            throw Error("rtnetlink: a truncated error message");
          if (error->error != 0)
            throw SystemError("rtnetlink: the interface list was refused", -error->error);
          continue;  // an acknowledgement
        }
        if (used == into.size()) into.emplace_back();
        if (detail::parse_link_message(m, into[used])) ++used;
      }
    }
  }
};

LinkStatsReader::LinkStatsReader() : impl_(std::make_unique<Impl>()) {
  impl_->socket = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (impl_->socket == nullptr) throw SystemError("rtnetlink: cannot open a socket", errno);
  if (mnl_socket_bind(impl_->socket, 0, MNL_SOCKET_AUTOPID) < 0)
    throw SystemError("rtnetlink: cannot bind the socket", errno);
  impl_->port = mnl_socket_get_portid(impl_->socket);
  impl_->buffer = std::make_unique<std::uint64_t[]>(kReceiveBufferSize / sizeof(std::uint64_t));
}

LinkStatsReader::~LinkStatsReader() = default;

void LinkStatsReader::dump(std::vector<LinkSample>& into) {
  for (int attempt = 1;; ++attempt) {
    impl_->request();
    if (impl_->receive(into) || attempt == kDumpAttempts) return;
  }
}

std::vector<LinkSample> LinkStatsReader::dump() {
  std::vector<LinkSample> samples;
  dump(samples);
  return samples;
}

void parse_softnet_stat(std::string_view text, std::vector<SoftnetCpu>& into) {
  into.clear();
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    // Columns 1 to 3 and 13 (the CPU's number); the others are not used.
    std::uint32_t columns[13] = {};
    std::size_t count = 0;
    while (!line.empty()) {
      const std::size_t start = line.find_first_not_of(' ');
      if (start == std::string_view::npos) break;
      line.remove_prefix(start);
      const std::size_t stop = std::min(line.find(' '), line.size());
      std::uint32_t value = 0;
      if (!parse_hex32(line.substr(0, stop), value))
        throw Error(fmt::format("softnet_stat line {}: column {} is not a 32-bit hexadecimal number",
                                line_number, count + 1));
      if (count < std::size(columns)) columns[count] = value;
      ++count;
      line.remove_prefix(stop);
    }
    if (count == 0) continue;  // an empty line
    if (count < 3)
      throw Error(fmt::format("softnet_stat line {}: {} columns, expected at least 3", line_number,
                              count));
    SoftnetCpu cpu;
    cpu.cpu = count >= 13 ? columns[12] : static_cast<std::uint32_t>(into.size());
    cpu.numbered = count >= 13;
    cpu.processed = columns[0];
    cpu.dropped = columns[1];
    cpu.time_squeeze = columns[2];
    into.push_back(cpu);
  }
}

std::vector<SoftnetCpu> parse_softnet_stat(std::string_view text) {
  std::vector<SoftnetCpu> cpus;
  parse_softnet_stat(text, cpus);
  return cpus;
}

const SoftnetTotals& SoftnetAccumulator::add(const std::vector<SoftnetCpu>& sample) {
  merged_.assign(sample.begin(), sample.end());
  const auto by_cpu = [](const SoftnetCpu& a, const SoftnetCpu& b) { return a.cpu < b.cpu; };
  std::sort(merged_.begin(), merged_.end(), by_cpu);
  // Lines matched by position only pair up while there are as many of them.
  const bool numbered = std::all_of(merged_.begin(), merged_.end(),
                                    [](const SoftnetCpu& c) { return c.numbered; });
  const bool comparable = numbered || merged_.size() == last_.size();
  auto previous = last_.begin();
  for (const SoftnetCpu& now : merged_) {
    if (started_ && !comparable) break;
    while (previous != last_.end() && previous->cpu < now.cpu) ++previous;
    if (previous != last_.end() && previous->cpu == now.cpu) {
      // Unsigned 32-bit subtraction is the delta modulo 2^32: a wrap adds what was counted.
      totals_.processed += static_cast<std::uint32_t>(now.processed - previous->processed);
      totals_.dropped += static_cast<std::uint32_t>(now.dropped - previous->dropped);
      totals_.time_squeeze += static_cast<std::uint32_t>(now.time_squeeze - previous->time_squeeze);
    } else if (!started_) {
      totals_.processed += now.processed;
      totals_.dropped += now.dropped;
      totals_.time_squeeze += now.time_squeeze;
    }
  }
  started_ = true;
  totals_.cpus = merged_.size();
  last_.swap(merged_);
  merged_.reserve(last_.size());  // so that the next sample of as many CPUs allocates nothing
  return totals_;
}

SoftnetReader::SoftnetReader(std::string path)
    : path_(std::move(path)), fd_(::open(path_.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (fd_ < 0) throw SystemError(path_ + ": cannot open", errno);
  buffer_.resize(16384);
}

SoftnetReader::~SoftnetReader() { ::close(fd_); }

const SoftnetTotals& SoftnetReader::read() {
  // procfs hands out at most about a page per read: read on until it says the end (0).
  std::size_t used = 0;
  for (;;) {
    if (buffer_.size() - used < 4096) buffer_.resize(buffer_.size() * 2);
    const ssize_t n = ::pread(fd_, buffer_.data() + used, buffer_.size() - used,
                              static_cast<off_t>(used));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SystemError(path_ + ": cannot read", errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  parse_softnet_stat(std::string_view(buffer_.data(), used), sample_);
  return accumulator_.add(sample_);
}

}  // namespace slimcap
