// Clients' side of the engine: submitting, cancelling and looking at executions.
#include "workflow/engine.hpp"

#include "core/random_hex.hpp"
#include "workflow/transitions.hpp"

namespace kompo::workflow {

using store::Millis;
using store::Step;

std::string new_execution_id() {
    return random_hex(16);
}

Engine::Engine(store::Store& store, const store::ArtifactFiles& artifacts)
    : store_(store), artifacts_(artifacts) {}

namespace {

Step first_step(const std::string& execution_id, StepKind kind, StepState state,
                std::vector<std::string> needs) {
    Step step;
    step.execution_id = execution_id;
    step.name = kind_info(kind).name;
    step.kind = kind_info(kind).name;
    step.state = state;
    step.needs = std::move(needs);
    step.params = "{}";
    return step;
}

}  // namespace

std::string Engine::submit(const RenderRequest& request, const std::string& idempotency_key) {
    std::string id;
    store_.write([&](store::Transaction& tx) {
        if (!idempotency_key.empty()) {
            if (auto existing = tx.execution_by_idempotency_key(idempotency_key)) {
                id = existing->id;
                return;
            }
        }
        const Millis now = store::now_millis();
        store::Execution execution;
        execution.id = new_execution_id();
        execution.idempotency_key = idempotency_key;
        execution.request = to_json(request).dump();
        execution.tenant = request.tenant;
        execution.komposition_id = request.komposition_id;
        execution.created_at = now;
        tx.insert_execution(execution);
        tx.append_event(execution.id, now, "execution.queued", "",
                        nlohmann::json{{"state", "queued"}}.dump());
        for (auto step : {first_step(execution.id, StepKind::probe, StepState::ready, {}),
                          first_step(execution.id, StepKind::plan, StepState::waiting,
                                     {kind_info(StepKind::probe).name})}) {
            tx.insert_step(step);
            tx.append_event(execution.id, now, std::string("step.") + state_name(step.state),
                            step.name, nlohmann::json{{"state", state_name(step.state)}}.dump());
        }
        id = execution.id;
    });
    return id;
}

bool Engine::cancel(const std::string& execution_id) {
    bool cancelled = false;
    store_.write([&](store::Transaction& tx) {
        auto execution = tx.execution(execution_id);
        if (!execution) throw Error::invalid("execution " + execution_id + ": no such execution");
        cancelled = !is_terminal(execution->state);
        detail::end_execution(tx, *execution, ExecutionEvent::cancelled, store::now_millis(),
                              "cancelled", "cancelled");
    });
    return cancelled;
}

std::optional<Snapshot> Engine::snapshot(const std::string& execution_id) {
    std::optional<Snapshot> snapshot;
    store_.read([&](store::Transaction& tx) {
        auto execution = tx.execution(execution_id);
        if (!execution) return;
        snapshot = Snapshot{*execution, tx.steps_of(execution_id)};
    });
    return snapshot;
}

std::vector<store::Event> Engine::events(const std::string& execution_id, std::int64_t after_seq) {
    std::vector<store::Event> events;
    store_.read(
        [&](store::Transaction& tx) { events = tx.events(execution_id, after_seq, 1'000'000); });
    return events;
}

}  // namespace kompo::workflow
