#include "server/metrics.hpp"

#include <cstdio>
#include <sstream>

#include "platform/workload.hpp"
#include "workflow/cost.hpp"
#include "workflow/render_graph.hpp"

namespace kompo::server {

namespace {

const std::vector<double> kRequestBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,   0.25,   0.5,   1,    2.5,   10};
const std::vector<double> kWorkBounds{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string with(const std::string& labels, const std::string& more) {
    return labels.empty() ? more : labels + "," + more;
}

// A step that makes a cached artifact: what cache hits and misses count.
bool is_piece(std::optional<workflow::StepKind> kind) {
    return kind && workflow::kind_info(*kind).has_artifact;
}

// The size of the artifact a step.cached event reused (its detail's "bytes"); 0 for
// events written before the size was recorded.
std::uint64_t reused_bytes(const std::string& detail) {
    const auto parsed = nlohmann::json::parse(detail, nullptr, false);
    if (!parsed.is_object()) return 0;
    const auto bytes = parsed.value("bytes", std::int64_t{0});
    return bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0;
}

// The class of the worker that handed a step back (a step.released event's detail).
std::string released_by_class(const std::string& detail) {
    const auto parsed = nlohmann::json::parse(detail, nullptr, false);
    if (!parsed.is_object()) return "";
    return parsed.value("worker_class", std::string());
}

bool ends_attempt_without_success(workflow::EventType type) {
    using T = workflow::EventType;
    return type == T::step_failed || type == T::step_retrying || type == T::step_cancelled ||
           type == T::step_released || type == T::step_lease_expired;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size(), 0) {}

void Histogram::observe(double value) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (value <= bounds_[i]) {
            ++counts_[i];
            break;
        }
    }
    ++count_;
    sum_ += value;
}

std::string Histogram::render(const std::string& name, const std::string& labels) const {
    std::string text;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        cumulative += counts_[i];
        text += name + "_bucket{" + with(labels, "le=\"" + number(bounds_[i]) + "\"") + "} " +
                std::to_string(cumulative) + "\n";
    }
    text += name + "_bucket{" + with(labels, "le=\"+Inf\"") + "} " + std::to_string(count_) + "\n";
    const auto braces = labels.empty() ? "" : "{" + labels + "}";
    text += name + "_sum" + braces + " " + number(sum_) + "\n";
    text += name + "_count" + braces + " " + std::to_string(count_) + "\n";
    return text;
}

Metrics::Metrics(platform::Platform& platform, EventHub& events)
    : platform_(platform), events_(events), render_seconds_(kWorkBounds) {
    subscription_ = events_.subscribe("", [this](const EventBatch& batch) { take(batch); });
}

Metrics::~Metrics() {
    events_.unsubscribe(subscription_);
}

void Metrics::observe(const std::string& route, const std::string& method, unsigned status,
                      double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
    request_seconds_.try_emplace({route, status}, kRequestBounds).first->second.observe(seconds);
}

void Metrics::take(const EventBatch& events) {
    using T = workflow::EventType;
    std::lock_guard lock(mutex_);
    for (const auto& e : events) {
        const auto key = e.execution_id + "/" + e.step;
        const auto kind = workflow::step_kind_of(e.step);
        if (e.type == T::execution_queued) started_[e.execution_id] = e.at;
        if (e.type == T::step_running) started_[key] = e.at;
        if (e.type == T::step_cached && is_piece(kind)) {
            ++cache_hits_;
            cache_bytes_saved_ += reused_bytes(e.detail);
        }
        if (e.type == T::step_released) ++preemptions_[released_by_class(e.detail)];
        if (e.type == T::step_succeeded) {
            if (is_piece(kind)) ++cache_misses_;
            if (const auto s = started_.find(key); s != started_.end()) {
                step_seconds_.try_emplace(kind ? workflow::step_kind_name(*kind) : "", kWorkBounds)
                    .first->second.observe(static_cast<double>(e.at - s->second) / 1000.0);
                started_.erase(s);
            }
        }
        if (e.type == T::execution_succeeded) {
            if (const auto s = started_.find(e.execution_id); s != started_.end()) {
                render_seconds_.observe(static_cast<double>(e.at - s->second) / 1000.0);
            }
        }
        // An attempt that ends otherwise has no duration to record; its start is dropped so
        // the map holds running work only.
        if (ends_attempt_without_success(e.type)) started_.erase(key);
        if (e.step.empty() && e.type != T::execution_queued && e.type != T::execution_running) {
            started_.erase(e.execution_id);
        }
    }
}

namespace {

// Worker time and its cost by class, work lost and what the cache saved, over every step
// in the store (workflow/cost.hpp): counters, as steps only ever add to them.
std::string cost_counters(const workflow::WorkerTimeTotals& time,
                          const workflow::FleetPrices& prices) {
    const auto regular = workflow::totals_cost({time.regular_ms, 0, 0, 0}, prices);
    const auto preemptible = workflow::totals_cost({0, time.preemptible_ms, 0, 0}, prices);
    const auto all = workflow::totals_cost(time, prices);
    std::ostringstream text;
    text << "# HELP kompo_worker_seconds_total Worker time of steps by class.\n"
            "# TYPE kompo_worker_seconds_total counter\n"
         << "kompo_worker_seconds_total{class=\"regular\"} " << regular.regular_seconds << "\n"
         << "kompo_worker_seconds_total{class=\"preemptible\"} " << preemptible.preemptible_seconds
         << "\n"
         << "# HELP kompo_cost_total Cost of steps' worker time by class, at the configured "
            "prices.\n# TYPE kompo_cost_total counter\n"
         << "kompo_cost_total{class=\"regular\"} " << regular.cost << "\n"
         << "kompo_cost_total{class=\"preemptible\"} " << preemptible.cost << "\n"
         << "# HELP kompo_work_lost_seconds_total Worker time of attempts lost (redone).\n"
            "# TYPE kompo_work_lost_seconds_total counter\n"
         << "kompo_work_lost_seconds_total " << all.lost_seconds << "\n"
         << "# HELP kompo_cache_saved_seconds_total Worker time the cache saved.\n"
            "# TYPE kompo_cache_saved_seconds_total counter\n"
         << "kompo_cache_saved_seconds_total " << all.saved_seconds << "\n";
    return text.str();
}

}  // namespace

std::string Metrics::store_gauges() {
    const auto load = platform::workload(platform_);
    std::ostringstream text;
    text << "# HELP kompo_queue_depth Steps ready to be claimed.\n# TYPE kompo_queue_depth "
            "gauge\n"
         << "kompo_queue_depth " << load.steps_ready << "\n";
    text << "# HELP kompo_steps_running Steps being run.\n# TYPE kompo_steps_running gauge\n"
         << "kompo_steps_running " << load.steps_running << "\n";
    text << "# HELP kompo_executions Executions by state.\n# TYPE kompo_executions gauge\n";
    for (const auto& [state, count] : load.executions) {
        text << "kompo_executions{state=\"" << workflow::state_name(state) << "\"} " << count
             << "\n";
    }
    text << "# HELP kompo_workers Live workers by class.\n# TYPE kompo_workers gauge\n";
    for (const auto& [worker_class, count] : load.live_workers) {
        text << "kompo_workers{class=\"" << worker_class << "\"} " << count << "\n";
    }
    text << cost_counters(load.worker_time, platform_.prices);
    return text.str();
}

std::string Metrics::render_text() {
    std::string text = store_gauges();
    std::lock_guard lock(mutex_);
    text +=
        "# HELP kompo_http_requests_total Answered requests.\n"
        "# TYPE kompo_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [route, method, status] = key;
        text += "kompo_http_requests_total{route=\"" + route + "\",method=\"" + method +
                "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
    }
    text +=
        "# HELP kompo_http_request_seconds Time to answer.\n"
        "# TYPE kompo_http_request_seconds histogram\n";
    for (const auto& [key, histogram] : request_seconds_) {
        const auto& [route, status] = key;
        text += histogram.render("kompo_http_request_seconds", "route=\"" + route + "\",status=\"" +
                                                                   std::to_string(status) + "\"");
    }
    text +=
        "# HELP kompo_step_seconds Step run time (last attempt) by kind.\n"
        "# TYPE kompo_step_seconds histogram\n";
    for (const auto& [kind, histogram] : step_seconds_) {
        text += histogram.render("kompo_step_seconds", "kind=\"" + kind + "\"");
    }
    text +=
        "# HELP kompo_render_seconds Submit to succeeded.\n# TYPE kompo_render_seconds histogram\n";
    text += render_seconds_.render("kompo_render_seconds", "");
    text +=
        "# HELP kompo_cache_hits_total Pieces found in the cache.\n"
        "# TYPE kompo_cache_hits_total counter\nkompo_cache_hits_total " +
        std::to_string(cache_hits_) + "\n";
    text +=
        "# HELP kompo_cache_misses_total Pieces rendered.\n"
        "# TYPE kompo_cache_misses_total counter\nkompo_cache_misses_total " +
        std::to_string(cache_misses_) + "\n";
    text +=
        "# HELP kompo_cache_bytes_saved_total Bytes of cached pieces reused instead of "
        "rendered.\n# TYPE kompo_cache_bytes_saved_total counter\nkompo_cache_bytes_saved_total " +
        std::to_string(cache_bytes_saved_) + "\n";
    text +=
        "# HELP kompo_preemptions_total Steps handed back by preempted workers, by class.\n"
        "# TYPE kompo_preemptions_total counter\n";
    for (const auto& [worker_class, count] : preemptions_) {
        text += "kompo_preemptions_total{class=\"" + worker_class + "\"} " + std::to_string(count) +
                "\n";
    }
    for (const auto& section : sections_) text += section();
    return text;
}

}  // namespace kompo::server
