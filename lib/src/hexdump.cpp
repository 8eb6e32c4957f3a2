#include "slimcap/hexdump.hpp"

namespace slimcap {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::size_t kBytesPerLine = 16;

// tcpdump's ND_ASCII_ISGRAPH: printable and not a space.
inline bool is_graph(std::uint8_t c) noexcept { return c > 0x20 && c <= 0x7e; }

inline char* put_offset(char* p, std::size_t offset) noexcept {
  // "\n\t0x%04x: "
  *p++ = '\n';
  *p++ = '\t';
  *p++ = '0';
  *p++ = 'x';
  for (int shift = 12; shift >= 0; shift -= 4) *p++ = kHex[(offset >> shift) & 15];
  *p++ = ':';
  *p++ = ' ';
  return p;
}

inline char* put_byte(char* p, std::uint8_t b) noexcept {
  *p++ = kHex[b >> 4];
  *p++ = kHex[b & 15];
  return p;
}

// tcpdump's hex_print_with_offset: "\n\t0x0000:  4500 0054 ..." (groups of two bytes).
void hex(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  const std::size_t lines = (bytes.size() + kBytesPerLine - 1) / kBytesPerLine;
  char* const start = out.reserve(lines * (10 + 40 + 2) + 8);
  char* p = start;
  for (std::size_t off = 0; off < bytes.size(); off += kBytesPerLine) {
    p = put_offset(p, off);
    const std::size_t n = bytes.size() - off < kBytesPerLine ? bytes.size() - off : kBytesPerLine;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 2 == 0) *p++ = ' ';
      p = put_byte(p, bytes[off + i]);
    }
  }
  out.advance(static_cast<std::size_t>(p - start));
}

// tcpdump's hex_and_ascii_print_with_offset: the hex column padded to 40 characters, two
// spaces, then the bytes as ASCII with '.' for anything that is not graphic.
void hex_ascii(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  const std::size_t lines = (bytes.size() + kBytesPerLine - 1) / kBytesPerLine;
  char* const start = out.reserve(lines * (10 + 40 + 2 + 16) + 8);
  char* p = start;
  for (std::size_t off = 0; off < bytes.size(); off += kBytesPerLine) {
    p = put_offset(p, off);
    const std::size_t n = bytes.size() - off < kBytesPerLine ? bytes.size() - off : kBytesPerLine;
    char* const hex_start = p;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 2 == 0) *p++ = ' ';
      p = put_byte(p, bytes[off + i]);
    }
    while (p - hex_start < 40) *p++ = ' ';
    *p++ = ' ';
    *p++ = ' ';
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint8_t c = bytes[off + i];
      *p++ = is_graph(c) ? static_cast<char>(c) : '.';
    }
  }
  out.advance(static_cast<std::size_t>(p - start));
}

// tcpdump's ascii_print: a newline, then the bytes; tabs, spaces and newlines stay, a CR
// before a LF is dropped, anything else not graphic becomes '.'.
void ascii(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  char* const start = out.reserve(bytes.size() + 1);
  char* p = start;
  *p++ = '\n';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::uint8_t c = bytes[i];
    if (c == '\r') {
      if (i + 1 == bytes.size() || bytes[i + 1] != '\n') *p++ = '.';
    } else if (is_graph(c) || c == '\t' || c == ' ' || c == '\n') {
      *p++ = static_cast<char>(c);
    } else {
      *p++ = '.';
    }
  }
  out.advance(static_cast<std::size_t>(p - start));
}

}  // namespace

void append_dump(OutputBuffer& out, std::span<const std::uint8_t> bytes, DumpStyle style) {
  switch (style) {
    case DumpStyle::hex: hex(out, bytes); break;
    case DumpStyle::hex_ascii: hex_ascii(out, bytes); break;
    case DumpStyle::ascii: ascii(out, bytes); break;
    case DumpStyle::none: break;
  }
}

}  // namespace slimcap
