#pragma once
// Agreement of slimcap's printer with tcpdump -n -S, shared by the printer's tests (one test
// file per dissector family): a frame's line, the flag cases, and the whole-and-cut check
// that writes the frames to a capture, runs `TZ=UTC tcpdump -n -S -r FILE FLAGS` on it and
// compares line by line.

#include <cstdint>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/print.hpp"

namespace slimcap::test {

inline constexpr std::int64_t kPrintEpoch = 1700000000123456000;

// The line of one frame (link type 1: Ethernet), in UTC.
std::string print_one(const Bytes& frame, PrintOptions options = {}, std::uint32_t link_type = 1,
                      std::uint32_t wire = 0);
// Options without the timestamp (-t).
PrintOptions no_time();
// The first n bytes of frame.
Bytes cut(const Bytes& frame, std::size_t n);

struct FlagCase {
  std::string flags;  // tcpdump's
  PrintOptions options;
};
// Every printing flag: "", -e, -q, -v, -vv, -x ... (the full list the printer supports).
std::vector<FlagCase> flag_cases();
// The ones a dissector's text depends on: "", -v, -vv, -q, -e.
std::vector<FlagCase> dissector_flag_cases();

// Checks the printer against tcpdump on the capture at `path` under `flag`, line by line;
// reports the first line that differs through doctest's CHECK. Both print absolute TCP
// sequence numbers (-S), unless `relative`: then both print relative ones, each from one
// table of conversations for the whole file.
void check_against_tcpdump(const std::string& path, const FlagCase& flag, bool relative = false);

struct FrameSet {
  std::uint32_t link_type;
  std::vector<Bytes> frames;
};
// The frames of `set` as one file of whole frames and one of every cut from `shortest_cut`
// bytes on (wire length kept), each checked against tcpdump under every case (the cut file
// under those that do not start with -t); returns the whole records. Counts the lines
// compared in agreement_lines().
std::vector<Record> agree_whole_and_cut(const FrameSet& set, const std::vector<FlagCase>& cases,
                                        std::size_t shortest_cut);
// Lines compared with tcpdump so far in this process (for the closing totals).
std::uint64_t agreement_lines();

}  // namespace slimcap::test
