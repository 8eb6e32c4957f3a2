#pragma once
// The seed corpus of the capture-file fuzz targets, generated in code (nothing binary is
// committed): pcap in both byte orders and both resolutions, pcapng with several sections and
// interfaces of different link types, zstd copies, and the odd and damaged files of
// docs/design.md §4 (cut records, cut headers, caplens above the snaplen, zero caplens).

#include <string>
#include <vector>

#include "frame_builder.hpp"

namespace slimcap::fuzz {

struct Seed {
  std::string name;  // a file name, unique in the corpus
  test::Bytes data;
};

std::vector<Seed> make_seeds();

}  // namespace slimcap::fuzz
