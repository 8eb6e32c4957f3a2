// LD_PRELOAD shim for tests: setsockopt(PACKET_RX_RING) fails with ENOMEM when the ring asked
// for is larger than SLIMCAP_TEST_RING_LIMIT bytes, as a kernel short of memory refuses it.
// Everything else goes to the C library. Lets the live tests drive the ring's retry path.

#include <dlfcn.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>

extern "C" int setsockopt(int fd, int level, int name, const void* value, socklen_t size) {
  using Setsockopt = int (*)(int, int, int, const void*, socklen_t);
  static const auto next = reinterpret_cast<Setsockopt>(::dlsym(RTLD_NEXT, "setsockopt"));
  if (level == SOL_PACKET && name == PACKET_RX_RING && size >= sizeof(tpacket_req)) {
    const auto* req = static_cast<const tpacket_req*>(value);
    const char* limit = std::getenv("SLIMCAP_TEST_RING_LIMIT");
    const unsigned long long bytes =
        static_cast<unsigned long long>(req->tp_block_size) * req->tp_block_nr;
    if (limit != nullptr && bytes > std::strtoull(limit, nullptr, 10)) {
      errno = ENOMEM;
      return -1;
    }
  }
  return next(fd, level, name, value, size);
}
