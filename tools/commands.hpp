#pragma once
// One entry point per subcommand, each in its own cmd_<name>.cpp. They return the exit status
// and may throw slimcap::Error; main() prints and maps it.

#include "cli.hpp"

namespace slimcap::cli {

int run_read(const ReadFlags& flags);
int run_live(const LiveFlags& flags);
// stats and fanout until their issues land.
int run_not_implemented(const CLI::App& subcommand);

}  // namespace slimcap::cli
