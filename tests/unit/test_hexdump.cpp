// tcpdump's -x, -X and -A dumps, byte for byte.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "slimcap/hexdump.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

std::string dump(const Bytes& bytes, DumpStyle style) {
  OutputBuffer out;
  append_dump(out, bytes, style);
  return std::string(out.view());
}

Bytes counting(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(0x41 + i);
  return b;
}

}  // namespace

TEST_SUITE("hexdump") {
  TEST_CASE("writes -x lines of eight two-byte groups") {
    CHECK(dump({}, DumpStyle::hex) == "");
    CHECK(dump({0xab}, DumpStyle::hex) == "\n\t0x0000:  ab");
    CHECK(dump(counting(3), DumpStyle::hex) == "\n\t0x0000:  4142 43");
    CHECK(dump(counting(17), DumpStyle::hex) ==
          "\n\t0x0000:  4142 4344 4546 4748 494a 4b4c 4d4e 4f50\n\t0x0010:  51");
  }

  TEST_CASE("writes -X lines with the ASCII column aligned") {
    CHECK(dump({0x41, 0x20, 0x0a}, DumpStyle::hex_ascii) ==
          "\n\t0x0000:  4120 0a                                  A..");
    CHECK(dump(counting(16), DumpStyle::hex_ascii) ==
          "\n\t0x0000:  4142 4344 4546 4748 494a 4b4c 4d4e 4f50  ABCDEFGHIJKLMNOP");
  }

  TEST_CASE("writes -A as text, dropping the CR of CRLF and a final CR") {
    const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\x01\rA\r";
    CHECK(dump(Bytes(text.begin(), text.end()), DumpStyle::ascii) ==
          "\nGET / HTTP/1.1\nHost: x\n..A");
  }

  TEST_CASE("agrees with tcpdump for every length from 1 to 40 bytes") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed");
      return;
    }
    // RAW IPv4 packets with an unknown protocol: tcpdump dumps from the IP header on.
    std::vector<Record> records;
    for (std::size_t n = 20; n <= 60; ++n) {
      Bytes ip(n, 0);
      ip[0] = 0x45;
      ip[3] = static_cast<std::uint8_t>(n);
      ip[9] = 253;
      for (std::size_t i = 20; i < n; ++i) ip[i] = static_cast<std::uint8_t>(i * 37 + 5);
      records.push_back({ip, 1700000000000000000, 0});
    }
    PcapSpec spec;
    spec.link_type = 101;
    TempPath tmp;
    write_file(tmp.path, pcap_file(spec, records));
    for (const auto& [flag, style] : {std::pair{"-x", DumpStyle::hex},
                                      std::pair{"-X", DumpStyle::hex_ascii},
                                      std::pair{"-A", DumpStyle::ascii}}) {
      CAPTURE(flag);
      const std::string theirs =
          run_command(std::string("tcpdump -t -n -r ") + tmp.path + " " + flag + " 2>/dev/null");
      std::string ours;
      for (const Record& r : records) {
        ours += "IP 192.0.0.0 > 0.0.0.0:  ip-proto-253 ";  // the summary line, replaced below
        OutputBuffer out;
        append_dump(out, r.data, style);
        ours += std::string(out.view()) + "\n";
      }
      // Compare only the dump parts: drop each summary line's text before the first newline.
      auto dumps = [](const std::string& text) {
        std::string out;
        std::size_t at = 0;
        while (at < text.size()) {
          const std::size_t end = text.find('\n', at);
          const std::string line = text.substr(at, end - at);
          if (!line.empty() && (line[0] == '\t' || line.rfind("IP ", 0) != 0)) out += line + "\n";
          else out += "--\n";
          if (end == std::string::npos) break;
          at = end + 1;
        }
        return out;
      };
      CHECK(dumps(ours) == dumps(theirs));
    }
  }
}
