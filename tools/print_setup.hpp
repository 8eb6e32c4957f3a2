#pragma once
// The printing flags of the command line as the library's PrintOptions.

#include <algorithm>

#include "cli.hpp"
#include "slimcap/print.hpp"

namespace slimcap::cli {

inline PrintOptions print_options(const PrintFlags& f) {
  PrintOptions o;
  o.timestamp_style = timestamp_style_from_count(std::min(f.timestamp, 5));
  o.nano = f.nano;
  o.link_header = f.link_header > 0;
  o.quiet = f.quiet;
  o.verbose = f.verbose;
  o.verify_checksums = !f.no_checksums;
  o.number = f.number;
  o.absolute_sequence = f.absolute_seq;
  if (f.hex_ascii > 0) {
    o.dump = DumpStyle::hex_ascii;
    o.dump_link_header = f.hex_ascii > 1;
  } else if (f.hex > 0) {
    o.dump = DumpStyle::hex;
    o.dump_link_header = f.hex > 1;
  } else if (f.ascii) {
    o.dump = DumpStyle::ascii;
  }
  return o;
}

}  // namespace slimcap::cli
