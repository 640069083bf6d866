#pragma once
// Runs one claimed step on this machine and returns what it produced. Knows the step
// kinds; knows nothing of leases or threads (worker.hpp does).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "worker/render_jobs.hpp"
#include "workflow/engine.hpp"

namespace kompo::worker {

// Thrown when a checkpointed step stopped for preemption after saving its progress.
struct Preempted {};

struct StepEnvironment {
    workflow::Engine& engine;
    RenderJobs& jobs;              // the executions' requests, decoded once
    int threads = 1;               // codec threads the step may use
    bool core_to_spare = true;     // a segment may decode beside its encoder (ExecContext)
    int cores = 1;                 // the machine's: a segment encoded alone takes them all
    double chunk_seconds = 0;      // the plan step's chunk length (WorkerSettings)
    bool remote_loopback = false;  // test build only: see TestHooks in worker.hpp
    const std::atomic<bool>* cancelled = nullptr;
    std::function<void(std::int64_t frames_done)> on_progress;
    // True when the step should save its progress now (interval passed, or preempted).
    std::function<bool()> checkpoint_due;
    // True when a checkpoint just saved should end the attempt (preemption).
    std::function<bool()> preempting;
};

// Throws kompo::Error for a failure, Preempted after a checkpoint for preemption.
workflow::Outcome run_step(const workflow::Claim& claim, const StepEnvironment& env);

}  // namespace kompo::worker
