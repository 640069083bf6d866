#include "workflow/definition.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>

#include "core/error.hpp"

namespace kompo::workflow {

namespace {

constexpr Millis kMinute = 60 * 1000;

constexpr auto kRegular = WorkerClass::regular;
constexpr auto kPreemptible = WorkerClass::preemptible;

// Probing and planning read files and think; segments encode; join and mux copy packets.
// The scatter (segments, checkpointed: a preemption loses little) goes to cheap
// preemptible workers first; the end of the critical path (join, sound, mux, publish: not
// checkpointed, and everything waits on them) to regular workers, which are not taken away.
constexpr std::array kKinds{
    StepKindInfo{StepKind::probe, {3, 1000, 30000}, 10 * kMinute, false, false, {}},
    StepKindInfo{StepKind::plan, {3, 1000, 30000}, 10 * kMinute, false, false, {}},
    StepKindInfo{StepKind::segment, {4, 2000, 60000}, 60 * kMinute, true, true, kPreemptible},
    StepKindInfo{StepKind::join, {4, 2000, 60000}, 30 * kMinute, false, true, kRegular},
    StepKindInfo{StepKind::sound, {4, 2000, 60000}, 30 * kMinute, false, true, kRegular},
    StepKindInfo{StepKind::mux, {4, 2000, 60000}, 30 * kMinute, false, true, kRegular},
    StepKindInfo{StepKind::publish, {4, 1000, 30000}, 30 * kMinute, false, false, kRegular},
};

// Every kind has its limits, in the order of the vocabulary's table.
constexpr bool every_kind_has_limits() {
    if (kKinds.size() != kStepKinds.size()) return false;
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        if (kKinds[i].kind != kStepKinds[i].kind) return false;
    }
    return true;
}
static_assert(every_kind_has_limits(), "kKinds: one row per step kind, in kStepKinds' order");

struct StepTransition {
    StepEvent event;
    std::initializer_list<StepState> from;
    StepState to;
    EventType recorded_as;
};

using S = StepState;
using T = EventType;
const std::array kStepTransitions{
    StepTransition{StepEvent::needs_done, {S::waiting}, S::ready, T::step_ready},
    StepTransition{StepEvent::claimed, {S::ready, S::retrying}, S::running, T::step_running},
    StepTransition{
        StepEvent::found_in_cache, {S::waiting, S::ready, S::retrying}, S::cached, T::step_cached},
    StepTransition{StepEvent::succeeded, {S::running}, S::succeeded, T::step_succeeded},
    StepTransition{StepEvent::failed_transient, {S::running}, S::retrying, T::step_retrying},
    StepTransition{
        StepEvent::failed_permanent, {S::running, S::retrying}, S::failed, T::step_failed},
    StepTransition{StepEvent::lease_expired, {S::running}, S::retrying, T::step_lease_expired},
    StepTransition{StepEvent::released, {S::running}, S::ready, T::step_released},
    StepTransition{StepEvent::cancelled,
                   {S::waiting, S::ready, S::running, S::retrying},
                   S::cancelled,
                   T::step_cancelled},
};

struct ExecutionTransition {
    ExecutionEvent event;
    std::initializer_list<ExecutionState> from;
    ExecutionState to;
    EventType recorded_as;
};

using E = ExecutionState;
const std::array kExecutionTransitions{
    ExecutionTransition{ExecutionEvent::started, {E::queued}, E::running, T::execution_running},
    ExecutionTransition{
        ExecutionEvent::succeeded, {E::queued, E::running}, E::succeeded, T::execution_succeeded},
    ExecutionTransition{
        ExecutionEvent::failed, {E::queued, E::running}, E::failed, T::execution_failed},
    ExecutionTransition{
        ExecutionEvent::cancelled, {E::queued, E::running}, E::cancelled, T::execution_cancelled},
};

template <typename Table, typename State, typename Event>
std::optional<State> lookup(const Table& table, State from, Event event) {
    for (const auto& t : table) {
        if (t.event != event) continue;
        if (std::find(t.from.begin(), t.from.end(), from) != t.from.end()) return t.to;
    }
    return std::nullopt;
}

template <typename Table, typename Event>
EventType recorded_as(const Table& table, Event event) {
    for (const auto& t : table) {
        if (t.event == event) return t.recorded_as;
    }
    throw Error::internal("workflow: an event without a transition");
}

}  // namespace

const StepKindInfo& kind_info(StepKind kind) {
    for (const auto& info : kKinds) {
        if (info.kind == kind) return info;
    }
    throw Error::internal("workflow: unknown step kind");
}

EventType event_type(StepEvent event) {
    return recorded_as(kStepTransitions, event);
}

EventType event_type(ExecutionEvent event) {
    return recorded_as(kExecutionTransitions, event);
}

std::optional<StepState> next_state(StepState from, StepEvent event) {
    return lookup(kStepTransitions, from, event);
}

std::optional<ExecutionState> next_state(ExecutionState from, ExecutionEvent event) {
    return lookup(kExecutionTransitions, from, event);
}

Millis backoff(const RetryPolicy& policy, int failures, double jitter) {
    const double doubled =
        static_cast<double>(policy.first_backoff) * std::pow(2.0, std::max(0, failures - 1));
    const double capped = std::min(doubled, static_cast<double>(policy.max_backoff));
    return static_cast<Millis>(capped * std::clamp(jitter, 0.5, 1.0));
}

}  // namespace kompo::workflow
