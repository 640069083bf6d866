#pragma once
// Waiting on the hints of one kind of change (change_signal.hpp), for a loop that reads
// the store, then waits: a hint that arrives while it reads is kept, so the next wait
// returns at once instead of missing it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "core/change_signal.hpp"

namespace kompo {

class ChangeWaiter {
  public:
    ChangeWaiter(ChangeSignal& signal, Change what)
        : watch_(signal.watch(what, [this] {
              std::lock_guard lock(mutex_);
              hinted_ = true;
              hint_.notify_all();
          })) {}
    ~ChangeWaiter() { watch_.reset(); }  // no wake runs once this has returned
    ChangeWaiter(const ChangeWaiter&) = delete;
    ChangeWaiter& operator=(const ChangeWaiter&) = delete;

    // True when a hint came since the last wait (or the start), or comes within `timeout`;
    // false when the timeout passed without one.
    bool wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        const bool hinted = hint_.wait_for(lock, timeout, [this] { return hinted_; });
        hinted_ = false;
        return hinted;
    }

  private:
    std::mutex mutex_;
    std::condition_variable hint_;
    bool hinted_ = false;
    std::unique_ptr<ChangeSignal::Watch> watch_;  // last: ends before what it wakes
};

}  // namespace kompo
