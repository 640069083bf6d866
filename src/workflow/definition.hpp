#pragma once
// The render workflow, as data: how its step kinds connect, what each state may
// change into on which event (and the event type that records it), and the retry and
// time limits of every kind. The kinds, states and event types themselves: vocabulary.hpp. The
// engine (engine.hpp) applies these tables and nothing else; the worker runs the steps.
//
//   probe → plan → segment chunks (scatter) → join (gather) ┐
//                └→ sound ───────────────────────────────────┴→ mux (add sound) → publish
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "workflow/vocabulary.hpp"

namespace kompo::workflow {

struct RetryPolicy {
    int max_failures = 3;  // failed attempts (errors, expired leases) before the step fails
    Millis first_backoff = 1000;
    Millis max_backoff = 60000;
};

struct StepKindInfo {
    StepKind kind;
    RetryPolicy retry;
    Millis timeout;     // one attempt's limit, enforced by the worker
    bool checkpointed;  // saves resumable progress while it runs
    bool has_artifact;  // its output is cached under a content key
    // The class of worker it goes to while one of that class is alive; none: any.
    std::optional<WorkerClass> preferred_class;
};

const StepKindInfo& kind_info(StepKind kind);

// What happens to a step.
enum class StepEvent {
    needs_done,        // every step it reads from has its artifact
    claimed,           // a worker holds its lease
    found_in_cache,    // its artifact already exists
    succeeded,         // its artifact or result is recorded
    failed_transient,  // may succeed if tried again (file system, internal error)
    failed_permanent,  // will fail again (bad input, unreadable media) or out of retries
    lease_expired,     // its worker stopped heartbeating (crashed, killed, cut off)
    released,          // its worker handed it back (preempted) after checkpointing
    cancelled,         // the execution was cancelled or failed
};

enum class ExecutionEvent { started, succeeded, failed, cancelled };

// The type of the event that records `event` (one per row of the transition tables).
EventType event_type(StepEvent event);
EventType event_type(ExecutionEvent event);

// The state `event` moves a step in `from` to; nothing when the table has no such
// transition (the event is stale: another worker or a cancel got there first).
std::optional<StepState> next_state(StepState from, StepEvent event);
std::optional<ExecutionState> next_state(ExecutionState from, ExecutionEvent event);

// Wait before retry number `failures` (1 = after the first failure): doubling from the
// kind's first backoff, capped, scaled by `jitter` in [0.5, 1] so that steps that failed
// together do not retry together.
Millis backoff(const RetryPolicy& policy, int failures, double jitter);

}  // namespace kompo::workflow
