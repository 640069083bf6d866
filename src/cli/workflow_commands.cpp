#include "cli/workflow_commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "cli/exit_codes.hpp"
#include "cli/request_of.hpp"
#include "cli/status_view.hpp"
#include "cli/test_hooks.hpp"
#include "core/change_waiter.hpp"
#include "core/error.hpp"
#include "worker/worker.hpp"
#include "workflow/cache.hpp"

namespace kompo::cli {

namespace {

using std::chrono::milliseconds;

// How long `kompo status --watch` goes without a read when no change is announced: a hint
// can be lost (core/change_signal.hpp), and a store that sends none (SQLite) is followed by
// this poll alone.
constexpr milliseconds kStatusPoll{250};
// How soon Ctrl-C ends a watch that waits.
constexpr milliseconds kSignalCheck{100};

// Until the store announces new events (of any execution), `poll` passes or a signal
// arrives; false on a signal.
bool wait_for_change(ChangeWaiter& changes, milliseconds poll, const SignalWatcher& signals) {
    for (auto left = poll; left > milliseconds(0); left -= kSignalCheck) {
        if (signals.count() > 0) return false;
        if (changes.wait(std::min(left, kSignalCheck))) break;
    }
    return signals.count() == 0;
}

workflow::Snapshot snapshot_of(Platform& platform, const std::string& id) {
    auto snapshot = platform.engine.snapshot(id);
    if (!snapshot) throw Error::invalid("execution " + id + ": no such execution");
    return *snapshot;
}

// The exit code an ended execution stands for.
int exit_code_of(const workflow::Execution& execution) {
    if (execution.state == workflow::ExecutionState::succeeded) return kOk;
    if (execution.state == workflow::ExecutionState::cancelled) return kInterrupted;
    return exit_code_for(error_kind_from(execution.error_kind));
}

void redraw(const std::string& text, int& lines_drawn) {
    const bool tty = isatty(STDOUT_FILENO);
    if (tty && lines_drawn > 0) std::printf("\033[%dA\033[J", lines_drawn);
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
    lines_drawn = tty ? static_cast<int>(std::count(text.begin(), text.end(), '\n')) : 0;
}

}  // namespace

std::unique_ptr<Platform> open_platform(const SettingFlags& settings) {
    return platform::open_platform(load_settings(settings).config);
}

worker::WorkerOptions worker_options(const Platform& platform, const platform::Config& config) {
    worker::WorkerOptions options;
    options.settings = config.workers;
    options.cache_max_bytes = platform.cache_max_bytes;
    options.test_hooks = test_hooks();
    const auto& wake = config.workers.wake;
    if (wake != "notify" && wake != "poll") {
        throw Error::invalid("workers.wake: \"" + wake + "\" is not notify or poll");
    }
    if (wake == "notify") options.changes = &platform.changes;
    return options;
}

int run_submit(const SettingFlags& settings, const SubmitFlags& flags) {
    const auto request =
        request_from_flags(flags.komposition, flags.output, flags.media_root, flags.range);
    auto platform = open_platform(settings);
    std::printf("%s\n", platform->engine.submit(request, flags.idempotency_key).c_str());
    return kOk;
}

int run_status(const SettingFlags& settings, const StatusFlags& flags,
               const SignalWatcher& signals) {
    auto platform = open_platform(settings);
    // Before the first read: what is announced while it reads wakes the first wait.
    std::optional<ChangeWaiter> changes;
    if (flags.watch) changes.emplace(platform->changes, Change::events);
    const auto poll = status_poll(kStatusPoll);
    int lines_drawn = 0;
    std::string last_text;
    for (;;) {
        const auto snapshot = snapshot_of(*platform, flags.id);
        const bool ended = workflow::is_terminal(snapshot.execution.state);
        if (flags.json) {
            if (ended || !flags.watch) {
                auto doc = snapshot_json(snapshot);
                doc["cost"] = platform::cost_json(snapshot, platform->prices);
                if (flags.events) doc["events"] = events_json(platform->engine.events(flags.id, 0));
                std::printf("%s\n", doc.dump(2).c_str());
            }
        } else if (const auto text = status_text(snapshot, platform->prices); text != last_text) {
            redraw(text, lines_drawn);
            last_text = text;
        }
        if (!flags.watch) return kOk;
        if (ended) return exit_code_of(snapshot.execution);
        if (!wait_for_change(*changes, poll, signals)) return kInterrupted;
    }
}

int run_cancel(const SettingFlags& settings, const std::string& id) {
    auto platform = open_platform(settings);
    const bool cancelled = platform->engine.cancel(id);
    const auto snapshot = snapshot_of(*platform, id);
    std::printf(
        "%s: %s\n", id.c_str(),
        cancelled
            ? "cancelled"
            : (std::string("already ") + workflow::state_name(snapshot.execution.state)).c_str());
    return kOk;
}

int run_worker(const SettingFlags& settings, const WorkerFlags& flags,
               const SignalWatcher& signals) {
    const auto config = load_settings(settings).config;
    auto platform = platform::open_platform(config);
    auto options = worker_options(*platform, config);
    options.id = flags.id;
    options.slots = config.workers.concurrency;
    worker::Worker worker(platform->engine, options);
    worker.start();
    std::fprintf(stderr, "worker %s: claiming steps from %s\n", worker.id().c_str(),
                 platform->store_url().c_str());
    // First signal: preemption (checkpoint, hand back, exit 0); a second: stop at once.
    while (signals.wait(0, milliseconds(1000)) == 0) {
    }
    worker.preempt();
    while (!worker.wait_finished(milliseconds(100))) {
        if (signals.count() > 1) worker.stop();
    }
    worker.join();
    std::fprintf(stderr, "worker %s: stopped\n", worker.id().c_str());
    return kOk;
}

int run_gc(const SettingFlags& settings, const GcFlags& flags) {
    auto platform = open_platform(settings);
    const auto limit = flags.max_size.empty() ? platform->cache_max_bytes
                                              : parse_size(flags.max_size, "--max-size");
    const auto eviction = workflow::evict_to(platform->workflow_store, platform->artifacts, limit);
    std::printf("evicted %lld artifacts (%lld bytes); cache now %lld bytes\n",
                static_cast<long long>(eviction.artifacts), static_cast<long long>(eviction.bytes),
                static_cast<long long>(eviction.size_after));
    return kOk;
}

}  // namespace kompo::cli
