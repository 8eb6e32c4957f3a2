#pragma once
// One entry point per subcommand, each in its own cmd_<name>.cpp. They return the exit status
// and may throw slimcap::Error; main() prints and maps it.

#include <string>
#include <vector>

#include "cli.hpp"

namespace slimcap::cli {

int run_read(const ReadFlags& flags);
int run_live(const LiveFlags& flags);
// stats: interfaces (cmd_stats.cpp) or, given capture files, their summaries
// (cmd_stats_files.cpp).
int run_stats(const StatsFlags& flags);
int run_stats_files(const StatsFlags& flags);
// fanout until its issue lands.
int run_fanout(const FanoutFlags& flags);
// fanout --self-test (fanout_self_test.cpp): checks the chosen mode on this kernel in a
// network namespace of its own.
int run_fanout_self_test(const FanoutFlags& flags);

// fanout's helpers, exposed for the unit tests: --cpus LIST ("0-3,8"), and -w's name for one
// worker (%n: its number).
std::vector<int> parse_cpu_list(const std::string& text);
std::string worker_file_name(const std::string& pattern, std::size_t worker);
bool names_worker(const std::string& pattern);

}  // namespace slimcap::cli
