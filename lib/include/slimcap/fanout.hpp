#pragma once
// PACKET_FANOUT: one interface's packets spread over the members of a group of AF_PACKET
// sockets (docs/fanout.md). The kernel modes (hash, lb, cpu, rollover, random, qm) pick the
// member themselves; flow2, flow4 and tcp5 are PF_RING's cluster types, written here as
// classic-BPF fanout programs (PACKET_FANOUT_CBPF) whose return value, modulo the number of
// members, names the member.
//
// A fanout program sees the packet from its network header (skb->data at the time the
// kernel's fanout hook runs), not from the link-layer header: offset 0 is the first byte of
// the IPv4 or IPv6 header. The programs use no ancillary loads, so libpcap's bpf_filter() can
// run them offline (the unit tests do).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "slimcap/filter.hpp"  // BpfInstruction

namespace slimcap {

enum class FanoutMode : std::uint8_t {
  hash,      // the kernel's symmetric flow hash: both directions of a flow on one member
  lb,        // round robin
  cpu,       // the CPU that received the packet
  rollover,  // fill one member, then the next
  random,    // a random member
  qm,        // the NIC's receive queue (skb queue mapping)
  flow2,     // cBPF: the address pair, both directions alike
  flow4,     // cBPF: addresses and TCP/UDP/SCTP ports, both directions alike
  tcp5,      // cBPF: addresses and ports for TCP, the address pair for everything else
};

// "hash", "lb", ... as --cluster names them; nullopt for another name.
std::optional<FanoutMode> fanout_mode_from_name(std::string_view name);
std::string_view fanout_mode_name(FanoutMode mode);
// Whether every packet of a flow (both directions) reaches the same member.
bool fanout_keeps_flows(FanoutMode mode) noexcept;
// Whether the mode is one of slimcap's classic-BPF programs (flow2, flow4, tcp5).
bool fanout_is_program(FanoutMode mode) noexcept;

// The classic-BPF fanout program of flow2, flow4 or tcp5 (empty for the kernel's modes).
// Input: the packet from its network header. IPv4 and IPv6 (told apart by the version nibble
// of byte 0); the addresses (and, where the mode uses them, the ports) of the two directions
// combine symmetrically, so A->B and B->A return the same value. IPv4 fragments (MF set or a
// non-zero offset) use the address pair only, so all fragments of a datagram, first one
// included, go to one member; IPv6 uses the ports only when the next header is TCP, UDP or
// SCTP directly (no extension header walk). Anything else (ARP, ...) returns 0. The
// result's high bits are folded into the low ones, since the kernel takes it modulo the
// member count. A packet cut short before the bytes the program reads also returns 0.
// Received packets reach the program from their network header; packets the host sends
// (PACKET_OUTGOING) reach it from their link-layer header (measured on lo, Linux 6.18): it
// takes them for non-IP (member 0), or misreads them when the destination MAC begins 0x4? or
// 0x6?.
std::vector<BpfInstruction> fanout_program(FanoutMode mode);

// The program as the kernel gets it (PACKET_FANOUT_DATA): fanout_program() with every packet
// load made relative to the network header (SKF_NET_OFF + offset), so that the packets the
// host sends, which reach the program from their link-layer header, are read from the same
// bytes as the received ones. libpcap's bpf_filter() cannot run this form.
std::vector<BpfInstruction> fanout_kernel_program(FanoutMode mode);

struct FanoutSpec {
  FanoutMode mode = FanoutMode::hash;
  bool defrag = false;           // PACKET_FANOUT_FLAG_DEFRAG: IPv4 reassembled before the choice
  bool rollover = false;         // PACKET_FANOUT_FLAG_ROLLOVER: spill over when a member is full
  bool ignore_outgoing = false;  // PACKET_FANOUT_FLAG_IGNORE_OUTGOING (Linux 6.2+)
  // --fanout-group ID; none: the kernel picks an id no other group uses
  // (PACKET_FANOUT_FLAG_UNIQUEID, asked by the first member only).
  std::optional<std::uint16_t> group;
};

// The value for setsockopt(SOL_PACKET, PACKET_FANOUT): id | (mode | flags) << 16.
// `unique` adds PACKET_FANOUT_FLAG_UNIQUEID (then id must be 0).
std::uint32_t fanout_socket_value(const FanoutSpec& spec, std::uint16_t id, bool unique) noexcept;

// PACKET_ROLLOVER_STATS: cumulative in the kernel.
struct RolloverCounters {
  std::uint64_t all = 0;     // packets this member handed to another one
  std::uint64_t huge = 0;    // ... because it held more than its share (rollover early)
  std::uint64_t failed = 0;  // ... and no other member had room either
};

// A member that takes nothing: a bound AF_PACKET socket with a reject-all filter, in the
// group. --sample-flows fills a group with these so that only 1 in N of the flows' hash
// values lands on a real worker.
class FanoutDecoy {
 public:
  FanoutDecoy(int interface_index, const FanoutSpec& spec, std::uint16_t id);
  ~FanoutDecoy();
  FanoutDecoy(const FanoutDecoy&) = delete;
  FanoutDecoy& operator=(const FanoutDecoy&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace slimcap
