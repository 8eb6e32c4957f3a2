#pragma once
// tcpdump's -x, -X and -A dumps, byte for byte: every line starts with "\n\t0x0000:  ".

#include <cstdint>
#include <span>

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

}  // namespace slimcap
