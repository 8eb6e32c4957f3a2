#include "slimcap/hexdump.hpp"

#include <array>
#include <cstring>

namespace slimcap {
namespace {

// The port of tcpdump 4.99's print-ascii.c: hex_print_with_offset (-x),
// hex_and_ascii_print_with_offset (-X) and ascii_print (-A), each called with ident "\n\t"
// and offset 0. Checked byte for byte against /usr/sbin/tcpdump 4.99.3 by test_hexdump.

constexpr std::size_t kBytesPerLine = 16;
// " %02x%02x" per two bytes, eight per line: the hex column tcpdump pads to ("%-*s", 40).
constexpr std::size_t kHexColumn = 40;

// Two lower-case hex digits per byte value, built at compile time.
constexpr std::array<char, 512> make_hex_pairs() {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<char, 512> t{};
  for (std::size_t i = 0; i < 256; ++i) {
    t[2 * i] = kDigits[i >> 4];
    t[2 * i + 1] = kDigits[i & 15];
  }
  return t;
}
constexpr std::array<char, 512> kHexPairs = make_hex_pairs();

// What -X shows in its ASCII column: tcpdump's ND_ASCII_ISGRAPH (0x21..0x7e), else '.'.
constexpr std::array<char, 256> make_graph_or_dot() {
  std::array<char, 256> t{};
  for (std::size_t i = 0; i < 256; ++i) t[i] = (i > 0x20 && i < 0x7f) ? static_cast<char>(i) : '.';
  return t;
}
constexpr std::array<char, 256> kGraphOrDot = make_graph_or_dot();

// Number of hex digits "%04x" gives for `offset`: four, more past 0xffff (jumbo captures).
inline unsigned offset_digits(std::size_t offset) noexcept {
  unsigned digits = 4;
  while (digits < 2 * sizeof offset && (offset >> (4 * digits)) != 0) ++digits;
  return digits;
}

// "0x%04x: "
inline char* put_offset_only(char* p, std::size_t offset, unsigned digits) noexcept {
  p[0] = '0';
  p[1] = 'x';
  p += 2;
  for (unsigned i = digits; i-- > 0;) {
    p[i] = kHexPairs[2 * (offset & 15) + 1];
    offset >>= 4;
  }
  p += digits;
  p[0] = ':';
  p[1] = ' ';
  return p + 2;
}

// "\n\t0x%04x: "
inline char* put_offset(char* p, std::size_t offset, unsigned digits) noexcept {
  p[0] = '\n';
  p[1] = '\t';
  return put_offset_only(p + 2, offset, digits);
}

inline char* put_byte(char* p, std::uint8_t b) noexcept {
  std::memcpy(p, &kHexPairs[2 * b], 2);
  return p + 2;
}

// " %02x%02x" for each pair, then " %02x" for an odd last byte.
inline char* put_hex_groups(char* p, const std::uint8_t* b, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    *p++ = ' ';
    p = put_byte(p, b[i]);
    p = put_byte(p, b[i + 1]);
  }
  if (i < n) {
    *p++ = ' ';
    p = put_byte(p, b[i]);
  }
  return p;
}

// Upper bound of the bytes one line takes: "\n\t0x" + offset + ": " + hex column + "  " + ASCII.
constexpr std::size_t kLineBound = 4 + 2 * sizeof(std::size_t) + 2 + kHexColumn + 2 + kBytesPerLine;

void hex(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  const std::size_t size = bytes.size();
  const std::size_t lines = (size + kBytesPerLine - 1) / kBytesPerLine;
  char* const start = out.reserve(lines * kLineBound);
  char* p = start;
  const std::uint8_t* b = bytes.data();
  for (std::size_t off = 0; off < size; off += kBytesPerLine) {
    const std::size_t n = size - off < kBytesPerLine ? size - off : kBytesPerLine;
    p = put_offset(p, off, offset_digits(off));
    p = put_hex_groups(p, b + off, n);
  }
  out.advance(static_cast<std::size_t>(p - start));
}

void hex_ascii(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  const std::size_t size = bytes.size();
  const std::size_t lines = (size + kBytesPerLine - 1) / kBytesPerLine;
  char* const start = out.reserve(lines * kLineBound);
  char* p = start;
  const std::uint8_t* b = bytes.data();
  for (std::size_t off = 0; off < size; off += kBytesPerLine) {
    const std::size_t n = size - off < kBytesPerLine ? size - off : kBytesPerLine;
    p = put_offset(p, off, offset_digits(off));
    char* const column = p;
    p = put_hex_groups(p, b + off, n);
    // "%-*s  %s": pad the hex column to 40, then two blanks, then the ASCII column.
    const std::size_t used = static_cast<std::size_t>(p - column);
    std::memset(p, ' ', kHexColumn - used + 2);
    p += kHexColumn - used + 2;
    for (std::size_t i = 0; i < n; ++i) p[i] = kGraphOrDot[b[off + i]];
    p += n;
  }
  out.advance(static_cast<std::size_t>(p - start));
}

// ascii_print: a newline, then the bytes. Tab, space and newline stay, other non-graphic bytes
// become '.'. A CR is dropped when a LF follows it or when it is one of the last two bytes
// (tcpdump tests `length > 1` after counting the CR itself), else it is a '.'.
void ascii(OutputBuffer& out, std::span<const std::uint8_t> bytes) {
  const std::size_t size = bytes.size();
  char* const start = out.reserve(size + 1);
  char* p = start;
  *p++ = '\n';
  const std::uint8_t* b = bytes.data();
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t c = b[i];
    if (c == '\r') {
      if (size - i - 1 > 1 && b[i + 1] != '\n') *p++ = '.';
    } else if (c == '\t' || c == ' ' || c == '\n') {
      *p++ = static_cast<char>(c);
    } else {
      *p++ = kGraphOrDot[c];
    }
  }
  out.advance(static_cast<std::size_t>(p - start));
}

}  // namespace

void append_hex_lines(OutputBuffer& out, std::span<const std::uint8_t> bytes,
                      std::string_view indent) {
  const std::size_t size = bytes.size();
  const std::uint8_t* b = bytes.data();
  for (std::size_t off = 0; off < size; off += kBytesPerLine) {
    const std::size_t n = size - off < kBytesPerLine ? size - off : kBytesPerLine;
    char* const start = out.reserve(indent.size() + kLineBound);
    std::memcpy(start, indent.data(), indent.size());
    char* p = put_offset_only(start + indent.size(), off, offset_digits(off));
    p = put_hex_groups(p, b + off, n);
    out.advance(static_cast<std::size_t>(p - start));
  }
}

void append_dump(OutputBuffer& out, std::span<const std::uint8_t> bytes, DumpStyle style) {
  // Nothing at all for no bytes, in every style: tcpdump calls its dumpers only when the
  // capture holds bytes past the header it skips (`caplen > hdrlen`).
  if (bytes.empty()) return;
  switch (style) {
    case DumpStyle::hex: hex(out, bytes); break;
    case DumpStyle::hex_ascii: hex_ascii(out, bytes); break;
    case DumpStyle::ascii: ascii(out, bytes); break;
    case DumpStyle::none: break;
  }
}

}  // namespace slimcap
