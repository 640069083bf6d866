#pragma once
// The engine's moves inside one transaction: each changes state by the definition's
// tables and appends the event that records it. Internal to the workflow module.
#include <nlohmann/json.hpp>

#include "workflow/artifact_files.hpp"
#include "workflow/definition.hpp"
#include "workflow/engine.hpp"
#include "workflow/rows.hpp"

namespace kompo::workflow::detail {

// Moves `step` by `event` and records it; false (and nothing written) when the table has
// no such transition from its current state.
bool apply(WorkflowRows& tx, Step& step, StepEvent event, Millis now,
           nlohmann::json detail = nlohmann::json::object());
bool apply(WorkflowRows& tx, Execution& execution, ExecutionEvent event, Millis now,
           nlohmann::json detail = nlohmann::json::object());

// Waiting steps whose needs all have output become ready; when every step has output,
// the execution succeeds with the result of its final step.
void advance(WorkflowRows& tx, const std::string& execution_id, Millis now);

// Ends an execution early (failed or cancelled): every step still to finish is cancelled.
void end_execution(WorkflowRows& tx, Execution& execution, ExecutionEvent event, Millis now,
                   const std::string& error = {}, const std::string& error_kind = {});

// Adds the plan's steps, walking back from the final one: a step whose artifact exists is
// cached and what it needs is left out.
void expand(WorkflowRows& tx, const ArtifactFiles& artifacts, const std::string& execution_id,
            const std::vector<PlannedStep>& planned, Millis now);

// The artifact of a step found in the cache: recorded as used, or forgotten when its
// file has gone (then the step must run, and nullopt is returned).
std::optional<Artifact> artifact_available(WorkflowRows& tx, const ArtifactFiles& artifacts,
                                           const std::string& key, Millis now);

// Records the state a step was added in (its first event).
void record_initial_state(WorkflowRows& tx, const Step& step, Millis now);

// Marks a step cached by `artifact`: all its frames there, the artifact's cost saved; its
// step.cached event says the bytes reused instead of rendered (metrics).
void found_in_cache(WorkflowRows& tx, Step& step, const Artifact& artifact, Millis now);

}  // namespace kompo::workflow::detail
