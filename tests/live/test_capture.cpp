// Live capture through CaptureSocket, on a veth pair between two network namespaces that the
// test creates (and deletes on exit). Frames are sent with an AF_PACKET socket on the peer end.
// Needs root (CAP_SYS_ADMIN for namespaces, CAP_NET_RAW); without it every case says why it
// skips.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"

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
      sender_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
      sockaddr_ll address{};
      address.sll_family = AF_PACKET;
      address.sll_ifindex = static_cast<int>(::if_nametoindex(if_b_.c_str()));
      ok_ = sender_ >= 0 &&
            ::bind(sender_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::setns(a, CLONE_NEWNET) == 0;
    }
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
  }

  ~VethPair() {
    if (sender_ >= 0) ::close(sender_);
    if (home_ >= 0) {
      [[maybe_unused]] const int rc = ::setns(home_, CLONE_NEWNET);
      ::close(home_);
    }
    run_command("ip netns del " + ns_a_ + " 2>/dev/null; ip netns del " + ns_b_ + " 2>/dev/null");
  }

  bool ok() const noexcept { return ok_; }
  const std::string& capture_interface() const noexcept { return if_a_; }
  void send(const Bytes& frame) const {
    REQUIRE(::send(sender_, frame.data(), frame.size(), 0) == static_cast<ssize_t>(frame.size()));
  }

 private:
  std::string ns_a_, ns_b_, if_a_, if_b_;
  int home_ = -1;
  int sender_ = -1;
  bool ok_ = false;
};

bool can_run(const char* why_not_prefix) {
  if (::geteuid() != 0) {
    MESSAGE(why_not_prefix << ": skipped, needs root to create network namespaces");
    return false;
  }
  if (!have_program("ip")) {
    MESSAGE(why_not_prefix << ": skipped, iproute2's ip is not installed");
    return false;
  }
  return true;
}

Bytes numbered_frame(std::uint32_t n, std::uint16_t port = 5001, std::uint16_t vlan = 0) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  ip.id = static_cast<std::uint16_t>(n);
  Bytes payload(64, 0);
  store_be32(payload.data(), n);
  EthernetSpec e;
  if (vlan) e.vlans = {test::VlanTag{0x8100, vlan, 0, false}};
  return ethernet_frame(e, ipv4_packet(ip, udp_datagram(40000, port, payload)));
}

// Everything captured within `quiet` of the last packet, as byte copies.
std::vector<Bytes> drain(CaptureSocket& capture, std::size_t expected,
                         std::chrono::milliseconds quiet = 1500ms) {
  std::vector<Bytes> got;
  PacketView p;
  while (capture.next(p, got.size() < expected ? 3000ms : quiet))
    got.emplace_back(p.data.begin(), p.data.end());
  return got;
}

CaptureOptions options_for(const VethPair& pair) {
  CaptureOptions o;
  o.interface = pair.capture_interface();
  o.ring.block_size = 1 << 16;
  o.ring.block_count = 16;
  o.ring.block_timeout = 20ms;
  return o;
}

}  // namespace

TEST_SUITE("live") {
  TEST_CASE("captures every frame sent, byte for byte, and counts them") {
    if (!can_run("capture")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    Filter everything("");
    CaptureSocket capture(options_for(pair), everything);
    constexpr std::uint32_t kFrames = 2000;
    for (std::uint32_t n = 0; n < kFrames; ++n) pair.send(numbered_frame(n));
    const std::vector<Bytes> got = drain(capture, kFrames);
    REQUIRE(got.size() == kFrames);
    for (std::uint32_t n = 0; n < kFrames; ++n) CHECK(got[n] == numbered_frame(n));
    const CaptureCounters c = capture.counters();
    CHECK(c.received == kFrames);
    CHECK(c.dropped == 0);
  }

  TEST_CASE("filters in the kernel, and judges VLAN-tagged frames as they are in a file") {
    if (!can_run("vlan filter")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    const std::vector<Bytes> sent{numbered_frame(1), numbered_frame(2, 5001, 100),
                                  numbered_frame(3, 5002), numbered_frame(4, 5001, 200)};
    struct Case {
      const char* expression;
      std::vector<std::size_t> selected;  // indexes into `sent`
    };
    for (const Case& c : {Case{"vlan 100", {1}}, Case{"udp port 5001", {0}},
                          Case{"vlan and udp port 5001", {1, 3}}, Case{"", {0, 1, 2, 3}}}) {
      CAPTURE(c.expression);
      Filter filter(c.expression);
      CaptureSocket capture(options_for(pair), filter);
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

  TEST_CASE("truncates to the snaplen in the kernel and keeps the wire length") {
    if (!can_run("snaplen")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    CaptureOptions o = options_for(pair);
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

  TEST_CASE("wake() ends a blocked wait, and a missing interface is one clear error") {
    if (!can_run("wake")) return;
    VethPair pair;
    REQUIRE_MESSAGE(pair.ok(), "could not create the namespaces and veth pair");
    Filter filter("");
    CaptureSocket capture(options_for(pair), filter);
    capture.wake();
    PacketView p;
    const auto start = std::chrono::steady_clock::now();
    CHECK(!capture.next(p, 10000ms));
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CaptureOptions missing;
    missing.interface = "nosuchif0";
    CHECK_THROWS_WITH_AS(CaptureSocket(missing, filter),
                         "nosuchif0: no such interface: No such device", SystemError);
  }
}
