#include "worker/step_runner.hpp"

#include "worker/steps.hpp"

namespace kompo::worker {

workflow::Outcome run_step(const workflow::Claim& claim, const StepEnvironment& env) {
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

}  // namespace kompo::worker
