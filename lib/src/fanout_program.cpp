// The classic-BPF fanout programs of flow2, flow4 and tcp5 (PACKET_FANOUT_CBPF): a symmetric
// hash of the address pair, and for flow4/tcp5 of the two ports, computed on the packet from
// its network header. The kernel takes the return value modulo the member count.
//
// Shape of the program (flow4; tcp5 tests for TCP only; flow2 stops after the addresses):
//
//   version      ldb [0]; rsh #4; IPv4 -> ipv4, IPv6 -> ipv6, anything else: ret #0
//   ipv4         A = [12] + [16] (the two addresses), M[0] = A
//                a fragment (MF or offset) -> address_pair
//                protocol [9] TCP/UDP/SCTP -> ipv4_ports, else -> address_pair
//   ipv4_ports   X = 4 * IHL; A = [x + 0] + [x + 2] (the two ports) -> with_ports
//   ipv6         A = the sum of the 8 address words at 8..39, M[0] = A
//                next header [6] TCP/UDP/SCTP -> ipv6_ports, else -> address_pair
//   ipv6_ports   A = [40] + [42]
//   with_ports   A = M[0] * kPortMultiplier + A -> mix
//   address_pair A = M[0]
//   mix          MurmurHash3's 32-bit finaliser; ret A
//
// Symmetry comes from combining the source and destination fields by addition, which does
// not care about their order. The price: flows whose sums coincide always share a member
// (10.0.0.1 <-> 10.0.0.4 with 10.0.0.2 <-> 10.0.0.3), which costs balance only when a few sums
// carry most of the traffic. The finaliser then spreads every input bit over the whole word, so
// that the kernel's `value % members` sees well-mixed low bits for any member count, not only
// powers of two.
//
// Only what both the kernel's checker (bpf_check_classic) and libpcap's bpf_filter() accept:
// absolute and indexed loads, the MSH load, ALU with constants and X, scratch memory M[0] and
// M[1] (each stored before it is read on every path), forward jumps, no ancillary loads.
//
// Outgoing packets: dev_queue_xmit_nit() hands the packets the host sends to the fanout hook
// with skb->data at the link-layer header, not the network header (measured on lo, Linux
// 6.18: an IPv4 version test on byte 0 failed for PACKET_OUTGOING copies, held for received
// ones). The program then reads an Ethernet header; a destination MAC whose first byte is not
// 0x4? or 0x6? gives 0. Loads relative to SKF_NET_OFF would see the network header both ways,
// but bpf_filter() cannot run them offline.
//
// Reads: a minimal IPv4 packet (20-byte header, then the 4 port bytes of UDP, TCP or SCTP) and
// a minimal IPv6 one (40-byte header, 4 port bytes) are never read past their end. A shorter
// (truncated) packet makes the load fail, and both the kernel and bpf_filter() then return 0:
// member 0.

#include <linux/filter.h>

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "slimcap/fanout.hpp"
#include "slimcap/filter.hpp"

namespace slimcap {
namespace {

// Named jump targets; kCount is the number of labels, not one.
enum class Label : std::uint8_t {
  ipv4,
  ipv6,
  ipv4_ports,
  ipv6_ports,
  with_ports,
  address_pair,
  mix,
  kCount,
};

// Classic BPF with named forward labels: a conditional jump names its targets (or nullopt for
// the next instruction) and finish() turns them into the offsets the format wants, refusing
// what the kernel would refuse (a backward jump, a conditional one over more than 255
// instructions, a label never placed).
class ProgramBuilder {
 public:
  using Target = std::optional<Label>;
  static constexpr Target kNext = std::nullopt;

  void op(std::uint16_t code, std::uint32_t k = 0) { code_.push_back({code, 0, 0, k}); }

  void jump(std::uint16_t code, std::uint32_t k, Target if_true, Target if_false) {
    fixups_.push_back({code_.size(), if_true, if_false, false});
    op(static_cast<std::uint16_t>(BPF_JMP | code), k);
  }

  void go_to(Label target) {
    fixups_.push_back({code_.size(), target, kNext, true});
    op(BPF_JMP | BPF_JA);
  }

  void place(Label label) { positions_[index(label)] = code_.size(); }

  std::vector<BpfInstruction> finish() {
    for (const Fixup& f : fixups_) {
      BpfInstruction& i = code_[f.at];
      if (f.unconditional) {
        i.k = offset(f.at, f.if_true, UINT32_MAX);
      } else {
        i.jt = static_cast<std::uint8_t>(offset(f.at, f.if_true, UINT8_MAX));
        i.jf = static_cast<std::uint8_t>(offset(f.at, f.if_false, UINT8_MAX));
      }
    }
    if (code_.empty() || BPF_CLASS(code_.back().code) != BPF_RET || code_.size() > BPF_MAXINSNS)
      throw std::logic_error("fanout program: must end in a return, within BPF_MAXINSNS");
    return std::move(code_);
  }

 private:
  struct Fixup {
    std::size_t at;
    Target if_true;
    Target if_false;
    bool unconditional;
  };

  static std::size_t index(Label label) { return static_cast<std::size_t>(label); }

  // Jumps count from the instruction after the jump.
  std::uint32_t offset(std::size_t at, Target target, std::uint32_t limit) const {
    if (!target) return 0;
    const std::optional<std::size_t> position = positions_[index(*target)];
    if (!position || *position <= at || *position - at - 1 > limit)
      throw std::logic_error("fanout program: a jump to an unplaced, earlier or too far label");
    return static_cast<std::uint32_t>(*position - at - 1);
  }

  std::vector<BpfInstruction> code_;
  std::vector<Fixup> fixups_;
  std::array<std::optional<std::size_t>, static_cast<std::size_t>(Label::kCount)> positions_{};
};

constexpr std::uint32_t kProtocolTcp = 6;
constexpr std::uint32_t kProtocolUdp = 17;
constexpr std::uint32_t kProtocolSctp = 132;

// Scratch memory: the address sum, and the first port while X indexes the second.
constexpr std::uint32_t kAddressSum = 0;
constexpr std::uint32_t kFirstPort = 1;

// 2^32 / golden ratio, odd: the address sum is multiplied by it before the port sum is added,
// so that flows with address sum s + 1 and port sum p - 1 do not meet the one with s and p.
constexpr std::uint32_t kPortMultiplier = 0x9e3779b1;
// MurmurHash3's fmix32 constants.
constexpr std::uint32_t kMix1 = 0x85ebca6b;
constexpr std::uint32_t kMix2 = 0xc2b2ae35;

// IPv4: the fragment bits of the flags/offset word at byte 6 (MF and the 13-bit offset; DF and
// the reserved bit do not count).
constexpr std::uint32_t kFragmentBits = 0x3fff;

// A = word at `offset` + X: the ld/add half of a running sum kept in X.
void add_word(ProgramBuilder& b, std::uint32_t offset) {
  b.op(BPF_LD | BPF_W | BPF_ABS, offset);
  b.op(BPF_ALU | BPF_ADD | BPF_X);
}

// A ^= A >> shift, through X.
void xor_shift(ProgramBuilder& b, std::uint32_t shift) {
  b.op(BPF_MISC | BPF_TAX);
  b.op(BPF_ALU | BPF_RSH | BPF_K, shift);
  b.op(BPF_ALU | BPF_XOR | BPF_X);
}

// With A = the protocol (IPv4) or next header (IPv6): to `ports` for the transport protocols
// whose port pair the mode uses, to address_pair for the rest.
void branch_on_protocol(ProgramBuilder& b, FanoutMode mode, Label ports) {
  constexpr std::uint16_t kJeq = BPF_JEQ | BPF_K;
  if (mode == FanoutMode::tcp5) {
    b.jump(kJeq, kProtocolTcp, ports, Label::address_pair);
    return;
  }
  b.jump(kJeq, kProtocolTcp, ports, ProgramBuilder::kNext);
  b.jump(kJeq, kProtocolUdp, ports, ProgramBuilder::kNext);
  b.jump(kJeq, kProtocolSctp, ports, Label::address_pair);
}

}  // namespace

std::vector<BpfInstruction> fanout_program(FanoutMode mode) {
  if (mode != FanoutMode::flow2 && mode != FanoutMode::flow4 && mode != FanoutMode::tcp5)
    return {};
  const bool ports = mode != FanoutMode::flow2;
  ProgramBuilder b;

  // version: the high nibble of byte 0. Not IPv4 or IPv6 (ARP, or a frame the kernel did not
  // pull to its network header): member 0, a constant being as good as anything.
  b.op(BPF_LD | BPF_B | BPF_ABS, 0);
  b.op(BPF_ALU | BPF_RSH | BPF_K, 4);
  b.jump(BPF_JEQ | BPF_K, 4, Label::ipv4, ProgramBuilder::kNext);
  b.jump(BPF_JEQ | BPF_K, 6, Label::ipv6, ProgramBuilder::kNext);
  b.op(BPF_RET | BPF_K, 0);

  // ipv4: A = source + destination address (bytes 12 and 16).
  b.place(Label::ipv4);
  b.op(BPF_LD | BPF_W | BPF_ABS, 12);
  b.op(BPF_MISC | BPF_TAX);
  add_word(b, 16);
  if (!ports) {
    b.go_to(Label::mix);
  } else {
    b.op(BPF_ST, kAddressSum);
    // Only the first fragment carries the ports; all fragments (that one included) take the
    // address pair so that a datagram's fragments stay together.
    b.op(BPF_LD | BPF_H | BPF_ABS, 6);
    b.jump(BPF_JSET | BPF_K, kFragmentBits, Label::address_pair, ProgramBuilder::kNext);
    b.op(BPF_LD | BPF_B | BPF_ABS, 9);
    branch_on_protocol(b, mode, Label::ipv4_ports);

    // ipv4_ports: the transport header starts after the IHL's 32-bit words (options
    // included); source port at +0, destination port at +2.
    b.place(Label::ipv4_ports);
    b.op(BPF_LDX | BPF_B | BPF_MSH, 0);  // X = 4 * ([0] & 0xf)
    b.op(BPF_LD | BPF_H | BPF_IND, 0);
    b.op(BPF_ST, kFirstPort);
    b.op(BPF_LD | BPF_H | BPF_IND, 2);
    b.op(BPF_LDX | BPF_W | BPF_MEM, kFirstPort);
    b.op(BPF_ALU | BPF_ADD | BPF_X);
    b.go_to(Label::with_ports);
  }

  // ipv6: A = the sum of the eight 32-bit words of source (8..23) and destination (24..39).
  b.place(Label::ipv6);
  b.op(BPF_LD | BPF_W | BPF_ABS, 8);
  for (std::uint32_t offset = 12; offset < 40; offset += 4) {
    b.op(BPF_MISC | BPF_TAX);
    add_word(b, offset);
  }
  if (ports) {
    b.op(BPF_ST, kAddressSum);
    // The next header at byte 6 names the transport only without extension headers; behind
    // any extension header (hop-by-hop, routing, fragment, ...) the ports would need a walk of
    // the chain, which this program does not do: such packets use the address pair.
    b.op(BPF_LD | BPF_B | BPF_ABS, 6);
    branch_on_protocol(b, mode, Label::ipv6_ports);

    // ipv6_ports: A = source port (40) + destination port (42).
    b.place(Label::ipv6_ports);
    b.op(BPF_LD | BPF_H | BPF_ABS, 40);
    b.op(BPF_MISC | BPF_TAX);
    b.op(BPF_LD | BPF_H | BPF_ABS, 42);
    b.op(BPF_ALU | BPF_ADD | BPF_X);

    // with_ports: A = port sum, M[0] = address sum. A = address sum * kPortMultiplier + ports.
    b.place(Label::with_ports);
    b.op(BPF_MISC | BPF_TAX);
    b.op(BPF_LD | BPF_W | BPF_MEM, kAddressSum);
    b.op(BPF_ALU | BPF_MUL | BPF_K, kPortMultiplier);
    b.op(BPF_ALU | BPF_ADD | BPF_X);
    b.go_to(Label::mix);

    // address_pair: fragments, other protocols, IPv6 behind extension headers.
    b.place(Label::address_pair);
    b.op(BPF_LD | BPF_W | BPF_MEM, kAddressSum);
  }

  // mix: MurmurHash3's fmix32 (A ^= A >> 16; A *= kMix1; A ^= A >> 13; A *= kMix2;
  // A ^= A >> 16), then return A. Every input bit reaches the low bits that `% members` keeps.
  b.place(Label::mix);
  xor_shift(b, 16);
  b.op(BPF_ALU | BPF_MUL | BPF_K, kMix1);
  xor_shift(b, 13);
  b.op(BPF_ALU | BPF_MUL | BPF_K, kMix2);
  xor_shift(b, 16);
  b.op(BPF_RET | BPF_A);
  return b.finish();
}

}  // namespace slimcap
