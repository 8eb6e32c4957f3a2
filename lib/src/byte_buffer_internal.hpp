#pragma once
// A growable byte buffer that is NOT zero-filled, for the reader's and writer's large working
// buffers: std::vector::resize() writes zeros over every new byte, which for megabyte buffers
// costs page faults and time at start-up (measured: 74% of `slimcap read -c 1`'s page faults
// were in that memset).

#include <cstdint>
#include <cstring>
#include <memory>

namespace slimcap::detail {

class ByteBuffer {
 public:
  std::uint8_t* data() noexcept { return data_.get(); }
  const std::uint8_t* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }

  // Grows or shrinks to `n` bytes, keeping the first min(n, size()) bytes; new bytes are
  // uninitialised.
  void resize(std::size_t n) {
    if (n == size_) return;
    auto bigger = std::make_unique_for_overwrite<std::uint8_t[]>(n);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), n < size_ ? n : size_);
    data_ = std::move(bigger);
    size_ = n;
  }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0;
};

}  // namespace slimcap::detail
