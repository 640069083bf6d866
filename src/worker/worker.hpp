#pragma once
// A worker: `concurrency` slots that each claim a ready step, run it under a lease kept
// alive by heartbeats, and report how it ended. `kompo worker` runs one per process;
// `kompo render` runs one in-process for the duration of its render.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "workflow/engine.hpp"

namespace kompo::worker {

struct WorkerOptions {
    std::string id;                        // empty: host-pid-random
    std::string worker_class = "regular";  // or "preemptible"
    int concurrency = 1;                   // steps at a time
    int threads_per_step = 1;              // codec threads of each step
    Millis lease = 60'000;                 // a silent worker loses its steps after this
    Millis checkpoint_interval = 30'000;   // a running segment saves progress this often
    Millis grace = 25'000;                 // preemption: time to checkpoint and hand back
    Millis idle_poll = 200;                // how often an idle slot looks for work
    double chunk_seconds = 8.0;            // how the plan step cuts long segments
    // Optional: run only this execution's steps (`kompo render`).
    std::string only_execution;
    std::int64_t cache_max_bytes = 0;  // evict down to this after storing; 0: no limit
    // Fault injection for tests of retries: step name → how many of its first attempts
    // fail with a transient error. From KOMPO_TEST_FAIL_STEPS="segment-1:2,join:1".
    std::map<std::string, int> injected_failures;
};

// Parses KOMPO_TEST_FAIL_STEPS's "name:count,name:count" (empty: none).
std::map<std::string, int> parse_injected_failures(const std::string& text);

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

    const std::string& id() const { return options_.id; }

  private:
    struct Active;
    void run_slot();
    void run_claim(const workflow::Claim& claim);
    void heartbeat_loop();
    void beat(Active& active, Millis now);
    void record_worker(const std::string& state);

    workflow::Engine& engine_;
    WorkerOptions options_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> preempting_{false};
    std::atomic<Millis> preempted_at_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Active*> active_;
    int slots_running_ = 0;
    std::vector<std::thread> slots_;
    std::thread heartbeat_;
};

}  // namespace kompo::worker
