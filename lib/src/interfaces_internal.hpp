#pragma once
// A socket for interface ioctls (flags, hardware type, ethtool), shared by the interface
// listing (interfaces.cpp) and the capture setup (capture.cpp). Needs no privilege.

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "slimcap/error.hpp"

namespace slimcap::detail {

class IoctlSocket {
 public:
  IoctlSocket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw SystemError("cannot open a socket for interface queries", errno);
  }
  ~IoctlSocket() { ::close(fd_); }
  IoctlSocket(const IoctlSocket&) = delete;
  IoctlSocket& operator=(const IoctlSocket&) = delete;

  // ioctl(request) on `name` with ifr_data = data; errno is kept on failure.
  bool query(const std::string& name, unsigned long request, ifreq& r, void* data = nullptr) const {
    r = ifreq{};
    std::strncpy(r.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (data != nullptr) r.ifr_data = static_cast<char*>(data);
    return ::ioctl(fd_, request, &r) == 0;
  }

 private:
  int fd_;
};

}  // namespace slimcap::detail
