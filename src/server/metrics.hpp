#pragma once
// /metrics in Prometheus' text format. Request counts and latencies are observed as the
// server answers; step durations, render latencies and cache hits from the live event
// feed (so work done by `kompo worker` processes counts too); queue depth, running
// steps, executions by state and workers by class are read from the store at scrape.
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "platform/platform.hpp"
#include "server/event_hub.hpp"
#include "server/http_session.hpp"

namespace kompo::server {

class Histogram {
  public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double value);
    // `name`_bucket / _sum / _count lines with `labels` (`key="value",...` or empty).
    std::string render(const std::string& name, const std::string& labels) const;

  private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // per bound, not cumulative
    std::uint64_t count_ = 0;
    double sum_ = 0;
};

class Metrics : public RequestObserver {
  public:
    Metrics(platform::Platform& platform, EventHub& events);
    ~Metrics() override;

    void observe(const std::string& route, const std::string& method, unsigned status,
                 double seconds) override;
    std::string render_text();
    // More lines for every scrape from another part of the server (the assistant's usage).
    // Called while the server starts, before any scrape.
    void add_section(std::function<std::string()> section) {
        sections_.push_back(std::move(section));
    }

  private:
    void take(const EventBatch& events);
    std::string store_gauges();

    platform::Platform& platform_;
    EventHub& events_;
    std::uint64_t subscription_;
    std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::pair<std::string, unsigned>, Histogram> request_seconds_;  // route, status
    std::map<std::string, Histogram> step_seconds_;                          // by step kind
    Histogram render_seconds_;
    std::map<std::string, Millis> started_;  // "execution/step" or execution → at
    std::uint64_t cache_hits_ = 0;
    std::uint64_t cache_misses_ = 0;
    std::uint64_t cache_bytes_saved_ = 0;
    std::map<std::string, std::uint64_t> preemptions_;  // steps handed back, by worker class
    std::vector<std::function<std::string()>> sections_;
};

}  // namespace kompo::server
