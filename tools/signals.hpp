#pragma once
// SIGINT, SIGTERM and SIGHUP (unless ignored, as under nohup) ask the running command to stop: it finishes the packet at hand, flushes
// its output (so a -w file stays valid) and exits normally. SIGPIPE is ignored so that a closed
// pipe shows up as EPIPE where we can end quietly.

#include <pthread.h>
#include <signal.h>

#include <atomic>

namespace slimcap::cli {

void install_signal_handlers();

inline std::atomic<bool> g_stop_requested{false};

inline bool stop_requested() noexcept { return g_stop_requested.load(std::memory_order_relaxed); }

// SIGUSR1 asks for the counters so far without stopping (tcpdump's SIGINFO/SIGUSR1), in the
// subcommands that install this handler (live, stats); elsewhere it keeps its default.
inline std::atomic<bool> g_report_requested{false};
void install_report_handler();

// SIGINT, SIGTERM, SIGHUP and SIGUSR1 blocked for a run with threads (stats --capture,
// fanout): the capture threads (created inside) never take them, and the main thread takes
// them only while it sleeps (MonotonicClock with the mask from before), so none is noticed
// late.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGUSR1}) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, &before_);
  }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }
  const sigset_t& before() const noexcept { return before_; }

 private:
  sigset_t before_;
};

}  // namespace slimcap::cli
