#include <cstdio>

#include "commands.hpp"

namespace slimcap::cli {

int run_not_implemented(const CLI::App& subcommand) {
  std::fprintf(stderr, "slimcap: %s: not implemented yet\n", subcommand.get_name().c_str());
  return kExitUsage;
}

}  // namespace slimcap::cli
