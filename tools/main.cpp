// slimcap: parse the command line, run one subcommand, and turn its outcome into one line on
// stderr and an exit status. This is the only place that catches.

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "output.hpp"
#include "signals.hpp"
#include "slimcap/error.hpp"

namespace slimcap::cli {
namespace {

extern "C" void on_stop_signal(int) { g_stop_requested.store(true, std::memory_order_relaxed); }

extern "C" void on_report_signal(int) {
  g_report_requested.store(true, std::memory_order_relaxed);
}

int fail(int status, const char* message) {
  std::fflush(stdout);
  std::fprintf(stderr, "slimcap: %s\n", message);
  return status;
}

}  // namespace

void install_report_handler() {
  struct sigaction action {};
  action.sa_handler = on_report_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGUSR1, &action, nullptr);
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // No SA_RESTART: a read() blocked on a pipe returns EINTR, so the stop is seen promptly.
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // SIGHUP (the terminal went away) too, unless it is ignored (nohup), as tcpdump does.
  struct sigaction hup {};
  if (sigaction(SIGHUP, nullptr, &hup) == 0 && hup.sa_handler != SIG_IGN)
    sigaction(SIGHUP, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace slimcap::cli

int main(int argc, char** argv) {
  using namespace slimcap::cli;
  std::unique_ptr<Command> cmd = make_command();
  CLI::App& app = *cmd->app;
  try {
    parse_command_line(*cmd, std::vector<std::string>(argv, argv + argc));
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const UsageError& e) {
    return fail(kExitUsage, e.what());
  }

  install_signal_handlers();
  try {
    if (cmd->read_app->parsed()) return run_read(cmd->read);
    if (cmd->live_app->parsed()) return run_live(cmd->live);
    if (cmd->stats_app->parsed()) return run_stats(cmd->stats);
    if (cmd->fanout_app->parsed()) return run_fanout(cmd->fanout);
    return fail(kExitUsage, "no subcommand given");
  } catch (const OutputClosed&) {
    return kExitOk;  // the reader of our output went away (`| head`): not an error
  } catch (const UsageError& e) {
    return fail(kExitUsage, e.what());
  } catch (const slimcap::FilterError& e) {
    return fail(kExitUsage, e.what());
  } catch (const slimcap::SystemError& e) {
    if (e.error_number() == EPIPE) return kExitOk;  // -w - into a pipe that closed
    return fail(kExitFailure, e.what());
  } catch (const slimcap::Error& e) {
    return fail(kExitFailure, e.what());
  } catch (const std::bad_alloc&) {
    return fail(kExitFailure, "out of memory");
  }
}
