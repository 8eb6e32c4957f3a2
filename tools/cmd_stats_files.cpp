// `slimcap stats FILE...`: one-pass summaries of capture files (capinfos' fields, protocol mix,
// top talkers, --series rows and --svg).

#include <fmt/format.h>

#include "commands.hpp"

namespace slimcap::cli {

int run_stats_files(const StatsFlags&) {
  fmt::print(stderr, "slimcap: stats: file summaries are not implemented yet\n");
  return kExitUsage;
}

}  // namespace slimcap::cli
