#include "workflow/transitions.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "workflow/piece_json.hpp"

namespace kompo::workflow::detail {

namespace {

// A step is added waiting, or ready when it needs nothing (the first one).
EventType initial_event(StepState state) {
    return state == StepState::ready ? EventType::step_ready : EventType::step_waiting;
}

bool needs_have_output(const Step& step, const std::map<std::string, const Step*>& by_name) {
    return std::all_of(step.needs.begin(), step.needs.end(), [&](const std::string& need) {
        const auto it = by_name.find(need);
        return it != by_name.end() && has_output(it->second->state);
    });
}

}  // namespace

bool apply(WorkflowRows& tx, Step& step, StepEvent event, Millis now, nlohmann::json detail) {
    const auto to = next_state(step.state, event);
    if (!to) return false;
    detail["state"] = state_name(*to);
    step.state = *to;
    if (is_terminal(*to)) step.finished_at = now;
    tx.update_step(step);
    tx.append_event(step.execution_id, now, event_type(event), step.name, detail.dump());
    return true;
}

bool apply(WorkflowRows& tx, Execution& execution, ExecutionEvent event, Millis now,
           nlohmann::json detail) {
    const auto to = next_state(execution.state, event);
    if (!to) return false;
    execution.state = *to;
    if (event == ExecutionEvent::started) execution.started_at = now;
    if (is_terminal(*to)) execution.finished_at = now;
    tx.update_execution(execution);
    detail["state"] = state_name(*to);
    tx.append_event(execution.id, now, event_type(event), "", detail.dump());
    return true;
}

void advance(WorkflowRows& tx, const std::string& execution_id, Millis now) {
    auto steps = tx.steps_of(execution_id);
    std::map<std::string, const Step*> by_name;
    for (const auto& s : steps) by_name[s.name] = &s;
    bool all_done = !steps.empty();
    for (auto& step : steps) {
        if (step.state == StepState::waiting && needs_have_output(step, by_name)) {
            apply(tx, step, StepEvent::needs_done, now);
        }
        all_done = all_done && has_output(step.state);
    }
    if (!all_done) return;
    auto execution = tx.execution(execution_id);
    if (!execution) return;
    execution->result = steps.back().result;
    apply(tx, *execution, ExecutionEvent::succeeded, now);
}

void end_execution(WorkflowRows& tx, Execution& execution, ExecutionEvent event, Millis now,
                   const std::string& error, const std::string& error_kind) {
    execution.error = error;
    execution.error_kind = error_kind;
    nlohmann::json detail = nlohmann::json::object();
    if (!error.empty()) detail["error"] = error;
    if (!apply(tx, execution, event, now, detail)) return;
    for (auto& step : tx.steps_of(execution.id)) apply(tx, step, StepEvent::cancelled, now);
}

std::optional<Artifact> artifact_available(WorkflowRows& tx, const ArtifactFiles& artifacts,
                                           const std::string& key, Millis now) {
    auto artifact = tx.artifact(key);
    if (!artifact) return std::nullopt;
    if (!artifacts.exists(artifact->path)) {
        tx.delete_artifact(key);
        return std::nullopt;
    }
    tx.touch_artifact(key, now);
    return artifact;
}

void record_initial_state(WorkflowRows& tx, const Step& step, Millis now) {
    tx.append_event(step.execution_id, now, initial_event(step.state), step.name,
                    nlohmann::json{{"state", state_name(step.state)}}.dump());
}

void found_in_cache(WorkflowRows& tx, Step& step, const Artifact& artifact, Millis now) {
    step.frames_done = step.frames_total;
    step.saved_ms = artifact.cost_ms;
    apply(tx, step, StepEvent::found_in_cache, now, {{"bytes", artifact.size}});
}

namespace {

// The segment step an execution has to run when it has exactly one (the others cached).
const PlannedStep* segment_run_alone(const std::vector<PlannedStep>& planned,
                                     const std::set<std::string>& needed,
                                     const std::map<std::string, Artifact>& cached) {
    const PlannedStep* alone = nullptr;
    for (const auto& p : planned) {
        if (p.kind != StepKind::segment || !needed.contains(p.name) || cached.contains(p.name))
            continue;
        if (alone) return nullptr;
        alone = &p;
    }
    return alone;
}

// Params that are not a JSON object (none, in the engine's own tests) stay as they are.
std::string params_encoded_alone(const std::string& params) {
    auto json = nlohmann::json::parse(params, nullptr, false);
    if (!json.is_object()) return params;
    mark_encoded_alone(json);
    return json.dump();
}

}  // namespace

void expand(WorkflowRows& tx, const ArtifactFiles& artifacts, const std::string& execution_id,
            const std::vector<PlannedStep>& planned, Millis now) {
    std::map<std::string, const PlannedStep*> by_name;
    for (const auto& p : planned) by_name[p.name] = &p;
    std::map<std::string, Artifact> cached;
    std::set<std::string> needed;
    std::vector<std::string> to_visit{planned.back().name};
    while (!to_visit.empty()) {
        const std::string name = to_visit.back();
        to_visit.pop_back();
        if (!needed.insert(name).second) continue;
        const PlannedStep& step = *by_name.at(name);
        auto artifact = step.artifact_key.empty()
                            ? std::nullopt
                            : artifact_available(tx, artifacts, step.artifact_key, now);
        if (artifact) {
            cached.emplace(name, std::move(*artifact));
            continue;
        }
        for (const auto& need : step.needs) to_visit.push_back(need);
    }
    const PlannedStep* alone = segment_run_alone(planned, needed, cached);
    // Inserted in plan order: ids follow the output, so workers take segments in order.
    for (const auto& p : planned) {
        if (!needed.contains(p.name)) continue;
        Step step = p;
        if (&p == alone) step.params = params_encoded_alone(p.params);
        step.execution_id = execution_id;
        step.state = StepState::waiting;
        step.id = tx.insert_step(step);
        const auto found = cached.find(p.name);
        if (found != cached.end()) {
            found_in_cache(tx, step, found->second, now);
        } else {
            record_initial_state(tx, step, now);
        }
    }
}

}  // namespace kompo::workflow::detail
