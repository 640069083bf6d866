#include "cli/status_view.hpp"

#include <cstdio>
#include <map>

namespace kompo::cli {

namespace {

using workflow::StepState;

std::string bar(std::int64_t done, std::int64_t total) {
    constexpr int kWidth = 24;
    const int filled = total > 0 ? static_cast<int>(kWidth * done / total) : kWidth;
    return "[" + std::string(filled, '#') + std::string(kWidth - filled, ' ') + "]";
}

// "cost 0.0123 (all regular 0.0307), lost 1.2 s, cache saved 4.0 s": once any worker time
// was charged.
std::string cost_line(const workflow::Snapshot& snapshot, const workflow::FleetPrices& prices) {
    const auto c = workflow::execution_cost(snapshot.steps, prices);
    if (c.regular_seconds + c.preemptible_seconds + c.saved_seconds <= 0) return "";
    char line[256];
    std::snprintf(line, sizeof line,
                  "cost %.4f (all regular %.4f), %.1f s on regular, %.1f s on preemptible "
                  "workers, lost %.1f s, cache saved %.1f s\n",
                  c.cost, c.all_regular_cost, c.regular_seconds, c.preemptible_seconds,
                  c.lost_seconds, c.saved_seconds);
    return line;
}

}  // namespace

std::string status_text(const workflow::Snapshot& snapshot, const workflow::FleetPrices& prices) {
    std::map<std::string, int> counts;
    for (const auto& s : snapshot.steps) {
        const auto state = s.state;
        const bool pending = state == StepState::waiting || state == StepState::ready ||
                             state == StepState::retrying;
        ++counts[pending ? "waiting" : workflow::state_name(state)];
    }
    std::string text = "execution " + snapshot.execution.id + ": " +
                       workflow::state_name(snapshot.execution.state) + " (";
    text += std::to_string(counts["cached"]) + " cached, " + std::to_string(counts["succeeded"]) +
            " done, " + std::to_string(counts["running"]) + " running, " +
            std::to_string(counts["waiting"]) + " waiting";
    if (counts["failed"]) text += ", " + std::to_string(counts["failed"]) + " failed";
    text += ")\n";
    for (const auto& s : snapshot.steps) {
        if (s.state != StepState::running) continue;
        char line[256];
        std::snprintf(line, sizeof line, "  %-14s %s %6lld/%-6lld attempt %d on %s\n",
                      s.name.c_str(), bar(s.frames_done, s.frames_total).c_str(),
                      static_cast<long long>(s.frames_done), static_cast<long long>(s.frames_total),
                      s.attempts, s.worker_id.c_str());
        text += line;
    }
    text += cost_line(snapshot, prices);
    if (!snapshot.execution.error.empty()) text += "error: " + snapshot.execution.error + "\n";
    return text;
}

}  // namespace kompo::cli
