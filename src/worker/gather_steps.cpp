// The steps after the scatter: join the segments, render the sound, put them together
// (mux) and publish the video where it was asked for.
#include <filesystem>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "worker/steps.hpp"
#include "workflow/artifact_files.hpp"
#include "workflow/piece_json.hpp"

namespace kompo::worker::steps {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json params_of(const workflow::Claim& claim) {
    return json::parse(claim.step.params);
}

media::ExecContext context_of(const StepEnvironment& env) {
    media::ExecContext ctx;
    ctx.threads = env.threads;
    ctx.cancelled = env.cancelled;
    ctx.on_progress = env.on_progress;
    return ctx;
}

workflow::Outcome artifact_outcome(const fs::path& file) {
    workflow::Outcome outcome;
    outcome.artifact_file = file;
    outcome.result = "{}";
    return outcome;
}

}  // namespace

fs::path input_path(const workflow::Claim& claim, const StepEnvironment& env, std::size_t index) {
    const auto& needed = claim.needed.at(index);
    std::optional<workflow::Artifact> artifact;
    env.engine.store().read(
        [&](workflow::WorkflowRows& tx) { artifact = tx.artifact(needed.artifact_key); });
    if (!artifact || !env.engine.artifacts().exists(artifact->path)) {
        throw Error::internal(claim.step.name + ": the artifact of " + needed.name + " is missing");
    }
    return env.engine.artifacts().absolute(artifact->path);
}

workflow::Outcome join(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto piece = workflow::join_piece_from(params_of(claim));
    std::vector<std::string> inputs;
    for (std::size_t i = 0; i < claim.needed.size(); ++i) {
        inputs.push_back(input_path(claim, env, i).string());
    }
    const auto out =
        env.engine.artifacts().temp_path(media::intermediate_video_extension(piece.format));
    media::join_segments(piece, inputs, out.string(), context_of(env));
    return artifact_outcome(out);
}

workflow::Outcome sound(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto piece = workflow::sound_piece_from(params_of(claim));
    const auto out =
        env.engine.artifacts().temp_path(media::intermediate_audio_extension(piece.format));
    media::render_sound(piece, out.string(), context_of(env));
    return artifact_outcome(out);
}

workflow::Outcome mux(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto piece = workflow::mux_piece_from(params_of(claim));
    const auto out = env.engine.artifacts().temp_path("." + piece.format.container);
    media::mux(piece, input_path(claim, env, 0).string(), input_path(claim, env, 1).string(),
               out.string(), context_of(env));
    return artifact_outcome(out);
}

workflow::Outcome publish(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto video = input_path(claim, env, 0);
    const auto output = params_of(claim).at("output").get<std::string>();
    if (!output.empty()) workflow::ArtifactFiles::copy_out(video, output);
    workflow::Outcome outcome;
    outcome.result =
        json{{"artifact", video.string()}, {"output", output}, {"frames", claim.step.frames_total}}
            .dump();
    return outcome;
}

}  // namespace kompo::worker::steps
