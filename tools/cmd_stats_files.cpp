// `slimcap stats FILE... [EXPRESSION]`: one-pass summaries of capture files (capinfos'
// fields, protocol mix, top talkers, --series rows and --svg), through lib/'s file_summary.

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command_support.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "signals.hpp"
#include "slimcap/error.hpp"
#include "slimcap/file_summary.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/interval.hpp"

namespace slimcap::cli {
namespace {

// Flags of live rows that mean nothing for a file: refused rather than silently ignored.
void refuse_live_flags(const StatsFlags& flags) {
  const char* flag = flags.rows >= 0                   ? "-c"
                     : flags.duration != 0             ? "--duration"
                     : flags.interval != 1             ? "-I"
                     : !flags.prom_file.empty()        ? "--prom"
                                                       : nullptr;
  if (flag)
    throw UsageError(fmt::format("{}: applies to live rows, not to capture files "
                                 "(--series SECONDS gives per-interval rows of a file)",
                                 flag));
  if (!(flags.ring == stats_ring_defaults()))
    throw UsageError("-s, -p, -Q, -B, --block-size, --block-timeout and --mode set up --capture "
                     "on interfaces, not the reading of capture files");
}

void emit(const std::string& text) { write_all(STDOUT_FILENO, text.data(), text.size()); }

}  // namespace

int run_stats_files(const StatsFlags& flags) {
  refuse_live_flags(flags);
  std::vector<std::string> files;
  const std::size_t first_word = take_file_arguments(flags.positionals, true, files);
  const std::string expression =
      filter_expression(flags.positionals, first_word, flags.filter_file);
  int stdin_uses = 0;
  for (const auto& f : files) stdin_uses += f == "-";
  if (stdin_uses > 1) throw UsageError("stats: standard input ('-') can be read only once");
  if (!flags.svg_file.empty() && files.size() > 1)
    throw UsageError("--svg: draws one capture file; give one file");

  Filter any_packet("");
  Filter filter(expression);
  SummaryOptions options;
  options.filter = filter.matches_everything() ? nullptr : &filter;
  options.series_ns = static_cast<std::int64_t>(std::llround(flags.series * 1e9));
  if (flags.series > 0 && options.series_ns < 1)
    throw UsageError(fmt::format("--series: interval '{}' is below a nanosecond", flags.series));
  options.stop = &g_stop_requested;
  options.talker_capacity = flags.top > 0 ? 4096 : 0;
  // A link type libpcap cannot compile for, or inbound/outbound on a file: refused as `read`
  // refuses them, before any packet.
  if (options.filter)
    options.on_open = [&](const PcapReader& reader) {
      check_link_type(any_packet, filter, reader.path(), reader.link_type());
    };

  const bool series = options.series_ns > 0;
  // CSV has one shape per output: the file rows, or with --series the interval rows.
  if (flags.csv && !flags.no_header) emit(series ? series_csv_header() : summary_csv_header());

  int status = kExitOk;
  bool first = true;
  for (const std::string& path : files) {
    if (stop_requested()) break;
    FileSummary summary;
    try {
      summary = summarize_file(path, options);
    } catch (const FilterError&) {
      throw_if_missing_file(expression);
      throw;
    } catch (const Error& e) {
      // As capinfos: the next file is still summarised; the exit status says one failed.
      fmt::print(stderr, "slimcap: {}\n", e.what());
      status = kExitFailure;
      continue;
    }
    if (flags.json) {
      emit(summary_json(summary, flags.top));
      if (series) emit(series_json(summary));
    } else if (flags.csv) {
      emit(series ? series_csv(summary) : summary_csv_row(summary));
    } else {
      std::string text = first ? std::string() : std::string("\n");
      text += summary_text(summary, flags.top);
      if (series) text += '\n' + series_text(summary);
      emit(text);
    }
    first = false;
    if (!flags.svg_file.empty()) replace_file(flags.svg_file, series_svg(summary));
    if (!summary.error.empty()) {
      fmt::print(stderr, "slimcap: {}\n", summary.error);
      status = kExitFailure;
    }
  }
  return status;
}

}  // namespace slimcap::cli
