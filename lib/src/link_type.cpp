#include "slimcap/link_type.hpp"

#include <pcap/pcap.h>

namespace slimcap {

int dlt_from_link_type(std::uint32_t link_type) noexcept {
  // libpcap's linktype_to_dlt(): the LINKTYPE values of the DLT types whose numbers differ
  // between platforms (pcap/dlt.h); every other value is the same in files and in libpcap.
  switch (link_type) {
    case 100: return DLT_ATM_RFC1483;
    case link_type::kRaw: return DLT_RAW;
    case 102: return DLT_SLIP_BSDOS;
    case 103: return DLT_PPP_BSDOS;
    case 106: return DLT_ATM_CLIP;
    default: return static_cast<int>(link_type);
  }
}

std::string_view link_type_name(std::uint32_t link_type) noexcept {
  const char* name = pcap_datalink_val_to_name(dlt_from_link_type(link_type));
  return name != nullptr ? std::string_view(name) : std::string_view();
}

std::string_view link_type_description(std::uint32_t link_type) noexcept {
  const char* description = pcap_datalink_val_to_description(dlt_from_link_type(link_type));
  return description != nullptr ? std::string_view(description) : std::string_view();
}

std::uint32_t max_snaplen_for(std::uint32_t link_type) noexcept {
  // libpcap's max_snaplen_for_dlt(): D-Bus and USB/Linux mmapped allow more, everything else
  // 262144.
  switch (link_type) {
    case 231:  // DBUS
      return 128 * 1024 * 1024;
    case 220:  // USB_LINUX_MMAPPED
      return 1024 * 1024;
    default:
      return kMaxSnaplen;
  }
}

}  // namespace slimcap
