#pragma once
// Filters: tcpdump expressions compiled by libpcap (pcap_compile on a dead handle, optimised,
// netmask unknown), once per link type the input carries. Offline they run through libpcap's
// bpf_filter(); live (issue 3) the same instructions are attached with SO_ATTACH_FILTER, which
// is why the instruction layout here is the kernel's sock_filter.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "slimcap/link_type.hpp"
#include "slimcap/packet.hpp"

namespace slimcap {

// Same layout as struct bpf_insn (libpcap) and struct sock_filter (kernel).
struct BpfInstruction {
  std::uint16_t code;
  std::uint8_t jt;
  std::uint8_t jf;
  std::uint32_t k;
};

class Filter {
 public:
  // An empty expression (or only blanks) matches every packet and compiles to nothing.
  // The expression is not compiled here: see program().
  explicit Filter(std::string expression, std::uint32_t snaplen = kMaxSnaplen);
  ~Filter();
  Filter(Filter&&) noexcept;
  Filter& operator=(Filter&&) noexcept;

  const std::string& expression() const noexcept;
  bool matches_everything() const noexcept;

  // The program for `link_type`, compiled on first request and cached.
  // Throws FilterError with libpcap's own message (as tcpdump prints it), e.g.
  // "can't parse filter expression: syntax error".
  std::span<const BpfInstruction> program(std::uint32_t link_type);

  // Whether the packet passes; compiles for packet.link_type on first sight (may throw
  // FilterError then, once per link type; never afterwards).
  bool matches(const PacketView& packet);

  // The program for `link_type` as tcpdump prints it: level 1 `-d` (readable listing),
  // 2 `-dd` (C array), 3 or more `-ddd` (decimal numbers). Ends with a newline.
  std::string dump(std::uint32_t link_type, int level);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
