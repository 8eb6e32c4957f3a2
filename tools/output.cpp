#include "output.hpp"

#include <cerrno>
#include <unistd.h>

#include "slimcap/error.hpp"

namespace slimcap::cli {

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw OutputClosed{};
      throw SystemError(fd == STDOUT_FILENO ? "standard output" : "output", errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void TextOutput::flush() {
  if (buffer_.empty()) return;
  // Clear first: if the write throws, the text is dropped rather than written twice.
  const std::size_t size = buffer_.size();
  buffer_.clear();
  write_all(fd_, buffer_.data(), size);
}

TextOutput::~TextOutput() {
  try {
    flush();
  } catch (...) {
  }
}

}  // namespace slimcap::cli
