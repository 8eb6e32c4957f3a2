// tcpdump's -x, -X and -A dumps, byte for byte: goldens taken from tcpdump 4.99.3, and a
// comparison with the installed tcpdump over many lengths and contents.

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "slimcap/hexdump.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

std::string dump(std::span<const std::uint8_t> bytes, DumpStyle style) {
  OutputBuffer out(8);  // small on purpose: the dumpers must reserve what they write
  append_dump(out, bytes, style);
  return std::string(out.view());
}

// 34 bytes with every case the styles treat differently: graphic, blank, tab, LF, CR before
// LF, CR before another byte, CR among the last two bytes, NUL, DEL and high bytes.
const std::string kText("GET /\r\n\tA b\x00\x7f\x80\xff\rx~!0123456789\r\nZz\r", 34);

std::span<const std::uint8_t> prefix(std::size_t n) {
  return {reinterpret_cast<const std::uint8_t*>(kText.data()), n};
}

struct Golden {
  std::size_t length;
  const char* text;
};

// `tcpdump -t -n -x / -X / -A` of RAW records holding the first `length` bytes of kText: the
// text after each summary line, up to the record's closing newline.
const Golden kHex[] = {
    {0, ""},
    {1, "\n\t0x0000:  47"},
    {2, "\n\t0x0000:  4745"},
    {15, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff"},
    {16, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d"},
    {17, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d\n\t0x0010:  78"},
    {31, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d\n\t0x0010:  787e 2130 3132 3334 3536 3738 390d 0a"},
    {32, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d\n\t0x0010:  787e 2130 3132 3334 3536 3738 390d 0a5a"},
    {33, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d\n\t0x0010:  787e 2130 3132 3334 3536 3738 390d 0a5a\n\t0x0020:  7a"},
};
const Golden kHexAscii[] = {
    {0, ""},
    {1, "\n\t0x0000:  47                                       G"},
    {2, "\n\t0x0000:  4745                                     GE"},
    {15, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff    GET./...A.b...."},
    {16, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d  GET./...A.b....."},
    {17, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d  GET./...A.b.....\n\t0x0010:  78                                       x"},
    {31, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d  GET./...A.b.....\n\t0x0010:  787e 2130 3132 3334 3536 3738 390d 0a    x~!0123456789.."},
    {32, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d  GET./...A.b.....\n\t0x0010:  787e 2130 3132 3334 3536 3738 390d 0a5a  x~!0123456789..Z"},
    {33, "\n\t0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d  GET./...A.b.....\n\t0x0010:  787e 2130 3132 3334 3536 3738 390d 0a5a  x~!0123456789..Z\n\t0x0020:  7a                                       z"},
};
const Golden kAscii[] = {
    {0, ""},
    {1, "\nG"},
    {2, "\nGE"},
    {15, "\nGET /\n\tA b...."},
    {16, "\nGET /\n\tA b...."},   // a CR as the last byte is dropped
    {17, "\nGET /\n\tA b....x"},  // ... and as the last but one, whatever follows it
    {31, "\nGET /\n\tA b.....x~!0123456789\n"},
    {32, "\nGET /\n\tA b.....x~!0123456789\nZ"},
    {33, "\nGET /\n\tA b.....x~!0123456789\nZz"},
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Deterministic bytes, a quarter of them CR or LF, so that -A meets every CR rule.
Bytes noise(std::size_t n, std::uint32_t seed) {
  Bytes b(n);
  std::uint32_t x = seed * 2654435761U + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525U + 1013904223U;
    const std::uint8_t v = static_cast<std::uint8_t>(x >> 24);
    b[i] = (v & 3) == 0 ? ((v & 4) ? '\r' : '\n') : v;
  }
  return b;
}

}  // namespace

TEST_SUITE("hexdump") {
  TEST_CASE("writes -x as tcpdump does for lengths around the line and group sizes") {
    for (const Golden& g : kHex) {
      CAPTURE(g.length);
      CHECK(dump(prefix(g.length), DumpStyle::hex) == g.text);
    }
  }

  TEST_CASE("writes -X with the ASCII column aligned as tcpdump pads it") {
    for (const Golden& g : kHexAscii) {
      CAPTURE(g.length);
      CHECK(dump(prefix(g.length), DumpStyle::hex_ascii) == g.text);
    }
  }

  TEST_CASE("writes -A as tcpdump does, CR rules included") {
    for (const Golden& g : kAscii) {
      CAPTURE(g.length);
      CHECK(dump(prefix(g.length), DumpStyle::ascii) == g.text);
    }
    const std::string crlf = "ab\rXY\r\r\nc\r\n";
    CHECK(dump({reinterpret_cast<const std::uint8_t*>(crlf.data()), crlf.size()},
               DumpStyle::ascii) == "\nab.XY.\nc\n");
  }

  TEST_CASE("writes nothing for no bytes or for DumpStyle::none, and appends to what is there") {
    for (const DumpStyle style :
         {DumpStyle::none, DumpStyle::hex, DumpStyle::hex_ascii, DumpStyle::ascii}) {
      CHECK(dump({}, style).empty());
    }
    CHECK(dump(prefix(33), DumpStyle::none).empty());
    OutputBuffer out(4);
    out.append("IP x");
    append_dump(out, prefix(2), DumpStyle::hex);
    append_dump(out, prefix(1), DumpStyle::ascii);
    CHECK(out.view() == "IP x\n\t0x0000:  4745\nG");
  }

  TEST_CASE("append_hex_lines writes -x's lines behind another indent") {
    OutputBuffer out(4);
    out.append("opt");
    append_hex_lines(out, prefix(19), "\n\t    ");
    CHECK(out.view() ==
          "opt\n\t    0x0000:  4745 5420 2f0d 0a09 4120 6200 7f80 ff0d\n\t    0x0010:  787e 21");
    OutputBuffer empty(4);
    append_hex_lines(empty, {}, "\n\t    ");
    CHECK(empty.view().empty());
  }

  TEST_CASE("widens the offset past 0xffff as printf's %04x does") {
    const Bytes big(0x10012, 0x41);
    const std::vector<std::string> hex = lines(dump(big, DumpStyle::hex));
    REQUIRE(hex.size() == 1 + 0x1002);
    CHECK(hex[0x1000] == "\t0xfff0:  4141 4141 4141 4141 4141 4141 4141 4141");
    CHECK(hex[0x1001] == "\t0x10000:  4141 4141 4141 4141 4141 4141 4141 4141");
    CHECK(hex[0x1002] == "\t0x10010:  4141");
    const std::vector<std::string> both = lines(dump(big, DumpStyle::hex_ascii));
    CHECK(both[0x1002] == "\t0x10010:  4141                                     AA");
  }

  TEST_CASE("agrees with tcpdump for every length from 1 to 40 bytes and a jumbo frame") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    // RAW records: tcpdump dumps every captured byte (the RAW header length is 0). Whatever
    // the summary line says, the dump follows it and the record ends with a newline.
    std::vector<Record> records;
    for (std::size_t n = 1; n <= 40; ++n) {
      records.push_back({noise(n, static_cast<std::uint32_t>(n)), 1700000000000000000, 0});
      records.push_back({noise(n, static_cast<std::uint32_t>(n + 100)), 1700000000000000000, 0});
    }
    records.push_back({noise(70001, 7), 1700000000000000000, 0});
    PcapSpec spec;
    spec.link_type = 101;
    TempPath file;
    write_file(file.path, pcap_file(spec, records));
    const std::string base = "tcpdump -t -n -r " + file.path;
    const std::vector<std::string> summaries = lines(run_command(base + " 2>/dev/null"));
    REQUIRE(summaries.size() == records.size());
    for (const auto& flag_style : {std::pair{"-x", DumpStyle::hex},
                                   std::pair{"-X", DumpStyle::hex_ascii},
                                   std::pair{"-A", DumpStyle::ascii}}) {
      // Named copies, not a structured binding: clang 14 cannot capture those (CAPTURE).
      const char* const flag = flag_style.first;
      const DumpStyle style = flag_style.second;
      CAPTURE(flag);
      const std::string theirs = run_command(base + " " + flag + " 2>/dev/null");
      std::string ours;
      for (std::size_t i = 0; i < records.size(); ++i) {
        ours += summaries[i];
        ours += dump(records[i].data, style);
        ours += '\n';
      }
      CHECK(theirs.size() == ours.size());
      if (ours != theirs) {
        std::size_t at = 0;
        while (at < ours.size() && at < theirs.size() && ours[at] == theirs[at]) ++at;
        const std::size_t from = at > 80 ? at - 80 : 0;
        CAPTURE(at);
        CHECK(ours.substr(from, 160) == theirs.substr(from, 160));
      }
    }
  }
}
