// libFuzzer target: any bytes as a capture file, read by PcapReader, every packet printed with
// several option sets, written as JSON and run through a filter. A slimcap::Error is the
// expected answer to a damaged file; anything else (a crash, a sanitizer report, another
// exception, a hang) is a bug.
//
// The input goes through a memfd opened by path (/proc/self/fd/N), so the reader takes the same
// path as for a real file: open, fstat, read in chunks, zstd detection by magic.

#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/json.hpp"
#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/print.hpp"

namespace {

constexpr std::size_t kOptionSets = 6;

// One memfd for the whole run, rewritten for every input.
int input_fd() {
  static const int fd = [] {
    const int f = memfd_create("fuzz_read", MFD_CLOEXEC);
    if (f < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return f;
  }();
  return fd;
}

void store_input(const std::uint8_t* data, std::size_t size) {
  const int fd = input_fd();
  if (ftruncate(fd, 0) != 0) std::abort();
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
}

// The printer option sets: default, the CLI test's flags, and the combinations that reach the
// most code (link header, verbose, every dump style, every timestamp style).
std::array<slimcap::PrintOptions, kOptionSets> print_option_sets() {
  using slimcap::DumpStyle;
  using slimcap::TimestampStyle;
  std::array<slimcap::PrintOptions, kOptionSets> sets{};
  sets[1].link_header = true;  // -e -v -X
  sets[1].verbose = 1;
  sets[1].dump = DumpStyle::hex_ascii;
  sets[2].verbose = 2;  // -vv -XX -tttt --nano
  sets[2].dump = DumpStyle::hex_ascii;
  sets[2].dump_link_header = true;
  sets[2].timestamp_style = TimestampStyle::date_time;
  sets[2].nano = true;
  sets[3].quiet = true;  // -q -A -ttt -#
  sets[3].dump = DumpStyle::ascii;
  sets[3].timestamp_style = TimestampStyle::delta_previous;
  sets[3].number = true;
  sets[4].dump = DumpStyle::hex;  // -xx -ttttt, UTC
  sets[4].dump_link_header = true;
  sets[4].timestamp_style = TimestampStyle::delta_first;
  sets[4].utc = true;
  sets[5].link_header = true;  // -e -q -tt
  sets[5].quiet = true;
  sets[5].timestamp_style = TimestampStyle::epoch;
  return sets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  store_input(data, size);
  const std::string path = "/proc/self/fd/" + std::to_string(input_fd());

  // Compiled once per link type for the whole run (libpcap's compiler is slow and not
  // what is being fuzzed here); matches() runs the program on every packet.
  static slimcap::Filter filter("tcp port 80 or (vlan and udp) or icmp6 or greater 1000");
  static slimcap::OutputBuffer out(1 << 20);
  static const auto option_sets = print_option_sets();

  std::array<std::unique_ptr<slimcap::Printer>, kOptionSets> printers;
  for (std::size_t i = 0; i < kOptionSets; ++i)
    printers[i] = std::make_unique<slimcap::Printer>(option_sets[i]);

  try {
    slimcap::PcapReader reader(path);
    // The accessors must be meaningful right after opening.
    volatile std::uint32_t sink = reader.link_type() + reader.snaplen() +
                                  static_cast<std::uint32_t>(reader.format()) +
                                  static_cast<std::uint32_t>(reader.compression()) +
                                  static_cast<std::uint32_t>(reader.precision());
    (void)sink;
    slimcap::PacketView packet;
    while (reader.next(packet)) {
      if (packet.wire_length < packet.caplen()) {
        std::fprintf(stderr, "reader delivered wire_length %u < caplen %u\n", packet.wire_length,
                     packet.caplen());
        std::abort();
      }
      for (auto& printer : printers) printer->print(packet, out);
      slimcap::append_json(out, packet);
      try {
        volatile bool matched = filter.matches(packet);
        (void)matched;
      } catch (const slimcap::FilterError&) {
        // libpcap cannot compile for some link types; the CLI reports that once.
      }
      out.clear();
    }
  } catch (const slimcap::Error&) {
    // A damaged capture: the expected outcome for most inputs.
  }
  out.clear();
  return 0;
}
