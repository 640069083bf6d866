#pragma once
// What the platform has to do and who is doing it, as metrics show it: steps waiting for
// a worker and being run, executions by state, live workers by class, worker time spent.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "platform/platform.hpp"

namespace kompo::platform {

struct Workload {
    std::int64_t steps_ready = 0;
    std::int64_t steps_running = 0;
    std::vector<std::pair<workflow::ExecutionState, std::int64_t>> executions;  // states with any
    // Workers seen within a minute and not stopped, by class ("preemptible", "regular":
    // both always present).
    std::map<std::string, int> live_workers;
    workflow::WorkerTimeTotals worker_time;  // of every step in the store (cost accounting)
};

// One consistent read of the store.
Workload workload(Platform& platform);

}  // namespace kompo::platform
