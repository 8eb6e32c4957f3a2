#pragma once
// PacketView: the one currency between every source (file reader, ring, socket) and every sink
// (printer, writer, counters). It borrows the bytes; the source keeps them valid until it is
// asked for the next packet.

#include <cstdint>
#include <span>

namespace slimcap {

// sll_pkttype values, as the kernel hands them over; `unknown` for packets read from files.
enum class Direction : std::uint8_t {
  host = 0,
  broadcast = 1,
  multicast = 2,
  other_host = 3,
  outgoing = 4,
  unknown = 255,
};

struct PacketView {
  std::span<const std::uint8_t> data;  // the captured bytes; data.size() is the caplen
  std::int64_t timestamp_ns = 0;       // nanoseconds since the Unix epoch
  // Length on the wire. Live it is >= data.size(); a file may say less (or 0), and the
  // reader passes that on as read, like libpcap: sinks must not assume wire >= caplen.
  std::uint32_t wire_length = 0;
  std::uint32_t link_type = 0;         // LINKTYPE_* value, as written in capture files
  std::uint32_t interface_index = 0;   // pcapng interface id, or the kernel ifindex live
  Direction direction = Direction::unknown;
  // The time as the file stores it, where timestamp_ns cannot say it all (record_unit):
  //  1, 2: a pcap record's fields, the fraction in µs (1) or ns (2). libpcap does not
  //        normalise them (a microsecond field may hold 1,000,000 or more); a pcap writer of
  //        the same unit copies them exactly, and the printer prints them as tcpdump does.
  //  3:    a pcapng time that 64-bit nanoseconds cannot hold (before 1677, after 2262):
  //        timestamp_ns is kUnrepresentableTime, record_seconds the whole seconds (libpcap's
  //        time_t), record_fraction the nanoseconds.
  //  0:    none of these (live packets, other pcapng times).
  std::uint8_t record_unit = 0;
  std::int64_t record_seconds = 0;
  std::uint32_t record_fraction = 0;

  std::uint32_t caplen() const noexcept { return static_cast<std::uint32_t>(data.size()); }
};

}  // namespace slimcap
