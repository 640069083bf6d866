#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
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
    // Signals received so far (a second one asks to stop harder).
    int count() const { return count_; }
    // Waits until more than `seen` signals have arrived or `timeout` passes; returns count().
    int wait(int seen, std::chrono::milliseconds timeout) const;

  private:
    std::atomic<bool> cancelled_{false};
    std::atomic<int> count_{0};
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::thread thread_;
};

}  // namespace kompo::cli
