#include <fmt/format.h>

#include "commands.hpp"

namespace slimcap::cli {

int run_not_implemented(const CLI::App& subcommand) {
  fmt::print(stderr, "slimcap: {}: not implemented yet\n", subcommand.get_name());
  return kExitUsage;
}

}  // namespace slimcap::cli
