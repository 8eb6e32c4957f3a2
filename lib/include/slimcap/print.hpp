#pragma once
// The text printer: one tcpdump-style line per packet (docs/design.md §5), the same code for
// `read` and `live`. It formats into an OutputBuffer; the caller decides when to write it out.

#include <cstdint>
#include <memory>

#include "slimcap/hexdump.hpp"
#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"
#include "slimcap/timestamp.hpp"

namespace slimcap {

struct PrintOptions {
  TimestampStyle timestamp_style = TimestampStyle::time_of_day;  // -t...
  bool nano = false;            // --nano: nine fractional digits
  bool utc = false;             // timestamps in UTC instead of local time
  bool link_header = false;     // -e
  bool quiet = false;           // -q
  int verbose = 0;              // -v, -vv
  bool verify_checksums = true; // false: -K, no checksum verdicts
  bool number = false;          // -#: packet number before the line
  DumpStyle dump = DumpStyle::none;  // -x, -X, -A
  bool dump_link_header = false;     // -xx, -XX: dump from the link header on
  // -S: TCP sequence and acknowledgement numbers as on the wire. Without it they are relative
  // to the first segment with ACK of each conversation, as tcpdump prints them (the table of
  // conversations is the Printer's: docs/printer.md).
  bool absolute_sequence = false;
};

class Printer {
 public:
  explicit Printer(const PrintOptions& options);
  ~Printer();
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  // Appends the packet's line, its dump if asked for, and a newline. Never throws for any
  // bytes (only std::bad_alloc): malformed packets print as far as they are valid, then
  // tcpdump's "[|proto]" marker.
  void print(const PacketView& packet, OutputBuffer& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slimcap
