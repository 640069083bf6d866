#include "platform/analysis_runs.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace kompo::platform {

AnalysisRuns::AnalysisRuns(int concurrency, Report report) : report_(std::move(report)) {
    for (int i = 0; i < concurrency; ++i) threads_.emplace_back([this] { work(); });
}

AnalysisRuns::~AnalysisRuns() {
    stop();
}

analysis::MediumAnalysis AnalysisRuns::run(const std::string& key, const Make& make) {
    std::promise<analysis::MediumAnalysis> made;
    {
        std::unique_lock lock(mutex_);
        if (stopping_) throw Error::cancelled(key + ": the server is stopping");
        if (const auto other = running_.find(key); other != running_.end()) {
            const auto answer = other->second;
            ++waiting_;
            lock.unlock();
            const auto done = [this] {
                const std::lock_guard relock(mutex_);
                --waiting_;
            };
            try {
                auto analysis = answer.get();
                done();
                return analysis;
            } catch (...) {
                done();
                throw;
            }
        }
        running_.emplace(key, made.get_future().share());
    }
    const auto finish = [&] {
        const std::lock_guard lock(mutex_);
        running_.erase(key);
    };
    try {
        auto analysis = make(stopping_);
        made.set_value(analysis);
        finish();
        return analysis;
    } catch (...) {
        made.set_exception(std::current_exception());
        finish();
        throw;
    }
}

bool AnalysisRuns::enqueue(const std::string& label, Job job) {
    {
        const std::lock_guard lock(mutex_);
        if (threads_.empty() || stopping_ || queue_.size() >= kMaxQueued) return false;
        const auto same = [&](const auto& queued) { return queued.first == label; };
        if (std::none_of(queue_.begin(), queue_.end(), same)) {
            queue_.emplace_back(label, std::move(job));
        }
    }
    queued_.notify_one();
    return true;
}

void AnalysisRuns::work() {
    for (;;) {
        std::pair<std::string, Job> next;
        {
            std::unique_lock lock(mutex_);
            queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            next = std::move(queue_.front());
            queue_.pop_front();
        }
        std::string error;
        try {
            next.second();
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (report_ && !stopping_) report_(next.first, error);
    }
}

void AnalysisRuns::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    queued_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
}

std::size_t AnalysisRuns::waiting() const {
    const std::lock_guard lock(mutex_);
    return waiting_;
}

}  // namespace kompo::platform
