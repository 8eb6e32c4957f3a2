// Live capture through CaptureSocket, on a veth pair between two network namespaces that the
// test creates (and deletes on exit). Frames are sent with an AF_PACKET socket on the peer end
// (incoming on the captured interface) or on the captured interface itself (outgoing). Both
// receive paths (ring and socket mode) and the "any" interface are covered. Needs root
// (CAP_SYS_ADMIN for namespaces, CAP_NET_RAW); without it every case says why it skips.

#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "namespaces.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/link_type.hpp"

using namespace slimcap;
using namespace slimcap::test;
using namespace std::chrono_literals;

namespace {

// Two namespaces joined by a veth pair; the test process works inside the first one (setns on
// this single thread) and sends from a socket created in the second.
class VethPair {
 public:
  VethPair() {
    const std::string id = std::to_string(::getpid());
    ns_a_ = "slimcap-ta-" + id;
    ns_b_ = "slimcap-tb-" + id;
    if_a_ = "sca" + id;
    if_b_ = "scb" + id;
    int status = 1;
    run_command("ip netns add " + ns_a_ + " && ip netns add " + ns_b_ + " && ip link add " + if_a_ +
                    " type veth peer name " + if_b_ + " && ip link set " + if_a_ + " netns " + ns_a_ +
                    " && ip link set " + if_b_ + " netns " + ns_b_ + " && ip -n " + ns_a_ +
                    " link set " + if_a_ + " up && ip -n " + ns_b_ + " link set " + if_b_ +
                    " up 2>&1",
                &status);
    // No IPv6: its router solicitations and MLD reports would be extra frames on the pair.
    run_command("ip netns exec " + ns_a_ + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1; ip netns exec " +
                ns_b_ + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
    ok_ = status == 0;
    if (!ok_) return;
    home_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const int b = ::open(("/run/netns/" + ns_b_).c_str(), O_RDONLY | O_CLOEXEC);
    const int a = ::open(("/run/netns/" + ns_a_).c_str(), O_RDONLY | O_CLOEXEC);
    ok_ = home_ >= 0 && a >= 0 && b >= 0 && ::setns(b, CLONE_NEWNET) == 0;
    if (ok_) {
      sender_ = bound_packet_socket(if_b_);
      ok_ = sender_ >= 0 && ::setns(a, CLONE_NEWNET) == 0;
    }
    if (ok_) {
      local_sender_ = bound_packet_socket(if_a_);
      ifindex_ = ::if_nametoindex(if_a_.c_str());
      ok_ = local_sender_ >= 0 && read_mac();
    }
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
  }

  ~VethPair() {
    if (sender_ >= 0) ::close(sender_);
    if (local_sender_ >= 0) ::close(local_sender_);
    if (home_ >= 0) {
      [[maybe_unused]] const int rc = ::setns(home_, CLONE_NEWNET);
      ::close(home_);
    }
    run_command("ip netns del " + ns_a_ + " 2>/dev/null; ip netns del " + ns_b_ + " 2>/dev/null");
  }

  bool ok() const noexcept { return ok_; }
  const std::string& capture_interface() const noexcept { return if_a_; }
  std::uint32_t capture_ifindex() const noexcept { return ifindex_; }
  const Mac& capture_mac() const noexcept { return mac_; }
  // Runs `ip` arguments in the capturing namespace, e.g. "link set lo up".
  bool ip_in_capture_namespace(const std::string& arguments) const {
    int status = 1;
    run_command("ip -n " + ns_a_ + " " + arguments + " 2>&1", &status);
    return status == 0;
  }
  // Arrives on the captured interface from the peer.
  void send(const Bytes& frame) const { send_on(sender_, frame); }
  // Leaves through the captured interface.
  void send_out(const Bytes& frame) const { send_on(local_sender_, frame); }

 private:
  static int bound_packet_socket(const std::string& interface) {
    const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_ifindex = static_cast<int>(::if_nametoindex(interface.c_str()));
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
  }
  static void send_on(int fd, const Bytes& frame) {
    REQUIRE(::send(fd, frame.data(), frame.size(), 0) == static_cast<ssize_t>(frame.size()));
  }
  bool read_mac() {
    ifreq request{};
    std::copy(if_a_.begin(), if_a_.end(), request.ifr_name);
    if (::ioctl(local_sender_, SIOCGIFHWADDR, &request) != 0) return false;
    std::copy(request.ifr_hwaddr.sa_data, request.ifr_hwaddr.sa_data + 6, mac_.begin());
    return true;
  }

  std::string ns_a_, ns_b_, if_a_, if_b_;
  int home_ = -1;
  int sender_ = -1;
  int local_sender_ = -1;
  std::uint32_t ifindex_ = 0;
  Mac mac_{};
  bool ok_ = false;
};

struct FrameSpec {
  std::uint16_t port = 5001;
  std::uint16_t vlan = 0;  // 0: untagged
  std::size_t payload = 64;
  Mac destination = mac("02:00:00:00:00:02");  // not the captured interface's: other host
};

// A UDP frame whose payload starts with n.
Bytes numbered_frame(std::uint32_t n, const FrameSpec& spec = {}) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  ip.id = static_cast<std::uint16_t>(n);
  Bytes payload(spec.payload, 0);
  store_be32(payload.data(), n);
  EthernetSpec e;
  e.destination = spec.destination;
  if (spec.vlan) e.vlans = {test::VlanTag{0x8100, spec.vlan, 0, false}};
  return ethernet_frame(e, ipv4_packet(ip, udp_datagram(40000, spec.port, payload)));
}

// What "any" should yield for an Ethernet frame, built here from the frame alone: the 20-byte
// LINUX_SLL2 header (protocol, reserved, ifindex, hatype, pkttype, halen, source address padded
// to 8), then the frame after its MAC addresses and type. A tagged frame keeps its tag after
// the header, with the TPID as protocol; so the protocol is always the frame's type field.
Bytes sll2_packet(const Bytes& frame, std::uint32_t ifindex, Direction direction) {
  Bytes out(20 + frame.size() - 14, 0);
  std::copy(frame.begin() + 12, frame.begin() + 14, out.begin());
  store_be32(out.data() + 4, ifindex);
  store_be16(out.data() + 8, ARPHRD_ETHER);
  out[10] = static_cast<std::uint8_t>(direction);
  out[11] = 6;
  std::copy(frame.begin() + 6, frame.begin() + 12, out.begin() + 12);
  std::copy(frame.begin() + 14, frame.end(), out.begin() + 20);
  return out;
}

struct Captured {
  Bytes data;
  std::uint32_t wire_length;
  std::int64_t timestamp_ns;
  std::uint32_t link_type;
  std::uint32_t interface_index;
  Direction direction;
};

std::vector<Captured> drain_views(CaptureSocket& capture, std::size_t expected,
                                  std::chrono::milliseconds quiet = 1500ms) {
  std::vector<Captured> got;
  PacketView p;
  while (capture.next(p, got.size() < expected ? 3000ms : quiet))
    got.push_back({Bytes(p.data.begin(), p.data.end()), p.wire_length, p.timestamp_ns, p.link_type,
                   p.interface_index, p.direction});
  return got;
}

std::string mode_name(CaptureMode mode) { return mode == CaptureMode::ring ? "ring" : "socket"; }
constexpr CaptureMode kModes[] = {CaptureMode::ring, CaptureMode::socket};

// Everything captured within `quiet` of the last packet, as byte copies.
std::vector<Bytes> drain(CaptureSocket& capture, std::size_t expected,
                         std::chrono::milliseconds quiet = 1500ms) {
  std::vector<Bytes> got;
  PacketView p;
  while (capture.next(p, got.size() < expected ? 3000ms : quiet))
    got.emplace_back(p.data.begin(), p.data.end());
  return got;
}

// 1 MiB of ring, or of socket receive buffer in socket mode. The kernel charges a queued
// packet its whole buffer, not its length: measured, 256 KiB held 631 of 2000 small frames
// (about 830 bytes each of the doubled size), 1 MiB holds all of them.
CaptureOptions capture_options(const std::string& interface, CaptureMode mode) {
  CaptureOptions o;
  o.interface = interface;
  o.mode = mode;
  o.ring.block_size = 1 << 16;
  o.ring.block_count = 16;
  o.ring.block_timeout = 20ms;
  return o;
}

CaptureOptions options_for(const VethPair& pair, CaptureMode mode = CaptureMode::ring) {
  return capture_options(pair.capture_interface(), mode);
}

CaptureOptions any_options(CaptureMode mode) { return capture_options(std::string(kAnyInterface), mode); }

}  // namespace

TEST_SUITE("live") {
  TEST_CASE("captures every frame sent, byte for byte, and counts them") {
    if (!can_create_namespaces("capture")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    for (const CaptureMode mode : kModes) {
      CAPTURE(mode_name(mode));
      Filter everything("");
      CaptureSocket capture(options_for(pair, mode), everything);
      constexpr std::uint32_t kFrames = 2000;
      for (std::uint32_t n = 0; n < kFrames; ++n) pair.send(numbered_frame(n));
      const std::vector<Bytes> got = drain(capture, kFrames);
      REQUIRE(got.size() == kFrames);
      for (std::uint32_t n = 0; n < kFrames; ++n) CHECK(got[n] == numbered_frame(n));
      const CaptureCounters c = capture.counters();
      CHECK(c.received == kFrames);
      CHECK(c.dropped == 0);
    }
  }

  TEST_CASE("filters in the kernel, and judges VLAN-tagged frames as they are in a file") {
    if (!can_create_namespaces("vlan filter")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    const std::vector<Bytes> sent{numbered_frame(1), numbered_frame(2, {.vlan = 100}),
                                  numbered_frame(3, {.port = 5002}),
                                  numbered_frame(4, {.vlan = 200})};
    struct Case {
      const char* expression;
      std::vector<std::size_t> selected;  // indexes into `sent`
    };
    for (const CaptureMode mode : kModes) {
      for (const Case& c : {Case{"vlan 100", {1}}, Case{"udp port 5001", {0}},
                            Case{"vlan and udp port 5001", {1, 3}}, Case{"", {0, 1, 2, 3}}}) {
        CAPTURE(mode_name(mode));
        CAPTURE(c.expression);
        Filter filter(c.expression);
        CaptureSocket capture(options_for(pair, mode), filter);
        for (const Bytes& f : sent) pair.send(f);
        const std::vector<Bytes> got = drain(capture, c.selected.size(), 500ms);
        REQUIRE(got.size() == c.selected.size());
        for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == sent[c.selected[i]]);
        // The offline verdict on the same bytes is the same.
        Filter offline(c.expression);
        for (std::size_t i = 0; i < sent.size(); ++i) {
          PacketView p;
          p.data = sent[i];
          p.wire_length = static_cast<std::uint32_t>(sent[i].size());
          p.link_type = 1;
          const bool selected =
              std::find(c.selected.begin(), c.selected.end(), i) != c.selected.end();
          CHECK(offline.matches(p) == selected);
        }
      }
    }
  }

  TEST_CASE("truncates to the snaplen in the kernel and keeps the wire length") {
    if (!can_create_namespaces("snaplen")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    for (const CaptureMode mode : kModes) {
      CAPTURE(mode_name(mode));
      CaptureOptions o = options_for(pair, mode);
      o.snaplen = 64;
      Filter filter("", 64);
      CaptureSocket capture(o, filter);
      const Bytes frame = numbered_frame(9);
      pair.send(frame);
      PacketView p;
      REQUIRE(capture.next(p, 3000ms));
      CHECK(p.caplen() == 64);
      CHECK(p.wire_length == frame.size());
      CHECK(Bytes(p.data.begin(), p.data.end()) == Bytes(frame.begin(), frame.begin() + 64));
    }
  }

  TEST_CASE("wake() ends a blocked wait, and a missing interface is one clear error") {
    if (!can_create_namespaces("wake")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    for (const CaptureMode mode : kModes) {
      CAPTURE(mode_name(mode));
      Filter filter("");
      CaptureSocket capture(options_for(pair, mode), filter);
      capture.wake();
      PacketView p;
      const auto start = std::chrono::steady_clock::now();
      CHECK(!capture.next(p, 10000ms));
      CHECK(std::chrono::steady_clock::now() - start < 5s);
      CaptureOptions missing;
      missing.interface = "nosuchif0";
      missing.mode = mode;
      CHECK_THROWS_WITH_AS(CaptureSocket(missing, filter),
                           "nosuchif0: no such interface: No such device", SystemError);
    }
  }

  TEST_CASE("socket mode yields what the ring yields: bytes, lengths, timestamps, tags") {
    if (!can_create_namespaces("socket mode")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    CaptureOptions ring_options = options_for(pair, CaptureMode::ring);
    CaptureOptions socket_options = options_for(pair, CaptureMode::socket);
    ring_options.snaplen = socket_options.snaplen = 200;
    Filter ring_filter("", 200), socket_filter("", 200);
    // Both sockets see every frame: they run side by side.
    CaptureSocket ring(ring_options, ring_filter);
    CaptureSocket socket(socket_options, socket_filter);
    std::vector<Bytes> sent;
    for (std::uint32_t n = 0; n < 300; ++n) {
      FrameSpec spec;
      spec.payload = 20 + (n * 37) % 1200;  // some longer than the snaplen
      spec.vlan = n % 7 == 0 ? 100 + n : 0;
      sent.push_back(numbered_frame(n, spec));
    }
    for (const Bytes& f : sent) pair.send(f);
    const std::vector<Captured> from_ring = drain_views(ring, sent.size());
    const std::vector<Captured> from_socket = drain_views(socket, sent.size());
    REQUIRE(from_ring.size() == sent.size());
    REQUIRE(from_socket.size() == sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
      CAPTURE(i);
      const Bytes expected(sent[i].begin(), sent[i].begin() + std::min<std::size_t>(200, sent[i].size()));
      CHECK(from_socket[i].data == expected);
      CHECK(from_socket[i].data == from_ring[i].data);
      CHECK(from_socket[i].wire_length == sent[i].size());
      CHECK(from_socket[i].wire_length == from_ring[i].wire_length);
      // One skb, one timestamp: both paths read skb->tstamp.
      CHECK(from_socket[i].timestamp_ns == from_ring[i].timestamp_ns);
      CHECK(from_socket[i].interface_index == pair.capture_ifindex());
      CHECK(from_socket[i].direction == from_ring[i].direction);
      CHECK(from_socket[i].link_type == link_type::kEthernet);
    }
    CHECK(socket.counters().received == sent.size());
    CHECK(socket.counters().freezes == 0);
  }

  TEST_CASE("counters add up when the buffer overflows: captured + dropped = received") {
    if (!can_create_namespaces("drops")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    for (const CaptureMode mode : kModes) {
      CAPTURE(mode_name(mode));
      CaptureOptions o = options_for(pair, mode);
      o.ring.block_size = 4096;
      o.ring.block_count = 2;
      Filter filter("");
      CaptureSocket capture(o, filter);
      constexpr std::uint32_t kFrames = 3000;
      for (std::uint32_t n = 0; n < kFrames; ++n) pair.send(numbered_frame(n));
      const std::vector<Bytes> got = drain(capture, 0, 500ms);
      const CaptureCounters c = capture.counters();
      CHECK(c.received == kFrames);
      CHECK(c.dropped > 0);
      CHECK(got.size() + c.dropped == c.received);
      // What was kept arrived in order and intact.
      CHECK(std::is_sorted(got.begin(), got.end(), [](const Bytes& a, const Bytes& b) {
        return load_be32(a.data() + 42) < load_be32(b.data() + 42);
      }));
      for (const Bytes& g : got) CHECK(g == numbered_frame(load_be32(g.data() + 42)));
    }
  }

  TEST_CASE("any yields LINUX_SLL2 with the interface, packet type, protocol and VLAN tag") {
    if (!can_create_namespaces("any")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    const Bytes to_host = numbered_frame(1, {.destination = pair.capture_mac()});
    const Bytes to_other = numbered_frame(2);
    const Bytes tagged = numbered_frame(3, {.vlan = 300, .destination = pair.capture_mac()});
    const Bytes outgoing = numbered_frame(4, {.port = 5002});
    const std::uint32_t ifindex = pair.capture_ifindex();
    const std::vector<Bytes> expected{sll2_packet(to_host, ifindex, Direction::host),
                                      sll2_packet(to_other, ifindex, Direction::other_host),
                                      sll2_packet(tagged, ifindex, Direction::host),
                                      sll2_packet(outgoing, ifindex, Direction::outgoing)};
    for (const CaptureMode mode : kModes) {
      CAPTURE(mode_name(mode));
      Filter filter("");
      CaptureSocket capture(any_options(mode), filter);
      CHECK(capture.link_type() == link_type::kLinuxSll2);
      CHECK(capture.interface_index() == 0);
      pair.send(to_host);
      pair.send(to_other);
      pair.send(tagged);
      pair.send_out(outgoing);
      const std::vector<Captured> got = drain_views(capture, expected.size(), 500ms);
      REQUIRE(got.size() == expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i].data == expected[i]);
        CHECK(got[i].wire_length == expected[i].size());
        CHECK(got[i].link_type == link_type::kLinuxSll2);
        CHECK(got[i].interface_index == ifindex);
        CHECK(static_cast<int>(got[i].direction) == expected[i][10]);
      }
    }
  }

  TEST_CASE("a filter on any selects what the offline filter selects on the SLL2 data") {
    if (!can_create_namespaces("any filter")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    const std::vector<Bytes> incoming{numbered_frame(1, {.destination = pair.capture_mac()}),
                                      numbered_frame(2, {.port = 5002}),
                                      numbered_frame(3, {.vlan = 100})};
    const Bytes outgoing = numbered_frame(4);
    struct Case {
      std::string expression;
      std::size_t selected;       // of the 4 packets
      std::size_t kernel_passed;  // the kernel's count: the tagged frame always passes
    };
    // "udp port 5001": the tagged frame has protocol 0x8100, as in a file. "greater" reads
    // the length, which the kernel counts without the SLL2 header, so it is judged in
    // userland (the kernel passes all 4); only the tagged packet (116 bytes with its tag) is
    // "greater 116". "ifindex" and "inbound" read header fields that become ancillary loads.
    const std::string ifindex = std::to_string(pair.capture_ifindex());
    const std::string other_ifindex = std::to_string(pair.capture_ifindex() + 1);
    const std::vector<Case> cases{{"udp port 5001", 2, 3},          {"udp port 5002", 1, 2},
                                  {"greater 100", 4, 4},            {"greater 116", 1, 4},
                                  {"inbound", 3, 3},                {"ifindex " + ifindex, 4, 4},
                                  {"ifindex " + other_ifindex, 0, 1}};
    for (const CaptureMode mode : kModes) {
      for (const Case& c : cases) {
        CAPTURE(mode_name(mode));
        CAPTURE(c.expression);
        Filter everything("");
        Filter filter(c.expression);
        CaptureSocket all(any_options(mode), everything);
        CaptureSocket selected(any_options(mode), filter);
        for (const Bytes& f : incoming) pair.send(f);
        pair.send_out(outgoing);
        const std::vector<Captured> got_all = drain_views(all, 4, 500ms);
        const std::vector<Captured> got = drain_views(selected, c.selected, 500ms);
        REQUIRE(got_all.size() == 4);
        Filter offline(c.expression);
        std::vector<Bytes> offline_selected;
        for (const Captured& a : got_all) {
          PacketView p;
          p.data = a.data;
          p.wire_length = a.wire_length;
          p.link_type = a.link_type;
          if (offline.matches(p)) offline_selected.push_back(a.data);
        }
        CHECK(offline_selected.size() == c.selected);
        REQUIRE(got.size() == offline_selected.size());
        for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].data == offline_selected[i]);
        // The rewritten program really runs in the kernel (it counts only what passed it).
        CHECK(selected.counters().received == c.kernel_passed);
      }
    }
  }

  TEST_CASE("any honours -Q in, and shows loopback traffic once") {
    if (!can_create_namespaces("any direction")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    REQUIRE(pair.ip_in_capture_namespace("link set lo up"));
    const std::uint32_t lo = ::if_nametoindex("lo");
    REQUIRE(lo != 0);
    // A listener, so the datagram is not answered with an ICMP port unreachable.
    const int receiver = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int sender = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(receiver >= 0);
    REQUIRE(sender >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(5001);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(receiver, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    const char datagram[] = "slimcap";
    for (const CaptureMode mode : kModes) {
      for (const CaptureDirection direction : {CaptureDirection::in_out, CaptureDirection::in}) {
        CAPTURE(mode_name(mode));
        CAPTURE(static_cast<int>(direction));
        CaptureOptions o = any_options(mode);
        o.direction = direction;
        Filter filter("");
        CaptureSocket capture(o, filter);
        pair.send(numbered_frame(1));
        pair.send_out(numbered_frame(2));
        REQUIRE(::sendto(sender, datagram, sizeof datagram, 0, reinterpret_cast<sockaddr*>(&address),
                         sizeof address) == static_cast<ssize_t>(sizeof datagram));
        const std::vector<Captured> got = drain_views(capture, 3, 500ms);
        // The outgoing veth frame only without -Q in; the loopback datagram once either way,
        // as received (its outgoing copy is dropped).
        const bool both = direction == CaptureDirection::in_out;
        REQUIRE(got.size() == (both ? 3u : 2u));
        CHECK(got[0].direction == Direction::other_host);
        if (both) CHECK(got[1].direction == Direction::outgoing);
        const Captured& loop = got.back();
        CHECK(loop.interface_index == lo);
        CHECK(loop.direction == Direction::host);
        CHECK(load_be16(loop.data.data()) == 0x0800);
        CHECK(load_be16(loop.data.data() + 8) == ARPHRD_LOOPBACK);
        CHECK(loop.data.size() == 20 + 20 + 8 + sizeof datagram);
      }
    }
    ::close(sender);
    ::close(receiver);
  }
}

namespace {

// The LINUX_SLL (v1) record of `frame` as -y LINUX_SLL on "any" builds it.
Bytes sll_packet(const Bytes& frame, Direction direction) {
  Bytes out(16 + frame.size() - 14, 0);
  store_be16(out.data(), static_cast<std::uint16_t>(direction));
  store_be16(out.data() + 2, ARPHRD_ETHER);
  store_be16(out.data() + 4, 6);
  std::copy(frame.begin() + 6, frame.begin() + 12, out.begin() + 6);
  std::copy(frame.begin() + 12, frame.begin() + 14, out.begin() + 14);
  std::copy(frame.begin() + 14, frame.end(), out.begin() + 16);
  return out;
}

}  // namespace

TEST_SUITE("capture") {
  TEST_CASE("-y LINUX_SLL on any: the 16-byte header, and kernel filters rewritten for it") {
    if (!can_create_namespaces("any LINUX_SLL")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    const Bytes to_host = numbered_frame(1, {.destination = pair.capture_mac()});
    const Bytes tagged = numbered_frame(2, {.vlan = 300, .destination = pair.capture_mac()});
    const Bytes other_port = numbered_frame(3, {.port = 5002});
    const Bytes outgoing = numbered_frame(4);
    const std::vector<Bytes> expected{sll_packet(to_host, Direction::host),
                                      sll_packet(tagged, Direction::host),
                                      sll_packet(other_port, Direction::other_host),
                                      sll_packet(outgoing, Direction::outgoing)};
    struct Case {
      std::string expression;
      std::vector<std::size_t> selected;  // indexes into `expected`
      std::uint64_t kernel_passed;        // the tagged frame always passes the kernel
    };
    // "inbound" reads the packet type at offset 0, "udp port 5001" the protocol at 14 and the
    // ports past the header: all three become kernel loads of the same values. The tagged
    // frame (protocol 0x8100, as in a file) passes the kernel and is judged in userland.
    // ("vlan" itself does not compile: libpcap has no VLAN support for LINUX_SLL.)
    const std::vector<Case> cases{{"", {0, 1, 2, 3}, 4},
                                  {"inbound", {0, 1, 2}, 3},
                                  {"udp port 5001", {0, 3}, 3}};
    for (const CaptureMode mode : kModes) {
      for (const Case& c : cases) {
        CAPTURE(mode_name(mode));
        CAPTURE(c.expression);
        Filter filter(c.expression);
        CaptureOptions options = any_options(mode);
        options.link_type = link_type::kLinuxSll;
        CaptureSocket capture(options, filter);
        CHECK(capture.link_type() == link_type::kLinuxSll);
        pair.send(to_host);
        pair.send(tagged);
        pair.send(other_port);
        pair.send_out(outgoing);
        const std::vector<Captured> got = drain_views(capture, c.selected.size(), 500ms);
        REQUIRE(got.size() == c.selected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
          CAPTURE(i);
          CHECK(got[i].data == expected[c.selected[i]]);
          CHECK(got[i].link_type == link_type::kLinuxSll);
        }
        CHECK(capture.counters().received == c.kernel_passed);
      }
    }
  }

  TEST_CASE("link types, time stamp types and the interface list of a namespace") {
    if (!can_create_namespaces("interface queries")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    const std::string veth = pair.capture_interface();
    CHECK(interface_link_types(veth) == std::vector<std::uint32_t>{link_type::kEthernet, 143});
    CHECK(default_link_type(veth) == link_type::kEthernet);
    CHECK(interface_link_types(std::string(kAnyInterface)) ==
          std::vector<std::uint32_t>{link_type::kLinuxSll, link_type::kLinuxSll2});
    CHECK(default_link_type(std::string(kAnyInterface)) == link_type::kLinuxSll2);
    CHECK(interface_timestamp_sources(veth) == std::vector<TimestampSource>{TimestampSource::host});
    CHECK_THROWS_WITH_AS(interface_link_types("nosuch0"), "nosuch0: no such interface: No such device",
                         SystemError);
    // A link type the interface does not offer: tcpdump's words, before anything is opened.
    Filter filter("");
    CaptureOptions options = capture_options(veth, CaptureMode::ring);
    options.link_type = link_type::kLinuxSll2;
    CHECK_THROWS_WITH_AS(CaptureSocket(options, filter),
                         "LINUX_SLL2 is not one of the DLTs supported by this device", Error);
    // The namespace holds the veth (up, running, connected), lo (down) and "any".
    const std::vector<InterfaceInfo> list = list_interfaces();
    REQUIRE(list.size() == 3);
    CHECK(list[0].name == veth);
    CHECK((list[0].up && list[0].running && list[0].link == LinkStatus::connected));
    CHECK(list[1].name == kAnyInterface);
    CHECK(list[2].name == "lo");
    CHECK((list[2].loopback && !list[2].up && list[2].link == LinkStatus::not_applicable));
  }
}
