#include "slimcap/capture.hpp"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "slimcap/bytes.hpp"
#include "slimcap/error.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {
namespace {

constexpr std::uint32_t kVlanTagLength = 4;

struct sock_filter instruction(std::uint16_t code, std::uint8_t jt, std::uint8_t jf, std::uint32_t k) {
  return {code, jt, jf, k};
}

}  // namespace

struct CaptureSocket::Impl {
  CaptureOptions options;
  Filter* filter = nullptr;
  int fd = -1;
  int wake_fd = -1;
  int ifindex = 0;
  bool loopback = false;
  std::uint32_t link = link_type::kEthernet;
  std::uint8_t* map = nullptr;
  std::size_t map_size = 0;
  std::size_t block_size = 0;
  std::size_t block_count = 0;
  // The block being walked, and the next packet in it.
  std::size_t block = 0;
  bool holding = false;
  std::uint32_t remaining = 0;
  std::uint8_t* packet = nullptr;
  CaptureCounters totals;

  ~Impl() {
    if (holding) release_block();
    if (map) ::munmap(map, map_size);
    if (fd >= 0) ::close(fd);
    if (wake_fd >= 0) ::close(wake_fd);
  }

  [[noreturn]] void fail(const std::string& what, int error) const {
    throw SystemError(options.interface + ": " + what, error);
  }

  void set(int level, int name, const void* value, socklen_t size, const char* what) {
    if (::setsockopt(fd, level, name, value, size) != 0) fail(what, errno);
  }

  void open(const CaptureOptions& o, Filter& f) {
    options = o;
    filter = &f;
    // 1. Protocol 0: nothing is queued until bind() names the interface and protocol.
    fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("cannot open packet socket", errno);
    ifindex = static_cast<int>(::if_nametoindex(options.interface.c_str()));
    if (ifindex == 0) fail("no such interface", errno == 0 ? ENODEV : errno);
    ifreq request{};
    std::strncpy(request.ifr_name, options.interface.c_str(), IFNAMSIZ - 1);
    if (::ioctl(fd, SIOCGIFHWADDR, &request) != 0) fail("cannot read the hardware type", errno);
    switch (request.ifr_hwaddr.sa_family) {
      case ARPHRD_ETHER: link = link_type::kEthernet; break;
      case ARPHRD_LOOPBACK:
        link = link_type::kEthernet;  // Linux frames loopback traffic as Ethernet
        loopback = true;
        break;
      case ARPHRD_NONE: link = link_type::kRaw; break;  // tun devices: bare IP
      default:
        throw Error(options.interface + ": unsupported hardware type " +
                    std::to_string(request.ifr_hwaddr.sa_family));
    }

    // 2. TPACKET_V3 and room for re-inserting a VLAN tag in front of the frame.
    const int version = TPACKET_V3;
    set(SOL_PACKET, PACKET_VERSION, &version, sizeof version, "cannot select TPACKET_V3");
    const unsigned reserve = kVlanTagLength;
    set(SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve, "cannot reserve VLAN headroom");

    // 3. The filter, always: in V3 the kernel truncates to its return value (the snaplen).
    // Tagged frames pass the kernel unconditionally (the kernel has stripped their tag, so a
    // program compiled for the file layout would judge them wrongly); next() re-inserts the
    // tag and runs the offline program on them.
    const std::span<const BpfInstruction> program = filter->program(link);
    std::vector<sock_filter> kernel;
    kernel.reserve(program.size() + 3);
    if (link == link_type::kEthernet) {
      kernel.push_back(instruction(BPF_LD | BPF_B | BPF_ABS, 0, 0,
                                   static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)));
      kernel.push_back(instruction(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 1));
      kernel.push_back(instruction(BPF_RET | BPF_K, 0, 0, options.snaplen));
    }
    for (const BpfInstruction& i : program) kernel.push_back(instruction(i.code, i.jt, i.jf, i.k));
    sock_fprog fprog{static_cast<unsigned short>(kernel.size()), kernel.data()};
    set(SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog, "cannot attach the filter");

    // 4. The ring; when the kernel refuses the memory, retry with half as many blocks.
    block_size = options.ring.block_size;
    block_count = options.ring.block_count;
    for (;;) {
      tpacket_req3 req{};
      req.tp_block_size = static_cast<unsigned>(block_size);
      req.tp_block_nr = static_cast<unsigned>(block_count);
      req.tp_frame_size = 2048;
      req.tp_frame_nr = static_cast<unsigned>(block_size * block_count / req.tp_frame_size);
      req.tp_retire_blk_tov = static_cast<unsigned>(options.ring.block_timeout.count());
      if (::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) == 0) break;
      if (errno != ENOMEM || block_count <= 2) fail("cannot set up the receive ring", errno);
      block_count /= 2;
    }
    map_size = block_size * block_count;
    void* m = ::mmap(nullptr, map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (m == MAP_FAILED) fail("cannot map the receive ring", errno);
    map = static_cast<std::uint8_t*>(m);

    // 5. Bind: from here on, frames of this interface arrive.
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = ifindex;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      fail("cannot bind to the interface", errno);

    // 6. Promiscuous mode, at level SOL_PACKET; dropped with the socket.
    if (options.promiscuous) {
      packet_mreq membership{};
      membership.mr_ifindex = ifindex;
      membership.mr_type = PACKET_MR_PROMISC;
      set(SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership,
          "cannot enter promiscuous mode");
    }

    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) fail("cannot create an eventfd", errno);
  }

  tpacket_block_desc* descriptor(std::size_t index) const noexcept {
    return reinterpret_cast<tpacket_block_desc*>(map + index * block_size);
  }

  void release_block() noexcept {
    std::atomic_ref<std::uint32_t> status(descriptor(block)->hdr.bh1.block_status);
    status.store(TP_STATUS_KERNEL, std::memory_order_release);
    holding = false;
    remaining = 0;
    block = (block + 1) % block_count;
  }

  // Waits for the current block or a wake-up. False on timeout or wake-up.
  bool wait(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ms = timeout.count() < 0 ? -1 : static_cast<int>(timeout.count());
    const int ready = ::poll(fds, 2, ms);
    if (ready < 0) {
      if (errno == EINTR) return false;
      fail("poll failed", errno);
    }
    if (ready == 0) return false;
    if (fds[1].revents & POLLIN) {
      std::uint64_t value;
      [[maybe_unused]] const ssize_t n = ::read(wake_fd, &value, sizeof value);
      return false;
    }
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
      int error = 0;
      socklen_t size = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0) fail("capture stopped", error);
      if (fds[0].revents & (POLLHUP | POLLNVAL)) fail("capture stopped", ENETDOWN);
    }
    return true;
  }

  bool next(PacketView& view, std::chrono::milliseconds timeout) {
    for (;;) {
      if (remaining == 0) {
        if (holding) release_block();
        std::atomic_ref<std::uint32_t> status(descriptor(block)->hdr.bh1.block_status);
        if (!(status.load(std::memory_order_acquire) & TP_STATUS_USER)) {
          if (!wait(timeout)) return false;
          continue;
        }
        const tpacket_hdr_v1& h = descriptor(block)->hdr.bh1;
        holding = true;
        remaining = h.num_pkts;
        packet = map + block * block_size + h.offset_to_first_pkt;
        continue;
      }
      auto* header = reinterpret_cast<tpacket3_hdr*>(packet);
      --remaining;
      packet += header->tp_next_offset;
      const auto* sll = reinterpret_cast<const sockaddr_ll*>(
          reinterpret_cast<std::uint8_t*>(header) + TPACKET_ALIGN(sizeof(tpacket3_hdr)));
      const auto direction = static_cast<Direction>(sll->sll_pkttype);
      const bool outgoing = direction == Direction::outgoing;
      // On loopback every packet passes twice (sent and received); keep the received copy,
      // as tcpdump does.
      if (loopback && outgoing) continue;
      if (options.direction == CaptureDirection::in && outgoing) continue;
      if (options.direction == CaptureDirection::out && !outgoing) continue;

      std::uint8_t* data = reinterpret_cast<std::uint8_t*>(header) + header->tp_mac;
      std::uint32_t caplen = header->tp_snaplen;
      std::uint32_t wire = header->tp_len;
      const bool tagged = (header->tp_status & TP_STATUS_VLAN_VALID) && link == link_type::kEthernet;
      if (tagged && caplen >= 12) {
        // Put the tag back where it was on the wire: the MAC addresses move 4 bytes towards
        // the headroom that PACKET_RESERVE left.
        const std::uint16_t tpid =
            (header->tp_status & TP_STATUS_VLAN_TPID_VALID) ? header->hv1.tp_vlan_tpid : 0x8100;
        std::memmove(data - kVlanTagLength, data, 12);
        data -= kVlanTagLength;
        store_be16(data + 12, tpid);
        store_be16(data + 14, static_cast<std::uint16_t>(header->hv1.tp_vlan_tci));
        caplen += kVlanTagLength;
        wire += kVlanTagLength;
        if (caplen > options.snaplen) caplen = options.snaplen;
      }
      view.data = {data, caplen};
      view.wire_length = wire;
      view.timestamp_ns = static_cast<std::int64_t>(header->tp_sec) * 1000000000 + header->tp_nsec;
      view.link_type = link;
      view.interface_index = static_cast<std::uint32_t>(sll->sll_ifindex);
      view.direction = direction;
      // Tagged frames were passed by the kernel unconditionally: the offline program decides.
      if (tagged && !filter->matches(view)) continue;
      return true;
    }
  }

  CaptureCounters counters() {
    tpacket_stats_v3 stats{};
    socklen_t size = sizeof stats;
    if (::getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, &size) == 0) {
      totals.received += stats.tp_packets;
      totals.dropped += stats.tp_drops;
      totals.freezes += stats.tp_freeze_q_cnt;
    }
    return totals;
  }
};

CaptureSocket::CaptureSocket(const CaptureOptions& options, Filter& filter)
    : impl_(std::make_unique<Impl>()) {
  impl_->open(options, filter);
}
CaptureSocket::~CaptureSocket() = default;

bool CaptureSocket::next(PacketView& packet, std::chrono::milliseconds timeout) {
  return impl_->next(packet, timeout);
}

void CaptureSocket::wake() noexcept {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(impl_->wake_fd, &one, sizeof one);
}

CaptureCounters CaptureSocket::counters() { return impl_->counters(); }
std::uint32_t CaptureSocket::link_type() const noexcept { return impl_->link; }
int CaptureSocket::interface_index() const noexcept { return impl_->ifindex; }

}  // namespace slimcap
