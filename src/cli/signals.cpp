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
            cancelled_ = true;
        }
    });
}

SignalWatcher::~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
}

}  // namespace kompo::cli
