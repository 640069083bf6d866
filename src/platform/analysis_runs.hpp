#pragma once
// The analyses a server is making: one run per cache entry at a time (whoever asks for an
// entry being made waits for that run's answer rather than starting another), a bounded
// number of background analyses of new uploads, and all of them stopped when the server
// stops (a run being made is cancelled between frames; its cache entry is never written).
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analysis/analysis.hpp"

namespace kompo::platform {

class AnalysisRuns {
  public:
    // Makes an analysis, stopping with Error(cancelled) once `cancelled` is set.
    using Make = std::function<analysis::MediumAnalysis(const std::atomic<bool>& cancelled)>;
    using Job = std::function<void()>;
    // How a background job ended, for the log: `error` is empty when it succeeded.
    using Report = std::function<void(const std::string& label, const std::string& error)>;

    // Beyond this many queued jobs, new uploads are analysed when first asked for instead.
    static constexpr std::size_t kMaxQueued = 256;

    // `concurrency` background threads (0: no background analyses).
    AnalysisRuns(int concurrency, Report report);
    ~AnalysisRuns();
    AnalysisRuns(const AnalysisRuns&) = delete;
    AnalysisRuns& operator=(const AnalysisRuns&) = delete;

    // The analysis `key` names: made here by `make`, or, while another caller is making
    // it, that run's answer (or its error). Throws Error(cancelled) once stopped.
    analysis::MediumAnalysis run(const std::string& key, const Make& make);

    // Queues `job` for a background thread, once per `label` while it waits; false when
    // there are no background threads, the queue is full or the runs are stopped.
    bool enqueue(const std::string& label, Job job);

    // Drops the queued jobs, cancels the runs being made and joins the threads. Idempotent.
    void stop();

    // Callers waiting for another's run (for tests and metrics).
    std::size_t waiting() const;

  private:
    void work();

    Report report_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<std::pair<std::string, Job>> queue_;
    std::map<std::string, std::shared_future<analysis::MediumAnalysis>> running_;
    std::size_t waiting_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace kompo::platform
