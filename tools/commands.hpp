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


}  // namespace slimcap::cli
