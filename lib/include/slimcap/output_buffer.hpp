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
      : data_(std::make_unique<char[]>(initial_capacity)), capacity_(initial_capacity) {}

  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void clear() noexcept { size_ = 0; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }
  // Drops everything from `new_size` on (used to undo a partly formatted line).
  void truncate(std::size_t new_size) noexcept {
    if (new_size < size_) size_ = new_size;
  }

  // Room for at least n more bytes; returns where they go. Commit them with advance().
  char* reserve(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void advance(std::size_t n) noexcept { size_ += n; }

  void append(std::string_view s) {
    char* p = reserve(s.size());
    std::memcpy(p, s.data(), s.size());
    size_ += s.size();
  }
  void append(char c) {
    char* p = reserve(1);
    *p = c;
    ++size_;
  }
  void append_repeat(char c, std::size_t n) {
    char* p = reserve(n);
    std::memset(p, c, n);
    size_ += n;
  }

  // Decimal, no padding.
  void append_uint(std::uint64_t v) {
    char tmp[20];
    char* end = tmp + sizeof tmp;
    char* p = end;
    do {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    append(std::string_view(p, static_cast<std::size_t>(end - p)));
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
    char* p = reserve(width);
    for (unsigned i = width; i-- > 0;) {
      p[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    size_ += width;
  }
  // Lower-case hex of one byte, two digits.
  void append_hex8(std::uint8_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char* p = reserve(2);
    p[0] = kDigits[v >> 4];
    p[1] = kDigits[v & 15];
    size_ += 2;
  }
  // Lower-case hex, no leading zeros ("0" for zero): IPv6 groups, "0x%x" fields.
  void append_hex(std::uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char tmp[16];
    char* end = tmp + sizeof tmp;
    char* p = end;
    do {
      *--p = kDigits[v & 15];
      v >>= 4;
    } while (v != 0);
    append(std::string_view(p, static_cast<std::size_t>(end - p)));
  }
  // Lower-case hex zero-padded to `width` digits ("0x%04x").
  void append_hex_padded(std::uint64_t v, unsigned width) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char* p = reserve(width);
    for (unsigned i = width; i-- > 0;) {
      p[i] = kDigits[v & 15];
      v >>= 4;
    }
    size_ += width;
  }

 private:
  void grow(std::size_t n) {
    std::size_t capacity = capacity_ * 2;
    while (capacity - size_ < n) capacity *= 2;
    auto bigger = std::make_unique<char[]>(capacity);
    std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace slimcap
