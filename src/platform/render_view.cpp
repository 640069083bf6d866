#include "platform/render_view.hpp"

namespace kompo::platform {

namespace {

using nlohmann::json;
using workflow::StepKind;
using workflow::StepState;

json checkpoint_json(const workflow::Step& step) {
    if (step.checkpoint.empty()) return nullptr;
    const auto saved = json::parse(step.checkpoint, nullptr, false);
    return json{{"at", step.checkpoint_at}, {"frames_done", saved.value("frames_done", 0)}};
}

json step_json(const workflow::Step& step) {
    return json{{"name", step.name},
                {"kind", workflow::step_kind_name(step.kind)},
                {"state", workflow::state_name(step.state)},
                {"attempts", step.attempts},
                {"failures", step.failures},
                {"worker", step.worker_id},
                {"started_at", step.started_at},
                {"finished_at", step.finished_at},
                {"frames_done", step.frames_done},
                {"frames_total", step.frames_total},
                {"checkpoint", checkpoint_json(step)},
                {"error", step.error},
                {"artifact_key", step.artifact_key},
                {"needs", step.needs},
                {"worker_class", step.worker_class},
                {"worker_seconds",
                 {{"regular", workflow::seconds_of(step.regular_ms)},
                  {"preemptible", workflow::seconds_of(step.preemptible_ms)},
                  {"lost", workflow::seconds_of(step.lost_ms)},
                  {"saved", workflow::seconds_of(step.saved_ms)}}}};
}

json parsed_or_null(const std::string& text) {
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
}

// What a render whose picture is all there still waits for: the first step not yet done
// in the order they end the render (the sound may still be encoding after the join).
std::string finishing_stage(const workflow::Snapshot& snapshot) {
    for (const auto kind : {StepKind::join, StepKind::sound, StepKind::mux, StepKind::publish}) {
        for (const auto& s : snapshot.steps) {
            if (s.kind == kind && !workflow::has_output(s.state))
                return workflow::step_kind_name(kind);
        }
    }
    return workflow::step_kind_name(StepKind::publish);
}

}  // namespace

json snapshot_json(const workflow::Snapshot& snapshot) {
    const auto& e = snapshot.execution;
    json steps = json::array();
    for (const auto& s : snapshot.steps) steps.push_back(step_json(s));
    return json{{"execution",
                 {{"id", e.id},
                  {"state", workflow::state_name(e.state)},
                  {"created_at", e.created_at},
                  {"started_at", e.started_at},
                  {"finished_at", e.finished_at},
                  {"error", e.error},
                  {"error_kind", e.error_kind},
                  {"result", parsed_or_null(e.result)}}},
                {"steps", steps}};
}

json cost_json(const workflow::Snapshot& snapshot, const workflow::FleetPrices& prices) {
    const auto c = workflow::execution_cost(snapshot.steps, prices);
    return json{{"cost", c.cost},
                {"all_regular_cost", c.all_regular_cost},
                {"regular_seconds", c.regular_seconds},
                {"preemptible_seconds", c.preemptible_seconds},
                {"lost_seconds", c.lost_seconds},
                {"saved_seconds", c.saved_seconds},
                {"saved_cost", c.saved_cost}};
}

json events_json(const std::vector<workflow::Event>& events) {
    json list = json::array();
    for (const auto& e : events) {
        list.push_back({{"seq", e.seq},
                        {"at", e.at},
                        {"type", workflow::event_type_name(e.type)},
                        {"step", e.step},
                        {"detail", parsed_or_null(e.detail)}});
    }
    return list;
}

render::Progress render_progress(const workflow::Snapshot& snapshot) {
    render::Progress progress{0, 0, "plan"};
    bool segments_done = true;
    for (const auto& s : snapshot.steps) {
        if (s.kind == StepKind::publish) progress.total_frames = s.frames_total;
        if (s.kind != StepKind::segment) continue;
        progress.frames_done += workflow::has_output(s.state) ? s.frames_total : s.frames_done;
        segments_done = segments_done && workflow::has_output(s.state);
        progress.stage = "segments";
    }
    if (progress.stage == "segments" && segments_done) {
        progress.frames_done = progress.total_frames;
        progress.stage = finishing_stage(snapshot);
    }
    return progress;
}

}  // namespace kompo::platform
