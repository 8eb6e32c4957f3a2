#include "slimcap/filter.hpp"

#include <pcap/pcap.h>

#include <cstdio>
#include <vector>

#include "slimcap/error.hpp"

namespace slimcap {
namespace {

static_assert(sizeof(BpfInstruction) == sizeof(bpf_insn));

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

struct Program {
  std::uint32_t link_type;
  std::vector<bpf_insn> instructions;
};

}  // namespace

struct Filter::Impl {
  std::string expression;
  std::uint32_t snaplen;
  bool everything;
  // One program per link type seen; the last one used is checked first (it is per packet).
  std::vector<Program> programs;
  std::size_t last = 0;

  const Program& compile(std::uint32_t link_type) {
    for (std::size_t i = 0; i < programs.size(); ++i)
      if (programs[i].link_type == link_type) return programs[last = i];
    pcap_t* dead = pcap_open_dead(dlt_from_link_type(link_type), static_cast<int>(snaplen));
    if (dead == nullptr) throw std::bad_alloc();
    bpf_program compiled{};
    if (pcap_compile(dead, &compiled, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      std::string message = pcap_geterr(dead);
      pcap_close(dead);
      throw FilterError(message);
    }
    Program p{link_type, std::vector<bpf_insn>(compiled.bf_insns, compiled.bf_insns + compiled.bf_len)};
    pcap_freecode(&compiled);
    pcap_close(dead);
    programs.push_back(std::move(p));
    last = programs.size() - 1;
    return programs.back();
  }
};

Filter::Filter(std::string expression, std::uint32_t snaplen) : impl_(std::make_unique<Impl>()) {
  impl_->everything = blank(expression);
  impl_->expression = std::move(expression);
  impl_->snaplen = snaplen;
}
Filter::~Filter() = default;
Filter::Filter(Filter&&) noexcept = default;
Filter& Filter::operator=(Filter&&) noexcept = default;

const std::string& Filter::expression() const noexcept { return impl_->expression; }
bool Filter::matches_everything() const noexcept { return impl_->everything; }

std::span<const BpfInstruction> Filter::program(std::uint32_t link_type) {
  const Program& p = impl_->compile(link_type);
  return {reinterpret_cast<const BpfInstruction*>(p.instructions.data()), p.instructions.size()};
}

bool Filter::matches(const PacketView& packet) {
  if (impl_->everything) return true;
  Impl& f = *impl_;
  const Program* p = f.programs.empty() ? nullptr : &f.programs[f.last];
  if (p == nullptr || p->link_type != packet.link_type) p = &f.compile(packet.link_type);
  return bpf_filter(p->instructions.data(), packet.data.data(), packet.wire_length,
                    packet.caplen()) != 0;
}

std::string Filter::dump(std::uint32_t link_type, int level) {
  // A blank expression compiles too (to "accept up to the snaplen"), as tcpdump -d shows.
  const std::vector<bpf_insn>& instructions = impl_->compile(link_type).instructions;
  // tcpdump's bpf_dump() (libpcap's bpf_dump in bpf_dump.c), level for level.
  std::string out;
  char line[256];
  if (level > 2) {
    std::snprintf(line, sizeof line, "%zu\n", instructions.size());
    out += line;
    for (const bpf_insn& i : instructions) {
      std::snprintf(line, sizeof line, "%u %u %u %u\n", i.code, i.jt, i.jf, i.k);
      out += line;
    }
    return out;
  }
  if (level > 1) {
    for (const bpf_insn& i : instructions) {
      std::snprintf(line, sizeof line, "{ 0x%x, %d, %d, 0x%08x },\n", i.code, i.jt, i.jf, i.k);
      out += line;
    }
    return out;
  }
  for (std::size_t n = 0; n < instructions.size(); ++n) {
    out += bpf_image(&instructions[n], static_cast<int>(n));
    out += '\n';
  }
  return out;
}

}  // namespace slimcap
