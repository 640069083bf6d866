// Clients' side of the engine: submitting, cancelling and looking at executions.
#include "workflow/engine.hpp"

#include "core/random_hex.hpp"
#include "workflow/transitions.hpp"

namespace kompo::workflow {

std::string new_execution_id() {
    return random_hex(16);
}

Engine::Engine(WorkflowStore& store, const ArtifactFiles& artifacts)
    : store_(store), artifacts_(artifacts) {}

namespace {

Step first_step(const std::string& execution_id, StepKind kind, StepState state,
                std::vector<std::string> needs) {
    Step step;
    step.execution_id = execution_id;
    step.name = step_kind_name(kind);
    step.kind = kind;
    step.state = state;
    step.needs = std::move(needs);
    step.params = "{}";
    return step;
}

}  // namespace

std::string Engine::submit(const RenderRequest& request, const std::string& idempotency_key) {
    std::string id;
    store_.write([&](WorkflowRows& tx) {
        if (!idempotency_key.empty()) {
            if (auto existing = tx.execution_by_idempotency_key(idempotency_key)) {
                id = existing->id;
                return;
            }
        }
        const Millis now = now_millis();
        Execution execution;
        execution.id = new_execution_id();
        execution.idempotency_key = idempotency_key;
        execution.request = to_json(request).dump();
        execution.tenant = request.tenant;
        execution.komposition_id = request.komposition_id;
        execution.created_at = now;
        tx.insert_execution(execution);
        tx.append_event(execution.id, now, EventType::execution_queued, "",
                        nlohmann::json{{"state", state_name(execution.state)}}.dump());
        for (auto step : {first_step(execution.id, StepKind::probe, StepState::ready, {}),
                          first_step(execution.id, StepKind::plan, StepState::waiting,
                                     {step_kind_name(StepKind::probe)})}) {
            tx.insert_step(step);
            detail::record_initial_state(tx, step, now);
        }
        id = execution.id;
    });
    return id;
}

bool Engine::cancel(const std::string& execution_id) {
    bool cancelled = false;
    store_.write([&](WorkflowRows& tx) {
        auto execution = tx.execution(execution_id);
        if (!execution) throw Error::invalid("execution " + execution_id + ": no such execution");
        cancelled = !is_terminal(execution->state);
        detail::end_execution(tx, *execution, ExecutionEvent::cancelled, now_millis(), "cancelled",
                              "cancelled");
    });
    return cancelled;
}

std::optional<Snapshot> Engine::snapshot(const std::string& execution_id) {
    std::optional<Snapshot> snapshot;
    store_.read([&](WorkflowRows& tx) {
        auto execution = tx.execution(execution_id);
        if (!execution) return;
        snapshot = Snapshot{*execution, tx.steps_of(execution_id)};
    });
    return snapshot;
}

std::vector<Event> Engine::events(const std::string& execution_id, std::int64_t after_seq,
                                  std::size_t limit) {
    std::vector<Event> events;
    store_.read([&](WorkflowRows& tx) { events = tx.events(execution_id, after_seq, limit); });
    return events;
}

}  // namespace kompo::workflow
