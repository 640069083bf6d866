#pragma once
// A worker: `concurrency` slots that each claim a ready step, run it under a lease kept
// alive by heartbeats, and report how it ended. `kompo worker` runs one per process;
// `kompo render` runs one in-process for the duration of its render.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/change_signal.hpp"
#include "logging/log.hpp"
#include "worker/render_jobs.hpp"
#include "worker/settings.hpp"
#include "workflow/engine.hpp"

namespace kompo::worker {

// What only the test build `kompo-test` sets (from KOMPO_TEST_* variables, in
// tests/hooks/): the `kompo` users run leaves these empty and reads no such variable.
struct TestHooks {
    // Step name → how many of its first attempts fail with a transient error (retries).
    std::map<std::string, int> failing_steps;
    // Remote sources may be fetched from loopback (a test's local media server).
    bool remote_loopback = false;
};

struct WorkerOptions {
    std::string id;           // empty: host-pid-random
    int slots = 1;            // steps at a time (the command decides: see WorkerSettings)
    WorkerSettings settings;  // class, codec threads, lease, checkpoints, grace, chunks
    Millis idle_poll = 200;   // how often an idle slot looks for work
    // Wakes an idle slot as soon as a step becomes ready (PostgreSQL's NOTIFY); slots still
    // look every idle_poll (steps whose backoff or lease ran out are announced by no one,
    // and a hint can be lost). Null: polling only.
    ChangeSignal* changes = nullptr;
    // Optional: run only this execution's steps (`kompo render`).
    std::string only_execution;
    std::int64_t cache_max_bytes = 0;  // evict down to this after storing; 0: no limit
    TestHooks test_hooks;              // empty except in the test build `kompo-test`
    // Where the worker logs what its steps do (JSON lines with execution and step ids);
    // null: warnings only, through spdlog's default logger.
    logging::Log* log = nullptr;
};

// Default worker id: "<host>-<pid>-<4 hex>": unique, and says where to look.
std::string default_worker_id();

class Worker {
  public:
    Worker(workflow::Engine& engine, WorkerOptions options);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Starts the slots and the heartbeat; returns at once.
    void start();
    // Stops claiming and cancels running steps at once (their leases are released).
    void stop();
    // Preemption: stops claiming; checkpointed steps save their progress and are handed
    // back; others may finish within the grace period, then are handed back.
    void preempt();
    // Waits until every slot has ended (after stop or preempt).
    void join();
    // True once every slot has ended; waits at most `timeout` for that.
    bool wait_finished(std::chrono::milliseconds timeout);
    // Steps this worker has finished running (however they ended); waits at most
    // `timeout` for more than `seen`. What `kompo render` waits on instead of polling.
    std::uint64_t wait_step_ended(std::uint64_t seen, std::chrono::milliseconds timeout);

    const std::string& id() const { return options_.id; }

  private:
    struct Active;
    void run_slot();
    // Under mutex_: one idle slot is to look for work (`announced`: because another
    // process said a step is ready).
    void wake_one_slot(bool announced);
    // An idle slot's wait: until woken by wake_one_slot, stopped, or the idle poll passes.
    void wait_for_work();
    void run_claim(const workflow::Claim& claim);
    bool has_core_to_spare(std::size_t running) const;
    // One log line about a claimed step, with its execution and step ids.
    void log_step(const workflow::Claim& claim, std::string_view message,
                  nlohmann::json fields = nlohmann::json::object()) const;
    void heartbeat_loop();
    void beat(Active& active, Millis now);
    void record_worker(const std::string& state);

    workflow::Engine& engine_;
    WorkerOptions options_;
    Millis lease_;  // options_.settings in milliseconds
    Millis checkpoint_interval_;
    Millis grace_;
    const int cores_;  // those this process may use (usable_cores), asked once
    RenderJobs jobs_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> preempting_{false};
    std::atomic<Millis> preempted_at_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable work_;  // idle slots: wake_one_slot, or stop/preempt
    // One idle slot is to look for work: a step was announced, a step of this worker ended
    // (its successors may be ready) or a slot claimed one (more may be ready). One slot per
    // wake, each claim waking the next: an announcement costs a process one look, not one
    // per idle slot. Taken by the slot that wakes (or the next to wait, when none is idle).
    bool look_for_work_ = false;
    int idle_slots_ = 0;  // slots in wait_for_work
    std::vector<Active*> active_;
    int slots_running_ = 0;
    std::uint64_t steps_ended_ = 0;  // for wait_step_ended
    std::vector<std::thread> slots_;
    std::thread heartbeat_;
    std::unique_ptr<ChangeSignal::Watch> watch_;  // last: ends before what it wakes
};

}  // namespace kompo::worker
