#include "cli/signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace kompo::cli {

namespace {
sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);  // our own "stop watching"
    return set;
}
}  // namespace

SignalWatcher::SignalWatcher() {
    sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this, set] {
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0 || sig == SIGUSR1) return;
            std::lock_guard lock(mutex_);
            cancelled_ = true;
            ++count_;
            arrived_.notify_all();
        }
    });
}

SignalWatcher::~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
}

int SignalWatcher::wait(int seen, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, timeout, [&] { return count_ > seen; });
    return count_;
}

}  // namespace kompo::cli
