#include "workflow/cost.hpp"

#include <algorithm>
#include <map>

namespace kompo::workflow {

namespace {

constexpr double kMillisPerHour = 3600.0 * 1000.0;

}  // namespace

void charge_attempt(Step& step, Millis end, bool kept) {
    const Millis started = step.started_at;
    const Millis worked = std::max<Millis>(0, end - started);
    if (worker_class_from(step.worker_class) == WorkerClass::preemptible) {
        step.preemptible_ms += worked;
    } else {
        step.regular_ms += worked;
    }
    if (kept) return;
    // A checkpoint of this attempt keeps the work before it.
    const Millis saved_until = step.checkpoint_at >= started ? step.checkpoint_at : started;
    step.lost_ms += std::clamp<Millis>(end - saved_until, 0, worked);
}

Millis work_of(const Step& step) {
    return step.regular_ms + step.preemptible_ms - step.lost_ms + step.saved_ms;
}

Millis artifact_cost(const Step& step, const std::vector<Step>& steps_of_execution) {
    std::map<std::string, const Step*> by_name;
    for (const auto& s : steps_of_execution) by_name[s.name] = &s;
    // The needs form a tree below the step but may share a branch: each counted once.
    std::map<std::string, bool> counted;
    Millis total = work_of(step);
    std::vector<std::string> to_visit = step.needs;
    while (!to_visit.empty()) {
        const auto name = to_visit.back();
        to_visit.pop_back();
        const auto found = by_name.find(name);
        if (found == by_name.end() || counted[name]) continue;
        counted[name] = true;
        total += work_of(*found->second);
        // A cached step's saving already holds what it was made from.
        if (found->second->state == StepState::cached) continue;
        for (const auto& need : found->second->needs) to_visit.push_back(need);
    }
    return total;
}

ExecutionCost totals_cost(const WorkerTimeTotals& t, const FleetPrices& prices) {
    ExecutionCost cost;
    cost.regular_seconds = seconds_of(t.regular_ms);
    cost.preemptible_seconds = seconds_of(t.preemptible_ms);
    cost.lost_seconds = seconds_of(t.lost_ms);
    cost.saved_seconds = seconds_of(t.saved_ms);
    cost.cost = (static_cast<double>(t.regular_ms) * prices.regular_per_hour +
                 static_cast<double>(t.preemptible_ms) * prices.preemptible_per_hour) /
                kMillisPerHour;
    cost.all_regular_cost = static_cast<double>(t.regular_ms + t.preemptible_ms) *
                            prices.regular_per_hour / kMillisPerHour;
    cost.saved_cost = static_cast<double>(t.saved_ms) * prices.regular_per_hour / kMillisPerHour;
    return cost;
}

ExecutionCost execution_cost(const std::vector<Step>& steps, const FleetPrices& prices) {
    WorkerTimeTotals totals;
    for (const auto& s : steps) {
        totals.regular_ms += s.regular_ms;
        totals.preemptible_ms += s.preemptible_ms;
        totals.lost_ms += s.lost_ms;
        totals.saved_ms += s.saved_ms;
    }
    return totals_cost(totals, prices);
}

}  // namespace kompo::workflow
