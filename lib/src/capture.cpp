#include "slimcap/capture.hpp"

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>

#include <fmt/format.h>

#include "slimcap/bytes.hpp"
#include "slimcap/error.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/timestamp.hpp"
#include "interfaces_internal.hpp"

namespace slimcap {
namespace {

using detail::IoctlSocket;

constexpr std::uint32_t kVlanTagLength = 4;
constexpr std::uint32_t kSllHeaderLength = 16;
constexpr std::uint32_t kSll2HeaderLength = 20;
// LINKTYPE_DOCSIS: Ethernet frames labelled as DOCSIS, which libpcap offers on every Ethernet
// device (-L, -y).
constexpr std::uint32_t kDocsis = 143;
// Socket mode: packets per recvmmsg() call.
constexpr unsigned kBatchSize = 64;
// PACKET_AUXDATA, SO_TIMESTAMPNS's timespec, and with -j adapter... SO_TIMESTAMPING's three
// as well (both time stamp options stay on, and the kernel puts the auxdata last: a buffer
// for only one of them cut it off).
constexpr std::size_t kControlSize = CMSG_SPACE(sizeof(tpacket_auxdata)) +
                                     CMSG_SPACE(sizeof(timespec)) +
                                     CMSG_SPACE(3 * sizeof(timespec));

// The ARPHRD_* type of `interface`; SystemError "IF: no such interface" when there is none.
int hardware_type(const std::string& interface) {
  if (::if_nametoindex(interface.c_str()) == 0)
    throw SystemError(interface + ": no such interface", errno == 0 ? ENODEV : errno);
  IoctlSocket s;
  ifreq r;
  if (!s.query(interface, SIOCGIFHWADDR, r))
    throw SystemError(interface + ": cannot read the hardware type", errno);
  return r.ifr_hwaddr.sa_family;
}

struct sock_filter instruction(std::uint16_t code, std::uint8_t jt, std::uint8_t jf, std::uint32_t k) {
  return {code, jt, jf, k};
}

// libpcap's fix_offset() (pcap-linux.c) for LINUX_SLL2 and LINUX_SLL: on a SOCK_DGRAM socket
// the kernel runs the program on the packet from the network header, without the header
// userland adds (20 or 16 bytes). Loads past that header move back by its length; the header
// fields a compiled filter reads become ancillary loads of the same values (protocol, ifindex
// and packet type are skb->protocol, skb->dev->ifindex and skb->pkt_type). False when the
// instruction cannot be expressed that way. Stricter than libpcap: the load size must match
// the field, indexed loads must reach past the header, and `len` (the kernel's excludes the
// header) is refused.
bool rewrite_for_cooked(sock_filter& i, bool sll2) {
  const std::uint16_t cls = BPF_CLASS(i.code);
  const std::uint16_t mode = BPF_MODE(i.code);
  if (cls != BPF_LD && cls != BPF_LDX) return true;
  if (mode == BPF_LEN) return false;
  if (mode != BPF_ABS && mode != BPF_IND && mode != BPF_MSH) return true;
  if (i.k >= static_cast<std::uint32_t>(SKF_AD_OFF)) return true;  // already ancillary
  const std::uint32_t header = sll2 ? kSll2HeaderLength : kSllHeaderLength;
  if (i.k >= header) {
    i.k -= header;
    return true;
  }
  const auto ancillary = [&](std::uint32_t field) {
    i.k = static_cast<std::uint32_t>(SKF_AD_OFF) + field;
    return true;
  };
  constexpr std::uint16_t kHalf = BPF_LD | BPF_H | BPF_ABS;
  if (sll2) {
    if (i.code == kHalf && i.k == 0) return ancillary(SKF_AD_PROTOCOL);
    if (i.code == (BPF_LD | BPF_W | BPF_ABS) && i.k == 4) return ancillary(SKF_AD_IFINDEX);
    if (i.code == (BPF_LD | BPF_B | BPF_ABS) && i.k == 10) return ancillary(SKF_AD_PKTTYPE);
  } else {
    if (i.code == kHalf && i.k == 14) return ancillary(SKF_AD_PROTOCOL);
    if (i.code == kHalf && i.k == 0) return ancillary(SKF_AD_PKTTYPE);
  }
  return false;
}

// The sll_halen meaningful address bytes, zero-padded to 8: the rest may be stale ring memory.
void write_link_address(std::uint8_t* p, const sockaddr_ll& sll) {
  const std::size_t address_length = std::min<std::size_t>(sll.sll_halen, 8);
  std::memcpy(p, sll.sll_addr, address_length);
  std::memset(p + address_length, 0, 8 - address_length);
}

// The LINUX_SLL2 header, field for field as libpcap builds it from the sockaddr_ll.
void write_sll2_header(std::uint8_t* p, const sockaddr_ll& sll, std::uint16_t protocol) {
  store_be16(p, protocol);
  store_be16(p + 2, 0);
  store_be32(p + 4, static_cast<std::uint32_t>(sll.sll_ifindex));
  store_be16(p + 8, sll.sll_hatype);
  p[10] = sll.sll_pkttype;
  p[11] = sll.sll_halen;
  write_link_address(p + 12, sll);
}

// The LINUX_SLL (v1) header, as libpcap builds it for -y LINUX_SLL on "any".
void write_sll_header(std::uint8_t* p, const sockaddr_ll& sll, std::uint16_t protocol) {
  store_be16(p, sll.sll_pkttype);
  store_be16(p + 2, sll.sll_hatype);
  store_be16(p + 4, sll.sll_halen);
  write_link_address(p + 6, sll);
  store_be16(p + 14, protocol);
}

// One packet as the kernel handed it over, from the ring or from recvmmsg().
struct Received {
  std::uint8_t* data = nullptr;  // the first byte the kernel wrote; headroom precedes it
  std::uint32_t caplen = 0;
  std::uint32_t wire_length = 0;
  std::int64_t timestamp_ns = 0;
  const sockaddr_ll* address = nullptr;
  bool tagged = false;  // the kernel stripped a VLAN tag
  std::uint16_t vlan_tci = 0;
  std::uint16_t vlan_tpid = 0;
};

void set_vlan(Received& r, std::uint32_t status, std::uint16_t tci, std::uint16_t tpid) {
  r.tagged = (status & TP_STATUS_VLAN_VALID) != 0;
  r.vlan_tci = tci;
  r.vlan_tpid = (status & TP_STATUS_VLAN_TPID_VALID) ? tpid : 0x8100;
}

// A packet of the ring, from the fields tpacket2_hdr (immediate mode) and tpacket3_hdr share;
// its sockaddr_ll follows the aligned header.
template <typename Header>
void take_ring_packet(Received& r, Header* header, std::uint32_t status, std::uint16_t tci,
                      std::uint16_t tpid) {
  std::uint8_t* start = reinterpret_cast<std::uint8_t*>(header);
  r.data = start + header->tp_mac;
  r.caplen = header->tp_snaplen;
  r.wire_length = header->tp_len;
  r.timestamp_ns = to_ns(header->tp_sec, header->tp_nsec);
  r.address = reinterpret_cast<const sockaddr_ll*>(start + TPACKET_ALIGN(sizeof(Header)));
  set_vlan(r, status, tci, tpid);
}

// Socket mode: kBatchSize messages, each into its own slot of headroom + snaplen bytes.
struct Batch {
  std::vector<std::uint8_t> buffer;
  std::vector<std::uint8_t> control;
  std::array<mmsghdr, kBatchSize> messages{};
  std::array<iovec, kBatchSize> vectors{};
  std::array<sockaddr_ll, kBatchSize> addresses{};
  std::size_t slot_size = 0;
  std::size_t headroom = 0;
  unsigned count = 0;
  unsigned next = 0;

  void allocate(std::size_t room, std::uint32_t snaplen) {
    headroom = room;
    slot_size = (room + snaplen + 63) / 64 * 64;
    buffer.assign(slot_size * kBatchSize, 0);
    control.assign(kControlSize * kBatchSize, 0);
    for (unsigned i = 0; i < kBatchSize; ++i) {
      vectors[i] = {buffer.data() + i * slot_size + headroom, snaplen};
      msghdr& m = messages[i].msg_hdr;
      m.msg_name = &addresses[i];
      m.msg_iov = &vectors[i];
      m.msg_iovlen = 1;
      m.msg_control = control.data() + i * kControlSize;
    }
  }

  // recvmmsg() overwrites the lengths and flags: set them again before every call.
  void prepare() {
    for (mmsghdr& message : messages) {
      message.msg_hdr.msg_namelen = sizeof(sockaddr_ll);
      message.msg_hdr.msg_controllen = kControlSize;
      message.msg_hdr.msg_flags = 0;
    }
  }

  Received take() {
    const unsigned i = next++;
    msghdr& m = messages[i].msg_hdr;
    Received r;
    r.data = static_cast<std::uint8_t*>(vectors[i].iov_base);
    // With MSG_TRUNC the length is the packet's after the filter's truncation; the wire
    // length before it is only in the auxdata.
    r.caplen = std::min<std::uint32_t>(messages[i].msg_len, static_cast<std::uint32_t>(vectors[i].iov_len));
    r.wire_length = messages[i].msg_len;
    r.address = &addresses[i];
    bool stamped = false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
      if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
        tpacket_auxdata aux;
        std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
        r.wire_length = aux.tp_len;
        set_vlan(r, aux.tp_status, aux.tp_vlan_tci, aux.tp_vlan_tpid);
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec t;
        std::memcpy(&t, CMSG_DATA(c), sizeof t);
        r.timestamp_ns = to_ns(t.tv_sec, t.tv_nsec);
        stamped = true;
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
        // -j adapter...: [0] software, [2] the adapter's raw clock (zero when it had none).
        timespec t[3];
        std::memcpy(t, CMSG_DATA(c), sizeof t);
        const timespec& chosen = (t[2].tv_sec != 0 || t[2].tv_nsec != 0) ? t[2] : t[0];
        r.timestamp_ns = to_ns(chosen.tv_sec, chosen.tv_nsec);
        stamped = true;
      }
    }
    // The control buffer was too small: never expected, but keep a time.
    if (!stamped) r.timestamp_ns = realtime_ns();
    return r;
  }
};

}  // namespace

struct CaptureSocket::Impl {
  CaptureOptions options;
  Filter* filter = nullptr;
  int fd = -1;
  int wake_fd = -1;
  int ifindex = 0;
  bool any = false;                 // "any": SOCK_DGRAM, LINUX_SLL2 (or SLL) header added here
  bool ethernet = false;            // Ethernet frames (EN10MB, or labelled DOCSIS by -y)
  bool filter_in_userland = false;  // the kernel program could not be rewritten for "any"
  std::uint32_t link = link_type::kEthernet;
  // The ring's geometry as set up (after any ENOMEM retry); in socket mode the receive
  // buffer's size is block_size * block_count.
  std::size_t block_size = 0;
  std::size_t block_count = 0;
  // Ring mode: the mapping, the block being walked, and the next packet in it.
  std::uint8_t* map = nullptr;
  std::size_t map_size = 0;
  std::size_t block = 0;
  bool holding = false;
  std::uint32_t remaining = 0;
  std::uint8_t* packet = nullptr;
  // Immediate mode: a TPACKET_V2 ring of frames; the frame being read, and whether the
  // caller still borrows it.
  bool frames = false;
  std::size_t frame_size = 0;
  std::size_t frames_per_block = 0;
  std::size_t frame_count = 0;
  std::size_t frame = 0;
  bool holding_frame = false;
  // Socket mode.
  Batch batch;
  CaptureCounters totals;
  // Held (CaptureOptions::held): the program start() attaches.
  std::vector<sock_filter> pending_program;

  ~Impl() {
    if (holding) release_block();
    if (holding_frame) release_frame();
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

  bool ring_mode() const noexcept { return options.mode == CaptureMode::ring; }

  // Room in front of each packet: the LINUX_SLL2 header on "any", and a re-inserted VLAN tag.
  std::uint32_t headroom() const noexcept { return (any ? kSll2HeaderLength : 0) + kVlanTagLength; }
  bool sll2() const noexcept { return link == link_type::kLinuxSll2; }

  void open(const CaptureOptions& o, Filter& f) {
    options = o;
    filter = &f;
    any = options.interface == kAnyInterface;
    open_socket();
    frames = ring_mode() && options.immediate;
    if (ring_mode()) {
      // TPACKET_V3 (V2 for immediate mode), and the headroom between the ring's packet header
      // and the packet.
      const int version = frames ? TPACKET_V2 : TPACKET_V3;
      set(SOL_PACKET, PACKET_VERSION, &version, sizeof version, "cannot select the ring version");
      const unsigned reserve = headroom();
      set(SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve, "cannot reserve VLAN headroom");
    } else {
      prepare_socket_mode();
    }
    attach_filter();
    if (ring_mode()) map_ring();
    bind_and_join();
    set_timestamp_source();
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) fail("cannot create an eventfd", errno);
  }

  // Protocol 0: nothing is queued until bind() names the interface and protocol. "any" is
  // SOCK_DGRAM, as in libpcap: the link-layer headers of different devices differ, so the
  // packet starts at the network header and the LINUX_SLL2 header describes the link.
  void open_socket() {
    // The link type first: a bad -y is refused before anything is opened.
    const std::vector<std::uint32_t> offered = interface_link_types(options.interface);
    link = options.link_type != 0 ? options.link_type : default_link_type(options.interface);
    if (std::find(offered.begin(), offered.end(), link) == offered.end())
      throw Error(fmt::format("{} is not one of the DLTs supported by this device",
                              link_type_name(link)));
    ethernet = link == link_type::kEthernet || link == kDocsis;
    fd = ::socket(AF_PACKET, (any ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("cannot open packet socket", errno);
    if (any) return;
    ifindex = static_cast<int>(::if_nametoindex(options.interface.c_str()));
    if (ifindex == 0) fail("no such interface", errno == 0 ? ENODEV : errno);
    ifreq request{};
    std::strncpy(request.ifr_name, options.interface.c_str(), IFNAMSIZ - 1);
    // A down interface binds without complaint and then fails on the first poll(); say so
    // before anything starts, as libpcap does ("That device is not up").
    if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) fail("cannot read the interface flags", errno);
    if (!(request.ifr_flags & IFF_UP)) throw SystemError(options.interface, ENETDOWN);
  }

  // -j adapter / adapter_unsynced: the NIC stamps every received packet (SIOCSHWTSTAMP, as
  // libpcap asks it), and the socket takes that time instead of the kernel's.
  void set_timestamp_source() {
    if (options.timestamp == TimestampSource::host) return;
    hwtstamp_config config{};
    config.tx_type = HWTSTAMP_TX_OFF;
    config.rx_filter = HWTSTAMP_FILTER_ALL;
    ifreq request{};
    std::strncpy(request.ifr_name, options.interface.c_str(), IFNAMSIZ - 1);
    request.ifr_data = reinterpret_cast<char*>(&config);
    if (::ioctl(fd, SIOCSHWTSTAMP, &request) != 0)
      fail("cannot switch on the adapter's time stamps", errno);
    const int source = options.timestamp == TimestampSource::adapter
                           ? SOF_TIMESTAMPING_SYS_HARDWARE
                           : SOF_TIMESTAMPING_RAW_HARDWARE;
    if (ring_mode()) {
      set(SOL_PACKET, PACKET_TIMESTAMP, &source, sizeof source, "cannot select the time stamp source");
    } else {
      const int flags = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
                        SOF_TIMESTAMPING_SOFTWARE | source;
      set(SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags, "cannot select the time stamp source");
    }
  }

  // Socket mode: the VLAN tag, wire length and timestamp arrive as control messages, and the
  // receive buffer takes the place of the ring (the same memory budget).
  void prepare_socket_mode() {
    const int on = 1;
    set(SOL_PACKET, PACKET_AUXDATA, &on, sizeof on, "cannot enable PACKET_AUXDATA");
    set(SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on, "cannot enable SO_TIMESTAMPNS");
    // The first SO_TIMESTAMPNS user in the system switches on receive timestamps through a
    // deferred work item (net_enable_timestamp). Until it has run, packets are queued without
    // a time and stamped when read: measured, 269 of 300 frames sent right after open carried
    // the read time, 1.5 s late. Give the work item a moment to run.
    const timespec pause{0, 10'000'000};
    ::nanosleep(&pause, nullptr);
    block_size = options.ring.block_size;  // the buffer's size, as the ring's would be
    block_count = options.ring.block_count;
    const int size = static_cast<int>(std::min<std::size_t>(block_size * block_count, INT_MAX / 2));
    // SO_RCVBUFFORCE passes net.core.rmem_max, with CAP_NET_ADMIN; otherwise the capped size.
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
      set(SOL_SOCKET, SO_RCVBUF, &size, sizeof size, "cannot set the receive buffer size");
    batch.allocate(headroom(), options.snaplen);
  }

  // Always attached: the kernel truncates to its return value (the snaplen). Tagged frames
  // pass the kernel unconditionally (the kernel has stripped their tag, so a program compiled
  // for the file layout would judge them wrongly); deliver() re-inserts the tag and runs the
  // offline program on them.
  // Held: the program is compiled now (a bad expression fails before anything starts), and
  // a program rejecting everything is attached until start().
  void attach_filter() {
    std::vector<sock_filter> kernel = kernel_program();
    if (options.held) {
      pending_program = std::move(kernel);
      kernel = {instruction(BPF_RET | BPF_K, 0, 0, 0)};
    }
    attach(kernel);
  }

  void attach(std::vector<sock_filter>& kernel) {
    sock_fprog fprog{static_cast<unsigned short>(kernel.size()), kernel.data()};
    set(SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog, "cannot attach the filter");
  }

  void start() {
    if (!options.held) return;
    attach(pending_program);
    options.held = false;
  }

  // The sampling prefix (--sample N): a random number modulo N; 0 goes on, anything else is
  // rejected: ld rand; mod #N; jeq #0 -> next; ret #0.
  void add_sample_prefix(std::vector<sock_filter>& kernel) const {
    if (options.sample <= 1) return;
    const std::vector<sock_filter> prefix{
        instruction(BPF_LD | BPF_W | BPF_ABS, 0, 0,
                    static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_RANDOM)),
        instruction(BPF_ALU | BPF_MOD | BPF_K, 0, 0, options.sample),
        instruction(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0),
        instruction(BPF_RET | BPF_K, 0, 0, 0),
    };
    kernel.insert(kernel.begin(), prefix.begin(), prefix.end());
  }

  std::vector<sock_filter> kernel_program() {
    const std::span<const BpfInstruction> program = filter->program(link);
    std::vector<sock_filter> body;
    body.reserve(program.size());
    for (const BpfInstruction& i : program) body.push_back(instruction(i.code, i.jt, i.jf, i.k));
    const bool sll2_header = sll2();
    if (any)
      filter_in_userland = !std::all_of(body.begin(), body.end(), [&](sock_filter& i) {
        return rewrite_for_cooked(i, sll2_header);
      });
    std::vector<sock_filter> kernel;
    if (filter_in_userland) {
      kernel.push_back(instruction(BPF_RET | BPF_K, 0, 0, options.snaplen));
      add_sample_prefix(kernel);
      return kernel;
    }
    if (ethernet || any) {
      kernel.push_back(instruction(BPF_LD | BPF_B | BPF_ABS, 0, 0,
                                   static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)));
      kernel.push_back(instruction(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 1));
      kernel.push_back(instruction(BPF_RET | BPF_K, 0, 0, options.snaplen));
    }
    kernel.insert(kernel.end(), body.begin(), body.end());
    add_sample_prefix(kernel);
    return kernel;
  }

  // The ring; when the kernel refuses the memory, retry with half as many blocks.
  void map_ring() {
    if (frames) return map_frame_ring();
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
    map_mapping();
  }

  void map_mapping() {
    map_size = block_size * block_count;
    void* m = ::mmap(nullptr, map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (m == MAP_FAILED) fail("cannot map the receive ring", errno);
    map = static_cast<std::uint8_t*>(m);
    touch_ring();
  }

  // Immediate mode's TPACKET_V2 ring, in the -B budget. Each frame holds the V2 header, the
  // sockaddr_ll, the kernel's 16 bytes of room for a link header, our headroom, and the
  // packet (af_packet.c's tpacket_rcv: macoff = TPACKET_ALIGN(hdrlen + 16) + reserve). The
  // packet room is the snaplen, at most 65600 bytes: a GRO packet reaches 64 KiB plus
  // headers, and 262144-byte frames would leave a 64 MiB ring 250 of them. Blocks are
  // --block-size's (a frame never spans two), larger when a frame needs it.
  void map_frame_ring() {
    constexpr std::size_t kMaxFramePacket = 65600;
    const std::size_t packet_room = std::min<std::size_t>(options.snaplen, kMaxFramePacket);
    frame_size = TPACKET_ALIGN(TPACKET_ALIGN(TPACKET2_HDRLEN + 16) + headroom() + packet_room);
    block_size = options.ring.block_size;
    while (block_size < frame_size) block_size *= 2;
    frames_per_block = block_size / frame_size;
    const std::size_t budget = options.ring.block_size * options.ring.block_count;
    block_count = std::max<std::size_t>(budget / block_size, 2);
    for (;;) {
      tpacket_req req{};
      req.tp_block_size = static_cast<unsigned>(block_size);
      req.tp_block_nr = static_cast<unsigned>(block_count);
      req.tp_frame_size = static_cast<unsigned>(frame_size);
      req.tp_frame_nr = static_cast<unsigned>(block_count * frames_per_block);
      if (::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) == 0) break;
      if (errno != ENOMEM || block_count <= 2) fail("cannot set up the receive ring", errno);
      block_count /= 2;
    }
    frame_count = block_count * frames_per_block;
    map_mapping();
  }

  tpacket2_hdr* frame_header(std::size_t index) const noexcept {
    return reinterpret_cast<tpacket2_hdr*>(map + index / frames_per_block * block_size +
                                           index % frames_per_block * frame_size);
  }

  void release_frame() noexcept {
    std::atomic_ref<std::uint32_t> status(frame_header(frame)->tp_status);
    status.store(TP_STATUS_KERNEL, std::memory_order_release);
    holding_frame = false;
    frame = (frame + 1) % frame_count;
  }

  // Immediate mode: the next frame, without a system call; false when the kernel has not
  // written it yet. The previous frame goes back to the kernel first.
  bool next_from_frames(Received& r) {
    if (holding_frame) release_frame();
    tpacket2_hdr* header = frame_header(frame);
    std::atomic_ref<std::uint32_t> status(header->tp_status);
    const std::uint32_t s = status.load(std::memory_order_acquire);
    if (!(s & TP_STATUS_USER)) return false;
    holding_frame = true;
    take_ring_packet(r, header, s, header->tp_vlan_tci, header->tp_vlan_tpid);
    return true;
  }

  // Reads one byte of every page of the ring before the capture starts. MAP_POPULATE has
  // already filled our page tables, but a hypervisor that shadows them (this project's VMs)
  // still traps on the first access to each page: 16,384 traps for the default 64 MiB,
  // measured at 19 to 21 ms in all. Left to the block walk, they land in the first pass over
  // the ring while it fills at line rate, which was then several times slower than the later
  // passes (docs/capture.md, "Benchmarks on this VM"). Here they cost start-up time only.
  void touch_ring() const noexcept {
    const long page = ::sysconf(_SC_PAGESIZE);
    const std::size_t step = page > 0 ? static_cast<std::size_t>(page) : 4096;
    for (std::size_t off = 0; off < map_size; off += step)
      static_cast<void>(*static_cast<const volatile std::uint8_t*>(map + off));
  }

  // Bind: from here on, frames of this interface (every interface for "any", ifindex 0)
  // arrive. Then promiscuous mode, at level SOL_PACKET; dropped with the socket.
  void bind_and_join() {
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = ifindex;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      fail("cannot bind to the interface", errno);
    if (options.promiscuous && !any) {
      packet_mreq membership{};
      membership.mr_ifindex = ifindex;
      membership.mr_type = PACKET_MR_PROMISC;
      set(SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership,
          "cannot enter promiscuous mode");
    }
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

  // Waits for the socket to be readable or a wake-up. False on timeout or wake-up.
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
      Received r;
      const bool got = frames ? next_from_frames(r) : ring_mode() ? next_from_ring(r) : next_from_socket(r);
      if (!got) {
        if (!wait(timeout)) return false;
        continue;
      }
      if (deliver(r, view)) return true;
    }
  }

  // The next packet of the ring, without a system call; false when the block is not ready.
  bool next_from_ring(Received& r) {
    while (remaining == 0) {
      if (holding) release_block();
      std::atomic_ref<std::uint32_t> status(descriptor(block)->hdr.bh1.block_status);
      if (!(status.load(std::memory_order_acquire) & TP_STATUS_USER)) return false;
      const tpacket_hdr_v1& h = descriptor(block)->hdr.bh1;
      holding = true;
      remaining = h.num_pkts;
      packet = map + block * block_size + h.offset_to_first_pkt;
    }
    auto* header = reinterpret_cast<tpacket3_hdr*>(packet);
    --remaining;
    packet += header->tp_next_offset;
    take_ring_packet(r, header, header->tp_status, static_cast<std::uint16_t>(header->hv1.tp_vlan_tci),
                     static_cast<std::uint16_t>(header->hv1.tp_vlan_tpid));
    return true;
  }

  // The next packet of the batch; one recvmmsg() when it is used up. False when none queued.
  bool next_from_socket(Received& r) {
    if (batch.next == batch.count) {
      batch.prepare();
      const int n = ::recvmmsg(fd, batch.messages.data(), kBatchSize, MSG_DONTWAIT | MSG_TRUNC, nullptr);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return false;
        fail("capture stopped", errno);
      }
      batch.count = static_cast<unsigned>(n);
      batch.next = 0;
      if (n == 0) return false;
    }
    r = batch.take();
    return true;
  }

  // Everything after the receive: direction, the link-layer header as it was on the wire (or
  // the LINUX_SLL2 header), and the userland filter where the kernel could not decide.
  bool deliver(const Received& r, PacketView& view) {
    const sockaddr_ll& sll = *r.address;
    const auto direction = static_cast<Direction>(sll.sll_pkttype);
    const bool outgoing = direction == Direction::outgoing;
    // On a loopback device every packet passes twice (sent and received); keep the received
    // copy, as tcpdump does. On "any", only the loopback devices' copies are dropped.
    if (outgoing && sll.sll_hatype == ARPHRD_LOOPBACK) return false;
    if (options.direction == CaptureDirection::in && outgoing) return false;
    if (options.direction == CaptureDirection::out && !outgoing) return false;

    const bool tagged = r.tagged && (ethernet || any);
    std::uint8_t* data = r.data;
    std::uint32_t added = 0;
    if (any) {
      added = prepend_cooked(data, sll, r);
    } else if (tagged && r.caplen >= 12) {
      // Put the tag back where it was on the wire: the MAC addresses move 4 bytes towards
      // the headroom that PACKET_RESERVE left.
      std::memmove(data - kVlanTagLength, data, 12);
      data -= kVlanTagLength;
      store_be16(data + 12, r.vlan_tpid);
      store_be16(data + 14, r.vlan_tci);
      added = kVlanTagLength;
    }
    view.data = {data, std::min(r.caplen + added, options.snaplen)};
    view.wire_length = r.wire_length + added;
    view.timestamp_ns = r.timestamp_ns;
    view.link_type = link;
    view.interface_index = static_cast<std::uint32_t>(sll.sll_ifindex);
    view.direction = direction;
    // Tagged frames were passed by the kernel unconditionally: the offline program decides.
    if ((tagged || filter_in_userland) && !filter->matches(view)) return false;
    return true;
  }

  // Writes the LINUX_SLL2 (or SLL) header, and a stripped VLAN tag after it as LINUX_SLL
  // carries one (protocol = TPID, then TCI and the inner protocol), into the headroom in front
  // of `data`. Returns the number of bytes added.
  std::uint32_t prepend_cooked(std::uint8_t*& data, const sockaddr_ll& sll, const Received& r) {
    std::uint16_t protocol = ntohs(sll.sll_protocol);
    std::uint32_t added = 0;
    if (r.tagged) {
      data -= kVlanTagLength;
      store_be16(data, r.vlan_tci);
      store_be16(data + 2, protocol);
      protocol = r.vlan_tpid;
      added += kVlanTagLength;
    }
    if (sll2()) {
      data -= kSll2HeaderLength;
      write_sll2_header(data, sll, protocol);
      return added + kSll2HeaderLength;
    }
    data -= kSllHeaderLength;
    write_sll_header(data, sll, protocol);
    return added + kSllHeaderLength;
  }

  RingFill ring_fill() const noexcept {
    RingFill fill;
    if (frames) {
      fill.size = frame_count;
      for (std::size_t i = 0; i < frame_count; ++i) {
        std::atomic_ref<std::uint32_t> status(frame_header(i)->tp_status);
        fill.used += (status.load(std::memory_order_acquire) & TP_STATUS_USER) != 0;
      }
    } else if (ring_mode()) {
      fill.size = block_count;
      for (std::size_t i = 0; i < block_count; ++i) {
        std::atomic_ref<std::uint32_t> status(descriptor(i)->hdr.bh1.block_status);
        fill.used += (status.load(std::memory_order_acquire) & TP_STATUS_USER) != 0;
      }
    } else {
      std::uint32_t meminfo[SK_MEMINFO_VARS] = {};
      socklen_t size = sizeof meminfo;
      if (::getsockopt(fd, SOL_SOCKET, SO_MEMINFO, meminfo, &size) == 0) {
        fill.used = meminfo[SK_MEMINFO_RMEM_ALLOC];
        fill.size = meminfo[SK_MEMINFO_RCVBUF];
      }
    }
    return fill;
  }

  CaptureCounters counters() {
    // Without a V3 ring the kernel hands over the older, shorter struct (the same first two
    // fields, no freezes): the zeroed freeze count stays 0.
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
RingFill CaptureSocket::ring_fill() const noexcept { return impl_->ring_fill(); }
std::uint32_t CaptureSocket::link_type() const noexcept { return impl_->link; }
std::size_t CaptureSocket::buffer_size() const noexcept {
  return impl_->block_size * impl_->block_count;
}
int CaptureSocket::interface_index() const noexcept { return impl_->ifindex; }

std::uint16_t CaptureSocket::join_fanout(const FanoutSpec& spec, std::uint16_t id, bool unique) {
  const std::uint16_t asked = spec.group ? *spec.group : id;
  const std::uint32_t value = fanout_socket_value(spec, unique ? 0 : asked, unique);
  if (::setsockopt(impl_->fd, SOL_PACKET, PACKET_FANOUT, &value, sizeof value) != 0) {
    const int error = errno;
    // The kernel says EINVAL for a group that exists with another mode, other flags or on
    // another interface (and for a mode it does not know, which slimcap never asks for).
    // The kernel's "Invalid argument" would say nothing more: the line ends with the cause.
    if (error == EINVAL && !unique)
      throw Error(fmt::format("{}: fanout group {} exists with another mode or interface",
                              impl_->options.interface, asked));
    if (error == ENOSPC)
      throw Error(fmt::format("{}: fanout group {} is full", impl_->options.interface, asked));
    impl_->fail("cannot join a fanout group", error);
  }
  // The id the group has (the kernel's choice with `unique`): the low 16 bits.
  std::uint32_t got = 0;
  socklen_t size = sizeof got;
  if (::getsockopt(impl_->fd, SOL_PACKET, PACKET_FANOUT, &got, &size) != 0)
    impl_->fail("cannot read the fanout group", errno);
  return static_cast<std::uint16_t>(got & 0xffff);
}

void CaptureSocket::set_fanout_program(std::span<const BpfInstruction> program) {
  std::vector<sock_filter> kernel;
  kernel.reserve(program.size());
  for (const BpfInstruction& i : program) kernel.push_back(instruction(i.code, i.jt, i.jf, i.k));
  sock_fprog fprog{static_cast<unsigned short>(kernel.size()), kernel.data()};
  impl_->set(SOL_PACKET, PACKET_FANOUT_DATA, &fprog, sizeof fprog,
             "cannot set the fanout program");
}

void CaptureSocket::start() { impl_->start(); }

RolloverCounters CaptureSocket::rollover_counters() const {
  tpacket_rollover_stats stats{};
  socklen_t size = sizeof stats;
  if (::getsockopt(impl_->fd, SOL_PACKET, PACKET_ROLLOVER_STATS, &stats, &size) != 0) return {};
  return {stats.tp_all, stats.tp_huge, stats.tp_failed};
}

std::vector<std::uint32_t> interface_link_types(const std::string& interface) {
  if (interface == kAnyInterface) return {link_type::kLinuxSll, link_type::kLinuxSll2};
  const int type = hardware_type(interface);
  switch (type) {
    case ARPHRD_ETHER: return {link_type::kEthernet, kDocsis};
    case ARPHRD_LOOPBACK: return {link_type::kEthernet};  // Linux frames it as Ethernet
    case ARPHRD_NONE: return {link_type::kRaw};           // tun devices: bare IP
    default: throw Error(fmt::format("{}: unsupported hardware type {}", interface, type));
  }
}

std::uint32_t default_link_type(const std::string& interface) {
  // libpcap offers LINUX_SLL first on "any"; tcpdump (and slimcap) choose LINUX_SLL2.
  if (interface == kAnyInterface) return link_type::kLinuxSll2;
  return interface_link_types(interface).front();
}

std::vector<TimestampSource> interface_timestamp_sources(const std::string& interface) {
  if (interface == kAnyInterface) return {TimestampSource::host};
  if (::if_nametoindex(interface.c_str()) == 0)
    throw SystemError(interface + ": no such interface", errno == 0 ? ENODEV : errno);
  ethtool_ts_info info{};
  info.cmd = ETHTOOL_GET_TS_INFO;
  ifreq r;
  // libpcap's reading (pcap-linux.c, iface_get_ts_types): a driver that cannot say is
  // assumed to have every type; one that cannot stamp every packet (no HWTSTAMP_FILTER_ALL,
  // the filter SIOCSHWTSTAMP asks for) offers host only; otherwise the SOF_TIMESTAMPING bits
  // map to host, adapter and adapter_unsynced, and no bit means host.
  if (!IoctlSocket().query(interface, SIOCETHTOOL, r, &info)) {
    if (errno == EOPNOTSUPP || errno == EINVAL)
      return {TimestampSource::host, TimestampSource::adapter, TimestampSource::adapter_unsynced};
    return {TimestampSource::host};
  }
  if (!(info.rx_filters & (1u << HWTSTAMP_FILTER_ALL))) return {TimestampSource::host};
  std::vector<TimestampSource> out;
  if (info.so_timestamping & SOF_TIMESTAMPING_SOFTWARE) out.push_back(TimestampSource::host);
  if (info.so_timestamping & SOF_TIMESTAMPING_SYS_HARDWARE) out.push_back(TimestampSource::adapter);
  if (info.so_timestamping & SOF_TIMESTAMPING_RAW_HARDWARE)
    out.push_back(TimestampSource::adapter_unsynced);
  if (out.empty()) out.push_back(TimestampSource::host);
  return out;
}

}  // namespace slimcap

namespace slimcap {

std::int64_t link_type_from_name(const std::string& name) {
  const int dlt = ::pcap_datalink_name_to_val(name.c_str());
  if (dlt < 0) return -1;
  return dlt == DLT_RAW ? link_type::kRaw : dlt;  // DLT_RAW is 12 on Linux, 101 in files
}

int timestamp_type_from_name(const std::string& name) {
  return ::pcap_tstamp_type_name_to_val(name.c_str());
}

std::string timestamp_type_name(int type) {
  const char* name = ::pcap_tstamp_type_val_to_name(type);
  return name != nullptr ? name : std::to_string(type);
}

std::string timestamp_type_description(int type) {
  const char* description = ::pcap_tstamp_type_val_to_description(type);
  return description != nullptr ? description : std::string();
}

}  // namespace slimcap
