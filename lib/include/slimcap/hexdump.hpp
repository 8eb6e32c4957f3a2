#pragma once
// tcpdump's -x, -X and -A dumps, byte for byte: every line starts with "\n\t0x0000:  ".

#include <cstdint>
#include <span>
#include <string_view>

#include "slimcap/output_buffer.hpp"

namespace slimcap {

enum class DumpStyle {
  none,
  hex,        // -x / -xx
  hex_ascii,  // -X / -XX
  ascii,      // -A
};

// Appends the dump of `bytes` in the given style (nothing for DumpStyle::none). The caller
// chooses the bytes: from the network header for -x/-X/-A, from the link header for -xx/-XX.
void append_dump(OutputBuffer& out, std::span<const std::uint8_t> bytes, DumpStyle style);

// tcpdump's hex_print() with another indent: each line of 16 bytes starts with `indent`
// (which begins with "\n"), then "0x0000: " and the hex groups. Printers use it where tcpdump
// dumps data it does not decode inside a line's text (e.g. -vv neighbor discovery options).
void append_hex_lines(OutputBuffer& out, std::span<const std::uint8_t> bytes,
                      std::string_view indent);

}  // namespace slimcap
