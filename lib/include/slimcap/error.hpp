#pragma once
// Errors of the library. Setup and I/O failures throw; the per-packet path never does.
// Only tools/ catches, prints "slimcap: <what()>" and chooses the exit status.

#include <stdexcept>
#include <string>

namespace slimcap {

// A failure with a message that says what was being done, e.g.
// `x.pcap: truncated capture file (12 bytes into a record)`.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure of a system call: the message ends with strerror(errno) and the errno is kept,
// so callers can tell EPIPE or ENOSPC apart.
class SystemError : public Error {
 public:
  SystemError(const std::string& what, int error_number);
  int error_number() const noexcept { return error_number_; }

 private:
  int error_number_;
};

// A filter expression libpcap rejected; the CLI exits 2 for these (a usage error).
class FilterError : public Error {
 public:
  using Error::Error;
};

}  // namespace slimcap
