#include "worker/step_runner.hpp"

#include "core/error.hpp"
#include "render/sources.hpp"
#include "worker/steps.hpp"

namespace kompo::worker {

namespace {

workflow::Outcome run_step_of_its_kind(const workflow::Claim& claim, const StepEnvironment& env) {
    switch (claim.step.kind) {
        case workflow::StepKind::probe:
            return steps::probe(claim, env);
        case workflow::StepKind::plan:
            return steps::plan(claim, env);
        case workflow::StepKind::segment:
            return steps::segment(claim, env);
        case workflow::StepKind::join:
            return steps::join(claim, env);
        case workflow::StepKind::sound:
            return steps::sound(claim, env);
        case workflow::StepKind::mux:
            return steps::mux(claim, env);
        case workflow::StepKind::publish:
            break;
    }
    return steps::publish(claim, env);
}

}  // namespace

workflow::Outcome run_step(const workflow::Claim& claim, const StepEnvironment& env) {
    try {
        return run_step_of_its_kind(claim, env);
    } catch (const Error& e) {
        // The error is shown to the render's tenant (the render's API, its events): its
        // media by name, not the server's folders ("clip.mp4", not "/srv/kompo/media/…").
        const auto request = env.jobs.of(claim.execution);
        if (request->stored.tenant.empty()) throw;
        throw Error(e.kind(), render::without_root(e.what(), request->stored.media_root));
    }
}

}  // namespace kompo::worker
