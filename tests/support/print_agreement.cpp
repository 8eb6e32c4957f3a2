// Agreement of the printer with tcpdump: see print_agreement.hpp.

#include "print_agreement.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "slimcap/pcap_reader.hpp"

namespace slimcap::test {

namespace {
std::uint64_t g_lines = 0;
}  // namespace

std::string print_one(const Bytes& frame, PrintOptions options, std::uint32_t link_type,
                      std::uint32_t wire) {
  options.utc = true;
  Printer printer(options);
  OutputBuffer out;
  PacketView p;
  p.data = frame;
  p.timestamp_ns = kPrintEpoch;
  p.wire_length = wire ? wire : static_cast<std::uint32_t>(frame.size());
  p.link_type = link_type;
  printer.print(p, out);
  return std::string(out.view());
}

PrintOptions no_time() {
  PrintOptions o;
  o.timestamp_style = TimestampStyle::none;
  return o;
}

Bytes cut(const Bytes& frame, std::size_t n) {
  return Bytes(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
}

std::vector<FlagCase> flag_cases() {
  std::vector<FlagCase> cases;
  const auto add = [&](std::string flags, auto change) {
    PrintOptions o;
    change(o);
    cases.push_back({std::move(flags), o});
  };
  add("", [](PrintOptions&) {});
  add("-e", [](PrintOptions& o) { o.link_header = true; });
  add("-q", [](PrintOptions& o) { o.quiet = true; });
  add("-v", [](PrintOptions& o) { o.verbose = 1; });
  add("-vv", [](PrintOptions& o) { o.verbose = 2; });
  add("-x", [](PrintOptions& o) { o.dump = DumpStyle::hex; });
  add("-xx", [](PrintOptions& o) {
    o.dump = DumpStyle::hex;
    o.dump_link_header = true;
  });
  add("-X", [](PrintOptions& o) { o.dump = DumpStyle::hex_ascii; });
  add("-XX", [](PrintOptions& o) {
    o.dump = DumpStyle::hex_ascii;
    o.dump_link_header = true;
  });
  add("-A", [](PrintOptions& o) { o.dump = DumpStyle::ascii; });
  add("-e -v -X", [](PrintOptions& o) {
    o.link_header = true;
    o.verbose = 1;
    o.dump = DumpStyle::hex_ascii;
  });
  add("-t", [](PrintOptions& o) { o.timestamp_style = TimestampStyle::none; });
  add("-tt", [](PrintOptions& o) { o.timestamp_style = TimestampStyle::epoch; });
  add("-ttt", [](PrintOptions& o) { o.timestamp_style = TimestampStyle::delta_previous; });
  add("-tttt", [](PrintOptions& o) { o.timestamp_style = TimestampStyle::date_time; });
  add("-ttttt", [](PrintOptions& o) { o.timestamp_style = TimestampStyle::delta_first; });
  add("-#", [](PrintOptions& o) { o.number = true; });
  add("-v -K", [](PrintOptions& o) {
    o.verbose = 1;
    o.verify_checksums = false;
  });
  add("-q -e", [](PrintOptions& o) {
    o.quiet = true;
    o.link_header = true;
  });
  return cases;
}

// Checks the printer against `TZ=UTC tcpdump -n -S -r FILE flags` (without -S if `relative`)
// line by line; reports the first line that differs.
void check_against_tcpdump(const std::string& path, const FlagCase& flag, bool relative) {
  const std::string theirs = run_command("TZ=UTC tcpdump -n " + std::string(relative ? "" : "-S ") +
                                         "-r " + path + " " + flag.flags + " 2>/dev/null");
  PrintOptions o = flag.options;
  o.utc = true;
  o.absolute_sequence = !relative;
  Printer printer(o);
  OutputBuffer out;
  PcapReader reader(path);
  PacketView p;
  while (reader.next(p)) printer.print(p, out);
  const std::string ours(out.view());
  std::size_t line = 0, a = 0, b = 0;
  while (a < theirs.size() || b < ours.size()) {
    const std::size_t ea = std::min(theirs.find('\n', a), theirs.size());
    const std::size_t eb = std::min(ours.find('\n', b), ours.size());
    const std::string mine = ours.substr(b, eb - b);
    const std::string tcpdump = theirs.substr(a, ea - a);
    if (mine != tcpdump) {
      CAPTURE(flag.flags);
      CAPTURE(line);
      CHECK(mine == tcpdump);
      g_lines += line;
      return;
    }
    a = ea + 1;
    b = eb + 1;
    ++line;
  }
  CHECK(line > 0);
  g_lines += line;
}

// The frames of `set` as one file of whole frames and one of every cut from `shortest_cut`
// bytes on (wire length kept), each checked against tcpdump under every flag case (the cut
// file under those that do not start with -t); returns the whole records.
std::vector<Record> agree_whole_and_cut(const FrameSet& set, const std::vector<FlagCase>& cases,
                                        std::size_t shortest_cut) {
  std::vector<Record> whole, cuts;
  std::int64_t ts = kPrintEpoch;
  for (const Bytes& f : set.frames) {
    whole.push_back({f, ts += 1234567891, 0});
    for (std::size_t n = shortest_cut; n < f.size(); ++n)
      cuts.push_back({cut(f, n), ts += 1234567, static_cast<std::uint32_t>(f.size())});
  }
  PcapSpec spec;
  spec.link_type = set.link_type;
  TempPath whole_file, cut_file;
  write_file(whole_file.path, pcap_file(spec, whole));
  write_file(cut_file.path, pcap_file(spec, cuts));
  for (const FlagCase& flag : cases) {
    check_against_tcpdump(whole_file.path, flag);
    if (flag.flags.rfind("-t", 0) != 0) check_against_tcpdump(cut_file.path, flag);
  }
  return whole;
}

std::vector<FlagCase> dissector_flag_cases() {
  std::vector<FlagCase> cases;
  for (FlagCase& c : flag_cases())
    if (c.flags == "" || c.flags == "-v" || c.flags == "-vv" || c.flags == "-q" || c.flags == "-e")
      cases.push_back(std::move(c));
  return cases;
}

std::uint64_t agreement_lines() { return g_lines; }

}  // namespace slimcap::test
