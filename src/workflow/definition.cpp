#include "workflow/definition.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>

#include "core/error.hpp"

namespace kompo::workflow {

namespace {

constexpr Millis kMinute = 60 * 1000;

// Probing and planning read files and think; segments encode; join and mux copy packets.
constexpr std::array kKinds{
    StepKindInfo{StepKind::probe, "probe", {3, 1000, 30000}, 10 * kMinute, false, false},
    StepKindInfo{StepKind::plan, "plan", {3, 1000, 30000}, 10 * kMinute, false, false},
    StepKindInfo{StepKind::segment, "segment", {4, 2000, 60000}, 60 * kMinute, true, true},
    StepKindInfo{StepKind::join, "join", {4, 2000, 60000}, 30 * kMinute, false, true},
    StepKindInfo{StepKind::sound, "sound", {4, 2000, 60000}, 30 * kMinute, false, true},
    StepKindInfo{StepKind::mux, "mux", {4, 2000, 60000}, 30 * kMinute, false, true},
    StepKindInfo{StepKind::publish, "publish", {4, 1000, 30000}, 30 * kMinute, false, false},
};

struct StepTransition {
    StepEvent event;
    std::initializer_list<StepState> from;
    StepState to;
};

using S = StepState;
const std::array kStepTransitions{
    StepTransition{StepEvent::needs_done, {S::waiting}, S::ready},
    StepTransition{StepEvent::claimed, {S::ready, S::retrying}, S::running},
    StepTransition{StepEvent::found_in_cache, {S::waiting, S::ready, S::retrying}, S::cached},
    StepTransition{StepEvent::succeeded, {S::running}, S::succeeded},
    StepTransition{StepEvent::failed_transient, {S::running}, S::retrying},
    StepTransition{StepEvent::failed_permanent, {S::running, S::retrying}, S::failed},
    StepTransition{StepEvent::lease_expired, {S::running}, S::retrying},
    StepTransition{StepEvent::released, {S::running}, S::ready},
    StepTransition{
        StepEvent::cancelled, {S::waiting, S::ready, S::running, S::retrying}, S::cancelled},
};

struct ExecutionTransition {
    ExecutionEvent event;
    std::initializer_list<ExecutionState> from;
    ExecutionState to;
};

using E = ExecutionState;
const std::array kExecutionTransitions{
    ExecutionTransition{ExecutionEvent::started, {E::queued}, E::running},
    ExecutionTransition{ExecutionEvent::succeeded, {E::queued, E::running}, E::succeeded},
    ExecutionTransition{ExecutionEvent::failed, {E::queued, E::running}, E::failed},
    ExecutionTransition{ExecutionEvent::cancelled, {E::queued, E::running}, E::cancelled},
};

template <typename Table, typename State, typename Event>
std::optional<State> lookup(const Table& table, State from, Event event) {
    for (const auto& t : table) {
        if (t.event != event) continue;
        if (std::find(t.from.begin(), t.from.end(), from) != t.from.end()) return t.to;
    }
    return std::nullopt;
}

}  // namespace

const StepKindInfo& kind_info(StepKind kind) {
    for (const auto& info : kKinds) {
        if (info.kind == kind) return info;
    }
    throw Error::internal("workflow: unknown step kind");
}

const StepKindInfo& kind_info(const std::string& name) {
    for (const auto& info : kKinds) {
        if (name == info.name) return info;
    }
    throw Error::internal("workflow: \"" + name + "\" is not a step kind");
}

const char* event_name(StepEvent event) {
    switch (event) {
        case StepEvent::needs_done:
            return "ready";
        case StepEvent::claimed:
            return "running";
        case StepEvent::found_in_cache:
            return "cached";
        case StepEvent::succeeded:
            return "succeeded";
        case StepEvent::failed_transient:
            return "retrying";
        case StepEvent::failed_permanent:
            return "failed";
        case StepEvent::lease_expired:
            return "lease_expired";
        case StepEvent::released:
            return "released";
        case StepEvent::cancelled:
            return "cancelled";
    }
    return "unknown";
}

const char* event_name(ExecutionEvent event) {
    switch (event) {
        case ExecutionEvent::started:
            return "running";
        case ExecutionEvent::succeeded:
            return "succeeded";
        case ExecutionEvent::failed:
            return "failed";
        case ExecutionEvent::cancelled:
            return "cancelled";
    }
    return "unknown";
}

std::optional<StepState> next_state(StepState from, StepEvent event) {
    return lookup(kStepTransitions, from, event);
}

std::optional<ExecutionState> next_state(ExecutionState from, ExecutionEvent event) {
    return lookup(kExecutionTransitions, from, event);
}

bool is_terminal(StepState state) {
    return state == S::cached || state == S::succeeded || state == S::failed ||
           state == S::cancelled;
}

bool has_output(StepState state) {
    return state == S::cached || state == S::succeeded;
}

bool is_terminal(ExecutionState state) {
    return state == E::succeeded || state == E::failed || state == E::cancelled;
}

Millis backoff(const RetryPolicy& policy, int failures, double jitter) {
    const double doubled =
        static_cast<double>(policy.first_backoff) * std::pow(2.0, std::max(0, failures - 1));
    const double capped = std::min(doubled, static_cast<double>(policy.max_backoff));
    return static_cast<Millis>(capped * std::clamp(jitter, 0.5, 1.0));
}

}  // namespace kompo::workflow
