#pragma once
// The workflow's vocabulary, each word declared once, typed, in one table: the states of
// executions and steps (with what each state means: finished, has output, claimable), the
// kinds of step (their retry and time limits: definition.cpp), and the types of the
// events that record every change. The store persists these values by
// their names and is handed the sets it queries by (the claim rule, the unfinished
// states); the server and the web app (web/src/api/vocabulary.ts, generated from these
// tables and checked by a unit test) name them from here too. docs/workflow.md says how
// to add a state.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kompo::workflow {

enum class ExecutionState { queued, running, succeeded, failed, cancelled };
// What a step does (definition.hpp: how the kinds connect, their retry and time limits).
enum class StepKind { probe, plan, segment, join, sound, mux, publish };
enum class StepState { waiting, ready, running, cached, succeeded, failed, retrying, cancelled };

// When a worker may take a step in a state.
enum class Claimable {
    never,
    now,                 // ready to run
    after_backoff,       // once its `not_before` has passed
    after_lease_expiry,  // its worker stopped heartbeating: the lease ran out
};

struct ExecutionStateInfo {
    ExecutionState state;
    const char* name;
    bool unfinished;  // its steps may still run (and pin their cached artifacts)
};

struct StepStateInfo {
    StepState state;
    const char* name;
    bool terminal;    // nothing moves it on
    bool has_output;  // its artifact or result is there for the steps that need it
    Claimable claimable;
};

inline constexpr std::array kExecutionStates{
    ExecutionStateInfo{ExecutionState::queued, "queued", true},
    ExecutionStateInfo{ExecutionState::running, "running", true},
    ExecutionStateInfo{ExecutionState::succeeded, "succeeded", false},
    ExecutionStateInfo{ExecutionState::failed, "failed", false},
    ExecutionStateInfo{ExecutionState::cancelled, "cancelled", false},
};

inline constexpr std::array kStepStates{
    StepStateInfo{StepState::waiting, "waiting", false, false, Claimable::never},
    StepStateInfo{StepState::ready, "ready", false, false, Claimable::now},
    StepStateInfo{StepState::running, "running", false, false, Claimable::after_lease_expiry},
    StepStateInfo{StepState::cached, "cached", true, true, Claimable::never},
    StepStateInfo{StepState::succeeded, "succeeded", true, true, Claimable::never},
    StepStateInfo{StepState::failed, "failed", true, false, Claimable::never},
    StepStateInfo{StepState::retrying, "retrying", false, false, Claimable::after_backoff},
    StepStateInfo{StepState::cancelled, "cancelled", true, false, Claimable::never},
};

struct StepKindName {
    StepKind kind;
    const char* name;  // as stored and sent
};

inline constexpr std::array kStepKinds{
    StepKindName{StepKind::probe, "probe"},     StepKindName{StepKind::plan, "plan"},
    StepKindName{StepKind::segment, "segment"}, StepKindName{StepKind::join, "join"},
    StepKindName{StepKind::sound, "sound"},     StepKindName{StepKind::mux, "mux"},
    StepKindName{StepKind::publish, "publish"},
};

// The classes of worker (`kompo worker --class`): a preemptible worker is cheaper and may
// be taken away at any time; which steps go to which class first: definition.cpp.
enum class WorkerClass { regular, preemptible };

struct WorkerClassName {
    WorkerClass worker_class;
    const char* name;  // as configured, stored and sent
};

inline constexpr std::array kWorkerClasses{
    WorkerClassName{WorkerClass::regular, "regular"},
    WorkerClassName{WorkerClass::preemptible, "preemptible"},
};

enum class EventType {
    execution_queued,
    execution_running,
    execution_succeeded,
    execution_failed,
    execution_cancelled,
    step_waiting,
    step_ready,
    step_running,
    step_cached,
    step_succeeded,
    step_retrying,
    step_failed,
    step_lease_expired,
    step_released,
    step_cancelled,
    step_progress,
    step_checkpoint,
};

struct EventTypeInfo {
    EventType type;
    const char* name;  // as stored and sent: "<execution|step>.<what>"
    // The state it records the move to; none for step events that change no state
    // (progress, checkpoint, lease_expired: the retry or failure follows as its own event).
    std::optional<ExecutionState> execution_state;
    std::optional<StepState> step_state;
};

inline constexpr std::array kEventTypes{
    EventTypeInfo{EventType::execution_queued, "execution.queued", ExecutionState::queued, {}},
    EventTypeInfo{EventType::execution_running, "execution.running", ExecutionState::running, {}},
    EventTypeInfo{
        EventType::execution_succeeded, "execution.succeeded", ExecutionState::succeeded, {}},
    EventTypeInfo{EventType::execution_failed, "execution.failed", ExecutionState::failed, {}},
    EventTypeInfo{
        EventType::execution_cancelled, "execution.cancelled", ExecutionState::cancelled, {}},
    EventTypeInfo{EventType::step_waiting, "step.waiting", {}, StepState::waiting},
    EventTypeInfo{EventType::step_ready, "step.ready", {}, StepState::ready},
    EventTypeInfo{EventType::step_running, "step.running", {}, StepState::running},
    EventTypeInfo{EventType::step_cached, "step.cached", {}, StepState::cached},
    EventTypeInfo{EventType::step_succeeded, "step.succeeded", {}, StepState::succeeded},
    EventTypeInfo{EventType::step_retrying, "step.retrying", {}, StepState::retrying},
    EventTypeInfo{EventType::step_failed, "step.failed", {}, StepState::failed},
    EventTypeInfo{EventType::step_lease_expired, "step.lease_expired", {}, {}},
    EventTypeInfo{EventType::step_released, "step.released", {}, StepState::ready},
    EventTypeInfo{EventType::step_cancelled, "step.cancelled", {}, StepState::cancelled},
    EventTypeInfo{EventType::step_progress, "step.progress", {}, {}},
    EventTypeInfo{EventType::step_checkpoint, "step.checkpoint", {}, {}},
};

namespace detail {

// The row of `value` in a table keyed by its first member; the tables are complete, so a
// miss is a value cast from nothing.
template <typename Table, typename Value>
const auto& row_of(const Table& table, Value value) {
    for (const auto& row : table) {
        if (row.state == value) return row;
    }
    throw Error::internal("workflow: a value that is not in its table");
}

template <typename Table>
auto state_named(const Table& table, std::string_view name, const char* what) {
    for (const auto& row : table) {
        if (name == row.name) return row.state;
    }
    throw Error::internal("store: \"" + std::string(name) + "\" is not a " + what + " state");
}

}  // namespace detail

inline const ExecutionStateInfo& info(ExecutionState state) {
    return detail::row_of(kExecutionStates, state);
}
inline const StepStateInfo& info(StepState state) {
    return detail::row_of(kStepStates, state);
}
inline const EventTypeInfo& info(EventType type) {
    for (const auto& row : kEventTypes) {
        if (row.type == type) return row;
    }
    throw Error::internal("workflow: an event type that is not in its table");
}

inline const char* state_name(ExecutionState state) {
    return info(state).name;
}
inline const char* state_name(StepState state) {
    return info(state).name;
}
inline const char* event_type_name(EventType type) {
    return info(type).name;
}
inline const char* step_kind_name(StepKind kind) {
    for (const auto& row : kStepKinds) {
        if (row.kind == kind) return row.name;
    }
    throw Error::internal("workflow: a step kind that is not in its table");
}

inline const char* worker_class_name(WorkerClass worker_class) {
    for (const auto& row : kWorkerClasses) {
        if (row.worker_class == worker_class) return row.name;
    }
    throw Error::internal("workflow: a worker class that is not in its table");
}
// Nothing for a name that is not a class (a worker recorded without one).
inline std::optional<WorkerClass> worker_class_from(std::string_view name) {
    for (const auto& row : kWorkerClasses) {
        if (name == row.name) return row.worker_class;
    }
    return std::nullopt;
}

// Throw Error(internal) for a name that is not in the table (a corrupt row).
inline ExecutionState execution_state_from(std::string_view name) {
    return detail::state_named(kExecutionStates, name, "execution");
}
inline StepState step_state_from(std::string_view name) {
    return detail::state_named(kStepStates, name, "step");
}
inline StepKind step_kind_from(std::string_view name) {
    for (const auto& row : kStepKinds) {
        if (name == row.name) return row.kind;
    }
    throw Error::internal("store: \"" + std::string(name) + "\" is not a step kind");
}
inline EventType event_type_from(std::string_view name) {
    for (const auto& row : kEventTypes) {
        if (name == row.name) return row.type;
    }
    throw Error::internal("store: \"" + std::string(name) + "\" is not an event type");
}

inline bool is_terminal(StepState state) {
    return info(state).terminal;
}
inline bool has_output(StepState state) {
    return info(state).has_output;
}
inline bool is_unfinished(ExecutionState state) {
    return info(state).unfinished;
}
inline bool is_terminal(ExecutionState state) {
    return !is_unfinished(state);
}
// An execution event after which nothing more happens to the execution.
inline bool ends_execution(EventType type) {
    const auto& state = info(type).execution_state;
    return state && is_terminal(*state);
}

// The execution states whose steps may still run: what quotas count as running renders
// and what keeps cached artifacts from eviction.
std::vector<ExecutionState> unfinished_states();

// Which steps a worker may take, as the store is asked for them: a step of an unfinished
// execution in one of the `now` states, or in an `after_backoff` state whose not_before
// has passed, or in an `after_lease_expiry` state whose lease has expired.
struct ClaimRule {
    std::vector<ExecutionState> executions;
    std::vector<StepState> now;
    std::vector<StepState> after_backoff;
    std::vector<StepState> after_lease_expiry;
};
const ClaimRule& claim_rule();

}  // namespace kompo::workflow
