// The classic-BPF fanout programs (flow2, flow4, tcp5), run by libpcap's bpf_filter() on
// packets built from their network header, as the kernel's fanout hook presents them; checked
// against the kernel's rules for classic BPF here and, with CAP_NET_RAW, by the kernel itself.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/bpf.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "frame_builder.hpp"
#include "slimcap/fanout.hpp"
#include "slimcap/filter.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

static_assert(sizeof(BpfInstruction) == sizeof(bpf_insn));
static_assert(sizeof(BpfInstruction) == sizeof(sock_filter));

using Program = std::vector<BpfInstruction>;

constexpr std::uint8_t kSctp = 132;
constexpr std::array kProgramModes = {FanoutMode::flow2, FanoutMode::flow4, FanoutMode::tcp5};
constexpr std::array kKernelModes = {FanoutMode::hash,     FanoutMode::lb,     FanoutMode::cpu,
                                     FanoutMode::rollover, FanoutMode::random, FanoutMode::qm};

std::string name_of(FanoutMode mode) {
  switch (mode) {
    case FanoutMode::flow2: return "flow2";
    case FanoutMode::flow4: return "flow4";
    case FanoutMode::tcp5: return "tcp5";
    default: return "a kernel mode";
  }
}

// The program's return value for `packet`, of which only the first `buffer_length` bytes are
// present (the rest: cut off, as a truncated packet).
std::uint32_t run(const Program& program, const Bytes& packet,
                  std::size_t buffer_length = SIZE_MAX) {
  const auto length = static_cast<u_int>(std::min(buffer_length, packet.size()));
  return bpf_filter(reinterpret_cast<const bpf_insn*>(program.data()), packet.data(),
                    static_cast<u_int>(packet.size()), length);
}

// One flow, one direction; reversed() is the other.
struct Flow {
  bool is_ipv6 = false;
  Ipv4 source4{192, 0, 2, 1};
  Ipv4 destination4{198, 51, 100, 2};
  Ipv6 source6 = ipv6("2001:db8::1");
  Ipv6 destination6 = ipv6("2001:db8::2");
  std::uint8_t protocol = ip_proto::kTcp;
  std::uint16_t source_port = 40000;
  std::uint16_t destination_port = 443;

  Flow reversed() const {
    Flow f = *this;
    std::swap(f.source4, f.destination4);
    std::swap(f.source6, f.destination6);
    std::swap(f.source_port, f.destination_port);
    return f;
  }
};

// SCTP's common header (ports, verification tag, checksum left 0): all the program reads.
Bytes sctp_packet(std::uint16_t source_port, std::uint16_t destination_port) {
  Bytes b(12, 0);
  b[0] = static_cast<std::uint8_t>(source_port >> 8);
  b[1] = static_cast<std::uint8_t>(source_port);
  b[2] = static_cast<std::uint8_t>(destination_port >> 8);
  b[3] = static_cast<std::uint8_t>(destination_port);
  return b;
}

Bytes transport(const Flow& f, std::size_t payload_size) {
  const Bytes payload(payload_size, 0x5a);
  switch (f.protocol) {
    case ip_proto::kTcp: {
      TcpSpec t;
      t.source_port = f.source_port;
      t.destination_port = f.destination_port;
      return tcp_segment(t, payload);
    }
    case ip_proto::kUdp: return udp_datagram(f.source_port, f.destination_port, payload);
    case kSctp: return sctp_packet(f.source_port, f.destination_port);
    default: return icmp_message(8, 0, 0x12340001, payload);
  }
}

Ipv4Spec ipv4_spec(const Flow& f) {
  Ipv4Spec ip;
  ip.source = f.source4;
  ip.destination = f.destination4;
  ip.protocol = f.protocol;
  return ip;
}

// The network-layer packet of `f`, as the fanout program sees it.
Bytes packet(const Flow& f, std::size_t payload_size = 16) {
  if (f.is_ipv6) {
    Ipv6Spec ip;
    ip.source = f.source6;
    ip.destination = f.destination6;
    ip.next_header = f.protocol == ip_proto::kIcmp ? ip_proto::kIcmpv6 : f.protocol;
    return ipv6_packet(ip, transport(f, payload_size));
  }
  return ipv4_packet(ipv4_spec(f), transport(f, payload_size));
}

// The same flow with another transport protocol, e.g. its address pair's ICMP.
Flow with_protocol(Flow f, std::uint8_t protocol) {
  f.protocol = protocol;
  return f;
}

Flow with_ports(Flow f, std::uint16_t source, std::uint16_t destination) {
  f.source_port = source;
  f.destination_port = destination;
  return f;
}

Ipv4 random_ipv4(std::mt19937& random) {
  const std::uint32_t a = random();
  return {static_cast<std::uint8_t>(a >> 24), static_cast<std::uint8_t>(a >> 16),
          static_cast<std::uint8_t>(a >> 8), static_cast<std::uint8_t>(a)};
}

Ipv6 random_ipv6(std::mt19937& random) {
  Ipv6 a = ipv6("2001:db8::");
  for (std::size_t i = 4; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(random());
  return a;
}

std::uint16_t random_port(std::mt19937& random) {
  return static_cast<std::uint16_t>(1 + random() % 65535);
}

// Random addresses (IPv4 and, one flow in three, IPv6 in 2001:db8::/32) and ports.
Flow random_flow(std::mt19937& random, std::uint8_t protocol) {
  Flow f;
  f.is_ipv6 = random() % 3 == 0;
  f.source4 = random_ipv4(random);
  f.destination4 = random_ipv4(random);
  f.source6 = random_ipv6(random);
  f.destination6 = random_ipv6(random);
  f.protocol = protocol;
  f.source_port = random_port(random);
  f.destination_port = random_port(random);
  return f;
}

// What a monitoring port sees most: many clients (10.0.0.0/8, ephemeral ports) against four
// servers (203.0.113.10..13, or 2001:db8:1::10..13) on three service ports.
Flow client_server_flow(std::mt19937& random, std::uint8_t protocol) {
  Flow f = random_flow(random, protocol);
  const auto server = static_cast<std::uint8_t>(10 + random() % 4);
  f.source4[0] = 10;
  f.destination4 = {203, 0, 113, server};
  f.source6[4] = 0;
  f.destination6 = ipv6("2001:db8:1::10");
  f.destination6[15] = server;
  f.source_port = static_cast<std::uint16_t>(32768 + random() % 28232);
  constexpr std::array<std::uint16_t, 3> kServices = {443, 80, 53};
  f.destination_port = kServices[random() % kServices.size()];
  return f;
}

// Structure that only the final mixing spreads: one client per /24 (10.a.b.1, IPv6: one per
// /64 of 2001:db8::/48), all with source port 40000, against one server on 443.
// Their address sums differ in bits 8 and up only, so `sum % members` would put them all on
// one member for 2, 4 and 8 members.
Flow subnet_flow(std::mt19937& random, std::uint8_t protocol) {
  const std::uint32_t n = random() & 0xffff;
  Flow f;
  f.is_ipv6 = random() % 3 == 0;
  f.source4 = {10, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 1};
  f.destination4 = {203, 0, 113, 10};
  f.source6 = ipv6("2001:db8::1");
  f.source6[6] = static_cast<std::uint8_t>(n >> 8);
  f.source6[7] = static_cast<std::uint8_t>(n);
  f.destination6 = ipv6("2001:db8:1::10");
  f.protocol = protocol;
  return f;
}

// The largest member load over the smallest when `values` are spread over `members`.
double max_over_min(const std::vector<std::uint32_t>& values, std::uint32_t members) {
  std::vector<int> load(members, 0);
  for (std::uint32_t v : values) ++load[v % members];
  const auto [low, high] = std::minmax_element(load.begin(), load.end());
  return *low == 0 ? 1e9 : static_cast<double>(*high) / *low;
}

// The classic-BPF rules of the kernel's bpf_check_classic() (net/core/filter.c) that a
// generated program could break, plus the ones that keep it runnable by bpf_filter(): no
// ancillary (negative) offsets. Returns what is wrong, or "" for nothing.
std::string kernel_rule_broken(const Program& p) {
  if (p.empty() || p.size() > BPF_MAXINSNS) return "size";
  if (BPF_CLASS(p.back().code) != BPF_RET) return "does not end in a return";
  // Scratch words stored on every path to each instruction (check_load_and_stores()).
  std::vector<std::uint16_t> stored(p.size(), 0xffff);
  stored[0] = 0;
  for (std::size_t pc = 0; pc < p.size(); ++pc) {
    const BpfInstruction& i = p[pc];
    const std::uint16_t cls = BPF_CLASS(i.code);
    std::uint16_t after = stored[pc];
    const bool memory_load = (cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(i.code) == BPF_MEM;
    if (memory_load || cls == BPF_ST || cls == BPF_STX) {
      if (i.k >= BPF_MEMWORDS)
        return "scratch index " + std::to_string(i.k) + " at " + std::to_string(pc);
      if (memory_load && !(stored[pc] & (1u << i.k)))
        return "M[" + std::to_string(i.k) + "] read before written at " + std::to_string(pc);
      if (!memory_load) after = static_cast<std::uint16_t>(after | (1u << i.k));
    }
    const bool packet_load = (cls == BPF_LD || cls == BPF_LDX) &&
                             (BPF_MODE(i.code) == BPF_ABS || BPF_MODE(i.code) == BPF_IND ||
                              BPF_MODE(i.code) == BPF_MSH);
    if (packet_load && i.k >= 0x80000000u) return "ancillary load at " + std::to_string(pc);
    if (cls == BPF_ALU && (BPF_OP(i.code) == BPF_DIV || BPF_OP(i.code) == BPF_MOD) &&
        BPF_SRC(i.code) == BPF_K && i.k == 0)
      return "division by constant 0 at " + std::to_string(pc);
    std::vector<std::size_t> next;
    if (cls == BPF_JMP) {
      if (BPF_OP(i.code) == BPF_JA) {
        if (i.k >= p.size() - pc - 1) return "jump out of the program at " + std::to_string(pc);
        next = {pc + 1 + i.k};
      } else {
        if (pc + i.jt + 1 >= p.size() || pc + i.jf + 1 >= p.size())
          return "jump out of the program at " + std::to_string(pc);
        next = {pc + 1 + i.jt, pc + 1 + i.jf};
      }
    } else if (cls != BPF_RET) {
      if (pc + 1 >= p.size()) return "falls off the end";
      next = {pc + 1};
    }
    // Jumps are forward by construction of the format (unsigned offsets), so every successor
    // comes later and sees its predecessors' sets before it is itself checked.
    for (std::size_t n : next) stored[n] &= after;
  }
  return "";
}

// strerror(errno) as a string: doctest prints a char* as a pointer.
std::string last_error() { return std::strerror(errno); }

// A file descriptor closed on scope exit.
struct Socket {
  int fd;
  explicit Socket(int f) : fd(f) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};

sock_fprog kernel_program(const Program& p) {
  return {static_cast<unsigned short>(p.size()),
          reinterpret_cast<sock_filter*>(const_cast<BpfInstruction*>(p.data()))};
}

// 0, or the errno of SO_ATTACH_FILTER with `p` on `fd`.
int attach(int fd, const Program& p) {
  const sock_fprog fprog = kernel_program(p);
  return ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog) == 0 ? 0 : errno;
}

// A packet socket in a fanout group of its own (PACKET_FANOUT_CBPF, the kernel picks the id),
// bound to an experimental EtherType (IEEE 802 local experimental 1) so that nothing reaches
// it; a reject-all filter to be sure. -1 (and errno) on failure.
int cbpf_fanout_member() {
  Socket s(::socket(AF_PACKET, SOCK_RAW, 0));
  if (s.fd < 0) return -1;
  const Program reject_all = {{BPF_RET | BPF_K, 0, 0, 0}};
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(0x88b5);
  address.sll_ifindex = 0;  // every interface
  const int value = (PACKET_FANOUT_CBPF | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
  if (attach(s.fd, reject_all) != 0 ||
      ::bind(s.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::setsockopt(s.fd, SOL_PACKET, PACKET_FANOUT, &value, sizeof value) != 0) {
    const int error = errno;
    ::close(std::exchange(s.fd, -1));
    errno = error;
    return -1;
  }
  return std::exchange(s.fd, -1);
}

// 0, or the errno of PACKET_FANOUT_DATA with `p` on a fanout member.
int set_fanout_data(int fd, const Program& p) {
  const sock_fprog fprog = kernel_program(p);
  return ::setsockopt(fd, SOL_PACKET, PACKET_FANOUT_DATA, &fprog, sizeof fprog) == 0 ? 0 : errno;
}

}  // namespace

TEST_SUITE("fanout") {
  TEST_CASE("the kernel's own modes have no program; flow2, flow4 and tcp5 have one") {
    for (FanoutMode mode : kKernelModes) CHECK(fanout_program(mode).empty());
    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      CHECK_FALSE(fanout_program(mode).empty());
    }
    const Program flow2 = fanout_program(FanoutMode::flow2);
    const Program flow4 = fanout_program(FanoutMode::flow4);
    const Program tcp5 = fanout_program(FanoutMode::tcp5);
    CHECK(flow2.size() < tcp5.size());
    CHECK(tcp5.size() < flow4.size());
    MESSAGE("program sizes: flow2 " << flow2.size() << ", flow4 " << flow4.size() << ", tcp5 "
                                    << tcp5.size());
  }

  TEST_CASE("the rule check refuses what the kernel refuses") {
    const BpfInstruction ret{BPF_RET | BPF_K, 0, 0, 0};
    CHECK(kernel_rule_broken({ret}).empty());
    CHECK_FALSE(kernel_rule_broken({}).empty());
    CHECK_FALSE(kernel_rule_broken({{BPF_LD | BPF_B | BPF_ABS, 0, 0, 0}}).empty());
    CHECK_FALSE(kernel_rule_broken({{BPF_JMP | BPF_JA, 0, 0, 1}, ret}).empty());
    CHECK_FALSE(kernel_rule_broken({{BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 4}, ret}).empty());
    CHECK_FALSE(kernel_rule_broken({{BPF_ST, 0, 0, 16}, ret}).empty());
    CHECK_FALSE(kernel_rule_broken({{BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0}, ret}).empty());
    CHECK_FALSE(kernel_rule_broken({{BPF_LD | BPF_W | BPF_ABS, 0, 0,
                                     static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_RANDOM)},
                                    ret})
                    .empty());
    // M[0] stored on one path only.
    CHECK_FALSE(kernel_rule_broken({{BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0},
                                    {BPF_ST, 0, 0, 0},
                                    {BPF_LD | BPF_W | BPF_MEM, 0, 0, 0},
                                    ret})
                    .empty());
    CHECK(kernel_rule_broken({{BPF_ST, 0, 0, 0},
                              {BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0},
                              {BPF_ST, 0, 0, 1},
                              {BPF_LD | BPF_W | BPF_MEM, 0, 0, 0},
                              ret})
              .empty());
  }

  TEST_CASE("every program keeps the kernel's classic-BPF rules and passes libpcap's check") {
    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      CHECK(kernel_rule_broken(p) == "");
      CHECK(bpf_validate(reinterpret_cast<const bpf_insn*>(p.data()), static_cast<int>(p.size())));
    }
  }

  TEST_CASE("the kernel accepts every program as a socket filter and as fanout data") {
    Socket probe(::socket(AF_PACKET, SOCK_RAW, 0));
    if (probe.fd < 0 && (errno == EPERM || errno == EACCES)) {
      MESSAGE("skipped: no CAP_NET_RAW for an AF_PACKET socket (" << last_error() << ")");
      return;
    }
    REQUIRE_MESSAGE(probe.fd >= 0, "socket(AF_PACKET): " << last_error());
    // The kernel refuses a program without a final return: the check below can fail.
    const Program no_return = {{BPF_LD | BPF_B | BPF_ABS, 0, 0, 0}};
    CHECK(attach(probe.fd, no_return) == EINVAL);

    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      CHECK(attach(probe.fd, p) == 0);

      const Socket member(cbpf_fanout_member());
      REQUIRE_MESSAGE(member.fd >= 0, "joining a CBPF fanout group: " << last_error());
      CHECK(set_fanout_data(member.fd, no_return) == EINVAL);
      CHECK(set_fanout_data(member.fd, p) == 0);
      CHECK(set_fanout_data(member.fd, fanout_kernel_program(mode)) == 0);
    }
  }

  TEST_CASE("the kernel's copy reads every packet byte relative to the network header") {
    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      const Program plain = fanout_program(mode);
      const Program kernel = fanout_kernel_program(mode);
      REQUIRE(kernel.size() == plain.size());
      std::size_t loads = 0;
      for (std::size_t i = 0; i < plain.size(); ++i) {
        CAPTURE(i);
        const auto code = plain[i].code;
        const bool packet_load =
            (BPF_CLASS(code) == BPF_LD && (BPF_MODE(code) == BPF_ABS || BPF_MODE(code) == BPF_IND)) ||
            (BPF_CLASS(code) == BPF_LDX && BPF_MODE(code) == BPF_MSH);
        CHECK(kernel[i].code == code);
        CHECK(kernel[i].jt == plain[i].jt);
        CHECK(kernel[i].jf == plain[i].jf);
        if (packet_load) {
          ++loads;
          CHECK(kernel[i].k == plain[i].k + static_cast<std::uint32_t>(SKF_NET_OFF));
          // Still below the ancillary range, where the kernel would read metadata instead.
          CHECK(kernel[i].k < static_cast<std::uint32_t>(SKF_AD_OFF));
        } else {
          CHECK(kernel[i].k == plain[i].k);
        }
      }
      CHECK(loads > 4);
    }
  }

  TEST_CASE("mode names, and the PACKET_FANOUT value: id | (mode | flags) << 16") {
    for (const char* name : {"hash", "lb", "cpu", "rollover", "random", "qm", "flow2", "flow4",
                             "tcp5"}) {
      const auto mode = fanout_mode_from_name(name);
      REQUIRE(mode);
      CHECK(fanout_mode_name(*mode) == name);
    }
    CHECK_FALSE(fanout_mode_from_name("hash2"));
    CHECK(fanout_keeps_flows(FanoutMode::hash));
    CHECK(fanout_keeps_flows(FanoutMode::tcp5));
    CHECK_FALSE(fanout_keeps_flows(FanoutMode::lb));
    CHECK_FALSE(fanout_keeps_flows(FanoutMode::random));
    FanoutSpec spec;
    CHECK(fanout_socket_value(spec, 7, false) == 7u);
    CHECK(fanout_socket_value(spec, 0, true) == (0x2000u << 16));
    spec.mode = FanoutMode::lb;
    spec.defrag = true;
    CHECK(fanout_socket_value(spec, 300, false) == (300u | (0x8001u << 16)));
    spec.mode = FanoutMode::flow4;
    spec.defrag = false;
    spec.rollover = true;
    spec.ignore_outgoing = true;
    CHECK(fanout_socket_value(spec, 1, false) == (1u | ((6u | 0x1000u | 0x4000u) << 16)));
  }

  TEST_CASE("both directions of a flow give the same value") {
    std::mt19937 random(20260101);
    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      for (std::uint8_t protocol : {ip_proto::kTcp, ip_proto::kUdp, kSctp, ip_proto::kIcmp}) {
        CAPTURE(int{protocol});
        int different = 0;
        for (int n = 0; n < 500; ++n) {
          const Flow f = random_flow(random, protocol);
          const std::uint32_t forward = run(p, packet(f));
          if (forward != run(p, packet(f.reversed()))) ++different;
        }
        CHECK(different == 0);
      }
      // Same ports on both ends, same addresses on both ends: still one value.
      Flow same_ports;
      same_ports.source_port = same_ports.destination_port = 5000;
      CHECK(run(p, packet(same_ports)) == run(p, packet(same_ports.reversed())));
      Flow to_itself;
      to_itself.destination4 = to_itself.source4;
      CHECK(run(p, packet(to_itself)) == run(p, packet(to_itself.reversed())));
    }
  }

  TEST_CASE("flow2 uses the address pair only") {
    const Program flow2 = fanout_program(FanoutMode::flow2);
    for (bool v6 : {false, true}) {
      CAPTURE(v6);
      Flow f;
      f.is_ipv6 = v6;
      const std::uint32_t value = run(flow2, packet(f));
      CHECK(value != 0);
      CHECK(run(flow2, packet(with_ports(f, 1, 2))) == value);
      CHECK(run(flow2, packet(with_protocol(f, ip_proto::kUdp))) == value);
      CHECK(run(flow2, packet(with_protocol(f, ip_proto::kIcmp))) == value);
      Flow other = f;
      other.destination4[3] ^= 1;
      other.destination6[15] ^= 1;
      CHECK(run(flow2, packet(other)) != value);
    }
  }

  TEST_CASE("flow4 tells TCP, UDP and SCTP flows of one address pair apart by their ports") {
    const Program flow2 = fanout_program(FanoutMode::flow2);
    const Program flow4 = fanout_program(FanoutMode::flow4);
    for (bool v6 : {false, true}) {
      for (std::uint8_t protocol : {ip_proto::kTcp, ip_proto::kUdp, kSctp}) {
        CAPTURE(v6);
        CAPTURE(int{protocol});
        Flow f;
        f.is_ipv6 = v6;
        f.protocol = protocol;
        std::set<std::uint32_t> values;
        for (std::uint16_t port = 40000; port < 40100; ++port)
          values.insert(run(flow4, packet(with_ports(f, port, 443))));
        CHECK(values.size() == 100);
        CHECK(values.count(run(flow2, packet(f))) == 0);
      }
      // Other protocols: the address pair, as flow2.
      Flow icmp;
      icmp.is_ipv6 = v6;
      icmp.protocol = ip_proto::kIcmp;
      CHECK(run(flow4, packet(icmp)) == run(flow2, packet(icmp)));
    }
  }

  TEST_CASE("tcp5 uses the ports of TCP and the address pair of everything else") {
    const Program flow2 = fanout_program(FanoutMode::flow2);
    const Program flow4 = fanout_program(FanoutMode::flow4);
    const Program tcp5 = fanout_program(FanoutMode::tcp5);
    for (bool v6 : {false, true}) {
      CAPTURE(v6);
      Flow f;
      f.is_ipv6 = v6;
      std::set<std::uint32_t> values;
      for (std::uint16_t port = 40000; port < 40100; ++port) {
        const Bytes tcp = packet(with_ports(f, port, 443));
        values.insert(run(tcp5, tcp));
        CHECK(run(tcp5, tcp) == run(flow4, tcp));
      }
      CHECK(values.size() == 100);
      const std::uint32_t pair = run(flow2, packet(f));
      for (std::uint8_t protocol : {ip_proto::kUdp, kSctp, ip_proto::kIcmp}) {
        CAPTURE(int{protocol});
        CHECK(run(tcp5, packet(with_ports(with_protocol(f, protocol), 1, 2))) == pair);
        CHECK(run(tcp5, packet(with_ports(with_protocol(f, protocol), 3, 4))) == pair);
      }
    }
  }

  TEST_CASE("all fragments of an IPv4 datagram, the first one included, go by the address pair") {
    const Program flow2 = fanout_program(FanoutMode::flow2);
    for (FanoutMode mode : {FanoutMode::flow4, FanoutMode::tcp5}) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      for (Flow f : {Flow{}, Flow{}.reversed()}) {
        f.protocol = mode == FanoutMode::tcp5 ? ip_proto::kTcp : ip_proto::kUdp;
        // The whole datagram's ports count; cut into 3 fragments at 8-byte multiples.
        const Bytes datagram = transport(f, 40);
        Ipv4Spec ip = ipv4_spec(f);
        ip.dont_fragment = false;
        const std::uint32_t pair = run(flow2, ipv4_packet(ip, datagram));
        CHECK(pair == run(flow2, packet(Flow{})));  // and both directions alike
        CHECK(run(p, ipv4_packet(ip, datagram)) != pair);  // unfragmented: the ports count

        ip.more_fragments = true;
        const std::span<const std::uint8_t> all(datagram);
        CHECK(run(p, ipv4_packet(ip, all.first(24))) == pair);  // first: ports inside
        ip.fragment_offset = 3;
        CHECK(run(p, ipv4_packet(ip, all.subspan(24, 16))) == pair);  // middle
        ip.more_fragments = false;
        ip.fragment_offset = 5;
        CHECK(run(p, ipv4_packet(ip, all.subspan(40))) == pair);  // last
      }
    }
  }

  TEST_CASE("IPv4 ports are found after the options") {
    for (FanoutMode mode : {FanoutMode::flow4, FanoutMode::tcp5}) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      const Flow f;
      const std::uint32_t plain = run(p, packet(f));
      Ipv4Spec ip = ipv4_spec(f);
      ip.options = {0x94, 0x04, 0x00, 0x00};  // router alert: IHL 6
      const Bytes with_options = ipv4_packet(ip, transport(f, 16));
      REQUIRE((with_options[0] & 0x0f) == 6);
      CHECK(run(p, with_options) == plain);
      // The ports at the fixed offset 20 would be the option bytes: a different value.
      ip.options = {};
      CHECK(run(p, ipv4_packet(ip, Bytes{0x94, 0x04, 0x00, 0x00, 0x9c, 0x40, 0x01, 0xbb})) !=
            plain);
    }
  }

  TEST_CASE("IPv6 ports are used only when the next header is the transport itself") {
    const Program flow2 = fanout_program(FanoutMode::flow2);
    const Program flow4 = fanout_program(FanoutMode::flow4);
    Flow f;
    f.is_ipv6 = true;
    f.protocol = ip_proto::kUdp;
    Ipv6Spec ip;
    ip.source = f.source6;
    ip.destination = f.destination6;
    ip.next_header = ip_proto::kUdp;
    ip.extensions = {{ip_proto::kIpv6HopByHop, Bytes(6, 0)}};
    const Bytes behind_hop_by_hop = ipv6_packet(ip, transport(f, 16));
    REQUIRE(behind_hop_by_hop[6] == ip_proto::kIpv6HopByHop);
    CHECK(run(flow4, behind_hop_by_hop) == run(flow2, packet(f)));
    CHECK(run(flow4, packet(f)) != run(flow2, packet(f)));
  }

  TEST_CASE("a packet that is not IPv4 or IPv6 gives 0") {
    const Bytes arp = arp_packet(1, mac("02:00:00:00:00:01"), ipv4("192.0.2.1"),
                                 mac("02:00:00:00:00:02"), ipv4("192.0.2.2"));
    Bytes version0 = packet(Flow{});
    version0[0] = 0x05;
    Bytes version5 = packet(Flow{});
    version5[0] = 0x55;
    // An Ethernet frame (the link-layer header the program must not be given) whose
    // destination MAC starts with 0x02.
    const Bytes ethernet = ethernet_frame(EthernetSpec{}, packet(Flow{}));
    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      CHECK(run(p, arp) == 0);
      CHECK(run(p, version0) == 0);
      CHECK(run(p, version5) == 0);
      CHECK(run(p, ethernet) == 0);
      CHECK(run(p, Bytes{}) == 0);
    }
  }

  TEST_CASE("a minimal packet is read no further than its ports") {
    for (FanoutMode mode : kProgramModes) {
      CAPTURE(name_of(mode));
      const Program p = fanout_program(mode);
      for (bool v6 : {false, true}) {
        CAPTURE(v6);
        Flow f;
        f.is_ipv6 = v6;
        f.protocol = ip_proto::kUdp;
        const Bytes udp = packet(f, 0);  // 20 + 8 or 40 + 8 bytes
        CHECK(udp.size() == (v6 ? 48u : 28u));
        const std::uint32_t whole = run(p, udp);
        CHECK(whole != 0);
        const std::size_t needed = (v6 ? 40 : 20) + (mode == FanoutMode::flow4 ? 4 : 0);
        CHECK(run(p, udp, needed) == whole);
        // One byte less: the load fails and the program returns 0 (member 0).
        CHECK(run(p, udp, needed - 1) == 0);
        f.protocol = ip_proto::kTcp;
        const Bytes tcp = packet(f, 0);  // 20-byte TCP header
        const std::size_t tcp_needed = (v6 ? 40 : 20) + (mode == FanoutMode::flow2 ? 0 : 4);
        CHECK(run(p, tcp, tcp_needed) == run(p, tcp));
        CHECK(run(p, tcp, tcp_needed - 1) == 0);
      }
    }
  }

  TEST_CASE("1,000 flows spread over 2, 3, 4, 5 and 8 members within 1.5 times of each other") {
    struct Population {
      std::string name;
      Flow (*make)(std::mt19937&, std::uint8_t);
    };
    const Population populations[] = {{"random", random_flow},
                                      {"clients-servers", client_server_flow},
                                      {"subnets", subnet_flow}};
    for (const Population& population : populations) {
      for (FanoutMode mode : kProgramModes) {
        CAPTURE(population.name);
        CAPTURE(name_of(mode));
        const Program p = fanout_program(mode);
        std::mt19937 random(7);
        std::vector<std::uint32_t> values;
        std::string line;
        for (int n = 0; n < 1000; ++n) {
          // flow2 spreads address pairs, so its flows need distinct pairs; the others' flows
          // differ in their ports as well. tcp5 is measured on TCP, what it spreads.
          const std::uint8_t protocol =
              mode == FanoutMode::tcp5 ? ip_proto::kTcp
                                       : std::array{ip_proto::kTcp, ip_proto::kUdp}[n % 2];
          values.push_back(run(p, packet(population.make(random, protocol))));
        }
        for (std::uint32_t members : {2u, 3u, 4u, 5u, 8u}) {
          CAPTURE(members);
          const double ratio = max_over_min(values, members);
          CHECK(ratio < 1.5);
          line += fmt::format(" {}: {:.3f}", members, ratio);
        }
        MESSAGE(population.name << " " << name_of(mode) << " max/min by members:" << line);
      }
    }
  }
}
