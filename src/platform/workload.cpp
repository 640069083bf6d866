#include "platform/workload.hpp"

namespace kompo::platform {

namespace {

constexpr Millis kWorkerSeenWithin = 60'000;

}  // namespace

Workload workload(Platform& platform) {
    Workload load;
    load.live_workers = {{"preemptible", 0}, {"regular", 0}};
    platform.workflow_store.read([&](workflow::WorkflowRows& tx) {
        load.steps_ready = tx.count_steps(workflow::StepState::ready);
        load.steps_running = tx.count_steps(workflow::StepState::running);
        load.executions = tx.count_executions_by_state();
        load.worker_time = tx.worker_time_totals();
        const auto now = now_millis();
        for (const auto& w : tx.workers()) {
            if (w.state != "stopped" && now - w.seen_at < kWorkerSeenWithin) {
                ++load.live_workers[w.worker_class];
            }
        }
    });
    return load;
}

}  // namespace kompo::platform
