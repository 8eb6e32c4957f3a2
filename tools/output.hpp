#pragma once
// Where formatted text goes: standard output, written in large batches with write(2).

#include <cstddef>

#include "slimcap/output_buffer.hpp"

namespace slimcap::cli {

// Thrown when the reader of our standard output went away (EPIPE): `slimcap read f | head`
// is a normal way to end a run, so main() ends quietly with status 0.
struct OutputClosed {};

class TextOutput {
 public:
  // Text is written out when more than `batch` bytes are pending, or after every packet
  // when line_buffered (-l).
  TextOutput(int fd, bool line_buffered, std::size_t batch = 256 * 1024)
      : fd_(fd), line_buffered_(line_buffered), batch_(batch) {}
  ~TextOutput();  // writes what is left; errors are ignored there (call flush() to see them)

  OutputBuffer& buffer() noexcept { return buffer_; }
  // Call after each packet: writes out when the batch is full or -l asked for it.
  void packet_done() {
    if (line_buffered_ || buffer_.size() >= batch_) flush();
  }
  // Writes everything pending. Throws OutputClosed on EPIPE, SystemError otherwise.
  void flush();

 private:
  int fd_;
  bool line_buffered_;
  std::size_t batch_;
  OutputBuffer buffer_{512 * 1024};
};

// Writes all of [data, data+size) to fd, retrying short writes and EINTR.
// Throws OutputClosed on EPIPE, SystemError("standard output", errno) otherwise.
void write_all(int fd, const char* data, std::size_t size);

}  // namespace slimcap::cli
