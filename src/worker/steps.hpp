#pragma once
// One function per step kind (internal to the worker module).
#include "worker/step_runner.hpp"

namespace kompo::worker::steps {

workflow::Outcome probe(const workflow::Claim& claim, const StepEnvironment& env);
workflow::Outcome plan(const workflow::Claim& claim, const StepEnvironment& env);
workflow::Outcome segment(const workflow::Claim& claim, const StepEnvironment& env);
workflow::Outcome join(const workflow::Claim& claim, const StepEnvironment& env);
workflow::Outcome sound(const workflow::Claim& claim, const StepEnvironment& env);
workflow::Outcome mux(const workflow::Claim& claim, const StepEnvironment& env);
workflow::Outcome publish(const workflow::Claim& claim, const StepEnvironment& env);

// The absolute path of the artifact of a step that `claim` reads.
std::filesystem::path input_path(const workflow::Claim& claim, const StepEnvironment& env,
                                 std::size_t index);

}  // namespace kompo::worker::steps
