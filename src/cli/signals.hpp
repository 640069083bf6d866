#pragma once
#include <atomic>
#include <thread>

namespace kompo::cli {

// Turns SIGINT/SIGTERM into a cancellation flag, on a thread of its own (sigwait), so no
// signal handler touches program state. Construct it before starting any other thread:
// the signals are blocked in every thread created afterwards.
class SignalWatcher {
  public:
    SignalWatcher();
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    const std::atomic<bool>& cancelled() const { return cancelled_; }

  private:
    std::atomic<bool> cancelled_{false};
    std::thread thread_;
};

}  // namespace kompo::cli
