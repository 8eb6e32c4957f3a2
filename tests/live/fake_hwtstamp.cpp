// LD_PRELOAD shim for tests: makes the interface named by SLIMCAP_TEST_HWTSTAMP_IF look like a
// NIC with a hardware clock, as far as the ioctls go: ETHTOOL_GET_TS_INFO reports software and
// raw hardware time stamps, and SIOCSHWTSTAMP succeeds (a veth would refuse it). The kernel
// then stamps packets in software (af_packet falls back when a packet carries no hardware
// time), so the live tests can drive -J and -j adapter_unsynced end to end on a veth pair.
// Everything else goes to the C library.

#include <dlfcn.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>

#include <cstdarg>
#include <cstdlib>
#include <cstring>

extern "C" int ioctl(int fd, unsigned long request, ...) {
  using Ioctl = int (*)(int, unsigned long, ...);
  static const auto next = reinterpret_cast<Ioctl>(::dlsym(RTLD_NEXT, "ioctl"));
  va_list args;
  va_start(args, request);
  void* argument = va_arg(args, void*);
  va_end(args);
  const char* fake = std::getenv("SLIMCAP_TEST_HWTSTAMP_IF");
  auto* r = static_cast<ifreq*>(argument);
  if (fake != nullptr && (request == SIOCETHTOOL || request == SIOCSHWTSTAMP) &&
      std::strncmp(r->ifr_name, fake, IFNAMSIZ) == 0) {
    if (request == SIOCSHWTSTAMP) return 0;
    auto* info = reinterpret_cast<ethtool_ts_info*>(r->ifr_data);
    if (info->cmd == ETHTOOL_GET_TS_INFO) {
      info->so_timestamping = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
                              SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
                              SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_TX_HARDWARE;
      info->phc_index = 0;
      info->rx_filters = (1u << HWTSTAMP_FILTER_NONE) | (1u << HWTSTAMP_FILTER_ALL);
      return 0;
    }
  }
  return next(fd, request, argument);
}
