#include "slimcap/filter.hpp"

#include <pcap/pcap.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "slimcap/error.hpp"

namespace slimcap {
namespace {

static_assert(sizeof(BpfInstruction) == sizeof(bpf_insn));

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The handle pcap_compile works on. libpcap generates different code for a handle that reads a
// file (tcpdump -r) and for a live or dead one in a few places; the dead handle gives what the
// kernel runs live on Linux (ancillary loads for inbound/outbound), so it is the default. NULL
// and LOOP never occur live on Linux, and for them the file semantics matter: the address
// family word is compared against every BSD AF_INET6 value (24, 28, 30) instead of Linux's 10,
// so "ip6" selects macOS/BSD loopback captures as `tcpdump -r` does. Those two get a handle
// opened on an in-memory pcap header.
pcap_t* open_handle(std::uint32_t link_type, std::uint32_t snaplen) {
  const int dlt = dlt_from_link_type(link_type);
  if (link_type != link_type::kNull && link_type != link_type::kLoop)
    return pcap_open_dead(dlt, static_cast<int>(snaplen));
  // magic, version 2.4, thiszone, sigfigs, snaplen, link type; in host byte order.
  std::uint32_t header[6] = {0xa1b2c3d4, 0, 0, 0, snaplen, link_type};
  const std::uint16_t version[2] = {2, 4};
  std::memcpy(&header[1], version, sizeof version);
  std::FILE* file = fmemopen(header, sizeof header, "rb");
  if (file == nullptr) return pcap_open_dead(dlt, static_cast<int>(snaplen));
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* handle = pcap_fopen_offline(file, error);  // reads the header now; owns the FILE
  if (handle == nullptr) {
    std::fclose(file);
    return pcap_open_dead(dlt, static_cast<int>(snaplen));
  }
  return handle;
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
    pcap_t* dead = open_handle(link_type, snaplen);
    if (dead == nullptr) throw FilterError("cannot open a pcap handle to compile the filter");
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
  auto to = std::back_inserter(out);
  if (level > 2) {
    fmt::format_to(to, "{}\n", instructions.size());
    for (const bpf_insn& i : instructions) fmt::format_to(to, "{} {} {} {}\n", i.code, i.jt, i.jf, i.k);
    return out;
  }
  if (level > 1) {
    for (const bpf_insn& i : instructions)
      fmt::format_to(to, "{{ 0x{:x}, {}, {}, 0x{:08x} }},\n", i.code, i.jt, i.jf, i.k);
    return out;
  }
  for (std::size_t n = 0; n < instructions.size(); ++n) {
    out += bpf_image(&instructions[n], static_cast<int>(n));
    out += '\n';
  }
  return out;
}

}  // namespace slimcap
