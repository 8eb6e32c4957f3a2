#pragma once
// LINKTYPE_* values (the numbers written in pcap and pcapng files) and their names.
// libpcap's DLT_* values are the same for every type here except RAW (101 in files, 12 for
// pcap_open_dead on Linux) and the other platform-dependent ones (100 to 103, 106);
// dlt_from_link_type() does that mapping in one place.

#include <cstdint>
#include <string_view>

namespace slimcap {

namespace link_type {
inline constexpr std::uint32_t kNull = 0;
inline constexpr std::uint32_t kEthernet = 1;
inline constexpr std::uint32_t kPpp = 9;
inline constexpr std::uint32_t kPppSerial = 50;  // PPP in HDLC-like framing (RFC 1662)
inline constexpr std::uint32_t kRaw = 101;
inline constexpr std::uint32_t kCiscoHdlc = 104;
inline constexpr std::uint32_t kLoop = 108;
inline constexpr std::uint32_t kLinuxSll = 113;
inline constexpr std::uint32_t kNflog = 239;  // Linux NFLOG (tcpdump -i nflog:N)
inline constexpr std::uint32_t kIpv4 = 228;
inline constexpr std::uint32_t kIpoib = 242;  // IP over InfiniBand
inline constexpr std::uint32_t kIpv6 = 229;
inline constexpr std::uint32_t kLinuxSll2 = 276;
}  // namespace link_type

// libpcap's upper bound on a record's caplen for most link types (MAXIMUM_SNAPLEN).
inline constexpr std::uint32_t kMaxSnaplen = 262144;

// The DLT_* value libpcap expects for a LINKTYPE_* value.
int dlt_from_link_type(std::uint32_t link_type) noexcept;

// tcpdump's short name ("EN10MB") and description ("Ethernet"); for an unknown type the
// name is "LINKTYPE_<n>" style text built by the caller from the number, so these return
// an empty view then.
std::string_view link_type_name(std::uint32_t link_type) noexcept;
std::string_view link_type_description(std::uint32_t link_type) noexcept;

// The largest caplen libpcap accepts in a record of this link type.
std::uint32_t max_snaplen_for(std::uint32_t link_type) noexcept;

}  // namespace slimcap
