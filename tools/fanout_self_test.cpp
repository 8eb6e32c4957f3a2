// `slimcap fanout --self-test`: answers "can I trust fanout on this kernel?" by measuring it
// (issue 10, item 8; docs/design.md §8). A child process moves into a network namespace of
// its own (unshare(CLONE_NEWNET)) and creates a veth pair there, sct0 and sct1, so the host's
// interfaces are never touched and everything disappears with the child, even if it crashes.
// From a packet socket on sct0 it sends a known set of frames, which arrive on sct1, where W
// members of a fanout group in the chosen mode capture them:
//
//   64 flows (IPv4 and IPv6, TCP and UDP; documentation addresses), 8 frames each way, each
//   frame numbered in its payload, so that every frame is accounted for (lost, seen twice)
//   and every flow's workers are known; plus one IPv4 UDP datagram of flow 1 in 3 fragments.
//
// Then two short probes, each with a group of its own: DEFRAG (are the 3 fragments delivered
// as one datagram?), and IGNORE_OUTGOING (frames sent from sct1 itself, with the flag and
// without it). The members are opened, joined and started as run_fanout does; one thread
// reads them all once the frames are sent, since which member gets a packet is decided in the
// kernel at receive time, not by who reads.
//
// Every wait is bounded (2 s for the main run, less for the probes) and so is the traffic
// (1,024 frames plus 3 fragments, then 3 fragments and 2 x 8 outgoing frames).

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>  // before linux/if.h, whose libc-compat then defers to it
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/ethernet.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/error.hpp"
#include "slimcap/fanout.hpp"
#include "slimcap/filter.hpp"

namespace slimcap::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;

constexpr const char* kSenderName = "sct0";
constexpr const char* kCaptureName = "sct1";
// Locally administered addresses, so that the frames can be addressed before the pair exists.
constexpr Mac kSenderMac = {0x02, 0x00, 0x00, 0x5c, 0x00, 0x00};
constexpr Mac kCaptureMac = {0x02, 0x00, 0x00, 0x5c, 0x00, 0x01};

constexpr std::size_t kFlows = 64;
constexpr std::size_t kFramesPerDirection = 8;
constexpr std::size_t kFlowFrames = kFlows * 2 * kFramesPerDirection;  // numbered 0..1023
constexpr std::size_t kFragmentedFlow = 1;  // an IPv4 UDP flow
constexpr std::uint16_t kMainFragmentId = 0x5c70;   // the IP id of the main run's datagram
constexpr std::uint16_t kProbeFragmentId = 0x5c71;  // ... and of the defrag probe's
constexpr std::size_t kFragmentPayload = 2980;      // UDP payload: an IP datagram of 3,008 bytes
constexpr std::size_t kFragmentBytes = 1000;        // IP payload per fragment (a multiple of 8)
constexpr std::size_t kFragments = 3;
constexpr std::uint32_t kOutgoingBase = 0x10000;  // numbers of the frames sent from sct1
constexpr std::size_t kOutgoingFrames = 8;

constexpr std::chrono::milliseconds kBlockTimeout{10};
constexpr std::size_t kBlockSize = 256 << 10;  // 8 blocks: 2 MiB per member
constexpr std::size_t kBlockCount = 8;

// The start of every numbered frame's payload, followed by the frame's number (big-endian).
constexpr std::array<std::uint8_t, 16> kMagic = {'s', 'l', 'i', 'm', 'c', 'a', 'p', ' ',
                                                 's', 'e', 'l', 'f', 't', 'e', 's', 't'};
constexpr std::size_t kPayload = 32;  // magic, number, padding

// A file descriptor, closed when done with.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// The message main() prints for a missing privilege: the one thing a user can act on.
class NeedsRoot : public Error {
 public:
  NeedsRoot()
      : Error("--self-test: needs root (CAP_NET_ADMIN and CAP_NET_RAW) to create a network "
              "namespace") {}
};

// ---- rtnetlink: the veth pair and its state ----

class RouteSocket {
 public:
  RouteSocket() {
    socket_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (socket_ == nullptr) throw SystemError("cannot open a netlink socket", errno);
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
      const int error = errno;
      mnl_socket_close(socket_);
      throw SystemError("cannot bind a netlink socket", error);
    }
    port_ = mnl_socket_get_portid(socket_);
  }
  ~RouteSocket() { mnl_socket_close(socket_); }
  RouteSocket(const RouteSocket&) = delete;
  RouteSocket& operator=(const RouteSocket&) = delete;

  // Sends `message` and waits for the kernel's acknowledgement; `on_reply` sees the replies
  // before it. Throws SystemError saying `what` failed.
  void request(nlmsghdr* message, const std::string& what, mnl_cb_t on_reply = nullptr,
               void* data = nullptr) {
    message->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    message->nlmsg_seq = ++sequence_;
    if (mnl_socket_sendto(socket_, message, message->nlmsg_len) < 0)
      throw SystemError("cannot " + what, errno);
    std::vector<char> buffer(32768);
    for (;;) {
      const ssize_t n = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
      if (n < 0) throw SystemError("cannot " + what, errno);
      const int result = mnl_cb_run(buffer.data(), static_cast<std::size_t>(n), sequence_,
                                    port_, on_reply, data);
      if (result == MNL_CB_ERROR) throw SystemError("cannot " + what, errno);
      if (result == MNL_CB_STOP) return;
    }
  }

 private:
  mnl_socket* socket_ = nullptr;
  unsigned port_ = 0;
  unsigned sequence_ = 0;
};

// A link message with room for its attributes.
struct LinkMessage {
  explicit LinkMessage(std::uint16_t type, std::uint16_t flags) {
    header = mnl_nlmsg_put_header(buffer.data());
    header->nlmsg_type = type;
    header->nlmsg_flags = flags;
    link = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(header, sizeof(ifinfomsg)));
    link->ifi_family = AF_UNSPEC;
  }
  alignas(nlmsghdr) std::array<char, 1024> buffer{};
  nlmsghdr* header;
  ifinfomsg* link;
};

// sct0 with its peer sct1, both with the addresses above.
void create_veth_pair(RouteSocket& route) {
  LinkMessage m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  mnl_attr_put_strz(m.header, IFLA_IFNAME, kSenderName);
  mnl_attr_put(m.header, IFLA_ADDRESS, kSenderMac.size(), kSenderMac.data());
  nlattr* info = mnl_attr_nest_start(m.header, IFLA_LINKINFO);
  mnl_attr_put_strz(m.header, IFLA_INFO_KIND, "veth");
  nlattr* data = mnl_attr_nest_start(m.header, IFLA_INFO_DATA);
  nlattr* peer = mnl_attr_nest_start(m.header, VETH_INFO_PEER);
  // The peer's attributes follow an ifinfomsg of its own.
  static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(m.header, sizeof(ifinfomsg)))->ifi_family =
      AF_UNSPEC;
  mnl_attr_put_strz(m.header, IFLA_IFNAME, kCaptureName);
  mnl_attr_put(m.header, IFLA_ADDRESS, kCaptureMac.size(), kCaptureMac.data());
  mnl_attr_nest_end(m.header, peer);
  mnl_attr_nest_end(m.header, data);
  mnl_attr_nest_end(m.header, info);
  route.request(m.header, fmt::format("create the veth pair {}/{}", kSenderName, kCaptureName));
}

int index_of(const std::string& name) {
  const unsigned index = ::if_nametoindex(name.c_str());
  if (index == 0) throw SystemError(fmt::format("{}: no such interface", name), errno);
  return static_cast<int>(index);
}

void set_up(RouteSocket& route, const std::string& name) {
  LinkMessage m(RTM_NEWLINK, 0);
  m.link->ifi_index = index_of(name);
  m.link->ifi_flags = IFF_UP;
  m.link->ifi_change = IFF_UP;
  route.request(m.header, fmt::format("bring {} up", name));
}

struct LinkState {
  std::uint8_t operstate = IF_OPER_UNKNOWN;
  std::string qdisc;
};

int link_attribute(const nlattr* attribute, void* data) {
  auto& state = *static_cast<LinkState*>(data);
  switch (mnl_attr_get_type(attribute)) {
    case IFLA_OPERSTATE:
      if (mnl_attr_validate(attribute, MNL_TYPE_U8) >= 0)
        state.operstate = mnl_attr_get_u8(attribute);
      break;
    case IFLA_QDISC:
      if (mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) >= 0)
        state.qdisc = mnl_attr_get_str(attribute);
      break;
    default:
      break;
  }
  return MNL_CB_OK;
}

int link_reply(const nlmsghdr* message, void* data) {
  if (message->nlmsg_type == RTM_NEWLINK)
    mnl_attr_parse(message, sizeof(ifinfomsg), link_attribute, data);
  return MNL_CB_OK;
}

// Whether `name` carries frames yet. The kernel turns the carrier's state into the operational
// state and replaces the noop qdisc (which drops everything) in deferred link-watch work, up
// to a second after the link was set up on a busy machine.
bool link_ready(RouteSocket& route, const std::string& name) {
  LinkMessage m(RTM_GETLINK, 0);
  m.link->ifi_index = index_of(name);
  LinkState state;
  route.request(m.header, fmt::format("read the state of {}", name), link_reply, &state);
  return state.operstate == IF_OPER_UP && state.qdisc != "noop";
}

// Writes a /proc/sys file of this network namespace; false when it does not exist (a kernel
// without IPv6).
bool write_sysctl(const std::string& path, const char* value) {
  const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return false;
    throw SystemError(fmt::format("cannot open {}", path), errno);
  }
  if (::write(fd.get(), value, std::strlen(value)) < 0)
    throw SystemError(fmt::format("cannot write {}", path), errno);
  return true;
}

// The namespace's interfaces: lo, and the pair, up and carrying frames. IPv6 is off first so
// that neither end sends router solicitations or MLD reports: only the test's frames appear.
void set_up_namespace() {
  write_sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
  write_sysctl("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
  RouteSocket route;
  set_up(route, "lo");
  create_veth_pair(route);
  set_up(route, kSenderName);
  set_up(route, kCaptureName);
  const auto deadline = Clock::now() + 5s;
  while (!link_ready(route, kSenderName) || !link_ready(route, kCaptureName)) {
    if (Clock::now() >= deadline)
      throw Error(fmt::format("{} and {} did not come up within 5 s", kSenderName,
                              kCaptureName));
    std::this_thread::sleep_for(10ms);
  }
}

// ---- the frames ----

struct Endpoint {
  std::array<std::uint8_t, 16> address{};  // IPv4: the first 4 bytes
  std::uint16_t port = 0;
};

struct Flow {
  bool ipv6 = false;
  std::uint8_t protocol = IPPROTO_TCP;
  Endpoint a;  // the client
  Endpoint b;  // the server
};

// Flow f: kind f % 4 (IPv4 TCP, IPv4 UDP, IPv6 TCP, IPv6 UDP), every flow with an address pair
// of its own, so that flow2 (which only looks at the addresses) can spread them too.
Flow make_flow(std::size_t f) {
  Flow flow;
  flow.ipv6 = (f % 4) >= 2;
  flow.protocol = (f % 2) == 0 ? IPPROTO_TCP : IPPROTO_UDP;
  const auto n = static_cast<std::uint8_t>(f);
  if (flow.ipv6) {
    // 2001:db8:0:1::N and 2001:db8:0:2::M
    constexpr std::array<std::uint8_t, 8> prefix = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0};
    std::copy(prefix.begin(), prefix.end(), flow.a.address.begin());
    std::copy(prefix.begin(), prefix.end(), flow.b.address.begin());
    flow.a.address[7] = 1;
    flow.b.address[7] = 2;
    flow.a.address[15] = static_cast<std::uint8_t>(10 + n);
    flow.b.address[15] = static_cast<std::uint8_t>(10 + (n * 7) % 64);
  } else {
    flow.a.address = {192, 0, 2, static_cast<std::uint8_t>(10 + n)};
    flow.b.address = {198, 51, 100, static_cast<std::uint8_t>(10 + (n * 7) % 64)};
  }
  flow.a.port = static_cast<std::uint16_t>(40000 + 97 * f);
  if (flow.protocol == IPPROTO_TCP)
    flow.b.port = (f / 4) % 2 == 0 ? 443 : 80;
  else
    flow.b.port = (f / 4) % 2 == 0 ? 53 : 123;
  return flow;
}

std::uint32_t add_to_sum(std::span<const std::uint8_t> bytes, std::uint32_t sum) {
  for (std::size_t i = 0; i < bytes.size(); i += 2)
    sum += static_cast<std::uint32_t>(bytes[i] << 8) | (i + 1 < bytes.size() ? bytes[i + 1] : 0);
  return sum;
}

std::uint16_t fold_sum(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

// The TCP or UDP segment from `from` to `to` holding `payload`, with its checksum.
Bytes transport_segment(const Flow& flow, const Endpoint& from, const Endpoint& to,
                        std::span<const std::uint8_t> payload, std::uint32_t sequence) {
  const std::size_t header = flow.protocol == IPPROTO_TCP ? 20 : 8;
  Bytes s(header + payload.size());
  store_be16(&s[0], from.port);
  store_be16(&s[2], to.port);
  if (flow.protocol == IPPROTO_TCP) {
    store_be32(&s[4], sequence);
    store_be32(&s[8], 1);
    s[12] = 5 << 4;
    s[13] = 0x18;  // PSH, ACK
    store_be16(&s[14], 65535);
  } else {
    store_be16(&s[4], static_cast<std::uint16_t>(s.size()));
  }
  std::copy(payload.begin(), payload.end(), s.begin() + static_cast<std::ptrdiff_t>(header));
  const std::size_t address_size = flow.ipv6 ? 16 : 4;
  std::uint32_t sum = add_to_sum({from.address.data(), address_size}, 0);
  sum = add_to_sum({to.address.data(), address_size}, sum);
  sum += flow.protocol + static_cast<std::uint32_t>(s.size());
  std::uint16_t checksum = fold_sum(add_to_sum(s, sum));
  if (checksum == 0 && flow.protocol == IPPROTO_UDP) checksum = 0xffff;
  store_be16(&s[flow.protocol == IPPROTO_TCP ? 16 : 6], checksum);
  return s;
}

Bytes ethernet_header(const Mac& source, const Mac& destination, std::uint16_t type) {
  Bytes f(14);
  std::copy(destination.begin(), destination.end(), f.begin());
  std::copy(source.begin(), source.end(), f.begin() + 6);
  store_be16(&f[12], type);
  return f;
}

// An IPv4 packet (or fragment: `fragment` holds the flags and offset field) around `body`.
void append_ipv4(Bytes& frame, const Flow& flow, const Endpoint& from, const Endpoint& to,
                 std::span<const std::uint8_t> body, std::uint16_t id, std::uint16_t fragment) {
  std::array<std::uint8_t, 20> h{};
  h[0] = 0x45;
  store_be16(&h[2], static_cast<std::uint16_t>(20 + body.size()));
  store_be16(&h[4], id);
  store_be16(&h[6], fragment);
  h[8] = 64;
  h[9] = flow.protocol;
  std::copy_n(from.address.begin(), 4, h.begin() + 12);
  std::copy_n(to.address.begin(), 4, h.begin() + 16);
  store_be16(&h[10], fold_sum(add_to_sum(h, 0)));
  frame.insert(frame.end(), h.begin(), h.end());
  frame.insert(frame.end(), body.begin(), body.end());
}

// A numbered frame of `flow` in one direction, between the given link addresses.
Bytes flow_frame(const Flow& flow, bool reply, std::uint32_t number, const Mac& source,
                 const Mac& destination) {
  const Endpoint& from = reply ? flow.b : flow.a;
  const Endpoint& to = reply ? flow.a : flow.b;
  std::array<std::uint8_t, kPayload> payload{};
  std::copy(kMagic.begin(), kMagic.end(), payload.begin());
  store_be32(&payload[kMagic.size()], number);
  const Bytes segment = transport_segment(flow, from, to, payload, 1000 + number);
  Bytes frame = ethernet_header(source, destination, flow.ipv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP);
  if (flow.ipv6) {
    std::array<std::uint8_t, 40> h{};
    h[0] = 0x60;
    store_be16(&h[4], static_cast<std::uint16_t>(segment.size()));
    h[6] = flow.protocol;
    h[7] = 64;
    std::copy(from.address.begin(), from.address.end(), h.begin() + 8);
    std::copy(to.address.begin(), to.address.end(), h.begin() + 24);
    frame.insert(frame.end(), h.begin(), h.end());
    frame.insert(frame.end(), segment.begin(), segment.end());
  } else {
    append_ipv4(frame, flow, from, to, segment, static_cast<std::uint16_t>(number), 0);
  }
  return frame;
}

// One UDP datagram of kFragmentedFlow (client to server) as kFragments IPv4 fragments, each
// with a valid header checksum and consistent lengths and offsets, as ip_defrag() needs.
std::vector<Bytes> fragment_frames(std::uint16_t id) {
  const Flow flow = make_flow(kFragmentedFlow);
  Bytes payload(kFragmentPayload);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i);
  std::copy(kMagic.begin(), kMagic.end(), payload.begin());
  const Bytes datagram = transport_segment(flow, flow.a, flow.b, payload, 0);
  std::vector<Bytes> frames;
  for (std::size_t at = 0; at < datagram.size(); at += kFragmentBytes) {
    const std::size_t size = std::min(kFragmentBytes, datagram.size() - at);
    const bool more = at + size < datagram.size();
    Bytes frame = ethernet_header(kSenderMac, kCaptureMac, ETHERTYPE_IP);
    append_ipv4(frame, flow, flow.a, flow.b, std::span(datagram).subspan(at, size), id,
                static_cast<std::uint16_t>((more ? 0x2000 : 0) | (at / 8)));
    frames.push_back(std::move(frame));
  }
  return frames;
}

// Sends whole Ethernet frames out of one interface.
class FrameSender {
 public:
  // bypass: straight to the driver, past the qdisc (PACKET_QDISC_BYPASS), as none of the test
  // is about queueing; but the interface's packet taps then do not see the frames go out.
  FrameSender(const std::string& interface, bool bypass)
      : fd_(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)), name_(interface) {
    if (fd_.get() < 0) {
      if (errno == EPERM || errno == EACCES) throw NeedsRoot();
      throw SystemError("cannot open a packet socket to send with", errno);
    }
    // Protocol 0: no receive hook, the socket only sends.
    const int one = 1;
    if (bypass) ::setsockopt(fd_.get(), SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    address_.sll_family = AF_PACKET;
    address_.sll_ifindex = index_of(interface);
    address_.sll_halen = 6;
  }

  void send(std::span<const std::uint8_t> frame) {
    address_.sll_protocol = htons(load_be16(&frame[12]));
    std::copy_n(frame.begin(), 6, address_.sll_addr);
    for (int attempt = 0;; ++attempt) {
      if (::sendto(fd_.get(), frame.data(), frame.size(), 0,
                   reinterpret_cast<const sockaddr*>(&address_), sizeof address_) >= 0)
        return;
      // A full transmit path: wait a little (bounded) and try again.
      if ((errno != ENOBUFS && errno != EAGAIN && errno != EBUSY) || attempt == 100)
        throw SystemError(fmt::format("{}: cannot send a frame", name_), errno);
      std::this_thread::sleep_for(1ms);
    }
  }

 private:
  UniqueFd fd_;
  std::string name_;
  sockaddr_ll address_{};
};

// ---- what a member received ----

enum class FrameKind { numbered, fragment, datagram, other };

struct Frame {
  FrameKind kind = FrameKind::other;
  std::uint32_t number = 0;     // numbered: the frame's number
  std::uint16_t ip_id = 0;      // fragment, datagram
  std::uint32_t ip_length = 0;  // datagram: its IP total length
};

Frame classify(std::span<const std::uint8_t> f) {
  Frame frame;
  if (f.size() < 14) return frame;
  const std::uint16_t type = load_be16(&f[12]);
  std::size_t l4 = 14;
  std::uint8_t protocol = 0;
  if (type == ETHERTYPE_IP && f.size() >= 34 && (f[14] >> 4) == 4) {
    const std::size_t ihl = (f[14] & 0x0f) * 4u;
    protocol = f[23];
    const std::uint16_t id = load_be16(&f[18]);
    const std::uint16_t fragment = load_be16(&f[20]);
    if (protocol == IPPROTO_UDP && (id == kMainFragmentId || id == kProbeFragmentId)) {
      frame.kind = (fragment & 0x3fff) != 0 ? FrameKind::fragment : FrameKind::datagram;
      frame.ip_id = id;
      frame.ip_length = load_be16(&f[16]);
      return frame;
    }
    l4 += ihl;
  } else if (type == ETHERTYPE_IPV6 && f.size() >= 54 && (f[14] >> 4) == 6) {
    protocol = f[20];
    l4 += 40;
  } else {
    return frame;
  }
  std::size_t header = 0;
  if (protocol == IPPROTO_TCP && f.size() >= l4 + 20)
    header = (f[l4 + 12] >> 4) * 4u;
  else if (protocol == IPPROTO_UDP)
    header = 8;
  else
    return frame;
  const std::size_t payload = l4 + header;
  if (f.size() < payload + kMagic.size() + 4 ||
      !std::equal(kMagic.begin(), kMagic.end(), f.begin() + static_cast<std::ptrdiff_t>(payload)))
    return frame;
  frame.kind = FrameKind::numbered;
  frame.number = load_be32(&f[payload + kMagic.size()]);
  return frame;
}

// ---- a fanout group on sct1 ----

struct Group {
  std::vector<std::unique_ptr<Filter>> filters;
  std::vector<std::unique_ptr<CaptureSocket>> members;
};

// W members on sct1, opened, joined and started in run_fanout's order: every member held
// (rejecting everything) until all have joined, the program set through the first member,
// then each started.
Group open_group(const FanoutSpec& spec, std::size_t workers, CaptureMode mode) {
  CaptureOptions options;
  options.interface = kCaptureName;
  options.mode = mode;
  options.held = true;
  options.ring.block_size = kBlockSize;
  options.ring.block_count = kBlockCount;
  options.ring.block_timeout = kBlockTimeout;
  Group group;
  for (std::size_t i = 0; i < workers; ++i) {
    group.filters.push_back(std::make_unique<Filter>(""));
    try {
      group.members.push_back(std::make_unique<CaptureSocket>(options, *group.filters.back()));
    } catch (const SystemError& e) {
      if (e.error_number() == EPERM || e.error_number() == EACCES) throw NeedsRoot();
      throw;
    }
  }
  std::uint16_t id = 0;
  for (auto& member : group.members) {
    const bool first = &member == &group.members.front();
    id = member->join_fanout(spec, id, first && !spec.group);
  }
  if (fanout_is_program(spec.mode))
    group.members.front()->set_fanout_program(fanout_kernel_program(spec.mode));
  for (auto& member : group.members) member->start();
  return group;
}

// Reads every member until `done()` says all expected frames are in (then a little longer, to
// see a late duplicate) or `limit` has passed.
void collect(Group& group, std::chrono::milliseconds limit, const std::function<bool()>& done,
             const std::function<void(std::size_t, const PacketView&)>& take) {
  const auto deadline = Clock::now() + limit;
  auto settle = Clock::time_point::max();
  for (;;) {
    bool any = false;
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      PacketView packet;
      while (group.members[i]->next(packet, 0ms)) {
        take(i, packet);
        any = true;
      }
    }
    const auto now = Clock::now();
    if (now >= deadline || now >= settle) return;
    if (settle == Clock::time_point::max() && done()) settle = now + 3 * kBlockTimeout;
    if (!any) std::this_thread::sleep_for(2ms);
  }
}

std::string address_text(const Endpoint& e, bool ipv6) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(ipv6 ? AF_INET6 : AF_INET, e.address.data(), text, sizeof text);
  return ipv6 ? fmt::format("[{}]:{}", text, e.port) : fmt::format("{}:{}", text, e.port);
}

std::string workers_text(const std::vector<bool>& seen) {
  std::vector<std::size_t> list;
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (seen[i]) list.push_back(i);
  return fmt::format("{}{}", list.size() == 1 ? "worker " : "workers ", fmt::join(list, ","));
}

std::pair<int, int> kernel_version(const std::string& release) {
  int major = 0;
  int minor = 0;
  std::sscanf(release.c_str(), "%d.%d", &major, &minor);
  return {major, minor};
}

// ---- the test, inside the namespace ----

struct Outcome {
  std::vector<std::string> lines;     // stdout
  std::vector<std::string> failures;  // why the mode does not behave as documented
};

// DEFRAG: a group of its own that only gets the three fragments.
void probe_defrag(const FanoutSpec& spec, std::size_t workers, CaptureMode mode,
                  FrameSender& sender, Outcome& out) {
  FanoutSpec probe = spec;
  probe.defrag = true;
  std::size_t fragments = 0;
  std::size_t datagrams = 0;
  std::uint32_t length = 0;
  Group group = open_group(probe, workers, mode);
  for (const Bytes& frame : fragment_frames(kProbeFragmentId)) sender.send(frame);
  collect(
      group, 1000ms, [&] { return datagrams >= 1 || fragments >= kFragments; },
      [&](std::size_t, const PacketView& packet) {
        const Frame frame = classify(packet.data);
        if (frame.ip_id != kProbeFragmentId) return;
        if (frame.kind == FrameKind::fragment) ++fragments;
        if (frame.kind == FrameKind::datagram) {
          ++datagrams;
          length = frame.ip_length;
        }
      });
  const bool works = datagrams == 1 && fragments == 0;
  if (works)
    out.lines.push_back(fmt::format("defrag: works ({} fragments -> 1 datagram of {} bytes)",
                                    kFragments, length));
  else if (fragments == kFragments && datagrams == 0)
    out.lines.push_back(fmt::format("defrag: does not work ({} fragments -> {} records)",
                                    kFragments, kFragments));
  else
    out.lines.push_back(fmt::format("defrag: unclear ({} fragments sent; {} fragments and {} "
                                    "datagrams seen)",
                                    kFragments, fragments, datagrams));
  if (!works && spec.defrag) out.failures.push_back("--defrag does not reassemble fragments");
}

// IGNORE_OUTGOING: frames sent from sct1 itself are outgoing there; a group with the flag
// should not see them, one without it should.
void probe_ignore_outgoing(const FanoutSpec& spec, std::size_t workers, CaptureMode mode,
                           const std::string& release, Outcome& out) {
  // Through the qdisc: that is where outgoing frames reach the packet taps (dev_queue_xmit_nit).
  FrameSender local(kCaptureName, false);
  const Flow flow = make_flow(0);
  const auto outgoing_seen = [&](bool ignore) -> std::optional<std::size_t> {
    FanoutSpec probe = spec;
    probe.ignore_outgoing = ignore;
    std::optional<Group> group;
    try {
      group.emplace(open_group(probe, workers, mode));
    } catch (const SystemError& e) {
      if (ignore && e.error_number() == EINVAL) return std::nullopt;  // flag unknown
      throw;
    }
    for (std::size_t k = 0; k < kOutgoingFrames; ++k)
      local.send(flow_frame(flow, true, kOutgoingBase + static_cast<std::uint32_t>(k),
                            kCaptureMac, kSenderMac));
    std::size_t n = 0;
    collect(
        *group, ignore ? 200ms : 1000ms, [&] { return !ignore && n >= kOutgoingFrames; },
        [&](std::size_t, const PacketView& packet) {
          const Frame frame = classify(packet.data);
          if (frame.kind == FrameKind::numbered && frame.number >= kOutgoingBase &&
              packet.direction == Direction::outgoing)
            ++n;
        });
    return n;
  };
  const std::optional<std::size_t> with = outgoing_seen(true);
  const std::optional<std::size_t> without = outgoing_seen(false);
  const auto [major, minor] = kernel_version(release);
  const bool old_kernel = major < 6 || (major == 6 && minor < 2);
  const bool works = with && *with == 0 && *without == kOutgoingFrames;
  if (!with)
    out.lines.push_back("ignore-outgoing: not supported (Linux 6.2+)");
  else if (works)
    out.lines.push_back(fmt::format("ignore-outgoing: works (0 of {} outgoing frames seen with "
                                    "the flag, {} without)",
                                    kOutgoingFrames, *without));
  else
    out.lines.push_back(fmt::format("ignore-outgoing: {} ({} of {} outgoing frames seen with "
                                    "the flag, {} without)",
                                    old_kernel ? "not supported (Linux 6.2+; the flag is "
                                                 "accepted and ignored)"
                                               : "does not work",
                                    *with, kOutgoingFrames, *without));
  if (!works && spec.ignore_outgoing)
    out.failures.push_back("--ignore-outgoing does not leave out the frames the host sends");
}

// The pair, the main run and the two probes; the report in `out`.
void run_in_namespace(const FanoutFlags& flags, Outcome& out) {
  const FanoutSpec spec = fanout_spec(flags);
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  const std::size_t workers =
      std::max<std::size_t>(2, flags.workers > 0 ? flags.workers
                                                 : static_cast<std::size_t>(std::max(1L, online)));
  const CaptureMode mode =
      flags.capture.ring.mode == "socket" ? CaptureMode::socket : CaptureMode::ring;
  const bool keeps_flows = fanout_keeps_flows(spec.mode);
  utsname u{};
  ::uname(&u);
  const std::string release = u.release;
  std::string mode_text = "--cluster " + flags.cluster;
  if (spec.defrag) mode_text += " --defrag";
  if (spec.rollover) mode_text += " --rollover";
  if (spec.ignore_outgoing) mode_text += " --ignore-outgoing";
  out.lines.push_back(fmt::format("fanout self-test: Linux {}, {} workers, {}", release, workers,
                                  mode_text));

  set_up_namespace();
  FrameSender sender(kSenderName, true);
  std::vector<Flow> flows;
  for (std::size_t f = 0; f < kFlows; ++f) flows.push_back(make_flow(f));

  // The main run: every flow both ways, interleaved, and the fragmented datagram among them.
  std::vector<std::uint64_t> load(workers, 0);
  std::vector<std::uint8_t> seen(kFlowFrames, 0);
  std::vector<std::vector<bool>> flow_workers(kFlows, std::vector<bool>(workers, false));
  std::vector<bool> fragment_workers(workers, false);
  std::size_t fragments_seen = 0;
  std::size_t datagrams_seen = 0;
  std::uint32_t datagram_length = 0;
  std::uint64_t others = 0;
  std::size_t numbered = 0;
  std::uint64_t dropped = 0;  // by the kernel: a full ring
  {
    std::optional<Group> opened;
    try {
      opened.emplace(open_group(spec, workers, mode));
    } catch (const SystemError& e) {
      if (spec.ignore_outgoing && e.error_number() == EINVAL)
        throw Error(fmt::format("--ignore-outgoing: this kernel refuses the flag (Linux 6.2+; "
                                "this is {})",
                                release));
      throw;
    }
    Group& group = *opened;
    for (std::size_t k = 0; k < kFramesPerDirection; ++k) {
      if (k == kFramesPerDirection / 2)
        for (const Bytes& frame : fragment_frames(kMainFragmentId)) sender.send(frame);
      for (std::size_t f = 0; f < kFlows; ++f)
        for (int reply = 0; reply < 2; ++reply) {
          const auto number =
              static_cast<std::uint32_t>((f * 2 + static_cast<std::size_t>(reply)) *
                                             kFramesPerDirection + k);
          sender.send(flow_frame(flows[f], reply != 0, number, kSenderMac, kCaptureMac));
        }
    }
    collect(
        group, 2000ms,
        [&] {
          return numbered >= kFlowFrames &&
                 (fragments_seen >= kFragments || datagrams_seen >= 1);
        },
        [&](std::size_t worker, const PacketView& packet) {
          ++load[worker];
          const Frame frame = classify(packet.data);
          if (frame.kind == FrameKind::numbered && frame.number < kFlowFrames) {
            if (seen[frame.number]++ == 0) ++numbered;
            flow_workers[frame.number / (2 * kFramesPerDirection)][worker] = true;
          } else if ((frame.kind == FrameKind::fragment || frame.kind == FrameKind::datagram) &&
                     frame.ip_id == kMainFragmentId) {
            fragment_workers[worker] = true;
            if (frame.kind == FrameKind::fragment) {
              ++fragments_seen;
            } else {
              ++datagrams_seen;
              datagram_length = frame.ip_length;
            }
          } else {
            ++others;
          }
        });
    for (auto& member : group.members) dropped += member->counters().dropped;
  }

  std::uint64_t total = 0;
  for (const std::uint64_t n : load) total += n;
  for (std::size_t i = 0; i < workers; ++i)
    out.lines.push_back(fmt::format(
        "worker {}: {} packets ({:.1f}%)", i, load[i],
        total == 0 ? 0.0 : 100.0 * static_cast<double>(load[i]) / static_cast<double>(total)));

  std::size_t split = 0;
  std::vector<std::string> split_lines;
  for (std::size_t f = 0; f < kFlows; ++f) {
    if (std::count(flow_workers[f].begin(), flow_workers[f].end(), true) <= 1) continue;
    ++split;
    if (keeps_flows && split_lines.size() < 4)
      split_lines.push_back(fmt::format(
          "split: {} {} <-> {} on {}", flows[f].protocol == IPPROTO_TCP ? "tcp" : "udp",
          address_text(flows[f].a, flows[f].ipv6), address_text(flows[f].b, flows[f].ipv6),
          workers_text(flow_workers[f])));
  }
  out.lines.push_back(fmt::format("flows: {} of {} kept whole (both directions on one worker); "
                                  "{} split{}",
                                  kFlows - split, kFlows, split,
                                  keeps_flows ? "" : " (this mode does not keep flows)"));
  out.lines.insert(out.lines.end(), split_lines.begin(), split_lines.end());
  if (keeps_flows && split > 0)
    out.failures.push_back(fmt::format("{} of {} flows split across workers", split, kFlows));

  // What each kernel mode promises, where it can be checked on a veth pair.
  const std::uint64_t most = *std::max_element(load.begin(), load.end());
  const std::uint64_t least = *std::min_element(load.begin(), load.end());
  switch (spec.mode) {
    case FanoutMode::lb:
      out.lines.push_back(fmt::format("round robin: worker loads differ by {} (at most 1 "
                                      "expected)",
                                      most - least));
      if (most - least > 1)
        out.failures.push_back(fmt::format("lb: worker loads differ by {}, not round robin",
                                           most - least));
      break;
    case FanoutMode::cpu:
      out.lines.push_back("note: cpu picks the worker by the CPU that received the packet; on "
                          "veth that is the CPU that sent it, so one worker gets (nearly) "
                          "everything");
      break;
    case FanoutMode::qm:
      out.lines.push_back("note: qm picks the worker by the receive queue; veth has one, so one "
                          "worker gets everything");
      break;
    case FanoutMode::rollover:
      out.lines.push_back("note: rollover fills one worker until its ring is full; the test's "
                          "frames fit in one ring");
      break;
    default:
      break;
  }

  // The fragmented datagram, and its flow's other frames.
  const std::string fragment_where = workers_text(fragment_workers);
  const std::vector<bool>& its_flow = flow_workers[kFragmentedFlow];
  bool with_flow = true;
  for (std::size_t i = 0; i < workers; ++i)
    if (fragment_workers[i] && !its_flow[i]) with_flow = false;
  // hash and flow4 choose for a fragment by its addresses only (the ports are in the first
  // fragment at most), for the rest of the flow by addresses and ports: the two agree only
  // by chance (4 of 8 flows tried on Linux 6.18) unless the kernel reassembles first.
  const bool by_chance =
      !spec.defrag && (spec.mode == FanoutMode::hash || spec.mode == FanoutMode::flow4);
  const std::string relation =
      with_flow ? fmt::format("with the rest of its flow{}",
                              by_chance ? " (by chance: without --defrag, fragments are spread "
                                          "on their addresses only)"
                                        : "")
                : fmt::format("the rest of its flow on {}{}", workers_text(its_flow),
                              by_chance ? " (--defrag keeps them together)" : "");
  if (datagrams_seen == 1 && fragments_seen == 0)
    out.lines.push_back(fmt::format("fragments: {} fragments -> 1 datagram of {} bytes on {}, {}",
                                    kFragments, datagram_length, fragment_where, relation));
  else if (fragments_seen > 0 || datagrams_seen > 0)
    out.lines.push_back(fmt::format("fragments: {} of {} fragments{} on {}, {}", fragments_seen,
                                    kFragments,
                                    datagrams_seen > 0 ? fmt::format(" and {} datagrams",
                                                                     datagrams_seen)
                                                       : "",
                                    fragment_where, relation));
  else
    out.lines.push_back(fmt::format("fragments: none of the {} fragments arrived", kFragments));
  if (fragments_seen + datagrams_seen > 0 && !with_flow && spec.defrag && keeps_flows)
    out.failures.push_back("the reassembled datagram went to another worker than its flow");

  // Lost and duplicated frames.
  const std::size_t lost = kFlowFrames - numbered;
  std::size_t duplicated = 0;
  for (const std::uint8_t n : seen)
    if (n > 1) ++duplicated;
  out.lines.push_back(fmt::format("lost: {} of {} frames{}", lost, kFlowFrames,
                                  dropped > 0 ? fmt::format(" ({} dropped by the kernel)", dropped)
                                              : ""));
  if (lost > 0) out.failures.push_back(fmt::format("{} of {} frames lost", lost, kFlowFrames));
  if (duplicated > 0) {
    out.lines.push_back(fmt::format("duplicated: {} frames reached more than one worker",
                                    duplicated));
    out.failures.push_back(fmt::format("{} frames reached more than one worker", duplicated));
  }
  if (others > 0)
    out.lines.push_back(fmt::format("other: {} frames the test did not send", others));

  probe_defrag(spec, workers, mode, sender, out);
  probe_ignore_outgoing(spec, workers, mode, release, out);

  const std::string command = "fanout " + mode_text;
  if (!out.failures.empty())
    out.lines.push_back(fmt::format("verdict: {} is NOT safe here: {}", command,
                                    fmt::join(out.failures, "; ")));
  else if (keeps_flows)
    out.lines.push_back(fmt::format("verdict: {} is safe here", command));
  else
    out.lines.push_back(fmt::format("verdict: {} works as documented here (it does not keep "
                                    "flows)",
                                    command));
}

// The child: a network namespace of its own, the test, the report. Returns the exit status.
int self_test_child(const FanoutFlags& flags) {
  Outcome out;
  int status = kExitOk;
  try {
    if (::unshare(CLONE_NEWNET) != 0) {
      if (errno == EPERM || errno == EACCES) throw NeedsRoot();
      throw SystemError("cannot create a network namespace", errno);
    }
    run_in_namespace(flags, out);
  } catch (const NeedsRoot& e) {
    std::fprintf(stderr, "slimcap: %s\n", e.what());
    return kExitFailure;
  } catch (const std::exception& e) {
    for (const std::string& line : out.lines) std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "slimcap: --self-test: %s\n", e.what());
    return kExitFailure;
  }
  for (const std::string& line : out.lines) std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  if (!out.failures.empty()) {
    std::fprintf(stderr, "slimcap: --self-test: %s\n",
                 fmt::format("{}", fmt::join(out.failures, "; ")).c_str());
    status = kExitFailure;
  }
  return status;
}

}  // namespace

int run_fanout_self_test(const FanoutFlags& flags) {
  // A child process, so that the namespace (and the veth pair in it) goes away when it exits,
  // however it exits; the caller stays in the host's namespace.
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = ::fork();
  if (child < 0) throw SystemError("--self-test: cannot start the test process", errno);
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int status = self_test_child(flags);
    std::fflush(nullptr);
    ::_exit(status);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw SystemError("--self-test: cannot wait for the test process", errno);
  if (WIFSIGNALED(status))
    throw Error(fmt::format("--self-test: the test process died of signal {}",
                            WTERMSIG(status)));
  return WEXITSTATUS(status);
}

}  // namespace slimcap::cli
