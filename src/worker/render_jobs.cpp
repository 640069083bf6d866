#include "worker/render_jobs.hpp"

namespace kompo::worker {

namespace {

std::shared_ptr<const RenderJob> decode(const workflow::Execution& execution) {
    auto job = std::make_shared<RenderJob>();
    job->stored = workflow::request_from(execution.request);
    job->komposition = komp::parse(job->stored.komposition, "komposition");
    return job;
}

}  // namespace

std::shared_ptr<const RenderJob> RenderJobs::of(const workflow::Execution& execution) {
    {
        std::lock_guard lock(mutex_);
        const auto known = by_execution_.find(execution.id);
        if (known != by_execution_.end()) return known->second;
    }
    auto job = decode(execution);  // outside the lock: other slots need not wait for it
    std::lock_guard lock(mutex_);
    if (by_execution_.emplace(execution.id, job).second) {
        order_.push_back(execution.id);
        if (order_.size() > kKept) {
            by_execution_.erase(order_.front());
            order_.pop_front();
        }
    }
    return job;
}

}  // namespace kompo::worker
