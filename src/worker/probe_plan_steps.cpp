// The steps that decide what to render: probing the sources, then planning.
#include "core/error.hpp"
#include "komposition/komposition.hpp"
#include "plan/plan.hpp"
#include "render/render.hpp"
#include "worker/probe_cache.hpp"
#include "worker/steps.hpp"
#include "workflow/piece_json.hpp"
#include "workflow/render_graph.hpp"

namespace kompo::worker::steps {

using nlohmann::json;

workflow::Outcome probe(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto request = env.jobs.of(claim.execution);
    // A render with a tenant is the server's: it reads that tenant's media folder only.
    const render::SourcePolicy sources{
        request->stored.media_root, !request->stored.tenant.empty(),
        render::RemoteFetch{request->stored.remote_fetch, request->stored.remote_max_bytes,
                            request->stored.remote_timeout_seconds, env.remote_loopback}};
    ProbeCache cache(env.engine.store());
    const auto prober = [&cache](const std::filesystem::path& path, bool keyframes) {
        return cache.probe(path, keyframes);
    };
    // Every core: the probe step runs first, alone, and mostly hashes new sources.
    const auto media = render::probe_for_render(
        request->komposition, render::RenderOptions{request->stored.range, sources, prober,
                                                    static_cast<std::size_t>(env.cores)});
    json hashes = json::object();
    for (const auto& [id, info] : media) hashes[info.path] = cache.content_hash(info.path);
    workflow::Outcome outcome;
    outcome.result = json{{"media", workflow::to_json(media)}, {"hashes", hashes}}.dump();
    outcome.said = json{
        {"probe",
         {{"hashed", cache.hashed()}, {"cached", cache.cached()}, {"probed", cache.probed()}}}};
    return outcome;
}

workflow::Outcome plan(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto request = env.jobs.of(claim.execution);
    const auto probed = json::parse(claim.needed.at(0).result);
    const auto media = workflow::media_by_source_from(probed.at("media"));
    const auto plan =
        plan::make_plan(request->komposition, media, plan::PlanOptions{request->stored.range});
    workflow::SourceHashes hashes;
    for (const auto& [path, hash] : probed.at("hashes").items()) {
        hashes[path] = hash.get<std::string>();
    }
    workflow::Outcome outcome;
    outcome.expansion = workflow::render_graph(
        plan, hashes, workflow::GraphOptions{env.chunk_seconds, request->stored.output});
    outcome.result =
        json{{"warnings", plan.warnings}, {"total_frames", plan.total_frames.value()}}.dump();
    return outcome;
}

}  // namespace kompo::worker::steps
