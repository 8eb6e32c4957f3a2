// `slimcap stats`: per-interval interface counters and drop ledger (and, with --capture, the
// capture socket's view); with capture files as arguments, their summaries (cmd_stats_files.cpp).

#include <unistd.h>

#include <fmt/format.h>

#include "commands.hpp"

namespace slimcap::cli {
namespace {

bool path_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// Files when the first argument names one ("-": stdin) and no interface or capture is asked
// for; otherwise the arguments are the capture's filter expression.
bool summarises_files(const StatsFlags& flags) {
  if (!flags.interfaces.empty() || !flags.capture.empty() || flags.positionals.empty())
    return false;
  const std::string& first = flags.positionals.front();
  return first == "-" || path_exists(first);
}

int run_stats_live(const StatsFlags&) {
  fmt::print(stderr, "slimcap: stats: live rows are not implemented yet\n");
  return kExitUsage;
}

}  // namespace

int run_stats(const StatsFlags& flags) {
  if (summarises_files(flags)) return run_stats_files(flags);
  return run_stats_live(flags);
}

}  // namespace slimcap::cli
