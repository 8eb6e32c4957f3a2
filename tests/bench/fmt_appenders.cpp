// The printer's hand-written OutputBuffer appenders against fmt::format_to with compiled
// format strings (FMT_COMPILE), writing into the same OutputBuffer, operation by operation
// (docs/printer.md has the results and the decisions taken from them).
//
//   fmt_appenders --check         every fmt version of every operation prints the hand-written text
//   fmt_appenders --list          the operations, one per line
//   fmt_appenders OPERATION hand|fmt|fmt_flat|fmt_n|fmt_buffer N
//                                 N operations of one version; prints wall ns/op on stdout
//
// Instructions per operation come from callgrind: the Ir of N operations minus the Ir of one,
// divided by N - 1 (bench_fmt.sh does that for every operation).
//
// The hand-written side is the printer's own code, not a copy: its appenders live in an
// anonymous namespaces of lib/src/print.cpp and print_tcp.cpp, so this file compiles those
// sources into itself
// (the library's own copy of Printer is not used here). The public ones (OutputBuffer's
// appenders, append_dump, TimestampFormatter) are called as the printer calls them.
//
// How fmt writes into OutputBuffer: OutputBuffer has no push_back, so neither
// std::back_inserter nor fmt::appender applies, and a fmt::memory_buffer would add a copy.
// The least overhead is what the hand-written code does: reserve() the largest size the
// text can take, fmt::format_to(char*, FMT_COMPILE(...), ...) straight into it (with a char*
// output, compiled formats write the digits in place), then advance() by what was written.
// fmt_n (format_to_n) and fmt_buffer (memory_buffer, then a copy) are measured to show it.

// NOLINTBEGIN(bugprone-suspicious-include): the code under test (the other print_*.cpp are
// compiled beside this file: tests/bench/meson.build)
#include "../../lib/src/print.cpp"
#include "../../lib/src/print_tcp.cpp"
// NOLINTEND(bugprone-suspicious-include)

#include <fmt/compile.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "frame_builder.hpp"

namespace {

using slimcap::OutputBuffer;
namespace test = slimcap::test;

// Inputs, cycled through by the iteration number (i & 7) so that neither version meets one
// value only. Not const: the compiler must not fold the formatting away.
std::uint32_t g_ports[8] = {443, 5555, 53, 80, 51234, 22, 100, 1448};
std::uint32_t g_sequences[8] = {1034567890, 3735928559, 2147483648, 1999999999,
                                4294967295, 1000000000, 3141592653, 2718281828};
std::uint8_t g_ipv4[8][4] = {{192, 0, 2, 1},     {198, 51, 100, 2}, {203, 0, 113, 254},
                             {192, 0, 2, 10},    {198, 51, 100, 99}, {203, 0, 113, 7},
                             {192, 0, 2, 200},   {198, 51, 100, 140}};
test::Ipv6 g_ipv6[8] = {
    test::ipv6("2001:db8::1"),          test::ipv6("2001:db8:85a3::8a2e:370:7334"),
    test::ipv6("fe80::1"),              test::ipv6("2001:db8:0:1:2:3:4:5"),
    test::ipv6("ff02::1:ff00:1"),       test::ipv6("2001:db8:1:2:3:4:5:6"),
    test::ipv6("::ffff:192.0.2.1"),     test::ipv6("2001:db8::a:0:0:1"),
};
std::uint8_t g_bytes[64];  // filled from a real frame in main()

// ---- unsigned decimal --------------------------------------------------------------------

void fmt_decimal(OutputBuffer& out, std::uint32_t v) {
  char* const start = out.reserve(10);
  out.advance(static_cast<std::size_t>(fmt::format_to(start, FMT_COMPILE("{}"), v) - start));
}

// The other two ways of getting fmt's text into the OutputBuffer, measured for comparison:
// format_to_n when only a limit is known (it counts every character against the limit), and
// a fmt::memory_buffer (stack storage, then one copy into the buffer).
void fmt_n_decimal(OutputBuffer& out, std::uint32_t v) {
  char* const start = out.reserve(10);
  out.advance(static_cast<std::size_t>(fmt::format_to_n(start, 10, FMT_COMPILE("{}"), v).out - start));
}
void fmt_buffer_decimal(OutputBuffer& out, std::uint32_t v) {
  fmt::memory_buffer text;
  fmt::format_to(std::back_inserter(text), FMT_COMPILE("{}"), v);
  out.append(std::string_view(text.data(), text.size()));
}

// The printer's hot path for ports, sequence numbers and lengths (append_endpoints,
// print_tcp): one reservation, put_u32, advance.
void put_u32_decimal(OutputBuffer& out, std::uint32_t v) {
  char* const start = out.reserve(10);
  out.advance(static_cast<std::size_t>(slimcap::put_u32(start, v) - start));
}

// ---- IPv4 --------------------------------------------------------------------------------

void fmt_ipv4(OutputBuffer& out, const std::uint8_t* a) {
  char* const start = out.reserve(16);
  char* p = fmt::format_to(start, FMT_COMPILE("{}.{}.{}.{}"), a[0], a[1], a[2], a[3]);
  out.advance(static_cast<std::size_t>(p - start));
}

void fmt_n_ipv4(OutputBuffer& out, const std::uint8_t* a) {
  char* const start = out.reserve(16);
  char* p = fmt::format_to_n(start, 16, FMT_COMPILE("{}.{}.{}.{}"), a[0], a[1], a[2], a[3]).out;
  out.advance(static_cast<std::size_t>(p - start));
}
void fmt_buffer_ipv4(OutputBuffer& out, const std::uint8_t* a) {
  fmt::memory_buffer text;
  fmt::format_to(std::back_inserter(text), FMT_COMPILE("{}.{}.{}.{}"), a[0], a[1], a[2], a[3]);
  out.append(std::string_view(text.data(), text.size()));
}

// ---- IPv6 --------------------------------------------------------------------------------

// RFC 5952 as the printer writes it (glibc's inet_ntop): the longest run of two or more zero
// groups (the first of equal runs) becomes "::", an IPv4-mapped or -compatible address ends
// in dotted decimal. Only the text is made by fmt here.
void fmt_ipv6(OutputBuffer& out, const std::uint8_t* a) {
  unsigned w[8];
  for (int i = 0; i < 8; ++i) w[i] = slimcap::load_be16(a + 2 * i);
  int run_start = -1, run_length = 0;
  for (int i = 0, zeros = 0; i < 8; ++i) {
    zeros = w[i] == 0 ? zeros + 1 : 0;
    if (zeros > run_length) {
      run_length = zeros;
      run_start = i + 1 - zeros;
    }
  }
  if (run_length < 2) run_start = -1;
  char* const start = out.reserve(48);
  char* p = start;
  if (run_start == 0 && (run_length == 6 || (run_length == 5 && w[5] == 0xffff))) {
    p = fmt::format_to(p, FMT_COMPILE("{}{}.{}.{}.{}"), run_length == 6 ? "::" : "::ffff:",
                       a[12], a[13], a[14], a[15]);
    out.advance(static_cast<std::size_t>(p - start));
    return;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == run_start) {
      *p++ = ':';
      if (i == 0) *p++ = ':';
      i += run_length - 1;
      continue;
    }
    p = fmt::format_to(p, FMT_COMPILE("{:x}"), w[i]);
    if (i < 7) *p++ = ':';
  }
  out.advance(static_cast<std::size_t>(p - start));
}

// ---- hex ---------------------------------------------------------------------------------

void fmt_hex8(OutputBuffer& out, std::uint8_t v) {
  char* const start = out.reserve(2);
  out.advance(static_cast<std::size_t>(fmt::format_to(start, FMT_COMPILE("{:02x}"), v) - start));
}

// tcpdump -x: per 16 bytes "\n\t0x%04x: ", then " %02x%02x" per pair and " %02x" for an odd
// last byte.
void fmt_hex_dump(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  const std::size_t size = bytes.size();
  char* const start = out.reserve((size + 15) / 16 * (4 + 16 + 2 + 40));
  char* p = start;
  const std::uint8_t* b = bytes.data();
  for (std::size_t offset = 0; offset < size; offset += 16) {
    const std::size_t end = size - offset < 16 ? size : offset + 16;
    p = fmt::format_to(p, FMT_COMPILE("\n\t0x{:04x}: "), offset);
    std::size_t i = offset;
    for (; i + 1 < end; i += 2) p = fmt::format_to(p, FMT_COMPILE(" {:02x}{:02x}"), b[i], b[i + 1]);
    if (i < end) p = fmt::format_to(p, FMT_COMPILE(" {:02x}"), b[i]);
  }
  out.advance(static_cast<std::size_t>(p - start));
}

// ---- time of day -------------------------------------------------------------------------

// TimestampFormatter's time-of-day column with fmt: the same once-a-second cache of
// "HH:MM:SS." (UTC here, as the hand-written side is run), then ".uuuuuu " per packet.
class FmtTimeOfDay {
 public:
  [[gnu::noinline]] void append(OutputBuffer& out, std::int64_t timestamp_ns) {
    char* const start = out.reserve(64);
    std::uint64_t since = static_cast<std::uint64_t>(timestamp_ns - second_ns_);
    if (!valid_ || since >= 1000000000u) [[unlikely]] {
      const std::int64_t seconds = timestamp_ns / 1000000000;
      second_ns_ = seconds * 1000000000;
      since = static_cast<std::uint64_t>(timestamp_ns - second_ns_);
      valid_ = true;
      const std::time_t t = static_cast<std::time_t>(seconds);
      std::tm tm{};
      gmtime_r(&t, &tm);
      prefix_size_ = static_cast<unsigned>(
          fmt::format_to(prefix_, FMT_COMPILE("{:02}:{:02}:{:02}."), tm.tm_hour, tm.tm_min,
                         tm.tm_sec) -
          prefix_);
    }
    std::memcpy(start, prefix_, sizeof prefix_);
    char* p = fmt::format_to(start + prefix_size_, FMT_COMPILE("{:06} "), since / 1000);
    out.advance(static_cast<std::size_t>(p - start));
  }

 private:
  bool valid_ = false;
  std::int64_t second_ns_ = 0;
  char prefix_[32] = {};
  unsigned prefix_size_ = 0;
};

// ---- a whole TCP line --------------------------------------------------------------------

// Every shape but the common one, for fmt_tcp_line. Out of line: loop_flat must not inline the
// whole printer (that alone made this file take minutes to compile).
[[gnu::noinline]] void print_other_shape(const slimcap::detail::Context& c) { slimcap::detail::print_network(c, true); }

// "IP a.b.c.d.port > e.f.g.h.port: Flags [P.], seq x:y, ack z, win w, length n" with fmt, for
// the shape the printer's common path prints (IPv4, not -v/-q, complete 20-byte TCP header);
// every other shape goes to the printer. The checks cost about what the printer's own do.
void fmt_tcp_line(const slimcap::detail::Context& c) {
  using namespace slimcap;
  const Summary& s = c.s;
  if (s.network != Network::ipv4 || s.truncated != Layer::none || s.later_fragment ||
      s.protocol != 6 || !s.has_ports || c.options.verbose > 0 || c.options.quiet ||
      s.tcp_header_length != 20 || s.transport_length < 20 ||
      !c.captured(s.transport_offset, 20)) [[unlikely]] {
    print_other_shape(c);
    return;
  }
  OutputBuffer& out = c.out;
  char* const start = out.reserve(160);
  const std::uint8_t* a = s.source_ip;
  const std::uint8_t* b = s.destination_ip;
  const TcpFlagText& f = kTcpFlagText.text[s.tcp_flags];
  char* p = fmt::format_to(start, FMT_COMPILE("IP {}.{}.{}.{}.{} > {}.{}.{}.{}.{}: Flags [{}]"),
                           a[0], a[1], a[2], a[3], s.source_port, b[0], b[1], b[2], b[3],
                           s.destination_port, std::string_view(f.letters, f.length));
  const std::uint32_t length = s.transport_length - 20;
  if (length > 0 || (s.tcp_flags & (kSyn | kFin | kRst))) {
    p = fmt::format_to(p, FMT_COMPILE(", seq {}"), s.seq);
    if (length > 0) p = fmt::format_to(p, FMT_COMPILE(":{}"), s.seq + length);
  }
  if (s.tcp_flags & kAck) p = fmt::format_to(p, FMT_COMPILE(", ack {}"), s.ack);
  p = fmt::format_to(p, FMT_COMPILE(", win {}"), s.window);
  if (s.tcp_flags & kUrg) p = fmt::format_to(p, FMT_COMPILE(", urg {}"), s.urgent);
  p = fmt::format_to(p, FMT_COMPILE(", length {}"), length);
  out.advance(static_cast<std::size_t>(p - start));
}

struct DecodedFrame {
  test::Bytes bytes;
  slimcap::PacketView packet;
  slimcap::Summary summary;
};

// Four TCP segments of the typical shape: the line of docs/design.md and three with real
// (10-digit) sequence numbers.
std::vector<DecodedFrame> make_tcp_frames() {
  struct Shape {
    const char* source;
    const char* destination;
    test::TcpSpec tcp;
    std::size_t payload;
  };
  const std::uint8_t pa = test::tcp_flag::kPsh | test::tcp_flag::kAck;
  const Shape shapes[] = {
      {"192.0.2.1", "198.51.100.2", {443, 5555, 1, 1, pa, 502, 0, {}}, 100},
      {"198.51.100.2", "192.0.2.1", {5555, 443, 3735928559, 1034567890, pa, 64240, 0, {}}, 1448},
      {"203.0.113.7", "192.0.2.10", {51234, 8000, 2147483648, 1999999999, pa, 501, 0, {}}, 517},
      {"192.0.2.200", "198.51.100.99", {22, 60000, 4000000000, 123456789, pa, 1024, 0, {}}, 36},
  };
  std::vector<DecodedFrame> frames(std::size(shapes));
  for (std::size_t i = 0; i < frames.size(); ++i) {
    test::Ipv4Spec ip;
    ip.source = test::ipv4(shapes[i].source);
    ip.destination = test::ipv4(shapes[i].destination);
    DecodedFrame& f = frames[i];
    f.bytes = test::tcp4_frame(ip, shapes[i].tcp, shapes[i].payload);
    f.packet.data = f.bytes;
    f.packet.wire_length = static_cast<std::uint32_t>(f.bytes.size());
    f.packet.link_type = 1;
    slimcap::decode(f.packet, f.summary);
  }
  return frames;
}

// ---- the operations ----------------------------------------------------------------------

struct Fixture {
  std::vector<DecodedFrame> frames = make_tcp_frames();
  slimcap::PrintOptions options;
  slimcap::TimestampFormatter timestamps{slimcap::TimestampStyle::time_of_day, false, true};
  FmtTimeOfDay fmt_timestamps;
  // 2026-12-01 05:00:00 UTC and a packet every 37.013 µs.
  static std::int64_t time_of(std::uint64_t i) {
    return 1796101200LL * 1000000000 + static_cast<std::int64_t>(i) * 37013;
  }
  slimcap::detail::Context context(std::uint64_t i, OutputBuffer& out) const {
    const DecodedFrame& f = frames[i & 3];
    return slimcap::detail::Context{options, f.packet, f.summary, out};
  }
};

// One operation: hand(fx, out, i) and fmt(fx, out, i) format input number i.
struct DecimalPort {
  static constexpr const char* kName = "decimal-port";
  static constexpr const char* kHand = "OutputBuffer::append_uint";
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) { out.append_uint(g_ports[i & 7]); }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_decimal(out, g_ports[i & 7]); }
  static void fmt_n(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_n_decimal(out, g_ports[i & 7]); }
  static void fmt_buffer(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_buffer_decimal(out, g_ports[i & 7]); }
};
struct DecimalPortPutU32 {
  static constexpr const char* kName = "decimal-port-put_u32";
  static constexpr const char* kHand = "reserve + put_u32 (print_internal.hpp)";
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) { put_u32_decimal(out, g_ports[i & 7]); }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_decimal(out, g_ports[i & 7]); }
};
struct DecimalSeq {
  static constexpr const char* kName = "decimal-seq";
  static constexpr const char* kHand = "reserve + put_u32 (print_internal.hpp)";
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) { put_u32_decimal(out, g_sequences[i & 7]); }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_decimal(out, g_sequences[i & 7]); }
};
struct Ipv4Address {
  static constexpr const char* kName = "ipv4";
  static constexpr const char* kHand = "append_ipv4 (print.cpp)";
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) { slimcap::append_ipv4(out, g_ipv4[i & 7]); }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_ipv4(out, g_ipv4[i & 7]); }
  static void fmt_n(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_n_ipv4(out, g_ipv4[i & 7]); }
  static void fmt_buffer(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_buffer_ipv4(out, g_ipv4[i & 7]); }
};
struct Ipv6Address {
  static constexpr const char* kName = "ipv6";
  static constexpr const char* kHand = "append_ipv6 (print.cpp)";
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) { slimcap::append_ipv6(out, g_ipv6[i & 7].data()); }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_ipv6(out, g_ipv6[i & 7].data()); }
};
struct Ipv6Group {
  // The piece of an IPv6 address fmt would replace: one group, lower-case hex, no leading
  // zeros ("{:x}"), over the groups of the eight test addresses.
  static constexpr const char* kName = "ipv6-group";
  static constexpr const char* kHand = "put_group (print_common.cpp)";
  static unsigned group(std::uint64_t i) { return slimcap::load_be16(g_ipv6[i & 7].data() + 2 * (i >> 3 & 7)); }
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) {
    char* const start = out.reserve(4);
    out.advance(static_cast<std::size_t>(slimcap::detail::put_group(start, group(i)) - start));
  }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) {
    char* const start = out.reserve(4);
    out.advance(static_cast<std::size_t>(fmt::format_to(start, FMT_COMPILE("{:x}"), group(i)) - start));
  }
};
struct Hex8 {
  static constexpr const char* kName = "hex8";
  static constexpr const char* kHand = "OutputBuffer::append_hex8";
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) { out.append_hex8(g_bytes[i & 63]); }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_hex8(out, g_bytes[i & 63]); }
};
struct HexDump {
  // 64 or 63 bytes (four -x lines, the last one odd every other time).
  static constexpr const char* kName = "hexdump-64";
  static constexpr const char* kHand = "append_dump(DumpStyle::hex) (hexdump.cpp)";
  static std::span<const std::uint8_t> bytes(std::uint64_t i) { return {g_bytes, 64 - (i & 1)}; }
  static void hand(Fixture&, OutputBuffer& out, std::uint64_t i) {
    slimcap::append_dump(out, bytes(i), slimcap::DumpStyle::hex);
  }
  static void fmt(Fixture&, OutputBuffer& out, std::uint64_t i) { fmt_hex_dump(out, bytes(i)); }
};
struct TimeOfDay {
  static constexpr const char* kName = "time-of-day";
  static constexpr const char* kHand = "TimestampFormatter::append (timestamp.cpp)";
  static void hand(Fixture& fx, OutputBuffer& out, std::uint64_t i) { fx.timestamps.append(out, Fixture::time_of(i)); }
  static void fmt(Fixture& fx, OutputBuffer& out, std::uint64_t i) { fx.fmt_timestamps.append(out, Fixture::time_of(i)); }
};
struct TcpLine {
  static constexpr const char* kName = "tcp-line";
  static constexpr const char* kHand = "print_network (print.cpp)";
  static void hand(Fixture& fx, OutputBuffer& out, std::uint64_t i) { slimcap::detail::print_network(fx.context(i, out), true); }
  static void fmt(Fixture& fx, OutputBuffer& out, std::uint64_t i) { fmt_tcp_line(fx.context(i, out)); }
};

// Operations first .. first + count - 1 of one version; the loop is instantiated per
// operation, so an iteration costs the operation and a compare, no indirect call.
using Loop = void (*)(Fixture&, OutputBuffer&, std::uint64_t first, std::uint64_t count);

enum class Variant { hand, fmt, fmt_flat, fmt_n, fmt_buffer };
constexpr const char* kVariantNames[] = {"hand", "fmt", "fmt_flat", "fmt_n", "fmt_buffer"};

template <typename Op, Variant kVariant>
void loop(Fixture& fx, OutputBuffer& out, std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t i = first; i < first + count; ++i) {
    if (out.size() > (1 << 19)) [[unlikely]] out.clear();
    if constexpr (kVariant == Variant::hand)
      Op::hand(fx, out, i);
    else if constexpr (kVariant == Variant::fmt)
      Op::fmt(fx, out, i);
    else if constexpr (kVariant == Variant::fmt_n)
      Op::fmt_n(fx, out, i);
    else
      Op::fmt_buffer(fx, out, i);
  }
}

// The fmt version with everything it calls inlined into the loop: fmt at its best. GCC 12
// leaves fmt's formatter<T>::format out of line in a translation unit this size, and then
// cannot fold the constant format specs ("{:02x}") into it; a printer using fmt could
// flatten its fmt helpers the same way.
template <typename Op>
[[gnu::flatten]] void loop_flat(Fixture& fx, OutputBuffer& out, std::uint64_t first,
                                std::uint64_t count) {
  for (std::uint64_t i = first; i < first + count; ++i) {
    if (out.size() > (1 << 19)) [[unlikely]] out.clear();
    Op::fmt(fx, out, i);
  }
}

struct Operation {
  const char* name;
  const char* hand_code;  // what the printer uses today
  Loop loops[5];          // by Variant; fmt_n and fmt_buffer only where measured
  std::uint64_t check_stride;  // between the inputs --check compares
};

template <typename Op>
constexpr Operation operation(std::uint64_t check_stride = 1) {
  constexpr bool kAlternatives = requires { &Op::fmt_n; };
  Operation op{Op::kName,
               Op::kHand,
               {loop<Op, Variant::hand>, loop<Op, Variant::fmt>, loop_flat<Op>},
               check_stride};
  if constexpr (kAlternatives) {
    op.loops[3] = loop<Op, Variant::fmt_n>;
    op.loops[4] = loop<Op, Variant::fmt_buffer>;
  }
  return op;
}

const Operation kOperations[] = {
    operation<DecimalPort>(),  operation<DecimalPortPutU32>(), operation<DecimalSeq>(),
    operation<Ipv4Address>(),  operation<Ipv6Address>(),       operation<Ipv6Group>(),
    operation<Hex8>(),
    operation<HexDump>(),
    operation<TimeOfDay>(4001),  // 0.148 s steps: crosses seconds too
    operation<TcpLine>(),
};

const Operation* find(std::string_view name) {
  for (const Operation& op : kOperations)
    if (name == op.name) return &op;
  return nullptr;
}

// Every fmt version of every operation gives the hand-written text, for every input and
// across changes of second.
int check() {
  int failures = 0;
  Fixture hand_fixture, fmt_fixture;
  OutputBuffer hand_out, fmt_out;
  for (const Operation& op : kOperations) {
    for (std::uint64_t i = 0; i < 64; ++i) {
      const std::uint64_t n = i * op.check_stride;
      hand_out.clear();
      op.loops[0](hand_fixture, hand_out, n, 1);
      for (std::size_t v = 1; v < std::size(op.loops); ++v) {
        if (op.loops[v] == nullptr) continue;
        fmt_out.clear();
        op.loops[v](fmt_fixture, fmt_out, n, 1);
        if (hand_out.view() != fmt_out.view()) {
          std::fprintf(stderr, "%s #%llu: hand \"%.*s\" %s \"%.*s\"\n", op.name,
                       static_cast<unsigned long long>(n), static_cast<int>(hand_out.size()),
                       hand_out.data(), kVariantNames[v], static_cast<int>(fmt_out.size()),
                       fmt_out.data());
          ++failures;
        }
      }
    }
  }
  // The line the docs quote must be what both print.
  OutputBuffer line;
  slimcap::detail::print_network(hand_fixture.context(0, line), true);
  constexpr std::string_view kLine =
      "IP 192.0.2.1.443 > 198.51.100.2.5555: Flags [P.], seq 1:101, ack 1, win 502, length 100";
  if (line.view() != kLine) {
    std::fprintf(stderr, "tcp-line: \"%.*s\", not the typical line\n",
                 static_cast<int>(line.size()), line.data());
    ++failures;
  }
  std::printf("%s\n", failures == 0 ? "every fmt version prints what the hand-written one prints" : "MISMATCH");
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  {
    const test::Bytes frame = test::tcp4_frame({}, {}, 64);
    std::memcpy(g_bytes, frame.data() + 14, sizeof g_bytes);
  }
  const std::string_view first = argc > 1 ? argv[1] : "";
  if (argc == 2 && first == "--check") return check();
  if (argc == 2 && first == "--list") {
    for (const Operation& op : kOperations)
      std::printf("%s\t%s\t%s\n", op.name, op.hand_code, op.loops[3] ? "fmt_n,fmt_buffer" : "");
    return 0;
  }
  const Operation* op = argc == 4 ? find(first) : nullptr;
  const std::string_view variant = argc == 4 ? argv[2] : "";
  Loop run = nullptr;
  for (std::size_t v = 0; op != nullptr && v < std::size(kVariantNames); ++v)
    if (variant == kVariantNames[v]) run = op->loops[v];
  char* end = nullptr;
  const unsigned long long n = argc == 4 ? std::strtoull(argv[3], &end, 10) : 0;
  if (run == nullptr || n == 0 || *end != '\0') {
    std::fprintf(stderr,
                 "usage: fmt_appenders --check | --list | "
                 "OPERATION hand|fmt|fmt_n|fmt_buffer ITERATIONS\n");
    return 2;
  }
  Fixture fixture;
  OutputBuffer out(1 << 20);
  const auto t0 = std::chrono::steady_clock::now();
  run(fixture, out, 0, n);
  const auto t1 = std::chrono::steady_clock::now();
  const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
  std::printf("%s %s %llu %.2f ns/op\n", op->name, variant.data(), n, ns / static_cast<double>(n));
  return 0;
}
