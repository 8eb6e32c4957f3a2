// sendpcap IF FILE: sends every frame of a pcap file on interface IF through an AF_PACKET
// socket, in order, as fast as the socket takes them. The live tests' traffic generator:
// bounded by the file, and used only on veth interfaces in namespaces the tests create.

#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "slimcap/error.hpp"
#include "slimcap/pcap_reader.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: sendpcap IF FILE\n");
    return 2;
  }
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_ifindex = static_cast<int>(::if_nametoindex(argv[1]));
  if (fd < 0 || address.sll_ifindex == 0 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::fprintf(stderr, "sendpcap: %s: %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  try {
    slimcap::PcapReader reader(argv[2]);
    slimcap::PacketView p;
    unsigned long sent = 0;
    while (reader.next(p)) {
      for (;;) {
        if (::send(fd, p.data.data(), p.data.size(), 0) >= 0) break;
        if (errno == ENOBUFS || errno == EAGAIN) {
          ::usleep(100);  // the device queue is full: wait, never drop a test frame
          continue;
        }
        std::fprintf(stderr, "sendpcap: frame %lu: %s\n", sent + 1, std::strerror(errno));
        return 1;
      }
      ++sent;
    }
  } catch (const slimcap::Error& e) {
    std::fprintf(stderr, "sendpcap: %s\n", e.what());
    return 1;
  }
  return 0;
}
