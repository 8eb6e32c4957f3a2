// PACKET_FANOUT's names, the setsockopt value, and the decoy members of --sample-flows. The
// classic-BPF programs of flow2, flow4 and tcp5 are in fanout_program.cpp; joining a group is
// CaptureSocket::join_fanout() (capture.cpp).

#include "slimcap/fanout.hpp"

#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <array>
#include <cerrno>
#include <string>
#include <utility>

#include "slimcap/error.hpp"

namespace slimcap {
namespace {

// Linux 6.2's flag; the Debian bookworm headers (6.1) do not name it yet.
constexpr std::uint32_t kFlagIgnoreOutgoing = 0x4000;

constexpr std::array<std::pair<std::string_view, FanoutMode>, 9> kNames{{
    {"hash", FanoutMode::hash},
    {"lb", FanoutMode::lb},
    {"cpu", FanoutMode::cpu},
    {"rollover", FanoutMode::rollover},
    {"random", FanoutMode::random},
    {"qm", FanoutMode::qm},
    {"flow2", FanoutMode::flow2},
    {"flow4", FanoutMode::flow4},
    {"tcp5", FanoutMode::tcp5},
}};

std::uint32_t kernel_mode(FanoutMode mode) noexcept {
  switch (mode) {
    case FanoutMode::hash: return PACKET_FANOUT_HASH;
    case FanoutMode::lb: return PACKET_FANOUT_LB;
    case FanoutMode::cpu: return PACKET_FANOUT_CPU;
    case FanoutMode::rollover: return PACKET_FANOUT_ROLLOVER;
    case FanoutMode::random: return PACKET_FANOUT_RND;
    case FanoutMode::qm: return PACKET_FANOUT_QM;
    case FanoutMode::flow2:
    case FanoutMode::flow4:
    case FanoutMode::tcp5: return PACKET_FANOUT_CBPF;
  }
  return PACKET_FANOUT_HASH;
}

}  // namespace

std::optional<FanoutMode> fanout_mode_from_name(std::string_view name) {
  for (const auto& [n, mode] : kNames)
    if (n == name) return mode;
  return std::nullopt;
}

std::string_view fanout_mode_name(FanoutMode mode) {
  for (const auto& [n, m] : kNames)
    if (m == mode) return n;
  return "?";
}

bool fanout_keeps_flows(FanoutMode mode) noexcept {
  return mode == FanoutMode::hash || fanout_is_program(mode);
}

bool fanout_is_program(FanoutMode mode) noexcept {
  return mode == FanoutMode::flow2 || mode == FanoutMode::flow4 || mode == FanoutMode::tcp5;
}

std::vector<BpfInstruction> fanout_kernel_program(FanoutMode mode) {
  std::vector<BpfInstruction> program = fanout_program(mode);
  for (BpfInstruction& i : program) {
    const unsigned cls = BPF_CLASS(i.code);
    const unsigned mode_bits = BPF_MODE(i.code);
    const bool load = (cls == BPF_LD && (mode_bits == BPF_ABS || mode_bits == BPF_IND)) ||
                      (cls == BPF_LDX && mode_bits == BPF_MSH);
    if (load) i.k += static_cast<std::uint32_t>(SKF_NET_OFF);
  }
  return program;
}

std::uint32_t fanout_socket_value(const FanoutSpec& spec, std::uint16_t id, bool unique) noexcept {
  std::uint32_t type = kernel_mode(spec.mode);
  if (spec.defrag) type |= PACKET_FANOUT_FLAG_DEFRAG;
  if (spec.rollover) type |= PACKET_FANOUT_FLAG_ROLLOVER;
  if (spec.ignore_outgoing) type |= kFlagIgnoreOutgoing;
  if (unique) type |= PACKET_FANOUT_FLAG_UNIQUEID;
  return std::uint32_t{id} | type << 16;
}

// Protocol 0 until the filter is in place, then bound to every protocol like a worker's
// socket (a group's members must agree on the protocol and the interface).
FanoutDecoy::FanoutDecoy(int interface_index, const FanoutSpec& spec, std::uint16_t id) {
  fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw SystemError("cannot open packet socket", errno);
  sock_filter reject{BPF_RET | BPF_K, 0, 0, 0};
  sock_fprog program{1, &reject};
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = interface_index;
  const std::uint32_t value = fanout_socket_value(spec, id, false);
  const char* failed = nullptr;
  if (::setsockopt(fd_, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0)
    failed = "cannot attach the filter";
  else if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    failed = "cannot bind to the interface";
  else if (::setsockopt(fd_, SOL_PACKET, PACKET_FANOUT, &value, sizeof value) != 0)
    failed = "cannot join the fanout group";
  if (failed) {
    const int error = errno;
    ::close(fd_);
    throw SystemError(failed, error);
  }
}

FanoutDecoy::~FanoutDecoy() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace slimcap
