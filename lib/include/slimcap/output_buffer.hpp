#pragma once
// OutputBuffer: a growable byte buffer that text is formatted into, and that the CLI writes
// out in one write() per batch. The appenders are the hot path of printing: no fmt parsing,
// no locale, no allocation once the buffer has grown to its working size.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace slimcap {

class OutputBuffer {
 public:
  explicit OutputBuffer(std::size_t initial_capacity = 1 << 16)
      : data_(std::make_unique_for_overwrite<char[]>(initial_capacity)),
        cursor_(data_.get()),
        limit_(data_.get() + initial_capacity) {}

  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return static_cast<std::size_t>(cursor_ - data_.get()); }
  bool empty() const noexcept { return cursor_ == data_.get(); }
  void clear() noexcept { cursor_ = data_.get(); }
  std::string_view view() const noexcept { return {data_.get(), size()}; }
  // Drops everything from `new_size` on (used to undo a partly formatted line).
  void truncate(std::size_t new_size) noexcept {
    if (new_size < size()) cursor_ = data_.get() + new_size;
  }

  // Room for at least n more bytes; returns where they go. Commit them with advance().
  // The fast path is one compare of two pointers: the appenders below run tens of times per
  // printed packet.
  char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(limit_ - cursor_) < n) [[unlikely]]
      grow(n);
    return cursor_;
  }
  void advance(std::size_t n) noexcept { cursor_ += n; }

  // Most strings the printer appends are names of a few bytes ("A", "OPT", " NXDomain"):
  // up to 16 bytes they are copied inline by two overlapping moves that stay within the
  // string, not by a call to memcpy, which costs more than the copy (measured: about 25
  // instructions a call under callgrind).
  void append(std::string_view s) {
    const std::size_t n = s.size();
    char* p = reserve(n);
    const char* from = s.data();
    if (n <= 16) [[likely]] {
      if (n >= 8) {
        std::memcpy(p, from, 8);
        std::memcpy(p + n - 8, from + n - 8, 8);
      } else if (n >= 4) {
        std::memcpy(p, from, 4);
        std::memcpy(p + n - 4, from + n - 4, 4);
      } else if (n != 0) {
        p[0] = from[0];
        p[n / 2] = from[n / 2];
        p[n - 1] = from[n - 1];
      }
    } else {
      std::memcpy(p, from, n);
    }
    cursor_ += n;
  }
  void append(char c) {
    char* p = reserve(1);
    *p = c;
    ++cursor_;
  }
  void append_repeat(char c, std::size_t n) {
    char* p = reserve(n);
    std::memset(p, c, n);
    cursor_ += n;
  }

  // A string literal: its length is a constant, so the copy is a few inlined moves.
  template <std::size_t N>
  void append(const char (&literal)[N]) {
    char* p = reserve(N - 1);
    std::memcpy(p, literal, N - 1);
    cursor_ += N - 1;
  }

  // Decimal, no padding: the most frequent appender of the printer (ports, sequence numbers,
  // lengths), so it writes straight into the buffer, two digits per step from a table.
  void append_uint(std::uint64_t v) {
    if (v <= UINT32_MAX) {
      append_uint32(static_cast<std::uint32_t>(v));
      return;
    }
    unsigned n = 10;
    for (std::uint64_t rest = v / 10000000000u; rest != 0; rest /= 10) ++n;
    put_digits(reserve(n) + n, v);
    cursor_ += n;
  }
  // Writes v at p (room for 10 bytes needed) and returns the end: for callers that reserve()
  // once for several fields.
  static char* put_uint32(char* p, std::uint32_t v) noexcept {
    char* const end = p + digit_count(v);
    put_digits(end, v);
    return end;
  }
  void append_uint32(std::uint32_t v) {
    const unsigned n = digit_count(v);
    put_digits(reserve(n) + n, v);
    cursor_ += n;
  }
  void append_int(std::int64_t v) {
    if (v < 0) {
      append('-');
      append_uint(static_cast<std::uint64_t>(-(v + 1)) + 1);
    } else {
      append_uint(static_cast<std::uint64_t>(v));
    }
  }
  // Decimal, zero-padded to exactly `width` digits (timestamps: "05", "000123").
  void append_uint_padded(std::uint64_t v, unsigned width) {
    char* p = reserve(width) + width;
    cursor_ += width;
    unsigned left = width;
    while (left >= 2) {
      p -= 2;
      std::memcpy(p, kDigitPairs + (v % 100) * 2, 2);
      v /= 100;
      left -= 2;
    }
    if (left) *--p = static_cast<char>('0' + v % 10);
  }
  // Lower-case hex of one byte, two digits.
  void append_hex8(std::uint8_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char* p = reserve(2);
    p[0] = kDigits[v >> 4];
    p[1] = kDigits[v & 15];
    cursor_ += 2;
  }
  // Lower-case hex, no leading zeros ("0" for zero): IPv6 groups, "0x%x" fields.
  void append_hex(std::uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    unsigned n = 1;
    for (std::uint64_t rest = v >> 4; rest != 0; rest >>= 4) ++n;
    char* const p = reserve(n);
    for (unsigned i = n; i-- > 0;) {
      p[i] = kDigits[v & 15];
      v >>= 4;
    }
    cursor_ += n;
  }
  // Lower-case hex zero-padded to `width` digits ("0x%04x").
  void append_hex_padded(std::uint64_t v, unsigned width) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char* p = reserve(width);
    for (unsigned i = width; i-- > 0;) {
      p[i] = kDigits[v & 15];
      v >>= 4;
    }
    cursor_ += width;
  }

 private:
  static constexpr char kDigitPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";

  // Writes the decimal digits of v so that they end just before `end`.
  template <typename Unsigned>
  static void put_digits(char* end, Unsigned v) noexcept {
    while (v >= 100) {
      end -= 2;
      std::memcpy(end, kDigitPairs + (v % 100) * 2, 2);
      v /= 100;
    }
    if (v >= 10) {
      end -= 2;
      std::memcpy(end, kDigitPairs + v * 2, 2);
    } else {
      *--end = static_cast<char>('0' + v);
    }
  }

  static unsigned digit_count(std::uint32_t v) noexcept {
    if (v < 10) return 1;
    if (v < 100) return 2;
    if (v < 1000) return 3;
    if (v < 10000) return 4;
    if (v < 100000) return 5;
    if (v < 1000000) return 6;
    if (v < 10000000) return 7;
    if (v < 100000000) return 8;
    if (v < 1000000000) return 9;
    return 10;
  }

  void grow(std::size_t n) {
    const std::size_t used = size();
    std::size_t capacity = static_cast<std::size_t>(limit_ - data_.get()) * 2;
    while (capacity - used < n) capacity *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(bigger.get(), data_.get(), used);
    data_ = std::move(bigger);
    cursor_ = data_.get() + used;
    limit_ = data_.get() + capacity;
  }

  std::unique_ptr<char[]> data_;
  char* cursor_;  // where the next byte goes
  char* limit_;   // end of the allocation
};

}  // namespace slimcap
